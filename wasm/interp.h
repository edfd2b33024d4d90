/*
 * The interpreter's internal code (produced by lower.c and lower_fuse.c, run by interp.c).
 *
 * A lowered body is an array of 32-bit words: an opcode word followed by its operands.
 *
 *   [op] [imm...]   [op] [imm...]   ...
 *
 * Plain Wasm instructions keep their opcode (0xFC-prefixed ones become 0x100 | sub) and
 * carry decoded immediates (local index, memory offset, constant bits as lo/hi words).
 * Structured control is gone: blocks and loops vanish, and branches carry what they need
 * to run without a control stack. A branch target `rel` is relative to the branch's own
 * opcode (for BR_TABLE, to the word before the chosen entry): target = pc + (int32_t)rel,
 * so taking a branch needs no base pointer.
 *
 *   BR        [rel] [dst slot] [arity]   move `arity` top values to fp[dst..],
 *                                        sp = fp + dst + arity, then jump
 *   BR_IF     [rel] [dst slot] [arity]   the same when the popped i32 is non-zero
 *   BR_TABLE  [n] n+1 x ([rel] [dst] [arity])
 *   BR_TABLE_N [n] n+1 x [rel]           every label's values already in place
 *   JUMP      [rel]                      a branch whose values are already in place
 *   BR_IF_N   [rel]                      BR_IF whose values are already in place
 *   IF        [rel]                      pop; zero jumps (if/else, and br_if after eqz)
 *   RETURN                               results to fp[0..], back to the caller
 *
 * Fused instructions (lower_fuse.c) do the work of several Wasm instructions in one
 * dispatch; operands named L are locals (fp[i]), C an i32 constant, S the stack top, and
 * a D suffix means the result goes to a local instead of the stack.
 *
 * Slots are 64 bits; a frame is params and locals (fp[0..nlocals)) then the operand
 * stack, whose height at every instruction the lowering knows statically.
 */
#ifndef TAKARA_WASM_INTERP_H
#define TAKARA_WASM_INTERP_H

#include <stdint.h>

#include "wasm/runtime.h"

enum wasm_iop {
    /* 0x00-0xff: Wasm opcodes; 0x100-0x11f: 0xFC-prefixed */
    IOP_PREFIX_FC = 0x100,
    IOP_BR = 0x120,
    IOP_BR_IF,
    IOP_BR_TABLE,
    IOP_IF,
    IOP_JUMP,
    IOP_RETURN,
    IOP_BR_IF_N,
    IOP_BR_IF_L,     /* [local] [rel]    local.get; br_if (values in place) */
    IOP_BR_UNLESS_L, /* [local] [rel]    local.get; if, or local.get; i32.eqz; br_if */
    IOP_COPY,        /* [src] [dst]      local.get; local.set */
    IOP_CONST_D,     /* [c] [dst]        i32.const; local.set */
    IOP_BR_TABLE_N,  /* [n] n+1 x [rel]  br_table, every label's values in place */
    /* fused binary operations: IOP_FUSE_xx + the Wasm opcode (fused_ops.def) */
    IOP_FUSE_LL = 0x200, /* [op] [local a] [local b]     push a op b */
    IOP_FUSE_LC = 0x300, /* [op] [local a] [i32 const]   push a op c */
    IOP_FUSE_SL = 0x400, /* [op] [local b]               top = top op b */
    IOP_FUSE_SC = 0x500, /* [op] [i32 const]             top = top op c */
    /* the same four, followed by local.set: the result goes to a local, not the stack */
    IOP_FUSE_LLD = 0x600, /* [op] [a] [b] [dst] */
    IOP_FUSE_LCD = 0x700, /* [op] [a] [c] [dst] */
    IOP_FUSE_SLD = 0x800, /* [op] [b] [dst]     pops */
    IOP_FUSE_SCD = 0x900, /* [op] [c] [dst]     pops */
    /* loads: IOP_LOAD_xx + the Wasm load opcode */
    IOP_LOAD_L = 0xa00,  /* [local] [offset]        local.get; load */
    IOP_LOAD_D = 0xb00,  /* [offset] [dst]          load; local.set */
    IOP_LOAD_LD = 0xc00, /* [local] [offset] [dst]  local.get; load; local.set */
    /* stores: IOP_STORE_xx + the Wasm store opcode; address, then value */
    IOP_STORE_LL = 0xd00,  /* [addr local] [value local] [offset] */
    IOP_STORE_LC = 0xe00,  /* [addr local] [i32 const] [offset] */
    IOP_STORE_SL = 0xf00,  /* [value local] [offset]     address popped */
    IOP_STORE_SC = 0x1000, /* [i32 const] [offset]       address popped */
    /* compare and branch: IOP_BRC_xx + the compare opcode (fused_cmps.def); operands as
     * in FUSE_xx, then [rel]; jumps when the comparison holds */
    IOP_BRC_LL = 0x1100,
    IOP_BRC_LC = 0x1200,
    IOP_BRC_SL = 0x1300,
    IOP_BRC_SC = 0x1400,
    /* local.get a; i32.const c; i32.add; load (and local.set): the address a + c */
    IOP_LOAD_A = 0x1500,  /* [local] [c] [offset] */
    IOP_LOAD_AD = 0x1600, /* [local] [c] [offset] [dst] */
    /* a binary operation on two stack operands, then local.set (fused_ops.def) */
    IOP_FUSE_SSD = 0x1700, /* [op] [dst]   pops both */
    /* compare and branch with both operands on the stack: [rel] */
    IOP_BRC_SS = 0x1800,
    /* an f64 operation whose right operand an f64.load just pushed: [LOAD_L or LOAD_A
     * operands], left operand and result at the stack top */
    IOP_FUSE_ML = 0x1900, /* [local] [offset] */
    IOP_FUSE_MA = 0x1a00, /* [local] [c] [offset] */
    IOP_COUNT = 0x1b00,
};

/* Slots past a frame's locals that a call may write: it zeroes the first four declared
 * locals unconditionally, whether the function has that many or not. */
#define WASM_FRAME_SLACK 4u

struct wasm_lowered {
    uint32_t *code;
    uint32_t ncode;
    uint32_t nlocals; /* params + declared locals */
    uint32_t nparams, nresults;
    uint32_t max_stack; /* operand slots above the locals */
    /* what a call needs from the value stack: locals, operands and WASM_FRAME_SLACK */
    uint64_t frame_slots;
    /* (pc, module offset) for every instruction, sorted by pc: trap locations */
    uint32_t *where;
    uint32_t nwhere;
};

void wasm_exec_free(struct wasm_exec *exec);

#endif
