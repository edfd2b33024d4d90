/*
 * printf-style formatting without libc, for the kernel log and anything freestanding.
 * Conversions: %d %i %u %x %X %o %p %s %c %%, length modifiers l ll z, flags - 0 #,
 * field width and precision (numbers: minimum digits; strings: maximum bytes), both
 * possibly `*`. Unknown conversions are copied through so a bad format is visible.
 */
#ifndef TAKARA_LIB_FMT_H
#define TAKARA_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted output one piece at a time. */
typedef void (*fmt_sink)(void *ctx, const char *s, size_t n);

/* Formats into `sink`; returns the number of bytes produced. */
size_t fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when size > 0, returns the full length. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
