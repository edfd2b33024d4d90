/*
 * Structures of any depth a module can build out of objects, and the kernel's walks over
 * them: channels nested inside channels' queues (torn down), ports watching ports (a
 * signal runs down the chain, also from the clock's tick), and cycles through queues
 * (refused). Each shape is built at depths of 10, 1,000 and 100,000, or until a limit
 * stops it; a recursive walk would overflow the kernel stack long before the last. Every
 * test ends with objects, heap blocks and free pages exactly where they started.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/clock.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"

static const uint32_t chain_depths[] = {10, 1000, 100000};
static const uint32_t chain_all[1] = {TK_RIGHTS_ALL};

struct chain_stats {
    uint32_t objects;
    size_t heap_blocks;
    uint64_t free_pages;
};

static void chain_stats_take(struct chain_stats *s)
{
    struct heap_stats heap;

    heap_get_stats(&heap);
    *s = (struct chain_stats){object_count(), heap.live_objects, pmm_free_pages()};
}

/* Whether a depth may stop at the machine's memory instead (the 32 MiB test image). */
static bool chain_may_run_out(uint32_t depth, int r)
{
    return r == TK_ERR_NOMEM && depth > 1000 && pmm_total_pages() < 96ull * 256;
}

/* The counters back at `base`, or a failure naming the ones that are not. */
#define CHAIN_ASSERT_BACK(base, depth)                                                             \
    do {                                                                                           \
        struct chain_stats now_;                                                                   \
        chain_stats_take(&now_);                                                                   \
        if (now_.objects != (base)->objects || now_.heap_blocks != (base)->heap_blocks ||          \
            now_.free_pages != (base)->free_pages) {                                               \
            ktest_fail(__FILE__, __LINE__,                                                         \
                       "depth %u: objects %u -> %u, heap blocks %zu -> %zu, free pages %llu -> "   \
                       "%llu",                                                                     \
                       (unsigned)(depth), (base)->objects, now_.objects, (base)->heap_blocks,      \
                       now_.heap_blocks, (unsigned long long)(base)->free_pages,                   \
                       (unsigned long long)now_.free_pages);                                       \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Object pointers kept in whole pages from the page allocator, so that holding 100,000
 * of them leaves the heap's counters alone. */
struct chain_page {
    struct chain_page *next;
    uint64_t phys;
    uint32_t n;
    struct object *objs[(PAGE_SIZE - 24) / sizeof(struct object *)];
};
_Static_assert(sizeof(struct chain_page) <= PAGE_SIZE, "one page");

static bool chain_keep(struct chain_page **list, struct object *o)
{
    struct chain_page *p = *list;
    uint64_t phys;

    if (!p || p->n == sizeof(p->objs) / sizeof(p->objs[0])) {
        if (pmm_alloc_page(&phys) < 0) return false;
        p = arch_phys_to_virt(phys);
        p->phys = phys;
        p->next = *list;
        *list = p;
    }
    p->objs[p->n++] = o;
    return true;
}

/* Drops every object kept, and the pages. */
static void chain_release(struct chain_page **list)
{
    while (*list) {
        struct chain_page *p = *list;
        *list = p->next;
        for (uint32_t i = 0; i < p->n; i++) object_unref(p->objs[i]);
        pmm_free_page(p->phys);
    }
}

/* Channels nested top-down: *root's queue holds an endpoint whose queue holds one ... to
 * `depth` levels. *writer writes into the deepest queue (empty). Only two references
 * are held at any time, so no handle table would stop a module doing the same. */
static int chain_nest(uint32_t depth, struct object **root, struct object **writer)
{
    struct object *w, *a, *b;
    int r = channel_create(&w, root);

    for (uint32_t k = 0; r == 0 && k < depth; k++) {
        if ((r = channel_create(&a, &b)) < 0) break;
        r = channel_write(w, "n", 1, &b, chain_all, 1); /* b into the queue of w's peer */
        object_unref(w);
        w = a;
    }
    *writer = w;
    return r;
}

KTEST(channel_nesting_of_any_depth_tears_down_flat)
{
    struct chain_stats base;
    struct object *root, *writer;

    /* a first small run gives the heap's size classes the slabs they keep */
    KT_ASSERT_EQ(chain_nest(10, &root, &writer), 0);
    object_unref(writer);
    object_unref(root);
    for (uint32_t i = 0; i < sizeof(chain_depths) / sizeof(chain_depths[0]); i++) {
        uint32_t depth = chain_depths[i];
        int r;
        chain_stats_take(&base);
        r = chain_nest(depth, &root, &writer);
        if (chain_may_run_out(depth, r)) {
            object_unref(writer);
            object_unref(root);
            CHAIN_ASSERT_BACK(&base, depth);
            continue;
        }
        KT_ASSERT_EQ(r, 0);
        KT_ASSERT_EQ(object_count(), base.objects + depth + 2); /* root, the queued, a writer */
        /* the root sent into the deepest queue would hold itself: refused, at depths the
         * walk can cover, and past them too (LIMIT), consuming the reference sent */
        object_ref(root);
        KT_ASSERT_EQ(channel_write(writer, "c", 1, &root, chain_all, 1),
                     depth <= 1000 ? TK_ERR_INVAL : TK_ERR_LIMIT);
        object_unref(writer);
        object_unref(root); /* every level goes, in object_unref's one loop */
        CHAIN_ASSERT_BACK(&base, depth);
    }
}

/* Bottom-up: the whole structure is sent again each time, so the walk that checks for a
 * cycle covers all of it, until its budget says LIMIT; the refused write consumes the
 * structure, which goes at once. */
KTEST(channel_nesting_bottom_up_stops_at_the_walk_limit)
{
    struct chain_stats base;
    struct object *w, *cur, *a, *b;
    uint32_t depth = 0;
    int r;

    KT_ASSERT_EQ(chain_nest(10, &cur, &w), 0); /* gives the size classes their slabs */
    object_unref(w);
    object_unref(cur);
    chain_stats_take(&base);
    KT_ASSERT_EQ(channel_create(&w, &cur), 0);
    object_unref(w);
    for (;;) {
        KT_ASSERT_EQ(channel_create(&a, &b), 0);
        r = channel_write(a, "n", 1, &cur, chain_all, 1); /* cur into b's queue */
        object_unref(a);
        if (r < 0) break;
        cur = b;
        depth++;
        KT_ASSERT(depth < 100000);
    }
    KT_ASSERT_EQ(r, TK_ERR_LIMIT);
    KT_ASSERT(depth > 1000);
    KT_ASSERT_EQ(object_count(), base.objects + 1); /* b alone: the rest went with cur */
    object_unref(b);
    CHAIN_ASSERT_BACK(&base, depth);
}

/* Sends a new reference to o through endpoint w: the write's result. */
static int chain_send(struct object *w, struct object *o)
{
    object_ref(o);
    return channel_write(w, "x", 1, &o, chain_all, 1);
}

/* Zircon's rule: an endpoint cannot join a queue it owns, directly or through endpoints
 * queued in it; anything else may travel. The handles sent are consumed either way. */
static void chain_cycles(void)
{
    struct chain_stats base;
    struct object *a1, *b1, *a2, *b2, *a3, *b3, *ev;

    chain_stats_take(&base);
    KT_ASSERT_EQ(channel_create(&a1, &b1), 0);
    KT_ASSERT_EQ(channel_create(&a2, &b2), 0);
    KT_ASSERT_EQ(channel_create(&a3, &b3), 0);
    KT_ASSERT_EQ(event_create(&ev), 0);
    /* b1 into its own queue (written by its peer a1) */
    KT_ASSERT_EQ(chain_send(a1, b1), TK_ERR_INVAL);
    /* a1 through itself: refused as before */
    KT_ASSERT_EQ(chain_send(a1, a1), TK_ERR_INVAL);
    KT_ASSERT_EQ(object_count(), base.objects + 7);
    /* b2 rides in b1's queue, b3 in b2's: then b1 into b3's would close the loop */
    KT_ASSERT_EQ(chain_send(a1, b2), 0);
    KT_ASSERT_EQ(chain_send(a2, b3), 0);
    KT_ASSERT_EQ(chain_send(a3, b1), TK_ERR_INVAL);
    KT_ASSERT_EQ(chain_send(a3, b2), TK_ERR_INVAL);
    /* among other handles too, and the others are consumed with it */
    struct object *two[2] = {ev, b1};
    uint32_t rights[2] = {TK_RIGHTS_ALL, TK_RIGHTS_ALL};
    object_ref(ev);
    object_ref(b1);
    KT_ASSERT_EQ(channel_write(a2, "x", 1, two, rights, 2), TK_ERR_INVAL);
    KT_ASSERT_EQ(object_count(), base.objects + 7);
    /* not a cycle: an event, a1 into b3's queue; but then b3 into a1's (written by b1)
     * would be one, while a2, which holds nothing, may go there */
    KT_ASSERT_EQ(chain_send(a3, ev), 0);
    KT_ASSERT_EQ(chain_send(a3, a1), 0);
    KT_ASSERT_EQ(chain_send(b1, b3), TK_ERR_INVAL);
    KT_ASSERT_EQ(chain_send(b1, a2), 0);
    object_unref(ev);
    object_unref(a1);
    object_unref(a2);
    object_unref(a3);
    object_unref(b2);
    object_unref(b3);
    object_unref(b1); /* b1's queue holds b2, b2's b3: all of it goes */
    KT_ASSERT_EQ(object_count(), base.objects);
}

KTEST(channel_refuses_cycles_through_its_queue)
{
    struct chain_stats base;

    chain_cycles(); /* the first run gives the heap's size classes the slabs they keep */
    chain_stats_take(&base);
    chain_cycles();
    CHAIN_ASSERT_BACK(&base, 0);
}

/* `depth` ports, each watching the next one's READABLE, the last watching `end` for
 * `signals`; kept in *list (the first port is the first kept). */
static int chain_ports(uint32_t depth, struct object *end, uint32_t signals,
                       struct chain_page **list, struct object **first);

/* A first small chain gives the heap's size classes the slabs they keep. */
static void chain_ports_warm_up(void)
{
    struct chain_page *list = NULL;
    struct object *ev, *first;

    if (event_create(&ev) < 0) return;
    chain_ports(10, ev, TK_SIGNAL_SIGNALED, &list, &first);
    object_signal(ev, 0, TK_SIGNAL_SIGNALED);
    object_unref(ev);
    chain_release(&list);
}

static int chain_ports(uint32_t depth, struct object *end, uint32_t signals,
                       struct chain_page **list, struct object **first)
{
    struct object *next = end, *p;
    int r;

    for (uint32_t k = 0; k < depth; k++) {
        if ((r = port_create(&p)) < 0) return r;
        if (!chain_keep(list, p)) {
            object_unref(p);
            return TK_ERR_NOMEM;
        }
        if ((r = port_watch(p, next, k, next == end ? signals : TK_SIGNAL_READABLE)) < 0) return r;
        next = p;
    }
    *first = next;
    return 0;
}

/* Chains of each depth ending in an event, signalled here, or in a timer, which fires
 * in the clock's tick: the first port becomes READABLE either way. */
static void chain_ports_fire(bool timer)
{
    uint32_t fire = timer ? TK_SIGNAL_TIMER_FIRED : TK_SIGNAL_SIGNALED, seen;
    struct chain_stats base;
    struct chain_page *list = NULL;
    struct object *end, *first;
    struct tk_port_packet pk;

    chain_ports_warm_up();
    for (uint32_t i = 0; i < sizeof(chain_depths) / sizeof(chain_depths[0]); i++) {
        int r;
        chain_stats_take(&base);
        KT_ASSERT_EQ(timer ? timer_create(&end) : event_create(&end), 0);
        r = chain_ports(chain_depths[i], end, fire, &list, &first);
        if (chain_may_run_out(chain_depths[i], r)) {
            object_unref(end);
            chain_release(&list);
            continue;
        }
        KT_ASSERT_EQ(r, 0);
        KT_ASSERT(!(first->signals & TK_SIGNAL_READABLE));
        if (timer) {
            timer_set(end, clock_ns() + 20000000);
            KT_ASSERT_EQ(object_wait(first, TK_SIGNAL_READABLE, clock_ns() + 5000000000ull, &seen),
                         0);
            KT_ASSERT(end->signals & TK_SIGNAL_TIMER_FIRED);
        } else {
            object_signal(end, 0, fire); /* runs down every port, to the first */
            KT_ASSERT(first->signals & TK_SIGNAL_READABLE);
        }
        KT_ASSERT_EQ(port_wait(first, 1, &pk), 0);
        KT_ASSERT(pk.signals == TK_SIGNAL_READABLE);
        if (!timer) {
            object_signal(end, fire, 0);
            object_signal(end, 0, fire); /* the rest of the chain is still READABLE */
            KT_ASSERT(!(first->signals & TK_SIGNAL_READABLE));
        }
        object_unref(end);
        chain_release(&list);
        CHAIN_ASSERT_BACK(&base, chain_depths[i]);
    }
}

KTEST(port_chains_of_any_depth_signal_flat)
{
    chain_ports_fire(false);
}

KTEST(port_chains_ending_in_a_timer_fire_from_the_tick)
{
    chain_ports_fire(true);
}
