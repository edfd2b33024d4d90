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
 * stack, whose height at every instruction the lowering knows statically. The last
 * locals of a function with try blocks are hidden ones: one per nesting level of try,
 * holding the exception its catch clause caught, for rethrow.
 *
 *   THROW     [tag]                      pop the tag's values into an exception, throw it
 *   RETHROW   [slot]                     throw the exception in local `slot` again
 *
 * A thrown exception is matched against the function's handler table (struct
 * wasm_handler, interp_exc.c), then its callers'; try/catch/delegate emit no code.
 */
#ifndef TAKARA_WASM_INTERP_H
#define TAKARA_WASM_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm/runtime.h"

/* The Wasm opcodes each family of fused forms takes (see enum wasm_iop) */
#define IOP_BIN_FIRST   0x46 /* i32.eq .. f64.max: fused_ops.def */
#define IOP_BIN_SPAN    0x60
#define IOP_LOAD_FIRST  0x28 /* i32.load .. i64.load32_u */
#define IOP_LOAD_SPAN   0x0e
#define IOP_STORE_FIRST 0x36 /* i32.store .. i64.store32 */
#define IOP_STORE_SPAN  0x09
#define IOP_CMP_FIRST   0x46 /* i32.eq .. i64.ge_u: fused_cmps.def */
#define IOP_CMP_SPAN    0x15
#define IOP_FMEM_FIRST  0xa0 /* f64.add .. f64.max */
#define IOP_FMEM_SPAN   0x06

/* Whether internal opcode `op` belongs to one of `n` consecutive families from `family`. */
#define IOP_IN(op, family, first, span, n)                                                         \
    ((op) >= (family) + (first) && (op) < (family) + (first) + (n) * (span))

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
    /*
     * Fused forms come in families: the member for Wasm opcode `op` is IOP_family + op.
     * A family only spans the opcodes it can take (IOP_*_FIRST, IOP_*_SPAN), and families
     * follow each other densely, which keeps the dispatch table small.
     */
    /* binary operations (fused_ops.def) */
    IOP_FUSE_LL = 0x130 - IOP_BIN_FIRST,      /* [a] [b]   push a op b */
    IOP_FUSE_LC = IOP_FUSE_LL + IOP_BIN_SPAN, /* [a] [c]   push a op c */
    IOP_FUSE_SL = IOP_FUSE_LC + IOP_BIN_SPAN, /* [b]       top = top op b */
    IOP_FUSE_SC = IOP_FUSE_SL + IOP_BIN_SPAN, /* [c]       top = top op c */
    /* the same four, followed by local.set: the result goes to a local, not the stack */
    IOP_FUSE_LLD = IOP_FUSE_SC + IOP_BIN_SPAN,  /* [a] [b] [dst] */
    IOP_FUSE_LCD = IOP_FUSE_LLD + IOP_BIN_SPAN, /* [a] [c] [dst] */
    IOP_FUSE_SLD = IOP_FUSE_LCD + IOP_BIN_SPAN, /* [b] [dst]     pops */
    IOP_FUSE_SCD = IOP_FUSE_SLD + IOP_BIN_SPAN, /* [c] [dst]     pops */
    IOP_FUSE_SSD = IOP_FUSE_SCD + IOP_BIN_SPAN, /* [dst]         pops both */
    /* loads */
    IOP_LOAD_L = IOP_FUSE_SSD + IOP_BIN_FIRST + IOP_BIN_SPAN - IOP_LOAD_FIRST, /* [l] [off] */
    IOP_LOAD_D = IOP_LOAD_L + IOP_LOAD_SPAN,  /* [off] [dst]        load; local.set */
    IOP_LOAD_LD = IOP_LOAD_D + IOP_LOAD_SPAN, /* [l] [off] [dst]    both */
    IOP_LOAD_A = IOP_LOAD_LD + IOP_LOAD_SPAN, /* [l] [c] [off]      address l + c */
    IOP_LOAD_AD = IOP_LOAD_A + IOP_LOAD_SPAN, /* [l] [c] [off] [dst] */
    /* stores; address, then value */
    IOP_STORE_LL =
        IOP_LOAD_AD + IOP_LOAD_FIRST + IOP_LOAD_SPAN - IOP_STORE_FIRST, /* [a] [v] [off] */
    IOP_STORE_LC = IOP_STORE_LL + IOP_STORE_SPAN, /* [addr local] [i32 const] [off] */
    IOP_STORE_SL = IOP_STORE_LC + IOP_STORE_SPAN, /* [value local] [off]   address popped */
    IOP_STORE_SC = IOP_STORE_SL + IOP_STORE_SPAN, /* [i32 const] [off]     address popped */
    /* compare and branch (fused_cmps.def): operands as in FUSE_xx, then [rel]; jumps when
     * the comparison holds; SS pops both operands */
    IOP_BRC_LL = IOP_STORE_SC + IOP_STORE_FIRST + IOP_STORE_SPAN - IOP_CMP_FIRST,
    IOP_BRC_LC = IOP_BRC_LL + IOP_CMP_SPAN,
    IOP_BRC_SL = IOP_BRC_LC + IOP_CMP_SPAN,
    IOP_BRC_SC = IOP_BRC_SL + IOP_CMP_SPAN,
    IOP_BRC_SS = IOP_BRC_SC + IOP_CMP_SPAN,
    /* an f64 operation whose right operand an f64.load just pushed: the load's operands,
     * left operand and result at the stack top */
    IOP_FUSE_ML = IOP_BRC_SS + IOP_CMP_FIRST + IOP_CMP_SPAN - IOP_FMEM_FIRST, /* [l] [off] */
    IOP_FUSE_MA = IOP_FUSE_ML + IOP_FMEM_SPAN,                                /* [l] [c] [off] */
    /* loads and stores of a memory other than 0 (multi-memory), always bounds-checked */
    IOP_LOAD_X = IOP_FUSE_MA + IOP_FMEM_FIRST + IOP_FMEM_SPAN - IOP_LOAD_FIRST,  /* [mem] [off] */
    IOP_STORE_X = IOP_LOAD_X + IOP_LOAD_FIRST + IOP_LOAD_SPAN - IOP_STORE_FIRST, /* [mem] [off] */
    IOP_COUNT = IOP_STORE_X + IOP_STORE_FIRST + IOP_STORE_SPAN,
};

/* A try block of a lowered body: its body's code words, and what catches there. */
struct wasm_handler {
    uint32_t start, end; /* the body, [start, end) in code words */
    int32_t delegate;    /* WASM_HANDLER_CATCHES, or delegate: the handler to try next (an
                          * enclosing try's body), or -1 for the caller */
    uint32_t height;     /* frame slot where a clause's values go: sp after catching */
    uint32_t slot;       /* the hidden local that keeps the caught exception */
};
#define WASM_HANDLER_CATCHES (-2)

/* A catch clause, in the order written; tag WASM_CATCH_ALL for catch_all. */
struct wasm_catch {
    uint32_t handler, tag, target; /* target: code word where the clause starts */
};
#define WASM_CATCH_ALL UINT32_MAX

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
    /* try blocks in the order they open (so inner ones come after outer ones) */
    struct wasm_handler *handlers;
    uint32_t nhandlers;
    struct wasm_catch *catches;
    uint32_t ncatches;
};

struct wasm_frame {
    const uint32_t *ret_pc;
    uint64_t *fp;
    struct wasm_func *func;
};

/* One allocation: this header, then max_frames frames, then the value stack. Its sizes
 * come from the store's limits, so a small process does not pay for a deep stack. */
struct wasm_exec {
    uint64_t *stack, *stack_end;
    struct wasm_frame *frames;
    uint32_t max_frames;
    uint64_t *top;    /* first free slot, for re-entrant calls */
    uint32_t nframes; /* frames in use, across re-entrant calls */
    uint32_t reentry;
    struct wasm_exc *excs; /* every exception not yet freed (interp_exc.c) */
};

/* interp_exc.c: exceptions in flight and caught, and the search for their handler. */
struct wasm_exc;
/* Where a search starts (the throw: pc, fp and function) and, if caught, lands. */
struct wasm_landing {
    const uint32_t *pc;
    uint64_t *fp, *sp;
    struct wasm_func *func;
};
/* A new exception of `tag` with its payload from `vals`; NULL when out of memory. */
struct wasm_exc *wasm_exc_new(struct wasm_exec *exec, const struct wasm_tag *tag,
                              const uint64_t *vals);
/* Unwinds frames down to `base_frames` looking for a clause that catches `x`: true with
 * *at where it lands (its values pushed, the exception kept in its slot). */
bool wasm_exc_land(struct wasm_exec *exec, uint32_t base_frames, struct wasm_exc *x,
                   struct wasm_landing *at);
const struct wasm_tag *wasm_exc_tag(const struct wasm_exc *x);
void wasm_exc_free_all(struct wasm_exec *exec);

void wasm_exec_free(struct wasm_exec *exec);

#endif
