/*
 * The trap landing's tests (kernel/wasm/platform.c): a fault in a linear memory's guard
 * area is the module's (TK_ERR_FAULT, an out-of-bounds trap) when Wasm code takes it,
 * and the kernel's (WASM_TRAP_HOST_FAULT) when an import does; the import is then
 * unwound with its scratch buffer freed and its name kept for the exit report.
 */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm/heap.h"
#include "kernel/sched.h"
#include "lib/string.h"
#include "wasm/platform.h"

#define RESERVED  (1u << 20)
#define COMMITTED 4096u

/* Stands for an import that allocates its message buffer, then reads module memory
 * through a pointer its checks should have stopped: the guard area past `ctx`'s page. */
static int faulting_import(void *ctx)
{
    struct thread *t = sched_current();
    uint8_t *buf;

    t->in_import = "ktest_import";
    if (!(buf = abi_scratch_alloc(65536))) return TK_ERR_NOMEM;
    buf[0] = *(volatile uint8_t *)((uint8_t *)ctx + COMMITTED + 8);
    abi_scratch_free(buf);
    t->in_import = NULL;
    return 0;
}

/* The same read made outside any import: Wasm code's own out-of-bounds access. */
static int faulting_wasm(void *ctx)
{
    return *(volatile uint8_t *)((uint8_t *)ctx + COMMITTED + 8);
}

KTEST(wasm_fault_inside_an_import_is_the_kernels)
{
    struct thread *t = sched_current();
    struct heap_stats before, after;
    uintptr_t addr = 0;
    void *mem;
    int r;

    KT_ASSERT_EQ(wasm_platform_reserve(RESERVED, &mem), 0);
    KT_ASSERT_EQ(wasm_platform_commit(mem, COMMITTED), 0);
    heap_get_stats(&before);
    r = wasm_platform_guarded_call(faulting_import, mem, &addr);
    heap_get_stats(&after);
    KT_ASSERT_EQ(r, WASM_TRAP_HOST_FAULT);
    KT_ASSERT_EQ(addr, (uintptr_t)mem + COMMITTED + 8);
    KT_ASSERT(t->in_import == NULL && t->import_scratch == NULL);
    KT_ASSERT(t->import_fault && strcmp(t->import_fault, "ktest_import") == 0);
    KT_ASSERT_EQ(after.live_objects, before.live_objects); /* the 64 KiB buffer went too */
    t->import_fault = NULL;
    addr = 0;
    KT_ASSERT_EQ(wasm_platform_guarded_call(faulting_wasm, mem, &addr), TK_ERR_FAULT);
    KT_ASSERT_EQ(addr, (uintptr_t)mem + COMMITTED + 8);
    KT_ASSERT(t->import_fault == NULL);
    KT_ASSERT_EQ(wasm_platform_release(mem, RESERVED), 0);
}
