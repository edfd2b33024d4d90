/*
 * Runtime objects behind the opaque handles of wasm.h. Everything a store creates is on
 * its object list and freed with it. Values in tables, globals and the interpreter's
 * stack are 64-bit slots: integers and float bit patterns, or pointers for references
 * (a funcref is a struct wasm_func *, NULL is null).
 */
#ifndef TAKARA_WASM_RUNTIME_H
#define TAKARA_WASM_RUNTIME_H

#include "wasm/module.h"

#define WASM_PAGE_SIZE 65536u
#define WASM_MAX_PAGES 65536u
/* Guard mode: every 32-bit memory reserves 8 GiB, so base + u32 address + u32 offset
 * (+ the access size) always lands inside the reservation. */
#define WASM_GUARD_RESERVATION ((8ull << 30) + WASM_PAGE_SIZE)

#ifndef WASM_BOUNDS_CHECKS
#define WASM_BOUNDS_CHECKS 0
#endif

enum wasm_object_kind {
    WASM_OBJ_FUNC,
    WASM_OBJ_TABLE,
    WASM_OBJ_MEMORY,
    WASM_OBJ_GLOBAL,
    WASM_OBJ_INSTANCE,
    WASM_OBJ_TAG,
};

struct wasm_object {
    struct wasm_object *next;
    uint8_t kind;
};

struct wasm_func {
    struct wasm_object obj;
    uint32_t nparams, nresults;
    uint8_t *types; /* params then results, in the function's own block */
    /* a Wasm function */
    struct wasm_instance *instance;
    uint32_t index;
    const struct wasm_code *code;
    /* a host function (code is NULL): one of the two conventions */
    wasm_host_fn host;
    wasm_host_slots_fn host_slots;
    void *env;
};

struct wasm_table {
    struct wasm_object obj;
    uint8_t elem;
    uint32_t size, max;
    bool has_max;
    void **elems;
    struct wasm_store *store; /* whose account pays for elems */
    int64_t elems_charged;    /* what the elems array is charged (wasm_store_charge) */
};

struct wasm_memory {
    struct wasm_object obj;
    uint8_t *base;
    uint64_t size; /* bytes accessible */
    uint32_t pages, max_pages;
    uint32_t limit_pages; /* the store's memory limit: grow fails (-1) beyond it */
    bool has_max;
    size_t reserved; /* guard mode: the reservation; bounds mode: allocated bytes */
};

struct wasm_global {
    struct wasm_object obj;
    uint8_t type;
    bool mutable_;
    uint64_t value;
};

/* An exception tag: its identity is the object (imports share the exporter's). */
struct wasm_tag {
    struct wasm_object obj;
    uint32_t nparams;
    uint8_t *types; /* the payload's types, owned */
};

struct wasm_instance {
    struct wasm_object obj;
    const struct wasm_module *module;
    struct wasm_func **funcs;
    struct wasm_table **tables;
    struct wasm_memory **memories;
    struct wasm_global **globals;
    struct wasm_tag **tags;
    uint8_t *elem_dropped, *data_dropped;
    uint64_t *init_stack; /* while instantiating: for extended constant expressions */
};

struct wasm_exec; /* interpreter stacks, one per store */

struct wasm_store {
    struct wasm_object *objects;
    struct wasm_exec *exec;
    struct wasm_store_limits limits;
    uint64_t charged; /* to limits.account, given back by wasm_store_free */
};

void wasm_store_track(struct wasm_store *store, struct wasm_object *obj, uint8_t kind);
/* Charges `bytes` to the store's account: what was charged (0 without an account), or a
 * negative error; wasm_store_uncharge gives such a charge back before the store goes. */
int64_t wasm_store_charge(struct wasm_store *store, size_t bytes);
void wasm_store_uncharge(struct wasm_store *store, int64_t charged);
/* wasm_calloc for the store's own data, charged to its account until the store goes. */
void *wasm_store_calloc(struct wasm_store *store, size_t n, size_t size);

/* Function types compare structurally (call_indirect, import matching). */
bool wasm_func_has_type(const struct wasm_func *f, const struct wasm_functype *t);

/* Whether a tag's payload is exactly the params of `t` (tag import matching). */
bool wasm_tag_has_type(const struct wasm_tag *tag, const struct wasm_functype *t);

/* memory.grow: the old size in pages, or -1. */
int64_t wasm_memory_grow(struct wasm_memory *mem, uint32_t delta);
/* table.grow: the old size, or -1. */
int64_t wasm_table_grow(struct wasm_table *t, uint32_t delta, void *init);

/* Runs `func` on the store's stacks (interp.c): args in, results out, as slots. */
int wasm_interp_call(struct wasm_store *store, struct wasm_func *func, uint64_t *slots,
                     struct wasm_trap *trap);

#endif
