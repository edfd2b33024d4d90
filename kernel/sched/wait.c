/*
 * Blocking: wait queues, and the sleep list that puts deadlines on waits. A thread
 * waits on at most one queue and is on the sleep list while its wait has a deadline;
 * whatever wakes it first (waitq_wake, the tick past its deadline, a kill) takes it off
 * both and says why in wake_result.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/clock.h"
#include "kernel/sched/internal.h"

static struct thread *sleepers; /* sorted by deadline */

void waitq_init(struct waitq *q)
{
    q->head = q->tail = NULL;
}

void sleep_insert(struct thread *t)
{
    struct thread **p = &sleepers;

    while (*p && (*p)->deadline_ns <= t->deadline_ns) p = &(*p)->sleep_next;
    t->sleep_next = *p;
    *p = t;
}

static void sleep_remove(struct thread *t)
{
    for (struct thread **p = &sleepers; *p; p = &(*p)->sleep_next) {
        if (*p == t) {
            *p = t->sleep_next;
            break;
        }
    }
    t->sleep_next = NULL;
    t->deadline_ns = 0;
}

static void queue_remove(struct waitq *q, struct thread *t)
{
    struct thread *prev = NULL;

    for (struct thread *w = q->head; w; prev = w, w = w->next) {
        if (w != t) continue;
        if (prev)
            prev->next = w->next;
        else
            q->head = w->next;
        if (q->tail == w) q->tail = prev;
        break;
    }
    t->next = NULL;
}

void wait_cancel(struct thread *t, int result)
{
    if (t->state != THREAD_BLOCKED) return;
    if (t->waiting_on) queue_remove(t->waiting_on, t);
    t->waiting_on = NULL;
    if (t->deadline_ns) sleep_remove(t);
    t->wake_result = result;
    sched_ready(t);
}

int waitq_wait(struct waitq *q, uint64_t deadline_ns)
{
    int r = wait_block(q, deadline_ns);

    if (r < 0) return r;
    sched_switch();
    return sched_cur->wake_result;
}

void waitq_take_slow(struct thread *t)
{
    if (t->waiting_on) queue_remove(t->waiting_on, t);
    t->waiting_on = NULL;
    if (t->deadline_ns) sleep_remove(t);
    t->wake_result = 0;
    t->state = THREAD_READY; /* a kill finds it awake: it ends after its import */
}

void waitq_wake_one(struct waitq *q)
{
    if (q->head) wait_cancel(q->head, 0);
}

void waitq_wake_all(struct waitq *q)
{
    while (q->head) wait_cancel(q->head, 0);
}

void sleep_expire(uint64_t now_ns)
{
    while (sleepers && sleepers->deadline_ns <= now_ns) wait_cancel(sleepers, TK_ERR_TIMEOUT);
}

int sched_sleep_until(uint64_t deadline_ns)
{
    uint64_t flags = arch_irq_save();
    int r = waitq_wait(NULL, deadline_ns ? deadline_ns : 1);

    arch_irq_restore(flags);
    return r == TK_ERR_TIMEOUT ? 0 : r;
}
