/*
 * The tick's bound on timer work: however many timers modules arm for one deadline, one
 * tick fires at most TIMER_EXPIRE_MAX (64) of them with interrupts off, and the others
 * follow at the next ticks (docs/architecture.md, how long interrupts stay off).
 */
#include "arch/arch.h"
#include "kernel/clock.h"
#include "kernel/ktest/ktest.h"
#include "kernel/obj.h"

#define TIMER_KTEST_N 200

KTEST(timer_expire_fires_a_bounded_number_per_tick)
{
    static struct object *t[TIMER_KTEST_N];
    uint32_t base = object_count(), fired = 0;
    uint64_t past;

    for (int i = 0; i < TIMER_KTEST_N; i++) KT_ASSERT_EQ(timer_create(&t[i]), 0);
    KT_ASSERT_EQ(sched_sleep_until(clock_ns() + 1000000), 0); /* a deadline in the past: */
    past = clock_ns() - 500000;
    uint64_t flags = arch_irq_save(); /* ...all due, none fired before the call below */
    for (int i = 0; i < TIMER_KTEST_N; i++) timer_set(t[i], past);
    timer_expire(clock_ns());
    for (int i = 0; i < TIMER_KTEST_N; i++) fired += !!(t[i]->signals & TK_SIGNAL_TIMER_FIRED);
    arch_irq_restore(flags);
    KT_ASSERT_EQ(fired, 64);
    KT_ASSERT_EQ(sched_sleep_until(clock_ns() + 50000000), 0); /* a few ticks: the rest */
    for (int i = 0; i < TIMER_KTEST_N; i++) {
        KT_ASSERT(t[i]->signals & TK_SIGNAL_TIMER_FIRED);
        object_unref(t[i]);
    }
    KT_ASSERT_EQ(object_count(), base);
}
