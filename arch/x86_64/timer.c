/*
 * Time (kernel/clock.h): the TSC and the LAPIC timer are both calibrated against the
 * PIT, whose 1.193182 MHz input is fixed. clock_ns() scales the TSC; the LAPIC timer
 * ticks at CLOCK_TICK_HZ. Under QEMU with -icount the TSC counts instructions, which
 * keeps measurements reproducible.
 */
#include "kernel/arch_hooks.h"

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/frame.h"
#include "arch/x86_64/lapic.h"

#define PIT_HZ       1193182u
#define CALIBRATE_MS 2
#define TIMER_VECTOR 0x20

static uint64_t tsc_start, tsc_hz, boot_unix;
static volatile uint64_t ticks;

/* Counts PIT channel 2 down for `ms` milliseconds (polled, gate via port 0x61). */
static void pit_wait_ms(unsigned ms)
{
    uint32_t count = PIT_HZ * ms / 1000;
    uint8_t gate = inb(0x61);

    outb(0x61, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
    outb(0x43, 0xb0);                             /* channel 2, lo/hi, mode 0 */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    outb(0x61, (uint8_t)(inb(0x61) & ~0x01)); /* restart the count */
    outb(0x61, (uint8_t)(inb(0x61) | 0x01));
    while (!(inb(0x61) & 0x20)) arch_cpu_pause();
    outb(0x61, gate);
}

static void timer_tick(void *ctx, struct arch_frame *frame)
{
    (void)ctx;
    (void)frame;
    ticks++;
    uint64_t now = clock_ns();

    sched_tick(now);
    timer_expire(now);
}

void clock_init(void)
{
    uint64_t t0, t1;
    uint32_t apic_ticks;

    lapic_timer_oneshot_masked(0xffffffffu);
    t0 = arch_read_cycles();
    pit_wait_ms(CALIBRATE_MS);
    t1 = arch_read_cycles();
    apic_ticks = 0xffffffffu - lapic_timer_current();
    tsc_hz = (t1 - t0) * (1000 / CALIBRATE_MS);
    boot_unix = rtc_read_unix();
    if (!tsc_hz) tsc_hz = 1; /* never divide by zero, even on a broken TSC */
    tsc_start = t0;
    if (irq_register(TIMER_VECTOR, timer_tick, NULL) < 0)
        panic("clock: timer vector %#x taken", TIMER_VECTOR);
    lapic_timer_periodic(TIMER_VECTOR, apic_ticks * (1000 / CALIBRATE_MS) / CLOCK_TICK_HZ);
    log_info("clock: TSC %lu kHz, LAPIC timer %u Hz (%u ticks per %u ms)",
             (unsigned long)(tsc_hz / 1000), CLOCK_TICK_HZ, apic_ticks, CALIBRATE_MS);
}

uint64_t clock_ns(void)
{
    uint64_t d;

    if (!tsc_hz) return 0;
    d = arch_read_cycles() - tsc_start;
    /* split to avoid overflowing d * 1e9 */
    return d / tsc_hz * 1000000000ull + d % tsc_hz * 1000000000ull / tsc_hz;
}

uint64_t clock_realtime_ns(void)
{
    return boot_unix * 1000000000ull + clock_ns();
}

uint64_t clock_ticks(void)
{
    return ticks;
}

uint64_t clock_tsc_hz(void)
{
    return tsc_hz;
}
