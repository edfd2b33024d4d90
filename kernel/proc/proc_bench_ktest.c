/*
 * Process and scheduler costs in instructions (test=bench_proc; bench/kernel-proc.sh
 * boots it under QEMU -icount shift=0, where the TSC counts retired instructions):
 *
 *   import call     bench `import N` minus bench `empty N`, per iteration
 *   thread switch   two kernel threads yielding to each other, per switch
 *   process switch  two processes calling the yield import, per switch (import included)
 *   spawn           proc_spawn of an already-loaded module, and spawn to reaped exit
 *   IPC round trip  bench `ipc N` minus `ipc 0`, per 64-byte call and reply between two
 *                   processes (write, wait, read on each side)
 *
 * Prints `bench: NAME VALUE` lines for the script.
 */
#include <takara/caps.h>

#include "arch/x86_64/cpu.h"
#include "kernel/bootfs.h"
#include "kernel/ktest/ktest.h"
#include "kernel/log.h"
#include "kernel/proc.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define BENCH_N 20000

static struct process bench_parent = {.caps = TK_CAP_ALL};

/* Runs `bench MODE N` to its end: instructions from spawn to reaped exit. */
static uint64_t bench_run_caps(const char *mode, int n, uint32_t caps)
{
    char args[48];
    struct tk_exit_info info;
    int len = fmt_snprintf(args, sizeof(args), "bench%c%s%c%d", 0, mode, 0, n) + 1;
    uint64_t t0 = rdtsc();
    int pid = proc_spawn(&bench_parent, "bench.wasm", 10, args, (size_t)len, 0, caps, NULL);

    if (pid < 0 || proc_wait(&bench_parent, pid, &info, 0) != pid ||
        info.reason != TK_EXIT_NORMAL || info.code != 0)
        return 0;
    return rdtsc() - t0;
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
        t0 = rdtsc();
        int pid = proc_spawn(&bench_parent, "bench.wasm", 10,
                             "bench\0empty\0"
                             "0",
                             14, 0, 0, NULL);
        spawn_call = rdtsc() - t0;
        KT_ASSERT(pid > 0);
        KT_ASSERT_EQ(proc_wait(&bench_parent, pid, &info, 0), pid);
        if (spawn_call < best_call) best_call = spawn_call;
    }
    kprintf("bench: spawn_call %lu\n", (unsigned long)best_call);
    kprintf("bench: spawn_to_exit %lu\n", (unsigned long)best);

    /* thread switches: two threads at this thread's priority yield to each other */
    /* (interrupts off until the yield, so neither starts before t0) */
    uint64_t flags = cpu_irq_save();
    switch_left = 2 * BENCH_N;
    bool made = thread_create("yield-a", SCHED_PRIO_HIGH, bench_yielder, NULL, 16384) &&
                thread_create("yield-b", SCHED_PRIO_HIGH, bench_yielder, NULL, 16384);
    t0 = rdtsc();
    sched_yield(); /* they outrank this thread: it runs again when both are done */
    uint64_t t1 = rdtsc();
    cpu_irq_restore(flags);
    KT_ASSERT(made);
    kprintf("bench: thread_switch %lu\n", (unsigned long)((t1 - t0) / (2 * BENCH_N)));

    /* process switches: two processes calling the yield import, minus their loops */
    char args[] = "bench\0yield\0"
                  "20000";
    t0 = rdtsc();
    int a = proc_spawn(&bench_parent, "bench.wasm", 10, args, sizeof(args), 0, 0, NULL);
    int b = proc_spawn(&bench_parent, "bench.wasm", 10, args, sizeof(args), 0, 0, NULL);
    KT_ASSERT(a > 0 && b > 0);
    KT_ASSERT(proc_wait(&bench_parent, -1, &info, 0) > 0);
    KT_ASSERT(proc_wait(&bench_parent, -1, &info, 0) > 0);
    two = rdtsc() - t0;
    one = 2 * bench_run("empty", BENCH_N);
    kprintf("bench: process_switch %lu\n", (unsigned long)((two - one) / (2 * BENCH_N)));
    uint64_t ipc0 = bench_run_caps("ipc", 0, TK_CAP_SPAWN);
    uint64_t ipcn = bench_run_caps("ipc", BENCH_N / 4, TK_CAP_SPAWN);
    KT_ASSERT(ipc0 > 0 && ipcn > ipc0);
    kprintf("bench: ipc_round_trip %lu\n", (unsigned long)((ipcn - ipc0) / (BENCH_N / 4)));
    bootfs_module_put(held);
}
