/* Device interrupts through the I/O APIC (ioapic.c). */
#ifndef TAKARA_ARCH_IOAPIC_H
#define TAKARA_ARCH_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/frame.h"

#define IOAPIC_ISA_VECTOR_BASE 0x30

/* Finds the I/O APIC through ACPI and masks every line. */
int ioapic_init(void);
/* Routes ISA IRQ 0-15 to `fn` and unmasks it; TK_ERR_BUSY, TK_ERR_RANGE. */
int ioapic_register_isa(unsigned irq, irq_handler_fn fn, void *ctx);
void ioapic_unregister_isa(unsigned irq);

/* Inputs for device objects (arch/x86_64/irq_source.c): a source is an ISA IRQ (0-15,
 * through the MADT) or, from 16, a GSI (a PCI line: level, active low). */
/* Sources there are: 0 when there is no I/O APIC. */
uint32_t ioapic_sources(void);
/* Claims the input of `source` and routes it to `vector`, masked: its input number in
 * *pin; TK_ERR_RANGE, TK_ERR_BUSY (that input is claimed, by the kernel or a holder). */
int ioapic_source_claim(uint32_t source, uint8_t vector, uint32_t *pin);
void ioapic_pin_mask(uint32_t pin, bool masked);
/* Masks the input and gives it up. */
void ioapic_pin_release(uint32_t pin);

#endif
