/*
 * Module-level validation: index spaces, limits, constant expressions, segments,
 * exports and the start function, then every body (validate_func.c). Also computes the
 * set of functions `ref.func` may name (C.refs in the spec).
 */
#include <takara/error.h>

#include "wasm/features.h"
#include "wasm/instr.h"
#include "wasm/opcodes.h"
#include "wasm/shim.h"
#include "wasm/validate.h"

#define WASM_MAX_PAGES 65536u

static bool invalid(struct wasm_error *err, const char *why)
{
    if (!err->code) {
        err->code = TK_ERR_INVALID;
        err->reason = why;
    }
    return false;
}

bool wasm_blocktype(const struct wasm_module *m, int64_t bt, uint32_t *nparams,
                    const uint8_t **params, uint32_t *nresults, const uint8_t **results)
{
    /* one static byte per value type, so single-result block types need no storage */
    static const uint8_t types[] = {WASM_I32,  WASM_I64,     WASM_F32,      WASM_F64,
                                    WASM_V128, WASM_FUNCREF, WASM_EXTERNREF};

    *nparams = 0;
    *params = NULL;
    if (bt == -64) { /* 0x40: empty */
        *nresults = 0;
        *results = NULL;
        return true;
    }
    if (bt < 0) {
        uint8_t code = (uint8_t)(bt & 0x7f);
        for (unsigned i = 0; i < sizeof(types); i++)
            if (types[i] == code && code != WASM_V128) {
                *nresults = 1;
                *results = &types[i];
                return true;
            }
        return false;
    }
    if ((uint64_t)bt >= m->ntypes) return false;
    *nparams = m->types[bt].nparams;
    *params = wasm_functype_params(&m->types[bt]);
    *nresults = m->types[bt].nresults;
    *results = wasm_functype_results(&m->types[bt]);
    return true;
}

bool wasm_func_declared(const struct wasm_module *m, uint32_t func)
{
    return m->declared_funcs && (m->declared_funcs[func / 8] >> (func % 8) & 1);
}

static void declare(struct wasm_module *m, uint32_t func)
{
    if (func < m->nfuncs) m->declared_funcs[func / 8] |= (uint8_t)(1u << (func % 8));
}

static bool check_init(struct wasm_module *m, struct wasm_init *in, uint8_t want,
                       struct wasm_error *err);

/* An extended constant expression: each instruction typed as in a body, on a stack whose
 * deepest point instantiation needs (in->index). */
static bool check_init_expr(struct wasm_module *m, struct wasm_init *in, struct wasm_error *err)
{
    struct wasm_reader r = {in->expr, in->expr + in->expr_len, m->bytes, 0, err};
    uint8_t *types = wasm_platform_alloc(in->expr_len);
    uint32_t n = 0, depth = 0;
    bool ok = false;

    if (!types) {
        err->code = TK_ERR_NOMEM;
        err->reason = "out of memory";
        return false;
    }
    for (;;) {
        struct wasm_instr ins;
        struct wasm_init one = {0};
        if (!wasm_read_instr(&r, &ins)) goto out;
        switch (ins.op) {
        case WASM_OP_END: ok = n == 1 ? true : invalid(err, "type mismatch"); goto out;
        case WASM_OP_I32_ADD:
        case WASM_OP_I32_SUB:
        case WASM_OP_I32_MUL:
        case WASM_OP_I64_ADD:
        case WASM_OP_I64_SUB:
        case WASM_OP_I64_MUL: {
            uint8_t t = ins.op <= WASM_OP_I32_MUL ? WASM_I32 : WASM_I64;
            if (n < 2 || types[n - 1] != t || types[n - 2] != t) {
                invalid(err, "type mismatch");
                goto out;
            }
            n--;
            continue;
        }
        case WASM_OP_I32_CONST: one.type = WASM_I32; break;
        case WASM_OP_I64_CONST: one.type = WASM_I64; break;
        case WASM_OP_F32_CONST: one.type = WASM_F32; break;
        case WASM_OP_F64_CONST: one.type = WASM_F64; break;
        case WASM_OP_REF_NULL: one.type = ins.valtype; break;
        case WASM_OP_REF_FUNC:
        case WASM_OP_GLOBAL_GET:
            /* the decoder let only constant instructions through: check them as one */
            one.kind = ins.op == WASM_OP_REF_FUNC ? WASM_INIT_REF_FUNC : WASM_INIT_GLOBAL_GET;
            one.type = WASM_FUNCREF;
            one.index = ins.a;
            if (one.kind == WASM_INIT_GLOBAL_GET) {
                if (ins.a >= m->nimported_globals) {
                    invalid(err, "unknown global");
                    goto out;
                }
                one.type = m->globals[ins.a].type.type;
            }
            if (!check_init(m, &one, one.type, err)) goto out;
            break;
        default: invalid(err, "constant expression required"); goto out;
        }
        types[n++] = one.type;
        if (n > depth) depth = n;
    }
out:
    if (ok) {
        in->type = types[0];
        in->index = depth;
        if (depth > m->max_init_depth) m->max_init_depth = depth;
    }
    wasm_platform_free(types);
    return ok;
}

/* A constant expression of type `want`; global.get may name imported globals only. */
static bool check_init(struct wasm_module *m, struct wasm_init *in, uint8_t want,
                       struct wasm_error *err)
{
    switch (in->kind) {
    case WASM_INIT_EXPR:
        if (!check_init_expr(m, in, err)) return false;
        break;
    case WASM_INIT_REF_FUNC:
        if (in->index >= m->nfuncs) return invalid(err, "unknown function");
        declare(m, in->index);
        break;
    case WASM_INIT_GLOBAL_GET:
        if (in->index >= m->nimported_globals) return invalid(err, "unknown global");
        if (m->globals[in->index].type.mutable_)
            return invalid(err, "constant expression required");
        in->type = m->globals[in->index].type.type;
        break;
    default: break;
    }
    return in->type == want ? true : invalid(err, "type mismatch");
}

static bool check_limits(const struct wasm_limits *l, uint64_t bound, const char *too_big,
                         struct wasm_error *err)
{
    if (l->min > bound || (l->has_max && l->max > bound)) return invalid(err, too_big);
    if (l->has_max && l->min > l->max)
        return invalid(err, "size minimum must not be greater than maximum");
    return true;
}

static bool check_exports(struct wasm_module *m, struct wasm_error *err)
{
    static const char *const unknown[] = {"unknown function", "unknown table", "unknown memory",
                                          "unknown global", "unknown tag"};
    const uint32_t limits[] = {m->nfuncs, m->ntables, m->nmemories, m->nglobals, m->ntags};

    for (uint32_t i = 0; i < m->nexports; i++) {
        struct wasm_export *e = &m->exports[i];
        if (e->index >= limits[e->kind]) return invalid(err, unknown[e->kind]);
        if (e->kind == WASM_EXTERN_FUNC) declare(m, e->index);
        for (uint32_t k = 0; k < i; k++)
            if (m->exports[k].name.len == e->name.len &&
                !memcmp(m->exports[k].name.str, e->name.str, e->name.len))
                return invalid(err, "duplicate export name");
    }
    return true;
}

static bool check_segments(struct wasm_module *m, struct wasm_error *err)
{
    for (uint32_t i = 0; i < m->nelems; i++) {
        struct wasm_elem *e = &m->elems[i];
        if (e->mode == WASM_SEGMENT_ACTIVE) {
            if (e->table >= m->ntables) return invalid(err, "unknown table");
            if (!check_init(m, &e->offset, WASM_I32, err)) return false;
            if (m->tables[e->table].elem != e->type) return invalid(err, "type mismatch");
        }
        for (uint32_t k = 0; k < e->count; k++)
            if (!check_init(m, &e->items[k], e->type, err)) return false;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        struct wasm_data *d = &m->datas[i];
        if (d->mode != WASM_SEGMENT_ACTIVE) continue;
        if (d->memory >= m->nmemories) return invalid(err, "unknown memory");
        if (!check_init(m, &d->offset, WASM_I32, err)) return false;
    }
    return true;
}

bool wasm_validate_module(struct wasm_module *m, struct wasm_error *err)
{
    m->declared_funcs = wasm_calloc(m->nfuncs / 8 + 1, 1);
    if (!m->declared_funcs) {
        err->code = TK_ERR_NOMEM;
        err->reason = "out of memory";
        return false;
    }
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (m->func_types[i] >= m->ntypes) return invalid(err, "unknown type");
    for (uint32_t i = 0; i < m->ntables; i++)
        if (!check_limits(&m->tables[i].limits, UINT32_MAX, "table size", err)) return false;
    if (m->nmemories > 1 && !WASM_FEATURE_MULTI_MEMORY) {
        err->code = TK_ERR_UNSUPPORTED;
        err->reason = WASM_FEATURE_MISSING("multi-memory");
        return false;
    }
    for (uint32_t i = 0; i < m->nmemories; i++)
        if (!check_limits(&m->memories[i].limits, WASM_MAX_PAGES,
                          "memory size must be at most 65536 pages (4GiB)", err))
            return false;
    for (uint32_t i = 0; i < m->ntags; i++) {
        if (m->tags[i] >= m->ntypes) return invalid(err, "unknown type");
        if (m->types[m->tags[i]].nresults) return invalid(err, "non-empty tag result type");
    }
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++)
        if (!check_init(m, &m->globals[i].init, m->globals[i].type.type, err)) return false;
    if (!check_exports(m, err) || !check_segments(m, err)) return false;
    if (m->has_start) {
        const struct wasm_functype *t;
        if (m->start >= m->nfuncs) return invalid(err, "unknown function");
        t = wasm_module_func_type(m, m->start);
        if (t->nparams || t->nresults) return invalid(err, "start function");
    }
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
        if (!wasm_validate_func(m, i, err)) return false;
    return true;
}
