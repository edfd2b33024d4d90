/*
 * The kernel command line: space-separated `key=value` words, e.g.
 * "loglevel=3 test=all panic=exit".
 */
#ifndef TAKARA_KERNEL_CMDLINE_H
#define TAKARA_KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Copies the value of `key` into buf (NUL-terminated); false if the key is absent. */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);
/* The value of `key` as a decimal number, or `fallback`. */
long cmdline_get_long(const char *cmdline, const char *key, long fallback);

#endif
