/*
 * channel_call and a full queue (docs/ipc.md, "Back-pressure and calls"): a call waits
 * within its deadline for the peer's reader to make room, then for the reply; only a
 * poll (deadline 1) sees TK_ERR_AGAIN. Threads stand in for a slow server. Every test
 * ends with the object count back at its start.
 */
#include <takara/error.h>

#include "kernel/clock.h"
#include "kernel/ktest/ktest.h"
#include "kernel/obj.h"
#include "lib/string.h"

#define CALL_TEST_SECOND 1000000000ull

/* Fills the queue of a's peer with one-byte messages: how many went in before AGAIN. */
static uint32_t call_fill_queue(struct object *a)
{
    uint32_t n = 0;
    uint8_t v = 0;

    while (n <= TK_CHANNEL_MAX_QUEUED && channel_write(a, &v, 1, NULL, NULL, 0) == 0) {
        n++;
        v++;
    }
    return n;
}

/* Yields until t sleeps: false if it never does. */
static bool call_yield_until_blocked(struct thread *t)
{
    for (int i = 0; i < 1000; i++) {
        sched_yield();
        if (t->state == THREAD_BLOCKED) return true;
    }
    return false;
}

/* A slow server: yields before each read (the caller gets the CPU back between any two),
 * counts the one-byte messages before the request, answers the request with the count. */
struct call_server {
    struct object *end, *done; /* done: an event */
    struct handle_table *table;
    uint32_t before; /* messages read before the request */
    int result;
};

static void call_server_run(void *arg)
{
    struct call_server *s = arg;
    struct tk_channel_sizes sz;
    char buf[8];
    struct channel_buffers b = {buf, sizeof(buf), NULL, 0, &sz, s->table};

    for (;;) {
        sched_yield();
        if ((s->result = channel_read_wait(s->end, &b, 0)) < 0) break;
        if (sz.bytes == 4 && !memcmp(buf, "call", 4)) {
            s->result = channel_write(s->end, &s->before, sizeof(s->before), NULL, NULL, 0);
            break;
        }
        s->before++;
    }
    object_signal(s->done, 0, TK_SIGNAL_SIGNALED);
}

/* The queue is full when the call starts: it waits for the server to make room, its
 * request is queued behind every message sent before it, and the reply comes. */
KTEST(channel_call_waits_for_room_in_a_full_queue)
{
    struct handle_table t, ts;
    struct call_server s = {0};
    struct object *a, *b;
    struct tk_channel_sizes sz;
    uint32_t base = object_count(), reply = 0, seen;
    struct channel_buffers rb = {&reply, sizeof(reply), NULL, 0, &sz, &t};

    handle_table_init(&t);
    handle_table_init(&ts);
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    KT_ASSERT_EQ(call_fill_queue(a), TK_CHANNEL_MAX_QUEUED);
    KT_ASSERT(!(a->signals & TK_SIGNAL_WRITABLE));
    s.end = b;
    s.table = &ts;
    KT_ASSERT_EQ(event_create(&s.done), 0);
    KT_ASSERT(thread_create("slow", SCHED_PRIO_NORMAL, call_server_run, &s, 16384));
    /* the server has not run yet: the queue is still full as the call begins */
    KT_ASSERT_EQ(channel_call(a, "call", 4, NULL, NULL, 0, &rb, clock_ns() + 10 * CALL_TEST_SECOND),
                 0);
    KT_ASSERT(sz.bytes == sizeof(reply) && reply == TK_CHANNEL_MAX_QUEUED);
    KT_ASSERT_EQ(object_wait(s.done, TK_SIGNAL_SIGNALED, 0, &seen), 0);
    KT_ASSERT_EQ(s.result, 0);
    object_unref(s.done);
    object_unref(a);
    object_unref(b);
    handle_table_destroy(&t);
    handle_table_destroy(&ts);
    KT_ASSERT_EQ(object_count(), base);
}

/* A poll of a full queue is AGAIN at once and sends nothing; a call with a deadline and
 * no reader is TIMEOUT once the deadline passed, with or without handles (which it
 * consumes like any write). */
KTEST(channel_call_full_queue_poll_and_timeout)
{
    struct handle_table t;
    struct object *a, *b, *ev;
    struct tk_channel_sizes sz;
    uint32_t base = object_count(), all[1] = {TK_RIGHTS_ALL}, reply;
    struct channel_buffers rb = {&reply, sizeof(reply), NULL, 0, &sz, &t};
    static const uint8_t big[200];
    uint8_t buf[4];
    uint64_t deadline;
    uint32_t n = 0;

    handle_table_init(&t);
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    KT_ASSERT_EQ(call_fill_queue(a), TK_CHANNEL_MAX_QUEUED);
    KT_ASSERT_EQ(channel_call(a, "call", 4, NULL, NULL, 0, &rb, 1), TK_ERR_AGAIN);
    /* too big for a small record: the general write, refused the same way */
    KT_ASSERT_EQ(channel_call(a, big, sizeof(big), NULL, NULL, 0, &rb, 1), TK_ERR_AGAIN);
    deadline = clock_ns() + 20000000ull; /* 20 ms: two ticks */
    KT_ASSERT_EQ(channel_call(a, "call", 4, NULL, NULL, 0, &rb, deadline), TK_ERR_TIMEOUT);
    KT_ASSERT(clock_ns() >= deadline);
    KT_ASSERT_EQ(event_create(&ev), 0);
    KT_ASSERT_EQ(channel_call(a, "call", 4, &ev, all, 1, &rb, clock_ns() + 20000000ull),
                 TK_ERR_TIMEOUT);
    /* none of those calls queued anything: the 64 one-byte messages, in order */
    while (channel_read(b, buf, sizeof(buf), NULL, 0, &t, &sz) == 0) {
        KT_ASSERT(sz.bytes == 1 && buf[0] == (uint8_t)n);
        n++;
    }
    KT_ASSERT_EQ(n, TK_CHANNEL_MAX_QUEUED);
    object_unref(a);
    object_unref(b);
    handle_table_destroy(&t);
    KT_ASSERT_EQ(object_count(), base); /* the event went with the call that timed out */
}

/* Closes an endpoint once the calling thread sleeps. */
struct call_closer {
    struct thread *caller;
    struct object *end, *done;
    bool saw_blocked;
};

static void call_closer_run(void *arg)
{
    struct call_closer *c = arg;

    c->saw_blocked = call_yield_until_blocked(c->caller);
    object_unref(c->end);
    object_signal(c->done, 0, TK_SIGNAL_SIGNALED);
}

/* The peer goes while a call waits for room in its queue: PEER_CLOSED, not a hang. */
KTEST(channel_call_waiting_for_room_sees_the_peer_close)
{
    struct handle_table t;
    struct call_closer c = {0};
    struct object *a, *b;
    struct tk_channel_sizes sz;
    uint32_t base = object_count(), reply, seen;
    struct channel_buffers rb = {&reply, sizeof(reply), NULL, 0, &sz, &t};

    handle_table_init(&t);
    KT_ASSERT_EQ(channel_create(&a, &b), 0);
    KT_ASSERT_EQ(call_fill_queue(a), TK_CHANNEL_MAX_QUEUED);
    c.caller = sched_current();
    c.end = b;
    KT_ASSERT_EQ(event_create(&c.done), 0);
    KT_ASSERT(thread_create("closer", SCHED_PRIO_NORMAL, call_closer_run, &c, 16384));
    KT_ASSERT_EQ(channel_call(a, "call", 4, NULL, NULL, 0, &rb, 0), TK_ERR_PEER_CLOSED);
    KT_ASSERT_EQ(object_wait(c.done, TK_SIGNAL_SIGNALED, 0, &seen), 0);
    KT_ASSERT(c.saw_blocked);
    object_unref(c.done);
    object_unref(a);
    handle_table_destroy(&t);
    KT_ASSERT_EQ(object_count(), base);
}
