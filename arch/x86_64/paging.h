/*
 * x86-64 4-level page table entries for the kernel's one address space. paging.c
 * implements arch/arch.h's arch_page_* on them; the vmm decides what to map.
 */
#ifndef TAKARA_ARCH_PAGING_H
#define TAKARA_ARCH_PAGING_H

#define PTE_PRESENT   (1ull << 0)
#define PTE_WRITE     (1ull << 1)
#define PTE_PWT       (1ull << 3)
#define PTE_PCD       (1ull << 4)
#define PTE_HUGE      (1ull << 7)
#define PTE_GLOBAL    (1ull << 8)
#define PTE_BORROWED  (1ull << 9) /* software bit: the frame is not the mapping's to free */
#define PTE_NX        (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

#endif
