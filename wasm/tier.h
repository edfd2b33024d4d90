/*
 * The seam between the engine and its execution tiers. A tier takes a validated module
 * and compiles the functions it can run from the Wasm code itself, read through the
 * instruction reader (instr.h); each defined function records the tier that holds it
 * (struct wasm_code.tier), and a call goes to that tier. Tiers are tried in order: a
 * compiler first (none yet: issue 19), the interpreter last, and the interpreter takes
 * every function, so a module always loads whatever the tiers before it decline.
 */
#ifndef TAKARA_WASM_TIER_H
#define TAKARA_WASM_TIER_H

#include "wasm/module.h"
#include "wasm/runtime.h"

enum wasm_tier_id { WASM_TIER_NONE, WASM_TIER_INTERP };

struct wasm_tier {
    const char *name;
    enum wasm_tier_id id;
    /* Compiles the functions of m it takes (code->tier == WASM_TIER_NONE), setting their
     * tier; 0, or a negative code with *err filled, which fails the load. */
    int (*compile)(struct wasm_module *m, struct wasm_error *err);
    /* Releases what compile made; safe on a partially compiled module. */
    void (*release)(struct wasm_module *m);
    /* Runs func (one of this tier's) with arguments and results in slots, as
     * wasm_interp_call does; 0 or TK_ERR_TRAP with *trap filled. */
    int (*call)(struct wasm_store *store, struct wasm_func *func, uint64_t *slots,
                struct wasm_trap *trap);
};

/* Runs every tier over a validated module; afterwards every defined function has one. */
int wasm_tiers_compile(struct wasm_module *m, struct wasm_error *err);
void wasm_tiers_release(struct wasm_module *m);

/* Calls func, a host function or one held by any tier. */
int wasm_tier_call(struct wasm_store *store, struct wasm_func *func, uint64_t *slots,
                   struct wasm_trap *trap);

#endif
