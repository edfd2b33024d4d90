/*
 * A bounded cursor over a module binary. Every read checks the remaining length first;
 * on failure it fills the module's wasm_error with the spec testsuite's wording and the
 * byte offset, and returns false. Nothing reads past `end`.
 */
#ifndef TAKARA_WASM_READER_H
#define TAKARA_WASM_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm/wasm.h"

struct wasm_reader {
    const uint8_t *p, *end;
    const uint8_t *base; /* start of the module, for offsets */
    uint8_t section;     /* section being read, for error reports */
    struct wasm_error *err;
};

/* Records a malformed-module error at the cursor; always returns false. */
bool wasm_reader_fail(struct wasm_reader *r, const char *reason);
bool wasm_reader_fail_code(struct wasm_reader *r, int code, const char *reason);

bool wasm_read_u8(struct wasm_reader *r, uint8_t *out);
bool wasm_read_u32(struct wasm_reader *r, uint32_t *out);
bool wasm_read_s32(struct wasm_reader *r, int32_t *out);
bool wasm_read_s33(struct wasm_reader *r, int64_t *out);
bool wasm_read_s64(struct wasm_reader *r, int64_t *out);
bool wasm_read_bytes(struct wasm_reader *r, uint32_t n, const uint8_t **out);
/* A name: u32 length then that many bytes of valid UTF-8. */
bool wasm_read_name(struct wasm_reader *r, struct wasm_name *out);

static inline uint32_t wasm_reader_offset(const struct wasm_reader *r)
{
    return (uint32_t)(r->p - r->base);
}

static inline uint64_t wasm_reader_left(const struct wasm_reader *r)
{
    return (uint64_t)(r->end - r->p);
}

#endif
