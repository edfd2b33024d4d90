/*
 * Process and thread objects: what a handle to a process or to its main thread names.
 * The process record (process.c) goes when the process is reaped, but a handle may be
 * held for much longer, so the objects keep their own copy of what can still be asked
 * once it ended — the exit record and the CPU time — and point at the record only
 * while it exists. The record holds a reference to its process object, which holds
 * one to its thread object; every pointer between them changes with interrupts off.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/mm.h"
#include "kernel/proc.h"

struct proc_object {
    struct object obj;
    struct process *proc;       /* NULL once the record is freed */
    struct proc_object *thread; /* the process's: its main thread's object */
    bool ended;
    int32_t pid;
    uint64_t cpu_ns;          /* once ended */
    struct tk_exit_info exit; /* once ended */
};

static void proc_object_destroy(struct object *o, struct object **dead)
{
    struct proc_object *po = (struct proc_object *)o;

    if (po->thread) object_drop(&po->thread->obj, dead);
    kfree(po);
}

static const struct object_ops process_ops = {TK_OBJ_PROCESS, proc_object_destroy};
static const struct object_ops thread_ops = {TK_OBJ_THREAD, proc_object_destroy};

int proc_object_create(struct process *p)
{
    int r = 0;
    /* charged to the spawner (quota_current), who holds them */
    struct proc_object *po = object_alloc(sizeof(*po), &r),
                       *th = po ? object_alloc(sizeof(*th), &r) : NULL;

    if (!po || !th) {
        object_alloc_undo(po);
        return r;
    }
    object_init(&po->obj, &process_ops);
    object_init(&th->obj, &thread_ops);
    po->proc = th->proc = p;
    po->thread = th;
    p->obj = &po->obj;
    return 0;
}

void proc_object_ended(struct process *p)
{
    struct proc_object *po = (struct proc_object *)p->obj;

    po->ended = po->thread->ended = true;
    po->pid = p->pid;
    po->cpu_ns = po->thread->cpu_ns = proc_cpu_ns(p);
    po->exit = p->exit;
    object_signal(&po->thread->obj, 0, TK_SIGNAL_THREAD_EXITED);
    object_signal(&po->obj, 0, TK_SIGNAL_PROCESS_EXITED);
}

void proc_object_release(struct process *p)
{
    struct proc_object *po = (struct proc_object *)p->obj;

    if (!po) return;
    po->proc = po->thread->proc = NULL;
    p->obj = NULL;
    object_unref(&po->obj);
}

int proc_object_status(struct object *o, struct tk_process_status *out)
{
    struct proc_object *po = (struct proc_object *)o;
    uint64_t flags = arch_irq_save();

    *out = (struct tk_process_status){.state = TK_PROC_ENDED, .pid = po->pid};
    if (po->ended) {
        out->cpu_ns = po->cpu_ns;
        out->exit = po->exit;
    } else if (po->proc) {
        out->pid = po->proc->pid;
        out->state = proc_state(po->proc);
        out->cpu_ns = proc_cpu_ns(po->proc);
    }
    arch_irq_restore(flags);
    return 0;
}

int proc_object_kill(struct object *o)
{
    struct proc_object *po = (struct proc_object *)o;
    uint64_t flags = arch_irq_save();

    if (!po->ended && po->proc && po->proc->thread) thread_kill(po->proc->thread);
    arch_irq_restore(flags);
    return 0;
}

struct object *proc_object_thread(struct object *o)
{
    struct proc_object *po = (struct proc_object *)o;

    object_ref(&po->thread->obj);
    return &po->thread->obj;
}

int thread_object_status(struct object *o, struct tk_thread_status *out)
{
    struct proc_object *th = (struct proc_object *)o;
    uint64_t flags = arch_irq_save();

    *out = (struct tk_thread_status){.state = TK_THREAD_ENDED};
    if (th->ended) {
        out->cpu_ns = th->cpu_ns;
    } else if (th->proc && th->proc->thread) {
        out->state =
            th->proc->thread->state == THREAD_BLOCKED ? TK_THREAD_BLOCKED : TK_THREAD_RUNNING;
        out->cpu_ns = proc_cpu_ns(th->proc);
    }
    arch_irq_restore(flags);
    return 0;
}
