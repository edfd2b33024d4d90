/*
 * kernel_main: brings up memory, interrupts, time and the scheduler, lists the boot
 * modules, reports "ready", runs the in-kernel tests when the command line asks, and
 * otherwise starts init.wasm from the boot image with every capability. From then on
 * the system is its processes; this thread ends.
 */
#include "kernel/main.h"

#include <stdint.h>
#include <takara/caps.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/boot.h"
#include "kernel/bootfs.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/ktest/ktest.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/console.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "lib/string.h"

/* The kernel as init's parent: init's end is the system's end. */
static struct process kernel_process = {.caps = TK_CAP_ALL};

/* init is the one process the kernel starts; everything else is init's business. This
 * thread then waits for it: if init ends, nothing can start anything again, so the
 * kernel says why and stops the machine (a module's doing, never a panic). */
static void kernel_run_init(void)
{
    struct proc_spawn_req req = {
        .module = "init.wasm", .module_len = 9, .args = "init", .args_len = 5, .caps = TK_CAP_ALL};
    struct proc_startup_handle roots[DEVICE_ROOTS];
    struct tk_exit_info info;
    char text[128];
    uint32_t nroots = 0;
    int r;

    if ((r = bootfs_init()) < 0) {
        log_warn("no boot image (boot.tar): %s; nothing to run", tk_strerror(r));
        return;
    }
    waitq_init(&kernel_process.child_exit);
    /* init's bootstrap channel is where the kernel tells it of orphans (docs/processes.md) */
    if ((r = device_roots_mint(roots, &nroots)) < 0) {
        log_error("cannot mint init's device roots: %s", tk_strerror(r));
        return;
    }
    req.handles = roots; /* moved to init */
    req.nhandles = nroots;
    if ((r = channel_create(&req.bootstrap, &req.orphans)) < 0) proc_startup_drop(roots, nroots);
    if (r < 0 || (r = proc_spawn_req(&kernel_process, &req, NULL)) < 0) {
        log_error("cannot start init.wasm: %s", tk_strerror(r));
        return;
    }
    while ((r = proc_wait(&kernel_process, -1, &info, 0)) < 0) {
    }
    log_error("init ended: %s; the system stops", proc_exit_text(&info, text, sizeof(text)));
    arch_qemu_exit(INIT_ENDED_EXIT_CODE);
}

_Noreturn void kernel_main(void)
{
    char heapmode[16], mode[16];

    log_set_level((int)cmdline_get_long(boot_info.cmdline, "loglevel", LOG_INFO));
    log_info("Takara OS booting; command line '%s'", boot_info.cmdline);
    ktest_early(&boot_info);
    pmm_init(&boot_info);
    vmm_init();
    if (cmdline_get(boot_info.cmdline, "heap", heapmode, sizeof(heapmode)) && heapmode[0] == 'd')
        kmalloc_set_debug(true);
    arch_irq_init();
    clock_init();
    sched_init();
    arch_irq_enable();
    console_init();
    for (uint32_t i = 0; i < boot_info.nmodules; i++)
        log_info("boot: module '%s' at %#lx, %lu bytes", boot_info.modules[i].name,
                 (unsigned long)boot_info.modules[i].start,
                 (unsigned long)(boot_info.modules[i].end - boot_info.modules[i].start));
    /* Under QEMU -icount the TSC counts instructions: make bench reads this line. */
    log_info("ready: %lu TSC cycles since entry; RAM in use: image %lu KiB + %lu KiB allocated",
             (unsigned long)(arch_read_cycles() - arch_boot_cycles),
             (unsigned long)((boot_info.kernel_phys_end - boot_info.kernel_phys_start) / 1024),
             (unsigned long)((pmm_total_pages() - pmm_free_pages()) * 4));
    if (cmdline_get(boot_info.cmdline, "bench", mode, sizeof(mode)) && !strcmp(mode, "boot"))
        arch_qemu_exit(TEST_PASS_EXIT_CODE);
    ktest_run(boot_info.cmdline);
    kernel_run_init();
    thread_exit();
}
