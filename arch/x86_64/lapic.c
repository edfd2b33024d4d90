/*
 * Local APIC. The legacy 8259 PICs are remapped out of the exception range and fully
 * masked first, so nothing arrives through them; every interrupt comes via the LAPIC.
 */
#include "arch/arch.h"
#include "arch/x86_64/lapic.h"

#include "arch/x86_64/cpu.h"
#include "kernel/arch_hooks.h"

#define IA32_APIC_BASE   0x1b
#define APIC_BASE_ENABLE (1u << 11)

#define LAPIC_ID            0x020
#define LAPIC_EOI           0x0b0
#define LAPIC_SVR           0x0f0
#define LAPIC_ICR_LOW       0x300
#define LAPIC_ICR_HIGH      0x310
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_TIMER_INIT    0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3e0

#define LVT_MASKED    (1u << 16)
#define LVT_PERIODIC  (1u << 17)
#define ICR_DEST_SELF (1u << 18)

static volatile uint32_t *lapic;

static uint32_t lapic_read(uint32_t reg)
{
    return lapic[reg / 4];
}

static void lapic_write(uint32_t reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

static void pic_disable(void)
{
    /* ICW1-4: remap to 0x20/0x28 so a stray IRQ never looks like an exception, then
     * mask every line. */
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

void lapic_init(void)
{
    uint64_t base = rdmsr(IA32_APIC_BASE);
    void *va;

    pic_disable();
    wrmsr(IA32_APIC_BASE, base | APIC_BASE_ENABLE);
    if (vmm_map_mmio(base & ~0xfffull, ARCH_PAGE_SIZE, &va) < 0)
        panic("lapic: cannot map the local APIC at %#lx", (unsigned long)(base & ~0xfffull));
    lapic = va;
    lapic_write(LAPIC_SVR, 0x100 | 0xff); /* enabled, spurious vector 0xff */
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    log_info("lapic: id %u at %#lx", lapic_read(LAPIC_ID) >> 24, (unsigned long)(base & ~0xfffull));
}

void lapic_eoi(void)
{
    if (lapic) lapic_write(LAPIC_EOI, 0);
}

void lapic_send_self(uint8_t vector)
{
    lapic_write(LAPIC_ICR_HIGH, 0);
    lapic_write(LAPIC_ICR_LOW, ICR_DEST_SELF | vector);
}

void lapic_timer_periodic(uint8_t vector, uint32_t count)
{
    lapic_write(LAPIC_TIMER_DIVIDE, 0x3); /* divide by 16 */
    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | vector);
    lapic_write(LAPIC_TIMER_INIT, count);
}

void lapic_timer_oneshot_masked(uint32_t count)
{
    lapic_write(LAPIC_TIMER_DIVIDE, 0x3);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_TIMER_INIT, count);
}

uint32_t lapic_timer_current(void)
{
    return lapic_read(LAPIC_TIMER_CURRENT);
}
