/*
 * Resources: authority as an object. A resource names a kind of thing the kernel guards
 * (the console, power, code loading, interrupt lines, I/O ports, physical MMIO, DMA
 * memory) and, for the kinds that have one, a range of it. The kernel mints the roots
 * at boot; everything else is derived from them and only ever narrower, so whoever
 * holds a resource can pass on part of its authority but never more than it has. An
 * import that needs authority fetches the resource handle with handle_get and asks
 * resource_check whether it covers what the call touches.
 */
#include <takara/error.h>

#include "kernel/mm.h"
#include "kernel/obj.h"

struct resource {
    struct object obj;
    uint32_t kind; /* enum tk_resource_kind */
    uint64_t base, size;
};

static bool resource_kind_ranged(uint32_t kind)
{
    return kind == TK_RESOURCE_IRQ || kind == TK_RESOURCE_IOPORT || kind == TK_RESOURCE_MMIO ||
           kind == TK_RESOURCE_DMA;
}

static void resource_destroy(struct object *o, struct object **dead)
{
    (void)dead;
    kfree(o);
}

static const struct object_ops resource_ops = {TK_OBJ_RESOURCE, resource_destroy};

static const struct resource *resource_of(const struct object *o)
{
    return o->ops == &resource_ops ? (const struct resource *)o : NULL;
}

int resource_create(uint32_t kind, uint64_t base, uint64_t size, struct object **out)
{
    struct resource *res;
    int r;

    if (kind < TK_RESOURCE_CONSOLE || kind > TK_RESOURCE_DMA) return TK_ERR_INVAL;
    if (resource_kind_ranged(kind) ? size == 0 || base + size < base : base || size)
        return TK_ERR_RANGE;
    if (!(res = object_alloc(sizeof(*res), &r))) return r;
    object_init(&res->obj, &resource_ops);
    res->kind = kind;
    res->base = base;
    res->size = size;
    *out = &res->obj;
    return 0;
}

int resource_check(const struct object *o, uint32_t kind, uint64_t base, uint64_t size)
{
    const struct resource *res = resource_of(o);

    if (!res || res->kind != kind) return TK_ERR_ACCESS;
    if (!resource_kind_ranged(kind)) return 0;
    /* [base, base + size) inside [res->base, res->base + res->size), without overflow */
    if (base < res->base || base - res->base > res->size || size > res->size - (base - res->base))
        return TK_ERR_ACCESS;
    return 0;
}

int resource_derive(struct object *parent, uint64_t base, uint64_t size, struct object **out)
{
    const struct resource *res = resource_of(parent);
    int r;

    if (!res) return TK_ERR_WRONG_TYPE;
    if (resource_kind_ranged(res->kind) && size == 0) return TK_ERR_RANGE;
    if ((r = resource_check(parent, res->kind, base, size)) < 0) return r;
    return resource_create(res->kind, base, size, out);
}

void resource_info(const struct object *o, struct tk_resource_info *out)
{
    const struct resource *res = resource_of(o);

    *out =
        (struct tk_resource_info){res ? res->kind : 0, 0, res ? res->base : 0, res ? res->size : 0};
}
