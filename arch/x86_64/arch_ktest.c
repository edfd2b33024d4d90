/*
 * In-kernel tests of interrupts, time and paging, and the deliberate faults whose panic
 * reports tests/qemu/panic.sh checks line by line.
 */
#include <stdint.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/frame.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "kernel/arch_hooks.h"
#include "kernel/ktest/ktest.h"

#define MSR_EFER 0xc0000080u
#define EFER_NXE (1ull << 11)

/* Without EFER.NXE the CPU ignores PTE_NX: every page would be executable. */
KTEST(paging_no_execute_enforced)
{
    KT_ASSERT(rdmsr(MSR_EFER) & EFER_NXE);
}

static volatile int ipi_count;

static void ipi_handler(void *ctx, struct arch_frame *frame)
{
    (void)frame;
    ipi_count += *(int *)ctx;
}

KTEST(irq_register_and_deliver)
{
    static int weight = 3;

    KT_ASSERT_EQ(irq_register(0x40, ipi_handler, &weight), 0);
    KT_ASSERT_EQ(irq_register(0x40, ipi_handler, &weight), TK_ERR_BUSY);
    KT_ASSERT_EQ(irq_register(14, ipi_handler, &weight), TK_ERR_RANGE);
    KT_ASSERT_EQ(irq_register(0xff, ipi_handler, &weight), TK_ERR_RANGE);
    lapic_send_self(0x40);
    for (int spin = 0; spin < 1000000 && ipi_count == 0; spin++) arch_cpu_pause();
    KT_ASSERT_EQ(ipi_count, 3);
    irq_unregister(0x40);
    KT_ASSERT_EQ(irq_register(0x40, ipi_handler, &weight), 0);
    irq_unregister(0x40);
}

static volatile int pit_irqs;

static void pit_handler(void *ctx, struct arch_frame *frame)
{
    (void)ctx;
    (void)frame;
    pit_irqs++;
}

/* A real device line: the PIT on ISA IRQ 0, routed by the I/O APIC (through the MADT's
 * override, GSI 2 on PCs). */
KTEST(ioapic_routes_device_irq)
{
    uint16_t count = 1193; /* ~1 kHz */

    KT_ASSERT_EQ(ioapic_register_isa(0, pit_handler, NULL), 0);
    KT_ASSERT_EQ(ioapic_register_isa(0, pit_handler, NULL), TK_ERR_BUSY);
    KT_ASSERT_EQ(ioapic_register_isa(16, pit_handler, NULL), TK_ERR_RANGE);
    outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
    outb(0x40, (uint8_t)count);
    outb(0x40, (uint8_t)(count >> 8));
    for (int spin = 0; spin < 2000 && pit_irqs < 3; spin++)
        arch_cpu_halt(); /* the LAPIC tick or the PIT wakes us */
    ioapic_unregister_isa(0);
    outb(0x43, 0x30); /* one-shot: stop the periodic interrupts */
    KT_ASSERT(pit_irqs >= 3);
}

KTEST(clock_and_timer_advance)
{
    uint64_t t0 = clock_ns(), k0 = clock_ticks(), prev = t0, t1;

    KT_ASSERT(clock_tsc_hz() > 1000000);
    while (clock_ticks() < k0 + 5) {
        uint64_t now = clock_ns();
        KT_ASSERT(now >= prev); /* monotonic */
        prev = now;
        arch_cpu_halt(); /* the tick wakes us */
    }
    t1 = clock_ns();
    /* five 10 ms ticks: loose bounds, this is not a timing test */
    KT_ASSERT(t1 - t0 >= 20000000ull);
    KT_ASSERT(t1 - t0 <= 2000000000ull);
}

KTEST_ALONE(panic_pagefault)
{
    *(volatile uint64_t *)0xdead000 = 1;
}

KTEST_ALONE(panic_divide)
{
    volatile int zero = 0;
    volatile int r = 10 / zero;
    (void)r;
}

KTEST_ALONE(panic_write_text)
{
    extern char __text_start[];
    *(volatile char *)__text_start = 0;
}

/* Recursing off the end of a guarded stack: the page fault cannot push its frame on
 * the dead stack, so the CPU raises a double fault, handled on its own IST stack. */
int overflow_depth(int n) __attribute__((noinline, used));
static volatile int overflow_limit = 1 << 30;

int overflow_depth(int n)
{
    volatile char pad[512];

    if (n > overflow_limit) return 0;
    pad[0] = (char)n;
    return overflow_depth(n + 1) + pad[0];
}

KTEST_ALONE(panic_stack_overflow)
{
    void *top;

    KT_ASSERT_EQ(vmm_alloc_stack(16384, &top), 0);
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%edi, %%edi\n\t"
                     "call overflow_depth"
                     :
                     : "r"(top)
                     : "memory");
}
