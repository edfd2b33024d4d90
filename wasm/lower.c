/*
 * Lowering: a validated body becomes the interpreter's internal code (interp.h). One
 * pass tracks the operand-stack height (validation guarantees it is static) and a
 * control stack whose only job is resolving branch targets: forward branches are
 * patched when their block ends. Code after an unconditional branch is skipped.
 */
#include <takara/error.h>

#include "wasm/lower.h"
#include "wasm/lower_state.h"
#include "wasm/opcodes.h"
#include "wasm/shim.h"
#include "wasm/validate.h"

#define NO_PATCH UINT32_MAX

struct lctl {
    uint32_t op;
    uint32_t height; /* operand height below the block's params */
    uint32_t nparams, nresults;
    uint32_t start_pc;
    uint32_t if_patch; /* operand of this if's IF, until an else or end resolves it */
    uint32_t *fixups;
    uint32_t nfixups, capfixups;
    bool dead;
    uint32_t handler; /* TRY, CATCH: the try's entry in the handler table */
    uint32_t slot;    /* TRY, CATCH: its hidden local, holding what it caught */
};

void lower_emit(struct lstate *s, uint32_t w)
{
    struct wasm_lowered *o = s->out;

    if (o->ncode == s->cap_code) {
        uint32_t cap = s->cap_code ? s->cap_code * 2 : 64;
        uint32_t *c = wasm_platform_realloc(o->code, cap * sizeof(*c));
        if (!c) {
            s->nomem = true;
            return;
        }
        o->code = c;
        s->cap_code = cap;
    }
    o->code[o->ncode++] = w;
}

/* Starts an instruction: its opcode word, and its place in the trap-location table. */
void lower_emit_op(struct lstate *s, uint32_t op, uint32_t offset)
{
    struct wasm_lowered *o = s->out;

    if (o->nwhere == s->cap_where) {
        uint32_t cap = s->cap_where ? s->cap_where * 2 : 64;
        uint32_t *w = wasm_platform_realloc(o->where, cap * 2 * sizeof(*w));
        if (!w) {
            s->nomem = true;
            return;
        }
        o->where = w;
        s->cap_where = cap;
    }
    o->where[o->nwhere * 2] = o->ncode;
    o->where[o->nwhere * 2 + 1] = offset;
    o->nwhere++;
    s->last_pc[0] = s->last_pc[1];
    s->last_op[0] = s->last_op[1];
    s->last_pc[1] = o->ncode;
    s->last_op[1] = op;
    lower_emit(s, op);
}

/* Code from here on may be reached by a branch: nothing before it may be fused in. */
static void set_barrier(struct lstate *s)
{
    s->barrier = s->out->ncode;
}

/* Drops the last `n` instructions (their code and trap-location rows). */
void lower_unemit(struct lstate *s, uint32_t n)
{
    struct wasm_lowered *o = s->out;
    uint32_t start = s->last_pc[2 - n];

    o->ncode = start;
    while (o->nwhere && o->where[(o->nwhere - 1) * 2] >= start) o->nwhere--;
}

static void height_add(struct lstate *s, int delta)
{
    s->h = (uint32_t)((int64_t)s->h + delta);
    if (s->h > s->max_h) s->max_h = s->h;
}

static void add_fixup(struct lstate *s, struct lctl *c, uint32_t at)
{
    if (c->nfixups == c->capfixups) {
        uint32_t cap = c->capfixups ? c->capfixups * 2 : 4;
        uint32_t *f = wasm_platform_realloc(c->fixups, cap * sizeof(*f));
        if (!f) {
            s->nomem = true;
            return;
        }
        c->fixups = f;
        c->capfixups = cap;
    }
    c->fixups[c->nfixups++] = at;
}

/* A branch's target word for label `l`, relative to `base` (the branch's opcode, see
 * interp.h): at once for a loop; for a block the word holds its distance from `base`
 * until the block's end adds the rest (end_ctl). */
static void emit_rel(struct lstate *s, uint32_t l, uint32_t base)
{
    struct lctl *c = &s->ctls[s->nctls - 1 - l];

    if (c->op == WASM_OP_LOOP) {
        lower_emit(s, c->start_pc - base);
    } else {
        add_fixup(s, c, s->out->ncode);
        lower_emit(s, s->out->ncode - base);
    }
}

/* The three branch operands for label `l`: target, destination, arity. */
static void emit_branch_target(struct lstate *s, uint32_t l, uint32_t base)
{
    struct lctl *c = &s->ctls[s->nctls - 1 - l];

    emit_rel(s, l, base);
    lower_emit(s, s->out->nlocals + c->height);
    lower_emit(s, c->op == WASM_OP_LOOP ? c->nparams : c->nresults);
}

/* Whether a branch to label `l` finds its values already where the label wants them (the
 * usual case: nothing above them), so it need not move them or reset sp. */
static bool branch_in_place(const struct lstate *s, uint32_t l)
{
    const struct lctl *c = &s->ctls[s->nctls - 1 - l];

    return s->h == c->height + (c->op == WASM_OP_LOOP ? c->nparams : c->nresults);
}

static bool push_ctl(struct lstate *s, uint32_t op, int64_t bt)
{
    struct lctl *c;
    const uint8_t *p, *r;
    uint32_t np, nr;

    if (!wasm_blocktype(s->m, bt, &np, &p, &nr, &r)) return false;
    c = &s->ctls[s->nctls++];
    *c = (struct lctl){.op = op,
                       .height = s->h - np,
                       .nparams = np,
                       .nresults = nr,
                       .start_pc = s->out->ncode,
                       .if_patch = NO_PATCH};
    return true;
}

static void end_ctl(struct lstate *s, uint32_t offset)
{
    struct lctl *c = &s->ctls[s->nctls - 1];

    if (c->if_patch != NO_PATCH) s->out->code[c->if_patch] += s->out->ncode - c->if_patch;
    for (uint32_t i = 0; i < c->nfixups; i++)
        s->out->code[c->fixups[i]] += s->out->ncode - c->fixups[i];
    wasm_platform_free(c->fixups);
    s->h = c->height + c->nresults;
    if (s->h > s->max_h) s->max_h = s->h;
    s->nctls--;
    if (s->nctls == 0) lower_emit_op(s, IOP_RETURN, offset);
}

static int sig_delta(const char *sig)
{
    int d = 0;

    for (; *sig != ':'; sig++) d--;
    for (sig++; *sig; sig++) d++;
    return d;
}

static uint32_t iop_of(uint32_t op)
{
    return op >= 0xfc00 ? IOP_PREFIX_FC | (op & 0xff) : op;
}

static void lower_branch_table(struct lstate *s, const struct wasm_instr *in)
{
    struct wasm_reader lr = {in->labels, s->m->bytes + s->m->len, s->m->bytes, 0, NULL};
    bool in_place;
    uint32_t base;

    height_add(s, -1);
    in_place = branch_in_place(s, in->a); /* then every other label */
    for (uint32_t i = 0; i < in->nlabels; i++) {
        uint32_t l = 0;
        wasm_read_u32(&lr, &l); /* validated already: cannot fail */
        in_place = in_place && branch_in_place(s, l);
    }
    lr.p = in->labels;
    lower_emit_op(s, in_place ? IOP_BR_TABLE_N : IOP_BR_TABLE, in->offset);
    base = s->last_pc[1];
    lower_emit(s, in->nlabels);
    for (uint32_t i = 0; i < in->nlabels; i++) {
        uint32_t l = 0;
        wasm_read_u32(&lr, &l);
        if (in_place)
            emit_rel(s, l, base);
        else
            emit_branch_target(s, l, s->out->ncode - 1);
    }
    if (in_place)
        emit_rel(s, in->a, base);
    else
        emit_branch_target(s, in->a, s->out->ncode - 1);
}

/* Instructions whose effect on the stack is not a fixed signature. */
static bool lower_special(struct lstate *s, const struct wasm_instr *in)
{
    const struct wasm_module *m = s->m;
    const struct wasm_functype *t;

    switch (in->op) {
    case WASM_OP_LOCAL_GET:
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_REF_FUNC: height_add(s, 1); break;
    case WASM_OP_LOCAL_SET:
        if (lower_fused_set(s, in->a)) return true;
        height_add(s, -1);
        break;
    case WASM_OP_GLOBAL_SET: height_add(s, -1); break;
    case WASM_OP_LOCAL_TEE:
        /* a fused set, then a get that may fuse in turn */
        if (lower_fused_set(s, in->a)) {
            height_add(s, 1);
            lower_emit_op(s, WASM_OP_LOCAL_GET, in->offset);
            lower_emit(s, in->a);
            return true;
        }
        break;
    case WASM_OP_TABLE_GET:
    case WASM_OP_REF_IS_NULL:
    case WASM_OP_DATA_DROP:
    case WASM_OP_ELEM_DROP: break;
    case WASM_OP_DROP:
        height_add(s, -1);
        lower_emit_op(s, WASM_OP_DROP, in->offset);
        return true;
    case WASM_OP_SELECT:
    case WASM_OP_SELECT_T:
        height_add(s, -2);
        lower_emit_op(s, WASM_OP_SELECT, in->offset);
        return true;
    case WASM_OP_REF_NULL:
    case WASM_OP_TABLE_SIZE: height_add(s, 1); break;
    case WASM_OP_TABLE_SET: height_add(s, -2); break;
    case WASM_OP_TABLE_GROW: height_add(s, -1); break;
    case WASM_OP_TABLE_FILL:
    case WASM_OP_TABLE_COPY:
    case WASM_OP_TABLE_INIT: height_add(s, -3); break;
    case WASM_OP_CALL:
        t = wasm_module_func_type(m, in->a);
        height_add(s, (int)t->nresults - (int)t->nparams);
        break;
    case WASM_OP_CALL_INDIRECT:
        t = &m->types[in->a];
        height_add(s, (int)t->nresults - (int)t->nparams - 1);
        break;
    default: return false;
    }
    lower_emit_op(s, iop_of(in->op), in->offset);
    switch (in->op) {
    case WASM_OP_REF_IS_NULL:
    case WASM_OP_REF_NULL: break;
    case WASM_OP_CALL_INDIRECT:
    case WASM_OP_TABLE_COPY:
    case WASM_OP_TABLE_INIT:
        lower_emit(s, in->a);
        lower_emit(s, in->b);
        break;
    default: lower_emit(s, in->a); break;
    }
    return true;
}

static bool lower_exception_op(struct lstate *s, const struct wasm_instr *in);

static bool lower_control(struct lstate *s, const struct wasm_instr *in)
{
    struct lctl *c = &s->ctls[s->nctls - 1];
    uint32_t floor = s->barrier; /* a condition computed since may fuse into a branch */

    if (in->op <= WASM_OP_RETURN)
        set_barrier(s); /* loop heads, else branches: control never fuses across */

    switch (in->op) {
    case WASM_OP_NOP: return true;
    case WASM_OP_UNREACHABLE:
        lower_emit_op(s, WASM_OP_UNREACHABLE, in->offset);
        c->dead = true;
        return true;
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP: return push_ctl(s, in->op, in->blocktype);
    case WASM_OP_IF:
        height_add(s, -1);
        if (!lower_fused_cond(s, floor, true)) lower_emit_op(s, IOP_IF, in->offset);
        if (!push_ctl(s, in->op, in->blocktype)) return false;
        s->ctls[s->nctls - 1].if_patch = s->out->ncode;
        lower_emit(s, s->out->ncode - s->last_pc[1]);
        break;
    case WASM_OP_ELSE:
        if (!c->dead) {
            lower_emit_op(s, IOP_JUMP, in->offset);
            add_fixup(s, c, s->out->ncode);
            lower_emit(s, 1); /* the distance from the JUMP to this word */
        }
        s->out->code[c->if_patch] += s->out->ncode - c->if_patch;
        c->if_patch = NO_PATCH;
        c->op = WASM_OP_ELSE;
        c->dead = false;
        s->h = c->height + c->nparams;
        break;
    case WASM_OP_END:
        if (c->op == WASM_OP_TRY) s->out->handlers[c->handler].end = s->out->ncode;
        if (c->op == WASM_OP_TRY || c->op == WASM_OP_CATCH) s->tries--;
        end_ctl(s, in->offset);
        break;
    case WASM_OP_TRY:
    case WASM_OP_CATCH:
    case WASM_OP_CATCH_ALL:
    case WASM_OP_DELEGATE:
    case WASM_OP_THROW:
    case WASM_OP_RETHROW:
        if (!lower_exception_op(s, in)) return false;
        break;
    case WASM_OP_BR:
        if (branch_in_place(s, in->a)) {
            lower_emit_op(s, IOP_JUMP, in->offset);
            emit_rel(s, in->a, s->last_pc[1]);
        } else {
            lower_emit_op(s, IOP_BR, in->offset);
            emit_branch_target(s, in->a, s->last_pc[1]);
        }
        c->dead = true;
        break;
    case WASM_OP_BR_IF:
        height_add(s, -1);
        if (branch_in_place(s, in->a)) {
            if (!lower_fused_cond(s, floor, false)) lower_emit_op(s, IOP_BR_IF_N, in->offset);
            emit_rel(s, in->a, s->last_pc[1]);
        } else {
            lower_emit_op(s, IOP_BR_IF, in->offset);
            emit_branch_target(s, in->a, s->last_pc[1]);
        }
        break;
    case WASM_OP_BR_TABLE:
        lower_branch_table(s, in);
        c->dead = true;
        break;
    case WASM_OP_RETURN:
        lower_emit_op(s, IOP_RETURN, in->offset);
        c->dead = true;
        break;
    case WASM_OP_RETURN_CALL:
    case WASM_OP_RETURN_CALL_INDIRECT:
        /* the callee replaces this frame: [op] [func] or [op] [type] [table] */
        lower_emit_op(s, in->op, in->offset);
        lower_emit(s, in->a);
        if (in->op == WASM_OP_RETURN_CALL_INDIRECT) lower_emit(s, in->b);
        c->dead = true;
        break;
    default: return false;
    }
    set_barrier(s); /* nor does anything after a branch fuse with what came before it */
    return true;
}

static bool lower_instr(struct lstate *s, const struct wasm_instr *in)
{
    const char *sig;

    if (lower_control(s, in) || lower_special(s, in)) return true;
    sig = wasm_op_signature(in->op);
    WASM_ASSERT(sig != NULL);
    height_add(s, sig_delta(sig));
    if (in->op >= WASM_OP_I32_LOAD && in->op <= WASM_OP_I64_STORE32 && in->mem != 0) {
        /* a memory other than 0 (multi-memory): [op] [memory] [offset], never fused */
        lower_emit_op(s, (in->op < IOP_STORE_FIRST ? IOP_LOAD_X : IOP_STORE_X) + in->op,
                      in->offset);
        lower_emit(s, in->mem);
        lower_emit(s, in->b);
        return true;
    }
    if (lower_fused_bin(s, in) || lower_fused_load(s, in) || lower_fused_store(s, in)) return true;
    lower_emit_op(s, iop_of(in->op), in->offset);
    switch (in->op) {
    case WASM_OP_I32_CONST:
    case WASM_OP_F32_CONST: lower_emit(s, (uint32_t)in->value); break;
    case WASM_OP_I64_CONST:
    case WASM_OP_F64_CONST:
        lower_emit(s, (uint32_t)in->value);
        lower_emit(s, (uint32_t)(in->value >> 32));
        break;
    case WASM_OP_MEMORY_SIZE:
    case WASM_OP_MEMORY_GROW:
    case WASM_OP_MEMORY_FILL: lower_emit(s, in->a); break; /* [memory] */
    case WASM_OP_MEMORY_INIT:                              /* [data] [memory] */
    case WASM_OP_MEMORY_COPY:                              /* [dst memory] [src memory] */
        lower_emit(s, in->a);
        lower_emit(s, in->b);
        break;
    default:
        if (in->op >= WASM_OP_I32_LOAD && in->op <= WASM_OP_I64_STORE32)
            lower_emit(s, in->b); /* the offset; alignment is only a hint */
        break;
    }
    return true;
}

/* Grows one of the lowered body's tables by one entry: its index, or UINT32_MAX. */
static uint32_t table_add(struct lstate *s, void **table, uint32_t *n, uint32_t *cap, size_t size)
{
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 4;
        void *t = wasm_platform_realloc(*table, c * size);
        if (!t) {
            s->nomem = true;
            return UINT32_MAX;
        }
        *table = t;
        *cap = c;
    }
    return (*n)++;
}

/*
 * try, catch, catch_all, delegate, throw, rethrow. A try emits no code: it opens an entry
 * in the handler table (interp.h) whose body range closes at its first clause, its
 * delegate or its end; each clause records where it starts, and the body jumps over the
 * clauses like an if's then-branch over its else.
 */
static bool lower_exception_op(struct lstate *s, const struct wasm_instr *in)
{
    struct wasm_lowered *o = s->out;
    struct lctl *c = &s->ctls[s->nctls - 1];
    const struct wasm_functype *t;
    uint32_t i;

    switch (in->op) {
    case WASM_OP_TRY:
        if (!push_ctl(s, WASM_OP_TRY, in->blocktype)) return false;
        c = &s->ctls[s->nctls - 1];
        c->slot = s->exc_base + s->tries++;
        c->handler = table_add(s, (void **)&o->handlers, &o->nhandlers, &s->cap_handlers,
                               sizeof(*o->handlers));
        if (c->handler != UINT32_MAX)
            o->handlers[c->handler] = (struct wasm_handler){
                o->ncode, UINT32_MAX, WASM_HANDLER_CATCHES, o->nlocals + c->height, c->slot};
        return true;
    case WASM_OP_CATCH:
    case WASM_OP_CATCH_ALL:
        if (c->op == WASM_OP_TRY) o->handlers[c->handler].end = o->ncode;
        if (!c->dead) {
            lower_emit_op(s, IOP_JUMP, in->offset);
            add_fixup(s, c, o->ncode);
            lower_emit(s, 1); /* the distance from the JUMP to this word */
        }
        i = table_add(s, (void **)&o->catches, &o->ncatches, &s->cap_catches, sizeof(*o->catches));
        if (i != UINT32_MAX)
            o->catches[i] = (struct wasm_catch){
                c->handler, in->op == WASM_OP_CATCH ? in->a : WASM_CATCH_ALL, o->ncode};
        c->op = WASM_OP_CATCH;
        c->dead = false;
        s->h = c->height;
        if (in->op == WASM_OP_CATCH) height_add(s, (int)s->m->types[s->m->tags[in->a]].nparams);
        return true;
    case WASM_OP_DELEGATE: {
        /* on to the innermost try around the label's block still in its body, if any */
        int32_t target = -1;
        for (i = s->nctls - 1 - in->a; i-- > 0;)
            if (s->ctls[i].op == WASM_OP_TRY) {
                target = (int32_t)s->ctls[i].handler;
                break;
            }
        o->handlers[c->handler].end = o->ncode;
        o->handlers[c->handler].delegate = target;
        s->tries--;
        end_ctl(s, in->offset);
        return true;
    }
    case WASM_OP_THROW:
        t = &s->m->types[s->m->tags[in->a]];
        height_add(s, -(int)t->nparams);
        lower_emit_op(s, WASM_OP_THROW, in->offset);
        lower_emit(s, in->a);
        c->dead = true;
        return true;
    case WASM_OP_RETHROW:
        lower_emit_op(s, WASM_OP_RETHROW, in->offset);
        lower_emit(s, s->ctls[s->nctls - 1 - in->a].slot);
        c->dead = true;
        return true;
    }
    return false;
}

/* Skips an unreachable tail: true when it reaches the `else` or `end` of its frame. */
static bool skip_dead(struct wasm_reader *r, struct wasm_instr *in, bool *ok)
{
    uint32_t depth = 0;

    for (;;) {
        bool closes;
        if (!wasm_read_instr(r, in)) {
            *ok = false;
            return true;
        }
        closes = in->op == WASM_OP_END || in->op == WASM_OP_DELEGATE;
        if (in->op == WASM_OP_BLOCK || in->op == WASM_OP_LOOP || in->op == WASM_OP_IF ||
            in->op == WASM_OP_TRY)
            depth++;
        else if (closes && depth)
            depth--;
        else if (depth == 0 && (closes || in->op == WASM_OP_ELSE || in->op == WASM_OP_CATCH ||
                                in->op == WASM_OP_CATCH_ALL))
            return true;
    }
}

static int lower_func(struct wasm_module *m, uint32_t index, struct wasm_error *err)
{
    struct wasm_code *code = &m->codes[index - m->nimported_funcs];
    const struct wasm_functype *ft = wasm_module_func_type(m, index);
    struct wasm_lowered *out = wasm_calloc(1, sizeof(*out));
    struct lstate s = {.m = m, .out = out};
    struct wasm_reader r = {code->body, code->body + code->body_len, m->bytes, 10, err};
    bool ok = true;

    if (!out) return TK_ERR_NOMEM;
    code->lowered = out;
    s.exc_base = ft->nparams + code->nlocals;
    out->nlocals = s.exc_base + code->max_tries; /* the hidden locals last */
    out->nparams = ft->nparams;
    out->nresults = ft->nresults;
    s.ctls = wasm_calloc(code->max_blocks + 1, sizeof(*s.ctls));
    if (!s.ctls) return TK_ERR_NOMEM;
    s.ctls[0] = (struct lctl){.op = WASM_OP_BLOCK, .nresults = ft->nresults, .if_patch = NO_PATCH};
    s.nctls = 1;
    while (ok && s.nctls > 0 && !s.nomem) {
        struct wasm_instr in;
        if (s.ctls[s.nctls - 1].dead) {
            if (!skip_dead(&r, &in, &ok) || !ok) break;
        } else if (!wasm_read_instr(&r, &in)) {
            ok = false;
            break;
        }
        if (!lower_instr(&s, &in)) ok = false;
    }
    for (uint32_t i = 0; i < s.nctls; i++) wasm_platform_free(s.ctls[i].fixups);
    wasm_platform_free(s.ctls);
    out->max_stack = s.max_h;
    out->frame_slots = (uint64_t)out->nlocals + out->max_stack + WASM_FRAME_SLACK;
    if (s.nomem) return TK_ERR_NOMEM;
    return ok ? 0 : TK_ERR_MALFORMED; /* validated code: not reached */
}

int wasm_lower_module(struct wasm_module *module, struct wasm_error *err)
{
    for (uint32_t i = module->nimported_funcs; i < module->nfuncs; i++) {
        int r = lower_func(module, i, err);
        if (r < 0) {
            if (!err->code) {
                err->code = r;
                err->reason = "out of memory";
            }
            return r;
        }
    }
    return 0;
}

void wasm_lower_free(struct wasm_module *module)
{
    for (uint32_t i = 0; module->codes && i < module->ncodes; i++) {
        struct wasm_lowered *l = module->codes[i].lowered;
        if (!l) continue;
        wasm_platform_free(l->code);
        wasm_platform_free(l->where);
        wasm_platform_free(l->handlers);
        wasm_platform_free(l->catches);
        wasm_platform_free(l);
        module->codes[i].lowered = NULL;
    }
}
