/*
 * The tier table and the dispatch through it (tier.h). The interpreter's tier is its
 * lowering (lower.c, which reads bodies with wasm_read_instr) and its call
 * (interp.c); it takes every function it is offered.
 */
#include "wasm/tier.h"

#include <takara/error.h>

#include "wasm/lower.h"
#include "wasm/shim.h"

static int interp_compile(struct wasm_module *m, struct wasm_error *err)
{
    int r = wasm_lower_module(m, err);

    for (uint32_t i = 0; r == 0 && i < m->ncodes; i++)
        if (m->codes[i].tier == WASM_TIER_NONE) m->codes[i].tier = WASM_TIER_INTERP;
    return r;
}

static const struct wasm_tier interp_tier = {
    .name = "interp",
    .id = WASM_TIER_INTERP,
    .compile = interp_compile,
    .release = wasm_lower_free,
    .call = wasm_interp_call,
};

/* In the order they are offered a module's functions; the interpreter is last. */
static const struct wasm_tier *const tiers[] = {&interp_tier};
#define NTIERS (sizeof(tiers) / sizeof(tiers[0]))

static const struct wasm_tier *tier_by_id(enum wasm_tier_id id)
{
    for (size_t i = 0; i < NTIERS; i++)
        if (tiers[i]->id == id) return tiers[i];
    return NULL;
}

int wasm_tiers_compile(struct wasm_module *m, struct wasm_error *err)
{
    int r;

    for (size_t i = 0; i < NTIERS; i++)
        if ((r = tiers[i]->compile(m, err)) < 0) return r;
    for (uint32_t i = 0; i < m->ncodes; i++) WASM_ASSERT(m->codes[i].tier != WASM_TIER_NONE);
    return 0;
}

void wasm_tiers_release(struct wasm_module *m)
{
    for (size_t i = 0; i < NTIERS; i++) tiers[i]->release(m);
}

int wasm_tier_call(struct wasm_store *store, struct wasm_func *func, uint64_t *slots,
                   struct wasm_trap *trap)
{
    if (!func->code) return wasm_interp_call(store, func, slots, trap); /* a host function */
    return tier_by_id(func->code->tier)->call(store, func, slots, trap);
}

const char *wasm_module_func_tier(const struct wasm_module *module, uint32_t func)
{
    const struct wasm_tier *t;

    if (func < module->nimported_funcs || func >= module->nfuncs) return NULL;
    t = tier_by_id(module->codes[func - module->nimported_funcs].tier);
    return t ? t->name : NULL;
}
