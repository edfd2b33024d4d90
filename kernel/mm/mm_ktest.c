/* In-kernel tests of the page allocator, the vmm and the heap. */
#include <stdint.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"

#define GIB (1ull << 30)

KTEST(pmm_exhaustion)
{
    uint64_t before = pmm_free_pages(), head = 0, pa, n = 0;

    /* chain every free page through its own first word, then give them all back */
    while (pmm_alloc_page(&pa) == 0) {
        *(uint64_t *)arch_phys_to_virt(pa) = head;
        head = pa;
        n++;
    }
    KT_ASSERT_EQ(n, before);
    KT_ASSERT_EQ(pmm_free_pages(), 0);
    KT_ASSERT_EQ(pmm_alloc_page(&pa), TK_ERR_NOMEM);
    while (head) {
        uint64_t next = *(uint64_t *)arch_phys_to_virt(head);
        pmm_free_page(head);
        head = next;
    }
    KT_ASSERT_EQ(pmm_free_pages(), before);
    KT_ASSERT(pmm_alloc_page(&pa) == 0 && *(uint64_t *)arch_phys_to_virt(pa) == 0); /* zeroed */
    pmm_free_page(pa);
}

KTEST(vmm_reserve_8gib)
{
    void *warm, *base;
    uint64_t before;
    volatile uint8_t *p;

    /* the first reservation commits the region table's first page: take that first */
    KT_ASSERT_EQ(vmm_reserve(PAGE_SIZE, NULL, NULL, &warm), 0);
    before = pmm_free_pages();
    KT_ASSERT_EQ(vmm_reserve(8 * GIB, NULL, NULL, &base), 0);
    KT_ASSERT_EQ(pmm_free_pages(), before); /* address space only */
    KT_ASSERT_EQ(vmm_commit(base, PAGE_SIZE, VMM_READ | VMM_WRITE), 0);
    KT_ASSERT_EQ(vmm_commit((char *)base + 4 * GIB, 2 * PAGE_SIZE, VMM_READ | VMM_WRITE), 0);
    p = base;
    p[0] = 0xa5;
    p[4 * GIB + PAGE_SIZE + 7] = 0x5a;
    KT_ASSERT(p[0] == 0xa5 && p[4 * GIB + PAGE_SIZE + 7] == 0x5a && p[1] == 0);
    KT_ASSERT(pmm_free_pages() < before - 2); /* three frames and their tables */
    KT_ASSERT_EQ(vmm_commit((char *)base + 8 * GIB, PAGE_SIZE, VMM_READ), TK_ERR_RANGE);
    KT_ASSERT_EQ(vmm_commit(base, PAGE_SIZE, VMM_WRITE | VMM_EXEC), TK_ERR_INVAL);
    KT_ASSERT_EQ(vmm_release(base), 0);
    KT_ASSERT_EQ(vmm_release(base), TK_ERR_NOENT);
    KT_ASSERT_EQ(pmm_free_pages(), before); /* frames and emptied tables returned */
    KT_ASSERT_EQ(arch_page_query((uintptr_t)base), 0);
    KT_ASSERT_EQ(vmm_release(warm), 0);
}

#define MANY 500

/* Reserves MANY 8 GiB ranges, touches a page in each, releases them interleaved. */
static void vmm_many_cycle(void)
{
    static void *bases[MANY];

    for (int i = 0; i < MANY; i++) {
        KT_ASSERT_EQ(vmm_reserve(8 * GIB, NULL, NULL, &bases[i]), 0);
        KT_ASSERT_EQ(vmm_commit(bases[i], PAGE_SIZE, VMM_READ | VMM_WRITE), 0);
        *(volatile int *)bases[i] = i;
    }
    for (int i = 0; i < MANY; i++)
        KT_ASSERT_EQ(*(volatile int *)bases[i], i); /* no two share a page */
    for (int i = 0; i < MANY; i += 2) KT_ASSERT_EQ(vmm_release(bases[i]), 0);
    for (int i = 1; i < MANY; i += 2) KT_ASSERT_EQ(vmm_release(bases[i]), 0);
}

KTEST(vmm_reserve_hundreds)
{
    uint32_t regions = vmm_reservation_count();
    uint64_t after_first;

    /* the first cycle may grow the region table (kept for reuse); the second must
     * return to exactly the same free count */
    vmm_many_cycle();
    after_first = pmm_free_pages();
    vmm_many_cycle();
    KT_ASSERT_EQ(vmm_reservation_count(), regions);
    KT_ASSERT_EQ(pmm_free_pages(), after_first);
}

struct fault_probe {
    int faults;
    uintptr_t last;
    struct arch_jmpbuf *abandon; /* if set, leave through it instead of resolving */
};

static void fault_probe_handler(void *owner, uintptr_t addr, void *frame)
{
    struct fault_probe *fp = owner;

    (void)frame;
    fp->faults++;
    fp->last = addr;
    if (fp->abandon) arch_longjmp(fp->abandon, 1);
    vmm_commit((void *)addr, 1, VMM_READ | VMM_WRITE);
}

KTEST(vmm_fault_routed_and_resolved)
{
    struct fault_probe fp = {0};
    void *base;
    volatile uint32_t *p;

    KT_ASSERT_EQ(vmm_reserve(64 * PAGE_SIZE, fault_probe_handler, &fp, &base), 0);
    p = (volatile uint32_t *)((char *)base + 5 * PAGE_SIZE + 12);
    KT_ASSERT_EQ(*p, 0); /* faults once, the handler commits, the load retries */
    *p = 77;
    KT_ASSERT_EQ(*p, 77);
    KT_ASSERT_EQ(fp.faults, 1);
    KT_ASSERT_EQ(fp.last, (uintptr_t)p);
    KT_ASSERT_EQ(vmm_release(base), 0);
}

KTEST(vmm_fault_abandons_code)
{
    struct arch_jmpbuf landing;
    static struct fault_probe fp;
    static void *base;
    volatile uint64_t *p;

    fp = (struct fault_probe){.abandon = &landing};
    KT_ASSERT_EQ(vmm_reserve(16 * PAGE_SIZE, fault_probe_handler, &fp, &base), 0);
    if (arch_setjmp(&landing) == 0) {
        p = (volatile uint64_t *)((char *)base + 3 * PAGE_SIZE);
        *p = 1; /* the future Wasm trap path: the owner never returns to this store */
        ktest_fail(__FILE__, __LINE__, "store into an uncommitted page completed");
        return;
    }
    KT_ASSERT_EQ(fp.faults, 1);
    KT_ASSERT_EQ(fp.last, (uintptr_t)base + 3 * PAGE_SIZE);
    KT_ASSERT_EQ(arch_page_query((uintptr_t)base + 3 * PAGE_SIZE), 0);
    KT_ASSERT_EQ(vmm_release(base), 0);
}

extern char __text_start[], __rodata_start[], __data_start[];

KTEST(vmm_image_is_w_xor_x)
{
    uint32_t text = arch_page_query((uintptr_t)__text_start);
    uint32_t ro = arch_page_query((uintptr_t)__rodata_start);
    uint32_t data = arch_page_query((uintptr_t)__data_start);

    KT_ASSERT((text & ARCH_PAGE_PRESENT) && !(text & ARCH_PAGE_WRITE) && (text & ARCH_PAGE_EXEC));
    KT_ASSERT((ro & ARCH_PAGE_PRESENT) && !(ro & ARCH_PAGE_WRITE) && !(ro & ARCH_PAGE_EXEC));
    KT_ASSERT((data & ARCH_PAGE_PRESENT) && (data & ARCH_PAGE_WRITE) && !(data & ARCH_PAGE_EXEC));
    KT_ASSERT_EQ(arch_page_query(0x100000), 0); /* the boot identity map is gone */
}

KTEST(heap_size_classes)
{
    static uint8_t *blocks[64];
    struct heap_stats before, after;

    heap_get_stats(&before);
    for (int i = 0; i < 64; i++) {
        size_t size = (size_t)1 << (i % 14); /* 1 byte .. 8 KiB */
        blocks[i] = kmalloc(size);
        KT_ASSERT(blocks[i] != NULL);
        KT_ASSERT(((uintptr_t)blocks[i] & 15) == 0);
        for (size_t k = 0; k < size; k++) KT_ASSERT(blocks[i][k] == 0);
        for (size_t k = 0; k < size; k++) blocks[i][k] = (uint8_t)(i + k);
    }
    for (int i = 0; i < 64; i++) {
        size_t size = (size_t)1 << (i % 14);
        for (size_t k = 0; k < size; k++) KT_ASSERT(blocks[i][k] == (uint8_t)(i + k));
        kfree(blocks[i]);
    }
    heap_get_stats(&after);
    KT_ASSERT_EQ(after.live_objects, before.live_objects);
    KT_ASSERT_EQ(after.large_pages, before.large_pages);
}

KTEST(heap_realloc_keeps_contents)
{
    uint8_t *p = kmalloc(24);

    KT_ASSERT(p != NULL);
    for (int i = 0; i < 24; i++) p[i] = (uint8_t)i;
    p = krealloc(p, 5000);
    KT_ASSERT(p != NULL);
    for (int i = 0; i < 24; i++) KT_ASSERT(p[i] == i);
    p = krealloc(p, 100);
    KT_ASSERT(p != NULL && p[23] == 23);
    kfree(p);
}

KTEST_ALONE(heap_double_free)
{
    void *p;

    kmalloc_set_debug(true);
    p = kmalloc(48);
    kfree(p);
    kfree(p); /* must end in "PANIC: heap: double free" */
    ktest_fail(__FILE__, __LINE__, "double free went unnoticed");
}
