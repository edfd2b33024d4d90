/*
 * The charging rules (quota.c): what a thread creates, queues or watches is charged to
 * its quota until it is freed, a charge over the limit is TK_ERR_LIMIT with nothing
 * done, and everything comes back. Each test runs as a "process" by giving the ktest
 * thread a quota of its own, and ends with the quota at zero and the object count back;
 * the tree rule works on quotas alone.
 */
#include <takara/error.h>

#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"
#include "lib/string.h"

/* Runs the rest of the test charging to q (the thread's quota is put back by the end). */
static struct quota *quota_enter(uint64_t limit_bytes, struct quota **saved)
{
    struct quota *q = quota_new(NULL, limit_bytes, 0, false);

    *saved = sched_current()->quota;
    sched_current()->quota = q;
    return q;
}

static void quota_leave(struct quota *saved)
{
    sched_current()->quota = saved;
}

/* Events, timers, ports and channels cost their creator until they go. */
KTEST(objects_charge_their_creator)
{
    static struct object *objs[1024];
    struct quota *saved, *q = quota_enter(8192, &saved);
    uint32_t base = object_count(), n = 0;
    struct object *a, *b;
    int r = 0;

    KT_ASSERT(q != NULL);
    while (n < 1024 && (r = event_create(&objs[n])) == 0) n++;
    KT_ASSERT_EQ(r, TK_ERR_LIMIT);
    KT_ASSERT(n > 8 && n < 1024);
    KT_ASSERT(quota_used_bytes(q) <= 8192);
    KT_ASSERT_EQ(quota_used_bytes(q), n * heap_block_bytes(sizeof(struct object)));
    KT_ASSERT_EQ(object_count(), base + n);
    KT_ASSERT_EQ(timer_create(&a), TK_ERR_LIMIT);
    KT_ASSERT_EQ(port_create(&a), TK_ERR_LIMIT);
    KT_ASSERT_EQ(channel_create(&a, &b), TK_ERR_LIMIT);
    KT_ASSERT_EQ(object_count(), base + n); /* nothing half made */
    object_unref(objs[--n]);
    object_unref(objs[--n]);
    KT_ASSERT_EQ(timer_create(&a), 0);
    object_unref(a);
    while (n) object_unref(objs[--n]);
    KT_ASSERT_EQ(quota_used_bytes(q), 0);
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    KT_ASSERT(quota_used_bytes(q) > 0);
    object_unref(a);
    object_unref(b);
    KT_ASSERT_EQ(quota_used_bytes(q), 0);
    KT_ASSERT_EQ(object_count(), base);
    quota_leave(saved);
    quota_unref(q);
}

/* A queued message costs its writer until it is read; over the limit nothing is sent. */
KTEST(messages_charge_their_writer_until_read)
{
    static uint8_t big[TK_CHANNEL_MAX_BYTES];
    struct quota *saved, *q = quota_enter(200u << 10, &saved);
    uint32_t base = object_count(), record = heap_block_bytes(sizeof(big) + 64);
    struct tk_channel_sizes sizes;
    struct handle_table t;
    struct object *a, *b, *ev;
    uint64_t channels;
    tk_handle got[1];
    uint32_t rights = TK_RIGHTS_ALL;

    handle_table_init(&t); /* the reader's table, charged to no one */
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    channels = quota_used_bytes(q);
    KT_ASSERT_EQ(channel_write(a, big, sizeof(big), NULL, NULL, 0), 0);
    KT_ASSERT_EQ(channel_write(a, big, sizeof(big), NULL, NULL, 0), 0);
    KT_ASSERT(quota_used_bytes(q) >= channels + 2ull * sizeof(big));
    KT_ASSERT(quota_used_bytes(q) <= channels + 2ull * record);
    /* the third does not fit: refused whole, its handle consumed, nothing queued */
    KT_ASSERT_EQ(event_create(&ev), 0);
    uint64_t before = quota_used_bytes(q);
    KT_ASSERT_EQ(channel_write(a, big, sizeof(big), &ev, &rights, 1), TK_ERR_LIMIT);
    KT_ASSERT(quota_used_bytes(q) < before); /* the event went with the failed write */
    KT_ASSERT_EQ(object_count(), base + 2);
    /* reading gives the writer its bytes back */
    KT_ASSERT_EQ(channel_read(b, big, sizeof(big), got, 1, &t, &sizes), 0);
    KT_ASSERT_EQ(sizes.bytes, sizeof(big));
    KT_ASSERT(quota_used_bytes(q) < channels + 2ull * sizeof(big));
    KT_ASSERT_EQ(channel_write(a, big, sizeof(big), NULL, NULL, 0), 0);
    /* closing the reader frees what is queued, and its charge */
    object_unref(b);
    object_unref(a);
    KT_ASSERT_EQ(quota_used_bytes(q), 0);
    KT_ASSERT_EQ(object_count(), base);
    handle_table_destroy(&t);
    quota_leave(saved);
    quota_unref(q);
}

/* A queued message outlives its writer's quota reference: the quota stays until it goes. */
KTEST(messages_keep_the_quota_of_an_ended_writer)
{
    struct quota *saved, *q = quota_enter(64u << 10, &saved);
    uint32_t base = object_count();
    struct object *a, *b;
    char msg[200] = "x";

    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    KT_ASSERT_EQ(channel_write(a, msg, sizeof(msg), NULL, NULL, 0), 0);
    quota_leave(saved);
    quota_ref(q);   /* held for the checks below */
    quota_unref(q); /* the "process" lets go of it */
    object_unref(a);
    KT_ASSERT(quota_used_bytes(q) > 0); /* b and the queued message still count */
    object_unref(b);
    KT_ASSERT_EQ(quota_used_bytes(q), 0);
    KT_ASSERT_EQ(object_count(), base);
    quota_unref(q);
}

/* Port watches cost the watcher; handle tables cost their owner, slot array by array. */
KTEST(watches_and_handle_tables_are_charged)
{
    struct quota *saved, *q = quota_enter(4096, &saved);
    struct quota *owner = quota_new(NULL, 1u << 20, 0, false);
    uint32_t base = object_count(), n = 0;
    struct handle_table t;
    struct object *port, *ev;
    tk_handle h;
    int r = 0;

    KT_ASSERT_EQ(port_create(&port), 0);
    KT_ASSERT_EQ(event_create(&ev), 0);
    while (n < TK_PORT_MAX_WATCHES && (r = port_watch(port, ev, n, TK_SIGNAL_SIGNALED)) == 0) n++;
    KT_ASSERT_EQ(r, TK_ERR_LIMIT);
    KT_ASSERT(n > 0 && n < TK_PORT_MAX_WATCHES);
    KT_ASSERT_EQ(port_unwatch(port, 0), 0);
    KT_ASSERT_EQ(port_watch(port, ev, 0, TK_SIGNAL_SIGNALED), 0);
    object_unref(port); /* its watches go with it */
    object_unref(ev);
    KT_ASSERT_EQ(quota_used_bytes(q), 0);
    quota_leave(saved);

    handle_table_init(&t);
    t.quota = owner;
    KT_ASSERT_EQ(event_create(&ev), 0);
    for (n = 0; n < 100; n++) KT_ASSERT_EQ(handle_install(&t, ev, TK_RIGHTS_ALL, &h), 0);
    KT_ASSERT_EQ(quota_used_bytes(owner), heap_block_bytes(t.nslots * sizeof(struct handle_slot)));
    handle_table_destroy(&t);
    object_unref(ev);
    KT_ASSERT_EQ(quota_used_bytes(owner), 0);
    KT_ASSERT_EQ(object_count(), base);
    quota_unref(owner);
    quota_unref(q);
}

/* Past the reserve only a holder may go; the kernel (no quota) is never refused. */
KTEST(the_reserve_is_for_its_holders)
{
    struct quota *ordinary = quota_new(NULL, ~0ull, ~0ull, false);
    struct quota *holder = quota_new(NULL, ~0ull, ~0ull, true);
    uint64_t free = pmm_free_pages(), reserve = quota_reserve_pages();

    KT_ASSERT(reserve > 0 && free > reserve);
    KT_ASSERT(quota_may_take(ordinary, free - reserve));
    KT_ASSERT(!quota_may_take(ordinary, free - reserve + 1));
    KT_ASSERT(quota_may_take(holder, free - reserve + 1));
    KT_ASSERT(quota_may_take(NULL, free));
    KT_ASSERT_EQ(quota_charge(ordinary, (free - reserve + 1) * PAGE_SIZE), TK_ERR_NOMEM);
    KT_ASSERT_EQ(quota_used_bytes(ordinary), 0);
    quota_unref(ordinary);
    quota_unref(holder);
}

/* A charge must fit its quota's own limit and its tree's, counted at the root over the
 * whole tree; a middle quota bounds only its own process; a refused charge changes no
 * count; the root stays until the last of its tree lets go. */
KTEST(a_charge_fits_its_own_limit_and_its_roots)
{
    struct heap_stats before, after;
    struct quota *root, *mid, *leaf, *sibling;

    heap_get_stats(&before);
    root = quota_new(NULL, 10000, 10, false);
    mid = quota_new(root, 100, 100, false);
    leaf = quota_new(mid, 1u << 20, 100, false);
    sibling = quota_new(root, 1u << 20, 100, false);
    KT_ASSERT(root && mid && leaf && sibling);
    /* the leaf's tree is the root's, not its parent's (100 bytes would not hold it) */
    KT_ASSERT_EQ(quota_charge(leaf, 6000), 0);
    KT_ASSERT_EQ(quota_used_bytes(leaf), 6000);
    KT_ASSERT_EQ(quota_used_bytes(mid), 0);
    KT_ASSERT_EQ(quota_tree_bytes(root), 6000);
    KT_ASSERT_EQ(quota_used_bytes(root), 0);
    /* the middle's own limit bounds its own charges */
    KT_ASSERT_EQ(quota_charge(mid, 101), TK_ERR_LIMIT);
    KT_ASSERT_EQ(quota_charge(mid, 100), 0);
    /* the sibling's own limit has room, the root's does not */
    KT_ASSERT_EQ(quota_charge(sibling, 4000), TK_ERR_LIMIT);
    KT_ASSERT_EQ(quota_used_bytes(sibling), 0);
    KT_ASSERT_EQ(quota_tree_bytes(root), 6100);
    KT_ASSERT_EQ(quota_charge(sibling, 3900), 0);
    KT_ASSERT_EQ(quota_tree_bytes(root), 10000);
    KT_ASSERT_EQ(quota_charge(leaf, 1), TK_ERR_LIMIT);
    KT_ASSERT_EQ(quota_charge(root, 1), TK_ERR_LIMIT);
    quota_uncharge(sibling, 3900);
    KT_ASSERT_EQ(quota_charge(root, 3900), 0); /* the root's own share of its tree */
    quota_uncharge(root, 3900);
    /* pages count the same way */
    KT_ASSERT_EQ(quota_charge_pages(leaf, 11), TK_ERR_LIMIT);
    KT_ASSERT_EQ(quota_charge_pages(leaf, 10), 0);
    KT_ASSERT_EQ(quota_tree_pages(root), 10);
    KT_ASSERT_EQ(quota_charge_pages(sibling, 1), TK_ERR_LIMIT);
    quota_uncharge_pages(leaf, 10);
    quota_uncharge(mid, 100);
    quota_uncharge(leaf, 6000);
    KT_ASSERT_EQ(quota_tree_bytes(root), 0);
    KT_ASSERT_EQ(quota_tree_pages(root), 0);
    /* the root goes first: its tree's references keep it until the last of them */
    quota_unref(root);
    quota_unref(mid);
    quota_unref(sibling);
    KT_ASSERT_EQ(quota_charge(leaf, 10000), 0);
    KT_ASSERT_EQ(quota_charge(leaf, 1), TK_ERR_LIMIT); /* the root still counts */
    quota_uncharge(leaf, 10000);
    quota_unref(leaf);
    heap_get_stats(&after);
    KT_ASSERT_EQ(after.live_objects, before.live_objects);
}
