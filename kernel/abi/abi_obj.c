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

/* Stores a new handle to o into the caller's memory at ptr (checked by the caller). */
static int install_out(struct process *p, struct object *o, uint32_t rights, uint32_t ptr)
{
    tk_handle h;
    int r = handle_install(&p->handles, o, rights, &h);
    tk_handle *out = abi_mem(p, ptr, sizeof(h));

    if (r == 0 && out) *out = h;
    return r;
}

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
        r = install_out(p, o, TK_RIGHTS_ALL, (uint32_t)s[0]);
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

/* channel_write's work: s[0..4] are (h, bytes, nbytes, handles, nhandles). */
static int channel_send(struct process *p, const uint64_t *s)
{
    uint32_t nbytes = (uint32_t)s[2], nh = (uint32_t)s[4];
    const void *bytes = abi_mem_in(p, (uint32_t)s[1], nbytes);
    const tk_handle *hs = abi_mem_in(p, (uint32_t)s[3], (uint64_t)nh * sizeof(tk_handle));
    struct object *objs[TK_CHANNEL_MAX_HANDLES], *ch = NULL;
    uint32_t rights[TK_CHANNEL_MAX_HANDLES], taken = 0;
    int r;

    if (!bytes || !hs) return TK_ERR_FAULT;
    if (nh > TK_CHANNEL_MAX_HANDLES || nbytes > TK_CHANNEL_MAX_BYTES) return TK_ERR_RANGE;
    r = handle_get(&p->handles, (uint32_t)s[0], TK_OBJ_CHANNEL, TK_RIGHT_WRITE, &ch, NULL);
    /* every handle named leaves the table, sent or not: moved, never copied */
    for (uint32_t i = 0; i < nh; i++) {
        tk_handle h = hs[i];
        if (handle_take(&p->handles, h, &objs[taken], &rights[taken]) < 0) {
            if (r == 0) r = TK_ERR_BAD_HANDLE;
            continue;
        }
        if (!(rights[taken] & TK_RIGHT_TRANSFER) && r == 0) r = TK_ERR_DENIED;
        taken++;
    }
    if (r < 0) {
        for (uint32_t i = 0; i < taken; i++) object_unref(objs[i]);
    } else {
        r = channel_write(ch, bytes, nbytes, objs, rights, taken);
    }
    if (ch) object_unref(ch);
    return r;
}

/* channel_read's work: s[0..5] are (h, bytes, nbytes, handles, nhandles, sizes); with a
 * deadline (not 1), it waits for a message first. */
static int channel_receive(struct process *p, tk_handle h, const uint64_t *s, uint64_t deadline)
{
    uint32_t nbytes = (uint32_t)s[2], nh = (uint32_t)s[4], seen;
    void *bytes = abi_mem(p, (uint32_t)s[1], nbytes);
    tk_handle *hs = abi_mem(p, (uint32_t)s[3], (uint64_t)nh * sizeof(tk_handle));
    struct tk_channel_sizes *sizes = abi_mem(p, (uint32_t)s[5], sizeof(*sizes));
    struct object *ch;
    int r;

    if (!bytes || !hs || !sizes) return TK_ERR_FAULT;
    if ((r = handle_get(&p->handles, h, TK_OBJ_CHANNEL, TK_RIGHT_READ, &ch, NULL)) < 0) return r;
    while ((r = channel_read(ch, bytes, nbytes, hs, nh, &p->handles, sizes)) == TK_ERR_AGAIN &&
           deadline != 1 &&
           (r = object_wait(ch, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, deadline, &seen)) ==
               0) {
    }
    object_unref(ch);
    return r;
}

int abi_channel_write(struct process *p, uint64_t *s)
{
    s[0] = (uint32_t)channel_send(p, s);
    return 0;
}

int abi_channel_read(struct process *p, uint64_t *s)
{
    s[0] = (uint32_t)channel_receive(p, (uint32_t)s[0], s, 1);
    return 0;
}

int abi_channel_call(struct process *p, uint64_t *s)
{
    tk_handle h = (uint32_t)s[0];
    uint64_t deadline = abi_deadline((int64_t)s[10]);
    int r = channel_send(p, s);

    /* the reply's buffers: (h, bytes, nbytes, handles, nhandles, sizes) from s[5..9] */
    if (r == 0) r = channel_receive(p, h, s + 4, deadline);
    s[0] = (uint32_t)r;
    return 0;
}
