/*
 * The heap's core, portable so the host unit tests run it under ASan: size classes of
 * 16..1024 bytes carved from one-page slabs, and page-granular large allocations. It gets
 * pages and reports corruption through the hooks below, which the kernel (kmalloc.c)
 * and the tests provide.
 *
 *   slab page:  | header (64 bytes) | object | object | ... |
 *   large:      | header (64 bytes) | payload ...            |   (npages pages)
 *
 * Every pointer the heap returns is 16-byte aligned and lies in the first page of its
 * block, so `ptr & ~4095` finds the header.
 */
#ifndef TAKARA_KERNEL_MM_HEAP_H
#define TAKARA_KERNEL_MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>

#define HEAP_PAGE      4096u
#define HEAP_HEADER    64u
#define HEAP_MAX_SMALL 1024u
#define HEAP_POISON    0x6b

/* Hooks: one zeroed page / n contiguous zeroed pages (page-aligned), and their return. */
void *heap_page_alloc(void);
void heap_page_free(void *page);
void *heap_pages_alloc(size_t npages);
void heap_pages_free(void *pages, size_t npages);
/* Called on detected misuse (double free, foreign pointer, write after free). */
void heap_corruption(const char *what, const void *ptr);

void *heap_alloc(size_t size);
void heap_free(void *ptr);
void *heap_realloc(void *ptr, size_t size);
size_t heap_usable_size(const void *ptr);
/* What heap_alloc(size) takes from the machine: its slot's class, or its whole pages
 * (what quotas charge, kernel/obj/quota.c). */
size_t heap_block_bytes(size_t size);
void heap_set_debug(bool on);

struct heap_stats {
    size_t slab_pages, large_pages, live_objects;
};
void heap_get_stats(struct heap_stats *out);

#endif
