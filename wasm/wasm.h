/*
 * The Takara Wasm engine: public API.
 *
 * Portable C11 with no kernel or libc dependency beyond <stddef.h>/<stdint.h>/<stdbool.h>
 * and the platform interface (platform.h). The same sources run inside the kernel at ring 0
 * and on Linux for tests, fuzzing and benchmarks.
 *
 * Life cycle:
 *
 *     bytes --wasm_module_load--> wasm_module     (decode, validate, lower: immutable,
 *                                                  shareable by many instances)
 *     wasm_store_new ----------> wasm_store      (owns every runtime object below)
 *     wasm_instance_new(store, module, imports) -> wasm_instance
 *     wasm_instance_export(instance, "name")    -> wasm_extern (func/table/memory/global)
 *     wasm_func_call(store, func, args, results, &trap)
 *     wasm_store_free: releases instances, memories, tables, globals, host functions.
 *
 * Three outcomes, never mixed: an error is a negative tk_error (with details in
 * struct wasm_error), a trap ends the current call and is described by struct wasm_trap,
 * and only a broken engine invariant asserts.
 */
#ifndef TAKARA_WASM_H
#define TAKARA_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, encoded as in the binary format. */
enum wasm_valtype {
    WASM_I32 = 0x7f,
    WASM_I64 = 0x7e,
    WASM_F32 = 0x7d,
    WASM_F64 = 0x7c,
    WASM_V128 = 0x7b,
    WASM_FUNCREF = 0x70,
    WASM_EXTERNREF = 0x6f,
};

enum wasm_extern_kind {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_TABLE = 1,
    WASM_EXTERN_MEMORY = 2,
    WASM_EXTERN_GLOBAL = 3,
    WASM_EXTERN_TAG = 4, /* exception handling */
};

struct wasm_module;
struct wasm_store;
struct wasm_instance;
struct wasm_func;
struct wasm_table;
struct wasm_memory;
struct wasm_global;
struct wasm_tag;

/*
 * A value. References are pointers: a funcref is a struct wasm_func *, an externref is
 * an opaque host pointer; NULL is the null reference of either type. v128 is reserved
 * for SIMD and keeps the union 16 bytes wide.
 */
union wasm_value {
    uint32_t i32;
    uint64_t i64;
    float f32;
    double f64;
    void *ref;
    uint8_t v128[16];
};

struct wasm_typed_value {
    uint8_t type; /* enum wasm_valtype */
    union wasm_value of;
};

/* A length-delimited UTF-8 name (Wasm names may contain NUL). */
struct wasm_name {
    uint32_t len;
    const char *str;
};

struct wasm_extern {
    uint8_t kind; /* enum wasm_extern_kind */
    union {
        struct wasm_func *func;
        struct wasm_table *table;
        struct wasm_memory *memory;
        struct wasm_global *global;
        struct wasm_tag *tag;
    } of;
};

/* Why loading or instantiating failed: code, the spec testsuite's wording, and where. */
struct wasm_error {
    int code;           /* TK_ERR_MALFORMED, TK_ERR_INVALID, TK_ERR_UNLINKABLE, ... */
    const char *reason; /* e.g. "unexpected end", "type mismatch" (static string) */
    uint32_t offset;    /* byte offset in the module binary, when known */
    uint8_t section;    /* section id being read (0 when not applicable) */
    char detail[96];    /* free-form context, e.g. the import name or function index */
};

enum wasm_trap_kind {
    WASM_TRAP_NONE = 0,
    WASM_TRAP_UNREACHABLE,
    WASM_TRAP_DIV_BY_ZERO,
    WASM_TRAP_INT_OVERFLOW,
    WASM_TRAP_INVALID_CONVERSION,
    WASM_TRAP_MEMORY_OOB,
    WASM_TRAP_TABLE_OOB,
    WASM_TRAP_UNDEFINED_ELEMENT,
    WASM_TRAP_UNINITIALIZED_ELEMENT,
    WASM_TRAP_INDIRECT_CALL_TYPE,
    WASM_TRAP_STACK_EXHAUSTED,
    WASM_TRAP_HOST,          /* a host function asked to end the call */
    WASM_TRAP_HOST_FAULT,    /* a host function faulted (wasm_platform_guarded_call): its bug */
    WASM_TRAP_EXCEPTION,     /* an exception no handler caught (exception handling) */
    WASM_TRAP_OUT_OF_MEMORY, /* no memory for a thrown exception */
};

/* Where and why a call trapped. */
struct wasm_trap {
    uint8_t kind;               /* enum wasm_trap_kind */
    uint32_t func_index;        /* function executing at the trap */
    uint32_t code_offset;       /* byte offset of the trapping instruction in the module */
    struct wasm_name func_name; /* from the name section, len 0 if absent */
    uint32_t tag_index;         /* WASM_TRAP_EXCEPTION: the exception's tag in the module of
                                 * func_index (UINT32_MAX if it has none), where it was thrown */
};

/* The spec testsuite's message for a trap kind ("integer divide by zero", ...). */
const char *wasm_trap_message(int kind);

/* ---- Modules ------------------------------------------------------------------------ */

/*
 * Decodes, validates and lowers a binary module. The engine copies what it keeps, so
 * `bytes` may be freed afterwards. Returns 0 and *out, or a negative error with *err
 * filled (TK_ERR_MALFORMED or TK_ERR_INVALID with the spec's reason, TK_ERR_NOMEM).
 */
int wasm_module_load(const uint8_t *bytes, size_t len, struct wasm_module **out,
                     struct wasm_error *err);
void wasm_module_free(struct wasm_module *module);

/* Import and export descriptions, for embedders that resolve imports by name. */
struct wasm_import_desc {
    struct wasm_name module, name;
    uint8_t kind; /* enum wasm_extern_kind */
};
uint32_t wasm_module_import_count(const struct wasm_module *module);
void wasm_module_import(const struct wasm_module *module, uint32_t i, struct wasm_import_desc *out);
/* The name of the execution tier that holds function `func` (function index space:
 * imports first), e.g. "interp"; NULL for an import or an index out of range. */
const char *wasm_module_func_tier(const struct wasm_module *module, uint32_t func);

/* ---- Stores and instances ----------------------------------------------------------- */

/*
 * What one store may consume: the interpreter's value stack (operands and locals) and
 * call depth, which bound recursion ("call stack exhausted" beyond them), and the bytes
 * of each linear memory (memory.grow returns -1 beyond; a module whose minimum exceeds
 * it does not instantiate: TK_ERR_LIMIT). An embedder running many small processes
 * picks small values; wasm_store_new uses WASM_STORE_DEFAULT_LIMITS.
 */
struct wasm_store_limits {
    uint32_t stack_bytes;
    uint32_t max_frames;
    uint64_t memory_bytes;
    void *account; /* what the store's allocations are charged to (platform.h); NULL: none */
};
#define WASM_STORE_DEFAULT_LIMITS                                                                  \
    ((struct wasm_store_limits){                                                                   \
        .stack_bytes = 4u << 20, .max_frames = 20000, .memory_bytes = 4ull << 30})

struct wasm_store *wasm_store_new(void);
/* NULL when out of memory or when a limit is out of range (stack under 4 KiB, no frames). */
struct wasm_store *wasm_store_new_limited(const struct wasm_store_limits *limits);
void wasm_store_free(struct wasm_store *store);

/*
 * Instantiates `module` in `store`. `imports` holds one extern per import, in the
 * module's import order; each is type-checked (TK_ERR_UNLINKABLE, "incompatible import
 * type"). Element and data segments are applied and the start function runs; a trap
 * there returns TK_ERR_TRAP with *trap filled (the spec's partial-initialisation
 * semantics: effects before the trap remain visible through shared imports).
 */
int wasm_instance_new(struct wasm_store *store, const struct wasm_module *module,
                      const struct wasm_extern *imports, uint32_t nimports,
                      struct wasm_instance **out, struct wasm_error *err, struct wasm_trap *trap);

/* Looks up an export by name; returns TK_ERR_NOENT if there is none. */
int wasm_instance_export(const struct wasm_instance *instance, struct wasm_name name,
                         struct wasm_extern *out);

/* ---- Functions ---------------------------------------------------------------------- */

/*
 * A host function. Returns 0, or a trap kind (WASM_TRAP_HOST or any other) to end the
 * calling Wasm code with that trap.
 */
typedef int (*wasm_host_fn)(void *env, const union wasm_value *args, union wasm_value *results);

/* A function type as a list of params and results. */
struct wasm_functype_desc {
    uint32_t nparams, nresults;
    const uint8_t *params, *results; /* enum wasm_valtype */
};

struct wasm_func *wasm_func_new_host(struct wasm_store *store,
                                     const struct wasm_functype_desc *type, wasm_host_fn fn,
                                     void *env);
/*
 * A host function on the interpreter's own 64-bit slots, for embedders whose calls must
 * be cheap (the kernel's imports): parameters are read from slots[0..nparams) (an i32 in
 * the low half), results written to slots[0..nresults) (an i32 zero-extended), with no
 * conversion through union wasm_value. Returns 0 or a trap kind, as wasm_host_fn. It must
 * not call back into Wasm code of the same store (the interpreter keeps its state in
 * registers across the call, and skips saving it).
 */
typedef int (*wasm_host_slots_fn)(void *env, uint64_t *slots);
struct wasm_func *wasm_func_new_host_slots(struct wasm_store *store,
                                           const struct wasm_functype_desc *type,
                                           wasm_host_slots_fn fn, void *env);

void wasm_func_type(const struct wasm_func *func, struct wasm_functype_desc *out);

/*
 * Calls `func` with `args` (count and types must match its type: TK_ERR_INVAL otherwise).
 * Returns 0 with results written, or TK_ERR_TRAP with *trap filled.
 */
int wasm_func_call(struct wasm_store *store, struct wasm_func *func, const union wasm_value *args,
                   uint32_t nargs, union wasm_value *results, uint32_t nresults,
                   struct wasm_trap *trap);

/* ---- Tables, memories, globals (for host modules such as the spec's "spectest") ------ */

struct wasm_table *wasm_table_new(struct wasm_store *store, uint8_t elem_type, uint32_t min,
                                  uint32_t max, bool has_max);
struct wasm_memory *wasm_memory_new(struct wasm_store *store, uint32_t min_pages,
                                    uint32_t max_pages, bool has_max);
struct wasm_global *wasm_global_new(struct wasm_store *store, struct wasm_typed_value value,
                                    bool mutable_);
struct wasm_typed_value wasm_global_get(const struct wasm_global *global);
/* An exception tag of a function type with no results (its params are the payload). */
struct wasm_tag *wasm_tag_new(struct wasm_store *store, const struct wasm_functype_desc *type);

/* "guard" (8 GiB reservations, faults become traps) or "bounds" (explicit checks): fixed
 * when the engine is built (WASM_BOUNDS_CHECKS). */
const char *wasm_memory_mode(void);

/* Linear memory as the host sees it: base and current size in bytes. */
uint8_t *wasm_memory_data(const struct wasm_memory *memory);
uint64_t wasm_memory_size(const struct wasm_memory *memory);

#endif
