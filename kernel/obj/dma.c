/*
 * DMA buffers: physically contiguous pages, pinned for the object's whole life, whose
 * physical address is the bus address a device is told to read or write (no IOMMU yet:
 * bus and physical addresses are the same). The holder maps them into its linear memory
 * (abi_device.c) to fill or read what the device sees. Creating one needs a DMA resource
 * at least as large as the buffer; its pages are charged to the creator's page budget,
 * like a memory object's (quota.c), and its record to its heap budget. Buffers lie below
 * 4 GiB so that 32-bit devices reach them.
 */
#include <takara/error.h>

#include "kernel/mm.h"
#include "kernel/obj.h"

#define DMA_BELOW (4ull << 30)

struct dma {
    struct object obj;
    struct quota *quota; /* NULL: charged to no one */
    uint64_t phys;
    uint32_t pages;
};

static void dma_destroy(struct object *o, struct object **dead)
{
    struct dma *d = (struct dma *)o;

    (void)dead;
    for (uint32_t i = 0; i < d->pages; i++) pmm_free_page(d->phys + i * PAGE_SIZE);
    if (d->quota) {
        quota_uncharge_pages(d->quota, d->pages);
        quota_unref(d->quota);
    }
    kfree(d);
}

static const struct object_ops dma_ops = {TK_OBJ_DMA, dma_destroy};

int dma_create(struct object *resource, uint64_t bytes, struct quota *quota, struct object **out)
{
    uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE, phys;
    struct tk_resource_info grant;
    struct dma *d;
    int r;

    /* a DMA resource is an amount (its size), wherever its range starts */
    resource_info(resource, &grant);
    if (grant.kind != TK_RESOURCE_DMA || pages * PAGE_SIZE > grant.size) return TK_ERR_ACCESS;
    if (bytes == 0 || bytes > TK_DMA_MAX_BYTES) return TK_ERR_RANGE;
    if ((r = quota_charge_pages(quota, pages)) < 0) return r;
    if (!(d = object_alloc(sizeof(*d), &r))) goto out_pages;
    r = pmm_alloc_contiguous(pages, DMA_BELOW, &phys);
    if (r < 0) goto out_record;
    object_init(&d->obj, &dma_ops);
    d->phys = phys;
    d->pages = (uint32_t)pages;
    d->quota = quota; /* charged above; the teardown gives it back */
    if (quota) quota_ref(quota);
    *out = &d->obj;
    return 0;
out_record:
    object_alloc_undo(d);
out_pages:
    quota_uncharge_pages(quota, pages);
    return r;
}

uint64_t dma_phys(struct object *o, uint32_t *pages)
{
    struct dma *d = (struct dma *)o;

    *pages = d->pages;
    return d->phys;
}
