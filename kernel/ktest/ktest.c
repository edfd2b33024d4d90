/*
 * The in-kernel test runner (ktest.h). Present in every image — with no *_ktest.c files
 * linked the section is empty and `test=` finds nothing, which is itself reported.
 */
#include "kernel/ktest/ktest.h"

#include <stdarg.h>

#include "arch/arch.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/fmt.h"
#include "lib/string.h"

extern const struct ktest __start_ktests[], __stop_ktests[];

static bool ktest_failed;
static const char *ktest_current;

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (ktest_failed) return;
    ktest_failed = true;
    kprintf("FAIL %s: %s:%d: ", ktest_current, file, line);
    va_start(ap, fmt);
    fmt_vformat(kprintf_sink, NULL, fmt, ap);
    va_end(ap);
    kprintf("\n");
}

static bool ktest_run_one(const struct ktest *t)
{
    ktest_current = t->name;
    ktest_failed = false;
    t->fn();
    if (!ktest_failed) kprintf("PASS %s\n", t->name);
    return !ktest_failed;
}

__attribute__((weak)) void ktest_early(struct boot_info *bi)
{
    (void)bi;
}

/* Whether `name` is selected by the comma-separated list `want` ("all" = every test
 * that may run in company). */
static bool ktest_selected(const char *want, const struct ktest *t)
{
    size_t n = strlen(t->name);

    for (const char *w = want; *w;) {
        const char *end = strchr(w, ',');
        size_t len = end ? (size_t)(end - w) : strlen(w);
        if ((len == n && !memcmp(w, t->name, n)) || (len == 3 && !memcmp(w, "all", 3) && !t->alone))
            return true;
        w += len + (end ? 1 : 0);
    }
    return false;
}

void ktest_run(const char *cmdline)
{
    char want[128];
    unsigned ran = 0, failed = 0;

    if (!cmdline_get(cmdline, "test", want, sizeof(want))) return;
    for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
        if (!ktest_selected(want, t)) continue;
        ran++;
        failed += !ktest_run_one(t);
    }
    if (ran == 0) {
        kprintf("FAIL ktest: no test named '%s' in this image\n", want);
        failed++;
    }
    kprintf("ktest: %u run, %u failed\n", ran, failed);
    arch_qemu_exit(failed ? TEST_FAIL_EXIT_CODE : TEST_PASS_EXIT_CODE);
}
