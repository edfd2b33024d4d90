/*
 * SSE2 scalar floating point, the f32/f64 half of Wasm: arithmetic (ss/sd by the
 * mandatory F3/F2 prefix), bitwise masks on whole registers (ps/pd: abs, neg, copysign),
 * moves between registers, memory and general registers, the unordered compare, and the
 * conversions. roundss/roundsd are SSE4.1 (floor, ceil, trunc, nearest in one
 * instruction); a compiler for older parts would test CPUID and call out instead.
 */
#include "wasm/jit/x86_64/encode.h"

static uint32_t scalar(enum x86_prec p)
{
    return p == X86_F32 ? X86_F_F3 : X86_F_F2;
}

static uint32_t packed(enum x86_prec p)
{
    return p == X86_F32 ? 0 : X86_F_66;
}

static uint32_t gpr_size(enum x86_size s)
{
    WASM_ASSERT(s == X86_S32 || s == X86_S64);
    return s == X86_S64 ? X86_F_W : 0;
}

void x86_sse_rr(struct x86_buf *b, enum x86_sse op, enum x86_prec p, enum x86_xmm dst,
                enum x86_xmm src)
{
    x86_enc_rr(b, scalar(p), 0x0f00u | op, dst, src);
}

void x86_sse_rm(struct x86_buf *b, enum x86_sse op, enum x86_prec p, enum x86_xmm dst,
                const struct x86_mem *src)
{
    x86_enc_rm(b, scalar(p), 0x0f00u | op, dst, src, 0);
}

void x86_sse_logic_rr(struct x86_buf *b, enum x86_sse_logic op, enum x86_prec p, enum x86_xmm dst,
                      enum x86_xmm src)
{
    x86_enc_rr(b, packed(p), 0x0f00u | op, dst, src);
}

void x86_sse_logic_rm(struct x86_buf *b, enum x86_sse_logic op, enum x86_prec p, enum x86_xmm dst,
                      const struct x86_mem *src)
{
    x86_enc_rm(b, packed(p), 0x0f00u | op, dst, src, 0);
}

void x86_round(struct x86_buf *b, enum x86_prec p, enum x86_xmm dst, enum x86_xmm src,
               enum x86_round mode)
{
    x86_enc_rr(b, X86_F_66, p == X86_F32 ? 0x0f3a0a : 0x0f3a0b, dst, src);
    x86_put8(b, mode);
}

void x86_movs_rr(struct x86_buf *b, enum x86_prec p, enum x86_xmm dst, enum x86_xmm src)
{
    x86_enc_rr(b, scalar(p), 0x0f10, dst, src);
}

void x86_movs_rm(struct x86_buf *b, enum x86_prec p, enum x86_xmm dst, const struct x86_mem *src)
{
    x86_enc_rm(b, scalar(p), 0x0f10, dst, src, 0);
}

void x86_movs_mr(struct x86_buf *b, enum x86_prec p, const struct x86_mem *dst, enum x86_xmm src)
{
    x86_enc_rm(b, scalar(p), 0x0f11, src, dst, 0);
}

void x86_movaps(struct x86_buf *b, enum x86_xmm dst, enum x86_xmm src)
{
    x86_enc_rr(b, 0, 0x0f28, dst, src);
}

void x86_movd_xr(struct x86_buf *b, enum x86_size s, enum x86_xmm dst, enum x86_reg src)
{
    x86_enc_rr(b, X86_F_66 | gpr_size(s), 0x0f6e, dst, src);
}

void x86_movd_rx(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_xmm src)
{
    x86_enc_rr(b, X86_F_66 | gpr_size(s), 0x0f7e, src, dst);
}

void x86_ucomis(struct x86_buf *b, enum x86_prec p, enum x86_xmm a, enum x86_xmm c)
{
    x86_enc_rr(b, packed(p), 0x0f2e, a, c);
}

void x86_ucomis_m(struct x86_buf *b, enum x86_prec p, enum x86_xmm a, const struct x86_mem *c)
{
    x86_enc_rm(b, packed(p), 0x0f2e, a, c, 0);
}

void x86_cvtsi2s(struct x86_buf *b, enum x86_prec p, enum x86_size s, enum x86_xmm dst,
                 enum x86_reg src)
{
    x86_enc_rr(b, scalar(p) | gpr_size(s), 0x0f2a, dst, src);
}

void x86_cvtts2si(struct x86_buf *b, enum x86_prec p, enum x86_size s, enum x86_reg dst,
                  enum x86_xmm src)
{
    x86_enc_rr(b, scalar(p) | gpr_size(s), 0x0f2c, dst, src);
}

void x86_cvts2s(struct x86_buf *b, enum x86_prec to, enum x86_xmm dst, enum x86_xmm src)
{
    x86_enc_rr(b, to == X86_F64 ? X86_F_F3 : X86_F_F2, 0x0f5a, dst, src);
}
