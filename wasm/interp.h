/*
 * The interpreter's internal code (produced by lower.c, run by interp.c).
 *
 * A lowered body is an array of 32-bit words: an opcode word followed by its operands.
 *
 *   [op] [imm...]   [op] [imm...]   ...
 *
 * Plain Wasm instructions keep their opcode (0xFC-prefixed ones become 0x100 | sub) and
 * carry decoded immediates (local index, memory offset, constant bits as lo/hi words).
 * Structured control is gone: blocks and loops vanish, and branches carry what they need
 * to run without a control stack:
 *
 *   BR        [target pc] [dst slot] [arity]   move `arity` top values to fp[dst..],
 *                                              sp = fp + dst + arity, pc = target
 *   BR_IF     [target pc] [dst slot] [arity]   the same when the popped i32 is non-zero
 *   BR_TABLE  [n] n+1 x ([target] [dst] [arity])
 *   IF        [else pc]                        pop; zero jumps to else (or end)
 *   JUMP      [target pc]                      the end of a then-branch
 *   RETURN                                     results to fp[0..], back to the caller
 *
 * A binary operation whose operands were just pushed by local.get or i32.const (with no
 * branch target in between) is fused with them: `local.get 1; i32.const 4; i32.add`
 * becomes one FUSE_LC instruction, saving two dispatches.
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
    IOP_LOAD_L = 0xa00,   /* [load op] [local] [offset]: local.get + load */
    IOP_COUNT = 0xb00,
};

struct wasm_lowered {
    uint32_t *code;
    uint32_t ncode;
    uint32_t nlocals; /* params + declared locals */
    uint32_t nparams, nresults;
    uint32_t max_stack; /* operand slots above the locals */
    /* (pc, module offset) for every instruction, sorted by pc: trap locations */
    uint32_t *where;
    uint32_t nwhere;
};

void wasm_exec_free(struct wasm_exec *exec);

#endif
