/*
 * Thread switch. The outgoing thread's callee-saved registers go on its own stack and
 * its stack pointer into *save; the incoming thread's are popped from its stack. Every
 * other register is the caller's to save (the C ABI), and a thread preempted by an
 * interrupt has its full state in the interrupt frame below this one.
 *
 * A new thread's stack (context.c) "returns" into arch_thread_start, which calls
 * thread_entry(fn, arg) from r12 and r13.
 */
    .text
    .globl arch_context_switch
arch_context_switch:            /* (uint64_t *save_rsp, uint64_t next_rsp) */
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .globl arch_thread_start
arch_thread_start:
    movq %r12, %rdi
    movq %r13, %rsi
    xorl %ebp, %ebp             /* backtraces stop here */
    call thread_entry
    ud2

    .section .note.GNU-stack, "", @progbits
