/*
 * The spec testsuite runner core: executes every command of one wast2json JSON file
 * against the engine. Freestanding: files come from `lookup`, lines go to `print`, so
 * the same core runs on Linux (main.c) and inside the kernel.
 */
#ifndef TAKARA_TESTS_SPEC_RUNNER_H
#define TAKARA_TESTS_SPEC_RUNNER_H

#include <stddef.h>
#include <stdint.h>

struct spec_io {
    /* The bytes of file `name` (as named in the JSON), or NULL. */
    const uint8_t *(*lookup)(void *ctx, const char *name, size_t *len);
    void (*print)(void *ctx, const char *line);
    void *ctx;
    /* "file:line" entries to skip, with reasons (the checked-in skip list) */
    int (*skipped)(void *ctx, const char *file, unsigned line);
};

struct spec_counts {
    unsigned passed, failed, skipped, not_applicable, skips_now_passing;
};

/* Runs every command of `json_name`; adds to *counts. Prints one line per failure. */
int spec_run_file(struct spec_io *io, const char *json_name, struct spec_counts *counts);

#endif
