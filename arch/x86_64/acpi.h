/* The ACPI facts the kernel uses so far: from the MADT, where the I/O APIC is and how
 * ISA IRQs map onto its inputs (acpi.c). */
#ifndef TAKARA_ARCH_ACPI_H
#define TAKARA_ARCH_ACPI_H

#include <stdbool.h>
#include <stdint.h>

struct acpi_isa_override {
    uint32_t gsi;
    bool active_low, level;
};

struct acpi_info {
    bool found;
    uint64_t ioapic_phys;
    uint32_t ioapic_gsi_base;
    struct acpi_isa_override isa[16]; /* identity unless the MADT overrides */
};

/* Finds the RSDP in the BIOS area, walks RSDT/XSDT to the MADT; false if absent. */
bool acpi_read_madt(struct acpi_info *out);

#endif
