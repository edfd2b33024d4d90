/*
 * What the portable kernel asks of the machine: the whole seam. Portable code (kernel/,
 * lib/, wasm/) includes this header and never a file under arch/NAME/; each architecture
 * implements it under arch/NAME/ and supplies one header of inline functions and layout
 * facts, included below (x86_64: arch/x86_64/arch_inline.h). Besides this file the seam
 * names two kernel headers arch code implements: kernel/clock.h (time) and kernel/boot.h
 * (what the boot loader said, filled before kernel_main).
 *
 * The other direction: arch code calls into the kernel only through kernel/arch_hooks.h
 * (log and panic, page allocation and the vmm's fault and mapping calls, the scheduler's
 * tick and interrupt exit, the first C of a thread, timer expiry, the command line and
 * the symbol table), plus lib/ and include/takara/, and kernel/ktest/ktest.h in its
 * *_ktest.c files. tools/check-arch-seam.sh (make test-format) enforces both directions.
 */
#ifndef TAKARA_ARCH_ARCH_H
#define TAKARA_ARCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)
#include "arch/x86_64/arch_inline.h"
#else
#error "no arch/NAME/arch_inline.h for this machine"
#endif

/* ---- in arch_inline.h, inline because every lock and every accounting step uses them:
 *   void arch_irq_enable(void), arch_irq_disable(void);
 *   uint64_t arch_irq_save(void);          interrupts off, returning the previous state
 *   void arch_irq_restore(uint64_t flags); puts back what arch_irq_save returned
 *   void arch_cpu_halt(void);              sleeps until the next interrupt
 *   void arch_cpu_pause(void);             a spin-wait hint
 *   uint64_t arch_read_cycles(void);       a free-running cycle counter
 *   void *arch_phys_to_virt(uint64_t pa), uint64_t arch_virt_to_phys(const void *va):
 *                                          the direct map of all physical memory
 *   ARCH_PAGE_SIZE                         the unit of arch_page_*
 *   ARCH_RESERVE_BASE/SIZE                 kernel virtual space the vmm hands out
 *   ARCH_MMIO_BASE/SIZE                    virtual space for device mappings
 *   ARCH_BOOT_MAPPED_BYTES                 physical memory mapped before vmm_init
 *   struct arch_jmpbuf                     the state arch_setjmp saves */

/* ---- the machine as a whole ---- */
/* Cycle counter value when the first C of the kernel ran. */
extern uint64_t arch_boot_cycles;
/* Stops QEMU through its exit device with `code` (QEMU exits (code << 1) | 1); halts
 * where there is none. */
_Noreturn void arch_qemu_exit(uint8_t code);
_Noreturn void arch_halt_forever(void);

/* ---- page mapping (kernel/mm/vmm.c) ----
 * The kernel's one address space in 4 KiB pages. A mapped page is readable; the flags
 * add to that. ARCH_PAGE_PRESENT is only ever reported, by query and replace. */
#define ARCH_PAGE_WRITE    (1u << 0)
#define ARCH_PAGE_EXEC     (1u << 1)
#define ARCH_PAGE_UNCACHED (1u << 2)
#define ARCH_PAGE_BORROWED (1u << 3) /* the frame is not the mapping's to free */
#define ARCH_PAGE_PRESENT  (1u << 4)

/* Builds the kernel's tables (the direct map of [0, phys_end), the image with W^X, the
 * stack guards left out) and switches to them. */
void arch_paging_init(uint64_t phys_end);
/* Maps one page; TK_ERR_NOMEM if a table page cannot be allocated, TK_ERR_EXIST if
 * something is mapped there. */
int arch_page_map(uintptr_t va, uint64_t pa, uint32_t flags);
/* Maps pa at va whatever was there; what was there goes to *old_flags (0 if nothing)
 * and *old_pa. TK_ERR_NOMEM. */
int arch_page_replace(uintptr_t va, uint64_t pa, uint32_t flags, uint32_t *old_flags,
                      uint64_t *old_pa);
/* Changes the flags of a mapped page; TK_ERR_NOENT if none. */
int arch_page_protect(uintptr_t va, uint32_t flags);
/* The flags of the page at va (ARCH_PAGE_PRESENT among them), 0 if none is mapped. */
uint32_t arch_page_query(uintptr_t va);
/* Unmaps every page in [va, end), giving each frame to `release` (except borrowed ones)
 * and freeing table pages left empty. Skips unpopulated levels: huge sparse ranges are
 * cheap. */
void arch_page_unmap_range(uintptr_t va, uintptr_t end, void (*release)(uint64_t pa));

/* ---- execution contexts (kernel/sched/, kernel/wasm/platform.c) ---- */
/* Returns 0 when called, and `value` (never 0) when arch_longjmp lands here. Unlike C's
 * setjmp it restores the interrupt state too, so a jump out of an exception handler
 * lands with the interrupt state of the setjmp caller. */
int arch_setjmp(struct arch_jmpbuf *buf) __attribute__((returns_twice));
_Noreturn void arch_longjmp(struct arch_jmpbuf *buf, int value);
/* Prepares a new thread's stack below `top` so that switching to the returned stack
 * pointer runs thread_entry(fn, arg) (kernel/arch_hooks.h), interrupts off. */
uint64_t arch_context_init(void *top, void (*fn)(void *), void *arg);
/* Saves the running context's stack pointer in *save_sp and resumes the one at next_sp. */
void arch_context_switch(uint64_t *save_sp, uint64_t next_sp);

/* ---- the kernel's console (kernel/log.c, kernel/console.c) ----
 * A polled serial line that works from the first C of the kernel to the last line of a
 * panic; input raises an interrupt when enabled. */
void arch_console_write(const char *s, size_t n);
/* A received byte, or -1 if none is waiting. */
int arch_console_read_byte(void);
/* Interrupt when a byte arrives, or stop. */
void arch_console_set_rx_irq(bool on);

/* ---- interrupt controllers and timer (kernel/main.c; time itself: kernel/clock.h) ---- */
/* Brings up the interrupt controllers, every device line masked (needs the vmm). */
void arch_irq_init(void);

/* ---- device interrupts (kernel/obj/irq.c; x86_64: arch/x86_64/irq_source.c) ----
 * An interrupt source is a line of the interrupt controller or an MSI slot, numbered as
 * include/takara/handle.h says (TK_IRQ_MSI_BASE). At most one handler owns a source;
 * the kernel's own (the console's line) are busy to everyone else. A handler runs in
 * the interrupt, interrupts off; the source is routed masked and stays as the owner
 * sets it. */
typedef void (*arch_irq_fn)(void *ctx);

/* The console's input line, to fn(ctx) with the byte-arrived interrupt off until
 * arch_console_set_rx_irq: 0, or TK_ERR_BUSY. */
int arch_console_irq_bind(arch_irq_fn fn, void *ctx);

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
