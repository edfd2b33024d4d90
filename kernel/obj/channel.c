/*
 * Channels: two endpoints, each with a bounded queue of whole messages written by the
 * other. A message is bytes (up to 64 KiB) and handles (up to 64: object references
 * with rights, moved out of the writer's table). Signals of an endpoint: READABLE while
 * its queue holds a message, WRITABLE while the peer's queue has room, PEER_CLOSED once
 * the peer is gone — queued messages stay readable after that.
 *
 *   endpoint A            endpoint B
 *   queue: msgs B wrote   queue: msgs A wrote       peer pointers are weak: an
 *   peer ───────────────▶ ◀─────────────── peer     endpoint's end clears its peer's
 */
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "lib/string.h"

struct channel_message {
    struct channel_message *next;
    uint32_t nbytes, nhandles;
    struct object **objs;
    uint32_t *rights;
    uint8_t bytes[]; /* nbytes, then the handle arrays */
};

struct channel {
    struct object obj;
    struct channel *peer;
    struct channel_message *head, *tail;
    uint32_t queued;
};

static void message_free(struct channel_message *m)
{
    for (uint32_t i = 0; i < m->nhandles; i++)
        if (m->objs[i]) object_unref(m->objs[i]);
    kfree(m);
}

static void channel_destroy(struct object *o)
{
    struct channel *c = (struct channel *)o, *peer;
    struct channel_message *m;
    uint64_t flags = cpu_irq_save();

    peer = c->peer;
    if (peer) peer->peer = NULL;
    m = c->head;
    c->head = c->tail = NULL;
    cpu_irq_restore(flags);
    if (peer) object_signal(&peer->obj, TK_SIGNAL_WRITABLE, TK_SIGNAL_PEER_CLOSED);
    while (m) { /* their handles may be endpoints too: freed after the lock */
        struct channel_message *next = m->next;
        message_free(m);
        m = next;
    }
    kfree(c);
}

static const struct object_ops channel_ops = {TK_OBJ_CHANNEL, channel_destroy};

int channel_create(struct object **end0, struct object **end1)
{
    struct channel *a = kzalloc(sizeof(*a)), *b = kzalloc(sizeof(*b));

    if (!a || !b) {
        kfree(a);
        kfree(b);
        return TK_ERR_NOMEM;
    }
    object_init(&a->obj, &channel_ops);
    object_init(&b->obj, &channel_ops);
    a->peer = b;
    b->peer = a;
    a->obj.signals = b->obj.signals = TK_SIGNAL_WRITABLE;
    *end0 = &a->obj;
    *end1 = &b->obj;
    return 0;
}

static void drop_handles(struct object **objs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) object_unref(objs[i]);
}

int channel_write(struct object *o, const void *bytes, uint32_t nbytes, struct object **objs,
                  const uint32_t *rights, uint32_t nhandles)
{
    struct channel *c = (struct channel *)o, *peer;
    struct channel_message *m;
    size_t size;
    uint64_t flags;
    int r = 0;

    if (nbytes > TK_CHANNEL_MAX_BYTES || nhandles > TK_CHANNEL_MAX_HANDLES) {
        r = TK_ERR_RANGE;
        goto consume;
    }
    for (uint32_t i = 0; i < nhandles; i++) {
        if (objs[i] == o) { /* an endpoint never travels through itself */
            r = TK_ERR_INVAL;
            goto consume;
        }
    }
    size = sizeof(*m) + nbytes + 7 + nhandles * (sizeof(struct object *) + sizeof(uint32_t));
    if (!(m = kmalloc(size))) {
        r = TK_ERR_NOMEM;
        goto consume;
    }
    m->next = NULL;
    m->nbytes = nbytes;
    m->nhandles = nhandles;
    m->objs = (struct object **)(((uintptr_t)m->bytes + nbytes + 7) & ~(uintptr_t)7);
    m->rights = (uint32_t *)(m->objs + nhandles);
    memcpy(m->bytes, bytes, nbytes);
    memcpy(m->objs, objs, nhandles * sizeof(*objs));
    memcpy(m->rights, rights, nhandles * sizeof(*rights));
    flags = cpu_irq_save();
    peer = c->peer;
    if (!peer || peer->obj.refs == 0) { /* gone, or on its way (its teardown is next) */
        r = TK_ERR_PEER_CLOSED;
    } else if (peer->queued >= TK_CHANNEL_MAX_QUEUED) {
        r = TK_ERR_AGAIN; /* back-pressure: the writer waits for WRITABLE and retries */
    } else {
        if (peer->tail)
            peer->tail->next = m;
        else
            peer->head = m;
        peer->tail = m;
        peer->queued++;
        object_signal(&peer->obj, 0, TK_SIGNAL_READABLE);
        if (peer->queued >= TK_CHANNEL_MAX_QUEUED) object_signal(o, TK_SIGNAL_WRITABLE, 0);
    }
    cpu_irq_restore(flags);
    if (r < 0) message_free(m); /* its handles are consumed with it */
    return r;
consume:
    drop_handles(objs, nhandles);
    return r;
}

int channel_read(struct object *o, void *buf, uint32_t buf_len, tk_handle *handles_out,
                 uint32_t handles_cap, struct handle_table *t, struct tk_channel_sizes *sizes)
{
    struct channel *c = (struct channel *)o;
    struct channel_message *m;
    uint64_t flags = cpu_irq_save();
    int r = 0;

    if (!(m = c->head)) {
        r = c->peer ? TK_ERR_AGAIN : TK_ERR_PEER_CLOSED;
        goto out;
    }
    sizes->bytes = m->nbytes;
    sizes->handles = m->nhandles;
    if (m->nbytes > buf_len || m->nhandles > handles_cap) {
        r = TK_ERR_BUFFER_TOO_SMALL;
        goto out;
    }
    if (m->nhandles > HANDLE_TABLE_MAX - handle_count(t)) {
        r = TK_ERR_LIMIT;
        goto out;
    }
    c->head = m->next;
    if (!c->head) c->tail = NULL;
    c->queued--;
    if (!c->head) c->obj.signals &= ~TK_SIGNAL_READABLE;
    if (c->peer && c->queued == TK_CHANNEL_MAX_QUEUED - 1)
        object_signal(&c->peer->obj, 0, TK_SIGNAL_WRITABLE);
out:
    cpu_irq_restore(flags);
    if (r < 0) return r;
    memcpy(buf, m->bytes, m->nbytes);
    for (uint32_t i = 0; i < m->nhandles; i++) {
        /* the reference moves from the message to the table */
        if (handle_install(t, m->objs[i], m->rights[i], &handles_out[i]) < 0)
            handles_out[i] = TK_HANDLE_INVALID; /* out of memory: that handle is lost */
        object_unref(m->objs[i]);
        m->objs[i] = NULL;
    }
    m->nhandles = 0;
    message_free(m);
    return 0;
}
