/*
 * The little the engine needs beyond freestanding C: the string functions (libc on
 * Linux, lib/string.c in the kernel) and an assertion for engine invariants, which logs
 * through the platform and stops. Never used for inputs: a bad module is an error.
 */
#ifndef TAKARA_WASM_SHIM_H
#define TAKARA_WASM_SHIM_H

#include <stddef.h>

#include "wasm/platform.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* A freestanding build (the kernel: -ffreestanding implies -fno-builtin) would otherwise
 * call these for every load and store the interpreter makes through memcpy; the builtins
 * inline fixed sizes and call the functions above for the rest. */
#define memcpy(d, s, n)  __builtin_memcpy(d, s, n)
#define memmove(d, s, n) __builtin_memmove(d, s, n)
#define memset(d, c, n)  __builtin_memset(d, c, n)

#define WASM_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            wasm_platform_log("wasm: assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);    \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

static inline void *wasm_calloc(size_t n, size_t size)
{
    void *p;

    if (size && n > (size_t)-1 / size) return NULL;
    p = wasm_platform_alloc(n * size ? n * size : 1);
    if (p) memset(p, 0, n * size);
    return p;
}

#endif
