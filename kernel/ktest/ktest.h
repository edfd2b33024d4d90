/*
 * In-kernel tests. A test is a function in a *_ktest.c file (those files are compiled
 * into the test image only); KTEST(name) registers it in the `ktests` section. The
 * command line picks what runs: `test=all`, `test=NAME`, or a comma-separated list
 * (`test=all,boot_modules_by_name`). KTEST_ALONE tests run only when named: the
 * deliberate fault scenarios end in a panic report.
 *
 *     KTEST(pmm_exhaustion) {
 *         KT_ASSERT(pmm_free_pages() > 0);
 *     }
 *
 * Each test prints `PASS name` or `FAIL name: file:line: expr`; QEMU then exits with
 * TEST_PASS_EXIT_CODE or TEST_FAIL_EXIT_CODE (kernel/panic.h).
 */
#ifndef TAKARA_KERNEL_KTEST_H
#define TAKARA_KERNEL_KTEST_H

#include <stdbool.h>

struct ktest {
    const char *name;
    void (*fn)(void);
    bool alone; /* only when named: the test ends the boot (panic scenarios) */
};

/* Marks the running test failed with a reason (printf-like); the test should return. */
void ktest_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define KTEST_DEFINE(id, is_alone)                                                                 \
    static void ktest_fn_##id(void);                                                               \
    __attribute__((used, section("ktests"), aligned(8))) static const struct ktest ktest_##id = {  \
        #id, ktest_fn_##id, is_alone};                                                             \
    static void ktest_fn_##id(void)

#define KTEST(id)       KTEST_DEFINE(id, false)
#define KTEST_ALONE(id) KTEST_DEFINE(id, true)

#define KT_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ktest_fail(__FILE__, __LINE__, "%s", #cond);                                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define KT_ASSERT_EQ(a, b)                                                                         \
    do {                                                                                           \
        long long ka_ = (long long)(a), kb_ = (long long)(b);                                      \
        if (ka_ != kb_) {                                                                          \
            ktest_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", #a, #b, ka_, kb_);           \
            return;                                                                                \
        }                                                                                          \
    } while (0)

struct boot_info;
/* Test images may edit the boot information before memory is set up (e.g. to feed the
 * allocator a hostile memory map); the default does nothing. */
void ktest_early(struct boot_info *bi);

/* Runs the tests the command line selects; returns only if none was asked for. */
void ktest_run(const char *cmdline);

#endif
