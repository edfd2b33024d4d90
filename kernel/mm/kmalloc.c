/*
 * kmalloc and friends: the heap core (heap.c) on kernel pages. Slabs are single pmm
 * pages reached through the direct map; large blocks are vmm reservations with a guard
 * page after them. Interrupts are held off around the core, which is not reentrant.
 */
#include "arch/arch.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"

void *heap_page_alloc(void)
{
    uint64_t pa;

    return pmm_alloc_page(&pa) < 0 ? NULL : arch_phys_to_virt(pa);
}

void heap_page_free(void *page)
{
    pmm_free_page(arch_virt_to_phys(page));
}

void *heap_pages_alloc(size_t npages)
{
    void *va;

    if (vmm_reserve(npages * PAGE_SIZE, NULL, NULL, &va) < 0) return NULL;
    if (vmm_commit(va, npages * PAGE_SIZE, VMM_READ | VMM_WRITE) < 0) {
        vmm_release(va);
        return NULL;
    }
    return va;
}

void heap_pages_free(void *pages, size_t npages)
{
    (void)npages;
    vmm_release(pages);
}

void heap_corruption(const char *what, const void *ptr)
{
    panic("heap: %s (%p)", what, ptr);
}

void *kmalloc(size_t size)
{
    uint64_t flags = arch_irq_save();
    void *p = heap_alloc(size);

    arch_irq_restore(flags);
    return p;
}

void *kzalloc(size_t size)
{
    return kmalloc(size); /* the core hands out zeroed memory */
}

void *krealloc(void *ptr, size_t size)
{
    uint64_t flags = arch_irq_save();
    void *p = heap_realloc(ptr, size);

    arch_irq_restore(flags);
    return p;
}

void kfree(void *ptr)
{
    uint64_t flags = arch_irq_save();

    heap_free(ptr);
    arch_irq_restore(flags);
}

void kmalloc_set_debug(bool on)
{
    heap_set_debug(on);
}
