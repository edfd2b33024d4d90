/*
 * Thread life: creation on a fresh guarded kernel stack, the first instructions of a
 * thread (thread_entry), exit, kill, and reaping. A thread cannot free the stack it runs
 * on, so exited threads wait on a list until another thread (the idle loop, or the next
 * thread_create) frees them.
 */
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "kernel/mm.h"
#include "kernel/sched/internal.h"
#include "lib/string.h"

void arch_thread_start(void);

static struct thread *dead_threads;
static uint32_t live_threads = 1; /* the boot thread */

_Noreturn void thread_entry(void (*fn)(void *), void *arg);
_Noreturn void thread_entry(void (*fn)(void *), void *arg)
{
    cpu_irq_enable(); /* switched to with interrupts off */
    fn(arg);
    thread_exit();
}

struct thread *thread_create(const char *name, uint8_t prio, void (*fn)(void *), void *arg,
                             size_t stack_size)
{
    struct thread *t;
    uint64_t *sp;
    void *top;

    thread_reap();
    if (!(t = kzalloc(sizeof(*t)))) return NULL;
    if (vmm_alloc_stack(stack_size, &top) < 0) {
        kfree(t);
        return NULL;
    }
    t->stack_top = top;
    t->stack_size = stack_size;
    t->prio = prio < SCHED_NPRIO ? prio : SCHED_PRIO_LOW;
    strlcpy(t->name, name, sizeof(t->name));
    /* the frame arch_context_switch pops: r15 r14 r13 r12 rbx rbp, then the return
     * address; arch_thread_start then runs with a 16-byte aligned stack */
    sp = (uint64_t *)top;
    *--sp = (uint64_t)(uintptr_t)arch_thread_start;
    *--sp = 0;                        /* rbp */
    *--sp = 0;                        /* rbx */
    *--sp = (uint64_t)(uintptr_t)fn;  /* r12 */
    *--sp = (uint64_t)(uintptr_t)arg; /* r13 */
    *--sp = 0;                        /* r14 */
    *--sp = 0;                        /* r15 */
    t->saved_rsp = (uint64_t)(uintptr_t)sp;
    uint64_t flags = cpu_irq_save();
    live_threads++;
    cpu_irq_restore(flags);
    sched_ready(t);
    return t;
}

_Noreturn void thread_exit(void)
{
    struct thread *t = sched_cur;

    cpu_irq_disable();
    t->state = THREAD_DEAD;
    t->next = dead_threads;
    dead_threads = t;
    sched_switch();
    __builtin_unreachable();
}

void thread_kill(struct thread *t)
{
    uint64_t flags = cpu_irq_save();

    t->killed = true;
    wait_cancel(t, TK_ERR_KILLED);
    cpu_irq_restore(flags);
}

void thread_reap(void)
{
    for (;;) {
        uint64_t flags = cpu_irq_save();
        struct thread *t = dead_threads;
        if (t) {
            dead_threads = t->next;
            live_threads--;
        }
        cpu_irq_restore(flags);
        if (!t) return;
        if (!t->stack_size) continue; /* the boot thread: its stack and struct are static */
        vmm_free_stack(t->stack_top, t->stack_size);
        kfree(t);
    }
}

uint32_t thread_count(void)
{
    return live_threads;
}
