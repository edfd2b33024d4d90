/*
 * Threads and the scheduler (kernel/sched/): preemptive, priority round-robin on one
 * CPU. Every thread runs at ring 0 on its own kernel stack with a guard page below it;
 * the timer tick (10 ms) preempts whatever runs, Wasm code included.
 *
 * Locking: on one CPU, a critical section is a stretch with interrupts off
 * (arch_irq_save/restore). The heap, the page allocators, the run queues, wait queues
 * and the process table are only touched inside such stretches, so a thread may be
 * preempted anywhere else. Blocking (waitq_wait) happens with interrupts off and
 * returns with them off, so a condition checked before it cannot be missed.
 */
#ifndef TAKARA_KERNEL_SCHED_H
#define TAKARA_KERNEL_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/arch.h"

enum sched_prio {
    SCHED_PRIO_HIGH = 0,
    SCHED_PRIO_NORMAL = 1,
    SCHED_PRIO_LOW = 2,
    SCHED_PRIO_IDLE = 3, /* the idle thread only */
    SCHED_NPRIO = 4,
};

enum thread_state {
    THREAD_READY,
    THREAD_RUNNING,
    THREAD_BLOCKED,
    THREAD_DEAD,
};

struct waitq {
    struct thread *head, *tail;
};

struct process;
struct quota;

struct thread {
    uint64_t saved_rsp; /* while switched out */
    void *stack_top;
    size_t stack_size;   /* 0 for the boot thread, whose stack is the boot stack */
    uint8_t state;       /* enum thread_state */
    uint8_t prio;        /* enum sched_prio */
    bool killed;         /* end as soon as possible: blocking calls return TK_ERR_KILLED */
    struct thread *next; /* run queue or wait queue */
    struct waitq *waiting_on;
    uint64_t deadline_ns; /* while on the sleep list; 0: none */
    struct thread *sleep_next;
    int wake_result;             /* what waitq_wait returns: 0, TK_ERR_TIMEOUT, TK_ERR_KILLED */
    uint64_t cpu_tsc, ran_since; /* TSC cycles on the CPU; when it last got it */
    struct process *proc;        /* the process it runs for, or NULL */
    struct quota *quota;         /* what it allocates for is charged to (kernel/obj/quota.c) */
    void *wasm_guard;            /* innermost guarded engine call (kernel/wasm/platform.c) */
    /* Where a killed thread lands when the timer finds it inside the interpreter,
     * which holds no kernel state (sched_irq_exit); NULL when not running Wasm. */
    struct arch_jmpbuf *abort_landing;
    /* The import the thread is inside (its name), NULL outside: never abandoned there.
     * A fault inside it unwinds it (kernel/abi/abi.c: abi_import_fault), which frees its
     * scratch buffer and leaves its name in import_fault for the exit report. */
    const char *in_import;
    void *import_scratch;
    const char *import_fault;
    char name[24];
};

/* The boot context becomes thread "kmain"; the idle thread is created (needs the heap). */
void sched_init(void);
extern struct thread *sched_cur;
static inline struct thread *sched_current(void)
{
    return sched_cur;
}

/* A new thread running fn(arg), ready to run: NULL when out of memory. */
struct thread *thread_create(const char *name, uint8_t prio, void (*fn)(void *), void *arg,
                             size_t stack_size);
/* Ends the calling thread; its stack is freed later by another thread. */
_Noreturn void thread_exit(void);
/* Marks t killed and wakes it if it waits; it ends at its next chance. */
void thread_kill(struct thread *t);
/* Frees the stacks of exited threads (never the caller's). */
void thread_reap(void);
/* Live threads, for tests and statistics. */
uint32_t thread_count(void);

void sched_ready(struct thread *t);
void sched_yield(void);
/* Called by the timer every tick (interrupts off): wakes sleepers, ends time slices. */
void sched_tick(uint64_t now_ns);
/* Called at the end of every device interrupt with its frame (interrupts off):
 * switches if a time slice ended or a higher-priority thread woke up. */
void sched_irq_exit(uintptr_t interrupted_pc);

void waitq_init(struct waitq *q);
/* With interrupts off: blocks the calling thread on q (or only on the clock when q is
 * NULL) until waitq_wake*, the deadline (absolute clock_ns; 0: none) or a kill.
 * Returns 0, TK_ERR_TIMEOUT or TK_ERR_KILLED; interrupts are still off. */
int waitq_wait(struct waitq *q, uint64_t deadline_ns);
/* With interrupts off: wakes the first waiter / every waiter. */
void waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);
/* A direct hand-off (IPC's fast path: a receiver already given its message). With
 * interrupts off, t blocked in waitq_wait: takes it off its wait queue and the sleep
 * list, its waitq_wait to return 0, without making it ready — the caller passes it on
 * to sched_ready or waitq_wait_switch at once. */
void waitq_take_slow(struct thread *t);
static inline void waitq_take(struct thread *t)
{
    struct waitq *q = t->waiting_on;

    if (!q || q->head != t || t->deadline_ns) {
        waitq_take_slow(t); /* not first in line, or on the sleep list too */
        return;
    }
    q->head = t->next;
    if (!q->head) q->tail = NULL;
    t->next = NULL;
    t->waiting_on = NULL;
    t->wake_result = 0;
    t->state = THREAD_READY; /* a kill finds it awake: it ends after its import */
}
/* waitq_wait that gives the CPU straight to `next` (from waitq_take), skipping the run
 * queues, when next is at least as urgent as every ready thread; otherwise next is made
 * ready and the scheduler chooses. next is made ready too if the wait ends at once. */
int waitq_wait_switch(struct waitq *q, uint64_t deadline_ns, struct thread *next);
/* Sleeps until the absolute time deadline_ns: 0 or TK_ERR_KILLED. */
int sched_sleep_until(uint64_t deadline_ns);

#endif
