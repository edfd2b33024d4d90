/*
 * Start-up cost of a WASI program against a native one (test=bench_wasi;
 * bench/kernel-proc.sh runs it under QEMU -icount shift=0, where the TSC counts retired
 * instructions): spawn to reaped exit of wasihello.wasm (wasi-libc's printf of one line)
 * and of hello.wasm (the C SDK's), each module already loaded, best of five.
 * Prints `bench: NAME VALUE` lines for the script.
 */
#include <takara/caps.h>

#include "arch/arch.h"
#include "kernel/bootfs.h"
#include "kernel/ktest/ktest.h"
#include "kernel/log.h"
#include "kernel/proc.h"
#include "lib/string.h"

static struct process bench_wasi_parent = {.caps = TK_CAP_ALL};

/* Best of five spawn-to-reaped-exit runs of `module` with argv0 only, or 0 on failure. */
static uint64_t bench_wasi_start(const char *module, const char *argv0)
{
    uint64_t best = ~0ull;

    for (int i = 0; i < 5; i++) {
        struct tk_exit_info info;
        uint64_t t0 = arch_read_cycles();
        int pid = proc_spawn(&bench_wasi_parent, module, strlen(module), argv0, strlen(argv0) + 1,
                             0, TK_CAP_CONSOLE, NULL);
        if (pid < 0 || proc_wait(&bench_wasi_parent, pid, &info, 0) != pid ||
            info.reason != TK_EXIT_NORMAL || info.code != 0)
            return 0;
        uint64_t t = arch_read_cycles() - t0;
        if (t < best) best = t;
    }
    return best;
}

KTEST_ALONE(bench_wasi)
{
    struct bootfs_module *wasi, *native;
    struct wasm_error err;
    uint64_t w, n;

    waitq_init(&bench_wasi_parent.child_exit);
    KT_ASSERT_EQ(bootfs_init(), 0);
    KT_ASSERT_EQ(bootfs_module_get("wasihello.wasm", 14, &wasi, &err), 0); /* loaded once */
    KT_ASSERT_EQ(bootfs_module_get("hello.wasm", 10, &native, &err), 0);
    KT_ASSERT((w = bench_wasi_start("wasihello.wasm", "wasihello")) > 0);
    KT_ASSERT((n = bench_wasi_start("hello.wasm", "hello")) > 0);
    kprintf("bench: wasi_hello_spawn_to_exit %lu\n", (unsigned long)w);
    kprintf("bench: native_hello_spawn_to_exit %lu\n", (unsigned long)n);
    bootfs_module_put(wasi);
    bootfs_module_put(native);
}
