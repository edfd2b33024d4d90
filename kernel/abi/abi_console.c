/* Console imports: the serial terminal for processes holding TK_CAP_CONSOLE. */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/console.h"

/* The (buf, len) of a console call inside the caller's memory, with a length the i32
 * result can report; NULL with the error in results[0] otherwise. */
static void *console_buffer(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    void *buf = abi_mem(p, a[0].i32, a[1].i32);

    if (!buf || a[1].i32 > INT32_MAX) {
        r[0].i32 = (uint32_t)(buf ? TK_ERR_RANGE : TK_ERR_FAULT);
        return NULL;
    }
    return buf;
}

int abi_console_write(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    const void *buf = console_buffer(p, a, r);

    if (buf) {
        console_write(buf, a[1].i32);
        r[0].i32 = a[1].i32;
    }
    return 0;
}

int abi_console_read(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    void *buf = console_buffer(p, a, r);

    if (buf) r[0].i32 = (uint32_t)console_read(buf, a[1].i32, abi_deadline((int64_t)a[2].i64));
    return 0;
}
