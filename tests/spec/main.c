/*
 * The spec runner on Linux: spec-run MODE DIR SKIPLIST SUITE/NAME.json... runs each
 * converted file from DIR, prints PASS/FAIL per file and, for each suite (the files'
 * directory: wasm-2.0, extended-const, ...), the line
 *   spec SUITE [interp, MODE, host]: P passed, F failed, S skipped, N not applicable
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/spec/runner.h"
#include "tools/host/read_file.h"

struct files {
    const char *dir;
    char *last_name;
    uint8_t *last;
    char skips[512][96];
    int nskips;
};

static const uint8_t *lookup(void *ctx, const char *name, size_t *len)
{
    struct files *f = ctx;
    char path[1024];

    free(f->last); /* the runner copies what it keeps: one file at a time is enough */
    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    f->last = host_read_file(path, len);
    return f->last;
}

static void print(void *ctx, const char *line)
{
    (void)ctx;
    puts(line);
}

static int skipped(void *ctx, const char *file, unsigned line)
{
    struct files *f = ctx;
    char key[96];

    snprintf(key, sizeof(key), "%s:%u", file, line);
    for (int i = 0; i < f->nskips; i++)
        if (!strcmp(f->skips[i], key)) return 1;
    return 0;
}

static void load_skips(struct files *f, const char *path)
{
    FILE *fp = fopen(path, "r");
    char line[512];

    while (fp && fgets(line, sizeof(line), fp) && f->nskips < 512) {
        char *sp = strchr(line, ' ');
        if (line[0] == '#' || line[0] == '\n' || !sp) continue;
        *sp = 0;
        snprintf(f->skips[f->nskips++], sizeof(f->skips[0]), "%s", line);
    }
    if (fp) fclose(fp);
}

static void print_suite(const char *suite, size_t len, const char *mode,
                        const struct spec_counts *c)
{
    printf("spec %.*s [interp, %s, host]: %u passed, %u failed, %u skipped, %u not "
           "applicable\n",
           (int)len, suite, mode, c->passed, c->failed, c->skipped, c->not_applicable);
}

int main(int argc, char **argv)
{
    struct files f = {0};
    struct spec_io io = {lookup, print, &f, skipped};
    struct spec_counts total = {0}, suite = {0};
    const char *suite_name = NULL;
    size_t suite_len = 0;
    int status = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: spec-run MODE DIR SKIPLIST FILE.json...\n");
        return 2;
    }
    f.dir = argv[2];
    load_skips(&f, argv[3]);
    for (int i = 4; i < argc; i++) {
        struct spec_counts c = {0};
        const char *name = argv[i], *slash = strchr(name, '/');
        size_t len = slash ? (size_t)(slash - name) : 0;
        if (suite_name && (len != suite_len || memcmp(name, suite_name, len))) {
            print_suite(suite_name, suite_len, argv[1], &suite);
            suite = (struct spec_counts){0};
        }
        suite_name = name;
        suite_len = len;
        spec_run_file(&io, name, &c);
        if (c.failed)
            printf("FAIL spec/%s: %u of %u commands failed\n", name, c.failed, c.passed + c.failed);
        else
            printf("PASS spec/%s (%u passed, %u skipped, %u n/a)\n", name, c.passed, c.skipped,
                   c.not_applicable);
        suite.passed += c.passed;
        suite.failed += c.failed;
        suite.skipped += c.skipped;
        suite.not_applicable += c.not_applicable;
        total.failed += c.failed;
        total.skips_now_passing += c.skips_now_passing;
    }
    if (suite_name) print_suite(suite_name, suite_len, argv[1], &suite);
    free(f.last);
    if (total.failed || total.skips_now_passing) status = 1;
    return status;
}
