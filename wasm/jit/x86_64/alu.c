/*
 * Integer ALU: the eight classic two-operand operations (one opcode row each: op*8+0..5
 * and the 80/81/83 immediate group with the operation as /digit), test, neg and not.
 * Immediates take the sign-extended imm8 form when they fit, else the accumulator short
 * form when the destination is al/ax/eax/rax, else the full immediate.
 */
#include "wasm/jit/x86_64/encode.h"

void x86_alu_rr(struct x86_buf *b, enum x86_alu op, enum x86_size s, enum x86_reg dst,
                enum x86_reg src)
{
    x86_enc_rr(b, x86_size_flags(s), x86_size_op(s, op * 8u + 1), src, dst);
}

void x86_alu_rm(struct x86_buf *b, enum x86_alu op, enum x86_size s, enum x86_reg dst,
                const struct x86_mem *src)
{
    x86_enc_rm(b, x86_size_flags(s), x86_size_op(s, op * 8u + 3), dst, src, 0);
}

void x86_alu_mr(struct x86_buf *b, enum x86_alu op, enum x86_size s, const struct x86_mem *dst,
                enum x86_reg src)
{
    x86_enc_rm(b, x86_size_flags(s), x86_size_op(s, op * 8u + 1), src, dst, 0);
}

void x86_alu_ri(struct x86_buf *b, enum x86_alu op, enum x86_size s, enum x86_reg dst, int32_t imm)
{
    uint32_t flags = x86_size_flags_digit(s);

    if (s != X86_S8 && x86_fits8(imm)) {
        x86_enc_rr(b, flags, 0x83, op, dst);
        x86_put8(b, (uint32_t)imm);
        return;
    }
    if (dst == X86_RAX) /* the accumulator form: add eax, imm32 is 05 id */
        x86_enc_o(b, flags, x86_size_op(s, op * 8u + 5), X86_RAX);
    else
        x86_enc_rr(b, flags, x86_size_op(s, 0x81), op, dst);
    x86_put_imm(b, s, imm);
}

void x86_alu_mi(struct x86_buf *b, enum x86_alu op, enum x86_size s, const struct x86_mem *dst,
                int32_t imm)
{
    uint32_t flags = x86_size_flags_digit(s);

    if (s != X86_S8 && x86_fits8(imm)) {
        x86_enc_rm(b, flags, 0x83, op, dst, 1);
        x86_put8(b, (uint32_t)imm);
        return;
    }
    x86_enc_rm(b, flags, x86_size_op(s, 0x81), op, dst, x86_imm_len(s));
    x86_put_imm(b, s, imm);
}

void x86_test_rr(struct x86_buf *b, enum x86_size s, enum x86_reg a, enum x86_reg c)
{
    x86_enc_rr(b, x86_size_flags(s), x86_size_op(s, 0x85), c, a);
}

void x86_test_ri(struct x86_buf *b, enum x86_size s, enum x86_reg a, int32_t imm)
{
    uint32_t flags = x86_size_flags_digit(s);

    if (a == X86_RAX) /* test has no imm8 form: only the accumulator one is shorter */
        x86_enc_o(b, flags, x86_size_op(s, 0xa9), X86_RAX);
    else
        x86_enc_rr(b, flags, x86_size_op(s, 0xf7), 0, a);
    x86_put_imm(b, s, imm);
}

void x86_neg_r(struct x86_buf *b, enum x86_size s, enum x86_reg r)
{
    x86_enc_rr(b, x86_size_flags_digit(s), x86_size_op(s, 0xf7), 3, r);
}

void x86_not_r(struct x86_buf *b, enum x86_size s, enum x86_reg r)
{
    x86_enc_rr(b, x86_size_flags_digit(s), x86_size_op(s, 0xf7), 2, r);
}
