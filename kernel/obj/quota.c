/*
 * Quotas: what the kernel holds on a process's behalf, and the reserve that keeps the
 * machine answering. A quota counts two budgets, both bounded by the process's memory
 * limit (docs/memory.md): kernel heap bytes (objects, queued messages, port watches,
 * handle tables, its thread's stack, the engine's instance data and tables) and pages of
 * memory objects. Whatever is charged holds a reference, so memory that outlives its
 * process — an object handed to a server, a message still queued — keeps counting until
 * it goes. The calling thread names the quota that pays (thread->quota); the kernel's own
 * threads have none and are charged nothing.
 *
 * The reserve: charges of an ordinary quota fail (TK_ERR_NOMEM) when they would leave
 * fewer free pages than an eighth of the machine; quotas marked `reserve` (init, and the
 * services the manifest marks) may go below it. Interrupts are off around the counts:
 * charged memory is freed in any thread.
 */
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"

struct quota {
    uint32_t refs;
    bool reserve;
    uint64_t limit_bytes, used_bytes;
    uint64_t limit_pages, used_pages;
};

struct quota *quota_new(uint64_t limit_bytes, uint64_t limit_pages, bool reserve)
{
    struct quota *q = kzalloc(sizeof(*q));

    if (!q) return NULL;
    q->refs = 1;
    q->reserve = reserve;
    q->limit_bytes = limit_bytes;
    q->limit_pages = limit_pages;
    return q;
}

void quota_ref(struct quota *q)
{
    uint64_t flags = cpu_irq_save();

    q->refs++;
    cpu_irq_restore(flags);
}

void quota_unref(struct quota *q)
{
    uint64_t flags = cpu_irq_save();
    bool last = --q->refs == 0;

    cpu_irq_restore(flags);
    if (last) kfree(q);
}

uint64_t quota_reserve_pages(void)
{
    return pmm_total_pages() / 8;
}

bool quota_may_take(const struct quota *q, uint64_t pages)
{
    return !q || q->reserve || pmm_free_pages() >= pages + quota_reserve_pages();
}

/* The one rule of both budgets, interrupts off: n more of what *used counts. */
static int quota_take(struct quota *q, uint64_t *used, uint64_t limit, uint64_t n, uint64_t pages)
{
    if (n > limit - *used) return TK_ERR_LIMIT;
    if (!quota_may_take(q, pages)) return TK_ERR_NOMEM;
    *used += n;
    return 0;
}

int quota_charge(struct quota *q, uint64_t bytes)
{
    uint64_t flags;
    int r;

    if (!q) return 0;
    flags = cpu_irq_save();
    /* a charge may need a fresh slab page, or its own pages */
    r = quota_take(q, &q->used_bytes, q->limit_bytes, bytes, bytes / PAGE_SIZE + 1);
    cpu_irq_restore(flags);
    return r;
}

int quota_hold(struct quota *q, size_t size, uint32_t *charged)
{
    uint64_t bytes = heap_block_bytes(size);
    int r = quota_charge(q, bytes);

    *charged = 0;
    if (r == 0 && q) {
        quota_ref(q);
        *charged = (uint32_t)bytes;
    }
    return r;
}

void quota_release(struct quota *q, uint32_t charged)
{
    if (!q) return;
    quota_uncharge(q, charged);
    quota_unref(q);
}

/* Gives n back to what *used counts (`unit` names it in the panic of a broken count). */
static void quota_give(uint64_t *used, uint64_t n, const char *unit)
{
    uint64_t flags = cpu_irq_save();

    if (n > *used)
        panic("quota: uncharging %lu %s of %lu", (unsigned long)n, unit, (unsigned long)*used);
    *used -= n;
    cpu_irq_restore(flags);
}

void quota_uncharge(struct quota *q, uint64_t bytes)
{
    if (q && bytes) quota_give(&q->used_bytes, bytes, "bytes");
}

int quota_charge_pages(struct quota *q, uint64_t pages)
{
    uint64_t flags;
    int r;

    if (!q) return 0;
    flags = cpu_irq_save();
    r = quota_take(q, &q->used_pages, q->limit_pages, pages, pages);
    cpu_irq_restore(flags);
    return r;
}

void quota_uncharge_pages(struct quota *q, uint64_t pages)
{
    if (q) quota_give(&q->used_pages, pages, "pages");
}

uint64_t quota_used_bytes(const struct quota *q)
{
    return q ? q->used_bytes : 0;
}

uint64_t quota_used_pages(const struct quota *q)
{
    return q ? q->used_pages : 0;
}

uint64_t quota_limit_bytes(const struct quota *q)
{
    return q ? q->limit_bytes : 0;
}

bool quota_has_reserve(const struct quota *q)
{
    return !q || q->reserve;
}

struct quota *quota_current(void)
{
    struct thread *t = sched_current();

    return t ? t->quota : NULL;
}
