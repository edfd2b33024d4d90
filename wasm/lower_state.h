/*
 * The lowering's state, shared by lower.c (the pass over a body) and lower_fuse.c (the
 * peephole fusion of instruction sequences into one internal instruction).
 */
#ifndef TAKARA_WASM_LOWER_STATE_H
#define TAKARA_WASM_LOWER_STATE_H

#include "wasm/instr.h"
#include "wasm/interp.h"
#include "wasm/module.h"

struct lctl;

struct lstate {
    struct wasm_module *m;
    struct wasm_lowered *out;
    uint32_t cap_code, cap_where, cap_handlers, cap_catches;
    uint32_t tries;    /* try blocks open: the next one's hidden local is exc_base + tries */
    uint32_t exc_base; /* the first hidden local */
    struct lctl *ctls;
    uint32_t nctls;
    uint32_t h, max_h;
    bool nomem;
    /* the last two instructions emitted (start pc, opcode), for operand fusion, and the
     * first pc a branch may land on after them */
    uint32_t last_pc[2], last_op[2];
    uint32_t barrier;
};

/* lower.c */
void lower_emit(struct lstate *s, uint32_t w);
void lower_emit_op(struct lstate *s, uint32_t op, uint32_t offset);
void lower_unemit(struct lstate *s, uint32_t n);

/* lower_fuse.c: each returns true when it emitted the fused form of `in` */
bool lower_fused_bin(struct lstate *s, const struct wasm_instr *in);
bool lower_fused_load(struct lstate *s, const struct wasm_instr *in);
bool lower_fused_store(struct lstate *s, const struct wasm_instr *in);
/* local.set: the value just computed goes straight to the local */
bool lower_fused_set(struct lstate *s, uint32_t local);
/* Turns the condition just emitted (at or after `floor`) into a conditional branch
 * (jumping when it is non-zero, or zero if `negate`), whose target word the caller
 * emits next. */
bool lower_fused_cond(struct lstate *s, uint32_t floor, bool negate);

#endif
