/*
 * The `takara` import layer (kernel/abi/): the dispatch generated from
 * include/takara/abi.def, and the checks every import makes before acting. An import
 * fetches nothing it was not given: it runs for the calling process only, after its
 * capability is checked, and touches the caller's linear memory only inside ranges
 * checked against the memory's current size.
 */
#ifndef TAKARA_KERNEL_ABI_H
#define TAKARA_KERNEL_ABI_H

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

/* A module's relative timeout (< 0: forever, 0: poll) as an absolute deadline for
 * waitq_wait (0: none; 1: already past). */
uint64_t abi_deadline(int64_t timeout_ns);

/* Handlers (kernel/abi/abi_*.c), one per row of abi.def, on the interpreter's slots
 * (wasm_host_slots_fn): arguments in s[0..n) (an i32 in the low half), the result into
 * s[0] once the arguments are read (an i32 zero-extended; errors as negative codes).
 * They return 0, or a trap kind to end the process. */
typedef int (*abi_handler)(struct process *p, uint64_t *s);
#define TK_ABI(name, cap, sig, ret, params) int abi_##name(struct process *p, uint64_t *s);
#include <takara/abi.def>
#undef TK_ABI
/* WASI preview 1 handlers (kernel/abi/wasi_*.c), the same convention; results are WASI
 * errnos (0 success), never negative tk_errors. */
#define WASI_FN(name, sig) int wasi_##name(struct process *p, uint64_t *s);
#include <takara/wasi.def>
#undef WASI_FN

#endif
