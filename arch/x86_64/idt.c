/*
 * The IDT and the C side of interrupt entry: exceptions go to their handlers (page
 * faults first to the vmm, which routes faults in reservations to their owners) and
 * otherwise to a panic report; vectors 32-254 go to the handler registered for them.
 */
#include <stdbool.h>
#include <stdint.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/frame.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "kernel/arch_hooks.h"

#define VECTOR_FIRST_IRQ 32
#define VECTOR_SPURIOUS  0xff

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t ist, type;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
} __attribute__((packed));

static struct idt_gate idt[256];

static struct {
    irq_handler_fn fn;
    void *ctx;
} irq_handlers[256];

extern const uint64_t isr_stub_table[256];

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved (15)",
    "x87 floating-point",
    "alignment check",
    "machine check",
    "SIMD floating-point",
    "virtualization",
    "control protection",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "hypervisor injection",
    "VMM communication",
    "security exception",
    "reserved (31)",
};

const char *arch_exception_name(unsigned vector)
{
    return vector < 32 ? exception_names[vector] : "interrupt";
}

void arch_interrupt(struct arch_frame *frame)
{
    unsigned vector = (unsigned)frame->vector;

    if (vector == 14 && vmm_handle_fault(read_cr2(), frame->error, frame)) return;
    if (vector < VECTOR_FIRST_IRQ) arch_panic_frame(exception_names[vector], frame);
    if (vector == VECTOR_SPURIOUS) return;
    if (irq_handlers[vector].fn) irq_handlers[vector].fn(irq_handlers[vector].ctx, frame);
    lapic_eoi();
    sched_irq_exit(frame->rip); /* may switch threads: this frame waits on its stack */
}

int irq_register(unsigned vector, irq_handler_fn fn, void *ctx)
{
    uint64_t flags;
    int r = 0;

    if (vector < VECTOR_FIRST_IRQ || vector >= VECTOR_SPURIOUS) return TK_ERR_RANGE;
    flags = arch_irq_save();
    if (irq_handlers[vector].fn) {
        r = TK_ERR_BUSY;
    } else {
        irq_handlers[vector].ctx = ctx;
        irq_handlers[vector].fn = fn;
    }
    arch_irq_restore(flags);
    return r;
}

void irq_unregister(unsigned vector)
{
    uint64_t flags = arch_irq_save();

    if (vector < 256) irq_handlers[vector].fn = NULL;
    arch_irq_restore(flags);
}

void idt_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

    for (int v = 0; v < 256; v++) {
        uint64_t a = isr_stub_table[v];
        idt[v] = (struct idt_gate){
            .offset_low = (uint16_t)a,
            .selector = GDT_KERNEL_CODE,
            .type = 0x8e, /* present, ring 0, interrupt gate */
            .offset_mid = (uint16_t)(a >> 16),
            .offset_high = (uint32_t)(a >> 32),
        };
    }
    idt[8].ist = IST_DOUBLE_FAULT;
    idt[2].ist = IST_NMI;
    idt[18].ist = IST_MACHINE_CHECK;
    __asm__ volatile("lidt %0" : : "m"(idtr));
}
