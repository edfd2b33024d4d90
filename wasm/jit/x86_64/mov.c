/*
 * Moves: register copies, immediates, loads and stores of 8 to 64 bits, zero and sign
 * extension (movzx, movsx, movsxd), and lea. A 32-bit move zero-extends into the full
 * register, which is how the compiler wraps i64 to i32 and zero-extends i32 to i64.
 */
#include "wasm/jit/x86_64/encode.h"

void x86_mov_rr(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_reg src)
{
    x86_enc_rr(b, x86_size_flags(s), x86_size_op(s, 0x89), src, dst);
}

void x86_mov_ri(struct x86_buf *b, enum x86_size s, enum x86_reg dst, int64_t imm)
{
    if (s == X86_S64 && imm < 0 && imm >= INT32_MIN) {
        x86_enc_rr(b, X86_F_W, 0xc7, 0, dst); /* sign-extended imm32 */
        x86_put32(b, (uint32_t)imm);
        return;
    }
    if (s == X86_S64 && (uint64_t)imm > UINT32_MAX) {
        x86_enc_o(b, X86_F_W, 0xb8, dst); /* movabs */
        x86_put64(b, (uint64_t)imm);
        return;
    }
    if (s == X86_S64) s = X86_S32; /* a zero-extended imm32 is the shortest */
    x86_enc_o(b, x86_size_flags(s), s == X86_S8 ? 0xb0 : 0xb8, dst);
    x86_put_imm(b, s, (int32_t)imm);
}

void x86_mov_rm(struct x86_buf *b, enum x86_size s, enum x86_reg dst, const struct x86_mem *src)
{
    x86_enc_rm(b, x86_size_flags(s), x86_size_op(s, 0x8b), dst, src, 0);
}

void x86_mov_mr(struct x86_buf *b, enum x86_size s, const struct x86_mem *dst, enum x86_reg src)
{
    x86_enc_rm(b, x86_size_flags(s), x86_size_op(s, 0x89), src, dst, 0);
}

void x86_mov_mi(struct x86_buf *b, enum x86_size s, const struct x86_mem *dst, int32_t imm)
{
    x86_enc_rm(b, x86_size_flags_digit(s), x86_size_op(s, 0xc7), 0, dst, x86_imm_len(s));
    x86_put_imm(b, s, imm);
}

/* The flags of an extension to <- from: REX.W from the destination's size, the byte
 * register rule for an 8-bit source register only. */
static uint32_t ext_flags(enum x86_size to, enum x86_size from)
{
    WASM_ASSERT(to == X86_S32 || to == X86_S64);
    WASM_ASSERT(from < to);
    return (to == X86_S64 ? X86_F_W : 0) | (from == X86_S8 ? X86_F_BYTE_RM : 0);
}

void x86_movzx_rr(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  enum x86_reg src)
{
    WASM_ASSERT(from == X86_S8 || from == X86_S16);
    x86_enc_rr(b, ext_flags(to, from), from == X86_S8 ? 0x0fb6 : 0x0fb7, dst, src);
}

void x86_movzx_rm(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  const struct x86_mem *src)
{
    WASM_ASSERT(from == X86_S8 || from == X86_S16);
    x86_enc_rm(b, ext_flags(to, from), from == X86_S8 ? 0x0fb6 : 0x0fb7, dst, src, 0);
}

static uint32_t movsx_op(enum x86_size to, enum x86_size from)
{
    WASM_ASSERT(from != X86_S32 || to == X86_S64);
    return from == X86_S8 ? 0x0fbe : from == X86_S16 ? 0x0fbf : 0x63;
}

void x86_movsx_rr(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  enum x86_reg src)
{
    x86_enc_rr(b, ext_flags(to, from), movsx_op(to, from), dst, src);
}

void x86_movsx_rm(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  const struct x86_mem *src)
{
    x86_enc_rm(b, ext_flags(to, from), movsx_op(to, from), dst, src, 0);
}

void x86_lea(struct x86_buf *b, enum x86_size s, enum x86_reg dst, const struct x86_mem *src)
{
    WASM_ASSERT(s == X86_S32 || s == X86_S64);
    x86_enc_rm(b, x86_size_flags(s), 0x8d, dst, src, 0);
}
