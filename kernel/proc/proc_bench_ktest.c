/*
 * Process and scheduler costs in instructions (test=bench_proc; bench/kernel-proc.sh
 * boots it under QEMU -icount shift=0, where the TSC counts retired instructions):
 *
 *   import call     bench `import N` minus bench `empty N`, per iteration
 *   thread switch   two kernel threads yielding to each other, per switch
 *   process switch  two processes calling the yield import, per switch (import included)
 *   spawn           proc_spawn of an already-loaded module, and spawn to reaped exit
 *   IPC round trip  bench `ipc N` minus `ipc 0`, per 64-byte call and reply between two
 *                   processes (one channel_call on each side)
 *   stream message  bench `stream N` minus `stream 0`, per 64-byte message written by one
 *                   process and read by another, the queue allowed to fill
 *   port wake-up    half of a `portping` round trip (an event signal waking a process
 *                   in port_wait, and back) minus the waker's clearing its own event
 *                   (bench `signal`): from the signal import to the waiter running
 *   bulk            instructions per MiB written by one process and checksummed by
 *                   another, through a shared memory object (`bulkmem`) and through
 *                   64 KiB channel messages (`bulkchan`)
 *
 * Prints `bench: NAME VALUE` lines for the script.
 */
#include <takara/caps.h>

#include "arch/arch.h"
#include "kernel/bootfs.h"
#include "kernel/ktest/ktest.h"
#include "kernel/log.h"
#include "kernel/proc.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define BENCH_N 20000

static struct process bench_parent = {.caps = TK_CAP_ALL};

/* Runs `MODULE MODE N` (bench or ipcbench) to its end: instructions from spawn to
 * reaped exit. */
static uint64_t bench_run_module(const char *module, const char *mode, int n, uint32_t caps,
                                 uint64_t memory_limit)
{
    char args[48], file[16];
    struct tk_exit_info info;
    int len = fmt_snprintf(args, sizeof(args), "%s%c%s%c%d", module, 0, mode, 0, n) + 1;
    int flen = fmt_snprintf(file, sizeof(file), "%s.wasm", module);
    uint64_t t0 = arch_read_cycles();
    int pid =
        proc_spawn(&bench_parent, file, (size_t)flen, args, (size_t)len, memory_limit, caps, NULL);

    if (pid < 0 || proc_wait(&bench_parent, pid, &info, 0) != pid ||
        info.reason != TK_EXIT_NORMAL || info.code != 0)
        return 0;
    return arch_read_cycles() - t0;
}

static uint64_t bench_run_caps(const char *mode, int n, uint32_t caps)
{
    return bench_run_module("bench", mode, n, caps, 0);
}

static uint64_t ipcbench_run(const char *mode, int n, uint64_t memory_limit)
{
    return bench_run_module("ipcbench", mode, n, TK_CAP_SPAWN, memory_limit);
}

static uint64_t bench_run(const char *mode, int n)
{
    return bench_run_caps(mode, n, 0);
}

static volatile int switch_left;

static void bench_yielder(void *arg)
{
    (void)arg;
    while (switch_left > 0) {
        switch_left--;
        sched_yield();
    }
}

KTEST_ALONE(bench_proc)
{
    struct bootfs_module *held;
    struct wasm_error err;
    struct tk_exit_info info;
    uint64_t empty, import, two, one, t0, spawn_call = 0;

    waitq_init(&bench_parent.child_exit);
    KT_ASSERT_EQ(bootfs_init(), 0);
    KT_ASSERT_EQ(bootfs_module_get("bench.wasm", 10, &held, &err), 0); /* already loaded */

    KT_ASSERT((empty = bench_run("empty", BENCH_N)) > 0);
    KT_ASSERT((import = bench_run("import", BENCH_N)) > 0);
    kprintf("bench: import_call %lu\n", (unsigned long)((import - empty) / BENCH_N));

    /* spawn: best of a few (the first may find caches cold) */
    uint64_t best = ~0ull, best_call = ~0ull;
    for (int i = 0; i < 5; i++) {
        uint64_t t = bench_run("empty", 0);
        KT_ASSERT(t > 0);
        if (t < best) best = t;
        t0 = arch_read_cycles();
        int pid = proc_spawn(&bench_parent, "bench.wasm", 10,
                             "bench\0empty\0"
                             "0",
                             14, 0, 0, NULL);
        spawn_call = arch_read_cycles() - t0;
        KT_ASSERT(pid > 0);
        KT_ASSERT_EQ(proc_wait(&bench_parent, pid, &info, 0), pid);
        if (spawn_call < best_call) best_call = spawn_call;
    }
    kprintf("bench: spawn_call %lu\n", (unsigned long)best_call);
    kprintf("bench: spawn_to_exit %lu\n", (unsigned long)best);

    /* thread switches: two threads at this thread's priority yield to each other */
    /* (interrupts off until the yield, so neither starts before t0) */
    uint64_t flags = arch_irq_save();
    switch_left = 2 * BENCH_N;
    bool made = thread_create("yield-a", SCHED_PRIO_HIGH, bench_yielder, NULL, 16384) &&
                thread_create("yield-b", SCHED_PRIO_HIGH, bench_yielder, NULL, 16384);
    t0 = arch_read_cycles();
    sched_yield(); /* they outrank this thread: it runs again when both are done */
    uint64_t t1 = arch_read_cycles();
    arch_irq_restore(flags);
    KT_ASSERT(made);
    kprintf("bench: thread_switch %lu\n", (unsigned long)((t1 - t0) / (2 * BENCH_N)));

    /* process switches: two processes calling the yield import, minus their loops */
    char args[] = "bench\0yield\0"
                  "20000";
    t0 = arch_read_cycles();
    int a = proc_spawn(&bench_parent, "bench.wasm", 10, args, sizeof(args), 0, 0, NULL);
    int b = proc_spawn(&bench_parent, "bench.wasm", 10, args, sizeof(args), 0, 0, NULL);
    KT_ASSERT(a > 0 && b > 0);
    KT_ASSERT(proc_wait(&bench_parent, -1, &info, 0) > 0);
    KT_ASSERT(proc_wait(&bench_parent, -1, &info, 0) > 0);
    two = arch_read_cycles() - t0;
    one = 2 * bench_run("empty", BENCH_N);
    kprintf("bench: process_switch %lu\n", (unsigned long)((two - one) / (2 * BENCH_N)));
    uint64_t ipc0 = bench_run_caps("ipc", 0, TK_CAP_SPAWN);
    uint64_t ipcn = bench_run_caps("ipc", BENCH_N / 4, TK_CAP_SPAWN);
    KT_ASSERT(ipc0 > 0 && ipcn > ipc0);
    kprintf("bench: ipc_round_trip %lu\n", (unsigned long)((ipcn - ipc0) / (BENCH_N / 4)));
    uint64_t pc0 = ipcbench_run("portcall", 0, 0), pcn = ipcbench_run("portcall", BENCH_N / 4, 0);
    KT_ASSERT(pc0 > 0 && pcn > pc0);
    kprintf("bench: ipc_port_round_trip %lu\n", (unsigned long)((pcn - pc0) / (BENCH_N / 4)));

    uint64_t s0 = ipcbench_run("stream", 0, 0), sn = ipcbench_run("stream", BENCH_N, 0);
    KT_ASSERT(s0 > 0 && sn > s0);
    kprintf("bench: stream_message %lu\n", (unsigned long)((sn - s0) / BENCH_N));

    uint64_t loop = ipcbench_run("empty", BENCH_N, 0), sig = ipcbench_run("signal", BENCH_N, 0);
    uint64_t p0 = ipcbench_run("portping", 0, 0), pn = ipcbench_run("portping", BENCH_N / 4, 0);
    KT_ASSERT(loop > 0 && sig > loop && p0 > 0 && pn > p0);
    uint64_t clear = (sig - loop) / BENCH_N, hop = (pn - p0) / (BENCH_N / 4) / 2;
    KT_ASSERT(hop > clear);
    kprintf("bench: port_wakeup %lu\n", (unsigned long)(hop - clear));

    const uint64_t bulk_limit = 4u << 20;
    uint64_t m0 = ipcbench_run("bulkmem", 0, bulk_limit),
             mn = ipcbench_run("bulkmem", 4, bulk_limit);
    uint64_t c0 = ipcbench_run("bulkchan", 0, bulk_limit),
             cn = ipcbench_run("bulkchan", 4, bulk_limit);
    KT_ASSERT(m0 > 0 && mn > m0 && c0 > 0 && cn > c0);
    kprintf("bench: bulk_memory_per_mib %lu\n", (unsigned long)((mn - m0) / 4));
    kprintf("bench: bulk_channel_per_mib %lu\n", (unsigned long)((cn - c0) / 4));
    bootfs_module_put(held);
}

/* For bench/ipc-profile.sh: an exec trace is split at calls of this function. */
__attribute__((noinline)) void ipc_profile_mark(void);
__attribute__((noinline)) void ipc_profile_mark(void)
{
    __asm__ volatile("" ::: "memory");
}

/* 100 round trips (warming up), a mark, 100, a mark, 300, a mark: the profile is the
 * last run minus the one before, per round trip (per call for bench `import`). */
static void ipc_profile_run(const char *module, const char *mode)
{
    struct bootfs_module *held;
    struct wasm_error err;
    char file[16];
    int flen = fmt_snprintf(file, sizeof(file), "%s.wasm", module);

    waitq_init(&bench_parent.child_exit);
    KT_ASSERT_EQ(bootfs_init(), 0);
    KT_ASSERT_EQ(bootfs_module_get(file, (size_t)flen, &held, &err), 0);
    KT_ASSERT(bench_run_module(module, mode, 100, TK_CAP_SPAWN, 0) > 0);
    ipc_profile_mark();
    KT_ASSERT(bench_run_module(module, mode, 100, TK_CAP_SPAWN, 0) > 0);
    ipc_profile_mark();
    KT_ASSERT(bench_run_module(module, mode, 300, TK_CAP_SPAWN, 0) > 0);
    ipc_profile_mark();
    bootfs_module_put(held);
}

/* Two processes calling each other with channel_call (bench ipc). */
KTEST_ALONE(ipc_profile)
{
    ipc_profile_run("bench", "ipc");
}

/* A client's channel_call to a server waiting on a port (ipcbench portcall). */
KTEST_ALONE(ipc_port_profile)
{
    ipc_profile_run("ipcbench", "portcall");
}

/* The cheapest import called in a loop (bench import): where import_call goes. */
KTEST_ALONE(import_profile)
{
    ipc_profile_run("bench", "import");
}
