/*
 * Ports: one queue for the signals of many objects, so a server serves many clients
 * from one loop. A watch names an object, the signals of interest and a key; each time
 * one of those signals rises, the watch's pending set grows and the watch joins the
 * port's queue once. Reading takes the first watch's key and pending signals. Packets
 * merge per watch, so the queue is bounded by the watches (TK_PORT_MAX_WATCHES) and
 * delivery never allocates — it runs inside object_signal, possibly in an interrupt.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

struct port {
    struct object obj;
    struct observer *watches;
    struct observer *head, *tail; /* watches with pending signals */
    uint32_t nwatches;
};

bool port_deliver(struct observer *w, uint32_t fired)
{
    struct port *p = (struct port *)w->port;
    bool queued = w->pending != 0;

    w->pending |= fired;
    if (queued) return false;
    w->pending_next = NULL;
    if (p->tail)
        p->tail->pending_next = w;
    else
        p->head = w;
    p->tail = w;
    return true; /* the caller raises READABLE (object_signal's loop, not recursion) */
}

static void unlink_from_object(struct observer *w)
{
    if (!w->obj) return;
    for (struct observer **q = &w->obj->observers; *q; q = &(*q)->obj_next) {
        if (*q == w) {
            *q = w->obj_next;
            break;
        }
    }
    w->obj = NULL;
}

static void unlink_pending(struct port *p, struct observer *w)
{
    struct observer *prev = NULL;

    if (!w->pending) return;
    for (struct observer *q = p->head; q; prev = q, q = q->pending_next) {
        if (q != w) continue;
        if (prev)
            prev->pending_next = q->pending_next;
        else
            p->head = q->pending_next;
        if (p->tail == q) p->tail = prev;
        break;
    }
    w->pending = 0;
    if (!p->head) p->obj.signals &= ~TK_SIGNAL_READABLE;
}

/* A watch's record and its charge go together. */
static void watch_free(struct observer *w)
{
    struct quota *q = w->quota;
    uint32_t charged = w->charged;

    kfree(w);
    quota_release(q, charged);
}

static void port_destroy(struct object *o, struct object **dead)
{
    struct port *p = (struct port *)o;
    struct observer *w;
    uint64_t flags = arch_irq_save();

    (void)dead; /* watches hold no references */
    for (w = p->watches; w; w = w->port_next) unlink_from_object(w);
    w = p->watches;
    p->watches = NULL;
    arch_irq_restore(flags);
    while (w) {
        struct observer *next = w->port_next;
        watch_free(w);
        w = next;
    }
    kfree(p);
}

static const struct object_ops port_ops = {TK_OBJ_PORT, port_destroy};

int port_create(struct object **out)
{
    int r;
    struct port *p = object_alloc(sizeof(*p), &r);

    if (!p) return r;
    object_init(&p->obj, &port_ops);
    *out = &p->obj;
    return 0;
}

int port_watch(struct object *port, struct object *o, uint64_t key, uint32_t signals)
{
    struct port *p = (struct port *)port;
    struct quota *q = quota_current(); /* the watcher pays for its watch */
    struct observer *w;
    uint32_t charged;
    uint64_t flags;
    int r;

    if ((r = quota_hold(q, sizeof(*w), &charged)) < 0) return r;
    if (!(w = kzalloc(sizeof(*w)))) {
        quota_release(q, charged);
        return TK_ERR_NOMEM;
    }
    *w = (struct observer){.obj = o, .port = port, .key = key, .signals = signals};
    w->quota = q;
    w->charged = charged;
    flags = arch_irq_save();
    if (p->nwatches >= TK_PORT_MAX_WATCHES) {
        arch_irq_restore(flags);
        watch_free(w);
        return TK_ERR_LIMIT;
    }
    p->nwatches++;
    w->port_next = p->watches;
    p->watches = w;
    w->obj_next = o->observers;
    o->observers = w;
    if ((o->signals & signals) && port_deliver(w, o->signals & signals))
        object_signal(port, 0, TK_SIGNAL_READABLE); /* still under the lock: nobody read it */
    arch_irq_restore(flags);
    return 0;
}

int port_unwatch(struct object *port, uint64_t key)
{
    struct port *p = (struct port *)port;
    struct observer *gone = NULL;
    uint64_t flags = arch_irq_save();

    for (struct observer **q = &p->watches; *q;) {
        struct observer *w = *q;
        if (w->key != key) {
            q = &w->port_next;
            continue;
        }
        *q = w->port_next;
        unlink_from_object(w);
        unlink_pending(p, w);
        p->nwatches--;
        w->port_next = gone;
        gone = w;
    }
    arch_irq_restore(flags);
    if (!gone) return TK_ERR_NOENT;
    while (gone) {
        struct observer *next = gone->port_next;
        watch_free(gone);
        gone = next;
    }
    return 0;
}

int port_wait(struct object *port, uint64_t deadline_ns, struct tk_port_packet *out)
{
    struct port *p = (struct port *)port;
    uint64_t flags = arch_irq_save();
    int r = 0;

    while (!p->head && (r = waitq_wait(&p->obj.waiters, deadline_ns)) == 0) {
    }
    if (r == 0) {
        struct observer *w = p->head;
        *out = (struct tk_port_packet){.key = w->key, .signals = w->pending};
        unlink_pending(p, w);
    }
    arch_irq_restore(flags);
    return r;
}
