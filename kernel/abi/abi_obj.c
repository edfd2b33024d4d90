/*
 * Handle and object imports: every call names its object by a handle of the caller's
 * own table, fetched with the rights the operation needs before anything else happens
 * (decode, then invoke). Handles sent through a channel leave the sender's table first
 * and are consumed whatever the outcome.
 */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "lib/string.h"

int abi_handle_close(struct process *p, uint64_t *s)
{
    s[0] = (uint32_t)handle_close(&p->handles, (uint32_t)s[0]);
    return 0;
}

static int handle_derive(struct process *p, uint64_t *s, bool replace)
{
    tk_handle h;
    int r;

    if (!abi_mem(p, (uint32_t)s[2], sizeof(h))) {
        if (replace) handle_close(&p->handles, (uint32_t)s[0]); /* closed even on failure */
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    r = replace ? handle_replace(&p->handles, (uint32_t)s[0], (uint32_t)s[1], &h)
                : handle_duplicate(&p->handles, (uint32_t)s[0], (uint32_t)s[1], &h);
    if (r == 0) memcpy(abi_mem(p, (uint32_t)s[2], sizeof(h)), &h, sizeof(h));
    s[0] = (uint32_t)r;
    return 0;
}

int abi_handle_duplicate(struct process *p, uint64_t *s)
{
    return handle_derive(p, s, false);
}

int abi_handle_replace(struct process *p, uint64_t *s)
{
    return handle_derive(p, s, true);
}

int abi_handle_info(struct process *p, uint64_t *s)
{
    struct tk_handle_info *out = abi_mem(p, (uint32_t)s[1], sizeof(*out));
    struct object *o;
    uint32_t rights;
    int r;

    if (!out) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if ((r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_NONE, 0, &o, &rights)) == 0) {
        *out = (struct tk_handle_info){o->ops->type, rights, o->koid};
        object_unref(o);
    }
    s[0] = (uint32_t)r;
    return 0;
}

/* The *_create imports: a new object, its one handle (every right) to s[0]'s pointer. */
static int create_out(struct process *p, uint64_t *s, int (*create)(struct object **))
{
    struct object *o;
    int r;

    if (!abi_mem(p, (uint32_t)s[0], sizeof(tk_handle))) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if ((r = create(&o)) == 0) {
        r = abi_handle_out(p, o, TK_RIGHTS_ALL, (uint32_t)s[0]);
        object_unref(o);
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_event_create(struct process *p, uint64_t *s)
{
    return create_out(p, s, event_create);
}

int abi_timer_create(struct process *p, uint64_t *s)
{
    return create_out(p, s, timer_create);
}

int abi_port_create(struct process *p, uint64_t *s)
{
    return create_out(p, s, port_create);
}

/* timer_set / timer_cancel: deadline 0 disarms */
static int timer_arm(struct process *p, uint64_t *s, uint64_t deadline_ns)
{
    struct object *o;
    int r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_TIMER, TK_RIGHT_WRITE, &o, NULL);

    if (r == 0) {
        timer_set(o, deadline_ns);
        object_unref(o);
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_timer_set(struct process *p, uint64_t *s)
{
    if ((int64_t)s[1] <= 0) {
        s[0] = (uint32_t)TK_ERR_RANGE;
        return 0;
    }
    return timer_arm(p, s, s[1]);
}

int abi_timer_cancel(struct process *p, uint64_t *s)
{
    return timer_arm(p, s, 0);
}

int abi_port_watch(struct process *p, uint64_t *s)
{
    struct object *port, *o;
    int r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_PORT, TK_RIGHT_WRITE, &port, NULL);

    if (r == 0) {
        r = handle_get(&p->handles, (uint32_t)s[1], TK_OBJ_NONE, TK_RIGHT_WAIT, &o, NULL);
        if (r == 0) {
            r = o == port ? TK_ERR_INVAL : port_watch(port, o, s[2], (uint32_t)s[3]);
            object_unref(o);
        }
        object_unref(port);
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_port_unwatch(struct process *p, uint64_t *s)
{
    struct object *port;
    int r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_PORT, TK_RIGHT_WRITE, &port, NULL);

    if (r == 0) {
        r = port_unwatch(port, s[1]);
        object_unref(port);
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_port_wait(struct process *p, uint64_t *s)
{
    uint32_t ptr = (uint32_t)s[1];
    uint64_t deadline = abi_deadline((int64_t)s[2]);
    struct tk_port_packet packet, *out;
    struct object *port;
    int r;

    if (!abi_mem(p, ptr, sizeof(packet))) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_PORT, TK_RIGHT_READ, &port, NULL);
    if (r == 0) {
        r = port_wait(port, deadline, &packet);
        object_unref(port);
        if (r == 0 && (out = abi_mem(p, ptr, sizeof(packet)))) *out = packet;
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_object_signal(struct process *p, uint64_t *s)
{
    uint32_t clear = (uint32_t)s[1], set = (uint32_t)s[2];
    struct object *o;
    int r;

    if ((clear | set) & ~TK_SIGNAL_SIGNALED) {
        s[0] = (uint32_t)TK_ERR_INVAL; /* only the user signal is the caller's to change */
        return 0;
    }
    r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_NONE, TK_RIGHT_SIGNAL, &o, NULL);
    if (r == 0) {
        object_signal(o, clear, set);
        object_unref(o);
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_object_wait_one(struct process *p, uint64_t *s)
{
    uint32_t want = (uint32_t)s[1], observed = 0, ptr = (uint32_t)s[3];
    uint64_t deadline = abi_deadline((int64_t)s[2]);
    struct object *o;
    uint32_t *out;
    int r;

    if (!abi_mem(p, ptr, sizeof(observed))) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_NONE, TK_RIGHT_WAIT, &o, NULL);
    if (r == 0) {
        r = object_wait(o, want, deadline, &observed);
        object_unref(o);
        if ((out = abi_mem(p, ptr, sizeof(observed)))) *out = observed;
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_channel_create(struct process *p, uint64_t *s)
{
    uint32_t p0 = (uint32_t)s[0], p1 = (uint32_t)s[1];
    struct object *a, *b;
    tk_handle h0, h1;
    int r;

    if (!abi_mem(p, p0, sizeof(h0)) || !abi_mem(p, p1, sizeof(h1))) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if ((r = channel_create(&a, &b)) < 0) goto out;
    r = handle_install(&p->handles, a, TK_RIGHTS_ALL, &h0);
    if (r == 0 && (r = handle_install(&p->handles, b, TK_RIGHTS_ALL, &h1)) < 0)
        handle_close(&p->handles, h0);
    object_unref(a);
    object_unref(b);
    if (r == 0) {
        memcpy(abi_mem(p, p0, sizeof(h0)), &h0, sizeof(h0));
        memcpy(abi_mem(p, p1, sizeof(h1)), &h1, sizeof(h1));
    }
out:
    s[0] = (uint32_t)r;
    return 0;
}

/* The caller's linear memory, looked up once for the several buffers of a channel
 * import (each abi_mem call would fetch it again); the same checks as abi_mem_in and
 * abi_mem, which read-only mappings are left to. */
struct channel_mem {
    uint8_t *base;
    uint64_t size;
    bool mapped; /* memory objects are mapped: outputs go through abi_mem */
};

static inline void channel_mem_init(struct process *p, struct channel_mem *m)
{
    struct wasm_memory *mem = p->memory;

    m->base = mem ? wasm_memory_data(mem) : NULL;
    m->size = mem ? wasm_memory_size(mem) : 0;
    m->mapped = p->mappings != NULL;
}

/* (Without a memory, size 0 lets only ptr 0 through, and base 0 + 0 is NULL.) */
static inline const void *channel_mem_in(const struct channel_mem *m, uint32_t ptr, uint64_t len)
{
    return (uint64_t)ptr + len <= m->size ? (const void *)((uintptr_t)m->base + ptr) : NULL;
}

static inline void *channel_mem_out(struct process *p, const struct channel_mem *m, uint32_t ptr,
                                    uint64_t len)
{
    return m->mapped ? abi_mem(p, ptr, len) : (void *)channel_mem_in(m, ptr, len);
}

/* A decoded channel_write: the endpoint (and its handle's rights), the bytes, and the
 * handles to send, already out of the writer's table. The endpoint is borrowed from the
 * table (handle_borrow) unless handles are sent — one of them may be its own handle —
 * when it is a reference of its own (held). */
struct channel_send {
    struct object *ch;
    bool held;
    uint32_t rights, nbytes, taken;
    const void *bytes;
    struct object *objs[TK_CHANNEL_MAX_HANDLES];
    uint32_t obj_rights[TK_CHANNEL_MAX_HANDLES];
};

/* Decodes s[0..4] (h, bytes, nbytes, handles, nhandles) into a. On an error nothing is
 * held: every handle named leaves the table anyway (moved, never copied). */
static inline __attribute__((always_inline)) int channel_send_decode(struct process *p,
                                                                     const struct channel_mem *m,
                                                                     const uint64_t *s,
                                                                     struct channel_send *a)
{
    uint32_t nh = (uint32_t)s[4];
    const tk_handle *hs = channel_mem_in(m, (uint32_t)s[3], (uint64_t)nh * sizeof(tk_handle));
    int r;

    a->ch = NULL;
    a->held = nh > 0;
    a->nbytes = (uint32_t)s[2];
    a->taken = 0;
    a->bytes = channel_mem_in(m, (uint32_t)s[1], a->nbytes);
    if (!a->bytes || !hs) return TK_ERR_FAULT;
    if (nh > TK_CHANNEL_MAX_HANDLES || a->nbytes > TK_CHANNEL_MAX_BYTES) return TK_ERR_RANGE;
    if (!a->held)
        return handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_CHANNEL, TK_RIGHT_WRITE, &a->ch,
                             &a->rights);
    r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_CHANNEL, TK_RIGHT_WRITE, &a->ch, &a->rights);
    for (uint32_t i = 0; i < nh; i++) {
        uint32_t k = a->taken;
        if (handle_take(&p->handles, hs[i], &a->objs[k], &a->obj_rights[k]) < 0) {
            if (r == 0) r = TK_ERR_BAD_HANDLE;
            continue;
        }
        if (!(a->obj_rights[k] & TK_RIGHT_TRANSFER) && r == 0) r = TK_ERR_DENIED;
        a->taken++;
    }
    if (r < 0) {
        for (uint32_t i = 0; i < a->taken; i++) object_unref(a->objs[i]);
        if (a->ch) object_unref(a->ch);
        a->ch = NULL;
    }
    return r;
}

/* Decodes a reader's buffers s[1..5] (bytes, nbytes, handles, nhandles, sizes). */
static inline __attribute__((always_inline)) int channel_buffers_decode(struct process *p,
                                                                        const struct channel_mem *m,
                                                                        const uint64_t *s,
                                                                        struct channel_buffers *b)
{
    b->nbytes = (uint32_t)s[2];
    b->nhandles = (uint32_t)s[4];
    b->bytes = channel_mem_out(p, m, (uint32_t)s[1], b->nbytes);
    b->handles = channel_mem_out(p, m, (uint32_t)s[3], (uint64_t)b->nhandles * sizeof(tk_handle));
    b->sizes = channel_mem_out(p, m, (uint32_t)s[5], sizeof(*b->sizes));
    b->table = &p->handles;
    return b->bytes && b->handles && b->sizes ? 0 : TK_ERR_FAULT;
}

/* channel_read's work: s[0..5] are (h, bytes, nbytes, handles, nhandles, sizes); with a
 * deadline (not 1), it waits for a message first. */
static int channel_receive(struct process *p, const uint64_t *s, uint64_t deadline)
{
    struct channel_buffers b;
    struct channel_mem m;
    struct object *ch;
    uint32_t rights;
    int r;

    channel_mem_init(p, &m);
    if ((r = channel_buffers_decode(p, &m, s, &b)) < 0) return r;
    /* borrowed: reading only installs handles */
    r = handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_CHANNEL, TK_RIGHT_READ, &ch, &rights);
    return r < 0 ? r : channel_read_wait(ch, &b, deadline);
}

int abi_channel_write(struct process *p, uint64_t *s)
{
    struct channel_send a;
    struct channel_mem m;
    int r;

    channel_mem_init(p, &m);
    if ((r = channel_send_decode(p, &m, s, &a)) == 0) {
        r = channel_write(a.ch, a.bytes, a.nbytes, a.objs, a.obj_rights, a.taken);
        if (a.held) object_unref(a.ch);
    }
    s[0] = (uint32_t)r;
    return 0;
}

int abi_channel_read(struct process *p, uint64_t *s)
{
    s[0] = (uint32_t)channel_receive(p, s, 1);
    return 0;
}

/* channel_call sending no handles (nearly every call): the general path's checks in
 * its order, decoded in one pass with nothing taken out of the table. */
static inline __attribute__((always_inline)) int
channel_call_plain(struct process *p, const uint64_t *s, uint64_t deadline)
{
    uint32_t nbytes = (uint32_t)s[2], rights;
    struct channel_buffers reply;
    struct channel_mem m;
    struct object *ch;
    const void *bytes;
    int r, w;

    channel_mem_init(p, &m);
    bytes = channel_mem_in(&m, (uint32_t)s[1], nbytes);
    if (!bytes || !channel_mem_in(&m, (uint32_t)s[3], 0)) return TK_ERR_FAULT;
    if (nbytes > TK_CHANNEL_MAX_BYTES) return TK_ERR_RANGE;
    r = handle_borrow(&p->handles, (uint32_t)s[0], TK_OBJ_CHANNEL, TK_RIGHT_WRITE, &ch, &rights);
    if (r < 0) return r;
    if ((r = channel_buffers_decode(p, &m, s + 4, &reply)) == 0 && !(rights & TK_RIGHT_READ))
        r = TK_ERR_DENIED;
    if (r == 0) return channel_call_bytes(ch, bytes, nbytes, &reply, deadline);
    w = channel_write_wait(ch, bytes, nbytes, NULL, NULL, 0, deadline); /* it goes anyway */
    return w < 0 ? w : r;
}

/* channel_call sending handles. Apart, so that the plain path's frame stays small. */
static __attribute__((noinline)) int channel_call_general(struct process *p, const uint64_t *s,
                                                          uint64_t deadline)
{
    struct channel_buffers reply;
    struct channel_send a;
    struct channel_mem m;
    int r, rr;

    channel_mem_init(p, &m);
    r = channel_send_decode(p, &m, s, &a);
    if (r == 0) {
        rr = channel_buffers_decode(p, &m, s + 4, &reply);
        if (rr == 0 && !(a.rights & TK_RIGHT_READ)) rr = TK_ERR_DENIED;
        if (rr == 0)
            r = channel_call(a.ch, a.bytes, a.nbytes, a.objs, a.obj_rights, a.taken, &reply,
                             deadline);
        else if ((r = channel_write_wait(a.ch, a.bytes, a.nbytes, a.objs, a.obj_rights, a.taken,
                                         deadline)) == 0)
            r = rr;
        if (a.held) object_unref(a.ch);
    }
    return r;
}

/* The request as channel_write, then the reply's buffers (bytes, nbytes, handles,
 * nhandles, sizes) from s[5..9] as channel_read on the same handle, both waiting until
 * the timeout s[10] (for room in a full queue, then for the reply). The reply's errors
 * come after the request is sent, as if made by a channel_read after the write. */
int abi_channel_call(struct process *p, uint64_t *s)
{
    uint64_t deadline = (int64_t)s[10] < 0 ? 0 : abi_deadline((int64_t)s[10]);

    s[0] = (uint32_t)((uint32_t)s[4] == 0 ? channel_call_plain(p, s, deadline)
                                          : channel_call_general(p, s, deadline));
    return 0;
}
