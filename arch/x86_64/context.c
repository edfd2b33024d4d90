/*
 * The first context of a thread (arch_context_init): the frame arch_context_switch
 * pops (switch.S: r15 r14 r13 r12 rbx rbp, then the return address), made so that the
 * "return" lands in arch_thread_start, which calls thread_entry(fn, arg) from r12 and
 * r13 on a 16-byte aligned stack.
 */
#include "arch/arch.h"

void arch_thread_start(void);

uint64_t arch_context_init(void *top, void (*fn)(void *), void *arg)
{
    uint64_t *sp = top;

    *--sp = (uint64_t)(uintptr_t)arch_thread_start;
    *--sp = 0;                        /* rbp */
    *--sp = 0;                        /* rbx */
    *--sp = (uint64_t)(uintptr_t)fn;  /* r12 */
    *--sp = (uint64_t)(uintptr_t)arg; /* r13 */
    *--sp = 0;                        /* r14 */
    *--sp = 0;                        /* r15 */
    return (uint64_t)(uintptr_t)sp;
}
