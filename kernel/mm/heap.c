/*
 * Heap core (heap.h). Each size class keeps a list of slabs with free slots; a slab that
 * becomes empty is returned unless it is the class's last. In slabs made in debug mode a
 * freed object is filled with HEAP_POISON (beyond its free-list link) and checked when
 * handed out again; a per-slab bitmap always tells a double free from a first one.
 */
#include "kernel/mm/heap.h"

#include <stdint.h>

#include "lib/string.h"

#define HEAP_NCLASSES 7 /* 16, 32, ..., 1024 */
#define SLAB_MAGIC    0x51ab51ab
#define LARGE_MAGIC   0x1a26e1a2

struct slab {
    uint32_t magic;
    uint8_t cls;
    bool debug; /* created in debug mode: its free slots carry the poison */
    uint16_t nfree;
    struct slab *next, *prev; /* in the class's list of slabs with free slots */
    void *free_list;
    uint64_t allocated[4]; /* one bit per slot: 256 slots of 16 bytes at most */
};

struct large {
    uint32_t magic;
    uint32_t reserved;
    size_t npages, size;
};

_Static_assert(sizeof(struct slab) <= HEAP_HEADER, "slab header fits");
_Static_assert(sizeof(struct large) <= HEAP_HEADER, "large header fits");

static struct slab *partial[HEAP_NCLASSES];
static size_t nslabs[HEAP_NCLASSES];
static bool heap_debug;
static struct heap_stats stats;

static size_t class_size(unsigned cls)
{
    return (size_t)16 << cls;
}

static unsigned class_of(size_t size)
{
    unsigned cls = 0;

    while (class_size(cls) < size) cls++;
    return cls;
}

static size_t slab_slots(unsigned cls)
{
    return (HEAP_PAGE - HEAP_HEADER) / class_size(cls);
}

/* Turning debug on poisons the free slots of every slab with free slots, so those
 * slabs are checked from now on too; slabs that are full stay unchecked. */
void heap_set_debug(bool on)
{
    heap_debug = on;
    for (unsigned cls = 0; cls < HEAP_NCLASSES; cls++) {
        for (struct slab *s = partial[cls]; s; s = s->next) {
            if (!on || s->debug) {
                s->debug = on;
                continue;
            }
            for (void **o = s->free_list; o; o = *o)
                memset(o + 1, HEAP_POISON, class_size(cls) - sizeof(void *));
            s->debug = true;
        }
    }
}

static void slab_unlink(struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        partial[s->cls] = s->next;
    if (s->next) s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static void slab_link(struct slab *s)
{
    s->prev = NULL;
    s->next = partial[s->cls];
    if (s->next) s->next->prev = s;
    partial[s->cls] = s;
}

static struct slab *slab_new(unsigned cls)
{
    struct slab *s = heap_page_alloc();
    size_t n = slab_slots(cls), size = class_size(cls);
    uint8_t *obj;

    if (!s) return NULL;
    *s = (struct slab){
        .magic = SLAB_MAGIC, .cls = (uint8_t)cls, .nfree = (uint16_t)n, .debug = heap_debug};
    obj = (uint8_t *)s + HEAP_HEADER;
    for (size_t i = n; i-- > 0;) {
        void *o = obj + i * size;
        if (s->debug) memset(o, HEAP_POISON, size);
        *(void **)o = s->free_list;
        s->free_list = o;
    }
    nslabs[cls]++;
    stats.slab_pages++;
    slab_link(s);
    return s;
}

static size_t slab_index(const struct slab *s, const void *ptr)
{
    return (size_t)((const uint8_t *)ptr - ((const uint8_t *)s + HEAP_HEADER)) / class_size(s->cls);
}

static void *slab_alloc(unsigned cls)
{
    struct slab *s = partial[cls] ? partial[cls] : slab_new(cls);
    void *o;
    size_t i;

    if (!s) return NULL;
    o = s->free_list;
    s->free_list = *(void **)o;
    if (s->debug) {
        const uint8_t *p = o;
        for (size_t k = sizeof(void *); k < class_size(cls); k++)
            if (p[k] != HEAP_POISON) {
                heap_corruption("object modified after free", o);
                break;
            }
    }
    i = slab_index(s, o);
    s->allocated[i / 64] |= 1ull << (i % 64);
    if (--s->nfree == 0) slab_unlink(s);
    memset(o, 0, class_size(cls));
    stats.live_objects++;
    return o;
}

static void slab_free(struct slab *s, void *ptr)
{
    size_t off = (size_t)((uint8_t *)ptr - ((uint8_t *)s + HEAP_HEADER));
    size_t size = class_size(s->cls), i = off / size;

    if ((uintptr_t)ptr < (uintptr_t)s + HEAP_HEADER || off % size || i >= slab_slots(s->cls)) {
        heap_corruption("free of a pointer inside an object", ptr);
        return;
    }
    if (!(s->allocated[i / 64] & (1ull << (i % 64)))) {
        heap_corruption("double free", ptr);
        return;
    }
    s->allocated[i / 64] &= ~(1ull << (i % 64));
    if (s->debug) memset(ptr, HEAP_POISON, size);
    *(void **)ptr = s->free_list;
    s->free_list = ptr;
    stats.live_objects--;
    if (s->nfree++ == 0) slab_link(s);
    if (s->nfree == slab_slots(s->cls) && nslabs[s->cls] > 1) {
        slab_unlink(s);
        nslabs[s->cls]--;
        stats.slab_pages--;
        s->magic = 0;
        heap_page_free(s);
    }
}

void *heap_alloc(size_t size)
{
    size_t npages;
    struct large *l;

    if (size == 0) size = 1;
    if (size <= HEAP_MAX_SMALL) return slab_alloc(class_of(size));
    if (size > SIZE_MAX - HEAP_HEADER - HEAP_PAGE) return NULL;
    npages = (size + HEAP_HEADER + HEAP_PAGE - 1) / HEAP_PAGE;
    l = heap_pages_alloc(npages);
    if (!l) return NULL;
    *l = (struct large){.magic = LARGE_MAGIC, .npages = npages, .size = size};
    stats.large_pages += npages;
    stats.live_objects++;
    return (uint8_t *)l + HEAP_HEADER;
}

/* The header of the block holding ptr, after checking it is one of ours. */
static uint32_t heap_block_magic(const void *ptr, void **header)
{
    *header = (void *)((uintptr_t)ptr & ~(uintptr_t)(HEAP_PAGE - 1));
    return *(const uint32_t *)*header;
}

void heap_free(void *ptr)
{
    void *h;

    if (!ptr) return;
    switch (heap_block_magic(ptr, &h)) {
    case SLAB_MAGIC: slab_free(h, ptr); return;
    case LARGE_MAGIC: {
        struct large *l = h;
        if ((uint8_t *)ptr != (uint8_t *)l + HEAP_HEADER) {
            heap_corruption("free of a pointer inside an object", ptr);
            return;
        }
        l->magic = 0; /* a second free now finds no header: detected as foreign */
        stats.large_pages -= l->npages;
        stats.live_objects--;
        heap_pages_free(l, l->npages);
        return;
    }
    default: heap_corruption("free of a pointer the heap does not own (or double free)", ptr);
    }
}

size_t heap_usable_size(const void *ptr)
{
    void *h;

    switch (heap_block_magic(ptr, &h)) {
    case SLAB_MAGIC: return class_size(((struct slab *)h)->cls);
    case LARGE_MAGIC: return ((struct large *)h)->size;
    default: heap_corruption("size of a pointer the heap does not own", ptr); return 0;
    }
}

size_t heap_block_bytes(size_t size)
{
    /* class_size(class_of(size)) without the loop: quotas ask on every charge */
    if (size <= 16) return 16;
    if (size <= HEAP_MAX_SMALL) return (size_t)1 << (64 - __builtin_clzll(size - 1));
    if (size > SIZE_MAX - HEAP_HEADER - HEAP_PAGE) return SIZE_MAX;
    return (size + HEAP_HEADER + HEAP_PAGE - 1) / HEAP_PAGE * HEAP_PAGE;
}

void *heap_realloc(void *ptr, size_t size)
{
    size_t old;
    void *n;

    if (!ptr) return heap_alloc(size);
    old = heap_usable_size(ptr);
    if (size <= old && (old <= HEAP_MAX_SMALL || size > HEAP_MAX_SMALL)) return ptr;
    n = heap_alloc(size);
    if (!n) return NULL;
    memcpy(n, ptr, old < size ? old : size);
    heap_free(ptr);
    return n;
}

void heap_get_stats(struct heap_stats *out)
{
    *out = stats;
}
