/*
 * The object core: reference counts, koids, signals and waiting on them. See obj.h.
 */
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

static uint64_t next_koid = 1;
static uint32_t live_objects;

void object_init(struct object *o, const struct object_ops *ops)
{
    uint64_t flags = cpu_irq_save();

    o->ops = ops;
    o->refs = 1;
    o->signals = 0;
    o->koid = next_koid++;
    o->observers = NULL;
    waitq_init(&o->waiters);
    live_objects++;
    cpu_irq_restore(flags);
}

void *object_alloc(size_t size, int *err)
{
    struct quota *q = quota_current();
    struct object *o;
    uint32_t charged;

    if ((*err = quota_hold(q, size, &charged)) < 0) return NULL;
    if (!(o = kzalloc(size))) {
        quota_release(q, charged);
        *err = TK_ERR_NOMEM;
        return NULL;
    }
    o->quota = q;
    o->charged = charged;
    return o;
}

void object_alloc_undo(void *o)
{
    struct object *obj = o;

    if (!obj) return;
    quota_release(obj->quota, obj->charged);
    kfree(obj);
}

void object_ref(struct object *o)
{
    uint64_t flags = cpu_irq_save();

    o->refs++;
    cpu_irq_restore(flags);
}

void object_unref(struct object *o)
{
    uint64_t flags = cpu_irq_save();
    bool last = --o->refs == 0;

    if (last) {
        live_objects--;
        for (struct observer *w = o->observers; w; w = w->obj_next) w->obj = NULL;
        o->observers = NULL; /* the ports keep their watches, now on nothing */
    }
    cpu_irq_restore(flags);
    if (last) {
        struct quota *q = o->quota; /* o is gone after its teardown */
        uint32_t charged = o->charged;
        o->ops->destroy(o);
        quota_release(q, charged);
    }
}

void object_signal(struct object *o, uint32_t clear, uint32_t set)
{
    uint64_t flags = cpu_irq_save();
    uint32_t before = o->signals;

    o->signals = (o->signals & ~clear) | set;
    for (struct observer *w = o->observers; w; w = w->obj_next)
        if (o->signals & ~before & w->signals) port_deliver(w, o->signals & w->signals);
    waitq_wake_all(&o->waiters);
    cpu_irq_restore(flags);
}

int object_wait(struct object *o, uint32_t want, uint64_t deadline_ns, uint32_t *observed)
{
    uint64_t flags = cpu_irq_save();
    int r = 0;

    while (!(o->signals & want) && (r = waitq_wait(&o->waiters, deadline_ns)) == 0) {
    }
    *observed = o->signals;
    cpu_irq_restore(flags);
    return r;
}

uint32_t object_count(void)
{
    return live_objects;
}
