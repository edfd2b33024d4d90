/*
 * Console output for modules: printf-style formatting (lib/fmt.c's conversions: %d %u %x
 * %s %c %p, l/ll/z modifiers, width, precision) written with tk_console_write. The
 * kernel's console turns "\n" into "\r\n", so modules write plain "\n".
 */
#ifndef TAKARA_SDK_STDIO_H
#define TAKARA_SDK_STDIO_H

#include <stdarg.h>
#include <stddef.h>

/* Writes all `len` bytes (console_write may take fewer per call): 0 or a negative error. */
int tk_write(const void *buf, size_t len);
/* Writes `s` and a newline: 0 or a negative error. */
int tk_puts(const char *s);
/* Formats and writes; one console write per call for short output (no interleaving of a
 * line with other processes' lines). Returns the bytes produced or a negative error. */
int tk_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tk_vprintf(const char *fmt, va_list ap);

#endif
