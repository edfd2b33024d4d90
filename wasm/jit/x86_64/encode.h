/*
 * The encoder's internal layer, shared by its emitters: byte output into a buffer with
 * room reserved per instruction, and the generic instruction shape
 *
 *     [66|F2|F3] [REX] opcode(1-3 bytes) ModRM [SIB] [disp8|disp32] (immediate)
 *
 * built by x86_enc_rr (register operand in r/m), x86_enc_rm (memory operand) and
 * x86_enc_o (register in the opcode's low bits). Each starts an instruction (reserves
 * room for the longest one), so an emitter calls exactly one of them, or
 * x86_buf_reserve, before putting its immediates.
 */
#ifndef TAKARA_WASM_JIT_X86_ENCODE_H
#define TAKARA_WASM_JIT_X86_ENCODE_H

#include "wasm/jit/x86_64/x86.h"
#include "wasm/shim.h"

#define X86_MAX_INSN 16 /* the architectural limit is 15 */

/* Instruction shape flags. */
#define X86_F_66      0x01u /* operand-size prefix, or SSE mandatory prefix */
#define X86_F_F2      0x02u
#define X86_F_F3      0x04u
#define X86_F_W       0x08u /* REX.W: 64-bit operand */
#define X86_F_BYTE    0x10u /* byte registers: spl, bpl, sil, dil need an (empty) REX */
#define X86_F_BYTE_RM 0x20u /* only the r/m register is a byte register (movzx, setcc) */

/* Makes room for one instruction; false (and the buffer failed) if it cannot grow. */
bool x86_buf_reserve(struct x86_buf *b);

static inline void x86_put8(struct x86_buf *b, uint32_t v)
{
    if (b->failed) return;
    WASM_ASSERT(b->len < b->cap);
    b->code[b->len++] = (uint8_t)v;
}

static inline void x86_put32(struct x86_buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++) x86_put8(b, v >> (8 * i));
}

static inline void x86_put64(struct x86_buf *b, uint64_t v)
{
    x86_put32(b, (uint32_t)v);
    x86_put32(b, (uint32_t)(v >> 32));
}

/* An immediate of operand size s: 64-bit operations take a sign-extended imm32. */
static inline void x86_put_imm(struct x86_buf *b, enum x86_size s, int32_t imm)
{
    x86_put8(b, (uint32_t)imm);
    if (s == X86_S8) return;
    x86_put8(b, (uint32_t)imm >> 8);
    if (s == X86_S16) return;
    x86_put8(b, (uint32_t)imm >> 16);
    x86_put8(b, (uint32_t)imm >> 24);
}

static inline unsigned x86_imm_len(enum x86_size s)
{
    return s == X86_S64 ? 4 : s;
}

static inline bool x86_fits8(int64_t v)
{
    return v >= -128 && v <= 127;
}

/* Flags and byte-form opcode adjustment of a classic integer operation of size s: the
 * 8-bit form is the opcode below the 16/32/64-bit one (00/01, 88/89, F6/F7, ...). */
static inline uint32_t x86_size_flags(enum x86_size s)
{
    switch (s) {
    case X86_S8: return X86_F_BYTE;
    case X86_S16: return X86_F_66;
    case X86_S32: return 0;
    default: return X86_F_W;
    }
}

/* The same for an operation whose ModRM reg field is an opcode extension (/digit), not a
 * register: only the r/m operand can be a byte register. */
static inline uint32_t x86_size_flags_digit(enum x86_size s)
{
    return s == X86_S8 ? X86_F_BYTE_RM : x86_size_flags(s);
}

static inline uint32_t x86_size_op(enum x86_size s, uint32_t op)
{
    return s == X86_S8 ? op - 1 : op;
}

void x86_enc_rr(struct x86_buf *b, uint32_t flags, uint32_t op, unsigned reg, unsigned rm);
/* imm_len: bytes of immediate that will follow (RIP-relative displacements count from
 * the end of the instruction). */
void x86_enc_rm(struct x86_buf *b, uint32_t flags, uint32_t op, unsigned reg,
                const struct x86_mem *m, unsigned imm_len);
void x86_enc_o(struct x86_buf *b, uint32_t flags, uint32_t op, unsigned reg);

/* A rel32 field at the end of an instruction, aimed at l (label.c). */
void x86_label_rel32(struct x86_buf *b, struct x86_label *l);

#endif
