/*
 * Dispatch of the `takara` imports: the table generated from include/takara/abi.def,
 * import resolution at spawn, linking at instantiation, and the wrapper every call goes
 * through: check the capability, mark the thread as inside the kernel with the import's
 * name (so a kill waits for the import to finish instead of abandoning it half-done, and
 * a fault inside it is reported as the import's), run the handler, and end the process
 * on the way out if it was killed meanwhile.
 */
#include "kernel/abi.h"

#include <takara/caps.h>
#include <takara/error.h>

#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "kernel/sched.h"
#include "lib/fmt.h"
#include "lib/string.h"

struct abi_import {
    const char *name;
    uint32_t name_len;
    uint32_t cap;
    const char *sig; /* "params:results", i = i32, I = i64 */
    wasm_host_slots_fn entry;
};

/* Inlined into each entry below: a call is one indirect call from the interpreter and
 * one direct call to the handler. */
static inline int abi_invoke(struct process *p, uint32_t cap, abi_handler fn, uint64_t *s,
                             const char *name)
{
    struct thread *t = sched_current();
    int k;

    if (cap && !(p->caps & cap)) {
        s[0] = (uint32_t)TK_ERR_DENIED; /* every import that needs a capability returns i32 */
        return 0;
    }
    t->in_import = name; /* imports never nest: a host function does not re-enter Wasm */
    k = fn(p, s);
    t->in_import = NULL;
    return t->killed ? WASM_TRAP_HOST : k;
}

/* The entries of abi.def's rows and abi_table[] (tools/gen-abi-dispatch.py): a typed
 * row's entry checks and decodes its arguments, then calls its handler with them. */
#include "abi_dispatch.h"

/* WASI functions go through the same wrapper; what they may touch is decided per call
 * (a stream needs the console capability, for instance), not by one capability. */
#define WASI_FN(name, sig)                                                                         \
    static int wasi_entry_##name(void *env, uint64_t *s)                                           \
    {                                                                                              \
        return abi_invoke(env, TK_CAP_NONE, wasi_##name, s, #name);                                \
    }
#include <takara/wasi.def>
#undef WASI_FN

static const struct abi_import wasi_table[] = {
#define WASI_FN(name, sig) {#name, sizeof(#name) - 1, TK_CAP_NONE, sig, wasi_entry_##name},
#include <takara/wasi.def>
#undef WASI_FN
};

static const struct {
    const char *name;
    uint32_t name_len;
    const struct abi_import *rows;
    size_t nrows;
} abi_modules[] = {
    {"takara", 6, abi_table, sizeof(abi_table) / sizeof(abi_table[0])},
    {"wasi_snapshot_preview1", 22, wasi_table, sizeof(wasi_table) / sizeof(wasi_table[0])},
};

static const struct abi_import *abi_find(const struct wasm_import_desc *d)
{
    if (d->kind != WASM_EXTERN_FUNC) return NULL;
    for (size_t m = 0; m < sizeof(abi_modules) / sizeof(abi_modules[0]); m++) {
        if (abi_modules[m].name_len != d->module.len ||
            memcmp(abi_modules[m].name, d->module.str, d->module.len))
            continue;
        for (size_t i = 0; i < abi_modules[m].nrows; i++) {
            const struct abi_import *row = &abi_modules[m].rows[i];
            if (row->name_len == d->name.len && /* most rows fail here, cheaply */
                !memcmp(row->name, d->name.str, d->name.len))
                return row;
        }
    }
    return NULL;
}

int abi_resolve(const struct wasm_module *module, const struct abi_import ***out, char *why,
                size_t why_len)
{
    uint32_t n = wasm_module_import_count(module);
    const struct abi_import **rows;

    *out = NULL;
    if (n == 0) return 0;
    if (!(rows = kmalloc(n * sizeof(*rows)))) return TK_ERR_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_import_desc d;
        wasm_module_import(module, i, &d);
        if ((rows[i] = abi_find(&d))) continue;
        fmt_snprintf(why, why_len, "unknown import %.*s.%.*s",
                     (int)(d.module.len > 24 ? 24 : d.module.len), d.module.str,
                     (int)(d.name.len > 32 ? 32 : d.name.len), d.name.str);
        kfree(rows);
        return TK_ERR_UNLINKABLE;
    }
    *out = rows;
    return 0;
}

static uint8_t abi_valtype(char c)
{
    return c == 'I' ? WASM_I64 : WASM_I32;
}

int abi_link(struct process *p, const struct abi_import *const *rows, uint32_t n,
             struct wasm_extern *imports)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct abi_import *imp = rows[i];
        uint8_t types[16];
        uint32_t np = 0, nr = 0;
        const char *s;

        for (s = imp->sig; *s != ':'; s++) types[np++] = abi_valtype(*s);
        for (s++; *s; s++) types[np + nr++] = abi_valtype(*s);
        struct wasm_functype_desc ft = {np, nr, types, types + np};
        struct wasm_func *f = wasm_func_new_host_slots(p->store, &ft, imp->entry, p);
        if (!f) return TK_ERR_NOMEM;
        imports[i] = (struct wasm_extern){.kind = WASM_EXTERN_FUNC, .of.func = f};
    }
    return 0;
}

const void *abi_mem_in(struct process *p, uint32_t ptr, uint64_t len)
{
    if (!p->memory || (uint64_t)ptr + len > wasm_memory_size(p->memory)) return NULL;
    return wasm_memory_data(p->memory) + ptr;
}

bool abi_mem_readonly(const struct process *p, uint32_t ptr, uint64_t len)
{
    for (const struct mapping *m = p->mappings; m; m = m->next)
        if (!m->writable && ptr < (uint64_t)m->offset + m->bytes && m->offset < ptr + len)
            return true;
    return false;
}

void *abi_mem(struct process *p, uint32_t ptr, uint64_t len)
{
    /* a kernel store into a read-only page would fault in the middle of an import */
    if (p->mappings && abi_mem_readonly(p, ptr, len)) return NULL;
    return (void *)abi_mem_in(p, ptr, len);
}

int abi_copy_in(struct process *p, void *dst, uint32_t ptr, uint32_t len)
{
    const void *src = abi_mem_in(p, ptr, len);

    if (!src) return TK_ERR_FAULT;
    memcpy(dst, src, len);
    return 0;
}

void *abi_scratch_alloc(size_t size)
{
    struct thread *t = sched_current();

    if (t->import_scratch) panic("abi: a second scratch buffer in import %s", t->in_import);
    return t->import_scratch = kmalloc(size);
}

void abi_scratch_free(void *buf)
{
    struct thread *t = sched_current();

    if (buf != t->import_scratch) panic("abi: %p is not import %s's scratch", buf, t->in_import);
    t->import_scratch = NULL;
    kfree(buf);
}

void abi_import_unwind(struct thread *t, uintptr_t addr)
{
    struct process *p = t->proc;

    log_error("kernel fault at %#lx inside import %s of process %d '%s': the process ends",
              (unsigned long)addr, t->in_import, p ? p->pid : 0, p ? p->name : "?");
    t->import_fault = t->in_import;
    t->in_import = NULL;
    kfree(t->import_scratch);
    t->import_scratch = NULL;
}

int abi_handle_install(struct process *p, struct object *o, uint32_t rights, tk_handle *out)
{
    tk_handle h;
    int r = handle_install(&p->handles, o, rights, &h);

    if (r == 0) *out = h;
    return r;
}

int abi_handle_out(struct process *p, struct object *o, uint32_t rights, uint32_t ptr)
{
    tk_handle h;
    int r = handle_install(&p->handles, o, rights, &h);
    tk_handle *out = abi_mem(p, ptr, sizeof(h));

    if (r == 0 && out) *out = h;
    return r;
}

uint64_t abi_deadline(int64_t timeout_ns)
{
    uint64_t now;

    if (timeout_ns < 0) return 0;
    if (timeout_ns == 0) return 1; /* already past: just look */
    now = clock_ns();
    return now + (uint64_t)timeout_ns < now ? 0 : now + (uint64_t)timeout_ns;
}
