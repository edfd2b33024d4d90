/*
 * The platform interface on Linux: malloc, mmap reservations (PROT_NONE, no swap
 * accounting) committed with mprotect, code blocks mapped read-write and sealed
 * read-execute with mprotect, and the guarded call: a SIGSEGV/SIGBUS handler on
 * its own signal stack that, for a fault inside a live reservation during a guarded
 * call, long-jumps back to the call. Any other fault is re-raised as a crash.
 *
 * Test hook: wasm_platform_linux_fail_alloc_after(n) makes the n-th next allocation fail.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <takara/error.h>

#include "wasm/platform.h"
#include "wasm/platform_linux.h"

#define MAX_RESERVATIONS 4096

static long fail_countdown = -1;

struct guard {
    sigjmp_buf landing;
    volatile uintptr_t fault;
    struct guard *outer;
};

static struct guard *guard_current;
static struct {
    uintptr_t base;
    size_t size;
} reservations[MAX_RESERVATIONS];
static int handler_installed;

void wasm_platform_linux_fail_alloc_after(long n)
{
    fail_countdown = n;
}

static int alloc_should_fail(void)
{
    if (fail_countdown < 0) return 0;
    return fail_countdown-- == 0;
}

int64_t wasm_platform_charge(void *account, size_t bytes)
{
    struct wasm_linux_account *a = account;

    if (bytes > a->limit - a->used) return TK_ERR_LIMIT;
    a->used += bytes;
    return (int64_t)bytes;
}

void wasm_platform_uncharge(void *account, uint64_t bytes)
{
    struct wasm_linux_account *a = account;

    if (bytes > a->used) abort(); /* an engine bug: more given back than charged */
    a->used -= bytes;
}

void *wasm_platform_alloc(size_t size)
{
    return alloc_should_fail() ? NULL : malloc(size);
}

void *wasm_platform_realloc(void *ptr, size_t size)
{
    return alloc_should_fail() ? NULL : realloc(ptr, size);
}

void wasm_platform_free(void *ptr)
{
    free(ptr);
}

static int in_reservation(uintptr_t a)
{
    for (int i = 0; i < MAX_RESERVATIONS; i++)
        if (reservations[i].size && a - reservations[i].base < reservations[i].size) return 1;
    return 0;
}

static void fault_handler(int sig, siginfo_t *info, void *uc)
{
    uintptr_t a = (uintptr_t)info->si_addr;

    (void)uc;
    if (guard_current && in_reservation(a)) {
        guard_current->fault = a;
        siglongjmp(guard_current->landing, 1);
    }
    signal(sig, SIG_DFL); /* not ours: crash as usual */
    raise(sig);
}

static void install_handler(void)
{
    static char altstack[1 << 16];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
    struct sigaction sa;

    if (handler_installed) return;
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    handler_installed = 1;
}

/* Maps size bytes with prot and records them as ours, so the guarded call catches
 * faults there. */
static int reservation_map(size_t size, int prot, int flags, void **out)
{
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

    if (p == MAP_FAILED) return TK_ERR_NOMEM;
    for (int i = 0; i < MAX_RESERVATIONS; i++)
        if (!reservations[i].size) {
            install_handler();
            reservations[i].base = (uintptr_t)p;
            reservations[i].size = size;
            *out = p;
            return 0;
        }
    munmap(p, size);
    return TK_ERR_LIMIT;
}

/* Unmaps a block recorded by reservation_map. */
static int reservation_remove(void *addr, size_t size)
{
    for (int i = 0; i < MAX_RESERVATIONS; i++)
        if (reservations[i].base == (uintptr_t)addr && reservations[i].size) {
            reservations[i].size = 0;
            munmap(addr, size);
            return 0;
        }
    return TK_ERR_NOENT;
}

int wasm_platform_reserve(size_t size, void **out)
{
    return reservation_map(size, PROT_NONE, MAP_NORESERVE, out);
}

int wasm_platform_commit(void *addr, size_t size)
{
    return mprotect(addr, size, PROT_READ | PROT_WRITE) == 0 ? 0 : TK_ERR_NOMEM;
}

int wasm_platform_release(void *addr, size_t size)
{
    return reservation_remove(addr, size);
}

int wasm_platform_code_alloc(size_t size, void **out)
{
    if (size == 0) return TK_ERR_RANGE;
    if (alloc_should_fail()) return TK_ERR_NOMEM;
    return reservation_map(size, PROT_READ | PROT_WRITE, 0, out);
}

int wasm_platform_code_seal(void *code, size_t size)
{
    /* a no-op on x86, where instruction fetch snoops stores; other hosts need it */
    __builtin___clear_cache((char *)code, (char *)code + size);
    return mprotect(code, size, PROT_READ | PROT_EXEC) == 0 ? 0 : TK_ERR_INVAL;
}

int wasm_platform_code_free(void *code, size_t size)
{
    return reservation_remove(code, size);
}

int wasm_platform_guarded_call(int (*fn)(void *), void *ctx, uintptr_t *fault_addr)
{
    struct guard g = {.outer = guard_current};
    int r;

    if (sigsetjmp(g.landing, 1)) {
        guard_current = g.outer;
        *fault_addr = g.fault;
        return TK_ERR_FAULT;
    }
    guard_current = &g;
    r = fn(ctx);
    guard_current = g.outer;
    return r;
}

uint64_t wasm_platform_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void wasm_platform_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
