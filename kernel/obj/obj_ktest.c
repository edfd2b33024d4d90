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

/* Memory objects cannot take the machine's last pages, and give back every page. */
KTEST(memory_objects_leave_a_reserve)
{
    struct object *objs[64];
    uint64_t before = pmm_free_pages();
    uint32_t base = object_count(), n = 0, pages;
    int r = 0;

    while (n < 64 && (r = memory_object_create(TK_MEMORY_MAX_PAGES, NULL, &objs[n])) == 0) n++;
    KT_ASSERT_EQ(r, TK_ERR_NOMEM);
    KT_ASSERT(pmm_free_pages() >= pmm_total_pages() / 8);
    KT_ASSERT(n > 0);
    KT_ASSERT(memory_object_frames(objs[0], &pages) && pages == TK_MEMORY_MAX_PAGES);
    KT_ASSERT_EQ(memory_object_create(0, NULL, &objs[n]), TK_ERR_RANGE);
    while (n) object_unref(objs[--n]);
    KT_ASSERT_EQ(pmm_free_pages(), before);
    KT_ASSERT_EQ(object_count(), base);
}

/* A quota bounds what its objects hold, and keeps counting them after its owner lets go. */
KTEST(memory_objects_charge_their_quota)
{
    struct quota *q = quota_new(10);
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
