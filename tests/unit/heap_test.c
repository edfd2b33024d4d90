/* The heap core on host pages, with the corruption hook recording instead of panicking. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/heap.h"
#include "tests/unit/unit.h"

static int corruptions, pages_out;
static const char *last_corruption;

void *heap_page_alloc(void)
{
    void *p = aligned_alloc(HEAP_PAGE, HEAP_PAGE);
    if (p) {
        memset(p, 0, HEAP_PAGE);
        pages_out++;
    }
    return p;
}

void heap_page_free(void *page)
{
    pages_out--;
    free(page);
}

void *heap_pages_alloc(size_t npages)
{
    void *p = aligned_alloc(HEAP_PAGE, npages * HEAP_PAGE);
    if (p) {
        memset(p, 0, npages * HEAP_PAGE);
        pages_out += (int)npages;
    }
    return p;
}

void heap_pages_free(void *pages, size_t npages)
{
    pages_out -= (int)npages;
    free(pages);
}

void heap_corruption(const char *what, const void *ptr)
{
    (void)ptr;
    corruptions++;
    last_corruption = what;
}

TEST(heap_every_size_roundtrip)
{
    static uint8_t *p[3000];
    struct heap_stats s0, s1;

    heap_get_stats(&s0);
    for (int i = 0; i < 3000; i++) {
        size_t size = (size_t)(i * 7 % 5000) + 1;
        p[i] = heap_alloc(size);
        CHECK(p[i] != NULL);
        CHECK(((uintptr_t)p[i] & 15) == 0);
        CHECK(heap_usable_size(p[i]) >= size);
        /* what quotas charge: the slot's class, or the block's whole pages */
        CHECK(heap_block_bytes(size) ==
              (size <= HEAP_MAX_SMALL
                   ? heap_usable_size(p[i])
                   : (size + HEAP_HEADER + HEAP_PAGE - 1) / HEAP_PAGE * HEAP_PAGE));
        memset(p[i], i & 0xff, size);
    }
    for (int i = 0; i < 3000; i++) {
        size_t size = (size_t)(i * 7 % 5000) + 1;
        for (size_t k = 0; k < size; k++) CHECK(p[i][k] == (uint8_t)(i & 0xff));
    }
    for (int i = 2999; i >= 0; i -= 2) heap_free(p[i]);
    for (int i = 2998; i >= 0; i -= 2) heap_free(p[i]);
    heap_get_stats(&s1);
    CHECK_EQ(s1.live_objects, s0.live_objects);
    CHECK_EQ(s1.large_pages, s0.large_pages);
    CHECK(s1.slab_pages <= 7); /* at most one cached slab per class */
    CHECK_EQ(corruptions, 0);
}

TEST(heap_realloc_and_zeroing)
{
    uint8_t *p = heap_alloc(10);

    CHECK(p != NULL);
    memcpy(p, "abcdefghij", 10);
    p = heap_realloc(p, 3000);
    CHECK(p != NULL && memcmp(p, "abcdefghij", 10) == 0);
    p = heap_realloc(p, 5);
    CHECK(p != NULL && memcmp(p, "abcde", 5) == 0);
    heap_free(p);
    p = heap_alloc(64);
    for (int i = 0; i < 64; i++) CHECK(p[i] == 0);
    heap_free(p);
    CHECK(heap_alloc(SIZE_MAX) == NULL);
}

TEST(heap_debug_detects_misuse)
{
    uint8_t *p, *q, *big;

    heap_set_debug(true);
    corruptions = 0;
    p = heap_alloc(40);
    heap_free(p);
    heap_free(p);
    CHECK_EQ(corruptions, 1);
    CHECK_STR(last_corruption, "double free");

    q = heap_alloc(40);
    heap_free(q + 16);
    CHECK_EQ(corruptions, 2);
    heap_free(q);

    /* write after free: noticed when the slot is handed out again */
    q = heap_alloc(100);
    heap_free(q);
    q[50] = 1;
    p = heap_alloc(100);
    CHECK_EQ(corruptions, 3);
    CHECK_STR(last_corruption, "object modified after free");
    heap_free(p);

    big = heap_alloc(20000);
    heap_free(big + 64);
    CHECK_EQ(corruptions, 4);
    heap_free(big);
    CHECK_EQ(corruptions, 4);
    heap_set_debug(false);
}
