/*
 * Quotas: a budget of pages that memory objects are charged to. A process gets one the
 * first time it creates a memory object (its memory limit, again: what a process may pin
 * in shared pages is bounded like what it may grow), and every object it creates holds a
 * reference, so objects that outlive their creator — handed to a server, say — are still
 * counted against it until they go. Interrupts are off around the counts: objects die in
 * any thread.
 */
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

struct quota {
    uint32_t refs;
    uint64_t limit_pages, used_pages;
};

struct quota *quota_new(uint64_t limit_pages)
{
    struct quota *q = kzalloc(sizeof(*q));

    if (!q) return NULL;
    q->refs = 1;
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

int quota_charge(struct quota *q, uint64_t pages)
{
    uint64_t flags = cpu_irq_save();
    int r = TK_ERR_LIMIT;

    if (pages <= q->limit_pages - q->used_pages) {
        q->used_pages += pages;
        r = 0;
    }
    cpu_irq_restore(flags);
    return r;
}

void quota_uncharge(struct quota *q, uint64_t pages)
{
    uint64_t flags = cpu_irq_save();

    if (pages > q->used_pages)
        panic("quota: uncharging %lu pages of %lu", (unsigned long)pages,
              (unsigned long)q->used_pages);
    q->used_pages -= pages;
    cpu_irq_restore(flags);
}

uint64_t quota_used_pages(const struct quota *q)
{
    return q->used_pages;
}
