/* The bounded cursor (reader.h): LEB128 integers as the binary format defines them. */
#include "wasm/reader.h"

#include <takara/error.h>

bool wasm_reader_fail_code(struct wasm_reader *r, int code, const char *reason)
{
    if (r->err && !r->err->code) {
        r->err->code = code;
        r->err->reason = reason;
        r->err->offset = wasm_reader_offset(r);
        r->err->section = r->section;
    }
    return false;
}

bool wasm_reader_fail(struct wasm_reader *r, const char *reason)
{
    return wasm_reader_fail_code(r, TK_ERR_MALFORMED, reason);
}

bool wasm_read_u8(struct wasm_reader *r, uint8_t *out)
{
    if (r->p >= r->end) return wasm_reader_fail(r, "unexpected end");
    *out = *r->p++;
    return true;
}

/* Unsigned LEB128 of at most `bits` bits. */
static bool wasm_read_uleb(struct wasm_reader *r, unsigned bits, uint64_t *out)
{
    uint64_t v = 0;
    unsigned shift = 0, max_bytes = (bits + 6) / 7;

    for (unsigned i = 0;; i++) {
        uint8_t b;
        if (!wasm_read_u8(r, &b)) return false;
        if (i == max_bytes - 1) {
            if (b & 0x80) return wasm_reader_fail(r, "integer representation too long");
            /* the unused high bits of the last byte must be zero */
            if (bits % 7 && (b >> (bits % 7))) return wasm_reader_fail(r, "integer too large");
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    *out = v;
    return true;
}

/* Signed LEB128 of at most `bits` bits. */
static bool wasm_read_sleb(struct wasm_reader *r, unsigned bits, int64_t *out)
{
    uint64_t v = 0;
    unsigned shift = 0, max_bytes = (bits + 6) / 7;
    uint8_t b;

    for (unsigned i = 0;; i++) {
        if (!wasm_read_u8(r, &b)) return false;
        if (i == max_bytes - 1) {
            if (b & 0x80) return wasm_reader_fail(r, "integer representation too long");
            /* the unused bits must all equal the sign bit */
            unsigned used = bits - 7 * (max_bytes - 1); /* value bits in this byte */
            if (used < 7) {
                int sign_and_unused = (int8_t)(b << 1) >> used; /* bits 6..used-1 */
                if (sign_and_unused != 0 && sign_and_unused != -1)
                    return wasm_reader_fail(r, "integer too large");
            }
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
    *out = (int64_t)v;
    return true;
}

bool wasm_read_u32(struct wasm_reader *r, uint32_t *out)
{
    uint64_t v;

    if (!wasm_read_uleb(r, 32, &v)) return false;
    *out = (uint32_t)v;
    return true;
}

bool wasm_read_s32(struct wasm_reader *r, int32_t *out)
{
    int64_t v;

    if (!wasm_read_sleb(r, 32, &v)) return false;
    *out = (int32_t)v;
    return true;
}

bool wasm_read_s33(struct wasm_reader *r, int64_t *out)
{
    return wasm_read_sleb(r, 33, out);
}

bool wasm_read_s64(struct wasm_reader *r, int64_t *out)
{
    return wasm_read_sleb(r, 64, out);
}

bool wasm_read_bytes(struct wasm_reader *r, uint32_t n, const uint8_t **out)
{
    if (n > wasm_reader_left(r)) return wasm_reader_fail(r, "unexpected end");
    *out = r->p;
    r->p += n;
    return true;
}

static bool wasm_utf8_valid(const uint8_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n;) {
        uint8_t c = s[i];
        uint32_t len, cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (uint32_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

bool wasm_read_name(struct wasm_reader *r, struct wasm_name *out)
{
    uint32_t n;
    const uint8_t *s;

    if (!wasm_read_u32(r, &n)) return false;
    if (n > wasm_reader_left(r)) return wasm_reader_fail(r, "length out of bounds");
    if (!wasm_read_bytes(r, n, &s)) return false;
    if (!wasm_utf8_valid(s, n)) return wasm_reader_fail(r, "malformed UTF-8 encoding");
    out->len = n;
    out->str = (const char *)s;
    return true;
}
