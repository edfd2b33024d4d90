/*
 * Loading a module: copy the bytes, decode, validate, compile in the tiers (tier.h;
 * wasm.h: wasm_module_load),
 * and releasing everything again. Also the call entry point and trap messages, the
 * pieces of the public API that belong to no single runtime object.
 */
#include <takara/error.h>

#include "wasm/decode.h"
#include "wasm/runtime.h"
#include "wasm/shim.h"
#include "wasm/tier.h"
#include "wasm/validate.h"

void wasm_module_free(struct wasm_module *m)
{
    if (!m) return;
    wasm_tiers_release(m);
    for (uint32_t i = 0; m->types && i < m->ntypes; i++) wasm_platform_free(m->types[i].types);
    for (uint32_t i = 0; m->elems && i < m->nelems; i++) wasm_platform_free(m->elems[i].items);
    for (uint32_t i = 0; m->codes && i < m->ncodes; i++) wasm_platform_free(m->codes[i].local_runs);
    wasm_platform_free(m->types);
    wasm_platform_free(m->imports);
    wasm_platform_free(m->func_types);
    wasm_platform_free(m->tables);
    wasm_platform_free(m->memories);
    wasm_platform_free(m->globals);
    wasm_platform_free(m->tags);
    wasm_platform_free(m->exports);
    wasm_platform_free(m->elems);
    wasm_platform_free(m->datas);
    wasm_platform_free(m->codes);
    wasm_platform_free(m->declared_funcs);
    wasm_platform_free(m->func_names);
    wasm_platform_free(m->bytes);
    wasm_platform_free(m);
}

int wasm_module_load(const uint8_t *bytes, size_t len, struct wasm_module **out,
                     struct wasm_error *err)
{
    struct wasm_module *m;
    int r;

    *err = (struct wasm_error){0};
    if (len > UINT32_MAX) {
        err->code = TK_ERR_LIMIT;
        err->reason = "module too large";
        return TK_ERR_LIMIT;
    }
    m = wasm_calloc(1, sizeof(*m));
    if (!m) goto nomem;
    m->bytes = wasm_platform_alloc(len ? len : 1);
    if (!m->bytes) goto nomem;
    memcpy(m->bytes, bytes, len);
    m->len = (uint32_t)len;
    if (!wasm_decode_module(m, err) || !wasm_validate_module(m, err)) goto fail;
    if ((r = wasm_tiers_compile(m, err)) < 0) goto fail;
    *out = m;
    return 0;
nomem:
    err->code = TK_ERR_NOMEM;
    err->reason = "out of memory";
fail:
    wasm_module_free(m);
    return err->code;
}

uint32_t wasm_module_import_count(const struct wasm_module *module)
{
    return module->nimports;
}

void wasm_module_import(const struct wasm_module *module, uint32_t i, struct wasm_import_desc *out)
{
    out->module = module->imports[i].module;
    out->name = module->imports[i].name;
    out->kind = module->imports[i].kind;
}

const char *wasm_trap_message(int kind)
{
    switch (kind) {
    case WASM_TRAP_UNREACHABLE: return "unreachable";
    case WASM_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WASM_TRAP_TABLE_OOB: return "out of bounds table access";
    case WASM_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case WASM_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WASM_TRAP_INDIRECT_CALL_TYPE: return "indirect call type mismatch";
    case WASM_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WASM_TRAP_HOST: return "host function trapped";
    case WASM_TRAP_HOST_FAULT: return "kernel fault";
    case WASM_TRAP_EXCEPTION: return "uncaught exception";
    case WASM_TRAP_OUT_OF_MEMORY: return "out of memory";
    default: return "no trap";
    }
}

int wasm_func_call(struct wasm_store *store, struct wasm_func *func, const union wasm_value *args,
                   uint32_t nargs, union wasm_value *results, uint32_t nresults,
                   struct wasm_trap *trap)
{
    uint64_t small[32], *slots = small;
    uint32_t n = func->nparams > func->nresults ? func->nparams : func->nresults;
    int r;

    if (nargs != func->nparams || nresults != func->nresults) return TK_ERR_INVAL;
    if (n > 32 && !(slots = wasm_calloc(n, sizeof(*slots)))) return TK_ERR_NOMEM;
    for (uint32_t i = 0; i < nargs; i++) {
        uint8_t t = func->types[i];
        slots[i] = (t == WASM_I32 || t == WASM_F32)             ? args[i].i32
                   : (t == WASM_FUNCREF || t == WASM_EXTERNREF) ? (uint64_t)(uintptr_t)args[i].ref
                                                                : args[i].i64;
    }
    r = wasm_tier_call(store, func, slots, trap);
    for (uint32_t i = 0; r == 0 && i < nresults; i++) {
        uint8_t t = func->types[func->nparams + i];
        memset(&results[i], 0, sizeof(results[i]));
        if (t == WASM_I32 || t == WASM_F32)
            results[i].i32 = (uint32_t)slots[i];
        else if (t == WASM_FUNCREF || t == WASM_EXTERNREF)
            results[i].ref = (void *)(uintptr_t)slots[i];
        else
            results[i].i64 = slots[i];
    }
    if (slots != small) wasm_platform_free(slots);
    return r;
}
