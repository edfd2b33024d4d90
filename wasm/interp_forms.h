/*
 * The dispatch loop's handler templates: one macro per shape of instruction, expanding to
 * the handler of the plain Wasm instruction and of its fused forms (interp.h). Included
 * only by interp.c, inside run_loop's scope: the macros use its locals (pc, sp, fp,
 * labels, mem_base, mem_size, r) and its trap label.
 */
#ifndef TAKARA_WASM_INTERP_FORMS_H
#define TAKARA_WASM_INTERP_FORMS_H

#include <stdint.h>

/* pc points at the opcode of the running instruction, its operands at pc[1..]; a handler
 * leaves pc on its last word and NEXT steps to the next opcode, so the step folds into
 * the handler's own pc += n and the dispatch is a load and an indirect jump. */
#define NEXT()                                                                                     \
    do {                                                                                           \
        pc++;                                                                                      \
        goto *labels[*pc];                                                                         \
    } while (0)
#define TRAP(k)                                                                                    \
    do {                                                                                           \
        trap_kind = (k);                                                                           \
        goto trap;                                                                                 \
    } while (0)
#define POP_I32() ((uint32_t) * --sp)
#define POP_I64() (*--sp)

/*
 * Effective addresses. In every form pc still points at the instruction's opcode when a
 * trap can happen, so the trap path (and run_locate) finds the instruction.
 * Stores are checked in both modes: a store straddling the end of memory can be partly
 * performed before the fault (seen under QEMU's TCG), and Wasm forbids partial writes.
 */
#define EA_CHECKED(addr, off, n)                                                                   \
    ({                                                                                             \
        uint64_t ea_ = (uint64_t)(uint32_t)(addr) + (off);                                         \
        if (ea_ + (n) > mem_size) TRAP(WASM_TRAP_MEMORY_OOB);                                      \
        ea_;                                                                                       \
    })
#if WASM_BOUNDS_CHECKS
#define EA_LOAD(addr, off, n) EA_CHECKED(addr, off, n)
#else
/* Guard mode: loads go unchecked into the reservation; a fault becomes the trap, located
 * by the pc saved here. */
#define EA_LOAD(addr, off, n) ((uint64_t)(uint32_t)(addr) + (r->pc = pc, (off)))
#endif

/* A load in its six forms: address from the stack, a local (L) or a local plus an i32
 * constant (A, wrapping to 32 bits as the i32.add it replaces), result to the stack or a
 * local (D). */
#define LOAD(label, ctype, n, conv)                                                                \
    label : {                                                                                      \
        uint64_t ea = EA_LOAD(sp[-1], pc[1], n);                                                   \
        ctype v;                                                                                   \
        memcpy(&v, mem_base + ea, n);                                                              \
        sp[-1] = conv;                                                                             \
        pc += 1;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_L:                                                                                     \
    {                                                                                              \
        uint64_t ea = EA_LOAD(fp[pc[1]], pc[2], n);                                                \
        ctype v;                                                                                   \
        memcpy(&v, mem_base + ea, n);                                                              \
        *sp++ = conv;                                                                              \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_D:                                                                                     \
    {                                                                                              \
        uint64_t ea = EA_LOAD(sp[-1], pc[1], n);                                                   \
        ctype v;                                                                                   \
        memcpy(&v, mem_base + ea, n);                                                              \
        fp[pc[2]] = conv;                                                                          \
        sp--;                                                                                      \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LD:                                                                                    \
    {                                                                                              \
        uint64_t ea = EA_LOAD(fp[pc[1]], pc[2], n);                                                \
        ctype v;                                                                                   \
        memcpy(&v, mem_base + ea, n);                                                              \
        fp[pc[3]] = conv;                                                                          \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_A:                                                                                     \
    {                                                                                              \
        uint64_t ea = EA_LOAD((uint32_t)fp[pc[1]] + pc[2], pc[3], n);                              \
        ctype v;                                                                                   \
        memcpy(&v, mem_base + ea, n);                                                              \
        *sp++ = conv;                                                                              \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_AD:                                                                                    \
    {                                                                                              \
        uint64_t ea = EA_LOAD((uint32_t)fp[pc[1]] + pc[2], pc[3], n);                              \
        ctype v;                                                                                   \
        memcpy(&v, mem_base + ea, n);                                                              \
        fp[pc[4]] = conv;                                                                          \
        pc += 4;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_X:                                                                                     \
    {                                                                                              \
        const struct wasm_memory *mx = inst->memories[pc[1]];                                      \
        uint64_t ea = (uint64_t)(uint32_t)sp[-1] + pc[2];                                          \
        ctype v;                                                                                   \
        if (ea + (n) > mx->size) TRAP(WASM_TRAP_MEMORY_OOB);                                       \
        memcpy(&v, mx->base + ea, n);                                                              \
        sp[-1] = conv;                                                                             \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }

/* A store in its five forms: plain (address and value on the stack), then address from a
 * local or the stack (L/S) with the value from a local or an i32 constant (L/C). */
#define STORE(label, ctype, n)                                                                     \
    label : {                                                                                      \
        ctype v = (ctype)sp[-1];                                                                   \
        uint64_t ea = EA_CHECKED(sp[-2], pc[1], n);                                                \
        memcpy(mem_base + ea, &v, n);                                                              \
        sp -= 2;                                                                                   \
        pc += 1;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LL:                                                                                    \
    {                                                                                              \
        ctype v = (ctype)fp[pc[2]];                                                                \
        uint64_t ea = EA_CHECKED(fp[pc[1]], pc[3], n);                                             \
        memcpy(mem_base + ea, &v, n);                                                              \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LC:                                                                                    \
    {                                                                                              \
        ctype v = (ctype)pc[2];                                                                    \
        uint64_t ea = EA_CHECKED(fp[pc[1]], pc[3], n);                                             \
        memcpy(mem_base + ea, &v, n);                                                              \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SL:                                                                                    \
    {                                                                                              \
        ctype v = (ctype)fp[pc[1]];                                                                \
        uint64_t ea = EA_CHECKED(sp[-1], pc[2], n);                                                \
        memcpy(mem_base + ea, &v, n);                                                              \
        sp--;                                                                                      \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SC:                                                                                    \
    {                                                                                              \
        ctype v = (ctype)pc[1];                                                                    \
        uint64_t ea = EA_CHECKED(sp[-1], pc[2], n);                                                \
        memcpy(mem_base + ea, &v, n);                                                              \
        sp--;                                                                                      \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_X:                                                                                     \
    {                                                                                              \
        const struct wasm_memory *mx = inst->memories[pc[1]];                                      \
        ctype v = (ctype)sp[-1];                                                                   \
        uint64_t ea = (uint64_t)(uint32_t)sp[-2] + pc[2];                                          \
        if (ea + (n) > mx->size) TRAP(WASM_TRAP_MEMORY_OOB);                                       \
        memcpy(mx->base + ea, &v, n);                                                              \
        sp -= 2;                                                                                   \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }

/* Compare and branch (fused_cmps.def): operands as in the FUSE forms, then [rel]. */
/* A conditional branch whose target word is operand `at` (pc[at + 1]), relative to pc. */
#define TAKE(cond, at)                                                                             \
    do {                                                                                           \
        if (cond) {                                                                                \
            pc += (int32_t)pc[(at) + 1];                                                           \
            goto *labels[*pc];                                                                     \
        }                                                                                          \
        pc += (at) + 1;                                                                            \
        NEXT();                                                                                    \
    } while (0)
#define CMP_BRANCH(label, type, expr)                                                              \
    label##_BSS:                                                                                   \
    {                                                                                              \
        type b = (type)sp[-1], a = (type)sp[-2];                                                   \
        sp -= 2;                                                                                   \
        TAKE(expr, 0);                                                                             \
    }                                                                                              \
    label##_BLL:                                                                                   \
    {                                                                                              \
        type a = (type)fp[pc[1]], b = (type)fp[pc[2]];                                             \
        TAKE(expr, 2);                                                                             \
    }                                                                                              \
    label##_BSL:                                                                                   \
    {                                                                                              \
        type a = (type) * --sp, b = (type)fp[pc[1]];                                               \
        TAKE(expr, 1);                                                                             \
    }
#define CMP_BRANCH_C(label, expr)                                                                  \
    label##_BLC:                                                                                   \
    {                                                                                              \
        uint32_t a = (uint32_t)fp[pc[1]], b = pc[2];                                               \
        TAKE(expr, 2);                                                                             \
    }                                                                                              \
    label##_BSC:                                                                                   \
    {                                                                                              \
        uint32_t a = (uint32_t) * --sp, b = pc[1];                                                 \
        TAKE(expr, 1);                                                                             \
    }
#define I32_CMP(label, expr)                                                                       \
    I32_BIN(label, expr)                                                                           \
    CMP_BRANCH(label, uint32_t, expr)                                                              \
    CMP_BRANCH_C(label, expr)
#define I64_CMP(label, expr)                                                                       \
    I64_BIN(label, expr)                                                                           \
    CMP_BRANCH(label, uint64_t, expr)

#define I32_BIN(label, expr)                                                                       \
    label : {                                                                                      \
        uint32_t b = (uint32_t)sp[-1], a = (uint32_t)sp[-2];                                       \
        sp--;                                                                                      \
        sp[-1] = (uint32_t)(expr);                                                                 \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SSD:                                                                                   \
    {                                                                                              \
        uint32_t b = (uint32_t)sp[-1], a = (uint32_t)sp[-2];                                       \
        sp -= 2;                                                                                   \
        fp[*++pc] = (uint32_t)(expr);                                                              \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LL:                                                                                    \
    {                                                                                              \
        uint32_t a = (uint32_t)fp[pc[1]], b = (uint32_t)fp[pc[2]];                                 \
        pc += 2;                                                                                   \
        *sp++ = (uint32_t)(expr);                                                                  \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LC:                                                                                    \
    {                                                                                              \
        uint32_t a = (uint32_t)fp[pc[1]], b = pc[2];                                               \
        pc += 2;                                                                                   \
        *sp++ = (uint32_t)(expr);                                                                  \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SL:                                                                                    \
    {                                                                                              \
        uint32_t a = (uint32_t)sp[-1], b = (uint32_t)fp[*++pc];                                    \
        sp[-1] = (uint32_t)(expr);                                                                 \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SC:                                                                                    \
    {                                                                                              \
        uint32_t a = (uint32_t)sp[-1], b = *++pc;                                                  \
        sp[-1] = (uint32_t)(expr);                                                                 \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LLD:                                                                                   \
    {                                                                                              \
        uint32_t a = (uint32_t)fp[pc[1]], b = (uint32_t)fp[pc[2]];                                 \
        fp[pc[3]] = (uint32_t)(expr);                                                              \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LCD:                                                                                   \
    {                                                                                              \
        uint32_t a = (uint32_t)fp[pc[1]], b = pc[2];                                               \
        fp[pc[3]] = (uint32_t)(expr);                                                              \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SLD:                                                                                   \
    {                                                                                              \
        uint32_t a = (uint32_t) * --sp, b = (uint32_t)fp[pc[1]];                                   \
        fp[pc[2]] = (uint32_t)(expr);                                                              \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SCD:                                                                                   \
    {                                                                                              \
        uint32_t a = (uint32_t) * --sp, b = pc[1];                                                 \
        fp[pc[2]] = (uint32_t)(expr);                                                              \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }
#define I64_BIN(label, expr)                                                                       \
    label : {                                                                                      \
        uint64_t b = sp[-1], a = sp[-2];                                                           \
        sp--;                                                                                      \
        sp[-1] = (uint64_t)(expr);                                                                 \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SSD:                                                                                   \
    {                                                                                              \
        uint64_t b = sp[-1], a = sp[-2];                                                           \
        sp -= 2;                                                                                   \
        fp[*++pc] = (uint64_t)(expr);                                                              \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LL:                                                                                    \
    {                                                                                              \
        uint64_t a = fp[pc[1]], b = fp[pc[2]];                                                     \
        pc += 2;                                                                                   \
        *sp++ = (uint64_t)(expr);                                                                  \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SL:                                                                                    \
    {                                                                                              \
        uint64_t a = sp[-1], b = fp[*++pc];                                                        \
        sp[-1] = (uint64_t)(expr);                                                                 \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LLD:                                                                                   \
    {                                                                                              \
        uint64_t a = fp[pc[1]], b = fp[pc[2]];                                                     \
        fp[pc[3]] = (uint64_t)(expr);                                                              \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SLD:                                                                                   \
    {                                                                                              \
        uint64_t a = *--sp, b = fp[pc[1]];                                                         \
        fp[pc[2]] = (uint64_t)(expr);                                                              \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }
#define I32_UN(label, expr)                                                                        \
    label : {                                                                                      \
        uint32_t a = (uint32_t)sp[-1];                                                             \
        sp[-1] = (uint32_t)(expr);                                                                 \
        NEXT();                                                                                    \
    }
#define I64_UN(label, expr)                                                                        \
    label : {                                                                                      \
        uint64_t a = sp[-1];                                                                       \
        sp[-1] = (uint64_t)(expr);                                                                 \
        NEXT();                                                                                    \
    }
#define F32_BIN(label, expr)                                                                       \
    label : {                                                                                      \
        float b = f32_from((uint32_t)sp[-1]), a = f32_from((uint32_t)sp[-2]);                      \
        sp--;                                                                                      \
        sp[-1] = f32_bits(expr);                                                                   \
        NEXT();                                                                                    \
    }
#define F64_BIN(label, expr)                                                                       \
    label : {                                                                                      \
        double b = f64_from(sp[-1]), a = f64_from(sp[-2]);                                         \
        sp--;                                                                                      \
        sp[-1] = f64_bits(expr);                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_ML:                                                                                    \
    {                                                                                              \
        uint64_t ea = EA_LOAD(fp[pc[1]], pc[2], 8), bits;                                          \
        memcpy(&bits, mem_base + ea, 8);                                                           \
        double a = f64_from(sp[-1]), b = f64_from(bits);                                           \
        sp[-1] = f64_bits(expr);                                                                   \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_MA:                                                                                    \
    {                                                                                              \
        uint64_t ea = EA_LOAD((uint32_t)fp[pc[1]] + pc[2], pc[3], 8), bits;                        \
        memcpy(&bits, mem_base + ea, 8);                                                           \
        double a = f64_from(sp[-1]), b = f64_from(bits);                                           \
        sp[-1] = f64_bits(expr);                                                                   \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SSD:                                                                                   \
    {                                                                                              \
        double b = f64_from(sp[-1]), a = f64_from(sp[-2]);                                         \
        sp -= 2;                                                                                   \
        fp[*++pc] = f64_bits(expr);                                                                \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LL:                                                                                    \
    {                                                                                              \
        double a = f64_from(fp[pc[1]]), b = f64_from(fp[pc[2]]);                                   \
        pc += 2;                                                                                   \
        *sp++ = f64_bits(expr);                                                                    \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SL:                                                                                    \
    {                                                                                              \
        double a = f64_from(sp[-1]), b = f64_from(fp[*++pc]);                                      \
        sp[-1] = f64_bits(expr);                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_LLD:                                                                                   \
    {                                                                                              \
        double a = f64_from(fp[pc[1]]), b = f64_from(fp[pc[2]]);                                   \
        fp[pc[3]] = f64_bits(expr);                                                                \
        pc += 3;                                                                                   \
        NEXT();                                                                                    \
    }                                                                                              \
    label##_SLD:                                                                                   \
    {                                                                                              \
        double a = f64_from(*--sp), b = f64_from(fp[pc[1]]);                                       \
        fp[pc[2]] = f64_bits(expr);                                                                \
        pc += 2;                                                                                   \
        NEXT();                                                                                    \
    }
#define F32_UN(label, expr)                                                                        \
    label : {                                                                                      \
        float a = f32_from((uint32_t)sp[-1]);                                                      \
        sp[-1] = f32_bits(expr);                                                                   \
        NEXT();                                                                                    \
    }
#define F64_UN(label, expr)                                                                        \
    label : {                                                                                      \
        double a = f64_from(sp[-1]);                                                               \
        sp[-1] = f64_bits(expr);                                                                   \
        NEXT();                                                                                    \
    }
#define F32_CMP(label, expr)                                                                       \
    label : {                                                                                      \
        float b = f32_from((uint32_t)sp[-1]), a = f32_from((uint32_t)sp[-2]);                      \
        sp--;                                                                                      \
        sp[-1] = (expr) ? 1 : 0;                                                                   \
        NEXT();                                                                                    \
    }
#define F64_CMP(label, expr)                                                                       \
    label : {                                                                                      \
        double b = f64_from(sp[-1]), a = f64_from(sp[-2]);                                         \
        sp--;                                                                                      \
        sp[-1] = (expr) ? 1 : 0;                                                                   \
        NEXT();                                                                                    \
    }
/* Trapping float-to-int: `src` is the operand as double (f32 converts exactly). */
#define TRUNC(label, src, lo, hi, result)                                                          \
    label : {                                                                                      \
        double x = (src);                                                                          \
        if (x != x) TRAP(WASM_TRAP_INVALID_CONVERSION);                                            \
        if (!f_in_range(x, lo, hi)) TRAP(WASM_TRAP_INT_OVERFLOW);                                  \
        sp[-1] = (result);                                                                         \
        NEXT();                                                                                    \
    }
#define CONV(label, expr)                                                                          \
    label : {                                                                                      \
        uint64_t a = sp[-1];                                                                       \
        (void)a;                                                                                   \
        sp[-1] = (expr);                                                                           \
        NEXT();                                                                                    \
    }

#define RELOAD_MEMORY()                                                                            \
    do {                                                                                           \
        struct wasm_memory *mem_ = inst->memories[0];                                              \
        mem_base = mem_ ? mem_->base : NULL;                                                       \
        mem_size = mem_ ? mem_->size : 0;                                                          \
    } while (0)

static inline uint32_t rotl32(uint32_t a, uint32_t b)
{
    b &= 31;
    return b ? (a << b) | (a >> (32 - b)) : a;
}
static inline uint32_t rotr32(uint32_t a, uint32_t b)
{
    b &= 31;
    return b ? (a >> b) | (a << (32 - b)) : a;
}
static inline uint64_t rotl64(uint64_t a, uint64_t b)
{
    b &= 63;
    return b ? (a << b) | (a >> (64 - b)) : a;
}
static inline uint64_t rotr64(uint64_t a, uint64_t b)
{
    b &= 63;
    return b ? (a >> b) | (a << (64 - b)) : a;
}

#endif
