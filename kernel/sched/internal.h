/* What the files of kernel/sched/ share and nobody else needs. All with interrupts off. */
#ifndef TAKARA_KERNEL_SCHED_INTERNAL_H
#define TAKARA_KERNEL_SCHED_INTERNAL_H

#include <takara/error.h>

#include "kernel/clock.h"
#include "kernel/sched.h"

/* Gives the CPU away; the caller has set current's state (READY: it goes back on its
 * run queue; BLOCKED or DEAD: it does not). Returns when the caller runs again. */
void sched_switch(void);
/* Puts t on the sleep list, by its deadline_ns. */
void sleep_insert(struct thread *t);

/* Puts the calling thread on q (NULL: none) and, with a deadline, the sleep list, its
 * state BLOCKED, ready for a switch: 0, or TK_ERR_KILLED / TK_ERR_TIMEOUT at once.
 * (Inline: IPC's hand-off blocks through it on every call.) */
static inline int wait_block(struct waitq *q, uint64_t deadline_ns)
{
    struct thread *t = sched_cur;

    if (t->killed) return TK_ERR_KILLED;
    if (deadline_ns && deadline_ns <= clock_ns()) return TK_ERR_TIMEOUT;
    t->state = THREAD_BLOCKED; /* whatever wakes it sets wake_result */
    t->waiting_on = q;
    if (q) {
        t->next = NULL;
        if (q->tail)
            q->tail->next = t;
        else
            q->head = t;
        q->tail = t;
    }
    t->deadline_ns = deadline_ns;
    if (deadline_ns) sleep_insert(t);
    return 0;
}
/* Wakes sleepers whose deadline passed (wait.c). */
void sleep_expire(uint64_t now_ns);
/* Takes a woken thread off its wait queue and the sleep list and makes it ready. */
void wait_cancel(struct thread *t, int result);

#endif
