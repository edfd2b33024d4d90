/*
 * Timers: an object that asserts TK_SIGNAL_TIMER_FIRED when the monotonic clock passes
 * its deadline. Armed timers wait on one list sorted by deadline, which the clock's tick
 * (10 ms) checks; a timer that goes away is taken off the list first.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

struct timer {
    struct object obj;
    uint64_t deadline_ns; /* 0: disarmed */
    struct timer *next;
};

static struct timer *armed; /* sorted by deadline */

static void timer_unlink(struct timer *t)
{
    for (struct timer **q = &armed; *q; q = &(*q)->next) {
        if (*q == t) {
            *q = t->next;
            break;
        }
    }
    t->deadline_ns = 0;
}

static void timer_destroy(struct object *o, struct object **dead)
{
    uint64_t flags = arch_irq_save();

    (void)dead;

    timer_unlink((struct timer *)o);
    arch_irq_restore(flags);
    kfree(o);
}

static const struct object_ops timer_ops = {TK_OBJ_TIMER, timer_destroy};

int timer_create(struct object **out)
{
    int r;
    struct timer *t = object_alloc(sizeof(*t), &r);

    if (!t) return r;
    object_init(&t->obj, &timer_ops);
    *out = &t->obj;
    return 0;
}

void timer_set(struct object *o, uint64_t deadline_ns)
{
    struct timer *t = (struct timer *)o, **q;
    uint64_t flags = arch_irq_save();

    if (t->deadline_ns) timer_unlink(t);
    object_signal(o, TK_SIGNAL_TIMER_FIRED, 0);
    if (deadline_ns) {
        for (q = &armed; *q && (*q)->deadline_ns <= deadline_ns; q = &(*q)->next) {
        }
        t->deadline_ns = deadline_ns;
        t->next = *q;
        *q = t;
    }
    arch_irq_restore(flags);
}

/* Timers fired per tick at most: a tick is an interrupt, and modules choose how many
 * timers share a deadline; the rest fire at the next tick. */
#define TIMER_EXPIRE_MAX 64

void timer_expire(uint64_t now_ns)
{
    for (int n = 0; n < TIMER_EXPIRE_MAX && armed && armed->deadline_ns <= now_ns; n++) {
        struct timer *t = armed;
        armed = t->next;
        t->deadline_ns = 0;
        object_signal(&t->obj, 0, TK_SIGNAL_TIMER_FIRED);
    }
}
