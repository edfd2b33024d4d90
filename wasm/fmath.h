/*
 * IEEE-754 operations Wasm defines exactly and C leaves to libm (which the kernel has
 * not): rounding to integral values, min/max with NaN and signed-zero rules, and the
 * range checks of trapping and saturating float-to-int conversions. Everything here is
 * plain arithmetic or bit manipulation in the default rounding mode.
 */
#ifndef TAKARA_WASM_FMATH_H
#define TAKARA_WASM_FMATH_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm/shim.h"

static inline uint32_t f32_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static inline float f32_from(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}
static inline uint64_t f64_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}
static inline double f64_from(uint64_t b)
{
    double d;
    memcpy(&d, &b, 8);
    return d;
}

/* A NaN input yields a quiet NaN (an "arithmetic NaN"), as Wasm requires. */
static inline float f32_quiet(float x)
{
    return f32_from(f32_bits(x) | 0x00400000u);
}
static inline double f64_quiet(double x)
{
    return f64_from(f64_bits(x) | 0x0008000000000000ull);
}

/* Values this large (or NaN/inf) are already integral. */
static inline float f32_trunc(float x)
{
    if (x != x) return f32_quiet(x);
    if (!(__builtin_fabsf(x) < 8388608.0f)) return x;
    return __builtin_copysignf((float)(int32_t)x, x);
}
static inline float f32_floor(float x)
{
    float t = f32_trunc(x);
    return t > x ? t - 1.0f : t;
}
static inline float f32_ceil(float x)
{
    float t = f32_trunc(x);
    return t < x ? __builtin_copysignf(t + 1.0f, x) : t;
}
static inline float f32_nearest(float x)
{
    float a = __builtin_fabsf(x);
    if (x != x) return f32_quiet(x);
    if (!(a < 8388608.0f)) return x;
    /* adding and removing 2^23 rounds to an integer, ties to even */
    return __builtin_copysignf((a + 8388608.0f) - 8388608.0f, x);
}
static inline double f64_trunc(double x)
{
    if (x != x) return f64_quiet(x);
    if (!(__builtin_fabs(x) < 4503599627370496.0)) return x;
    return __builtin_copysign((double)(int64_t)x, x);
}
static inline double f64_floor(double x)
{
    double t = f64_trunc(x);
    return t > x ? t - 1.0 : t;
}
static inline double f64_ceil(double x)
{
    double t = f64_trunc(x);
    return t < x ? __builtin_copysign(t + 1.0, x) : t;
}
static inline double f64_nearest(double x)
{
    double a = __builtin_fabs(x);
    if (x != x) return f64_quiet(x);
    if (!(a < 4503599627370496.0)) return x;
    return __builtin_copysign((a + 4503599627370496.0) - 4503599627370496.0, x);
}

/* min/max: NaN wins, and -0 < +0. */
static inline float f32_min(float a, float b)
{
    if (a != a || b != b) return f32_quiet(a != a ? a : b);
    if (a == b) return f32_from(f32_bits(a) | f32_bits(b));
    return a < b ? a : b;
}
static inline float f32_max(float a, float b)
{
    if (a != a || b != b) return f32_quiet(a != a ? a : b);
    if (a == b) return f32_from(f32_bits(a) & f32_bits(b));
    return a > b ? a : b;
}
static inline double f64_min(double a, double b)
{
    if (a != a || b != b) return f64_quiet(a != a ? a : b);
    if (a == b) return f64_from(f64_bits(a) | f64_bits(b));
    return a < b ? a : b;
}
static inline double f64_max(double a, double b)
{
    if (a != a || b != b) return f64_quiet(a != a ? a : b);
    if (a == b) return f64_from(f64_bits(a) & f64_bits(b));
    return a > b ? a : b;
}

/*
 * Float-to-int range checks: `x` converts without trapping when lo < x < hi (the bounds
 * are exactly representable). NaN fails both comparisons.
 */
static inline bool f_in_range(double x, double lo, double hi)
{
    return x > lo && x < hi;
}

#define I32_LO -2147483649.0
#define I32_HI 2147483648.0
#define U32_LO -1.0
#define U32_HI 4294967296.0
#define I64_LO -9223372036854777856.0 /* the double below -2^63 */
#define I64_HI 9223372036854775808.0
#define U64_HI 18446744073709551616.0

/* Saturating conversions (0xFC 0-7): NaN -> 0, out of range -> the nearest bound. */
static inline uint32_t sat_i32(double x)
{
    if (x != x) return 0;
    if (x <= -2147483648.0) return 0x80000000u;
    if (x >= 2147483647.0) return 0x7fffffffu;
    return (uint32_t)(int32_t)x;
}
static inline uint32_t sat_u32(double x)
{
    if (x != x || x <= 0) return 0;
    if (x >= 4294967295.0) return 0xffffffffu;
    return (uint32_t)x;
}
static inline uint64_t sat_i64(double x)
{
    if (x != x) return 0;
    if (x <= -9223372036854775808.0) return 0x8000000000000000ull;
    if (x >= 9223372036854775808.0) return 0x7fffffffffffffffull;
    return (uint64_t)(int64_t)x;
}
static inline uint64_t sat_u64(double x)
{
    if (x != x || x <= 0) return 0;
    if (x >= 18446744073709551616.0) return 0xffffffffffffffffull;
    return (uint64_t)x;
}

#endif
