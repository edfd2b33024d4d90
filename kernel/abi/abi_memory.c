/*
 * Memory-object imports: create, map into the caller's linear memory, unmap. A mapping
 * replaces the pages of a 4 KiB-aligned range of the memory with the object's own, so
 * every process mapping it shares them. Only guard-mode memories (a reservation of
 * their own) can do this; bounds-checked ones live in heap blocks. The device objects'
 * maps (MMIO ranges, DMA buffers: abi_device.c) go through the same abi_map_pages, and
 * memory_unmap undoes any of them.
 */
#include <stdbool.h>
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "lib/string.h"

int32_t abi_memory_create(struct process *p, uint32_t pages, tk_handle *out)
{
    struct object *o;
    int r;

    if ((r = memory_object_create(pages, p->quota, &o)) == 0) {
        r = abi_handle_install(p, o, TK_RIGHTS_ALL, out);
        object_unref(o);
    }
    return r;
}

static bool mapping_overlaps(const struct process *p, uint32_t offset, uint32_t bytes)
{
    for (const struct mapping *m = p->mappings; m; m = m->next)
        if (offset < m->offset + m->bytes && m->offset < offset + bytes) return true;
    return false;
}

int abi_map_pages(struct process *p, uint32_t offset, struct object *o, const uint64_t *frames,
                  uint64_t phys, uint32_t pages, int prot)
{
    uint64_t bytes = (uint64_t)pages * TK_MEMORY_PAGE;
    struct mapping *m;
    int r;

    if (strcmp(wasm_memory_mode(), "guard") != 0) return TK_ERR_UNSUPPORTED;
    if ((offset % TK_MEMORY_PAGE) || !p->memory || offset + bytes > wasm_memory_size(p->memory) ||
        mapping_overlaps(p, offset, (uint32_t)bytes))
        return TK_ERR_RANGE;
    if (!(m = proc_mapping_new(p, &r))) return r;
    r = frames ? vmm_borrow(wasm_memory_data(p->memory) + offset, frames, pages, prot)
               : vmm_borrow_phys(wasm_memory_data(p->memory) + offset, phys, pages, prot);
    if (r < 0) {
        proc_mapping_free(p, m);
        return r;
    }
    object_ref(o); /* the mapping keeps a reference of its own */
    *m = (struct mapping){p->mappings, o, offset, (uint32_t)bytes, (prot & VMM_WRITE) != 0};
    p->mappings = m;
    return 0;
}

int32_t abi_memory_map(struct process *p, struct object *h, uint32_t h_rights, uint32_t offset)
{
    uint32_t pages;
    const uint64_t *frames = memory_object_frames(h, &pages);

    return abi_map_pages(p, offset, h, frames, 0, pages,
                         VMM_READ | ((h_rights & TK_RIGHT_WRITE) ? VMM_WRITE : 0));
    return 0;
}

int32_t abi_memory_unmap(struct process *p, uint32_t offset)
{
    struct mapping **q = &p->mappings, *m;
    int r;

    while (*q && (*q)->offset != offset) q = &(*q)->next;
    if (!(m = *q)) return TK_ERR_NOENT;
    r = vmm_unborrow(wasm_memory_data(p->memory) + offset, m->bytes / TK_MEMORY_PAGE);
    if (r == 0) {
        *q = m->next;
        proc_mapping_free(p, m);
    }
    return r;
}
