/*
 * The Wasm engine's platform interface (wasm/platform.h) implemented by the kernel:
 * allocation from the kernel heap, linear memories as vmm reservations committed on
 * grow, and the guarded call that turns a fault in a reservation into an engine trap.
 *
 * Code memory for compiled tiers is a reservation too, committed read-write and NX (the
 * vmm refuses write+execute), sealed read-only + executable in place.
 *
 * Trap path: a load/store past a memory's committed size hits its reservation;
 * vmm_handle_fault calls wasm_memory_fault (the reservation's owner handler), which
 * long-jumps to the innermost guarded call. The jump restores RFLAGS, so the interrupt
 * flag is the guarded caller's again, and the abandoned exception frame is just stack.
 * A fault taken while the thread is inside a kernel import (a kernel access into the
 * module's memory that its checks should have stopped) is the kernel's, not the
 * module's: the landing unwinds the import (abi_import_unwind frees its scratch buffer
 * and names it for the exit report) and the call ends with WASM_TRAP_HOST_FAULT.
 */
#include "wasm/platform.h"

#include <stdarg.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/abi.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"
#include "kernel/sched.h"

/* One in-flight guarded call; nested calls (host function re-entering Wasm) chain. */
struct wasm_guard {
    struct arch_jmpbuf landing;
    uintptr_t fault_addr;
    struct wasm_guard *outer;
};

/* The innermost guarded call lives in the thread (sched_current()->wasm_guard): a
 * fault belongs to the thread that took it. */
#define wasm_guard_current (sched_current()->wasm_guard)

void *wasm_platform_alloc(size_t size)
{
    return kmalloc(size);
}

void *wasm_platform_realloc(void *ptr, size_t size)
{
    return krealloc(ptr, size);
}

void wasm_platform_free(void *ptr)
{
    kfree(ptr);
}

/* The account is the process's quota (kernel/proc/process.c); a charge counts the
 * heap block the allocation will take. */
int64_t wasm_platform_charge(void *account, size_t bytes)
{
    uint64_t block = heap_block_bytes(bytes);
    int r = quota_charge(account, block);

    return r < 0 ? r : (int64_t)block;
}

void wasm_platform_uncharge(void *account, uint64_t bytes)
{
    quota_uncharge(account, bytes);
}

/* The fault handler of linear memories and code blocks alike: a store into sealed code
 * or a jump into unsealed code lands in the guarded call the same way. */
static void wasm_memory_fault(void *owner, uintptr_t addr, void *frame)
{
    struct wasm_guard *guard = sched_current() ? wasm_guard_current : NULL;

    (void)owner;
    (void)frame;
    if (!guard)
        panic("wasm: fault at %#lx in Wasm memory or code outside any Wasm call",
              (unsigned long)addr);
    guard->fault_addr = addr;
    arch_longjmp(&guard->landing, 1);
}

int wasm_platform_reserve(size_t size, void **out)
{
    return vmm_reserve(size, wasm_memory_fault, NULL, out);
}

int wasm_platform_commit(void *addr, size_t size)
{
    /* linear memory is bounded by the process's limit, and stays out of the reserve */
    if (!quota_may_take(quota_current(), size / PAGE_SIZE)) return TK_ERR_NOMEM;
    return vmm_commit(addr, size, VMM_READ | VMM_WRITE);
}

int wasm_platform_release(void *addr, size_t size)
{
    (void)size;
    return vmm_release(addr);
}

int wasm_platform_code_alloc(size_t size, void **out)
{
    void *code;
    int r;

    if (size == 0) return TK_ERR_RANGE;
    if ((r = vmm_reserve(size, wasm_memory_fault, NULL, &code)) < 0) return r;
    if ((r = vmm_commit(code, size, VMM_READ | VMM_WRITE)) < 0) {
        vmm_release(code);
        return r;
    }
    *out = code;
    return 0;
}

/* x86 instruction fetch snoops stores, and vmm_protect flushes the TLB entries: nothing
 * else to do before the code runs. */
int wasm_platform_code_seal(void *code, size_t size)
{
    return vmm_protect(code, size, VMM_READ | VMM_EXEC);
}

int wasm_platform_code_free(void *code, size_t size)
{
    (void)size;
    return vmm_release(code);
}

int wasm_platform_guarded_call(int (*fn)(void *), void *ctx, uintptr_t *fault_addr)
{
    struct wasm_guard guard = {.outer = wasm_guard_current};
    int r;

    if (arch_setjmp(&guard.landing)) {
        struct thread *t = sched_current();
        wasm_guard_current = guard.outer;
        *fault_addr = guard.fault_addr;
        if (!t->in_import) return TK_ERR_FAULT;
        abi_import_unwind(t, guard.fault_addr); /* here, with the interrupt flag restored */
        return WASM_TRAP_HOST_FAULT;
    }
    wasm_guard_current = &guard;
    r = fn(ctx);
    wasm_guard_current = guard.outer;
    return r;
}

uint64_t wasm_platform_clock_ns(void)
{
    return clock_ns();
}

void wasm_platform_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvlog(LOG_INFO, fmt, ap);
    va_end(ap);
}
