/*
 * The `takara` import layer (kernel/abi/): the dispatch generated from
 * include/takara/abi.def, and the checks every import makes before acting. An import
 * fetches nothing it was not given: it runs for the calling process only, after its
 * capability is checked, and touches the caller's linear memory only inside ranges
 * checked against the memory's current size.
 */
#ifndef TAKARA_KERNEL_ABI_H
#define TAKARA_KERNEL_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/proc.h"
#include "wasm/wasm.h"

struct abi_import; /* a row of abi.def or wasi.def */

/* Finds the kernel's function for every import of `module`, once per loaded module:
 * 0 with *out (one row per import, kmalloc'd; NULL when there are none), TK_ERR_NOMEM,
 * or TK_ERR_UNLINKABLE with the first import the kernel does not provide named in why. */
int abi_resolve(const struct wasm_module *module, const struct abi_import ***out, char *why,
                size_t why_len);
/* Creates p's host functions for the n resolved rows in its store, filling imports[]. */
int abi_link(struct process *p, const struct abi_import *const *rows, uint32_t n,
             struct wasm_extern *imports);

/* [ptr, ptr+len) of p's linear memory as a kernel pointer the import may write, or NULL
 * when any of it is outside the memory (or p has none) or inside a read-only mapping of
 * a memory object. Valid until p's memory grows. */
void *abi_mem(struct process *p, uint32_t ptr, uint64_t len);
/* The same for a range the import only reads: read-only mappings are fine. */
const void *abi_mem_in(struct process *p, uint32_t ptr, uint64_t len);
/* A new handle to o (which keeps its reference) in p's table, its value stored at ptr
 * of p's memory, which the import checked before doing anything: 0, or the table's
 * error. */
int abi_handle_out(struct process *p, struct object *o, uint32_t rights, uint32_t ptr);

/*
 * Module memory is read once. What an import decides on (iovec arrays, lengths,
 * pointers, structures) is copied into the kernel before it is checked and never read
 * from the module again: the memory may lie in a memory object another process maps,
 * and change between two reads (the import may wait or be preempted in between). A
 * range checked once stays valid for the whole import: the layout of p's memory (its
 * size, its mappings) changes only through p's own thread, which is in the import.
 * Copies [ptr, ptr+len) of p's memory into dst: 0, TK_ERR_FAULT (outside the memory).
 */
int abi_copy_in(struct process *p, void *dst, uint32_t ptr, uint32_t len);

/* A buffer that lives for the running import only, kfree'd by abi_scratch_free — or,
 * should the import fault, by the fault landing (abi_import_unwind): an import that
 * allocates before it touches module memory takes its buffer here, so that nothing
 * outlives a fault. One per import at a time; NULL when out of memory. */
void *abi_scratch_alloc(size_t size);
void abi_scratch_free(void *buf);

struct thread;
/* The landing's part of a fault at `addr` inside the import t runs (kernel/wasm/
 * platform.c, after the jump out of it): logs it, frees the import's scratch buffer,
 * leaves the import and keeps its name in t->import_fault for the exit report. */
void abi_import_unwind(struct thread *t, uintptr_t addr);

/* Maps `pages` frames (frames[i], or from `phys` on when frames is NULL) at byte
 * `offset` of p's linear memory with protection `prot` (VMM_*), the mapping holding a
 * reference of its own to o, which keeps the frames alive: 0, TK_ERR_UNSUPPORTED (a
 * bounds-checked memory), TK_ERR_RANGE (unaligned, past the memory's size, over another
 * mapping), TK_ERR_LIMIT, TK_ERR_NOMEM (abi_memory.c). memory_unmap undoes it. */
int abi_map_pages(struct process *p, uint32_t offset, struct object *o, const uint64_t *frames,
                  uint64_t phys, uint32_t pages, int prot);

/* A module's relative timeout (< 0: forever, 0: poll) as an absolute deadline for
 * waitq_wait (0: none; 1: already past). */
uint64_t abi_deadline(int64_t timeout_ns);

/* A process's linear memory, looked up once for the several pointers of one import
 * (the generated checks, tools/gen-abi-dispatch.py): the same checks as abi_mem_in and
 * abi_mem, in a form that costs a few instructions a pointer. */
struct abi_view {
    uint8_t *base;
    uint64_t size;
};

/* The view of p's memory; *bad set when p has none (every pointer is then a FAULT). */
static inline void abi_view_init(struct process *p, struct abi_view *v, bool *bad)
{
    struct wasm_memory *mem = p->memory;

    v->base = mem ? wasm_memory_data(mem) : NULL;
    v->size = mem ? wasm_memory_size(mem) : 0;
    *bad = !mem;
}

/* ptr as a kernel pointer, *bad set when [ptr, ptr+len) is not all inside the memory. */
static inline void *abi_view_at(const struct abi_view *v, uint32_t ptr, uint64_t len, bool *bad)
{
    *bad |= (uint64_t)ptr + len > v->size;
    return v->base + ptr;
}

/* Whether [ptr, ptr+len) touches a read-only mapping of a memory object, where a kernel
 * store would fault (for what the import writes; p->mappings is checked first, inline). */
bool abi_mem_readonly(const struct process *p, uint32_t ptr, uint64_t len);

/* A new handle to o (which keeps its reference) in p's table, its value stored at *out
 * (a checked pointer into p's memory): 0, or the table's error. */
int abi_handle_install(struct process *p, struct object *o, uint32_t rights, tk_handle *out);

/* Handlers (kernel/abi/abi_*.c), one per row of abi.def, declared by the generated
 * abi_handlers.h (tools/gen-abi-dispatch.py says what each kind of parameter becomes).
 * A typed row's handler gets typed C arguments, already checked, and returns the
 * import's result (for a void import: 0, or a trap kind to end the process). An untyped
 * row's handler runs on the interpreter's slots (wasm_host_slots_fn): arguments in
 * s[0..n) (an i32 in the low half), the result into s[0] once the arguments are read
 * (an i32 zero-extended; errors as negative codes); it returns 0, or a trap kind. */
typedef int (*abi_handler)(struct process *p, uint64_t *s);
#include "abi_handlers.h"
/* WASI preview 1 handlers (kernel/abi/wasi_*.c), the same convention; results are WASI
 * errnos (0 success), never negative tk_errors. */
#define WASI_FN(name, sig) int wasi_##name(struct process *p, uint64_t *s);
#include <takara/wasi.def>
#undef WASI_FN

#endif
