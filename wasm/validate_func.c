/*
 * Function body validation: the spec's algorithm (Appendix "Validation Algorithm") with an
 * operand stack of types and a control stack of frames. After an unconditional branch
 * the frame is "unreachable" and pops below its height yield WASM_UNKNOWN, which matches
 * any type (stack polymorphism). Records the body's maximum operand height and nesting
 * depth for the lowering.
 */
#include <takara/error.h>

#include "wasm/instr.h"
#include "wasm/opcodes.h"
#include "wasm/shim.h"
#include "wasm/validate.h"

#define WASM_UNKNOWN 0

struct ctl {
    uint32_t op; /* BLOCK, LOOP, IF, ELSE, TRY, CATCH, CATCH_ALL, or END for the function */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    uint32_t height;
    bool unreachable;
};

struct vstate {
    struct wasm_module *m;
    struct wasm_reader r;
    uint8_t *vals;
    uint32_t nvals, cap_vals, max_vals;
    struct ctl *ctls;
    uint32_t nctls, cap_ctls, max_ctls;
    uint8_t *locals; /* params then declared locals */
    uint32_t nlocals;
    uint32_t last_op;           /* the instruction being validated */
    uint32_t ntries, max_tries; /* open try blocks (in their body or a catch clause) */
};

static bool is_try(uint32_t op)
{
    return op == WASM_OP_TRY || op == WASM_OP_CATCH || op == WASM_OP_CATCH_ALL;
}

static bool is_block_start(uint32_t op)
{
    return op == WASM_OP_BLOCK || op == WASM_OP_LOOP || op == WASM_OP_IF || op == WASM_OP_TRY;
}

static bool fail(struct vstate *s, const char *why)
{
    return wasm_reader_fail_code(&s->r, TK_ERR_INVALID, why);
}

static bool nomem(struct vstate *s)
{
    return wasm_reader_fail_code(&s->r, TK_ERR_NOMEM, "out of memory");
}

static bool push(struct vstate *s, uint8_t t)
{
    if (s->nvals == s->cap_vals) {
        uint32_t cap = s->cap_vals ? s->cap_vals * 2 : 64;
        uint8_t *v = wasm_platform_realloc(s->vals, cap);
        if (!v) return nomem(s);
        s->vals = v;
        s->cap_vals = cap;
    }
    s->vals[s->nvals++] = t;
    if (s->nvals > s->max_vals) s->max_vals = s->nvals;
    return true;
}

static bool pop(struct vstate *s, uint8_t *out)
{
    struct ctl *c = &s->ctls[s->nctls - 1];

    if (s->nvals == c->height) {
        if (c->unreachable) {
            *out = WASM_UNKNOWN;
            return true;
        }
        return fail(s, "type mismatch");
    }
    *out = s->vals[--s->nvals];
    return true;
}

static bool pop_expect(struct vstate *s, uint8_t want)
{
    uint8_t t;

    if (!pop(s, &t)) return false;
    if (t != want && t != WASM_UNKNOWN && want != WASM_UNKNOWN) return fail(s, "type mismatch");
    return true;
}

static bool pop_types(struct vstate *s, uint32_t n, const uint8_t *types)
{
    for (uint32_t i = n; i-- > 0;)
        if (!pop_expect(s, types[i])) return false;
    return true;
}

static bool push_types(struct vstate *s, uint32_t n, const uint8_t *types)
{
    for (uint32_t i = 0; i < n; i++)
        if (!push(s, types[i])) return false;
    return true;
}

static bool push_ctl(struct vstate *s, uint32_t op, int64_t bt)
{
    struct ctl *c;

    if (s->nctls == s->cap_ctls) {
        uint32_t cap = s->cap_ctls ? s->cap_ctls * 2 : 16;
        struct ctl *n = wasm_platform_realloc(s->ctls, cap * sizeof(*n));
        if (!n) return nomem(s);
        s->ctls = n;
        s->cap_ctls = cap;
    }
    c = &s->ctls[s->nctls];
    c->op = op;
    if (!wasm_blocktype(s->m, bt, &c->nparams, &c->params, &c->nresults, &c->results))
        return fail(s, "unknown type");
    if (!pop_types(s, c->nparams, c->params)) return false;
    c->height = s->nvals;
    c->unreachable = false;
    s->nctls++;
    if (s->nctls > s->max_ctls) s->max_ctls = s->nctls;
    return push_types(s, c->nparams, c->params);
}

/* Types a branch to `label` carries: a loop's params, any other block's results. */
static void label_types(const struct ctl *c, uint32_t *n, const uint8_t **types)
{
    if (c->op == WASM_OP_LOOP) {
        *n = c->nparams;
        *types = c->params;
    } else {
        *n = c->nresults;
        *types = c->results;
    }
}

static void set_unreachable(struct vstate *s)
{
    struct ctl *c = &s->ctls[s->nctls - 1];

    s->nvals = c->height;
    c->unreachable = true;
}

static bool pop_ctl_end(struct vstate *s, struct ctl *out)
{
    struct ctl *c = &s->ctls[s->nctls - 1];

    if (!pop_types(s, c->nresults, c->results)) return false;
    if (s->nvals != c->height) return fail(s, "type mismatch");
    *out = *c;
    s->nctls--;
    return true;
}

static bool check_label(struct vstate *s, uint32_t label, struct ctl **out)
{
    if (label >= s->nctls) return fail(s, "unknown label");
    *out = &s->ctls[s->nctls - 1 - label];
    return true;
}

/* A fixed-signature instruction: "params:results" over i I f F. */
static bool apply_signature(struct vstate *s, const char *sig)
{
    static const uint8_t code[128] = {
        ['i'] = WASM_I32, ['I'] = WASM_I64, ['f'] = WASM_F32, ['F'] = WASM_F64};
    const char *colon = sig;

    while (*colon != ':') colon++;
    for (const char *p = colon; p-- > sig;)
        if (!pop_expect(s, code[(unsigned char)*p])) return false;
    for (const char *p = colon + 1; *p; p++)
        if (!push(s, code[(unsigned char)*p])) return false;
    return true;
}

static bool need_memory(struct vstate *s, uint32_t mem)
{
    return mem < s->m->nmemories ? true : fail(s, "unknown memory");
}

static bool need_table(struct vstate *s, uint32_t t)
{
    return t < s->m->ntables ? true : fail(s, "unknown table");
}

static bool is_ref(uint8_t t)
{
    return t == WASM_FUNCREF || t == WASM_EXTERNREF || t == WASM_UNKNOWN;
}

static bool is_num(uint8_t t)
{
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 || t == WASM_UNKNOWN;
}

static bool validate_branch_table(struct vstate *s, const struct wasm_instr *in)
{
    struct wasm_reader lr = s->r;
    struct ctl *def;
    uint32_t arity, n;
    const uint8_t *types;

    if (!pop_expect(s, WASM_I32) || !check_label(s, in->a, &def)) return false;
    label_types(def, &arity, &types);
    lr.p = in->labels;
    for (uint32_t i = 0; i < in->nlabels; i++) {
        uint32_t l;
        struct ctl *c;
        if (!wasm_read_u32(&lr, &l) || !check_label(s, l, &c)) return false;
        label_types(c, &n, &types);
        if (n != arity) return fail(s, "type mismatch");
        /* each target's types must accept the operands: check without consuming */
        for (uint32_t k = n; k-- > 0;) {
            uint32_t depth = n - 1 - k;
            struct ctl *top = &s->ctls[s->nctls - 1];
            uint8_t t;
            if (s->nvals - depth <= top->height || s->nvals <= depth) {
                if (!top->unreachable) return fail(s, "type mismatch");
                continue;
            }
            t = s->vals[s->nvals - 1 - depth];
            if (t != types[k] && t != WASM_UNKNOWN) return fail(s, "type mismatch");
        }
    }
    label_types(def, &n, &types);
    if (!pop_types(s, n, types)) return false;
    set_unreachable(s);
    return true;
}

static bool validate_call(struct vstate *s, const struct wasm_functype *t)
{
    return pop_types(s, t->nparams, wasm_functype_params(t)) &&
           push_types(s, t->nresults, wasm_functype_results(t));
}

/* A tail call: the callee's results must be exactly the caller's, as it returns them. */
static bool validate_return_call(struct vstate *s, const struct wasm_functype *t)
{
    const struct ctl *fn = &s->ctls[0];

    if (t->nresults != fn->nresults || memcmp(wasm_functype_results(t), fn->results, t->nresults))
        return fail(s, "type mismatch");
    if (!pop_types(s, t->nparams, wasm_functype_params(t))) return false;
    set_unreachable(s);
    return true;
}

/* try, catch, catch_all, delegate, throw, rethrow (the legacy exception handling). */
static bool validate_exception_op(struct vstate *s, const struct wasm_instr *in)
{
    const struct wasm_module *m = s->m;
    struct ctl *c = &s->ctls[s->nctls - 1], ended;
    const struct wasm_functype *t;

    switch (in->op) {
    case WASM_OP_TRY:
        if (!push_ctl(s, in->op, in->blocktype)) return false;
        if (++s->ntries > s->max_tries) s->max_tries = s->ntries;
        return true;
    case WASM_OP_CATCH:
    case WASM_OP_CATCH_ALL:
        if (c->op != WASM_OP_TRY && c->op != WASM_OP_CATCH)
            return fail(s,
                        c->op == WASM_OP_CATCH_ALL ? "catch after catch_all" : "catch without try");
        if (in->op == WASM_OP_CATCH && in->a >= m->ntags) return fail(s, "unknown tag");
        if (!pop_ctl_end(s, &ended)) return false;
        s->nctls++; /* the same frame again, as the handler */
        c->op = in->op;
        c->unreachable = false;
        if (in->op == WASM_OP_CATCH_ALL) return true;
        t = &m->types[m->tags[in->a]];
        return push_types(s, t->nparams, wasm_functype_params(t));
    case WASM_OP_DELEGATE:
        if (c->op != WASM_OP_TRY) return fail(s, "delegate without try");
        if (in->a >= s->nctls - 1) return fail(s, "unknown label"); /* counted outside the try */
        if (!pop_ctl_end(s, &ended)) return false;
        s->ntries--;
        return push_types(s, ended.nresults, ended.results);
    case WASM_OP_THROW:
        if (in->a >= m->ntags) return fail(s, "unknown tag");
        t = &m->types[m->tags[in->a]];
        if (!pop_types(s, t->nparams, wasm_functype_params(t))) return false;
        set_unreachable(s);
        return true;
    case WASM_OP_RETHROW:
        if (!check_label(s, in->a, &c)) return false;
        if (c->op != WASM_OP_CATCH && c->op != WASM_OP_CATCH_ALL)
            return fail(s, "invalid rethrow label");
        set_unreachable(s);
        return true;
    }
    return fail(s, "illegal opcode");
}

static bool validate_variable(struct vstate *s, const struct wasm_instr *in)
{
    struct wasm_module *m = s->m;

    switch (in->op) {
    case WASM_OP_LOCAL_GET:
        if (in->a >= s->nlocals) return fail(s, "unknown local");
        return push(s, s->locals[in->a]);
    case WASM_OP_LOCAL_SET:
        if (in->a >= s->nlocals) return fail(s, "unknown local");
        return pop_expect(s, s->locals[in->a]);
    case WASM_OP_LOCAL_TEE:
        if (in->a >= s->nlocals) return fail(s, "unknown local");
        return pop_expect(s, s->locals[in->a]) && push(s, s->locals[in->a]);
    case WASM_OP_GLOBAL_GET:
        if (in->a >= m->nglobals) return fail(s, "unknown global");
        return push(s, m->globals[in->a].type.type);
    case WASM_OP_GLOBAL_SET:
        if (in->a >= m->nglobals) return fail(s, "unknown global");
        if (!m->globals[in->a].type.mutable_) return fail(s, "global is immutable");
        return pop_expect(s, m->globals[in->a].type.type);
    }
    return fail(s, "illegal opcode");
}

static bool validate_table_op(struct vstate *s, const struct wasm_instr *in)
{
    struct wasm_module *m = s->m;

    switch (in->op) {
    case WASM_OP_TABLE_GET:
        return need_table(s, in->a) && pop_expect(s, WASM_I32) && push(s, m->tables[in->a].elem);
    case WASM_OP_TABLE_SET:
        return need_table(s, in->a) && pop_expect(s, m->tables[in->a].elem) &&
               pop_expect(s, WASM_I32);
    case WASM_OP_TABLE_SIZE: return need_table(s, in->a) && push(s, WASM_I32);
    case WASM_OP_TABLE_GROW:
        return need_table(s, in->a) && pop_expect(s, WASM_I32) &&
               pop_expect(s, m->tables[in->a].elem) && push(s, WASM_I32);
    case WASM_OP_TABLE_FILL:
        return need_table(s, in->a) && pop_expect(s, WASM_I32) &&
               pop_expect(s, m->tables[in->a].elem) && pop_expect(s, WASM_I32);
    case WASM_OP_TABLE_COPY:
        if (!need_table(s, in->a) || !need_table(s, in->b)) return false;
        if (m->tables[in->a].elem != m->tables[in->b].elem) return fail(s, "type mismatch");
        return apply_signature(s, "iii:");
    case WASM_OP_TABLE_INIT:
        if (!need_table(s, in->b)) return false;
        if (in->a >= m->nelems) return fail(s, "unknown elem segment");
        if (m->elems[in->a].type != m->tables[in->b].elem) return fail(s, "type mismatch");
        return apply_signature(s, "iii:");
    case WASM_OP_ELEM_DROP: return in->a < m->nelems ? true : fail(s, "unknown elem segment");
    }
    return fail(s, "illegal opcode");
}

static bool validate_control(struct vstate *s, const struct wasm_instr *in, bool *done)
{
    struct ctl *c, ended;
    uint32_t n;
    const uint8_t *types;

    switch (in->op) {
    case WASM_OP_UNREACHABLE: set_unreachable(s); return true;
    case WASM_OP_NOP: return true;
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP: return push_ctl(s, in->op, in->blocktype);
    case WASM_OP_IF: return pop_expect(s, WASM_I32) && push_ctl(s, in->op, in->blocktype);
    case WASM_OP_ELSE:
        c = &s->ctls[s->nctls - 1];
        if (c->op != WASM_OP_IF)
            return fail(s, "else without if"); /* malformed in the text format */
        if (!pop_ctl_end(s, &ended)) return false;
        s->nctls++; /* reopen the same frame as the else branch */
        c->op = WASM_OP_ELSE;
        c->unreachable = false;
        return push_types(s, c->nparams, c->params);
    case WASM_OP_END:
        c = &s->ctls[s->nctls - 1];
        /* an `if` without `else` must produce its results from its params */
        if (c->op == WASM_OP_IF &&
            (c->nparams != c->nresults || memcmp(c->params, c->results, c->nparams)))
            return fail(s, "type mismatch");
        if (!pop_ctl_end(s, &ended)) return false;
        if (is_try(ended.op)) s->ntries--;
        if (s->nctls == 0) {
            *done = true;
            return true;
        }
        return push_types(s, ended.nresults, ended.results);
    case WASM_OP_BR:
        if (!check_label(s, in->a, &c)) return false;
        label_types(c, &n, &types);
        if (!pop_types(s, n, types)) return false;
        set_unreachable(s);
        return true;
    case WASM_OP_BR_IF:
        if (!pop_expect(s, WASM_I32) || !check_label(s, in->a, &c)) return false;
        label_types(c, &n, &types);
        return pop_types(s, n, types) && push_types(s, n, types);
    case WASM_OP_BR_TABLE: return validate_branch_table(s, in);
    case WASM_OP_RETURN:
        c = &s->ctls[0];
        if (!pop_types(s, c->nresults, c->results)) return false;
        set_unreachable(s);
        return true;
    case WASM_OP_CALL:
        if (in->a >= s->m->nfuncs) return fail(s, "unknown function");
        return validate_call(s, wasm_module_func_type(s->m, in->a));
    case WASM_OP_CALL_INDIRECT:
        if (!need_table(s, in->b)) return false;
        if (in->a >= s->m->ntypes) return fail(s, "unknown type");
        if (s->m->tables[in->b].elem != WASM_FUNCREF) return fail(s, "type mismatch");
        return pop_expect(s, WASM_I32) && validate_call(s, &s->m->types[in->a]);
    case WASM_OP_RETURN_CALL:
        if (in->a >= s->m->nfuncs) return fail(s, "unknown function");
        return validate_return_call(s, wasm_module_func_type(s->m, in->a));
    case WASM_OP_RETURN_CALL_INDIRECT:
        if (!need_table(s, in->b)) return false;
        if (in->a >= s->m->ntypes) return fail(s, "unknown type");
        if (s->m->tables[in->b].elem != WASM_FUNCREF) return fail(s, "type mismatch");
        return pop_expect(s, WASM_I32) && validate_return_call(s, &s->m->types[in->a]);
    }
    return fail(s, "illegal opcode");
}

static bool validate_instr(struct vstate *s, const struct wasm_instr *in, bool *done)
{
    struct wasm_module *m = s->m;
    const char *sig;
    uint8_t t1, t2;

    switch (in->op) {
    case WASM_OP_UNREACHABLE:
    case WASM_OP_NOP:
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF:
    case WASM_OP_ELSE:
    case WASM_OP_END:
    case WASM_OP_BR:
    case WASM_OP_BR_IF:
    case WASM_OP_BR_TABLE:
    case WASM_OP_RETURN:
    case WASM_OP_CALL:
    case WASM_OP_CALL_INDIRECT:
    case WASM_OP_RETURN_CALL:
    case WASM_OP_RETURN_CALL_INDIRECT: return validate_control(s, in, done);
    case WASM_OP_TRY:
    case WASM_OP_CATCH:
    case WASM_OP_CATCH_ALL:
    case WASM_OP_DELEGATE:
    case WASM_OP_THROW:
    case WASM_OP_RETHROW: return validate_exception_op(s, in);
    case WASM_OP_DROP: return pop(s, &t1);
    case WASM_OP_SELECT:
        if (!pop_expect(s, WASM_I32) || !pop(s, &t1) || !pop(s, &t2)) return false;
        if (!is_num(t1) || !is_num(t2)) return fail(s, "type mismatch");
        if (t1 != t2 && t1 != WASM_UNKNOWN && t2 != WASM_UNKNOWN) return fail(s, "type mismatch");
        return push(s, t1 == WASM_UNKNOWN ? t2 : t1);
    case WASM_OP_SELECT_T:
        return pop_expect(s, WASM_I32) && pop_expect(s, in->valtype) &&
               pop_expect(s, in->valtype) && push(s, in->valtype);
    case WASM_OP_LOCAL_GET:
    case WASM_OP_LOCAL_SET:
    case WASM_OP_LOCAL_TEE:
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_GLOBAL_SET: return validate_variable(s, in);
    case WASM_OP_TABLE_GET:
    case WASM_OP_TABLE_SET:
    case WASM_OP_TABLE_SIZE:
    case WASM_OP_TABLE_GROW:
    case WASM_OP_TABLE_FILL:
    case WASM_OP_TABLE_COPY:
    case WASM_OP_TABLE_INIT:
    case WASM_OP_ELEM_DROP: return validate_table_op(s, in);
    case WASM_OP_MEMORY_INIT:
    case WASM_OP_DATA_DROP:
        if (in->op == WASM_OP_MEMORY_INIT && !need_memory(s, in->b)) return false;
        if (in->a >= m->ndatas) return fail(s, "unknown data segment");
        if (!m->has_datacount) return wasm_reader_fail(&s->r, "data count section required");
        return in->op == WASM_OP_DATA_DROP || apply_signature(s, "iii:");
    case WASM_OP_MEMORY_COPY:
        if (!need_memory(s, in->b)) return false;
        /* fall through: the destination memory is in->a like the others' */
    case WASM_OP_MEMORY_SIZE:
    case WASM_OP_MEMORY_GROW:
    case WASM_OP_MEMORY_FILL:
        return need_memory(s, in->a) && apply_signature(s, wasm_op_signature(in->op));
    case WASM_OP_REF_NULL: return push(s, in->valtype);
    case WASM_OP_REF_IS_NULL:
        if (!pop(s, &t1)) return false;
        return is_ref(t1) ? push(s, WASM_I32) : fail(s, "type mismatch");
    case WASM_OP_REF_FUNC:
        if (in->a >= m->nfuncs) return fail(s, "unknown function");
        if (!wasm_func_declared(m, in->a)) return fail(s, "undeclared function reference");
        return push(s, WASM_FUNCREF);
    }
    sig = wasm_op_signature(in->op);
    if (!sig) return wasm_reader_fail(&s->r, "illegal opcode");
    if (in->op >= WASM_OP_I32_LOAD && in->op <= WASM_OP_I64_STORE32) {
        if (!need_memory(s, in->mem)) return false;
        if (in->a > wasm_op_natural_align(in->op))
            return fail(s, "alignment must not be larger than natural");
    }
    return apply_signature(s, sig);
}

/*
 * The binary format is checked before validity: after a validation error, the rest of
 * the body is still decoded, and a malformed encoding there is what gets reported.
 */
static void prefer_malformed(struct vstate *s, struct wasm_error *err)
{
    struct wasm_error invalid = *err;
    uint32_t depth = s->nctls;

    /* the failing instruction was read: account for the block it opened or closed */
    if (s->last_op == WASM_OP_END || s->last_op == WASM_OP_DELEGATE)
        depth--;
    else if (is_block_start(s->last_op))
        depth++;

    *err = (struct wasm_error){0};
    while (depth > 0) {
        struct wasm_instr in;
        if (wasm_reader_left(&s->r) == 0) {
            wasm_reader_fail(&s->r, "unexpected end");
            return;
        }
        if (!wasm_read_instr(&s->r, &in)) {
            if (err->code == TK_ERR_MALFORMED) return;
            break;
        }
        if (is_block_start(in.op))
            depth++;
        else if (in.op == WASM_OP_END || in.op == WASM_OP_DELEGATE)
            depth--;
    }
    *err = invalid;
}

bool wasm_validate_func(struct wasm_module *m, uint32_t index, struct wasm_error *err)
{
    struct wasm_code *code = &m->codes[index - m->nimported_funcs];
    const struct wasm_functype *ft = wasm_module_func_type(m, index);
    struct vstate s = {.m = m};
    struct ctl *fn;
    bool done = false, ok = false;
    uint32_t k;

    s.r = (struct wasm_reader){code->body, code->body + code->body_len, m->bytes, 10, err};
    s.nlocals = ft->nparams + code->nlocals;
    s.locals = wasm_platform_alloc(s.nlocals ? s.nlocals : 1);
    if (!s.locals) {
        nomem(&s);
        goto out;
    }
    memcpy(s.locals, wasm_functype_params(ft), ft->nparams);
    k = ft->nparams;
    for (uint32_t i = 0; i < code->nlocal_runs; i++)
        for (uint32_t j = 0; j < code->local_runs[i].count; j++)
            s.locals[k++] = code->local_runs[i].type;
    /* the function's own frame: no params on the stack, its results at the end */
    if (!push_ctl(&s, WASM_OP_END, -64)) goto out;
    fn = &s.ctls[0];
    fn->nresults = ft->nresults;
    fn->results = wasm_functype_results(ft);
    while (!done) {
        struct wasm_instr in;
        if (wasm_reader_left(&s.r) == 0) {
            wasm_reader_fail(&s.r, "unexpected end of section or function");
            goto out;
        }
        s.last_op = 0xffff;
        if (!wasm_read_instr(&s.r, &in)) goto out;
        s.last_op = in.op;
        if (!validate_instr(&s, &in, &done)) goto out;
    }
    if (wasm_reader_left(&s.r) != 0) {
        wasm_reader_fail(&s.r, "END opcode expected");
        goto out;
    }
    code->max_stack = s.max_vals;
    code->max_blocks = s.max_ctls;
    code->max_tries = s.max_tries;
    ok = true;
out:
    if (!ok && err->code == TK_ERR_INVALID) prefer_malformed(&s, err);
    if (!ok && err->detail[0] == 0) {
        /* name the function for the reader of the error */
        const char *hex = "0123456789";
        char *d = err->detail;
        uint32_t v = index, div = 1000000000;
        memcpy(d, "in function ", 12);
        d += 12;
        while (div > 1 && v / div == 0) div /= 10;
        for (; div; div /= 10) *d++ = hex[v / div % 10];
        *d = 0;
    }
    wasm_platform_free(s.vals);
    wasm_platform_free(s.ctls);
    wasm_platform_free(s.locals);
    return ok;
}
