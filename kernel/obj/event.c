/*
 * Events: an object whose only state is its user signal (TK_SIGNAL_SIGNALED), set and
 * cleared through object_signal by holders of TK_RIGHT_SIGNAL, waited on by others.
 */
#include <takara/error.h>

#include "kernel/mm.h"
#include "kernel/obj.h"

static void event_destroy(struct object *o, struct object **dead)
{
    (void)dead;
    kfree(o);
}

static const struct object_ops event_ops = {TK_OBJ_EVENT, event_destroy};

int event_create(struct object **out)
{
    int r;
    struct object *o = object_alloc(sizeof(*o), &r);

    if (!o) return r;
    object_init(o, &event_ops);
    *out = o;
    return 0;
}
