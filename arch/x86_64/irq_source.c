/*
 * Interrupt sources for device objects (arch/arch.h, kernel/obj/irq.c): I/O APIC lines
 * and MSI vectors, and port I/O. A line arrives on vector IRQ_LINE_VECTOR + its number
 * (ISA IRQ n keeps the vector the kernel's own handlers use for it, so a line is owned
 * once whoever owns it); MSI slot k on IRQ_MSI_VECTOR + k, a fixed, edge-triggered
 * message to the boot CPU's local APIC.
 */
#include <takara/error.h>
#include <takara/handle.h>

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/frame.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"

#define IRQ_LINE_VECTOR IOAPIC_ISA_VECTOR_BASE /* 0x30 */
#define IRQ_LINES_MAX   0x50                   /* vectors 0x30-0x7f */
#define IRQ_MSI_VECTOR  0x80                   /* 0x80-0xbf */
#define MSI_ADDRESS     0xfee00000ull          /* destination APIC id 0 in bits 12-19 */

_Static_assert(IRQ_MSI_VECTOR + TK_IRQ_MSI_SLOTS <= 0xff, "MSI vectors below the spurious one");

struct irq_source {
    arch_irq_fn fn;
    void *ctx;
    uint32_t pin; /* a line's I/O APIC input */
};

static struct irq_source lines[IRQ_LINES_MAX];
static struct irq_source msis[TK_IRQ_MSI_SLOTS];

static void irq_source_entry(void *ctx, struct arch_frame *frame)
{
    struct irq_source *src = ctx;

    (void)frame;
    src->fn(src->ctx);
}

uint32_t arch_irq_lines(void)
{
    uint32_t n = ioapic_sources();

    return n < IRQ_LINES_MAX ? n : IRQ_LINES_MAX;
}

void arch_irq_init(void)
{
    lapic_init();
    ioapic_init(); /* no I/O APIC: no device lines, the kernel runs on without them */
}

int arch_irq_line_bind(uint32_t line, arch_irq_fn fn, void *ctx, uint32_t *vector)
{
    uint64_t flags;
    int r;

    if (line >= arch_irq_lines()) return TK_ERR_RANGE;
    flags = arch_irq_save(); /* the entry is filled in before any interrupt can read it */
    if ((r = irq_register(IRQ_LINE_VECTOR + line, irq_source_entry, &lines[line])) == 0) {
        lines[line] = (struct irq_source){fn, ctx, 0};
        r = ioapic_source_claim(line, (uint8_t)(IRQ_LINE_VECTOR + line), &lines[line].pin);
        if (r < 0) irq_unregister(IRQ_LINE_VECTOR + line);
    }
    *vector = IRQ_LINE_VECTOR + line;
    arch_irq_restore(flags);
    return r;
}

void arch_irq_line_unbind(uint32_t line)
{
    uint64_t flags = arch_irq_save();

    ioapic_pin_release(lines[line].pin);
    irq_unregister(IRQ_LINE_VECTOR + line);
    arch_irq_restore(flags);
}

void arch_irq_line_mask(uint32_t line, bool masked)
{
    uint64_t flags = arch_irq_save();

    ioapic_pin_mask(lines[line].pin, masked);
    arch_irq_restore(flags);
}

int arch_irq_msi_bind(uint32_t slot, arch_irq_fn fn, void *ctx, struct arch_msi *out)
{
    uint64_t flags;
    int r;

    if (slot >= TK_IRQ_MSI_SLOTS) return TK_ERR_RANGE;
    flags = arch_irq_save();
    if ((r = irq_register(IRQ_MSI_VECTOR + slot, irq_source_entry, &msis[slot])) == 0)
        msis[slot] = (struct irq_source){fn, ctx, 0};
    arch_irq_restore(flags);
    if (r == 0) *out = (struct arch_msi){MSI_ADDRESS, IRQ_MSI_VECTOR + slot, IRQ_MSI_VECTOR + slot};
    return r;
}

void arch_irq_msi_unbind(uint32_t slot)
{
    irq_unregister(IRQ_MSI_VECTOR + slot);
}

void arch_irq_msi_raise(uint32_t slot)
{
    lapic_send_self((uint8_t)(IRQ_MSI_VECTOR + slot));
}

bool arch_io_ports(void)
{
    return true;
}

uint32_t arch_io_in(uint16_t port, uint32_t size)
{
    return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

void arch_io_out(uint16_t port, uint32_t size, uint32_t value)
{
    if (size == 1)
        outb(port, (uint8_t)value);
    else if (size == 2)
        outw(port, (uint16_t)value);
    else
        outl(port, value);
}
