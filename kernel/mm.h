/*
 * The kernel's memory interfaces, implemented under kernel/mm/ on the page mapping of
 * arch/arch.h.
 *
 *   pmm   physical pages, 4 KiB, from boot_info.ranges (kernel image, modules, low 1 MiB
 *         and nonsense entries excluded)
 *   vmm   kernel virtual space: map/unmap, and reservations (address space without
 *         backing, committed page by page, with an owner's fault handler)
 *   heap  kmalloc/kfree on top of both
 *
 * Physical memory is reachable at arch_phys_to_virt(p) through the direct map.
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
/* npages physically contiguous zeroed pages below physical address `below` (a device's
 * reach), for DMA: 0 and the first in *phys, or TK_ERR_NOMEM. Freed a page at a time. */
int pmm_alloc_contiguous(uint64_t npages, uint64_t below, uint64_t *phys);
/* Does [base, base+size) touch memory: RAM, ACPI tables, the kernel's image, the boot
 * modules, or a page the allocator owns? MMIO mappings for modules must not. */
bool pmm_range_is_ram(uint64_t base, uint64_t size);
uint64_t pmm_total_pages(void);
uint64_t pmm_free_pages(void);
/* Called by the vmm once the direct map covers [0, phys_end). */
void pmm_set_mapped_limit(uint64_t phys_end);
/* One past the highest usable physical address. */
uint64_t pmm_phys_end(void);

/* ---- kernel virtual memory ---- */
enum vmm_prot {
    VMM_READ = 1,
    VMM_WRITE = 2,
    VMM_EXEC = 4,
    VMM_UNCACHED = 8, /* device registers: every access reaches the device */
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
/* Routes a page fault: true if a reservation's owner handled it (see vmm_fault_fn). */
bool vmm_handle_fault(uintptr_t addr, uint64_t error, void *frame);
/* Maps device registers at physical [phys, phys+size) uncached; never released. */
int vmm_map_mmio(uint64_t phys, size_t size, void **out);
/* A kernel stack of `size` bytes with an unmapped guard page below it. */
int vmm_alloc_stack(size_t size, void **top);
void vmm_free_stack(void *top, size_t size);
/*
 * Shares frames owned elsewhere (a memory object's) into a reservation: [addr, addr +
 * n pages) maps frames[0..n), marked borrowed so releasing the reservation leaves them
 * alone; what was committed there is freed. vmm_unborrow puts fresh zeroed pages back.
 */
int vmm_borrow(void *addr, const uint64_t *frames, size_t npages, int prot);
/* vmm_borrow of the contiguous frames from `phys` on (device registers, DMA buffers). */
int vmm_borrow_phys(void *addr, uint64_t phys, size_t npages, int prot);
int vmm_unborrow(void *addr, size_t npages);
/* Number of live reservations (for tests and statistics). */
uint32_t vmm_reservation_count(void);

/* ---- heap ---- */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *krealloc(void *ptr, size_t size);
void kfree(void *ptr);
/* Debug mode: poison freed memory, check it on reuse, detect double and foreign frees. */
void kmalloc_set_debug(bool on);

#endif
