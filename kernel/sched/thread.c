/*
 * Thread life: creation on a fresh guarded kernel stack, the first instructions of a
 * thread (thread_entry), exit, kill, and reaping. A thread cannot free the stack it runs
 * on, so exited threads wait on a list until another thread (the idle loop, or the next
 * thread_create) frees them.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "kernel/mm.h"
#include "kernel/sched/internal.h"
#include "lib/string.h"

static struct thread *dead_threads;
static uint32_t live_threads = 1; /* the boot thread */

_Noreturn void thread_entry(void (*fn)(void *), void *arg)
{
    arch_irq_enable(); /* switched to with interrupts off */
    fn(arg);
    thread_exit();
}

struct thread *thread_create(const char *name, uint8_t prio, void (*fn)(void *), void *arg,
                             size_t stack_size)
{
    struct thread *t;
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
    t->saved_rsp = arch_context_init(top, fn, arg);
    uint64_t flags = arch_irq_save();
    live_threads++;
    arch_irq_restore(flags);
    sched_ready(t);
    return t;
}

_Noreturn void thread_exit(void)
{
    struct thread *t = sched_cur;

    arch_irq_disable();
    t->state = THREAD_DEAD;
    t->next = dead_threads;
    dead_threads = t;
    sched_switch();
    __builtin_unreachable();
}

void thread_kill(struct thread *t)
{
    uint64_t flags = arch_irq_save();

    t->killed = true;
    wait_cancel(t, TK_ERR_KILLED);
    arch_irq_restore(flags);
}

void thread_reap(void)
{
    for (;;) {
        uint64_t flags = arch_irq_save();
        struct thread *t = dead_threads;
        if (t) {
            dead_threads = t->next;
            live_threads--;
        }
        arch_irq_restore(flags);
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
