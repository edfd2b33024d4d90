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
 *
 * The fast path (docs/ipc.md) is for small messages without handles: one a reader
 * blocked in channel_read_wait can take goes straight into its buffers, skipping the
 * queue (which must be empty, so order holds), and channel_call then hands the CPU
 * straight to that reader; otherwise the message is queued in a record from the
 * receiving endpoint's spares, which reads recycle, instead of a fresh allocation.
 *
 * A full queue is back-pressure: a write is refused (AGAIN), but a call waits for room
 * within its deadline (channel_wait_room) before it sends.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "lib/string.h"

struct channel_message {
    struct channel_message *next;
    struct object **objs;
    struct quota *quota; /* pays for the record until it is freed (docs/ipc.md) */
    uint32_t charged;    /* bytes */
    uint32_t nbytes;
    uint16_t nhandles;
    bool small;      /* a CHANNEL_SMALL_RECORD: recycled as a spare */
    uint8_t bytes[]; /* nbytes, then the handle arrays */
};

/* Small messages live in fixed records (one heap size class) that endpoints recycle. */
#define CHANNEL_SMALL_RECORD 128u
#define CHANNEL_SMALL_BYTES  (CHANNEL_SMALL_RECORD - sizeof(struct channel_message))
#define CHANNEL_MAX_SPARES   TK_CHANNEL_MAX_QUEUED

/* A reader blocked in channel_read_wait, on its own stack: where a message goes. */
struct channel_rx {
    struct thread *thread;
    const struct channel_buffers *b;
    bool delivered;
};

struct channel {
    struct object obj;
    struct channel *peer;
    struct channel_message *head, *tail;
    uint32_t queued;
    uint32_t nspares;
    struct channel_message *spares; /* small records for the messages queued here */
    struct channel_rx *rx;          /* a blocked reader that takes small messages directly */
    struct channel *walk_next;      /* channel_admit's work list */
    uint64_t walk_gen;              /* the channel_admit walk that last reached it */
};

/* How much of what a message's endpoints hold channel_admit may look at before it gives
 * up (TK_ERR_LIMIT): one step per queued message and per handle in one. Bounds the time
 * a write with handles spends with interrupts off. */
#define CHANNEL_WALK_BUDGET 8192u

static uint32_t *message_rights(struct channel_message *m)
{
    return (uint32_t *)(m->objs + m->nhandles);
}

/* A record and its charge go together (spares too: see channel_write). */
static void message_release(struct channel_message *m)
{
    struct quota *q = m->quota;
    uint32_t charged = m->charged;

    kfree(m);
    quota_release(q, charged);
}

static void message_free(struct channel_message *m)
{
    for (uint32_t i = 0; i < m->nhandles; i++)
        if (m->objs[i]) object_unref(m->objs[i]);
    message_release(m);
}

static void channel_destroy(struct object *o, struct object **dead)
{
    struct channel *c = (struct channel *)o, *peer;
    struct channel_message *m, *spares;
    uint64_t flags = arch_irq_save();

    peer = c->peer;
    if (peer) peer->peer = NULL;
    m = c->head;
    c->head = c->tail = NULL;
    spares = c->spares;
    c->spares = NULL;
    arch_irq_restore(flags);
    if (peer) object_signal(&peer->obj, TK_SIGNAL_WRITABLE, TK_SIGNAL_PEER_CLOSED);
    while (m) {
        struct channel_message *next = m->next;
        /* the handles go onto object_unref's list, not through a call: an endpoint
         * among them has a queue of its own, nested as deep as a module pleases */
        for (uint32_t i = 0; i < m->nhandles; i++) {
            if (m->objs[i]) object_drop(m->objs[i], dead);
            m->objs[i] = NULL;
        }
        message_free(m);
        m = next;
    }
    while (spares) {
        struct channel_message *next = spares->next;
        message_release(spares);
        spares = next;
    }
    kfree(c);
}

static const struct object_ops channel_ops = {TK_OBJ_CHANNEL, channel_destroy};

int channel_create(struct object **end0, struct object **end1)
{
    int r = 0;
    struct channel *a = object_alloc(sizeof(*a), &r), *b = a ? object_alloc(sizeof(*b), &r) : NULL;

    if (!a || !b) {
        object_alloc_undo(a);
        return r;
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

/* Interrupts off: m joins the queue of peer, whose writer is `from`. */
static void channel_enqueue(struct channel *peer, struct object *from, struct channel_message *m)
{
    m->next = NULL;
    if (peer->tail)
        peer->tail->next = m;
    else
        peer->head = m;
    peer->tail = m;
    peer->queued++;
    /* waiters for READABLE and watching ports only care when it rises */
    if (!(peer->obj.signals & TK_SIGNAL_READABLE)) object_signal(&peer->obj, 0, TK_SIGNAL_READABLE);
    if (peer->queued >= TK_CHANNEL_MAX_QUEUED) object_signal(from, TK_SIGNAL_WRITABLE, 0);
}

/* Interrupts off: the reader blocked on c that can take a message of nbytes (no
 * handles) now, or NULL. Only with c's queue empty, or the message would overtake. */
static struct channel_rx *channel_taker(struct channel *c, uint32_t nbytes)
{
    struct channel_rx *rx = c->rx;

    if (!rx || c->head || nbytes > rx->b->nbytes) return NULL;
    /* still asleep there: not woken meanwhile by a signal, a timeout or a kill */
    if (rx->thread->state != THREAD_BLOCKED || rx->thread->waiting_on != &c->obj.waiters)
        return NULL;
    return rx;
}

/* What is left to do after the fast path's steps. */
enum {
    CALL_READ = 0,  /* the message is written; a call reads its reply */
    CALL_WRITE = 1, /* the message needs the general write */
    CALL_DONE = 2,  /* a waiting reader was given its message */
};

/* The small-message write (no handles, nbytes <= CHANNEL_SMALL_BYTES), interrupts off:
 * CALL_READ when delivered or queued — a reader that took it directly is in *taker
 * (taken off its wait, not yet ready) when taker is not NULL, else made ready —
 * CALL_WRITE when the peer has no spare record, or the error. */
static inline __attribute__((always_inline)) int
channel_post_small(struct channel *c, const void *bytes, uint32_t nbytes, struct thread **taker)
{
    struct channel *peer = c->peer;
    struct channel_message *m;
    struct channel_rx *rx;

    if (!peer || peer->obj.refs == 0) return TK_ERR_PEER_CLOSED;
    if ((rx = channel_taker(peer, nbytes))) {
        *rx->b->sizes = (struct tk_channel_sizes){nbytes, 0};
        memcpy(rx->b->bytes, bytes, nbytes);
        rx->delivered = true;
        peer->rx = NULL;
        waitq_take(rx->thread);
        if (taker)
            *taker = rx->thread;
        else
            sched_ready(rx->thread);
        return CALL_READ;
    }
    if (peer->queued >= TK_CHANNEL_MAX_QUEUED) return TK_ERR_AGAIN;
    if (!(m = peer->spares)) return CALL_WRITE;
    peer->spares = m->next;
    peer->nspares--;
    m->nbytes = nbytes;
    memcpy(m->bytes, bytes, nbytes);
    channel_enqueue(peer, &c->obj, m);
    return CALL_READ;
}

/* Interrupts off: puts endpoint o on channel_admit's list unless this walk has been
 * there; TK_ERR_INVAL if o is the queue's owner. Other objects hold no queues. */
static int channel_visit(struct object *o, struct channel *owner, uint64_t gen,
                         struct channel **todo)
{
    struct channel *c = (struct channel *)o;

    if (!o || o->ops != &channel_ops || c->walk_gen == gen) return 0;
    if (c == owner) return TK_ERR_INVAL;
    c->walk_gen = gen;
    c->walk_next = *todo;
    *todo = c;
    return 0;
}

/* Interrupts off, so nothing moves meanwhile: whether handles objs may join owner's
 * queue. Not if one of them is owner, or holds it through messages queued at it, at
 * any depth (TK_ERR_INVAL): owner would keep itself alive, and nothing could reach it
 * to close it (Zircon's rule; docs/ipc.md, cycles). An explicit list of endpoints to
 * look at instead of recursion, each looked at once, within CHANNEL_WALK_BUDGET
 * (TK_ERR_LIMIT beyond). */
static int channel_admit(struct channel *owner, struct object **objs, uint32_t n)
{
    static uint64_t walks;
    uint64_t gen = ++walks;
    uint32_t budget = CHANNEL_WALK_BUDGET;
    struct channel *todo = NULL;
    int r;

    for (uint32_t i = 0; i < n; i++)
        if ((r = channel_visit(objs[i], owner, gen, &todo)) < 0) return r;
    while (todo) {
        struct channel *c = todo;
        todo = c->walk_next;
        for (struct channel_message *m = c->head; m; m = m->next) {
            if (budget <= m->nhandles) return TK_ERR_LIMIT;
            budget -= 1u + m->nhandles;
            for (uint32_t i = 0; i < m->nhandles; i++)
                if ((r = channel_visit(m->objs[i], owner, gen, &todo)) < 0) return r;
        }
    }
    return 0;
}

/* Interrupts off: whether a write from c can go now. 0 when the peer's queue has room,
 * PEER_CLOSED when the peer is gone (or on its way: its teardown is next), AGAIN when it
 * is full and the deadline is 1 (a poll); otherwise waits on c for the reader to make
 * room (WRITABLE) or the peer to go, until the deadline: TIMEOUT, KILLED. The one place
 * of the back-pressure rule (docs/ipc.md): a full queue makes a write wait only if its
 * caller gave it a deadline, as channel_call does. */
static int channel_wait_room(struct channel *c, uint64_t deadline)
{
    int r;

    for (;;) {
        struct channel *peer = c->peer;

        if (!peer || peer->obj.refs == 0) return TK_ERR_PEER_CLOSED;
        if (peer->queued < TK_CHANNEL_MAX_QUEUED) return 0;
        if (deadline == 1) return TK_ERR_AGAIN;
        if ((r = waitq_wait(&c->obj.waiters, deadline)) < 0) return r;
    }
}

/* channel_write_wait's work; inlined into both entries, so that a plain write's copy
 * (deadline 1) loses the wait. */
static inline __attribute__((always_inline)) int channel_send(struct object *o, const void *bytes,
                                                              uint32_t nbytes, struct object **objs,
                                                              const uint32_t *rights,
                                                              uint32_t nhandles, uint64_t deadline)
{
    struct channel *c = (struct channel *)o;
    struct channel_message *m;
    bool small = nhandles == 0 && nbytes <= CHANNEL_SMALL_BYTES;
    struct quota *q;
    uint32_t charged;
    size_t size;
    uint64_t flags;
    int r = 0;

    if (small) {
        flags = arch_irq_save();
        while ((r = channel_post_small(c, bytes, nbytes, NULL)) == TK_ERR_AGAIN &&
               (r = channel_wait_room(c, deadline)) == 0) {
        }
        arch_irq_restore(flags);
        if (r != CALL_WRITE) return r;
        r = 0;
    }
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
    size = small
               ? CHANNEL_SMALL_RECORD
               : sizeof(*m) + nbytes + 7 + nhandles * (sizeof(struct object *) + sizeof(uint32_t));
    /* the writer pays for the record (a small one also while it is the peer's spare)
     * until it is freed: over its quota nothing is sent */
    q = quota_current();
    if ((r = quota_hold(q, size, &charged)) < 0) goto consume;
    if (!(m = kmalloc(size))) {
        quota_release(q, charged);
        r = TK_ERR_NOMEM;
        goto consume;
    }
    m->quota = q;
    m->charged = charged;
    m->nbytes = nbytes;
    m->nhandles = (uint16_t)nhandles;
    m->small = small;
    m->objs = (struct object **)(((uintptr_t)m->bytes + nbytes + 7) & ~(uintptr_t)7);
    memcpy(m->bytes, bytes, nbytes);
    memcpy(m->objs, objs, nhandles * sizeof(*objs));
    memcpy(message_rights(m), rights, nhandles * sizeof(*rights));
    flags = arch_irq_save();
    if ((r = channel_wait_room(c, deadline)) == 0 &&
        (nhandles == 0 || (r = channel_admit(c->peer, m->objs, nhandles)) == 0))
        channel_enqueue(c->peer, o, m);
    /* else: the peer is gone or full, or the handles would make a cycle nothing outside
     * could end, or the walk was too long */
    arch_irq_restore(flags);
    if (r < 0) message_free(m); /* its handles are consumed with it */
    return r;
consume:
    drop_handles(objs, nhandles);
    return r;
}

int channel_write(struct object *o, const void *bytes, uint32_t nbytes, struct object **objs,
                  const uint32_t *rights, uint32_t nhandles)
{
    return channel_send(o, bytes, nbytes, objs, rights, nhandles, 1);
}

int channel_write_wait(struct object *o, const void *bytes, uint32_t nbytes, struct object **objs,
                       const uint32_t *rights, uint32_t nhandles, uint64_t deadline)
{
    return channel_send(o, bytes, nbytes, objs, rights, nhandles, deadline);
}

/* Interrupts off: takes c's next message if b can hold it (see channel_read). A small
 * one is copied out and recycled here (*out NULL); any other is handed to the caller
 * to finish with interrupts on. */
static int channel_take(struct channel *c, const struct channel_buffers *b,
                        struct channel_message **out)
{
    struct channel_message *m = c->head;

    *out = NULL;
    if (!m) return c->peer ? TK_ERR_AGAIN : TK_ERR_PEER_CLOSED;
    b->sizes->bytes = m->nbytes;
    b->sizes->handles = m->nhandles;
    if (m->nbytes > b->nbytes || m->nhandles > b->nhandles) return TK_ERR_BUFFER_TOO_SMALL;
    if (m->nhandles > HANDLE_TABLE_MAX - handle_count(b->table)) return TK_ERR_LIMIT;
    c->head = m->next;
    if (!c->head) {
        c->tail = NULL;
        c->obj.signals &= ~TK_SIGNAL_READABLE;
    }
    c->queued--;
    if (c->peer && c->queued == TK_CHANNEL_MAX_QUEUED - 1)
        object_signal(&c->peer->obj, 0, TK_SIGNAL_WRITABLE);
    if (m->small && c->nspares < CHANNEL_MAX_SPARES) {
        memcpy(b->bytes, m->bytes, m->nbytes);
        m->next = c->spares;
        c->spares = m;
        c->nspares++;
        return 0;
    }
    *out = m;
    return 0;
}

/* The rest of a read outside the lock: bytes, and handles into the reader's table. */
static void channel_finish(struct channel_message *m, const struct channel_buffers *b)
{
    memcpy(b->bytes, m->bytes, m->nbytes);
    for (uint32_t i = 0; i < m->nhandles; i++) {
        /* the reference moves from the message to the table */
        if (handle_install(b->table, m->objs[i], message_rights(m)[i], &b->handles[i]) < 0)
            b->handles[i] = TK_HANDLE_INVALID; /* out of memory: that handle is lost */
        object_unref(m->objs[i]);
        m->objs[i] = NULL;
    }
    m->nhandles = 0;
    message_free(m);
}

static int channel_read_buffers(struct object *o, const struct channel_buffers *b)
{
    struct channel_message *m;
    uint64_t flags = arch_irq_save();
    int r = channel_take((struct channel *)o, b, &m);

    arch_irq_restore(flags);
    if (m) channel_finish(m, b);
    return r;
}

int channel_read(struct object *o, void *buf, uint32_t buf_len, tk_handle *handles_out,
                 uint32_t handles_cap, struct handle_table *t, struct tk_channel_sizes *sizes)
{
    struct channel_buffers b = {buf, buf_len, handles_out, handles_cap, sizes, t};

    return channel_read_buffers(o, &b);
}

/* Interrupts off: c's queue is empty and its peer alive. Waits for a message, offering
 * b to writers (unless another reader already does), handing the CPU to `next` if not
 * NULL. CALL_DONE when a message was delivered into b, 0 when woken otherwise, or the
 * wait's error. */
static inline __attribute__((always_inline)) int channel_block(struct channel *c,
                                                               const struct channel_buffers *b,
                                                               uint64_t deadline,
                                                               struct thread *next)
{
    struct channel_rx rx = {sched_current(), b, false};
    int r;

    if (!c->rx) c->rx = &rx;
    r = next ? waitq_wait_switch(&c->obj.waiters, deadline, next)
             : waitq_wait(&c->obj.waiters, deadline);
    if (c->rx == &rx) c->rx = NULL;
    return rx.delivered ? CALL_DONE : r;
}

int channel_read_wait(struct object *o, const struct channel_buffers *b, uint64_t deadline)
{
    struct channel *c = (struct channel *)o;
    struct channel_message *m;
    uint64_t flags = arch_irq_save();
    int r;

    /* a wait ends with a message delivered, or to look again: the message a signal
     * announced, a timeout, a kill, or nothing (another reader was faster) */
    while ((r = channel_take(c, b, &m)) == TK_ERR_AGAIN && deadline != 1 &&
           (r = channel_block(c, b, deadline, NULL)) == 0) {
    }
    arch_irq_restore(flags);
    if (m) channel_finish(m, b);
    return r > 0 ? 0 : r;
}

/* channel_call's small request (no handles, nbytes <= CHANNEL_SMALL_BYTES): CALL_DONE
 * when the reply came straight into `reply`, CALL_READ when the request is written and
 * the reply is to be read, CALL_WRITE when the request needs the general write, or the
 * error. */
static inline __attribute__((always_inline)) int
channel_call_small(struct channel *c, const void *bytes, uint32_t nbytes,
                   const struct channel_buffers *reply, uint64_t deadline)
{
    struct thread *taker = NULL;
    uint64_t flags = arch_irq_save();
    int r = channel_post_small(c, bytes, nbytes, &taker);

    if (taker) {
        /* the peer's reader has the request: run it now, and sleep until the reply
         * comes — straight into our buffers if it is small (the peer is there: the
         * lock is still held) */
        if (!c->head && deadline != 1)
            r = channel_block(c, reply, deadline, taker);
        else
            sched_ready(taker);
    }
    arch_irq_restore(flags);
    return r;
}

int channel_call_bytes(struct object *o, const void *bytes, uint32_t nbytes,
                       const struct channel_buffers *reply, uint64_t deadline)
{
    int r = CALL_WRITE;

    if (nbytes <= CHANNEL_SMALL_BYTES) {
        r = channel_call_small((struct channel *)o, bytes, nbytes, reply, deadline);
        if (r == CALL_DONE) return 0;
        if (r == TK_ERR_AGAIN) r = CALL_WRITE; /* a full queue: the write waits for room */
        if (r < 0) return r;
    }
    if (r == CALL_WRITE && (r = channel_write_wait(o, bytes, nbytes, NULL, NULL, 0, deadline)) < 0)
        return r;
    return channel_read_wait(o, reply, deadline);
}

int channel_call(struct object *o, const void *bytes, uint32_t nbytes, struct object **objs,
                 const uint32_t *rights, uint32_t nhandles, const struct channel_buffers *reply,
                 uint64_t deadline)
{
    int r;

    if (nhandles == 0) return channel_call_bytes(o, bytes, nbytes, reply, deadline);
    if ((r = channel_write_wait(o, bytes, nbytes, objs, rights, nhandles, deadline)) < 0) return r;
    return channel_read_wait(o, reply, deadline);
}
