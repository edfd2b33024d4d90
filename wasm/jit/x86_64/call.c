/*
 * Calls and the stack: direct calls to labels (other functions of the same code block),
 * indirect calls and jumps through a register or memory (imports, call_indirect, tables
 * of code), ret, push/pop, and the single-byte odds: int3, nop, and ud2 for paths that
 * must never run.
 */
#include "wasm/jit/x86_64/encode.h"

void x86_call(struct x86_buf *b, struct x86_label *target)
{
    if (!x86_buf_reserve(b)) return;
    x86_put8(b, 0xe8);
    x86_label_rel32(b, target);
}

/* Near indirect branches default to 64-bit operands: no REX.W. */
void x86_call_r(struct x86_buf *b, enum x86_reg target)
{
    x86_enc_rr(b, 0, 0xff, 2, target);
}

void x86_call_m(struct x86_buf *b, const struct x86_mem *target)
{
    x86_enc_rm(b, 0, 0xff, 2, target, 0);
}

void x86_jmp_r(struct x86_buf *b, enum x86_reg target)
{
    x86_enc_rr(b, 0, 0xff, 4, target);
}

void x86_jmp_m(struct x86_buf *b, const struct x86_mem *target)
{
    x86_enc_rm(b, 0, 0xff, 4, target, 0);
}

void x86_push_r(struct x86_buf *b, enum x86_reg r)
{
    x86_enc_o(b, 0, 0x50, r);
}

void x86_pop_r(struct x86_buf *b, enum x86_reg r)
{
    x86_enc_o(b, 0, 0x58, r);
}

static void put_single(struct x86_buf *b, uint32_t op)
{
    if (!x86_buf_reserve(b)) return;
    if (op > 0xff) x86_put8(b, op >> 8);
    x86_put8(b, op);
}

void x86_ret(struct x86_buf *b)
{
    put_single(b, 0xc3);
}

void x86_ud2(struct x86_buf *b)
{
    put_single(b, 0x0f0b);
}

void x86_int3(struct x86_buf *b)
{
    put_single(b, 0xcc);
}

void x86_nop(struct x86_buf *b)
{
    put_single(b, 0x90);
}
