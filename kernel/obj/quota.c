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
 *
 * Budgets are per tree: a quota may have a root (the quota of the process tree it
 * belongs to), and a root counts, beside what its own process holds (`used`), what its
 * whole tree holds (`tree`). A charge must fit the quota's own limit and its root's
 * tree limit: two checks, whatever the depth, so a process tree is bounded by its root's
 * limit and each process by its own.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"

/* One budget: its limit, what the quota's own process holds, what its whole tree holds
 * (counted at the root only). */
struct budget {
    uint64_t limit, used, tree;
};

enum { QUOTA_BYTES, QUOTA_PAGES };

struct quota {
    uint32_t refs;
    bool reserve;
    struct quota *root; /* a reference; NULL for a root */
    struct budget budgets[2];
};

struct quota *quota_new(struct quota *parent, uint64_t limit_bytes, uint64_t limit_pages,
                        bool reserve)
{
    struct quota *q = kzalloc(sizeof(*q));

    if (!q) return NULL;
    q->refs = 1;
    q->reserve = reserve;
    q->budgets[QUOTA_BYTES].limit = limit_bytes;
    q->budgets[QUOTA_PAGES].limit = limit_pages;
    if (parent && parent->root) parent = parent->root;
    if (parent) quota_ref(parent);
    q->root = parent;
    return q;
}

void quota_ref(struct quota *q)
{
    uint64_t flags = arch_irq_save();

    q->refs++;
    arch_irq_restore(flags);
}

/* The last reference to a quota lets go of its root's (a root has none: one step). */
void quota_unref(struct quota *q)
{
    while (q) {
        uint64_t flags = arch_irq_save();
        bool last = --q->refs == 0;
        struct quota *root = q->root;

        arch_irq_restore(flags);
        if (!last) return;
        if (q->budgets[QUOTA_BYTES].tree || q->budgets[QUOTA_PAGES].tree)
            panic("quota: freed with %lu bytes and %lu pages charged",
                  (unsigned long)q->budgets[QUOTA_BYTES].tree,
                  (unsigned long)q->budgets[QUOTA_PAGES].tree);
        kfree(q);
        q = root;
    }
}

uint64_t quota_reserve_pages(void)
{
    return pmm_total_pages() / 8;
}

bool quota_may_take(const struct quota *q, uint64_t pages)
{
    return !q || q->reserve || pmm_free_pages() >= pages + quota_reserve_pages();
}

/* The quota whose limit bounds q's whole tree: its root, or q itself. */
static struct quota *quota_tree_of(struct quota *q)
{
    return q->root ? q->root : q;
}

/* The one rule of both budgets: n more of budget `which`, if it fits q's own limit and
 * its tree's, and `pages` more of the machine stay out of the reserve (or q may enter). */
static int quota_take(struct quota *q, int which, uint64_t n, uint64_t pages)
{
    struct budget *own = &q->budgets[which], *tree = &quota_tree_of(q)->budgets[which];
    uint64_t flags = arch_irq_save();
    int r = TK_ERR_LIMIT;

    if (n > own->limit - own->used || n > tree->limit - tree->tree) goto out;
    r = TK_ERR_NOMEM;
    if (!quota_may_take(q, pages)) goto out;
    own->used += n;
    tree->tree += n;
    r = 0;
out:
    arch_irq_restore(flags);
    return r;
}

int quota_charge(struct quota *q, uint64_t bytes)
{
    /* a charge may need a fresh slab page, or its own pages */
    return q ? quota_take(q, QUOTA_BYTES, bytes, bytes / PAGE_SIZE + 1) : 0;
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

/* Gives n of budget `which` back to q and its tree (`unit` names it in the panic of a
 * broken count). */
static void quota_give(struct quota *q, int which, uint64_t n, const char *unit)
{
    uint64_t flags = arch_irq_save();

    if (n > q->budgets[which].used)
        panic("quota: uncharging %lu %s of %lu", (unsigned long)n, unit,
              (unsigned long)q->budgets[which].used);
    q->budgets[which].used -= n;
    quota_tree_of(q)->budgets[which].tree -= n;
    arch_irq_restore(flags);
}

void quota_uncharge(struct quota *q, uint64_t bytes)
{
    if (q && bytes) quota_give(q, QUOTA_BYTES, bytes, "bytes");
}

int quota_charge_pages(struct quota *q, uint64_t pages)
{
    return q ? quota_take(q, QUOTA_PAGES, pages, pages) : 0;
}

void quota_uncharge_pages(struct quota *q, uint64_t pages)
{
    if (q && pages) quota_give(q, QUOTA_PAGES, pages, "pages");
}

uint64_t quota_used_bytes(const struct quota *q)
{
    return q ? q->budgets[QUOTA_BYTES].used : 0;
}

uint64_t quota_used_pages(const struct quota *q)
{
    return q ? q->budgets[QUOTA_PAGES].used : 0;
}

uint64_t quota_tree_bytes(const struct quota *q)
{
    return q ? q->budgets[QUOTA_BYTES].tree : 0;
}

uint64_t quota_tree_pages(const struct quota *q)
{
    return q ? q->budgets[QUOTA_PAGES].tree : 0;
}

uint64_t quota_limit_bytes(const struct quota *q)
{
    return q ? q->budgets[QUOTA_BYTES].limit : 0;
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
