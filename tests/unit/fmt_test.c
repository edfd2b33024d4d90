/* lib/fmt against the host's snprintf, which serves as the oracle. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/fmt.h"
#include "tests/unit/unit.h"

#define SAME(...)                                                                                  \
    do {                                                                                           \
        char ours_[128], libc_[128];                                                               \
        int n1_ = fmt_snprintf(ours_, sizeof(ours_), __VA_ARGS__);                                 \
        int n2_ = snprintf(libc_, sizeof(libc_), __VA_ARGS__);                                     \
        CHECK_STR(ours_, libc_);                                                                   \
        CHECK_EQ(n1_, n2_);                                                                        \
    } while (0)

TEST(fmt_integers)
{
    SAME("%d %i %u", 0, -1, 4294967295u);
    SAME("%d|%d", INT32_MIN, INT32_MAX);
    SAME("%ld %lu %lld %llu", (long)INT64_MIN, (unsigned long)UINT64_MAX, -5ll, 6ull);
    SAME("%zu %zx", (size_t)12345, (size_t)0xabc);
    SAME("%x %X %#x %#X %o %#o", 0xdeadbeefu, 0xdeadbeefu, 255u, 255u, 8u, 8u);
    SAME("%016lx", 0x1234ul);
}

TEST(fmt_widths_and_flags)
{
    SAME("[%5d] [%-5d] [%05d]", 42, 42, 42);
    SAME("[%5d] [%05d]", -42, -42);
    SAME("[%*d] [%-*d]", 6, 7, 6, 7);
    SAME("[%.3d] [%8.3d] [%.0d]", 5, 5, 0);
    SAME("[%-2d]", 12345);
}

TEST(fmt_strings_and_chars)
{
    SAME("[%s] [%10s] [%-10s] [%.2s] [%.*s]", "abc", "abc", "abc", "abc", 1, "xyz");
    SAME("[%c%c] [%3c]", 'o', 'k', 'z');
    SAME("100%% sure");
    SAME("%p", (void *)0x1000);
}

TEST(fmt_truncation)
{
    char buf[8];

    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
    CHECK_STR(buf, "0123456");
    CHECK_EQ(fmt_snprintf(buf, 1, "abc"), 3);
    CHECK_STR(buf, "");
    CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 123), 3);
}

/* Deliberately bad formats: the compiler's format check would refuse them. */
#pragma clang diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"
TEST(fmt_unknown_conversion_is_visible)
{
    char buf[32];

    fmt_snprintf(buf, sizeof(buf), "a %q b");
    CHECK_STR(buf, "a %q b");
    fmt_snprintf(buf, sizeof(buf), "end %");
    CHECK_STR(buf, "end %");
}
