/* Device interrupts through the I/O APIC (ioapic.c). */
#ifndef TAKARA_ARCH_IOAPIC_H
#define TAKARA_ARCH_IOAPIC_H

#include "arch/x86_64/frame.h"

#define IOAPIC_ISA_VECTOR_BASE 0x30

/* Finds the I/O APIC through ACPI and masks every line. */
int ioapic_init(void);
/* Routes ISA IRQ 0-15 to `fn` and unmasks it; TK_ERR_BUSY, TK_ERR_RANGE. */
int ioapic_register_isa(unsigned irq, irq_handler_fn fn, void *ctx);
void ioapic_unregister_isa(unsigned irq);

#endif
