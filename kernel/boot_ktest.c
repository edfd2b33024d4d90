/*
 * Boot tests: modules visible by name with their contents (the host script passes files
 * whose first line is their own name), and a hostile memory map injected before the
 * page allocator sees it (`mmap=hostile`): the kernel must warn and boot anyway.
 */
#include <stdint.h>

#include "arch/arch.h"
#include "kernel/boot.h"
#include "kernel/cmdline.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "lib/string.h"

static const struct boot_range hostile[] = {
    {0x200000, 0, BOOT_RANGE_USABLE},                   /* zero length */
    {0xfffffffffffff000ull, 0x2000, BOOT_RANGE_USABLE}, /* wraps around */
    {1ull << 60, 1ull << 30, BOOT_RANGE_USABLE},        /* beyond 52 bits */
    {0x1000000, 0x100000, BOOT_RANGE_USABLE},           /* duplicates usable RAM */
    {0x1800000, 0x3000, BOOT_RANGE_RESERVED},           /* reserved inside RAM */
    {0x2000123, 0x2345, BOOT_RANGE_RESERVED},           /* unaligned reserved */
};

void ktest_early(struct boot_info *bi)
{
    char mode[16];

    if (!cmdline_get(bi->cmdline, "mmap", mode, sizeof(mode)) || strcmp(mode, "hostile")) return;
    for (uint32_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
        if (bi->nranges < BOOT_MAX_RANGES) bi->ranges[bi->nranges++] = hostile[i];
}

/* Run alone, by the host script that passes the modules. */
KTEST_ALONE(boot_modules_by_name)
{
    KT_ASSERT(boot_info.nmodules >= 1);
    for (uint32_t i = 0; i < boot_info.nmodules; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        size_t n = strlen(m->name);

        KT_ASSERT(boot_find_module(m->name) == m);
        if (!strcmp(m->name, "boot.tar")) continue; /* the boot image rides along */
        KT_ASSERT(m->end - m->start > n);
        KT_ASSERT(memcmp(arch_phys_to_virt(m->start), m->name, n) == 0);
        KT_ASSERT(pmm_free_pages() < pmm_total_pages()); /* sanity, modules not freed */
    }
    KT_ASSERT(boot_find_module("no-such-module") == NULL);
}

KTEST(boot_hostile_map_survived)
{
    char mode[16];
    uint64_t pa, head = 0, bad = 0;

    if (!cmdline_get(boot_info.cmdline, "mmap", mode, sizeof(mode)))
        return; /* only meaningful in the hostile-map boot */
    /* take every free page: none may come from the reserved holes */
    while (pmm_alloc_page(&pa) == 0) {
        if ((pa >= 0x1800000 && pa < 0x1803000) || (pa >= 0x2000000 && pa < 0x2003000)) bad = pa;
        *(uint64_t *)arch_phys_to_virt(pa) = head;
        head = pa;
    }
    while (head) {
        uint64_t next = *(uint64_t *)arch_phys_to_virt(head);
        pmm_free_page(head);
        head = next;
    }
    KT_ASSERT_EQ(bad, 0);
}
