/*
 * The decoded module: what the decoder (decode*.c) fills, the validator (validate*.c)
 * checks and annotates, the lowering (lower*.c) compiles, and instantiation reads.
 * Immutable once wasm_module_load returns, so many instances can share one.
 *
 * Index spaces follow the spec: imported functions/tables/memories/globals come first,
 * so funcs[i] for i < nimported_funcs describes an import.
 *
 * Every pointer into the binary (names, bodies, data bytes) points into `bytes`, the
 * module's private copy of the input.
 */
#ifndef TAKARA_WASM_MODULE_H
#define TAKARA_WASM_MODULE_H

#include "wasm.h"

struct wasm_functype {
    uint32_t nparams, nresults;
    uint8_t *types; /* nparams params then nresults results (enum wasm_valtype) */
};

static inline const uint8_t *wasm_functype_params(const struct wasm_functype *t)
{
    return t->types;
}
static inline const uint8_t *wasm_functype_results(const struct wasm_functype *t)
{
    return t->types + t->nparams;
}

struct wasm_limits {
    uint64_t min, max;
    bool has_max;
};

struct wasm_tabletype {
    uint8_t elem; /* WASM_FUNCREF or WASM_EXTERNREF */
    struct wasm_limits limits;
};

struct wasm_memtype {
    struct wasm_limits limits; /* in 64 KiB pages */
};

struct wasm_globaltype {
    uint8_t type; /* enum wasm_valtype */
    bool mutable_;
};

/*
 * A constant expression. Wasm 2.0 allows exactly one of these instructions before
 * `end`, so that case is stored decoded rather than as code; an extended constant
 * expression (i32/i64 add, sub and mul over those) is kept as its bytes.
 */
enum wasm_init_kind {
    WASM_INIT_CONST,      /* i32/i64/f32/f64.const: `value` of type `type` */
    WASM_INIT_REF_NULL,   /* ref.null of type `type` */
    WASM_INIT_REF_FUNC,   /* ref.func `index` */
    WASM_INIT_GLOBAL_GET, /* global.get `index` (an imported immutable global) */
    WASM_INIT_EXPR,       /* extended: `expr` up to and including `end`; `index` is the
                           * operand stack depth it needs, from validation */
};

struct wasm_init {
    uint8_t kind; /* enum wasm_init_kind */
    uint8_t type; /* result type of the expression */
    uint32_t index;
    union wasm_value value;
    const uint8_t *expr; /* WASM_INIT_EXPR: into the module's bytes */
    uint32_t expr_len;
};

struct wasm_import {
    struct wasm_name module, name;
    uint8_t kind; /* enum wasm_extern_kind */
    union {
        uint32_t type_index; /* WASM_EXTERN_FUNC */
        struct wasm_tabletype table;
        struct wasm_memtype memory;
        struct wasm_globaltype global;
        uint32_t tag_type; /* WASM_EXTERN_TAG: the tag's function type index */
    } desc;
};

struct wasm_export {
    struct wasm_name name;
    uint8_t kind; /* enum wasm_extern_kind */
    uint32_t index;
};

struct wasm_global_def {
    struct wasm_globaltype type;
    struct wasm_init init; /* only for defined (non-imported) globals */
};

enum wasm_segment_mode {
    WASM_SEGMENT_ACTIVE,
    WASM_SEGMENT_PASSIVE,
    WASM_SEGMENT_DECLARATIVE,
};

struct wasm_elem {
    uint8_t mode;            /* enum wasm_segment_mode */
    uint8_t type;            /* WASM_FUNCREF or WASM_EXTERNREF */
    uint32_t table;          /* active only */
    struct wasm_init offset; /* active only */
    uint32_t count;
    struct wasm_init *items; /* ref.func / ref.null / global.get expressions */
};

struct wasm_data {
    uint8_t mode; /* WASM_SEGMENT_ACTIVE or WASM_SEGMENT_PASSIVE */
    uint32_t memory;
    struct wasm_init offset; /* active only */
    uint32_t len;
    const uint8_t *bytes;
};

/* A run of locals of one type, as encoded; expanded into slots by the lowering. */
struct wasm_local_run {
    uint32_t count;
    uint8_t type;
};

struct wasm_code {
    uint32_t nlocal_runs;
    struct wasm_local_run *local_runs;
    uint32_t nlocals;    /* sum of the runs' counts (params excluded) */
    const uint8_t *body; /* the expression, after the locals, up to and including `end` */
    uint32_t body_len;
    uint32_t body_offset; /* offset of `body` in the module binary, for trap locations */
    uint32_t max_stack;   /* operand stack height bound, from validation */
    uint32_t max_blocks;  /* control stack depth bound, from validation */
    uint32_t max_tries;   /* try blocks nested at most, from validation: a frame keeps the
                           * exception each one caught, for rethrow */
    void *lowered;        /* the holding tier's compiled form, owned by that tier */
    uint8_t tier;         /* enum wasm_tier_id of the tier that holds it (tier.h) */
};

struct wasm_module {
    uint8_t *bytes; /* private copy of the binary */
    uint32_t len;

    uint32_t ntypes;
    struct wasm_functype *types;

    uint32_t nimports;
    struct wasm_import *imports;
    uint32_t nimported_funcs, nimported_tables, nimported_memories, nimported_globals;
    uint32_t nimported_tags;

    uint32_t nfuncs;      /* imported + defined */
    uint32_t *func_types; /* type index of each function */

    uint32_t ntables;
    struct wasm_tabletype *tables;
    uint32_t nmemories;
    struct wasm_memtype *memories;
    uint32_t nglobals;
    struct wasm_global_def *globals;
    uint32_t ntags;
    uint32_t *tags; /* the function type index of each tag (imported first) */

    uint32_t nexports;
    struct wasm_export *exports;

    bool has_start;
    uint32_t start;

    uint32_t nelems;
    struct wasm_elem *elems;

    bool has_datacount;
    uint32_t ndatas;
    struct wasm_data *datas;

    uint32_t ncodes; /* == nfuncs - nimported_funcs once decoded */
    struct wasm_code *codes;

    /* The deepest operand stack an extended constant expression needs (validation). */
    uint32_t max_init_depth;

    /* Functions referenced outside function bodies (exports, elements, globals): the
     * only targets `ref.func` may name in code. Bitmap of nfuncs bits. */
    uint8_t *declared_funcs;

    /* Function names from the "name" custom section (len 0 where absent). */
    struct wasm_name *func_names;

    void *lowered; /* module-wide state of the execution tier */
};

static inline const struct wasm_functype *wasm_module_func_type(const struct wasm_module *m,
                                                                uint32_t func)
{
    return &m->types[m->func_types[func]];
}

#endif
