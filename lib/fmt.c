/*
 * printf-style formatting (see fmt.h). One pass over the format; each conversion is
 * rendered into a small stack buffer (numbers) or passed through (strings), then padded.
 */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct fmt_spec {
    bool left, zero, alt;
    int width, prec; /* prec < 0: none */
    int length;      /* 0, 1 (l), 2 (ll), 3 (z) */
};

static void fmt_pad(fmt_sink sink, void *ctx, char c, int n, size_t *total)
{
    char buf[16];

    for (int i = 0; i < 16; i++) buf[i] = c;
    while (n > 0) {
        int k = n < 16 ? n : 16;
        sink(ctx, buf, (size_t)k);
        *total += (size_t)k;
        n -= k;
    }
}

/* Emits `prefix` + `body` padded to the spec's width. */
static void fmt_emit(fmt_sink sink, void *ctx, const struct fmt_spec *sp, const char *prefix,
                     const char *body, size_t len, int zeros, size_t *total)
{
    size_t plen = 0;
    int pad;

    while (prefix[plen]) plen++;
    pad = sp->width - (int)(plen + len) - zeros;
    if (!sp->left && !sp->zero) fmt_pad(sink, ctx, ' ', pad, total);
    sink(ctx, prefix, plen);
    *total += plen;
    if (!sp->left && sp->zero) fmt_pad(sink, ctx, '0', pad, total);
    fmt_pad(sink, ctx, '0', zeros, total);
    sink(ctx, body, len);
    *total += len;
    if (sp->left) fmt_pad(sink, ctx, ' ', pad, total);
}

static void fmt_number(fmt_sink sink, void *ctx, struct fmt_spec *sp, uint64_t v, bool neg,
                       unsigned base, bool upper, const char *prefix, size_t *total)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0, zeros = 0;

    while (v) {
        buf[sizeof(buf) - 1 - n++] = digits[v % base];
        v /= base;
    }
    if (sp->prec >= 0) {
        sp->zero = false;
        if (sp->prec > n) zeros = sp->prec - n;
    } else if (n == 0) {
        buf[sizeof(buf) - 1 - n++] = '0';
    }
    fmt_emit(sink, ctx, sp, neg ? "-" : prefix, buf + sizeof(buf) - n, (size_t)n, zeros, total);
}

static uint64_t fmt_arg_unsigned(const struct fmt_spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 1: return va_arg(*ap, unsigned long);
    case 2: return va_arg(*ap, unsigned long long);
    case 3: return va_arg(*ap, size_t);
    default: return va_arg(*ap, unsigned int);
    }
}

static int64_t fmt_arg_signed(const struct fmt_spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 1: return va_arg(*ap, long);
    case 2: return va_arg(*ap, long long);
    case 3: return (int64_t)va_arg(*ap, size_t);
    default: return va_arg(*ap, int);
    }
}

/* Parses flags, width, precision and length at *fmt; returns false on a bad spec. */
static void fmt_parse_spec(const char **fmt, struct fmt_spec *sp, va_list *ap)
{
    const char *f = *fmt;

    *sp = (struct fmt_spec){.prec = -1};
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else if (*f == '#')
            sp->alt = true;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = true;
            sp->width = -sp->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9') sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->prec = 0;
        if (*f == '*') {
            sp->prec = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9') sp->prec = sp->prec * 10 + (*f++ - '0');
    }
    if (*f == 'l') {
        sp->length = 1;
        if (*++f == 'l') {
            sp->length = 2;
            f++;
        }
    } else if (*f == 'z') {
        sp->length = 3;
        f++;
    }
    if (sp->left) sp->zero = false;
    *fmt = f;
}

size_t fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
    size_t total = 0;
    va_list ap;

    va_copy(ap, ap_in);
    while (*fmt) {
        const char *start = fmt;
        struct fmt_spec sp;

        while (*fmt && *fmt != '%') fmt++;
        if (fmt != start) {
            sink(ctx, start, (size_t)(fmt - start));
            total += (size_t)(fmt - start);
        }
        if (!*fmt) break;
        start = fmt++;
        fmt_parse_spec(&fmt, &sp, &ap);
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = fmt_arg_signed(&sp, &ap);
            fmt_number(sink, ctx, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, "",
                       &total);
            break;
        }
        case 'u':
            fmt_number(sink, ctx, &sp, fmt_arg_unsigned(&sp, &ap), false, 10, false, "", &total);
            break;
        case 'x':
        case 'X':
            fmt_number(sink, ctx, &sp, fmt_arg_unsigned(&sp, &ap), false, 16, *fmt == 'X',
                       sp.alt ? (*fmt == 'X' ? "0X" : "0x") : "", &total);
            break;
        case 'o':
            fmt_number(sink, ctx, &sp, fmt_arg_unsigned(&sp, &ap), false, 8, false,
                       sp.alt ? "0" : "", &total);
            break;
        case 'p':
            fmt_number(sink, ctx, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false, "0x",
                       &total);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            fmt_emit(sink, ctx, &sp, "", &c, 1, 0, &total);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t n = 0;

            if (!s) s = "(null)";
            while (s[n] && (sp.prec < 0 || n < (size_t)sp.prec)) n++;
            sp.zero = false;
            fmt_emit(sink, ctx, &sp, "", s, n, 0, &total);
            break;
        }
        case '%':
            sink(ctx, "%", 1);
            total++;
            break;
        default: /* unknown or truncated: show the spec as written */
            if (!*fmt) fmt--;
            sink(ctx, start, (size_t)(fmt + 1 - start));
            total += (size_t)(fmt + 1 - start);
            break;
        }
        fmt++;
    }
    va_end(ap);
    return total;
}

struct fmt_buf {
    char *buf;
    size_t size, used;
};

static void fmt_buf_sink(void *ctx, const char *s, size_t n)
{
    struct fmt_buf *b = ctx;

    for (size_t i = 0; i < n; i++, b->used++)
        if (b->used + 1 < b->size) b->buf[b->used] = s[i];
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_buf b = {buf, size, 0};
    size_t n = fmt_vformat(fmt_buf_sink, &b, fmt, ap);

    if (size) buf[n < size ? n : size - 1] = 0;
    return (int)n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
