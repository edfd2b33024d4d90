/*
 * The kernel as arch code sees it: the one kernel header arch/NAME/ includes (its
 * *_ktest.c files add kernel/ktest/ktest.h; tools/check-arch-seam.sh enforces it).
 * Whole headers, small and written for arch code: the log and panic (log.h), the exit
 * codes (panic.h), what the boot loader said (boot.h, arch fills it), time (clock.h,
 * arch implements it), the kernel's entry (main.h), the command line and the symbol
 * table (for panic reports). The rest is redeclared here from its own header, and the
 * kernel file implementing each includes this one, so a prototype that drifts from its
 * header breaks the build.
 */
#ifndef TAKARA_KERNEL_ARCH_HOOKS_H
#define TAKARA_KERNEL_ARCH_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/boot.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/panic.h"

/* Page allocation (kernel/mm/pmm.c, mm.h): page-table pages. */
int pmm_alloc_page(uint64_t *phys); /* 0 or TK_ERR_NOMEM; the page is zeroed */
void pmm_free_page(uint64_t phys);

/* The vmm (kernel/mm/vmm.c, mm.h): page faults go to it first (true: handled); device
 * registers are mapped through it; stacks with a guard page below come from it. */
bool vmm_handle_fault(uintptr_t addr, uint64_t error, void *frame);
int vmm_map_mmio(uint64_t phys, size_t size, void **out);
int vmm_alloc_stack(size_t size, void **top);

/* Interrupt dispatch (kernel/sched/sched.c, sched.h): the timer's tick, and the end of
 * every device interrupt (may switch threads). */
void sched_tick(uint64_t now_ns);
void sched_irq_exit(uintptr_t interrupted_pc);
/* The first C of every thread, from arch_context_init's frame (kernel/sched/thread.c). */
_Noreturn void thread_entry(void (*fn)(void *), void *arg);
/* Timer objects due at the tick (kernel/obj/timer.c, obj.h). */
void timer_expire(uint64_t now_ns);

#endif
