/*
 * The kernel's memory interfaces, implemented under kernel/mm/ and arch/x86_64/paging.
 *
 *   pmm   physical pages, 4 KiB, from boot_info.ranges (kernel image, modules, low 1 MiB
 *         and nonsense entries excluded)
 *   vmm   kernel virtual space: map/unmap, and reservations (address space without
 *         backing, committed page by page, with an owner's fault handler)
 *   heap  kmalloc/kfree on top of both
 *
 * Physical memory is reachable at PHYS_TO_VIRT(p) through the direct map.
 */
#ifndef TAKARA_KERNEL_MM_H
#define TAKARA_KERNEL_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ull

struct boot_info;

/* ---- physical pages ---- */
void pmm_init(const struct boot_info *bi);
int pmm_alloc_page(uint64_t *phys); /* 0 or TK_ERR_NOMEM; the page is zeroed */
void pmm_free_page(uint64_t phys);
uint64_t pmm_total_pages(void);
uint64_t pmm_free_pages(void);

/* ---- kernel virtual memory ---- */
enum vmm_prot {
    VMM_READ = 1,
    VMM_WRITE = 2,
    VMM_EXEC = 4,
};

struct vmm_region;

/*
 * Called for a page fault inside a reservation, from the fault handler, with the
 * faulting address and the interrupted context. Returns only if the fault was resolved
 * (e.g. by committing the page); to abandon the faulting code it must not return
 * (the Wasm engine long-jumps to its trap landing).
 */
typedef void (*vmm_fault_fn)(void *owner, uintptr_t addr, void *frame);

void vmm_init(void);
/* Reserve `size` bytes (rounded up to pages) of kernel address space, no backing. */
int vmm_reserve(size_t size, vmm_fault_fn on_fault, void *owner, void **out);
/* Back [addr, addr+size) of a reservation with zeroed pages, protection `prot`. */
int vmm_commit(void *addr, size_t size, int prot);
int vmm_protect(void *addr, size_t size, int prot);
/* Unmap and free everything committed in the reservation starting at `addr`. */
int vmm_release(void *addr);

/* ---- heap ---- */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *krealloc(void *ptr, size_t size);
void kfree(void *ptr);

#endif
