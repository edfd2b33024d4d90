/*
 * Shared by the benchmark programs: each one is freestanding C exporting
 *     uint32_t run(uint32_t iters)
 * whose result is a checksum of all the work, so no compiler can skip any of it. The
 * same source builds natively (gcc -O2) and to Wasm (clang --target=wasm32 -O2).
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__wasm__)
#define EXPORT __attribute__((export_name("run"), visibility("default")))
#else
#define EXPORT
#endif

/* A small deterministic generator for inputs. */
static inline uint32_t bench_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

#endif
