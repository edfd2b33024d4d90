/*
 * Handle and object imports: every call names its object by a handle of the caller's
 * own table, fetched with the type and rights abi.def names by the generated code
 * before the handler runs (decode, then invoke). Handles sent through a channel leave
 * the sender's table first and are consumed whatever the outcome.
 */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "lib/string.h"

int32_t abi_handle_close(struct process *p, tk_handle h)
{
    return handle_close(&p->handles, h);
}

int32_t abi_handle_duplicate(struct process *p, tk_handle h, uint32_t rights, tk_handle *out)
{
    return handle_duplicate(&p->handles, h, rights, out);
}

int32_t abi_handle_replace(struct process *p, tk_handle h, uint32_t rights, tk_handle *out)
{
    return handle_replace(&p->handles, h, rights, out);
}

int32_t abi_handle_info(struct process *p, struct object *h, uint32_t h_rights,
                        struct tk_handle_info *out)
{
    *out = (struct tk_handle_info){h->ops->type, h_rights, h->koid};
    return 0;
}

/* The *_create imports: a new object, its one handle (every right) to *out. */
static int32_t create_out(struct process *p, tk_handle *out, int (*create)(struct object **))
{
    struct object *o;
    int r;

    if ((r = create(&o)) == 0) {
        r = abi_handle_install(p, o, TK_RIGHTS_ALL, out);
        object_unref(o);
    }
    return r;
}

int32_t abi_event_create(struct process *p, tk_handle *out)
{
    return create_out(p, out, event_create);
}

int32_t abi_timer_create(struct process *p, tk_handle *out)
{
    return create_out(p, out, timer_create);
}

int32_t abi_port_create(struct process *p, tk_handle *out)
{
    return create_out(p, out, port_create);
}

int32_t abi_timer_set(struct process *p, struct object *h, uint32_t h_rights, int64_t deadline_ns)
{
    if (deadline_ns <= 0) return TK_ERR_RANGE; /* 0 would disarm: that is timer_cancel */
    timer_set(h, (uint64_t)deadline_ns);
    return 0;
}

int32_t abi_timer_cancel(struct process *p, struct object *h, uint32_t h_rights)
{
    timer_set(h, 0);
    return 0;
}

int32_t abi_port_watch(struct process *p, struct object *port, uint32_t port_rights,
                       struct object *h, uint32_t h_rights, uint64_t key, uint32_t signals)
{
    return h == port ? TK_ERR_INVAL : port_watch(port, h, key, signals);
}

int32_t abi_port_unwatch(struct process *p, struct object *port, uint32_t port_rights, uint64_t key)
{
    return port_unwatch(port, key);
}

int32_t abi_port_wait(struct process *p, struct object *port, uint32_t port_rights,
                      struct tk_port_packet *out, int64_t timeout_ns)
{
    struct tk_port_packet packet;
    int r = port_wait(port, abi_deadline(timeout_ns), &packet);

    if (r == 0) *out = packet;
    return r;
}

int32_t abi_object_signal(struct process *p, struct object *h, uint32_t h_rights, uint32_t clear,
                          uint32_t set)
{
    if ((clear | set) & ~TK_SIGNAL_SIGNALED)
        return TK_ERR_INVAL; /* only the user signal is the caller's to change */
    object_signal(h, clear, set);
    return 0;
}

int32_t abi_object_wait_one(struct process *p, struct object *h, uint32_t h_rights,
                            uint32_t signals, int64_t timeout_ns, uint32_t *observed)
{
    uint32_t seen = 0;
    int r = object_wait(h, signals, abi_deadline(timeout_ns), &seen);

    *observed = seen;
    return r;
}

int32_t abi_channel_create(struct process *p, tk_handle *end0, tk_handle *end1)
{
    struct object *a, *b;
    tk_handle h0, h1;
    int r;

    if ((r = channel_create(&a, &b)) < 0) return r;
    r = handle_install(&p->handles, a, TK_RIGHTS_ALL, &h0);
    if (r == 0 && (r = handle_install(&p->handles, b, TK_RIGHTS_ALL, &h1)) < 0)
        handle_close(&p->handles, h0);
    object_unref(a);
    object_unref(b);
    if (r == 0) {
        *end0 = h0;
        *end1 = h1;
    }
    return r;
}

/* The handles a message sends, out of the sender's table (moved: they go whatever the
 * outcome). Each value of the module's array is read once. */
struct channel_send {
    uint32_t taken;
    struct object *objs[TK_CHANNEL_MAX_HANDLES];
    uint32_t rights[TK_CHANNEL_MAX_HANDLES];
};

/* Takes the n (at most TK_CHANNEL_MAX_HANDLES) handles named at hs into a: 0,
 * TK_ERR_BAD_HANDLE, TK_ERR_DENIED (one without TRANSFER). On an error nothing is held,
 * and every handle named has left the table anyway. */
static int channel_send_take(struct process *p, const tk_handle *hs, uint32_t n,
                             struct channel_send *a)
{
    int r = 0;

    a->taken = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = a->taken;
        if (handle_take(&p->handles, hs[i], &a->objs[k], &a->rights[k]) < 0) {
            if (r == 0) r = TK_ERR_BAD_HANDLE;
            continue;
        }
        if (!(a->rights[k] & TK_RIGHT_TRANSFER) && r == 0) r = TK_ERR_DENIED;
        a->taken++;
    }
    if (r < 0) {
        for (uint32_t i = 0; i < a->taken; i++) object_unref(a->objs[i]);
        a->taken = 0;
    }
    return r;
}

int32_t abi_channel_write(struct process *p, struct object *h, uint32_t h_rights, const void *bytes,
                          uint32_t nbytes, const tk_handle *handles, uint32_t nhandles)
{
    struct channel_send a;
    int r;

    if (nhandles > TK_CHANNEL_MAX_HANDLES || nbytes > TK_CHANNEL_MAX_BYTES) return TK_ERR_RANGE;
    if (nhandles == 0) return channel_write(h, bytes, nbytes, NULL, NULL, 0);
    object_ref(h); /* borrowed, and one of the handles sent may be its own */
    if ((r = channel_send_take(p, handles, nhandles, &a)) == 0)
        r = channel_write(h, bytes, nbytes, a.objs, a.rights, a.taken);
    object_unref(h);
    return r;
}

int32_t abi_channel_read(struct process *p, struct object *h, uint32_t h_rights, void *bytes,
                         uint32_t nbytes, tk_handle *handles, uint32_t nhandles,
                         struct tk_channel_sizes *sizes)
{
    struct channel_buffers b = {bytes, nbytes, handles, nhandles, sizes, &p->handles};

    return channel_read_wait(h, &b, 1); /* reading only installs handles: h stays borrowed */
}

/* channel_call sending handles. Apart, so that the plain path's frame stays small. */
static __attribute__((noinline)) int
channel_call_handles(struct process *p, struct object *h, const void *bytes, uint32_t nbytes,
                     const tk_handle *handles, uint32_t nhandles,
                     const struct channel_buffers *reply, uint64_t deadline)
{
    struct channel_send a;
    int r;

    object_ref(h); /* borrowed, and one of the handles sent may be its own */
    if ((r = channel_send_take(p, handles, nhandles, &a)) == 0)
        r = channel_call(h, bytes, nbytes, a.objs, a.rights, a.taken, reply, deadline);
    object_unref(h);
    return r;
}

/* The request as channel_write, then the reply into the reply buffers as channel_read on
 * the same handle, both waiting until the timeout (for room in a full queue, then for
 * the reply). */
int32_t abi_channel_call(struct process *p, struct object *h, uint32_t h_rights, const void *bytes,
                         uint32_t nbytes, const tk_handle *handles, uint32_t nhandles, void *reply,
                         uint32_t reply_bytes, tk_handle *reply_handles, uint32_t reply_nhandles,
                         struct tk_channel_sizes *sizes, int64_t timeout_ns)
{
    uint64_t deadline = timeout_ns < 0 ? 0 : abi_deadline(timeout_ns);
    struct channel_buffers b = {reply,          reply_bytes, reply_handles,
                                reply_nhandles, sizes,       &p->handles};

    if (nhandles > TK_CHANNEL_MAX_HANDLES || nbytes > TK_CHANNEL_MAX_BYTES) return TK_ERR_RANGE;
    if (nhandles) return channel_call_handles(p, h, bytes, nbytes, handles, nhandles, &b, deadline);
    return channel_call_bytes(h, bytes, nbytes, &b, deadline);
}
