/*
 * Handle tables, events and channels, tested on two handle tables standing in for two
 * processes. Every test ends with the object count back at its start.
 */
#include <takara/error.h>

#include "kernel/clock.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "lib/string.h"

KTEST(handle_errors_are_specific)
{
    struct handle_table a, b;
    struct object *ev, *o;
    tk_handle h, dup, weak;
    uint32_t base = object_count(), rights;

    handle_table_init(&a);
    handle_table_init(&b);
    KT_ASSERT_EQ(event_create(&ev), 0);
    KT_ASSERT_EQ(handle_install(&a, ev, TK_RIGHTS_ALL, &h), 0);
    object_unref(ev); /* the handle holds it now */
    KT_ASSERT_EQ(handle_get(&a, h, TK_OBJ_EVENT, TK_RIGHT_WAIT, &o, &rights), 0);
    KT_ASSERT(o == ev && rights == TK_RIGHTS_ALL);
    object_unref(o);
    /* forged values, another table's value, the wrong type */
    KT_ASSERT_EQ(handle_get(&a, 0, TK_OBJ_NONE, 0, &o, NULL), TK_ERR_BAD_HANDLE);
    KT_ASSERT_EQ(handle_get(&a, h + 1, TK_OBJ_NONE, 0, &o, NULL), TK_ERR_BAD_HANDLE);
    KT_ASSERT_EQ(handle_get(&a, h ^ 0x1000, TK_OBJ_NONE, 0, &o, NULL), TK_ERR_BAD_HANDLE);
    KT_ASSERT_EQ(handle_get(&b, h, TK_OBJ_NONE, 0, &o, NULL), TK_ERR_BAD_HANDLE);
    KT_ASSERT_EQ(handle_get(&a, h, TK_OBJ_CHANNEL, 0, &o, NULL), TK_ERR_WRONG_TYPE);
    /* fewer rights: a duplicate without SIGNAL cannot signal, nor regain it */
    KT_ASSERT_EQ(handle_duplicate(&a, h, TK_RIGHT_WAIT | TK_RIGHT_DUPLICATE, &weak), 0);
    KT_ASSERT(weak != h);
    KT_ASSERT_EQ(handle_get(&a, weak, TK_OBJ_NONE, TK_RIGHT_SIGNAL, &o, NULL), TK_ERR_DENIED);
    KT_ASSERT_EQ(handle_duplicate(&a, weak, TK_RIGHTS_ALL, &dup), TK_ERR_DENIED);
    KT_ASSERT_EQ(handle_replace(&a, weak, TK_RIGHT_WAIT, &dup), 0);
    KT_ASSERT_EQ(handle_get(&a, weak, TK_OBJ_NONE, 0, &o, NULL), TK_ERR_BAD_HANDLE); /* replaced */
    KT_ASSERT_EQ(handle_duplicate(&a, dup, TK_RIGHTS_SAME, &weak),
                 TK_ERR_DENIED); /* no DUPLICATE */
    /* closed values stay invalid: the slot is reused last, with a new generation */
    KT_ASSERT_EQ(handle_close(&a, dup), 0);
    KT_ASSERT_EQ(handle_close(&a, dup), TK_ERR_BAD_HANDLE);
    for (int i = 0; i < 20; i++) {
        KT_ASSERT_EQ(handle_duplicate(&a, h, TK_RIGHTS_SAME, &weak), 0);
        KT_ASSERT(weak != dup);
        KT_ASSERT_EQ(handle_close(&a, weak), 0);
    }
    handle_table_destroy(&a);
    handle_table_destroy(&b);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(handle_table_exhaustion_is_an_error)
{
    struct handle_table t;
    struct object *ev;
    tk_handle h;
    uint32_t base = object_count();
    int r = 0, n = 0;

    handle_table_init(&t);
    KT_ASSERT_EQ(event_create(&ev), 0);
    while ((r = handle_install(&t, ev, TK_RIGHTS_ALL, &h)) == 0) n++;
    KT_ASSERT_EQ(r, TK_ERR_LIMIT);
    KT_ASSERT_EQ(n, HANDLE_TABLE_MAX);
    KT_ASSERT_EQ(handle_close(&t, h), 0); /* the last good value: room again */
    KT_ASSERT_EQ(handle_install(&t, ev, TK_RIGHTS_ALL, &h), 0);
    object_unref(ev);
    handle_table_destroy(&t);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(event_signals_wake_waiters)
{
    struct object *ev;
    uint32_t seen = 0;

    KT_ASSERT_EQ(event_create(&ev), 0);
    KT_ASSERT_EQ(object_wait(ev, TK_SIGNAL_SIGNALED, 1, &seen), TK_ERR_TIMEOUT);
    object_signal(ev, 0, TK_SIGNAL_SIGNALED);
    KT_ASSERT_EQ(object_wait(ev, TK_SIGNAL_SIGNALED, 0, &seen), 0);
    KT_ASSERT_EQ(seen, TK_SIGNAL_SIGNALED);
    object_unref(ev);
}

KTEST(channel_messages_whole_and_in_order)
{
    struct handle_table t;
    struct object *a, *b, *ev;
    struct tk_channel_sizes sz;
    tk_handle got[2];
    char buf[16];
    uint32_t base = object_count(), rights[1] = {TK_RIGHT_WAIT | TK_RIGHT_TRANSFER}, seen;

    handle_table_init(&t);
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    KT_ASSERT_EQ(channel_read(b, buf, sizeof(buf), got, 2, &t, &sz), TK_ERR_AGAIN);
    KT_ASSERT_EQ(channel_write(a, "one", 3, NULL, NULL, 0), 0);
    KT_ASSERT_EQ(channel_write(a, "second", 6, NULL, NULL, 0), 0);
    KT_ASSERT_EQ(object_wait(b, TK_SIGNAL_READABLE, 1, &seen), 0);
    /* too small: nothing read, the sizes told */
    KT_ASSERT_EQ(channel_read(b, buf, 2, got, 2, &t, &sz), TK_ERR_BUFFER_TOO_SMALL);
    KT_ASSERT(sz.bytes == 3 && sz.handles == 0);
    KT_ASSERT_EQ(channel_read(b, buf, sizeof(buf), got, 2, &t, &sz), 0);
    KT_ASSERT(sz.bytes == 3 && !memcmp(buf, "one", 3));
    KT_ASSERT_EQ(channel_read(b, buf, sizeof(buf), got, 2, &t, &sz), 0);
    KT_ASSERT(sz.bytes == 6 && !memcmp(buf, "second", 6));
    KT_ASSERT(!(b->signals & TK_SIGNAL_READABLE));
    /* a handle travels: the receiver gets a handle with the rights sent */
    KT_ASSERT_EQ(event_create(&ev), 0);
    object_ref(ev);
    KT_ASSERT_EQ(channel_write(a, "h", 1, &ev, rights, 1), 0);
    KT_ASSERT_EQ(channel_read(b, buf, sizeof(buf), got, 2, &t, &sz), 0);
    KT_ASSERT_EQ(sz.handles, 1);
    struct object *o;
    uint32_t r;
    KT_ASSERT_EQ(handle_get(&t, got[0], TK_OBJ_EVENT, 0, &o, &r), 0);
    KT_ASSERT(o == ev && r == rights[0]);
    object_unref(o);
    /* an endpoint cannot travel through itself; the handles are consumed anyway */
    object_ref(a);
    uint32_t all[1] = {TK_RIGHTS_ALL};
    KT_ASSERT_EQ(channel_write(a, "x", 1, &a, all, 1), TK_ERR_INVAL);
    /* a full queue pushes back, and nothing is lost */
    int sent = 0;
    while (channel_write(a, &sent, sizeof(sent), NULL, NULL, 0) == 0) sent++;
    KT_ASSERT_EQ(sent, TK_CHANNEL_MAX_QUEUED);
    KT_ASSERT(!(a->signals & TK_SIGNAL_WRITABLE));
    KT_ASSERT_EQ(channel_write(a, "y", 1, NULL, NULL, 0), TK_ERR_AGAIN);
    for (int i = 0; i < sent; i++) {
        int v = -1;
        KT_ASSERT_EQ(channel_read(b, &v, sizeof(v), got, 2, &t, &sz), 0);
        KT_ASSERT_EQ(v, i);
        if (i == 0) KT_ASSERT(a->signals & TK_SIGNAL_WRITABLE);
    }
    /* peer closed: seen after the queued messages, and writes fail */
    KT_ASSERT_EQ(channel_write(a, "last", 4, NULL, NULL, 0), 0);
    object_unref(a);
    KT_ASSERT(b->signals & TK_SIGNAL_PEER_CLOSED);
    KT_ASSERT_EQ(channel_read(b, buf, sizeof(buf), got, 2, &t, &sz), 0);
    KT_ASSERT(sz.bytes == 4 && !memcmp(buf, "last", 4));
    KT_ASSERT_EQ(channel_read(b, buf, sizeof(buf), got, 2, &t, &sz), TK_ERR_PEER_CLOSED);
    KT_ASSERT_EQ(channel_write(b, "z", 1, NULL, NULL, 0), TK_ERR_PEER_CLOSED);
    object_unref(b);
    object_unref(ev);
    handle_table_destroy(&t);
    KT_ASSERT_EQ(object_count(), base);
}

/* Recycled small-message records keep order and the bound: a full queue twice over,
 * with a message carrying a handle (the general path) in the middle of small ones. */
KTEST(channel_spare_records_keep_order_and_bound)
{
    struct handle_table t;
    struct object *a, *b, *ev;
    struct tk_channel_sizes sz;
    tk_handle got[1];
    uint32_t base = object_count(), rights[1] = {TK_RIGHT_WAIT | TK_RIGHT_TRANSFER};
    int v;

    handle_table_init(&t);
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < (int)TK_CHANNEL_MAX_QUEUED; i++) {
            if (i == 10) {
                KT_ASSERT_EQ(event_create(&ev), 0);
                KT_ASSERT_EQ(channel_write(a, &i, sizeof(i), &ev, rights, 1), 0);
            } else {
                KT_ASSERT_EQ(channel_write(a, &i, sizeof(i), NULL, NULL, 0), 0);
            }
        }
        KT_ASSERT_EQ(channel_write(a, "y", 1, NULL, NULL, 0), TK_ERR_AGAIN);
        KT_ASSERT(!(a->signals & TK_SIGNAL_WRITABLE));
        for (int i = 0; i < (int)TK_CHANNEL_MAX_QUEUED; i++) {
            KT_ASSERT_EQ(channel_read(b, &v, sizeof(v), got, 1, &t, &sz), 0);
            KT_ASSERT_EQ(v, i);
            KT_ASSERT_EQ(sz.handles, i == 10 ? 1 : 0);
            if (i == 10) KT_ASSERT_EQ(handle_close(&t, got[0]), 0);
        }
        KT_ASSERT_EQ(channel_read(b, &v, sizeof(v), got, 1, &t, &sz), TK_ERR_AGAIN);
        KT_ASSERT(a->signals & TK_SIGNAL_WRITABLE);
    }
    object_unref(a);
    object_unref(b);
    handle_table_destroy(&t);
    KT_ASSERT_EQ(object_count(), base);
}

/* A kernel thread reading `end` with channel_read_wait, one read per step, offering
 * 8 bytes, then 8, then 16, then 16. */
struct chan_reader {
    struct object *end;
    struct handle_table *table;
    struct thread *thread;
    volatile int steps, result[4];
    char buf[16];
    struct tk_channel_sizes sz;
};

static void chan_reader_run(void *arg)
{
    struct chan_reader *r = arg;

    for (int i = 0; i < 4; i++) {
        struct channel_buffers b = {r->buf, i < 2 ? 8 : 16, NULL, 0, &r->sz, r->table};
        r->result[i] = channel_read_wait(r->end, &b, 0);
        r->steps = i + 1;
        if (r->result[i] == TK_ERR_KILLED) return;
    }
}

/* Yields until t sleeps (it has the CPU's other turns): false if it never does. */
static bool yield_until_blocked(struct thread *t)
{
    for (int i = 0; i < 1000; i++) {
        sched_yield();
        if (t->state == THREAD_BLOCKED) return true;
    }
    return false;
}

/* The fast path's conditions: a small message goes straight to a reader blocked on the
 * endpoint (nothing queued, no READABLE), one too big for its buffer is queued and
 * reported to it, and a reader woken by a kill is given nothing. */
KTEST(channel_small_message_goes_to_a_waiting_reader)
{
    struct handle_table t;
    struct chan_reader r = {0};
    struct object *a, *b;
    struct tk_channel_sizes sz;
    char big[16] = "sixteen bytes..", buf[16];
    uint32_t base = object_count();

    handle_table_init(&t);
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    r.end = b;
    r.table = &t;
    KT_ASSERT((r.thread = thread_create("reader", SCHED_PRIO_NORMAL, chan_reader_run, &r, 16384)));
    KT_ASSERT(yield_until_blocked(r.thread));
    KT_ASSERT_EQ(channel_write(a, "hi!", 3, NULL, NULL, 0), 0);
    KT_ASSERT(!(b->signals & TK_SIGNAL_READABLE)); /* never queued */
    KT_ASSERT(yield_until_blocked(r.thread));      /* took it, and waits again */
    KT_ASSERT(r.steps == 1 && r.result[0] == 0 && r.sz.bytes == 3 && !memcmp(r.buf, "hi!", 3));
    /* too big for the waiting reader: queued, and the reader is told the size */
    KT_ASSERT_EQ(channel_write(a, big, sizeof(big), NULL, NULL, 0), 0);
    KT_ASSERT(b->signals & TK_SIGNAL_READABLE);
    KT_ASSERT(yield_until_blocked(r.thread)); /* told, then read it with 16 bytes */
    KT_ASSERT(r.steps == 3 && r.result[1] == TK_ERR_BUFFER_TOO_SMALL && r.result[2] == 0);
    KT_ASSERT(r.sz.bytes == sizeof(big) && !memcmp(r.buf, big, sizeof(big)));
    KT_ASSERT(!(b->signals & TK_SIGNAL_READABLE));
    /* killed while it waits, the reader is not given the next message */
    thread_kill(r.thread);
    KT_ASSERT_EQ(channel_write(a, "late", 4, NULL, NULL, 0), 0);
    KT_ASSERT(b->signals & TK_SIGNAL_READABLE);
    for (int i = 0; i < 100 && r.steps < 4; i++) sched_yield();
    KT_ASSERT_EQ(r.result[3], TK_ERR_KILLED);
    KT_ASSERT_EQ(channel_read(b, buf, sizeof(buf), NULL, 0, &t, &sz), 0);
    KT_ASSERT(sz.bytes == 4 && !memcmp(buf, "late", 4));
    object_unref(a);
    object_unref(b);
    handle_table_destroy(&t);
    KT_ASSERT_EQ(object_count(), base);
}

/* An echo server thread: each request plus one comes back, until the peer goes. */
struct chan_echo {
    struct object *end, *done; /* an event */
    struct handle_table *table;
    int result;
};

static void chan_echo_run(void *arg)
{
    struct chan_echo *e = arg;
    struct tk_channel_sizes sz;
    uint32_t v;
    struct channel_buffers b = {&v, sizeof(v), NULL, 0, &sz, e->table};
    int r = channel_read_wait(e->end, &b, 0);

    while (r == 0) {
        v++;
        r = channel_call(e->end, &v, sizeof(v), NULL, NULL, 0, &b, 0);
    }
    e->result = r;
    object_signal(e->done, 0, TK_SIGNAL_SIGNALED);
}

/* channel_call between two threads, replies in order, with the server as urgent as the
 * client (the CPU handed over directly) and less urgent (through the run queue). */
KTEST(channel_call_round_trips_between_threads)
{
    uint8_t prios[2] = {SCHED_PRIO_NORMAL, SCHED_PRIO_LOW};
    uint32_t base = object_count();

    for (int k = 0; k < 2; k++) {
        struct handle_table t, ts;
        struct chan_echo e = {0};
        struct object *a, *b;
        struct tk_channel_sizes sz;
        uint32_t v, w, seen;
        struct channel_buffers reply = {&w, sizeof(w), NULL, 0, &sz, &t};

        handle_table_init(&t);
        handle_table_init(&ts);
        KT_ASSERT_EQ(channel_create(&a, &b), 0);
        e.end = b;
        e.table = &ts;
        KT_ASSERT_EQ(event_create(&e.done), 0);
        KT_ASSERT(thread_create("echo", prios[k], chan_echo_run, &e, 16384));
        for (uint32_t i = 0; i < 300; i++) {
            v = i * 2;
            w = 0;
            KT_ASSERT_EQ(channel_call(a, &v, sizeof(v), NULL, NULL, 0, &reply, 0), 0);
            KT_ASSERT(sz.bytes == sizeof(w) && w == i * 2 + 1);
        }
        object_unref(a); /* the server sees PEER_CLOSED and ends */
        KT_ASSERT_EQ(object_wait(e.done, TK_SIGNAL_SIGNALED, 0, &seen), 0);
        KT_ASSERT_EQ(e.result, TK_ERR_PEER_CLOSED);
        object_unref(e.done);
        object_unref(b);
        handle_table_destroy(&t);
        handle_table_destroy(&ts);
    }
    KT_ASSERT_EQ(object_count(), base);
}

/* Closing an endpoint frees the messages queued at it, and the handles they carry. */
KTEST(channel_teardown_frees_queued_handles)
{
    struct object *a, *b, *c, *d;
    uint32_t base = object_count(), all[1] = {TK_RIGHTS_ALL};

    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    KT_ASSERT_EQ(channel_create(&c, &d), 0);
    KT_ASSERT_EQ(channel_write(a, "carry", 5, &c, all, 1), 0); /* c rides to b's queue */
    object_unref(a);
    object_unref(b); /* b's queue goes, c with it: d sees its peer closed */
    KT_ASSERT(d->signals & TK_SIGNAL_PEER_CLOSED);
    object_unref(d);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(timer_fires_and_cancels)
{
    struct object *t;
    uint32_t seen, base = object_count();
    uint64_t t0 = clock_ns();

    KT_ASSERT_EQ(timer_create(&t), 0);
    timer_set(t, t0 + 30000000);
    KT_ASSERT_EQ(object_wait(t, TK_SIGNAL_TIMER_FIRED, t0 + 10000000, &seen), TK_ERR_TIMEOUT);
    KT_ASSERT_EQ(object_wait(t, TK_SIGNAL_TIMER_FIRED, 0, &seen), 0);
    KT_ASSERT(clock_ns() >= t0 + 30000000);
    timer_set(t, clock_ns() + 20000000); /* re-armed: FIRED cleared */
    KT_ASSERT(!(t->signals & TK_SIGNAL_TIMER_FIRED));
    timer_set(t, 0); /* cancelled: never fires */
    KT_ASSERT_EQ(object_wait(t, TK_SIGNAL_TIMER_FIRED, clock_ns() + 40000000, &seen),
                 TK_ERR_TIMEOUT);
    timer_set(t, clock_ns() + 1000000000);
    object_unref(t); /* armed when it goes: taken off the list */
    KT_ASSERT_EQ(sched_sleep_until(clock_ns() + 20000000), 0);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(port_collects_signals_from_many_objects)
{
    struct object *port, *a1, *b1, *a2, *b2, *ev;
    struct tk_port_packet pk;
    uint32_t base = object_count();

    KT_ASSERT_EQ(port_create(&port), 0);
    KT_ASSERT_EQ(channel_create(&a1, &b1), 0);
    KT_ASSERT_EQ(channel_create(&a2, &b2), 0);
    KT_ASSERT_EQ(port_watch(port, b1, 1, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED), 0);
    KT_ASSERT_EQ(port_watch(port, b2, 2, TK_SIGNAL_READABLE), 0);
    KT_ASSERT_EQ(port_wait(port, 1, &pk), TK_ERR_TIMEOUT);
    KT_ASSERT_EQ(channel_write(a2, "x", 1, NULL, NULL, 0), 0);
    KT_ASSERT_EQ(channel_write(a1, "y", 1, NULL, NULL, 0), 0);
    KT_ASSERT_EQ(channel_write(a1, "z", 1, NULL, NULL, 0), 0); /* merges with the last */
    KT_ASSERT(port->signals & TK_SIGNAL_READABLE);
    KT_ASSERT_EQ(port_wait(port, 0, &pk), 0);
    KT_ASSERT(pk.key == 2 && pk.signals == TK_SIGNAL_READABLE);
    KT_ASSERT_EQ(port_wait(port, 0, &pk), 0);
    KT_ASSERT(pk.key == 1 && (pk.signals & TK_SIGNAL_READABLE));
    KT_ASSERT_EQ(port_wait(port, 1, &pk), TK_ERR_TIMEOUT);
    KT_ASSERT(!(port->signals & TK_SIGNAL_READABLE));
    /* a watch on a signal already up fires at once; unwatch drops it */
    KT_ASSERT_EQ(event_create(&ev), 0);
    object_signal(ev, 0, TK_SIGNAL_SIGNALED);
    KT_ASSERT_EQ(port_watch(port, ev, 3, TK_SIGNAL_SIGNALED), 0);
    KT_ASSERT_EQ(port_unwatch(port, 3), 0);
    KT_ASSERT_EQ(port_unwatch(port, 3), TK_ERR_NOENT);
    KT_ASSERT_EQ(port_wait(port, 1, &pk), TK_ERR_TIMEOUT);
    /* the watched object goes first: a peer closing is still seen on the other watch */
    object_unref(a1);
    KT_ASSERT_EQ(port_wait(port, 0, &pk), 0);
    KT_ASSERT(pk.key == 1 && (pk.signals & TK_SIGNAL_PEER_CLOSED));
    object_unref(b1); /* gone while watched */
    object_unref(a2);
    object_unref(ev);
    object_unref(port); /* the port goes while still watching b2 */
    object_unref(b2);
    KT_ASSERT_EQ(object_count(), base);
}

/* Memory objects of an ordinary quota cannot take the machine's reserve, a reserve
 * holder's can, and every page comes back. */
KTEST(memory_objects_leave_a_reserve)
{
    struct object *objs[64], *below;
    struct quota *q = quota_new(NULL, ~0ull, ~0ull, false),
                 *init = quota_new(NULL, ~0ull, ~0ull, true);
    uint64_t before = pmm_free_pages();
    uint32_t base = object_count(), n = 0, pages;
    int r = 0;

    KT_ASSERT(q && init);
    while (n < 64 && (r = memory_object_create(TK_MEMORY_MAX_PAGES, q, &objs[n])) == 0) n++;
    KT_ASSERT_EQ(r, TK_ERR_NOMEM);
    KT_ASSERT(pmm_free_pages() >= quota_reserve_pages());
    KT_ASSERT(pmm_free_pages() < quota_reserve_pages() + TK_MEMORY_MAX_PAGES);
    KT_ASSERT(n > 0);
    KT_ASSERT(memory_object_frames(objs[0], &pages) && pages == TK_MEMORY_MAX_PAGES);
    KT_ASSERT_EQ(memory_object_create(0, q, &objs[n]), TK_ERR_RANGE);
    /* then in 16-page steps up to the reserve's edge, and past it for the holder */
    static struct object *small[TK_MEMORY_MAX_PAGES / 16];
    uint32_t k = 0;
    while (k < TK_MEMORY_MAX_PAGES / 16 && memory_object_create(16, q, &small[k]) == 0) k++;
    KT_ASSERT(pmm_free_pages() < quota_reserve_pages() + 16);
    KT_ASSERT_EQ(memory_object_create(16, init, &below), 0);
    KT_ASSERT(pmm_free_pages() < quota_reserve_pages());
    object_unref(below);
    while (k) object_unref(small[--k]);
    while (n) object_unref(objs[--n]);
    quota_unref(q);
    quota_unref(init);
    KT_ASSERT_EQ(pmm_free_pages(), before);
    KT_ASSERT_EQ(object_count(), base);
}

/* A quota bounds what its objects hold, and keeps counting them after its owner lets go. */
KTEST(memory_objects_charge_their_quota)
{
    struct quota *q = quota_new(NULL, 1u << 20, 10, false);
    struct object *a, *b;
    uint64_t before = pmm_free_pages();

    KT_ASSERT(q != NULL);
    KT_ASSERT_EQ(memory_object_create(6, q, &a), 0);
    KT_ASSERT_EQ(memory_object_create(5, q, &b), TK_ERR_LIMIT);
    KT_ASSERT_EQ(quota_used_pages(q), 6);
    KT_ASSERT_EQ(memory_object_create(4, q, &b), 0);
    KT_ASSERT_EQ(quota_used_pages(q), 10);
    object_unref(a);
    KT_ASSERT_EQ(quota_used_pages(q), 4);
    quota_unref(q); /* the owner goes: b keeps the quota alive */
    KT_ASSERT_EQ(quota_used_pages(q), 4);
    object_unref(b);
    KT_ASSERT_EQ(pmm_free_pages(), before);
}
