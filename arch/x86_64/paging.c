/*
 * Page tables: the arch_page_* calls of arch/arch.h on the formats of paging.h. Table
 * pages come from the pmm and are reached through the direct map. Upper levels are always
 * present+writable and never NX; the leaf entry alone decides a page's rights.
 */
#include "arch/x86_64/paging.h"

#include <takara/error.h>

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/memlayout.h"
#include "kernel/arch_hooks.h"

#define LEVEL_SHIFT(l) (12 + 9 * ((l)-1)) /* level 1 = PT ... level 4 = PML4 */
#define INDEX(va, l)   (((va) >> LEVEL_SHIFT(l)) & 511)
#define TABLE_FLAGS    (PTE_PRESENT | PTE_WRITE)
#define HUGE_2M        (1ull << 21)

static uint64_t kernel_pml4;

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];

static uint64_t *table_at(uint64_t entry)
{
    return arch_phys_to_virt(entry & PTE_ADDR_MASK);
}

/* The entry of level `level` for va, creating tables on the way when `create`. */
static uint64_t *paging_entry(uintptr_t va, int level, bool create)
{
    uint64_t *table = arch_phys_to_virt(kernel_pml4);

    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[INDEX(va, l)];
        if (!(*e & PTE_PRESENT)) {
            uint64_t pa;
            if (!create || pmm_alloc_page(&pa) < 0) return NULL;
            *e = pa | TABLE_FLAGS;
        }
        if (*e & PTE_HUGE) return NULL;
        table = table_at(*e);
    }
    return &table[INDEX(va, level)];
}

/* The entry bits for arch/arch.h's flags, and back. */
static uint64_t pte_from_flags(uint32_t flags)
{
    uint64_t pte = 0;

    if (flags & ARCH_PAGE_WRITE) pte |= PTE_WRITE;
    if (!(flags & ARCH_PAGE_EXEC)) pte |= PTE_NX;
    if (flags & ARCH_PAGE_UNCACHED) pte |= PTE_PCD | PTE_PWT;
    if (flags & ARCH_PAGE_BORROWED) pte |= PTE_BORROWED;
    return pte;
}

static uint32_t pte_to_flags(uint64_t pte)
{
    uint32_t flags = 0;

    if (!(pte & PTE_PRESENT)) return 0;
    flags |= ARCH_PAGE_PRESENT;
    if (pte & PTE_WRITE) flags |= ARCH_PAGE_WRITE;
    if (!(pte & PTE_NX)) flags |= ARCH_PAGE_EXEC;
    if (pte & PTE_PCD) flags |= ARCH_PAGE_UNCACHED;
    if (pte & PTE_BORROWED) flags |= ARCH_PAGE_BORROWED;
    return flags;
}

static int paging_map(uintptr_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *e = paging_entry(va, 1, true);

    if (!e) return TK_ERR_NOMEM;
    if (*e & PTE_PRESENT) return TK_ERR_EXIST;
    *e = (pa & PTE_ADDR_MASK) | flags | PTE_PRESENT;
    return 0;
}

int arch_page_map(uintptr_t va, uint64_t pa, uint32_t flags)
{
    return paging_map(va, pa, pte_from_flags(flags));
}

int arch_page_replace(uintptr_t va, uint64_t pa, uint32_t flags, uint32_t *old_flags,
                      uint64_t *old_pa)
{
    uint64_t *e = paging_entry(va, 1, true);

    if (!e) return TK_ERR_NOMEM;
    *old_flags = pte_to_flags(*e);
    *old_pa = *e & PTE_ADDR_MASK;
    *e = (pa & PTE_ADDR_MASK) | pte_from_flags(flags) | PTE_PRESENT;
    invlpg(va);
    return 0;
}

int arch_page_protect(uintptr_t va, uint32_t flags)
{
    uint64_t *e = paging_entry(va, 1, false);

    if (!e || !(*e & PTE_PRESENT)) return TK_ERR_NOENT;
    /* whose frame it is stays as it was: that is no right of the page */
    *e = (*e & (PTE_ADDR_MASK | PTE_BORROWED)) | pte_from_flags(flags) | PTE_PRESENT;
    invlpg(va);
    return 0;
}

uint32_t arch_page_query(uintptr_t va)
{
    uint64_t *e = paging_entry(va, 1, false);

    return e ? pte_to_flags(*e) : 0;
}

static bool table_empty(const uint64_t *t)
{
    for (int i = 0; i < 512; i++)
        if (t[i]) return false;
    return true;
}

/* Unmaps [va, end) below the entry `*e` of level `level`; frees the table if emptied. */
static void unmap_level(uint64_t *e, int level, uintptr_t va, uintptr_t end,
                        void (*release)(uint64_t pa))
{
    uint64_t *t = table_at(*e);
    uint64_t span = 1ull << LEVEL_SHIFT(level - 1);

    for (uintptr_t a = va; a < end && a >= va;) {
        uintptr_t next = (a & ~(span - 1)) + span;
        uint64_t *c = &t[INDEX(a, level - 1)];

        if (next > end || next < a) next = end;
        if ((*c & PTE_PRESENT) && !(*c & PTE_HUGE)) {
            if (level - 1 == 1) {
                uint64_t pa = *c & PTE_ADDR_MASK;
                bool borrowed = *c & PTE_BORROWED;
                *c = 0;
                invlpg(a);
                if (!borrowed) release(pa);
            } else {
                unmap_level(c, level - 1, a, next, release);
            }
        }
        a = next;
    }
    if (level < 4 && table_empty(t)) {
        pmm_free_page(*e & PTE_ADDR_MASK);
        *e = 0;
    }
}

void arch_page_unmap_range(uintptr_t va, uintptr_t end, void (*release)(uint64_t pa))
{
    uint64_t root = kernel_pml4 | TABLE_FLAGS;

    unmap_level(&root, 5, va, end, release);
}

/* Maps [start, end) of the image at its link address with `flags`, skipping guards. */
static void paging_map_image(char *start, char *end, uint64_t flags)
{
    for (uintptr_t va = (uintptr_t)start; va < (uintptr_t)end; va += ARCH_PAGE_SIZE) {
        bool guard = false;
        for (int i = 0; i < ARCH_NSTACK_GUARDS; i++) guard |= arch_stack_guards[i] == va;
        if (!guard && paging_map(va, KERNEL_TO_PHYS(va), flags | PTE_GLOBAL) < 0)
            panic("paging: out of memory mapping the kernel image");
    }
}

void arch_paging_init(uint64_t phys_end)
{
    uint64_t pa;

    if (pmm_alloc_page(&kernel_pml4) < 0) panic("paging: no page for the PML4");
    /* Direct map with 2 MiB pages: RAM is data, never code. */
    for (pa = 0; pa < phys_end; pa += HUGE_2M) {
        uint64_t *e = paging_entry(DIRECT_MAP_BASE + pa, 2, true);
        if (!e) panic("paging: out of memory building the direct map");
        *e = pa | PTE_PRESENT | PTE_WRITE | PTE_HUGE | PTE_GLOBAL | PTE_NX;
    }
    paging_map_image(__text_start, __text_end, 0);
    paging_map_image(__rodata_start, __rodata_end, PTE_NX);
    paging_map_image(__data_start, __data_end, PTE_WRITE | PTE_NX);
    write_cr3(kernel_pml4);
}
