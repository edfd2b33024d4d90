/*
 * The platform interface: everything the engine needs from its host, and nothing more.
 * Implemented by wasm/platform_linux.c (hosted: mmap, sigaction) and by the kernel
 * (kernel/wasm/platform.c: vmm reserve/commit, page-fault routing). Functions return
 * 0 or a negative tk_error.
 */
#ifndef TAKARA_WASM_PLATFORM_H
#define TAKARA_WASM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* General-purpose allocation (malloc semantics; NULL on failure). */
void *wasm_platform_alloc(size_t size);
void *wasm_platform_realloc(void *ptr, size_t size);
void wasm_platform_free(void *ptr);

/* Accounting: what the engine allocates for a store whose limits name an account
 * (wasm_store_limits.account: the store, its instance's data, functions, tables and their
 * growth, globals, the interpreter's stacks) is charged to the account first, and the
 * store gives it all back when freed. Returns the bytes charged (at least `bytes`: the
 * host may count its allocator's rounding) or a negative error (TK_ERR_LIMIT), nothing
 * charged. */
int64_t wasm_platform_charge(void *account, size_t bytes);
void wasm_platform_uncharge(void *account, uint64_t bytes);

/* Virtual memory for linear memories and code: reserve address space without backing,
 * commit (zero-filled, read-write) pages inside it, release the whole reservation. */
int wasm_platform_reserve(size_t size, void **out);
int wasm_platform_commit(void *addr, size_t size);
int wasm_platform_release(void *addr, size_t size);

/*
 * Executable memory for compiled code, W^X: never writable and executable at once.
 * wasm_platform_code_alloc gives zero-filled, page-rounded read-write memory that cannot
 * run; the compiler writes the code, then wasm_platform_code_seal makes the whole block
 * read-execute for good (there is no way back to writable: patching means a new block).
 * wasm_platform_code_free unmaps it. Sizes are those passed to alloc.
 */
int wasm_platform_code_alloc(size_t size, void **out);
int wasm_platform_code_seal(void *code, size_t size);
int wasm_platform_code_free(void *code, size_t size);

/*
 * Runs fn(ctx) and returns its result, unless a memory fault inside a reservation made by
 * wasm_platform_reserve or a block from wasm_platform_code_alloc (a store into sealed
 * code, a jump into unsealed code) interrupts it: then the call is abandoned and TK_ERR_FAULT is
 * returned with the faulting address. This is how guard-region accesses become
 * out-of-bounds traps without a bounds check in the interpreter. A host that can tell a
 * fault taken inside one of its host functions (the kernel: inside an import) from one
 * in Wasm code returns WASM_TRAP_HOST_FAULT for it instead, after its own clean-up of
 * the abandoned host function: the fault is the host's, not the module's.
 */
int wasm_platform_guarded_call(int (*fn)(void *), void *ctx, uintptr_t *fault_addr);

/*
 * The interpreter's dispatch loop is placed in this section, so a host can tell from an
 * interrupted program counter that Wasm code was running: code there touches nothing
 * but the store's own state and may be abandoned at any instruction (the kernel ends a
 * killed process that way, as it does on a guard-page fault).
 */
#define WASM_INTERP_SECTION __attribute__((section(".text.wasm_interp")))

/* Monotonic time in nanoseconds. */
uint64_t wasm_platform_clock_ns(void);

/* Diagnostics (printf-like format). */
void wasm_platform_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
