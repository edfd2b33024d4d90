/*
 * libFuzzer target for the engine's input surface: decode + validate + lower, then
 * instantiate with a dummy for every import (host functions returning zeros, fresh
 * tables, memories and globals of the declared types). A bad module must give an error;
 * nothing may crash, leak or hang. Exported functions are not run (no fuel yet).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wasm/module.h"
#include "wasm/wasm.h"

static int dummy_host(void *env, const union wasm_value *args, union wasm_value *results)
{
    (void)env;
    (void)args;
    (void)results;
    return 0;
}

static int make_import(struct wasm_store *store, const struct wasm_module *m, uint32_t i,
                       struct wasm_extern *out)
{
    const struct wasm_import *im = &m->imports[i];

    out->kind = im->kind;
    switch (im->kind) {
    case WASM_EXTERN_FUNC: {
        const struct wasm_functype *t = &m->types[im->desc.type_index];
        struct wasm_functype_desc d = {t->nparams, t->nresults, wasm_functype_params(t),
                                       wasm_functype_results(t)};
        out->of.func = wasm_func_new_host(store, &d, dummy_host, NULL);
        return out->of.func ? 0 : -1;
    }
    case WASM_EXTERN_TABLE: {
        const struct wasm_limits *l = &im->desc.table.limits;
        if (l->min > 100000) return -1;
        out->of.table = wasm_table_new(store, im->desc.table.elem, (uint32_t)l->min,
                                       (uint32_t)l->max, l->has_max);
        return out->of.table ? 0 : -1;
    }
    case WASM_EXTERN_MEMORY: {
        const struct wasm_limits *l = &im->desc.memory.limits;
        if (l->min > 256) return -1; /* keep the fuzzer's memory use bounded */
        out->of.memory = wasm_memory_new(store, (uint32_t)l->min, (uint32_t)l->max, l->has_max);
        return out->of.memory ? 0 : -1;
    }
    case WASM_EXTERN_TAG: {
        const struct wasm_functype *t = &m->types[im->desc.tag_type];
        struct wasm_functype_desc d = {t->nparams, 0, wasm_functype_params(t), NULL};
        out->of.tag = wasm_tag_new(store, &d);
        return out->of.tag ? 0 : -1;
    }
    default: {
        struct wasm_typed_value v = {.type = im->desc.global.type};
        out->of.global = wasm_global_new(store, v, im->desc.global.mutable_);
        return out->of.global ? 0 : -1;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wasm_module *m;
    struct wasm_error err;
    struct wasm_store *store;
    struct wasm_extern imports[64];
    struct wasm_instance *in;
    struct wasm_trap trap;
    uint32_t n;

    if (wasm_module_load(data, size, &m, &err) < 0) return 0;
    n = wasm_module_import_count(m);
    store = wasm_store_new();
    if (store && n <= 64) {
        uint32_t i;
        for (i = 0; i < n; i++)
            if (make_import(store, m, i, &imports[i]) < 0) break;
        /* memories above 256 pages are skipped: the start function could touch them */
        bool small = true;
        for (uint32_t k = 0; k < m->nmemories; k++)
            small = small && m->memories[k].limits.min <= 256;
        if (i == n && small && !m->has_start)
            wasm_instance_new(store, m, imports, n, &in, &err, &trap);
    }
    wasm_store_free(store);
    wasm_module_free(m);
    return 0;
}
