/*
 * Imports on resources (kernel/obj/resource.c): deriving a narrower one to pass on, and
 * reading what one grants. The imports that use a resource's authority live with the
 * thing they guard.
 */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/obj.h"

int abi_resource_derive(struct process *p, uint64_t *s)
{
    uint32_t out = (uint32_t)s[3], rights;
    struct object *parent, *child = NULL;
    int r;

    if (!abi_mem(p, out, sizeof(tk_handle))) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_RESOURCE, TK_RIGHT_DUPLICATE, &parent,
                   &rights);
    if (r == 0) {
        r = resource_derive(parent, s[1], s[2], &child);
        object_unref(parent);
    }
    if (r == 0) {
        r = abi_handle_out(p, child, rights, out);
        object_unref(child);
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_resource_info(struct process *p, uint64_t *s)
{
    struct tk_resource_info *out = abi_mem(p, (uint32_t)s[1], sizeof(*out));
    struct object *o;
    int r;

    if (!out) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if ((r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_RESOURCE, 0, &o, NULL)) == 0) {
        resource_info(o, out);
        object_unref(o);
    }
    s[0] = (uint32_t)r;
    return 0;
}
