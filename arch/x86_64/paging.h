/*
 * x86-64 4-level page tables for the kernel's one address space (paging.c). The vmm
 * decides what to map; this file only knows the format.
 */
#ifndef TAKARA_ARCH_PAGING_H
#define TAKARA_ARCH_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_PRESENT   (1ull << 0)
#define PTE_WRITE     (1ull << 1)
#define PTE_PWT       (1ull << 3)
#define PTE_PCD       (1ull << 4)
#define PTE_HUGE      (1ull << 7)
#define PTE_GLOBAL    (1ull << 8)
#define PTE_BORROWED  (1ull << 9) /* software bit: the frame is not the mapping's to free */
#define PTE_NX        (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Builds the kernel's tables (direct map of [0, phys_end), the image with W^X, guard
 * pages left out) and switches to them. */
void paging_init(uint64_t phys_end);

/* Maps one 4 KiB page; TK_ERR_NOMEM if a table page cannot be allocated, TK_ERR_EXIST
 * if something is mapped there. */
int paging_map(uintptr_t va, uint64_t pa, uint64_t flags);
/* Maps pa at va whatever was there, returning the old entry in *old (0 if none). */
int paging_replace(uintptr_t va, uint64_t pa, uint64_t flags, uint64_t *old);
/* Changes the flags of a mapped page; TK_ERR_NOENT if none. */
int paging_protect(uintptr_t va, uint64_t flags);
/* The leaf entry for va, or 0. */
uint64_t paging_query(uintptr_t va);
/* Unmaps every 4 KiB page in [va, end), giving each frame to `release` (except borrowed
 * ones, PTE_BORROWED), and frees table pages left empty. Skips unpopulated table levels, so huge
 * sparse ranges are cheap. */
void paging_unmap_range(uintptr_t va, uintptr_t end, void (*release)(uint64_t pa));

#endif
