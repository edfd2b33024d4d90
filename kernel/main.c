/*
 * kernel_main: brings up memory, interrupts and time, lists the boot modules, runs the
 * in-kernel tests when the command line asks, and reports "ready". Nothing after ready
 * yet: processes arrive with the next subsystems.
 */
#include "kernel/main.h"

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "kernel/boot.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/ktest/ktest.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "lib/string.h"

extern uint64_t arch_boot_tsc;

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
    lapic_init();
    ioapic_init();
    clock_init();
    cpu_irq_enable();
    for (uint32_t i = 0; i < boot_info.nmodules; i++)
        log_info("boot: module '%s' at %#lx, %lu bytes", boot_info.modules[i].name,
                 (unsigned long)boot_info.modules[i].start,
                 (unsigned long)(boot_info.modules[i].end - boot_info.modules[i].start));
    /* Under QEMU -icount the TSC counts instructions: make bench reads this line. */
    log_info("ready: %lu TSC cycles since entry; RAM in use: image %lu KiB + %lu KiB allocated",
             (unsigned long)(rdtsc() - arch_boot_tsc),
             (unsigned long)((boot_info.kernel_phys_end - boot_info.kernel_phys_start) / 1024),
             (unsigned long)((pmm_total_pages() - pmm_free_pages()) * 4));
    if (cmdline_get(boot_info.cmdline, "bench", mode, sizeof(mode)) && !strcmp(mode, "boot"))
        arch_qemu_exit(TEST_PASS_EXIT_CODE);
    ktest_run(boot_info.cmdline);
    for (;;) cpu_halt();
}
