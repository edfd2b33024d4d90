/*
 * Physical page allocator: one bit per page frame, from the sanitised boot memory map
 * (ranges.c). The bitmap lives in the first usable range large enough to hold it.
 * Allocation is next-fit from a rotating hint; freeing a page that is not allocated is a
 * kernel bug and panics with the address.
 *
 * Until the vmm has mapped all of RAM, only pages inside the boot mapping are handed out.
 */
#include <stdint.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "kernel/boot.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mm/ranges.h"
#include "lib/string.h"

#define PMM_MAX_RANGES 128

static uint64_t *pmm_bitmap; /* bit set = page free */
static uint64_t pmm_npages;  /* frames covered by the bitmap */
static uint64_t pmm_total, pmm_free;
static uint64_t pmm_hint;
static uint64_t pmm_limit_pfn; /* pages at or above are not mapped yet */

static void pmm_reject(const struct boot_range *r, const char *why)
{
    log_warn("mm: ignoring memory map entry base %#lx length %#lx type %u: %s",
             (unsigned long)r->base, (unsigned long)r->len, r->type, why);
}

static void pmm_mark_free(uint64_t pfn)
{
    pmm_bitmap[pfn / 64] |= 1ull << (pfn % 64);
}

static void pmm_mark_used(uint64_t pfn)
{
    pmm_bitmap[pfn / 64] &= ~(1ull << (pfn % 64));
}

static int pmm_is_free(uint64_t pfn)
{
    return (pmm_bitmap[pfn / 64] >> (pfn % 64)) & 1;
}

void pmm_init(const struct boot_info *bi)
{
    static struct mm_range usable[PMM_MAX_RANGES];
    struct mm_range exclude[2 + BOOT_MAX_MODULES];
    uint32_t nexclude = 0, n;
    uint64_t bitmap_bytes, bitmap_phys = 0;

    exclude[nexclude++] = (struct mm_range){0, 0x100000}; /* BIOS, real-mode structures */
    exclude[nexclude++] = (struct mm_range){bi->kernel_phys_start, bi->kernel_phys_end};
    for (uint32_t i = 0; i < bi->nmodules; i++)
        exclude[nexclude++] = (struct mm_range){bi->modules[i].start, bi->modules[i].end};
    n = ranges_build_usable(bi->ranges, bi->nranges, exclude, nexclude, usable, PMM_MAX_RANGES,
                            pmm_reject);
    if (n == 0) panic("mm: the boot memory map has no usable memory above 1 MiB");

    pmm_npages = usable[n - 1].end / PAGE_SIZE;
    bitmap_bytes = (pmm_npages + 63) / 64 * 8;
    for (uint32_t i = 0; i < n; i++) {
        if (usable[i].end - usable[i].base >= bitmap_bytes &&
            usable[i].base + bitmap_bytes <= ARCH_BOOT_MAPPED_BYTES) {
            bitmap_phys = usable[i].base;
            break;
        }
    }
    if (!bitmap_phys)
        panic("mm: no usable range can hold the %lu-byte page bitmap", (unsigned long)bitmap_bytes);
    pmm_bitmap = arch_phys_to_virt(bitmap_phys);
    memset(pmm_bitmap, 0, bitmap_bytes);
    for (uint32_t i = 0; i < n; i++)
        for (uint64_t p = usable[i].base; p < usable[i].end; p += PAGE_SIZE)
            pmm_mark_free(p / PAGE_SIZE);
    for (uint64_t p = bitmap_phys; p < bitmap_phys + bitmap_bytes; p += PAGE_SIZE)
        pmm_mark_used(p / PAGE_SIZE);
    pmm_total = 0;
    for (uint64_t pfn = 0; pfn < pmm_npages; pfn++) pmm_total += (uint64_t)pmm_is_free(pfn);
    pmm_free = pmm_total;
    pmm_limit_pfn = ARCH_BOOT_MAPPED_BYTES / PAGE_SIZE;
    log_info("mm: %lu MiB usable in %u ranges, %lu KiB free", (unsigned long)(pmm_total >> 8), n,
             (unsigned long)(pmm_free * 4));
}

void pmm_set_mapped_limit(uint64_t phys_end)
{
    pmm_limit_pfn = phys_end / PAGE_SIZE;
}

int pmm_alloc_page(uint64_t *phys)
{
    uint64_t flags = arch_irq_save();
    uint64_t limit = pmm_npages < pmm_limit_pfn ? pmm_npages : pmm_limit_pfn;
    uint64_t words = (limit + 63) / 64;

    for (uint64_t k = 0; k < words; k++) {
        uint64_t w = (pmm_hint + k) % words;
        uint64_t bits = pmm_bitmap[w];
        uint64_t pfn;

        if (!bits) continue;
        pfn = w * 64 + (uint64_t)__builtin_ctzll(bits);
        if (pfn >= limit) continue;
        pmm_mark_used(pfn);
        pmm_free--;
        pmm_hint = w;
        arch_irq_restore(flags);
        memset(arch_phys_to_virt(pfn * PAGE_SIZE), 0, PAGE_SIZE);
        *phys = pfn * PAGE_SIZE;
        return 0;
    }
    arch_irq_restore(flags);
    return TK_ERR_NOMEM;
}

void pmm_free_page(uint64_t phys)
{
    uint64_t pfn = phys / PAGE_SIZE, flags;

    if ((phys & (PAGE_SIZE - 1)) || pfn >= pmm_npages)
        panic("mm: freeing %#lx, which is not a page the allocator owns", (unsigned long)phys);
    flags = arch_irq_save();
    if (pmm_is_free(pfn)) panic("mm: double free of physical page %#lx", (unsigned long)phys);
    pmm_mark_free(pfn);
    pmm_free++;
    arch_irq_restore(flags);
}

int pmm_alloc_contiguous(uint64_t npages, uint64_t below, uint64_t *phys)
{
    uint64_t flags = arch_irq_save();
    uint64_t limit = pmm_npages < pmm_limit_pfn ? pmm_npages : pmm_limit_pfn, run = 0;

    if (below / PAGE_SIZE < limit) limit = below / PAGE_SIZE;
    /* first fit: a scan of the bitmap, whole words of used pages at a time; rare (a
     * driver's buffers, at its start) and bounded by the machine's size */
    for (uint64_t pfn = 0; npages && pfn < limit; pfn++) {
        if (pfn % 64 == 0 && pmm_bitmap[pfn / 64] == 0) {
            run = 0;
            pfn += 63;
            continue;
        }
        run = pmm_is_free(pfn) ? run + 1 : 0;
        if (run < npages) continue;
        for (uint64_t p = pfn + 1 - npages; p <= pfn; p++) pmm_mark_used(p);
        pmm_free -= npages;
        arch_irq_restore(flags);
        *phys = (pfn + 1 - npages) * PAGE_SIZE;
        memset(arch_phys_to_virt(*phys), 0, npages * PAGE_SIZE);
        return 0;
    }
    arch_irq_restore(flags);
    return TK_ERR_NOMEM;
}

bool pmm_range_is_ram(uint64_t base, uint64_t size)
{
    const struct boot_info *bi = &boot_info;
    uint64_t end = base + size;

    if (end < base) return true; /* wrapping: nothing sensible, refuse it */
    if (base < bi->kernel_phys_end && bi->kernel_phys_start < end) return true;
    for (uint32_t i = 0; i < bi->nmodules; i++)
        if (base < bi->modules[i].end && bi->modules[i].start < end) return true;
    for (uint32_t i = 0; i < bi->nranges; i++) {
        const struct boot_range *r = &bi->ranges[i];
        if (r->type == BOOT_RANGE_RESERVED || r->len == 0) continue;
        if (base < r->base + r->len && r->base < end) return true;
    }
    /* what the allocator hands out, whatever the map said */
    for (uint64_t pfn = base / PAGE_SIZE; pfn < pmm_npages && pfn * PAGE_SIZE < end; pfn++)
        if (pmm_is_free(pfn)) return true;
    return false;
}

uint64_t pmm_total_pages(void)
{
    return pmm_total;
}

uint64_t pmm_free_pages(void)
{
    return pmm_free;
}

uint64_t pmm_phys_end(void)
{
    return pmm_npages * PAGE_SIZE;
}
