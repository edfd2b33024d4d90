/*
 * First instructions: both Multiboot headers, the switch from 32-bit protected mode to
 * long mode on early page tables, and the jump to the higher-half kernel.
 *
 * The early tables map physical 0..1 GiB with 2 MiB pages three times: at identity (so
 * this code keeps running after paging is on), at the direct map and at the kernel base.
 * The vmm replaces them with the kernel's own tables.
 */
#include "arch/x86_64/memlayout.h"

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00000003            /* page-aligned modules, memory map */
#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80

#define STACK_SIZE 16384

    .section .multiboot, "a"
    .align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)

    .align 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    .align 8
    /* entry address tag: GRUB starts ELF64 images at the ELF entry anyway; keep it explicit */
    .word 3, 0
    .long 12
    .long boot_entry32
    .align 8
    .word 0, 0                          /* end tag */
    .long 8
mb2_header_end:

    .section .boot.bss, "aw", @nobits
    .align 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
boot_stack32:   .skip 4096

    .section .boot.data, "aw"
    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff            /* 64-bit code */
    .quad 0x00cf92000000ffff            /* data */
boot_gdt_end:
boot_gdtr:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt
boot_magic: .long 0
boot_info_ptr: .long 0

    .section .boot.text, "ax"
    .code32
    .globl boot_entry32
boot_entry32:
    cli
    cld
    movl %eax, boot_magic
    movl %ebx, boot_info_ptr
    movl $boot_stack32 + 4096, %esp

    /* PD: 512 x 2 MiB identity entries */
    movl $boot_pd, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_P | PTE_W | PTE_PS), %eax
    movl %eax, (%edi, %ecx, 8)
    movl $0, 4(%edi, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jne 1b

    movl $boot_pd + (PTE_P | PTE_W), %eax
    movl %eax, boot_pdpt_low            /* PDPT_low[0]: 0..1 GiB */
    movl %eax, boot_pdpt_high + 510 * 8 /* PDPT_high[510]: 0xffffffff80000000 */
    movl $boot_pdpt_low + (PTE_P | PTE_W), %eax
    movl %eax, boot_pml4                /* identity */
    movl %eax, boot_pml4 + 256 * 8      /* direct map */
    movl $boot_pdpt_high + (PTE_P | PTE_W), %eax
    movl %eax, boot_pml4 + 511 * 8      /* kernel */

    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $((1 << 5) | (1 << 9) | (1 << 10)), %eax  /* PAE, OSFXSR, OSXMMEXCPT: SSE on */
    movl %eax, %cr4
    movl $0xc0000080, %ecx              /* EFER: LME | NXE */
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax
    wrmsr
    movl %cr0, %eax
    andl $~(1 << 2), %eax               /* no x87 emulation */
    orl $((1 << 31) | (1 << 16) | (1 << 1) | 1), %eax  /* PG | WP | MP | PE */
    movl %eax, %cr0

    lgdt boot_gdtr
    ljmp $0x08, $boot_entry64

    .code64
boot_entry64:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    movl boot_magic, %edi
    movl boot_info_ptr, %esi
    movabsq $arch_start, %rax
    call *%rax
2:  cli
    hlt
    jmp 2b

    /* The boot stack, with a guard page below it that the vmm leaves unmapped. */
    .section .bss
    .align 4096
    .globl boot_stack_guard
boot_stack_guard: .skip 4096
boot_stack:       .skip STACK_SIZE
    .globl boot_stack_top
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
