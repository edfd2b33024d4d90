/*
 * tk_printf and friends: lib/fmt.c formats into a small buffer that is written to the
 * console when full and at the end of each call, so a line usually reaches the console in
 * one write and does not mix with another process's output.
 */
#include <takara.h>
#include <tk_stdio.h>

#include "lib/fmt.h"
#include "lib/string.h"

struct stdio_buf {
    char data[256];
    size_t len;
    int err; /* first write error, kept so the caller sees it */
};

int tk_write(const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        uint32_t chunk = len > 0x10000 ? 0x10000 : (uint32_t)len;
        int32_t r = tk_console_write(p, chunk);

        if (r < 0) return r;
        if (r == 0) return TK_ERR_AGAIN; /* no progress: do not spin forever */
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

int tk_puts(const char *s)
{
    int r = tk_write(s, strlen(s));

    return r < 0 ? r : tk_write("\n", 1);
}

static void stdio_flush(struct stdio_buf *b)
{
    if (b->len > 0 && b->err == 0) b->err = tk_write(b->data, b->len);
    b->len = 0;
}

static void stdio_sink(void *ctx, const char *s, size_t n)
{
    struct stdio_buf *b = ctx;

    while (n > 0) {
        size_t room = sizeof b->data - b->len, take = n < room ? n : room;

        memcpy(b->data + b->len, s, take);
        b->len += take;
        s += take;
        n -= take;
        if (b->len == sizeof b->data) stdio_flush(b);
    }
}

int tk_vprintf(const char *fmt, va_list ap)
{
    struct stdio_buf b = {.len = 0, .err = 0};
    size_t n = fmt_vformat(stdio_sink, &b, fmt, ap);

    stdio_flush(&b);
    return b.err < 0 ? b.err : (int)n;
}

int tk_printf(const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = tk_vprintf(fmt, ap);
    va_end(ap);
    return r;
}
