/*
 * Non-local return inside the kernel: how a fault taken in Wasm code (a guard-page hit
 * routed by vmm_handle_fault) abandons the interrupted code and lands back where the
 * engine entered it. Unlike C's setjmp this also restores RFLAGS, so a jump out of an
 * exception handler (interrupts disabled) lands with the interrupt flag of the setjmp
 * caller.
 */
#ifndef TAKARA_ARCH_SETJMP_H
#define TAKARA_ARCH_SETJMP_H

#include <stdint.h>

/* rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags */
struct arch_jmpbuf {
    uint64_t regs[9];
};

/* Returns 0 when called, and `value` (never 0) when arch_longjmp lands here. */
int arch_setjmp(struct arch_jmpbuf *buf) __attribute__((returns_twice));
_Noreturn void arch_longjmp(struct arch_jmpbuf *buf, int value);

#endif
