/* arch_setjmp / arch_longjmp: see setjmp.h. Layout of struct arch_jmpbuf:
 * 0 rbx, 8 rbp, 16 r12, 24 r13, 32 r14, 40 r15, 48 rsp, 56 rip, 64 rflags. */

    .text
    .globl arch_setjmp
    .type arch_setjmp, @function
arch_setjmp:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rax          /* the caller's rsp after our return */
    movq %rax, 48(%rdi)
    movq (%rsp), %rax           /* the return address */
    movq %rax, 56(%rdi)
    pushfq
    popq %rax
    movq %rax, 64(%rdi)
    xorl %eax, %eax
    ret
    .size arch_setjmp, . - arch_setjmp

    .globl arch_longjmp
    .type arch_longjmp, @function
arch_longjmp:
    movl %esi, %eax
    testl %eax, %eax
    jnz 1f
    movl $1, %eax               /* setjmp must never appear to return 0 twice */
1:
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    pushq 64(%rdi)
    popfq
    jmpq *56(%rdi)
    .size arch_longjmp, . - arch_longjmp

    .section .note.GNU-stack, "", @progbits
