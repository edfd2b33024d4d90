/*
 * libFuzzer target for the boot manifest parser (lib/manifest.c), the one text surface
 * init reads: any input gives 0 or an error with a line and a terminated message, and a
 * success always holds fields that satisfy the format's rules (manifest.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <takara/caps.h>
#include <takara/error.h>

#include "lib/manifest.h"

static void manifest_check_service(const struct manifest_service *s)
{
    size_t n = strlen(s->module), used = 0;

    if (!s->name[0] || strlen(s->name) > 31) abort();
    if (n <= 5 || n >= sizeof(s->module) || strcmp(s->module + n - 5, ".wasm")) abort();
    if (s->args_len > sizeof(s->args) || s->argc > MANIFEST_MAX_ARGS) abort();
    for (uint32_t i = 0; i < s->argc; i++) used += strnlen(s->args + used, s->args_len - used) + 1;
    if (used != s->args_len) abort();
    if (!s->memory || s->memory % 65536 || s->memory > (1ull << 32)) abort();
    if (s->caps & ~(uint32_t)TK_CAP_ALL || !manifest_restart_word(s->restart)) abort();
    if (!manifest_orphans_word(s->orphans)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct manifest m;
    struct manifest_error err;
    int r = manifest_parse((const char *)data, size, &m, &err);

    if (!memchr(err.message, 0, sizeof(err.message))) abort();
    if (r == 0) {
        if (m.nservices > MANIFEST_MAX_SERVICES) abort();
        for (uint32_t i = 0; i < m.nservices; i++) manifest_check_service(&m.services[i]);
    } else if ((r != TK_ERR_INVAL && r != TK_ERR_LIMIT) || err.line == 0 || !err.message[0]) {
        abort();
    }
    return 0;
}
