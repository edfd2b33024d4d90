/*
 * Imports on resources (kernel/obj/resource.c): deriving a narrower one to pass on, and
 * reading what one grants. The imports that use a resource's authority live with the
 * thing they guard.
 */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/obj.h"

int32_t abi_resource_derive(struct process *p, struct object *parent, uint32_t parent_rights,
                            uint64_t base, uint64_t size, tk_handle *out)
{
    struct object *child;
    int r = resource_derive(parent, base, size, &child);

    if (r == 0) {
        r = abi_handle_install(p, child, parent_rights, out);
        object_unref(child);
    }
    return r;
}

int32_t abi_resource_info(struct process *p, struct object *h, uint32_t h_rights,
                          struct tk_resource_info *out)
{
    (void)p;
    (void)h_rights;
    resource_info(h, out);
    return 0;
}
