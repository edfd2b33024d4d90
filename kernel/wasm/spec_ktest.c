/*
 * The official spec suites inside the kernel: the converted files (SUITE/FILE.json, for
 * wasm-2.0 and each proposal) arrive as one ustar boot module (spec.tar, with the skip
 * list as skip.txt) and run through the same runner core as on the host, proving the
 * ring-0 build rather than assuming it. One summary line per suite.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/arch.h"
#include "kernel/boot.h"
#include "kernel/ktest/ktest.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "lib/tar.h"
#include "tests/spec/runner.h"
#include "wasm/wasm.h"

struct kspec {
    const uint8_t *tar;
    size_t len;
    const char *skips;
    size_t skips_len;
};

static const uint8_t *kspec_lookup(void *ctx, const char *name, size_t *len)
{
    struct kspec *k = ctx;
    struct tar_entry e;

    if (tar_find(k->tar, k->len, name, &e) < 0) return NULL;
    *len = e.size;
    return e.data;
}

static void kspec_print(void *ctx, const char *line)
{
    (void)ctx;
    kprintf("%s\n", line);
}

/* skip.txt lines are "FILE.json:LINE reason". */
static int kspec_skipped(void *ctx, const char *file, unsigned line)
{
    struct kspec *k = ctx;
    size_t flen = strlen(file);

    for (const char *p = k->skips; p && p < k->skips + k->skips_len;) {
        const char *eol = p;
        unsigned n = 0;
        const char *q = p + flen + 1;
        while (eol < k->skips + k->skips_len && *eol != '\n') eol++;
        if (q < eol && !memcmp(p, file, flen) && p[flen] == ':') {
            while (q < eol && *q >= '0' && *q <= '9') n = n * 10 + (unsigned)(*q++ - '0');
            if (n == line) return 1;
        }
        p = eol + 1;
    }
    return 0;
}

static bool ends_with_json(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && !memcmp(name + n - 5, ".json", 5);
}

static void kspec_summary(const char *suite, size_t len, const struct spec_counts *c,
                          unsigned files)
{
    kprintf("spec %.*s [interp, %s, kernel]: %u passed, %u failed, %u skipped, %u not "
            "applicable (%u files)\n",
            (int)len, suite, wasm_memory_mode(), c->passed, c->failed, c->skipped,
            c->not_applicable, files);
}

KTEST_ALONE(wasm_spec)
{
    const struct boot_module *m = boot_find_module("spec.tar");
    struct kspec k;
    struct spec_io io = {kspec_lookup, kspec_print, &k, kspec_skipped};
    struct spec_counts total = {0}, suite = {0};
    struct tar_iter it;
    struct tar_entry e;
    unsigned files = 0, suite_files = 0;
    char suite_name[64];
    size_t suite_len = 0;
    bool in_suite = false;
    int r;

    KT_ASSERT(m != NULL);
    k.tar = arch_phys_to_virt(m->start);
    k.len = m->end - m->start;
    k.skips = NULL;
    k.skips_len = 0;
    if (tar_find(k.tar, k.len, "skip.txt", &e) == 0) {
        k.skips = (const char *)e.data;
        k.skips_len = e.size;
    }
    tar_iter_init(&it, k.tar, k.len);
    while ((r = tar_iter_next(&it, &e)) > 0) {
        struct spec_counts c = {0};
        const char *name = e.name[0] == '.' && e.name[1] == '/' ? e.name + 2 : e.name;
        const char *slash = strchr(name, '/');
        size_t len = slash ? (size_t)(slash - name) : 0;
        if (!ends_with_json(name)) continue;
        if (len >= sizeof(suite_name)) len = sizeof(suite_name) - 1;
        if (in_suite && (len != suite_len || memcmp(name, suite_name, len))) {
            kspec_summary(suite_name, suite_len, &suite, suite_files);
            suite = (struct spec_counts){0};
            suite_files = 0;
        }
        memcpy(suite_name, name, len); /* e.name is refilled by the next entry */
        suite_len = len;
        in_suite = true;
        spec_run_file(&io, name, &c);
        files++;
        suite_files++;
        suite.passed += c.passed;
        suite.failed += c.failed;
        suite.skipped += c.skipped;
        suite.not_applicable += c.not_applicable;
        if (c.failed)
            kprintf("FAIL spec/%s: %u of %u commands failed\n", name, c.failed,
                    c.passed + c.failed);
        total.passed += c.passed;
        total.failed += c.failed;
        total.skipped += c.skipped;
        total.not_applicable += c.not_applicable;
    }
    KT_ASSERT_EQ(r, 0);
    if (in_suite) kspec_summary(suite_name, suite_len, &suite, suite_files);
    KT_ASSERT(files > 0);
    KT_ASSERT_EQ(total.failed, 0);
}
