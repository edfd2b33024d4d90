/*
 * The emit buffer: machine code accumulates in a heap block that doubles when an
 * instruction might not fit. Growth failure marks the buffer failed instead of
 * returning through every emitter; the compiler checks once, at the end.
 */
#include <takara/error.h>

#include "wasm/jit/x86_64/encode.h"

#define X86_BUF_LIMIT (1u << 30) /* no function's code comes near; keeps sizes in 32 bits */

int x86_buf_init(struct x86_buf *b, uint32_t cap)
{
    if (cap < X86_MAX_INSN) cap = X86_MAX_INSN;
    *b = (struct x86_buf){0};
    b->code = wasm_platform_alloc(cap);
    if (!b->code) {
        b->failed = true;
        return TK_ERR_NOMEM;
    }
    b->cap = cap;
    return 0;
}

void x86_buf_free(struct x86_buf *b)
{
    wasm_platform_free(b->code);
    *b = (struct x86_buf){.failed = true};
}

int x86_buf_error(const struct x86_buf *b)
{
    return b->failed ? TK_ERR_NOMEM : 0;
}

bool x86_buf_reserve(struct x86_buf *b)
{
    uint8_t *grown;
    uint32_t cap;

    if (b->failed) return false;
    if (b->cap - b->len >= X86_MAX_INSN) return true;
    if (b->cap >= X86_BUF_LIMIT / 2) goto fail;
    cap = b->cap * 2;
    grown = wasm_platform_realloc(b->code, cap);
    if (!grown) goto fail;
    b->code = grown;
    b->cap = cap;
    return true;
fail:
    b->failed = true;
    return false;
}
