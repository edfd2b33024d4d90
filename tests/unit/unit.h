/*
 * Host unit tests of the portable code, built with ASan and UBSan. A test:
 *
 *     TEST(fmt_widths) { CHECK_EQ(1 + 1, 2); }
 *
 * registers itself at start-up; the runner (main.c) prints `PASS unit/NAME` or
 * `FAIL unit/NAME: file:line: what` for each.
 */
#ifndef TAKARA_TESTS_UNIT_H
#define TAKARA_TESTS_UNIT_H

#include <stdbool.h>

struct unit_test {
    const char *name;
    void (*fn)(void);
    struct unit_test *next;
};

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool unit_failed(void);

#define TEST(id)                                                                                   \
    static void test_##id(void);                                                                   \
    static struct unit_test unit_##id = {#id, test_##id, 0};                                       \
    __attribute__((constructor)) static void unit_register_##id(void)                              \
    {                                                                                              \
        unit_register(&unit_##id);                                                                 \
    }                                                                                              \
    static void test_##id(void)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            unit_fail(__FILE__, __LINE__, "%s", #cond);                                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long ua_ = (long long)(a), ub_ = (long long)(b);                                      \
        if (ua_ != ub_) {                                                                          \
            unit_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", #a, #b, ua_, ub_);            \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *ua_ = (a), *ub_ = (b);                                                         \
        if (strcmp(ua_, ub_)) {                                                                    \
            unit_fail(__FILE__, __LINE__, "%s == %s (\"%s\" != \"%s\")", #a, #b, ua_, ub_);        \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#endif
