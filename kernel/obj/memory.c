/*
 * Memory objects: physical pages owned by an object, which processes map into their
 * linear memories (kernel/abi/abi_memory.c) so that two of them see the same bytes —
 * zero-copy bulk data for drivers and the network stack. The pages are freed with the
 * object, which each mapping keeps alive. The pages are charged to the creator's quota
 * (quota.c) for the object's whole life: its page budget, and the record its heap budget.
 */
#include <takara/error.h>

#include "kernel/mm.h"
#include "kernel/obj.h"

struct memory_object {
    struct object obj;
    struct quota *quota; /* NULL: charged to no one */
    uint32_t pages;
    uint64_t frames[]; /* physical addresses */
};

static void memory_object_destroy(struct object *o, struct object **dead)
{
    struct memory_object *m = (struct memory_object *)o;

    (void)dead;

    for (uint32_t i = 0; i < m->pages; i++)
        if (m->frames[i]) pmm_free_page(m->frames[i]);
    if (m->quota) {
        quota_uncharge_pages(m->quota, m->pages);
        quota_unref(m->quota);
    }
    kfree(m);
}

static const struct object_ops memory_object_ops = {TK_OBJ_MEMORY, memory_object_destroy};

int memory_object_create(uint32_t pages, struct quota *quota, struct object **out)
{
    struct memory_object *m;
    int r;

    if (pages == 0 || pages > TK_MEMORY_MAX_PAGES) return TK_ERR_RANGE;
    /* the pages against the page budget (and the reserve, quota.c); the record, the
     * caller's heap budget (object_alloc) */
    if ((r = quota_charge_pages(quota, pages)) < 0) return r;
    if (!(m = object_alloc(sizeof(*m) + pages * sizeof(m->frames[0]), &r))) {
        quota_uncharge_pages(quota, pages);
        return r;
    }
    object_init(&m->obj, &memory_object_ops);
    m->pages = pages;
    m->quota = quota; /* charged above; from here the object's teardown gives it back */
    if (quota) quota_ref(quota);
    for (uint32_t i = 0; i < pages; i++) {
        if (pmm_alloc_page(&m->frames[i]) < 0) { /* zeroed by the allocator */
            object_unref(&m->obj);
            return TK_ERR_NOMEM;
        }
    }
    *out = &m->obj;
    return 0;
}

const uint64_t *memory_object_frames(struct object *o, uint32_t *pages)
{
    struct memory_object *m = (struct memory_object *)o;

    *pages = m->pages;
    return m->frames;
}
