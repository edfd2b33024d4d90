/*
 * Peephole fusion for the lowering (see interp.h for the forms): when an instruction is
 * lowered, the one or two instructions emitted just before it (s->last_pc/last_op) may
 * be folded into it, so one dispatch does the work of several. Nothing is fused across
 * s->barrier, the first pc a branch may land on, since a branch arriving there must not
 * skip half of a fused instruction. A fused instruction keeps the trap-location row of
 * its first part, or gets the row of the part that can trap (a load or a store).
 */
#include "wasm/lower_state.h"
#include "wasm/opcodes.h"

/* Every fused opcode must fall inside its family's span (interp.h). */
#define FUSE(name, width)                                                                          \
    _Static_assert(WASM_OP_##name >= IOP_BIN_FIRST &&                                              \
                       WASM_OP_##name < IOP_BIN_FIRST + IOP_BIN_SPAN,                              \
                   #name " outside the binary families");
#include "wasm/fused_ops.def"
#undef FUSE
#define CMP(name, neg, width)                                                                      \
    _Static_assert(WASM_OP_##name >= IOP_CMP_FIRST &&                                              \
                       WASM_OP_##name < IOP_CMP_FIRST + IOP_CMP_SPAN,                              \
                   #name " outside the compare families");
#include "wasm/fused_cmps.def"
#undef CMP
_Static_assert(WASM_OP_I64_LOAD32_U == IOP_LOAD_FIRST + IOP_LOAD_SPAN - 1 &&
                   WASM_OP_I64_STORE32 == IOP_STORE_FIRST + IOP_STORE_SPAN - 1 &&
                   WASM_OP_F64_MAX == IOP_FMEM_FIRST + IOP_FMEM_SPAN - 1,
               "memory families out of step with the opcodes");

/* Whether the instruction emitted at `p` may be folded into the next one. */
static bool foldable(const struct lstate *s, uint32_t p, uint32_t floor)
{
    return p >= floor && p < s->out->ncode;
}

static bool fusable(uint32_t op, bool *is32)
{
    switch (op) {
#define FUSE(name, width)                                                                          \
    case WASM_OP_##name:                                                                           \
        *is32 = (width) == 32;                                                                     \
        return true;
#include "wasm/fused_ops.def"
#undef FUSE
    default: return false;
    }
}

/* The compare-and-branch opcode for comparison `op`, negated or not; 0 if none. */
static uint32_t branch_cmp(uint32_t op, bool negate)
{
    switch (op) {
#define CMP(name, neg, width)                                                                      \
    case WASM_OP_##name:                                                                           \
        return negate ? WASM_OP_##neg : WASM_OP_##name;
#include "wasm/fused_cmps.def"
#undef CMP
    default: return 0;
    }
}

static bool is_load(uint32_t op)
{
    return op >= WASM_OP_I32_LOAD && op <= WASM_OP_I64_LOAD32_U;
}

bool lower_fused_set(struct lstate *s, uint32_t local)
{
    uint32_t p1 = s->last_pc[1], op = s->last_op[1], fused;
    bool is32;

    if (!foldable(s, p1, s->barrier)) return false;
    if (IOP_IN(op, IOP_FUSE_LL, IOP_BIN_FIRST, IOP_BIN_SPAN, 4))
        fused = op + (IOP_FUSE_LLD - IOP_FUSE_LL);
    else if (op == WASM_OP_LOCAL_GET)
        fused = IOP_COPY;
    else if (op == WASM_OP_I32_CONST)
        fused = IOP_CONST_D;
    else if (IOP_IN(op, IOP_LOAD_L, IOP_LOAD_FIRST, IOP_LOAD_SPAN, 1))
        fused = op + (IOP_LOAD_LD - IOP_LOAD_L);
    else if (IOP_IN(op, IOP_LOAD_A, IOP_LOAD_FIRST, IOP_LOAD_SPAN, 1))
        fused = op + (IOP_LOAD_AD - IOP_LOAD_A);
    else if (is_load(op))
        fused = IOP_LOAD_D + op;
    else if (fusable(op, &is32))
        fused = IOP_FUSE_SSD + op;
    else
        return false;
    /* every one of these ends with its result, which now goes to the local */
    s->out->code[p1] = fused;
    s->last_op[1] = fused;
    lower_emit(s, local);
    s->h--;
    return true;
}

bool lower_fused_load(struct lstate *s, const struct wasm_instr *in)
{
    struct wasm_lowered *o = s->out;
    uint32_t p1 = s->last_pc[1], local;

    if (!is_load(in->op) || !foldable(s, p1, s->barrier)) return false;
    if (s->last_op[1] == IOP_FUSE_LC + WASM_OP_I32_ADD) {
        /* the address local + c: the add cannot trap, so its trap-location row (the last
         * one) now names the load */
        o->code[p1] = IOP_LOAD_A + in->op;
        s->last_op[1] = o->code[p1];
        o->where[(o->nwhere - 1) * 2 + 1] = in->offset;
        lower_emit(s, in->b);
        return true;
    }
    if (s->last_op[1] != WASM_OP_LOCAL_GET) return false;
    local = o->code[p1 + 1];
    lower_unemit(s, 1);
    lower_emit_op(s, IOP_LOAD_L + in->op, in->offset);
    lower_emit(s, local);
    lower_emit(s, in->b);
    return true;
}

/* A store whose value is a local or an i32 constant, its address a local or computed. */
bool lower_fused_store(struct lstate *s, const struct wasm_instr *in)
{
    uint32_t *code = s->out->code;
    uint32_t p0 = s->last_pc[0], p1 = s->last_pc[1], v, a;
    bool value32 = in->op == WASM_OP_I32_STORE || in->op == WASM_OP_I32_STORE8 ||
                   in->op == WASM_OP_I32_STORE16;
    bool local_value = s->last_op[1] == WASM_OP_LOCAL_GET;

    if (in->op < WASM_OP_I32_STORE || in->op > WASM_OP_I64_STORE32 ||
        !foldable(s, p1, s->barrier) ||
        !(local_value || (value32 && s->last_op[1] == WASM_OP_I32_CONST)))
        return false;
    v = code[p1 + 1];
    if (foldable(s, p0, s->barrier) && p0 < p1 && s->last_op[0] == WASM_OP_LOCAL_GET) {
        a = code[p0 + 1];
        lower_unemit(s, 2);
        lower_emit_op(s, (local_value ? IOP_STORE_LL : IOP_STORE_LC) + in->op, in->offset);
        lower_emit(s, a);
    } else {
        lower_unemit(s, 1);
        lower_emit_op(s, (local_value ? IOP_STORE_SL : IOP_STORE_SC) + in->op, in->offset);
    }
    lower_emit(s, v);
    lower_emit(s, in->b);
    return true;
}

bool lower_fused_bin(struct lstate *s, const struct wasm_instr *in)
{
    uint32_t *code = s->out->code;
    uint32_t p0 = s->last_pc[0], p1 = s->last_pc[1], a, b;
    bool is32, two_ok, one_ok;

    if (!fusable(in->op, &is32) || s->nomem || s->out->ncode == 0) return false;
    one_ok = foldable(s, p1, s->barrier);
    if (one_ok && in->op >= WASM_OP_F64_ADD && in->op <= WASM_OP_F64_MAX &&
        (s->last_op[1] == IOP_LOAD_L + WASM_OP_F64_LOAD ||
         s->last_op[1] == IOP_LOAD_A + WASM_OP_F64_LOAD)) {
        /* the right operand straight from memory; the load's trap row stays */
        code[p1] =
            (s->last_op[1] == IOP_LOAD_L + WASM_OP_F64_LOAD ? IOP_FUSE_ML : IOP_FUSE_MA) + in->op;
        s->last_op[1] = code[p1];
        return true;
    }
    two_ok = one_ok && p0 >= s->barrier && p0 < p1;
    if (two_ok && s->last_op[0] == WASM_OP_LOCAL_GET &&
        (s->last_op[1] == WASM_OP_LOCAL_GET || (is32 && s->last_op[1] == WASM_OP_I32_CONST))) {
        uint32_t variant = s->last_op[1] == WASM_OP_LOCAL_GET ? IOP_FUSE_LL : IOP_FUSE_LC;
        a = code[p0 + 1];
        b = code[p1 + 1];
        lower_unemit(s, 2);
        lower_emit_op(s, variant + in->op, in->offset);
        lower_emit(s, a);
        lower_emit(s, b);
        return true;
    }
    if (one_ok &&
        (s->last_op[1] == WASM_OP_LOCAL_GET || (is32 && s->last_op[1] == WASM_OP_I32_CONST))) {
        uint32_t variant = s->last_op[1] == WASM_OP_LOCAL_GET ? IOP_FUSE_SL : IOP_FUSE_SC;
        b = code[p1 + 1];
        lower_unemit(s, 1);
        lower_emit_op(s, variant + in->op, in->offset);
        lower_emit(s, b);
        return true;
    }
    return false;
}

bool lower_fused_cond(struct lstate *s, uint32_t floor, bool negate)
{
    uint32_t *code = s->out->code;
    uint32_t p0 = s->last_pc[0], p1 = s->last_pc[1], op = s->last_op[1], fused, cmp;

    if (!foldable(s, p1, floor)) return false;
    if (IOP_IN(op, IOP_FUSE_LL, IOP_BIN_FIRST, IOP_BIN_SPAN, 4)) {
        /* which of FUSE_LL, LC, SL, SC, and on which Wasm opcode */
        uint32_t form = (op - IOP_FUSE_LL - IOP_BIN_FIRST) / IOP_BIN_SPAN;
        cmp = branch_cmp(op - IOP_FUSE_LL - form * IOP_BIN_SPAN, negate);
        if (!cmp) return false;
        fused = IOP_BRC_LL + form * IOP_CMP_SPAN + cmp;
    } else if (op < 0x100 && (cmp = branch_cmp(op, negate))) {
        fused = IOP_BRC_SS + cmp;
    } else if (op == WASM_OP_LOCAL_GET) {
        fused = negate ? IOP_BR_UNLESS_L : IOP_BR_IF_L;
    } else if (op == WASM_OP_I32_EQZ && foldable(s, p0, floor) && p0 < p1 &&
               s->last_op[0] == WASM_OP_LOCAL_GET) {
        lower_unemit(s, 1); /* the eqz: the branch tests the local itself */
        p1 = p0;
        fused = negate ? IOP_BR_IF_L : IOP_BR_UNLESS_L;
    } else if (op == WASM_OP_I32_EQZ) {
        fused = negate ? IOP_BR_IF_N : IOP_IF;
    } else {
        return false;
    }
    code[p1] = fused;
    s->last_pc[0] = UINT32_MAX;
    s->last_pc[1] = p1;
    s->last_op[1] = fused;
    return true;
}
