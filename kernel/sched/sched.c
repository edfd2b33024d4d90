/*
 * The scheduler: one run queue per priority, round-robin inside a priority, the highest
 * non-empty queue first. A thread runs until it blocks, yields, or its 10 ms slice ends
 * with another thread of its priority (or a higher one) ready. The idle thread runs
 * only when every queue is empty and halts the CPU until the next interrupt.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "kernel/log.h"
#include "kernel/sched/internal.h"

extern const char __wasm_interp_start[], __wasm_interp_end[];

struct thread *sched_cur;
static struct thread boot_thread;
static struct {
    struct thread *head, *tail;
} runq[SCHED_NPRIO];
static bool need_resched;

/* Runs when nothing else can: frees exited threads, then halts until an interrupt. */
static void sched_idle(void *arg)
{
    (void)arg;
    for (;;) {
        thread_reap();
        arch_irq_disable();
        if (need_resched) {
            arch_irq_enable();
            sched_yield();
        } else {
            __asm__ volatile("sti; hlt" ::: "memory"); /* sti waits one instruction */
        }
    }
}

void sched_init(void)
{
    boot_thread.state = THREAD_RUNNING;
    boot_thread.prio = SCHED_PRIO_NORMAL;
    boot_thread.ran_since = arch_read_cycles();
    __builtin_memcpy(boot_thread.name, "kmain", 6);
    sched_cur = &boot_thread;
    if (!thread_create("idle", SCHED_PRIO_IDLE, sched_idle, NULL, 16384))
        panic("sched: no memory for the idle thread");
}

static void runq_push(struct thread *t)
{
    t->next = NULL;
    if (runq[t->prio].tail)
        runq[t->prio].tail->next = t;
    else
        runq[t->prio].head = t;
    runq[t->prio].tail = t;
}

static struct thread *runq_pop(void)
{
    for (int p = 0; p < SCHED_NPRIO; p++) {
        struct thread *t = runq[p].head;
        if (!t) continue;
        runq[p].head = t->next;
        if (!runq[p].head) runq[p].tail = NULL;
        t->next = NULL;
        return t;
    }
    return NULL;
}

void sched_ready(struct thread *t)
{
    uint64_t flags = arch_irq_save();

    t->state = THREAD_READY;
    runq_push(t);
    if (t->prio < sched_cur->prio) need_resched = true;
    arch_irq_restore(flags);
}

void sched_switch(void)
{
    struct thread *prev = sched_cur, *next;
    uint64_t now;

    if (prev->state == THREAD_RUNNING) {
        prev->state = THREAD_READY;
        runq_push(prev);
    }
    next = runq_pop(); /* never NULL: the idle thread is always ready or running */
    need_resched = false;
    next->state = THREAD_RUNNING;
    if (next == prev) return;
    now = arch_read_cycles();
    prev->cpu_tsc += now - prev->ran_since;
    next->ran_since = now;
    sched_cur = next;
    arch_context_switch(&prev->saved_rsp, next->saved_rsp);
}

int waitq_wait_switch(struct waitq *q, uint64_t deadline_ns, struct thread *next)
{
    struct thread *prev = sched_cur;
    uint64_t now;
    int r = wait_block(q, deadline_ns);

    if (r < 0) {
        sched_ready(next);
        return r;
    }
    /* Every ready thread is at most as urgent as prev, or need_resched is set (see
     * sched_ready and sched_tick), so next, as urgent as prev, may run before them all. */
    if (need_resched || next->prio > prev->prio) {
        runq_push(next);
        sched_switch();
        return prev->wake_result;
    }
    next->state = THREAD_RUNNING;
    now = arch_read_cycles();
    prev->cpu_tsc += now - prev->ran_since;
    next->ran_since = now;
    sched_cur = next;
    arch_context_switch(&prev->saved_rsp, next->saved_rsp);
    return prev->wake_result;
}

void sched_yield(void)
{
    uint64_t flags = arch_irq_save();

    sched_switch();
    arch_irq_restore(flags);
}

void sched_tick(uint64_t now_ns)
{
    if (!sched_cur) return; /* the clock starts before the scheduler */
    sleep_expire(now_ns);
    for (int p = 0; p <= sched_cur->prio && p < SCHED_PRIO_IDLE; p++)
        if (runq[p].head) need_resched = true;
}

/* A killed thread interrupted inside the interpreter is abandoned there: the
 * interpreter holds nothing but the process's own state, which is freed with it. */
static void sched_abort_if_killed(uintptr_t pc)
{
    struct thread *t = sched_cur;

    if (t->killed && t->abort_landing && !t->in_import && pc >= (uintptr_t)__wasm_interp_start &&
        pc < (uintptr_t)__wasm_interp_end)
        arch_longjmp(t->abort_landing, 1);
}

void sched_irq_exit(uintptr_t interrupted_pc)
{
    if (!sched_cur) return;
    sched_abort_if_killed(interrupted_pc);
    if (!need_resched) return;
    sched_switch();
    sched_abort_if_killed(interrupted_pc); /* killed while it was switched out */
}
