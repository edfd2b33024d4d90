/*
 * The GDT (64-bit code and data, one TSS) and the TSS's interrupt stacks: double
 * fault, NMI and machine check switch to stacks of their own (IST 1-3), so they are
 * reported even when the kernel stack is gone. Each stack has an unmapped guard page
 * below it (see arch_stack_guards).
 */
#include <stdint.h>

#include "arch/x86_64/gdt.h"

#define IST_STACK_SIZE 8192

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct ist_stack {
    uint8_t guard[4096];
    uint8_t stack[IST_STACK_SIZE];
} __attribute__((aligned(4096)));

static struct ist_stack ist_stacks[3];
static struct tss tss;
static uint64_t gdt[5];

extern char boot_stack_guard[];

const uintptr_t arch_stack_guards[ARCH_NSTACK_GUARDS] = {
    (uintptr_t)boot_stack_guard,
    (uintptr_t)ist_stacks[0].guard,
    (uintptr_t)ist_stacks[1].guard,
    (uintptr_t)ist_stacks[2].guard,
};

void gdt_init(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};

    for (int i = 0; i < 3; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i].stack + IST_STACK_SIZE);
    tss.iomap_base = sizeof(tss);

    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull; /* GDT_KERNEL_CODE: 64-bit, present, ring 0 */
    gdt[2] = 0x00cf92000000ffffull; /* GDT_KERNEL_DATA */
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[4] = base >> 32;

    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(gdtr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
                     : "rax", "memory");
}
