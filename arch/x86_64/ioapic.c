/*
 * The I/O APIC: routes device interrupt lines (GSIs) to local APIC vectors. ISA IRQ n
 * is delivered on vector IOAPIC_ISA_VECTOR_BASE + n, through the GSI and polarity the
 * MADT gives for it; lines stay masked until a driver registers a handler.
 */
#include "arch/x86_64/ioapic.h"

#include <takara/error.h>

#include "arch/x86_64/acpi.h"
#include "arch/x86_64/frame.h"
#include "kernel/arch_hooks.h"

#define IOREGSEL       0x00
#define IOWIN          0x10
#define IOAPICVER      0x01
#define REDTBL(n)      (0x10 + 2 * (n))
#define RED_MASKED     (1u << 16)
#define RED_LEVEL      (1u << 15)
#define RED_ACTIVE_LOW (1u << 13)

#define IOAPIC_MAX_PINS 240

static volatile uint32_t *ioapic;
static struct acpi_info acpi;
static uint32_t nlines;
/* Inputs in use, by the kernel's handlers or by device objects: one owner each (two ISA
 * IRQs can share an input through the MADT's overrides). */
static bool pin_claimed[IOAPIC_MAX_PINS];

static uint32_t ioapic_read(uint32_t reg)
{
    ioapic[IOREGSEL / 4] = reg;
    return ioapic[IOWIN / 4];
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = v;
}

int ioapic_init(void)
{
    void *va;

    if (!acpi_read_madt(&acpi)) {
        log_warn("ioapic: no MADT; device interrupts unavailable");
        return TK_ERR_NOENT;
    }
    if (vmm_map_mmio(acpi.ioapic_phys, 0x20, &va) < 0) return TK_ERR_NOMEM;
    ioapic = va;
    nlines = ((ioapic_read(IOAPICVER) >> 16) & 0xff) + 1;
    if (nlines > IOAPIC_MAX_PINS) nlines = IOAPIC_MAX_PINS;
    for (uint32_t i = 0; i < nlines; i++) ioapic_write(REDTBL(i), RED_MASKED);
    log_info("ioapic: %u lines at %#lx", nlines, (unsigned long)acpi.ioapic_phys);
    return 0;
}

static int isa_line(unsigned irq, uint32_t *line)
{
    if (!ioapic || irq >= 16) return TK_ERR_RANGE;
    *line = acpi.isa[irq].gsi - acpi.ioapic_gsi_base;
    return *line < nlines ? 0 : TK_ERR_RANGE;
}

int ioapic_register_isa(unsigned irq, irq_handler_fn fn, void *ctx)
{
    uint32_t line, low;
    int r;

    if ((r = isa_line(irq, &line)) < 0) return r;
    if (pin_claimed[line]) return TK_ERR_BUSY;
    if ((r = irq_register(IOAPIC_ISA_VECTOR_BASE + irq, fn, ctx)) < 0) return r;
    pin_claimed[line] = true;
    low = IOAPIC_ISA_VECTOR_BASE + irq;
    if (acpi.isa[irq].active_low) low |= RED_ACTIVE_LOW;
    if (acpi.isa[irq].level) low |= RED_LEVEL;
    ioapic_write(REDTBL(line) + 1, 0); /* destination: APIC id 0, the boot CPU */
    ioapic_write(REDTBL(line), low);
    return 0;
}

void ioapic_unregister_isa(unsigned irq)
{
    uint32_t line;

    if (isa_line(irq, &line) < 0) return;
    ioapic_write(REDTBL(line), RED_MASKED);
    irq_unregister(IOAPIC_ISA_VECTOR_BASE + irq);
    pin_claimed[line] = false;
}

/* ---- inputs for device objects (irq_source.c) ---- */

uint32_t ioapic_sources(void)
{
    if (!ioapic) return 0;
    return acpi.ioapic_gsi_base + nlines > 16 ? acpi.ioapic_gsi_base + nlines : 16;
}

int ioapic_source_claim(uint32_t source, uint8_t vector, uint32_t *pin)
{
    uint32_t low = vector | RED_MASKED;
    int r = 0;

    if (source < 16) {
        if ((r = isa_line(source, pin)) < 0) return r;
        if (acpi.isa[source].active_low) low |= RED_ACTIVE_LOW;
        if (acpi.isa[source].level) low |= RED_LEVEL;
    } else {
        if (!ioapic || source < acpi.ioapic_gsi_base || source - acpi.ioapic_gsi_base >= nlines)
            return TK_ERR_RANGE;
        *pin = source - acpi.ioapic_gsi_base;
        low |= RED_LEVEL | RED_ACTIVE_LOW; /* PCI INTx */
    }
    if (pin_claimed[*pin]) return TK_ERR_BUSY;
    pin_claimed[*pin] = true;
    ioapic_write(REDTBL(*pin) + 1, 0); /* destination: APIC id 0, the boot CPU */
    ioapic_write(REDTBL(*pin), low);
    return 0;
}

void ioapic_pin_mask(uint32_t pin, bool masked)
{
    uint32_t low = ioapic_read(REDTBL(pin));

    ioapic_write(REDTBL(pin), masked ? low | RED_MASKED : low & ~RED_MASKED);
}

void ioapic_pin_release(uint32_t pin)
{
    ioapic_write(REDTBL(pin), RED_MASKED);
    pin_claimed[pin] = false;
}
