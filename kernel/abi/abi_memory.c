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

int abi_memory_create(struct process *p, uint64_t *s)
{
    uint32_t ptr = (uint32_t)s[1];
    struct object *o;
    int r;

    if (!abi_mem(p, ptr, sizeof(tk_handle))) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if ((r = memory_object_create((uint32_t)s[0], p->quota, &o)) == 0) {
        r = abi_handle_out(p, o, TK_RIGHTS_ALL, ptr);
        object_unref(o);
    }
    s[0] = (uint32_t)r;
    return 0;
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
    object_ref(o);
    *m = (struct mapping){p->mappings, o, offset, (uint32_t)bytes, (prot & VMM_WRITE) != 0};
    p->mappings = m;
    return 0;
}

int abi_memory_map(struct process *p, uint64_t *s)
{
    uint32_t pages, rights;
    struct object *o;
    const uint64_t *frames;
    int r;

    if (strcmp(wasm_memory_mode(), "guard") != 0) {
        s[0] = (uint32_t)TK_ERR_UNSUPPORTED;
        return 0;
    }
    if ((r = handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_MEMORY, TK_RIGHT_READ, &o,
                           &rights)) == 0) {
        frames = memory_object_frames(o, &pages);
        r = abi_map_pages(p, (uint32_t)s[1], o, frames, 0, pages,
                          VMM_READ | ((rights & TK_RIGHT_WRITE) ? VMM_WRITE : 0));
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_memory_unmap(struct process *p, uint64_t *s)
{
    uint32_t offset = (uint32_t)s[0];
    struct mapping **q = &p->mappings, *m;
    int r;

    while (*q && (*q)->offset != offset) q = &(*q)->next;
    if (!(m = *q)) {
        s[0] = (uint32_t)TK_ERR_NOENT;
        return 0;
    }
    r = vmm_unborrow(wasm_memory_data(p->memory) + offset, m->bytes / TK_MEMORY_PAGE);
    if (r == 0) {
        *q = m->next;
        proc_mapping_free(p, m);
    }
    s[0] = (uint32_t)r;
    return 0;
}
