/*
 * Multiplication and division: the two- and three-operand imul (the low half, all
 * Wasm's i32.mul/i64.mul need), and the F6/F7 group working on rdx:rax (mul, imul, div,
 * idiv: the widening multiply and both divisions; the caller checks for zero and for
 * INT_MIN / -1, which fault here but trap in Wasm) with the sign extension before idiv.
 */
#include "wasm/jit/x86_64/encode.h"

void x86_imul_rr(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_reg src)
{
    WASM_ASSERT(s != X86_S8);
    x86_enc_rr(b, x86_size_flags(s), 0x0faf, dst, src);
}

void x86_imul_rm(struct x86_buf *b, enum x86_size s, enum x86_reg dst, const struct x86_mem *src)
{
    WASM_ASSERT(s != X86_S8);
    x86_enc_rm(b, x86_size_flags(s), 0x0faf, dst, src, 0);
}

void x86_imul_rri(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_reg src,
                  int32_t imm)
{
    WASM_ASSERT(s != X86_S8);
    if (x86_fits8(imm)) {
        x86_enc_rr(b, x86_size_flags(s), 0x6b, dst, src);
        x86_put8(b, (uint32_t)imm);
        return;
    }
    x86_enc_rr(b, x86_size_flags(s), 0x69, dst, src);
    x86_put_imm(b, s, imm);
}

void x86_muldiv_r(struct x86_buf *b, enum x86_muldiv op, enum x86_size s, enum x86_reg r)
{
    x86_enc_rr(b, x86_size_flags_digit(s), x86_size_op(s, 0xf7), op, r);
}

void x86_sign_extend_rax(struct x86_buf *b, enum x86_size s)
{
    WASM_ASSERT(s != X86_S8);
    x86_enc_o(b, x86_size_flags(s), 0x99, X86_RAX); /* cwd, cdq, cqo */
}
