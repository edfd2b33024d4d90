/*
 * Kernel virtual memory: reservations and their fault routing.
 *
 * A reservation is address space only: a row in a sorted table, no page tables, no
 * frames, so an 8 GiB linear memory costs ~40 bytes until pages are committed. The table
 * itself lives in the first pages of the reservation area, committed as it grows, so it
 * never depends on the heap (which reserves through it). Reservations are placed
 * first-fit with one unmapped page between neighbours.
 */
#include <stdbool.h>
#include <stdint.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "lib/string.h"

_Static_assert(PAGE_SIZE == ARCH_PAGE_SIZE, "the vmm maps the machine's pages");

#define REGION_TABLE_BYTES (1ull << 20)
#define REGION_FIRST       (ARCH_RESERVE_BASE + REGION_TABLE_BYTES + PAGE_SIZE)
#define REGION_MAX         (REGION_TABLE_BYTES / sizeof(struct vmm_region))

struct vmm_region {
    uintptr_t base;
    uint64_t size;
    vmm_fault_fn on_fault;
    void *owner;
};

static struct vmm_region *regions = (struct vmm_region *)ARCH_RESERVE_BASE;
static uint32_t nregions;
static uint64_t regions_committed; /* bytes of the table backed by pages */
static uintptr_t mmio_next = ARCH_MMIO_BASE;

static uint32_t vmm_page_flags(int prot)
{
    uint32_t f = 0;

    if (prot & VMM_WRITE) f |= ARCH_PAGE_WRITE;
    if (prot & VMM_EXEC) f |= ARCH_PAGE_EXEC;
    if (prot & VMM_UNCACHED) f |= ARCH_PAGE_UNCACHED;
    return f;
}

static int vmm_map_fresh(uintptr_t va, uint32_t flags)
{
    uint64_t pa;
    int r;

    if ((r = pmm_alloc_page(&pa)) < 0) return r;
    if ((r = arch_page_map(va, pa, flags)) < 0) pmm_free_page(pa);
    return r;
}

void vmm_init(void)
{
    uint64_t phys_end = pmm_phys_end();

    arch_paging_init(phys_end);
    pmm_set_mapped_limit(phys_end);
    log_info("vmm: kernel page tables live, direct map %lu MiB, W^X image",
             (unsigned long)(phys_end >> 20));
}

/* Index of the region containing addr, or -1. */
static int vmm_find(uintptr_t addr)
{
    uint32_t lo = 0, hi = nregions;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (addr < regions[mid].base)
            hi = mid;
        else if (addr - regions[mid].base >= regions[mid].size)
            lo = mid + 1;
        else
            return (int)mid;
    }
    return -1;
}

static int vmm_table_grow(void)
{
    uint64_t need = (uint64_t)(nregions + 1) * sizeof(struct vmm_region);
    int r;

    while (regions_committed < need) {
        if (regions_committed == REGION_TABLE_BYTES) return TK_ERR_LIMIT;
        r = vmm_map_fresh(ARCH_RESERVE_BASE + regions_committed, ARCH_PAGE_WRITE);
        if (r < 0) return r;
        regions_committed += PAGE_SIZE;
    }
    return 0;
}

int vmm_reserve(size_t size, vmm_fault_fn on_fault, void *owner, void **out)
{
    uint64_t bytes = ((uint64_t)size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uintptr_t at = REGION_FIRST;
    uint32_t i;
    uint64_t flags;
    int r;

    if (bytes == 0 || bytes > ARCH_RESERVE_SIZE / 2) return TK_ERR_RANGE;
    flags = arch_irq_save();
    if ((r = vmm_table_grow()) < 0) goto out;
    for (i = 0; i < nregions; i++) {
        if (regions[i].base >= at + bytes + PAGE_SIZE) break;
        at = regions[i].base + regions[i].size + PAGE_SIZE;
    }
    if (at + bytes > ARCH_RESERVE_BASE + ARCH_RESERVE_SIZE) {
        r = TK_ERR_NOMEM;
        goto out;
    }
    memmove(&regions[i + 1], &regions[i], (nregions - i) * sizeof(regions[0]));
    regions[i] = (struct vmm_region){at, bytes, on_fault, owner};
    nregions++;
    *out = (void *)at;
out:
    arch_irq_restore(flags);
    return r;
}

/* A page at a time with interrupts off, so a large commit stays preemptible. The
 * reservation is its caller's: nobody releases it meanwhile. */
int vmm_commit(void *addr, size_t size, int prot)
{
    uintptr_t va = (uintptr_t)addr & ~(PAGE_SIZE - 1);
    uintptr_t end = ((uintptr_t)addr + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t flags = arch_irq_save();
    uint32_t pte = vmm_page_flags(prot);
    int idx = vmm_find(va);
    bool inside = idx >= 0 && end - regions[idx].base <= regions[idx].size;

    arch_irq_restore(flags);
    if (!inside) return TK_ERR_RANGE;
    if ((prot & VMM_WRITE) && (prot & VMM_EXEC))
        return TK_ERR_INVAL; /* W^X, for linear memories and code alike */
    for (uintptr_t a = va; a < end; a += PAGE_SIZE) {
        int r = 0;
        flags = arch_irq_save();
        if (!(arch_page_query(a) & ARCH_PAGE_PRESENT)) /* committing twice is harmless */
            r = vmm_map_fresh(a, pte);
        arch_irq_restore(flags);
        if (r < 0) return r;
    }
    return 0;
}

int vmm_protect(void *addr, size_t size, int prot)
{
    uintptr_t va = (uintptr_t)addr & ~(PAGE_SIZE - 1);
    uintptr_t end = ((uintptr_t)addr + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t flags = arch_irq_save();
    int idx = vmm_find(va), r = 0;

    if (idx < 0 || end - regions[idx].base > regions[idx].size)
        r = TK_ERR_RANGE;
    else if ((prot & VMM_WRITE) && (prot & VMM_EXEC))
        r = TK_ERR_INVAL;
    for (uintptr_t a = va; !r && a < end; a += PAGE_SIZE)
        r = arch_page_protect(a, vmm_page_flags(prot));
    arch_irq_restore(flags);
    return r;
}

int vmm_release(void *addr)
{
    uint64_t flags = arch_irq_save();
    int idx = vmm_find((uintptr_t)addr);

    if (idx < 0 || regions[idx].base != (uintptr_t)addr) {
        arch_irq_restore(flags);
        return TK_ERR_NOENT;
    }
    arch_page_unmap_range(regions[idx].base, regions[idx].base + regions[idx].size, pmm_free_page);
    memmove(&regions[idx], &regions[idx + 1], (nregions - (uint32_t)idx - 1) * sizeof(regions[0]));
    nregions--;
    arch_irq_restore(flags);
    return 0;
}

/* The reservation holding [va, va + bytes), or -1 (interrupts off). */
static int vmm_find_range(uintptr_t va, uint64_t bytes)
{
    int idx = vmm_find(va);

    if (idx < 0 || va + bytes < va || va + bytes - regions[idx].base > regions[idx].size) return -1;
    return idx;
}

/* Both kinds of borrowing: frames[i], or phys + i pages when frames is NULL. */
static int vmm_borrow_frames(void *addr, const uint64_t *frames, uint64_t phys, size_t npages,
                             int prot)
{
    uintptr_t va = (uintptr_t)addr;
    uint64_t flags = arch_irq_save(), old_pa;
    uint32_t old;
    int r = 0;

    if ((va & (PAGE_SIZE - 1)) || vmm_find_range(va, npages * PAGE_SIZE) < 0) {
        r = TK_ERR_RANGE;
        goto out;
    }
    for (size_t i = 0; i < npages && !r; i++) {
        uint64_t pa = frames ? frames[i] : phys + i * PAGE_SIZE;
        r = arch_page_replace(va + i * PAGE_SIZE, pa, vmm_page_flags(prot) | ARCH_PAGE_BORROWED,
                              &old, &old_pa);
        if (!r && (old & ARCH_PAGE_PRESENT) && !(old & ARCH_PAGE_BORROWED)) pmm_free_page(old_pa);
    }
out:
    arch_irq_restore(flags);
    return r;
}

int vmm_borrow(void *addr, const uint64_t *frames, size_t npages, int prot)
{
    return vmm_borrow_frames(addr, frames, 0, npages, prot);
}

int vmm_borrow_phys(void *addr, uint64_t phys, size_t npages, int prot)
{
    return vmm_borrow_frames(addr, NULL, phys, npages, prot);
}

int vmm_unborrow(void *addr, size_t npages)
{
    uintptr_t va = (uintptr_t)addr;
    int r = 0;

    for (size_t i = 0; i < npages && !r; i++) {
        uint64_t flags = arch_irq_save(), pa, old_pa;
        uint32_t old;
        if (vmm_find_range(va + i * PAGE_SIZE, PAGE_SIZE) < 0) {
            r = TK_ERR_RANGE;
        } else if ((r = pmm_alloc_page(&pa)) == 0) {
            r = arch_page_replace(va + i * PAGE_SIZE, pa, ARCH_PAGE_WRITE, &old, &old_pa);
            if (r < 0) pmm_free_page(pa);
        }
        arch_irq_restore(flags);
    }
    return r;
}

bool vmm_handle_fault(uintptr_t addr, uint64_t error, void *frame)
{
    int idx = vmm_find(addr);

    (void)error;
    if (idx < 0 || !regions[idx].on_fault) return false;
    regions[idx].on_fault(regions[idx].owner, addr, frame);
    return true;
}

int vmm_map_mmio(uint64_t phys, size_t size, void **out)
{
    uint64_t off = phys & (PAGE_SIZE - 1);
    uint64_t pages = (off + size + PAGE_SIZE - 1) / PAGE_SIZE;
    uintptr_t va = mmio_next;

    if (va + pages * PAGE_SIZE > ARCH_MMIO_BASE + ARCH_MMIO_SIZE) return TK_ERR_NOMEM;
    for (uint64_t i = 0; i < pages; i++) {
        int r = arch_page_map(va + i * PAGE_SIZE, phys - off + i * PAGE_SIZE,
                              ARCH_PAGE_WRITE | ARCH_PAGE_UNCACHED);
        if (r < 0) return r;
    }
    mmio_next += (pages + 1) * PAGE_SIZE;
    *out = (void *)(va + off);
    return 0;
}

int vmm_alloc_stack(size_t size, void **top)
{
    uint64_t bytes = ((uint64_t)size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    void *base;
    int r;

    if ((r = vmm_reserve(bytes + PAGE_SIZE, NULL, NULL, &base)) < 0) return r;
    if ((r = vmm_commit((char *)base + PAGE_SIZE, bytes, VMM_READ | VMM_WRITE)) < 0) {
        vmm_release(base);
        return r;
    }
    *top = (char *)base + PAGE_SIZE + bytes;
    return 0;
}

void vmm_free_stack(void *top, size_t size)
{
    uint64_t bytes = ((uint64_t)size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

    vmm_release((char *)top - bytes - PAGE_SIZE);
}

uint32_t vmm_reservation_count(void)
{
    return nregions;
}
