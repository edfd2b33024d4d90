/*
 * What the portable kernel asks of the machine. Each architecture implements these
 * under arch/NAME/; portable code includes this header, never arch/NAME/... files.
 * (Only the device side is declared here so far: the rest of the seam moves in later.)
 */
#ifndef TAKARA_ARCH_ARCH_H
#define TAKARA_ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* ---- device interrupts (kernel/obj/irq.c; x86_64: arch/x86_64/irq_source.c) ----
 * An interrupt source is a line of the interrupt controller or an MSI slot, numbered as
 * include/takara/handle.h says (TK_IRQ_MSI_BASE). At most one handler owns a source;
 * the kernel's own (the console's line) are busy to everyone else. A handler runs in
 * the interrupt, interrupts off; the source is routed masked and stays as the owner
 * sets it. */
typedef void (*arch_irq_fn)(void *ctx);

/* Interrupts off, returning what arch_irq_restore puts back. */
uint64_t arch_irq_save(void);
void arch_irq_restore(uint64_t flags);

/* Lines of the interrupt controller (0: none, or no controller found). */
uint32_t arch_irq_lines(void);
/* Routes line `line` to fn(ctx), masked, on the vector put in *vector: 0, TK_ERR_RANGE
 * (no such line), TK_ERR_BUSY (owned already, or it shares its input with an owned
 * line). */
int arch_irq_line_bind(uint32_t line, arch_irq_fn fn, void *ctx, uint32_t *vector);
/* Masks the line and frees it for the next owner. */
void arch_irq_line_unbind(uint32_t line);
void arch_irq_line_mask(uint32_t line, bool masked);

/* The message a device writes to raise an MSI: where and what. */
struct arch_msi {
    uint64_t address;
    uint32_t data;
    uint32_t vector;
};
/* A vector of its own for MSI slot `slot` (0 .. TK_IRQ_MSI_SLOTS - 1), delivered to
 * fn(ctx), with the address/data pair that raises it: 0, TK_ERR_RANGE, TK_ERR_BUSY. */
int arch_irq_msi_bind(uint32_t slot, arch_irq_fn fn, void *ctx, struct arch_msi *out);
void arch_irq_msi_unbind(uint32_t slot);
/* Raises MSI slot `slot` as its device would (for the kernel's tests). */
void arch_irq_msi_raise(uint32_t slot);

/* ---- I/O ports (kernel/abi/abi_device.c) ----
 * `size` is 1, 2 or 4 bytes; the caller has checked the port range. Where the machine
 * has no port space arch_io_ports() is false, and the imports say TK_ERR_UNSUPPORTED. */
bool arch_io_ports(void);
uint32_t arch_io_in(uint16_t port, uint32_t size);
void arch_io_out(uint16_t port, uint32_t size, uint32_t value);

#endif
