/*
 * Device imports (docs/devices.md): IRQ objects, I/O ports, MMIO ranges and DMA buffers.
 * Each use of hardware names a resource handle (kernel/obj/resource.c) that must cover
 * what it touches — the source, the ports, the physical pages, the bytes — and is
 * checked, with the handle's rights, before anything reaches the device: READ to look
 * (port input, a read-only map), WRITE to act (port output, a writable map, binding an
 * interrupt, pinning memory). Outside the resource: TK_ERR_ACCESS, and nothing touched.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/abi.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

/* The resource named by h, borrowed from p's table (the import keeps the handle). */
static int device_resource(struct process *p, tk_handle h, uint32_t rights, struct object **out,
                           uint32_t *have)
{
    return handle_borrow(&p->handles, h, TK_OBJ_RESOURCE, rights, out, have ? have : &rights);
}

/* The *_create imports: an object made from a resource, its handle to *out. */
static int device_create_out(struct process *p, tk_handle res, uint32_t ptr,
                             int (*create)(struct process *p, struct object *res, void *arg,
                                           struct object **out),
                             void *arg)
{
    struct object *r_obj, *o;
    int r;

    if (!abi_mem(p, ptr, sizeof(tk_handle))) return TK_ERR_FAULT;
    if ((r = device_resource(p, res, TK_RIGHT_WRITE, &r_obj, NULL)) < 0) return r;
    if ((r = create(p, r_obj, arg, &o)) < 0) return r;
    r = abi_handle_out(p, o, TK_RIGHTS_ALL, ptr);
    object_unref(o);
    return r;
}

static int irq_make(struct process *p, struct object *res, void *arg, struct object **out)
{
    (void)p;
    return irq_create(res, *(uint32_t *)arg, out);
}

int abi_irq_create(struct process *p, uint64_t *s)
{
    uint32_t source = (uint32_t)s[1];

    s[0] = (uint32_t)device_create_out(p, (uint32_t)s[0], (uint32_t)s[2], irq_make, &source);
    return 0;
}

/* irq_ack and irq_mask: an IRQ handle with WRITE */
static int irq_op(struct process *p, uint64_t *s, void (*op)(struct object *))
{
    struct object *o;
    uint32_t rights;
    int r = handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_IRQ, TK_RIGHT_WRITE, &o, &rights);

    if (r == 0) op(o);
    s[0] = (uint32_t)r;
    return 0;
}

int abi_irq_ack(struct process *p, uint64_t *s)
{
    return irq_op(p, s, irq_ack);
}

int abi_irq_mask(struct process *p, uint64_t *s)
{
    return irq_op(p, s, irq_mask);
}

int abi_irq_info(struct process *p, uint64_t *s)
{
    struct tk_irq_info *out = abi_mem(p, (uint32_t)s[1], sizeof(*out));
    struct object *o;
    uint32_t rights;
    int r;

    if (!out) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    r = handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_IRQ, TK_RIGHT_READ, &o, &rights);
    if (r == 0) irq_info(o, out);
    s[0] = (uint32_t)r;
    return 0;
}

/* [port, port + size) through resource h with `rights`: 0, or why not. */
static int ioport_check(struct process *p, tk_handle h, uint32_t port, uint32_t size,
                        uint32_t rights)
{
    struct object *res;
    int r;

    if ((r = device_resource(p, h, rights, &res, NULL)) < 0) return r;
    if (size != 1 && size != 2 && size != 4) return TK_ERR_INVAL;
    if ((r = resource_check(res, TK_RESOURCE_IOPORT, port, size)) < 0) return r;
    return arch_io_ports() && port + size <= 0x10000 ? 0 : TK_ERR_UNSUPPORTED;
}

int abi_ioport_in(struct process *p, uint64_t *s)
{
    uint32_t port = (uint32_t)s[1], size = (uint32_t)s[2];
    int r = ioport_check(p, (uint32_t)s[0], port, size, TK_RIGHT_READ);

    s[0] = r < 0 ? (uint64_t)(int64_t)r : arch_io_in((uint16_t)port, size);
    return 0;
}

int abi_ioport_out(struct process *p, uint64_t *s)
{
    uint32_t port = (uint32_t)s[1], size = (uint32_t)s[2];
    int r = ioport_check(p, (uint32_t)s[0], port, size, TK_RIGHT_WRITE);

    if (r == 0) arch_io_out((uint16_t)port, size, (uint32_t)s[3]);
    s[0] = (uint32_t)r;
    return 0;
}

int abi_mmio_map(struct process *p, uint64_t *s)
{
    uint64_t phys = s[1], size = (uint32_t)s[2];
    uint32_t offset = (uint32_t)s[3], rights;
    struct object *res;
    int r;

    if ((r = device_resource(p, (uint32_t)s[0], TK_RIGHT_READ, &res, &rights)) < 0) goto out;
    r = TK_ERR_RANGE;
    if (size == 0 || (phys % PAGE_SIZE) || (size % PAGE_SIZE)) goto out;
    if ((r = resource_check(res, TK_RESOURCE_MMIO, phys, size)) < 0) goto out;
    r = TK_ERR_ACCESS; /* whatever the resource says, never memory the kernel has */
    if (pmm_range_is_ram(phys, size)) goto out;
    r = abi_map_pages(p, offset, res, NULL, phys, (uint32_t)(size / PAGE_SIZE),
                      VMM_READ | VMM_UNCACHED | ((rights & TK_RIGHT_WRITE) ? VMM_WRITE : 0));
out:
    s[0] = (uint32_t)r;
    return 0;
}

static int dma_make(struct process *p, struct object *res, void *arg, struct object **out)
{
    return dma_create(res, *(uint32_t *)arg, p->quota, out);
}

int abi_dma_create(struct process *p, uint64_t *s)
{
    uint32_t size = (uint32_t)s[1];

    s[0] = (uint32_t)device_create_out(p, (uint32_t)s[0], (uint32_t)s[2], dma_make, &size);
    return 0;
}

int abi_dma_info(struct process *p, uint64_t *s)
{
    struct tk_dma_info *out = abi_mem(p, (uint32_t)s[1], sizeof(*out));
    struct object *o;
    uint32_t rights, pages;
    int r;

    if (!out) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    r = handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_DMA, TK_RIGHT_READ, &o, &rights);
    if (r == 0) {
        uint64_t phys = dma_phys(o, &pages);
        *out = (struct tk_dma_info){phys, (uint64_t)pages * PAGE_SIZE};
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_dma_map(struct process *p, uint64_t *s)
{
    struct object *o;
    uint32_t rights, pages;
    int r = handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_DMA, TK_RIGHT_READ, &o, &rights);

    if (r == 0) {
        uint64_t phys = dma_phys(o, &pages);
        r = abi_map_pages(p, (uint32_t)s[1], o, NULL, phys, pages,
                          VMM_READ | ((rights & TK_RIGHT_WRITE) ? VMM_WRITE : 0));
    }
    s[0] = (uint32_t)r;
    return 0;
}
