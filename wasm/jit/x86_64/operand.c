/*
 * Operand encoding: prefixes, REX, opcode bytes, ModRM, SIB and displacement for the
 * three instruction shapes of encode.h. The irregular corners of x86-64 live here:
 * rsp/r12 as a base need a SIB byte; rbp/r13 as a base need a displacement even when it
 * is zero; rsp cannot be an index; no base at all means SIB base 101 with a disp32
 * (an index scaled by one is a base instead);
 * spl/bpl/sil/dil exist only with a REX prefix (without one the same numbers are
 * ah/ch/dh/bh).
 */
#include "wasm/jit/x86_64/encode.h"

static void enc_prefix(struct x86_buf *b, uint32_t flags, unsigned r, unsigned x, unsigned bb,
                       bool byte_rex)
{
    unsigned rex =
        ((flags & X86_F_W) ? 8 : 0) | ((r >> 3) & 1) << 2 | ((x >> 3) & 1) << 1 | ((bb >> 3) & 1);

    if (flags & X86_F_66) x86_put8(b, 0x66);
    if (flags & X86_F_F2) x86_put8(b, 0xf2);
    if (flags & X86_F_F3) x86_put8(b, 0xf3);
    if (rex || byte_rex) x86_put8(b, 0x40 | rex);
}

static void enc_opcode(struct x86_buf *b, uint32_t op)
{
    if (op > 0xffff) x86_put8(b, op >> 16);
    if (op > 0xff) x86_put8(b, op >> 8);
    x86_put8(b, op);
}

/* spl, bpl, sil, dil: without a REX these numbers mean ah, ch, dh, bh */
static bool is_rex_byte_reg(unsigned r)
{
    return r >= 4 && r <= 7;
}

void x86_enc_rr(struct x86_buf *b, uint32_t flags, uint32_t op, unsigned reg, unsigned rm)
{
    bool byte_rex = ((flags & X86_F_BYTE) && (is_rex_byte_reg(reg) || is_rex_byte_reg(rm))) ||
                    ((flags & X86_F_BYTE_RM) && is_rex_byte_reg(rm));

    WASM_ASSERT(reg < 16 && rm < 16);
    if (!x86_buf_reserve(b)) return;
    enc_prefix(b, flags, reg, 0, rm, byte_rex);
    enc_opcode(b, op);
    x86_put8(b, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

void x86_enc_o(struct x86_buf *b, uint32_t flags, uint32_t op, unsigned reg)
{
    WASM_ASSERT(reg < 16);
    if (!x86_buf_reserve(b)) return;
    enc_prefix(b, flags, 0, 0, reg, (flags & X86_F_BYTE) && is_rex_byte_reg(reg));
    enc_opcode(b, op + (reg & 7));
}

static unsigned scale_bits(uint8_t scale)
{
    switch (scale) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    }
    WASM_ASSERT(!"scale is 1, 2, 4 or 8");
    return 0;
}

/* [index*1 + disp] is [base + disp], which needs no SIB byte: the form assemblers pick */
static struct x86_mem canonical(const struct x86_mem *m)
{
    if (m->base == X86_NOREG && m->index != X86_NOREG && m->scale == 1)
        return x86_mem_base((enum x86_reg)m->index, m->disp);
    return *m;
}

void x86_enc_rm(struct x86_buf *b, uint32_t flags, uint32_t op, unsigned reg,
                const struct x86_mem *operand, unsigned imm_len)
{
    struct x86_mem c = canonical(operand);
    const struct x86_mem *m = &c;
    bool has_index = m->index != X86_NOREG;
    unsigned index = has_index ? (unsigned)m->index : 4; /* 100: no index */
    unsigned base = m->base >= 0 ? (unsigned)m->base : 0, mod, modrm_reg = (reg & 7) << 3;

    WASM_ASSERT(reg < 16 && m->base < 16 && m->index < 16);
    WASM_ASSERT(m->index != X86_RSP && m->index != X86_RIP);
    WASM_ASSERT(!m->label || (m->base == X86_RIP && imm_len == 0));
    if (!x86_buf_reserve(b)) return;
    enc_prefix(b, flags, reg, has_index ? index : 0, base,
               (flags & X86_F_BYTE) && is_rex_byte_reg(reg));
    enc_opcode(b, op);
    if (m->base == X86_RIP) {
        x86_put8(b, modrm_reg | 5); /* mod 00, rm 101 */
        if (m->label)
            x86_label_rel32(b, m->label);
        else
            x86_put32(b, (uint32_t)m->disp);
        return;
    }
    if (m->base == X86_NOREG) {
        x86_put8(b, modrm_reg | 4);                                    /* mod 00, SIB follows */
        x86_put8(b, scale_bits(m->scale) << 6 | (index & 7) << 3 | 5); /* base 101: disp32 */
        x86_put32(b, (uint32_t)m->disp);
        return;
    }
    if (m->disp == 0 && (base & 7) != 5)
        mod = 0;
    else if (x86_fits8(m->disp))
        mod = 1;
    else
        mod = 2;
    if (has_index || (base & 7) == 4) {
        x86_put8(b, mod << 6 | modrm_reg | 4);
        x86_put8(b, scale_bits(m->scale) << 6 | (index & 7) << 3 | (base & 7));
    } else {
        x86_put8(b, mod << 6 | modrm_reg | (base & 7));
    }
    if (mod == 1) x86_put8(b, (uint32_t)m->disp);
    if (mod == 2) x86_put32(b, (uint32_t)m->disp);
}
