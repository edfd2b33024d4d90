/*
 * The object core: reference counts, koids, signals and waiting on them. See obj.h.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

static uint64_t next_koid = 1;
static uint32_t live_objects;

void object_init(struct object *o, const struct object_ops *ops)
{
    uint64_t flags = arch_irq_save();

    o->ops = ops;
    o->refs = 1;
    o->signals = 0;
    o->koid = next_koid++;
    o->observers = NULL;
    o->dead_next = o->signal_next = NULL;
    o->signal_queued = false;
    waitq_init(&o->waiters);
    live_objects++;
    arch_irq_restore(flags);
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
    uint64_t flags = arch_irq_save();

    o->refs++;
    arch_irq_restore(flags);
}

/* Interrupts off: drops a reference, true if it was the last. The object is then out of
 * everyone's reach: watches on it are cut loose (the ports keep them, now on nothing). */
static bool object_release(struct object *o)
{
    if (--o->refs) return false;
    live_objects--;
    for (struct observer *w = o->observers; w; w = w->obj_next) w->obj = NULL;
    o->observers = NULL;
    return true;
}

void object_drop(struct object *o, struct object **dead)
{
    uint64_t flags = arch_irq_save();

    if (object_release(o)) {
        o->dead_next = *dead;
        *dead = o;
    }
    arch_irq_restore(flags);
}

void object_unref(struct object *o)
{
    struct object *dead = NULL;

    /* Objects hold objects (a channel's queued messages carry handles, which may be
     * channels with queues of their own, to any depth a module likes): each teardown
     * puts what it released on the list instead of recursing. The list is intrusive,
     * so this takes neither stack nor memory in proportion to the chain. */
    object_drop(o, &dead);
    while ((o = dead)) {
        struct quota *q = o->quota; /* o is gone after its teardown */
        uint32_t charged = o->charged;

        dead = o->dead_next;
        o->ops->destroy(o, &dead);
        quota_release(q, charged);
    }
}

/* Interrupts off: o's signals change, its waiters wake, and each port whose watch on o
 * fired and must now raise READABLE joins *raise (once: signal_queued). */
static void signal_apply(struct object *o, uint32_t clear, uint32_t set, struct object **raise)
{
    uint32_t before = o->signals;

    o->signals = (o->signals & ~clear) | set;
    for (struct observer *w = o->observers; w; w = w->obj_next) {
        if (!(o->signals & ~before & w->signals)) continue;
        if (port_deliver(w, o->signals & w->signals) && !w->port->signal_queued) {
            w->port->signal_queued = true;
            w->port->signal_next = *raise;
            *raise = w->port;
        }
    }
    waitq_wake_all(&o->waiters);
}

void object_signal(struct object *o, uint32_t clear, uint32_t set)
{
    uint64_t flags = arch_irq_save();
    struct object *raise = NULL;

    /* Ports watch ports: a signal may run down a chain of any length a module built,
     * also inside the clock's tick (timers). One loop over the ports to raise, each at
     * most once per rising edge of its READABLE, keeps the stack flat. */
    signal_apply(o, clear, set, &raise);
    while ((o = raise)) {
        raise = o->signal_next;
        o->signal_queued = false;
        signal_apply(o, 0, TK_SIGNAL_READABLE, &raise);
    }
    arch_irq_restore(flags);
}

int object_wait(struct object *o, uint32_t want, uint64_t deadline_ns, uint32_t *observed)
{
    uint64_t flags = arch_irq_save();
    int r = 0;

    while (!(o->signals & want) && (r = waitq_wait(&o->waiters, deadline_ns)) == 0) {
    }
    *observed = o->signals;
    arch_irq_restore(flags);
    return r;
}

uint32_t object_count(void)
{
    return live_objects;
}
