/*
 * Interrupt entry: one stub per vector pushes a dummy error code where the CPU pushes
 * none, then the vector, and joins isr_common, which saves the general registers and the
 * SSE state (kernel C code, the Wasm engine included, uses SSE) around arch_interrupt().
 */

    .macro ISR_NOERR n
    .align 16
    pushq $0
    pushq $(\n)
    jmp isr_common
    .endm

    .macro ISR_ERR n
    .align 16
    pushq $(\n)
    jmp isr_common
    .endm

    .text
    .globl isr_stubs_start
isr_stubs_start:
    .irp n, 0,1,2,3,4,5,6,7
    ISR_NOERR \n
    .endr
    ISR_ERR 8
    ISR_NOERR 9
    .irp n, 10,11,12,13,14
    ISR_ERR \n
    .endr
    ISR_NOERR 15
    ISR_NOERR 16
    ISR_ERR 17
    .irp n, 18,19,20
    ISR_NOERR \n
    .endr
    ISR_ERR 21
    .irp n, 22,23,24,25,26,27,28
    ISR_NOERR \n
    .endr
    ISR_ERR 29
    ISR_ERR 30
    ISR_NOERR 31
    .set vec, 32
    .rept 224
    ISR_NOERR vec
    .set vec, vec + 1
    .endr

isr_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rbx
    subq $512, %rsp
    andq $-16, %rsp
    fxsave64 (%rsp)
    movq %rbx, %rdi
    call arch_interrupt
    fxrstor64 (%rsp)
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp
    iretq

    /* Stub addresses for the IDT: stubs are 16-byte aligned, one per vector. */
    .section .rodata
    .align 8
    .globl isr_stub_table
isr_stub_table:
    .set i, 0
    .rept 256
    .quad isr_stubs_start + i * 16
    .set i, i + 1
    .endr

    .section .note.GNU-stack, "", @progbits
