/*
 * The register frame an interrupt or exception leaves on the stack (isr.S builds it):
 * general registers pushed by the stub, the vector and error code, then what the CPU
 * pushed. Handlers may edit it; iretq resumes from it.
 */
#ifndef TAKARA_ARCH_FRAME_H
#define TAKARA_ARCH_FRAME_H

#include <stdint.h>

struct arch_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct arch_frame) == 22 * 8, "isr.S pushes 22 quadwords");

typedef void (*irq_handler_fn)(void *ctx, struct arch_frame *frame);

/* Installs `fn` for interrupt vector 32..254; TK_ERR_BUSY if taken, TK_ERR_RANGE. */
int irq_register(unsigned vector, irq_handler_fn fn, void *ctx);
void irq_unregister(unsigned vector);

/* Stops the machine with a full report of `frame` (exceptions and faults). */
_Noreturn void arch_panic_frame(const char *why, const struct arch_frame *frame);

#endif
