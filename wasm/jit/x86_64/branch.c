/*
 * Control flow inside a function and branch-free conditionals: jmp and jcc to labels
 * (rel8 backwards when it reaches, rel32 otherwise and always forwards, since a single
 * pass cannot know a forward distance), setcc into a byte register and cmov.
 */
#include "wasm/jit/x86_64/encode.h"

/* A backward jump to a bound label in `short_len` bytes, if rel8 reaches; else false. */
static bool jump_short(struct x86_buf *b, const struct x86_label *l, uint32_t op,
                       unsigned short_len)
{
    int64_t rel;

    if (l->pos < 0 || !x86_buf_reserve(b)) return false;
    rel = (int64_t)l->pos - ((int64_t)b->len + short_len);
    if (!x86_fits8(rel)) return false;
    x86_put8(b, op);
    x86_put8(b, (uint32_t)rel);
    return true;
}

void x86_jmp(struct x86_buf *b, struct x86_label *target)
{
    if (jump_short(b, target, 0xeb, 2) || !x86_buf_reserve(b)) return;
    x86_put8(b, 0xe9);
    x86_label_rel32(b, target);
}

void x86_jcc(struct x86_buf *b, enum x86_cond c, struct x86_label *target)
{
    if (jump_short(b, target, 0x70u + c, 2) || !x86_buf_reserve(b)) return;
    x86_put8(b, 0x0f);
    x86_put8(b, 0x80u + c);
    x86_label_rel32(b, target);
}

void x86_setcc(struct x86_buf *b, enum x86_cond c, enum x86_reg dst)
{
    x86_enc_rr(b, X86_F_BYTE_RM, 0x0f90u + c, 0, dst);
}

void x86_cmov_rr(struct x86_buf *b, enum x86_cond c, enum x86_size s, enum x86_reg dst,
                 enum x86_reg src)
{
    WASM_ASSERT(s != X86_S8);
    x86_enc_rr(b, x86_size_flags(s), 0x0f40u + c, dst, src);
}

void x86_cmov_rm(struct x86_buf *b, enum x86_cond c, enum x86_size s, enum x86_reg dst,
                 const struct x86_mem *src)
{
    WASM_ASSERT(s != X86_S8);
    x86_enc_rm(b, x86_size_flags(s), 0x0f40u + c, dst, src, 0);
}
