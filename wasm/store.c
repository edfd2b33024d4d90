/*
 * Stores and the objects they own: functions, tables, memories, globals (wasm.h).
 * Memories use the platform's reserve/commit in guard mode and plain allocation in
 * bounds-check mode.
 */
#include <takara/error.h>

#include "wasm/interp.h"
#include "wasm/runtime.h"
#include "wasm/shim.h"

const char *wasm_memory_mode(void)
{
    return WASM_BOUNDS_CHECKS ? "bounds" : "guard";
}

struct wasm_store *wasm_store_new_limited(const struct wasm_store_limits *limits)
{
    struct wasm_store *store;

    if (limits->stack_bytes < 4096 || limits->max_frames == 0) return NULL;
    store = wasm_calloc(1, sizeof(*store));
    if (!store) return NULL;
    store->limits = *limits;
    if (wasm_store_charge(store, sizeof(*store)) < 0) {
        wasm_platform_free(store);
        return NULL;
    }
    return store;
}

int64_t wasm_store_charge(struct wasm_store *store, size_t bytes)
{
    int64_t c;

    if (!store->limits.account) return 0;
    if ((c = wasm_platform_charge(store->limits.account, bytes)) < 0) return c;
    store->charged += (uint64_t)c;
    return c;
}

void wasm_store_uncharge(struct wasm_store *store, int64_t charged)
{
    if (charged <= 0) return;
    wasm_platform_uncharge(store->limits.account, (uint64_t)charged);
    store->charged -= (uint64_t)charged;
}

void *wasm_store_calloc(struct wasm_store *store, size_t n, size_t size)
{
    int64_t c;
    void *p;

    if (size && n > (size_t)-1 / size) return NULL;
    if ((c = wasm_store_charge(store, n * size ? n * size : 1)) < 0) return NULL;
    if (!(p = wasm_calloc(n, size))) wasm_store_uncharge(store, c);
    return p;
}

struct wasm_store *wasm_store_new(void)
{
    return wasm_store_new_limited(&WASM_STORE_DEFAULT_LIMITS);
}

void wasm_store_track(struct wasm_store *store, struct wasm_object *obj, uint8_t kind)
{
    obj->kind = kind;
    obj->next = store->objects;
    store->objects = obj;
}

static void wasm_object_free(struct wasm_object *o)
{
    switch (o->kind) {
    case WASM_OBJ_TAG: wasm_platform_free(((struct wasm_tag *)o)->types); break;
    case WASM_OBJ_TABLE: wasm_platform_free(((struct wasm_table *)o)->elems); break;
    case WASM_OBJ_MEMORY: {
        struct wasm_memory *m = (struct wasm_memory *)o;
        if (WASM_BOUNDS_CHECKS)
            wasm_platform_free(m->base);
        else if (m->base)
            wasm_platform_release(m->base, m->reserved);
        break;
    }
    case WASM_OBJ_INSTANCE: {
        struct wasm_instance *in = (struct wasm_instance *)o;
        wasm_platform_free(in->funcs);
        wasm_platform_free(in->tables);
        wasm_platform_free(in->memories);
        wasm_platform_free(in->globals);
        wasm_platform_free(in->tags);
        wasm_platform_free(in->elem_dropped);
        wasm_platform_free(in->data_dropped);
        wasm_platform_free(in->init_stack); /* left set only by a failed instantiation */
        break;
    }
    default: break;
    }
    wasm_platform_free(o);
}

void wasm_store_free(struct wasm_store *store)
{
    if (!store) return;
    while (store->objects) {
        struct wasm_object *o = store->objects;
        store->objects = o->next;
        wasm_object_free(o);
    }
    wasm_exec_free(store->exec);
    if (store->charged) wasm_platform_uncharge(store->limits.account, store->charged);
    wasm_platform_free(store);
}

bool wasm_func_has_type(const struct wasm_func *f, const struct wasm_functype *t)
{
    return f->nparams == t->nparams && f->nresults == t->nresults &&
           !memcmp(f->types, t->types, t->nparams + t->nresults);
}

bool wasm_tag_has_type(const struct wasm_tag *tag, const struct wasm_functype *t)
{
    return tag->nparams == t->nparams && t->nresults == 0 &&
           !memcmp(tag->types, t->types, t->nparams);
}

struct wasm_tag *wasm_tag_new(struct wasm_store *store, const struct wasm_functype_desc *type)
{
    struct wasm_tag *t;

    if (type->nresults) return NULL;
    t = wasm_store_calloc(store, 1, sizeof(*t));
    if (!t) return NULL;
    t->types = wasm_store_calloc(store, type->nparams + 1, 1);
    if (!t->types) {
        wasm_platform_free(t);
        return NULL;
    }
    memcpy(t->types, type->params, type->nparams);
    t->nparams = type->nparams;
    wasm_store_track(store, &t->obj, WASM_OBJ_TAG);
    return t;
}

static struct wasm_func *host_func_new(struct wasm_store *store,
                                       const struct wasm_functype_desc *type, void *env)
{
    /* one block for the function and its type (one allocation, one charge) */
    struct wasm_func *f =
        wasm_store_calloc(store, 1, sizeof(*f) + type->nparams + type->nresults + 1);

    if (!f) return NULL;
    f->types = (uint8_t *)(f + 1);
    memcpy(f->types, type->params, type->nparams);
    memcpy(f->types + type->nparams, type->results, type->nresults);
    f->nparams = type->nparams;
    f->nresults = type->nresults;
    f->env = env;
    wasm_store_track(store, &f->obj, WASM_OBJ_FUNC);
    return f;
}

struct wasm_func *wasm_func_new_host(struct wasm_store *store,
                                     const struct wasm_functype_desc *type, wasm_host_fn fn,
                                     void *env)
{
    struct wasm_func *f = host_func_new(store, type, env);

    if (f) f->host = fn;
    return f;
}

struct wasm_func *wasm_func_new_host_slots(struct wasm_store *store,
                                           const struct wasm_functype_desc *type,
                                           wasm_host_slots_fn fn, void *env)
{
    struct wasm_func *f = host_func_new(store, type, env);

    if (f) f->host_slots = fn;
    return f;
}

void wasm_func_type(const struct wasm_func *func, struct wasm_functype_desc *out)
{
    out->nparams = func->nparams;
    out->nresults = func->nresults;
    out->params = func->types;
    out->results = func->types + func->nparams;
}

struct wasm_table *wasm_table_new(struct wasm_store *store, uint8_t elem_type, uint32_t min,
                                  uint32_t max, bool has_max)
{
    struct wasm_table *t = wasm_store_calloc(store, 1, sizeof(*t));

    if (!t) return NULL;
    t->store = store;
    if ((t->elems_charged = wasm_store_charge(store, (min ? min : 1) * sizeof(void *))) < 0 ||
        !(t->elems = wasm_calloc(min ? min : 1, sizeof(void *)))) {
        if (t->elems_charged > 0) wasm_store_uncharge(store, t->elems_charged);
        wasm_platform_free(t);
        return NULL;
    }
    t->elem = elem_type;
    t->size = min;
    t->max = max;
    t->has_max = has_max;
    wasm_store_track(store, &t->obj, WASM_OBJ_TABLE);
    return t;
}

int64_t wasm_table_grow(struct wasm_table *t, uint32_t delta, void *init)
{
    uint64_t want = (uint64_t)t->size + delta;
    int64_t charged;
    void **elems;

    if (want > (t->has_max ? t->max : UINT32_MAX) || want > (1u << 24))
        return -1; /* the cap keeps a hostile grow from exhausting the host */
    if (delta == 0) return t->size;
    /* the grown array is charged whole, the old one given back: the limit counts it */
    if ((charged = wasm_store_charge(t->store, want * sizeof(void *))) < 0) return -1;
    elems = wasm_platform_realloc(t->elems, want * sizeof(void *));
    if (!elems) {
        wasm_store_uncharge(t->store, charged);
        return -1;
    }
    wasm_store_uncharge(t->store, t->elems_charged);
    t->elems_charged = charged;
    for (uint64_t i = t->size; i < want; i++) elems[i] = init;
    t->elems = elems;
    int64_t old = t->size;
    t->size = (uint32_t)want;
    return old;
}

struct wasm_memory *wasm_memory_new(struct wasm_store *store, uint32_t min_pages,
                                    uint32_t max_pages, bool has_max)
{
    struct wasm_memory *m = wasm_store_calloc(store, 1, sizeof(*m));

    if (!m) return NULL;
    m->max_pages = has_max ? max_pages : WASM_MAX_PAGES;
    m->has_max = has_max;
    m->limit_pages = (uint32_t)(store->limits.memory_bytes / WASM_PAGE_SIZE);
    if (store->limits.memory_bytes / WASM_PAGE_SIZE >= WASM_MAX_PAGES)
        m->limit_pages = WASM_MAX_PAGES;
    if (!WASM_BOUNDS_CHECKS) {
        void *base;
        if (wasm_platform_reserve(WASM_GUARD_RESERVATION, &base) < 0) {
            wasm_platform_free(m);
            return NULL;
        }
        m->base = base;
        m->reserved = WASM_GUARD_RESERVATION;
    }
    wasm_store_track(store, &m->obj, WASM_OBJ_MEMORY);
    if (wasm_memory_grow(m, min_pages) < 0) return NULL; /* freed with the store */
    return m;
}

int64_t wasm_memory_grow(struct wasm_memory *m, uint32_t delta)
{
    uint64_t pages = (uint64_t)m->pages + delta, bytes = pages * WASM_PAGE_SIZE;
    int64_t old = m->pages;

    if (pages > m->max_pages || pages > m->limit_pages) return -1;
    if (delta == 0) return old;
    if (WASM_BOUNDS_CHECKS) {
        uint8_t *b = wasm_platform_realloc(m->base, bytes);
        if (!b) return -1;
        memset(b + m->size, 0, bytes - m->size);
        m->base = b;
        m->reserved = bytes;
    } else if (wasm_platform_commit(m->base + m->size, bytes - m->size) < 0) {
        return -1;
    }
    m->pages = (uint32_t)pages;
    m->size = bytes;
    return old;
}

uint8_t *wasm_memory_data(const struct wasm_memory *memory)
{
    return memory->base;
}

uint64_t wasm_memory_size(const struct wasm_memory *memory)
{
    return memory->size;
}

struct wasm_global *wasm_global_new(struct wasm_store *store, struct wasm_typed_value value,
                                    bool mutable_)
{
    struct wasm_global *g = wasm_store_calloc(store, 1, sizeof(*g));

    if (!g) return NULL;
    g->type = value.type;
    g->mutable_ = mutable_;
    switch (value.type) {
    case WASM_I32:
    case WASM_F32: g->value = value.of.i32; break;
    case WASM_FUNCREF:
    case WASM_EXTERNREF: g->value = (uint64_t)(uintptr_t)value.of.ref; break;
    default: g->value = value.of.i64; break;
    }
    wasm_store_track(store, &g->obj, WASM_OBJ_GLOBAL);
    return g;
}

struct wasm_typed_value wasm_global_get(const struct wasm_global *g)
{
    struct wasm_typed_value v = {.type = g->type};

    switch (g->type) {
    case WASM_I32:
    case WASM_F32: v.of.i32 = (uint32_t)g->value; break;
    case WASM_FUNCREF:
    case WASM_EXTERNREF: v.of.ref = (void *)(uintptr_t)g->value; break;
    default: v.of.i64 = g->value; break;
    }
    return v;
}
