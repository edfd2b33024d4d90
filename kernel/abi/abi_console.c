/* Console imports: the serial terminal for processes holding TK_CAP_CONSOLE. */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/console.h"

int abi_console_write(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    const void *buf = abi_mem(p, a[0].i32, a[1].i32);

    if (!buf) {
        r[0].i32 = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if (a[1].i32 > INT32_MAX) {
        r[0].i32 = (uint32_t)TK_ERR_RANGE;
        return 0;
    }
    console_write(buf, a[1].i32);
    r[0].i32 = a[1].i32;
    return 0;
}

int abi_console_read(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    void *buf = abi_mem(p, a[0].i32, a[1].i32);

    if (!buf) {
        r[0].i32 = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if (a[1].i32 > INT32_MAX) {
        r[0].i32 = (uint32_t)TK_ERR_RANGE;
        return 0;
    }
    r[0].i32 = (uint32_t)console_read(buf, a[1].i32, abi_deadline((int64_t)a[2].i64));
    return 0;
}
