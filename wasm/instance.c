/*
 * Instantiation (wasm.h: wasm_instance_new): imports type-checked against the module,
 * then functions, tables, memories and globals created, exports resolvable, element and
 * data segments applied in order, and the start function run. As the spec requires, a
 * segment out of bounds stops instantiation with a trap, and effects already made on
 * imported tables and memories stay.
 */
#include <takara/error.h>

#include "wasm/instr.h"
#include "wasm/opcodes.h"
#include "wasm/runtime.h"
#include "wasm/shim.h"
#include "wasm/tier.h"

static int link_error(struct wasm_error *err, const char *why, uint32_t import)
{
    err->code = TK_ERR_UNLINKABLE;
    err->reason = why;
    err->offset = import;
    return TK_ERR_UNLINKABLE;
}

static bool limits_match(uint64_t min, bool has_max, uint64_t max, const struct wasm_limits *want)
{
    if (min < want->min) return false;
    if (want->has_max && (!has_max || max > want->max)) return false;
    return true;
}

static int check_import(struct wasm_instance *in, const struct wasm_import *im,
                        const struct wasm_extern *ext, uint32_t i, struct wasm_error *err)
{
    const struct wasm_module *m = in->module;

    if (ext->kind != im->kind) return link_error(err, "incompatible import type", i);
    switch (im->kind) {
    case WASM_EXTERN_FUNC:
        if (!wasm_func_has_type(ext->of.func, &m->types[im->desc.type_index]))
            return link_error(err, "incompatible import type", i);
        break;
    case WASM_EXTERN_TABLE: {
        const struct wasm_table *t = ext->of.table;
        if (t->elem != im->desc.table.elem ||
            !limits_match(t->size, t->has_max, t->max, &im->desc.table.limits))
            return link_error(err, "incompatible import type", i);
        break;
    }
    case WASM_EXTERN_MEMORY: {
        const struct wasm_memory *mem = ext->of.memory;
        if (!limits_match(mem->pages, mem->has_max, mem->max_pages, &im->desc.memory.limits))
            return link_error(err, "incompatible import type", i);
        break;
    }
    case WASM_EXTERN_GLOBAL: {
        const struct wasm_global *g = ext->of.global;
        if (g->type != im->desc.global.type || g->mutable_ != im->desc.global.mutable_)
            return link_error(err, "incompatible import type", i);
        break;
    }
    case WASM_EXTERN_TAG:
        if (!wasm_tag_has_type(ext->of.tag, &m->types[im->desc.tag_type]))
            return link_error(err, "incompatible import type", i);
        break;
    }
    return 0;
}

static uint64_t eval_init(const struct wasm_instance *in, const struct wasm_init *init);

/* An extended constant expression (validated: every read succeeds, the stack holds). */
static uint64_t eval_init_expr(const struct wasm_instance *in, const struct wasm_init *init,
                               uint64_t *stack)
{
    const struct wasm_module *m = in->module;
    struct wasm_error err;
    struct wasm_reader r = {init->expr, init->expr + init->expr_len, m->bytes, 0, &err};
    struct wasm_instr ins;
    uint32_t n = 0;

    while (wasm_read_instr(&r, &ins) && ins.op != WASM_OP_END) {
        uint64_t a = n >= 2 ? stack[n - 2] : 0, b = n >= 1 ? stack[n - 1] : 0;
        struct wasm_init one = {.index = ins.a, .value.i64 = ins.value};
        switch (ins.op) {
        case WASM_OP_I32_ADD: stack[--n - 1] = (uint32_t)(a + b); continue;
        case WASM_OP_I32_SUB: stack[--n - 1] = (uint32_t)(a - b); continue;
        case WASM_OP_I32_MUL: stack[--n - 1] = (uint32_t)(a * b); continue;
        case WASM_OP_I64_ADD: stack[--n - 1] = a + b; continue;
        case WASM_OP_I64_SUB: stack[--n - 1] = a - b; continue;
        case WASM_OP_I64_MUL: stack[--n - 1] = a * b; continue;
        case WASM_OP_REF_FUNC: one.kind = WASM_INIT_REF_FUNC; break;
        case WASM_OP_GLOBAL_GET: one.kind = WASM_INIT_GLOBAL_GET; break;
        case WASM_OP_REF_NULL: one.kind = WASM_INIT_REF_NULL; break;
        default: one.kind = WASM_INIT_CONST; break; /* t.const: the bits in ins.value */
        }
        stack[n++] = eval_init(in, &one);
    }
    return n ? stack[0] : 0;
}

/* The value of a constant expression (extended ones on in->init_stack). */
static uint64_t eval_init(const struct wasm_instance *in, const struct wasm_init *init)
{
    switch (init->kind) {
    case WASM_INIT_CONST: return init->value.i64;
    case WASM_INIT_REF_FUNC: return (uint64_t)(uintptr_t)in->funcs[init->index];
    case WASM_INIT_GLOBAL_GET: return in->globals[init->index]->value;
    case WASM_INIT_EXPR: return eval_init_expr(in, init, in->init_stack);
    default: return 0; /* ref.null */
    }
}

static struct wasm_func *make_func(struct wasm_store *store, struct wasm_instance *in,
                                   uint32_t index)
{
    const struct wasm_module *m = in->module;
    const struct wasm_functype *t = wasm_module_func_type(m, index);
    struct wasm_functype_desc d = {t->nparams, t->nresults, wasm_functype_params(t),
                                   wasm_functype_results(t)};
    struct wasm_func *f = wasm_func_new_host(store, &d, NULL, NULL);

    if (f) {
        f->instance = in;
        f->index = index;
        f->code = &m->codes[index - m->nimported_funcs];
    }
    return f;
}

static int alloc_spaces(struct wasm_store *s, struct wasm_instance *in)
{
    const struct wasm_module *m = in->module;

    in->funcs = wasm_store_calloc(s, m->nfuncs + 1, sizeof(*in->funcs));
    in->tables = wasm_store_calloc(s, m->ntables + 1, sizeof(*in->tables));
    in->memories = wasm_store_calloc(s, m->nmemories + 1, sizeof(*in->memories));
    in->globals = wasm_store_calloc(s, m->nglobals + 1, sizeof(*in->globals));
    in->tags = wasm_store_calloc(s, m->ntags + 1, sizeof(*in->tags));
    in->elem_dropped = wasm_store_calloc(s, m->nelems + 1, 1);
    in->data_dropped = wasm_store_calloc(s, m->ndatas + 1, 1);
    /* scratch for instantiation alone, freed before it returns: not the store's */
    in->init_stack = wasm_calloc(m->max_init_depth + 1, sizeof(*in->init_stack));
    if (!in->funcs || !in->tables || !in->memories || !in->globals || !in->tags ||
        !in->elem_dropped || !in->data_dropped || !in->init_stack)
        return TK_ERR_NOMEM;
    return 0;
}

/* Imports, then the module's own functions, tables, memories and globals. */
static int create_objects(struct wasm_store *store, struct wasm_instance *in,
                          const struct wasm_extern *imports, uint32_t nimports,
                          struct wasm_error *err)
{
    const struct wasm_module *m = in->module;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0, nx = 0;
    int r;

    if (nimports != m->nimports) return link_error(err, "unknown import", nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        if ((r = check_import(in, &m->imports[i], &imports[i], i, err)) < 0) return r;
        switch (imports[i].kind) {
        case WASM_EXTERN_FUNC: in->funcs[nf++] = imports[i].of.func; break;
        case WASM_EXTERN_TABLE: in->tables[nt++] = imports[i].of.table; break;
        case WASM_EXTERN_MEMORY: in->memories[nm++] = imports[i].of.memory; break;
        case WASM_EXTERN_TAG: in->tags[nx++] = imports[i].of.tag; break;
        default: in->globals[ng++] = imports[i].of.global; break;
        }
    }
    for (; nx < m->ntags; nx++) {
        const struct wasm_functype *t = &m->types[m->tags[nx]];
        struct wasm_functype_desc d = {t->nparams, 0, wasm_functype_params(t), NULL};
        if (!(in->tags[nx] = wasm_tag_new(store, &d))) return TK_ERR_NOMEM;
    }
    for (; nf < m->nfuncs; nf++)
        if (!(in->funcs[nf] = make_func(store, in, nf))) return TK_ERR_NOMEM;
    for (; nt < m->ntables; nt++) {
        const struct wasm_tabletype *t = &m->tables[nt];
        if (t->limits.min > (1u << 24)) return TK_ERR_LIMIT;
        in->tables[nt] = wasm_table_new(store, t->elem, (uint32_t)t->limits.min,
                                        (uint32_t)t->limits.max, t->limits.has_max);
        if (!in->tables[nt]) return TK_ERR_NOMEM;
    }
    for (; nm < m->nmemories; nm++) {
        const struct wasm_memtype *t = &m->memories[nm];
        if (t->limits.min * WASM_PAGE_SIZE > store->limits.memory_bytes) return TK_ERR_LIMIT;
        in->memories[nm] = wasm_memory_new(store, (uint32_t)t->limits.min, (uint32_t)t->limits.max,
                                           t->limits.has_max);
        if (!in->memories[nm]) return TK_ERR_NOMEM;
    }
    for (; ng < m->nglobals; ng++) {
        const struct wasm_global_def *g = &m->globals[ng];
        struct wasm_typed_value v = {.type = g->type.type};
        struct wasm_global *obj = wasm_global_new(store, v, g->type.mutable_);
        if (!obj) return TK_ERR_NOMEM;
        obj->value = eval_init(in, &g->init);
        in->globals[ng] = obj;
    }
    return 0;
}

static int apply_segments(struct wasm_instance *in, struct wasm_trap *trap)
{
    const struct wasm_module *m = in->module;

    for (uint32_t i = 0; i < m->nelems; i++) {
        const struct wasm_elem *e = &m->elems[i];
        struct wasm_table *t;
        uint32_t off;

        if (e->mode == WASM_SEGMENT_PASSIVE) continue;
        in->elem_dropped[i] = 1; /* active and declarative segments drop after use */
        if (e->mode != WASM_SEGMENT_ACTIVE) continue;
        t = in->tables[e->table];
        off = (uint32_t)eval_init(in, &e->offset);
        if ((uint64_t)off + e->count > t->size) {
            *trap = (struct wasm_trap){.kind = WASM_TRAP_TABLE_OOB};
            return TK_ERR_TRAP;
        }
        for (uint32_t k = 0; k < e->count; k++)
            t->elems[off + k] = (void *)(uintptr_t)eval_init(in, &e->items[k]);
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const struct wasm_data *d = &m->datas[i];
        struct wasm_memory *mem;
        uint32_t off;

        if (d->mode != WASM_SEGMENT_ACTIVE) continue;
        in->data_dropped[i] = 1;
        mem = in->memories[d->memory];
        off = (uint32_t)eval_init(in, &d->offset);
        if ((uint64_t)off + d->len > mem->size) {
            *trap = (struct wasm_trap){.kind = WASM_TRAP_MEMORY_OOB};
            return TK_ERR_TRAP;
        }
        memcpy(mem->base + off, d->bytes, d->len);
    }
    return 0;
}

int wasm_instance_new(struct wasm_store *store, const struct wasm_module *module,
                      const struct wasm_extern *imports, uint32_t nimports,
                      struct wasm_instance **out, struct wasm_error *err, struct wasm_trap *trap)
{
    struct wasm_instance *in = wasm_store_calloc(store, 1, sizeof(*in));
    int r;

    *err = (struct wasm_error){0};
    if (!in) return TK_ERR_NOMEM;
    in->module = module;
    wasm_store_track(store, &in->obj, WASM_OBJ_INSTANCE);
    if ((r = alloc_spaces(store, in)) < 0 ||
        (r = create_objects(store, in, imports, nimports, err)) < 0)
        goto fail;
    if ((r = apply_segments(in, trap)) < 0) goto fail;
    if (module->has_start) {
        uint64_t none[1];
        r = wasm_tier_call(store, in->funcs[module->start], none, trap);
        if (r < 0) goto fail;
    }
    wasm_platform_free(in->init_stack);
    in->init_stack = NULL;
    *out = in;
    return 0;
fail:
    if (!err->code) {
        err->code = r;
        err->reason = r == TK_ERR_TRAP    ? wasm_trap_message(trap->kind)
                      : r == TK_ERR_LIMIT ? "limit exceeded"
                                          : "out of memory";
    }
    return r; /* the half-made instance stays on the store's list, freed with it */
}

int wasm_instance_export(const struct wasm_instance *in, struct wasm_name name,
                         struct wasm_extern *out)
{
    const struct wasm_module *m = in->module;

    for (uint32_t i = 0; i < m->nexports; i++) {
        const struct wasm_export *e = &m->exports[i];
        if (e->name.len != name.len || memcmp(e->name.str, name.str, name.len)) continue;
        out->kind = e->kind;
        switch (e->kind) {
        case WASM_EXTERN_FUNC: out->of.func = in->funcs[e->index]; break;
        case WASM_EXTERN_TABLE: out->of.table = in->tables[e->index]; break;
        case WASM_EXTERN_MEMORY: out->of.memory = in->memories[e->index]; break;
        case WASM_EXTERN_TAG: out->of.tag = in->tags[e->index]; break;
        default: out->of.global = in->globals[e->index]; break;
        }
        return 0;
    }
    return TK_ERR_NOENT;
}
