/* Console imports: the serial terminal for processes holding TK_CAP_CONSOLE. */
#include <stdbool.h>
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/console.h"

/* The (buf, len) of a console call inside the caller's memory (writable when the call
 * fills it), with a length the i32 result can report; NULL with the error in s[0]
 * otherwise. */
static void *console_buffer(struct process *p, uint64_t *s, bool fills)
{
    void *buf = fills ? abi_mem(p, (uint32_t)s[0], (uint32_t)s[1])
                      : (void *)abi_mem_in(p, (uint32_t)s[0], (uint32_t)s[1]);

    if (!buf || (uint32_t)s[1] > INT32_MAX) {
        s[0] = (uint32_t)(buf ? TK_ERR_RANGE : TK_ERR_FAULT);
        return NULL;
    }
    return buf;
}

int abi_console_write(struct process *p, uint64_t *s)
{
    const void *buf = console_buffer(p, s, false);

    if (buf) {
        console_write(buf, (uint32_t)s[1]);
        s[0] = (uint32_t)s[1];
    }
    return 0;
}

int abi_console_read(struct process *p, uint64_t *s)
{
    void *buf = console_buffer(p, s, true);

    if (buf) s[0] = (uint32_t)console_read(buf, (uint32_t)s[1], abi_deadline((int64_t)s[2]));
    return 0;
}
