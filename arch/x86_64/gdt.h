/* Segments and interrupt stacks (gdt.c). */
#ifndef TAKARA_ARCH_GDT_H
#define TAKARA_ARCH_GDT_H

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS         0x18

#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3

/* Guard pages below the boot and IST stacks: the vmm leaves them unmapped. */
#define ARCH_NSTACK_GUARDS 4
extern const uintptr_t arch_stack_guards[ARCH_NSTACK_GUARDS];

void gdt_init(void);

#endif
