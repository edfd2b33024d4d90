/*
 * The x86-64 instruction encoder of the JIT: typed emitters that append machine code to a
 * growable buffer, with labels for branches and RIP-relative operands patched when the
 * label is bound. It knows the instruction set, not Wasm: the compiler above it decides
 * registers and sizes. Operands read in Intel order (destination first), and every
 * emitter picks the encoding the LLVM assembler picks for the same text (shortest
 * displacement and immediate, the accumulator short forms), so the tests can compare
 * with llvm-mc in both directions.
 *
 *   buf.c     the emit buffer          operand.c  REX, ModRM, SIB, displacements
 *   alu.c     add..cmp, test, neg/not  mov.c      moves, loads/stores, extensions, lea
 *   shift.c   shifts and rotates       muldiv.c   imul, mul, div, idiv, cdq/cqo
 *   bits.c    lzcnt, tzcnt, popcnt     label.c    labels and rel32 patching
 *   branch.c  jmp, jcc, setcc, cmov    call.c     call, ret, push/pop, traps, nop
 *   sse.c     SSE2 scalar float: arithmetic, moves, compares, conversions, masks
 *
 * An emitter never fails by itself: a buffer that cannot grow is marked failed, later
 * emitters do nothing, and x86_buf_error says so once at the end.
 */
#ifndef TAKARA_WASM_JIT_X86_H
#define TAKARA_WASM_JIT_X86_H

#include <stdbool.h>
#include <stdint.h>

struct x86_buf {
    uint8_t *code;
    uint32_t len, cap;
    bool failed;
};

/* Starts an empty buffer with room for `cap` bytes (grown on demand). */
int x86_buf_init(struct x86_buf *b, uint32_t cap);
void x86_buf_free(struct x86_buf *b);
/* 0, or TK_ERR_NOMEM if the buffer could not grow (its contents are then partial). */
int x86_buf_error(const struct x86_buf *b);

enum x86_reg {
    X86_RAX,
    X86_RCX,
    X86_RDX,
    X86_RBX,
    X86_RSP,
    X86_RBP,
    X86_RSI,
    X86_RDI,
    X86_R8,
    X86_R9,
    X86_R10,
    X86_R11,
    X86_R12,
    X86_R13,
    X86_R14,
    X86_R15,
};
enum x86_xmm {
    X86_XMM0,
    X86_XMM1,
    X86_XMM2,
    X86_XMM3,
    X86_XMM4,
    X86_XMM5,
    X86_XMM6,
    X86_XMM7,
    X86_XMM8,
    X86_XMM9,
    X86_XMM10,
    X86_XMM11,
    X86_XMM12,
    X86_XMM13,
    X86_XMM14,
    X86_XMM15,
};
/* Operand size in bytes. At 32 bits a register result zero-extends to 64. */
enum x86_size { X86_S8 = 1, X86_S16 = 2, X86_S32 = 4, X86_S64 = 8 };
/* Float precision of an SSE scalar instruction. */
enum x86_prec { X86_F32, X86_F64 };

/* Condition codes, numbered as the hardware numbers them (cc ^ 1 negates). */
enum x86_cond {
    X86_CC_O,
    X86_CC_NO,
    X86_CC_B,
    X86_CC_AE,
    X86_CC_E,
    X86_CC_NE,
    X86_CC_BE,
    X86_CC_A,
    X86_CC_S,
    X86_CC_NS,
    X86_CC_P,
    X86_CC_NP,
    X86_CC_L,
    X86_CC_GE,
    X86_CC_LE,
    X86_CC_G,
};

static inline enum x86_cond x86_cond_negate(enum x86_cond c)
{
    return (enum x86_cond)(c ^ 1);
}

/* A code position. Unbound, it chains the rel32 fields waiting for it through the
 * fields themselves (each holds the offset of the previous one), so a label is two
 * words however many branches target it. */
struct x86_label {
    int32_t pos;  /* bound offset, or -1 */
    int32_t link; /* offset of the last waiting rel32 field, or -1 */
};

void x86_label_init(struct x86_label *l);
/* Binds l to the current end of the buffer and patches every field waiting for it. */
void x86_label_bind(struct x86_buf *b, struct x86_label *l);
/* True if something still waits for l (an unbound label used by a branch). */
bool x86_label_pending(const struct x86_label *l);

#define X86_NOREG (-1) /* no base or no index */
#define X86_RIP   (-2) /* base: RIP-relative, disp counted from the end of the instruction */

/* A memory operand: [base + index * scale + disp], [rip + disp] or [rip + label]. */
struct x86_mem {
    int8_t base, index;
    uint8_t scale; /* 1, 2, 4 or 8 */
    int32_t disp;
    struct x86_label *label; /* RIP-relative to a label (no immediate may follow) */
};

static inline struct x86_mem x86_mem_base(enum x86_reg base, int32_t disp)
{
    return (struct x86_mem){(int8_t)base, X86_NOREG, 1, disp, 0};
}

static inline struct x86_mem x86_mem_sib(enum x86_reg base, enum x86_reg index, uint8_t scale,
                                         int32_t disp)
{
    return (struct x86_mem){(int8_t)base, (int8_t)index, scale, disp, 0};
}

/* [index * scale + disp32], no base */
static inline struct x86_mem x86_mem_index(enum x86_reg index, uint8_t scale, int32_t disp)
{
    return (struct x86_mem){X86_NOREG, (int8_t)index, scale, disp, 0};
}

/* [disp32] sign-extended: the top and bottom 2 GiB (the kernel image lives in the top) */
static inline struct x86_mem x86_mem_abs(int32_t disp)
{
    return (struct x86_mem){X86_NOREG, X86_NOREG, 1, disp, 0};
}

static inline struct x86_mem x86_mem_rip(int32_t disp)
{
    return (struct x86_mem){X86_RIP, X86_NOREG, 1, disp, 0};
}

static inline struct x86_mem x86_mem_rip_label(struct x86_label *l)
{
    return (struct x86_mem){X86_RIP, X86_NOREG, 1, 0, l};
}

/* Integer ALU (alu.c); the value is the /digit of the 80-83 group. */
enum x86_alu { X86_ADD, X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP };

void x86_alu_rr(struct x86_buf *b, enum x86_alu op, enum x86_size s, enum x86_reg dst,
                enum x86_reg src);
void x86_alu_ri(struct x86_buf *b, enum x86_alu op, enum x86_size s, enum x86_reg dst, int32_t imm);
void x86_alu_rm(struct x86_buf *b, enum x86_alu op, enum x86_size s, enum x86_reg dst,
                const struct x86_mem *src);
void x86_alu_mr(struct x86_buf *b, enum x86_alu op, enum x86_size s, const struct x86_mem *dst,
                enum x86_reg src);
void x86_alu_mi(struct x86_buf *b, enum x86_alu op, enum x86_size s, const struct x86_mem *dst,
                int32_t imm);
void x86_test_rr(struct x86_buf *b, enum x86_size s, enum x86_reg a, enum x86_reg c);
void x86_test_ri(struct x86_buf *b, enum x86_size s, enum x86_reg a, int32_t imm);
void x86_neg_r(struct x86_buf *b, enum x86_size s, enum x86_reg r);
void x86_not_r(struct x86_buf *b, enum x86_size s, enum x86_reg r);

/* Moves (mov.c). x86_mov_ri at 64 bits takes the shortest of mov r32 (zero-extended),
 * mov r64 with a sign-extended imm32, and movabs. */
void x86_mov_rr(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_reg src);
void x86_mov_ri(struct x86_buf *b, enum x86_size s, enum x86_reg dst, int64_t imm);
void x86_mov_rm(struct x86_buf *b, enum x86_size s, enum x86_reg dst, const struct x86_mem *src);
void x86_mov_mr(struct x86_buf *b, enum x86_size s, const struct x86_mem *dst, enum x86_reg src);
void x86_mov_mi(struct x86_buf *b, enum x86_size s, const struct x86_mem *dst, int32_t imm);
/* Zero/sign extension from `from` (8 or 16; movsx also 32, to 64) to `to` (32 or 64). */
void x86_movzx_rr(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  enum x86_reg src);
void x86_movzx_rm(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  const struct x86_mem *src);
void x86_movsx_rr(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  enum x86_reg src);
void x86_movsx_rm(struct x86_buf *b, enum x86_size to, enum x86_size from, enum x86_reg dst,
                  const struct x86_mem *src);
void x86_lea(struct x86_buf *b, enum x86_size s, enum x86_reg dst, const struct x86_mem *src);

/* Shifts and rotates (shift.c): by an immediate or by CL. */
enum x86_shift { X86_ROL = 0, X86_ROR = 1, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7 };

void x86_shift_ri(struct x86_buf *b, enum x86_shift op, enum x86_size s, enum x86_reg r,
                  uint8_t imm);
void x86_shift_rcl(struct x86_buf *b, enum x86_shift op, enum x86_size s, enum x86_reg r);

/* Multiply and divide (muldiv.c). The one-operand forms work on rdx:rax. */
enum x86_muldiv { X86_MUL = 4, X86_IMUL1 = 5, X86_DIV = 6, X86_IDIV = 7 };

void x86_imul_rr(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_reg src);
void x86_imul_rm(struct x86_buf *b, enum x86_size s, enum x86_reg dst, const struct x86_mem *src);
void x86_imul_rri(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_reg src,
                  int32_t imm);
void x86_muldiv_r(struct x86_buf *b, enum x86_muldiv op, enum x86_size s, enum x86_reg r);
/* cdq (32) or cqo (64): sign of rax into rdx, before idiv. */
void x86_sign_extend_rax(struct x86_buf *b, enum x86_size s);

/* Bit counts (bits.c): lzcnt and tzcnt need BMI/ABM (every x86-64 since 2013). */
enum x86_bitcount { X86_LZCNT, X86_TZCNT, X86_POPCNT };

void x86_bitcount_rr(struct x86_buf *b, enum x86_bitcount op, enum x86_size s, enum x86_reg dst,
                     enum x86_reg src);

/* Branches and conditional data (branch.c). Jumps to bound labels take rel8 when it
 * fits; forward jumps always take rel32. */
void x86_jmp(struct x86_buf *b, struct x86_label *target);
void x86_jcc(struct x86_buf *b, enum x86_cond c, struct x86_label *target);
void x86_setcc(struct x86_buf *b, enum x86_cond c, enum x86_reg dst);
void x86_cmov_rr(struct x86_buf *b, enum x86_cond c, enum x86_size s, enum x86_reg dst,
                 enum x86_reg src);
void x86_cmov_rm(struct x86_buf *b, enum x86_cond c, enum x86_size s, enum x86_reg dst,
                 const struct x86_mem *src);

/* Calls, stack and odds (call.c). */
void x86_call(struct x86_buf *b, struct x86_label *target);
void x86_call_r(struct x86_buf *b, enum x86_reg target);
void x86_call_m(struct x86_buf *b, const struct x86_mem *target);
void x86_jmp_r(struct x86_buf *b, enum x86_reg target);
void x86_jmp_m(struct x86_buf *b, const struct x86_mem *target);
void x86_ret(struct x86_buf *b);
void x86_push_r(struct x86_buf *b, enum x86_reg r);
void x86_pop_r(struct x86_buf *b, enum x86_reg r);
void x86_ud2(struct x86_buf *b);
void x86_int3(struct x86_buf *b);
void x86_nop(struct x86_buf *b);

/* SSE2 scalar float (sse.c); the value is the opcode after 0F. sqrt takes one operand
 * (dst = sqrt(src)); the others are dst = dst op src. */
enum x86_sse {
    X86_SQRTS = 0x51,
    X86_ADDS = 0x58,
    X86_MULS = 0x59,
    X86_SUBS = 0x5c,
    X86_MINS = 0x5d,
    X86_DIVS = 0x5e,
    X86_MAXS = 0x5f,
};
/* Bitwise ops on whole registers, ps or pd by precision (abs, neg, copysign). */
enum x86_sse_logic { X86_ANDP = 0x54, X86_ANDNP = 0x55, X86_ORP = 0x56, X86_XORP = 0x57 };
/* roundss/roundsd immediates (SSE4.1), with the precision exception suppressed. */
enum x86_round {
    X86_ROUND_NEAREST = 8,
    X86_ROUND_FLOOR = 9,
    X86_ROUND_CEIL = 10,
    X86_ROUND_TRUNC = 11
};

void x86_sse_rr(struct x86_buf *b, enum x86_sse op, enum x86_prec p, enum x86_xmm dst,
                enum x86_xmm src);
void x86_sse_rm(struct x86_buf *b, enum x86_sse op, enum x86_prec p, enum x86_xmm dst,
                const struct x86_mem *src);
void x86_sse_logic_rr(struct x86_buf *b, enum x86_sse_logic op, enum x86_prec p, enum x86_xmm dst,
                      enum x86_xmm src);
void x86_sse_logic_rm(struct x86_buf *b, enum x86_sse_logic op, enum x86_prec p, enum x86_xmm dst,
                      const struct x86_mem *src);
void x86_round(struct x86_buf *b, enum x86_prec p, enum x86_xmm dst, enum x86_xmm src,
               enum x86_round mode);
/* movss/movsd between registers (merges the low lane), load (zeroes the rest), store. */
void x86_movs_rr(struct x86_buf *b, enum x86_prec p, enum x86_xmm dst, enum x86_xmm src);
void x86_movs_rm(struct x86_buf *b, enum x86_prec p, enum x86_xmm dst, const struct x86_mem *src);
void x86_movs_mr(struct x86_buf *b, enum x86_prec p, const struct x86_mem *dst, enum x86_xmm src);
/* movaps: a whole-register copy without a false dependency on dst. */
void x86_movaps(struct x86_buf *b, enum x86_xmm dst, enum x86_xmm src);
/* movd/movq between a general register (32 or 64 bits) and the low lane. */
void x86_movd_xr(struct x86_buf *b, enum x86_size s, enum x86_xmm dst, enum x86_reg src);
void x86_movd_rx(struct x86_buf *b, enum x86_size s, enum x86_reg dst, enum x86_xmm src);
/* ucomiss/ucomisd: unordered compare into ZF, PF, CF (PF set: a NaN). */
void x86_ucomis(struct x86_buf *b, enum x86_prec p, enum x86_xmm a, enum x86_xmm c);
void x86_ucomis_m(struct x86_buf *b, enum x86_prec p, enum x86_xmm a, const struct x86_mem *c);
/* cvtsi2ss/sd from a signed 32- or 64-bit integer; cvttss2si/sd2si truncating to one. */
void x86_cvtsi2s(struct x86_buf *b, enum x86_prec p, enum x86_size s, enum x86_xmm dst,
                 enum x86_reg src);
void x86_cvtts2si(struct x86_buf *b, enum x86_prec p, enum x86_size s, enum x86_reg dst,
                  enum x86_xmm src);
/* cvtss2sd (to F64) or cvtsd2ss (to F32). */
void x86_cvts2s(struct x86_buf *b, enum x86_prec to, enum x86_xmm dst, enum x86_xmm src);

#endif
