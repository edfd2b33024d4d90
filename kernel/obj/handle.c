/*
 * Handle tables (obj.h). A value is (slot + 1) << 12 | generation (12 bits), XORed
 * with the table's salt; the generation advances when the slot is freed, and freed
 * slots queue behind every other free slot, so a closed value stays invalid for a long
 * while and values say nothing about another process's table.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"
#include "lib/string.h"

void handle_table_init(struct handle_table *t)
{
    static uint32_t seed = 0x9e3779b9u;

    *t = (struct handle_table){0};
    seed = seed * 1664525u + 1013904223u + (uint32_t)arch_read_cycles(); /* differs per table */
    t->salt = seed & ~HANDLE_GEN_MASK;
}

static tk_handle handle_value(const struct handle_table *t, uint32_t idx)
{
    return (((idx + 1) << HANDLE_GEN_BITS) | (t->slots[idx].gen & HANDLE_GEN_MASK)) ^ t->salt;
}

static void free_list_push(struct handle_table *t, uint32_t idx)
{
    t->slots[idx].next_free = 0;
    if (t->free_tail)
        t->slots[t->free_tail - 1].next_free = idx + 1;
    else
        t->free_head = idx + 1;
    t->free_tail = idx + 1;
}

static void handle_free_slot(struct handle_table *t, uint32_t idx)
{
    t->slots[idx].obj = NULL;
    t->slots[idx].gen++;
    free_list_push(t, idx);
    t->used--;
}

/* What a slot array of n slots takes, charged to the table's quota while it lives. */
static uint64_t handle_slots_bytes(uint32_t n)
{
    return n ? heap_block_bytes(n * sizeof(struct handle_slot)) : 0;
}

/* Grows the slot array: interrupts are on here, the caller retries under the lock. */
static int handle_table_grow(struct handle_table *t)
{
    uint32_t n = t->nslots ? t->nslots * 2 : 16, old_n;
    struct handle_slot *slots;
    uint64_t flags;
    int r;

    if (t->nslots >= HANDLE_TABLE_MAX) return TK_ERR_LIMIT;
    if (n > HANDLE_TABLE_MAX) n = HANDLE_TABLE_MAX;
    if ((r = quota_charge(t->quota, handle_slots_bytes(n))) < 0) return r;
    if (!(slots = kzalloc(n * sizeof(*slots)))) {
        quota_uncharge(t->quota, handle_slots_bytes(n));
        return TK_ERR_NOMEM;
    }
    flags = arch_irq_save();
    if (n <= t->nslots) { /* grown meanwhile */
        arch_irq_restore(flags);
        kfree(slots);
        quota_uncharge(t->quota, handle_slots_bytes(n));
        return 0;
    }
    old_n = t->nslots;
    memcpy(slots, t->slots, t->nslots * sizeof(*slots));
    struct handle_slot *old = t->slots;
    t->slots = slots;
    for (uint32_t i = t->nslots; i < n; i++) free_list_push(t, i);
    t->nslots = n;
    arch_irq_restore(flags);
    kfree(old);
    quota_uncharge(t->quota, handle_slots_bytes(old_n));
    return 0;
}

int handle_install(struct handle_table *t, struct object *o, uint32_t rights, tk_handle *out)
{
    for (;;) {
        uint64_t flags = arch_irq_save();
        if (t->free_head) {
            uint32_t idx = t->free_head - 1;
            struct handle_slot *s = &t->slots[idx];
            t->free_head = s->next_free;
            if (!t->free_head) t->free_tail = 0;
            s->obj = o;
            s->type = o->ops->type;
            s->rights = rights & TK_RIGHTS_ALL;
            t->used++;
            o->refs++;
            *out = handle_value(t, idx);
            arch_irq_restore(flags);
            return 0;
        }
        arch_irq_restore(flags);
        int r = handle_table_grow(t);
        if (r < 0) return r;
    }
}

int handle_get(struct handle_table *t, tk_handle h, uint8_t type, uint32_t rights,
               struct object **out, uint32_t *out_rights)
{
    uint64_t flags = arch_irq_save();
    int64_t idx = handle_index(t, h);
    int r = 0;

    if (idx < 0) {
        r = TK_ERR_BAD_HANDLE;
    } else if (type != TK_OBJ_NONE && t->slots[idx].obj->ops->type != type) {
        r = TK_ERR_WRONG_TYPE;
    } else if ((t->slots[idx].rights & rights) != rights) {
        r = TK_ERR_DENIED;
    } else {
        *out = t->slots[idx].obj;
        (*out)->refs++;
        if (out_rights) *out_rights = t->slots[idx].rights;
    }
    arch_irq_restore(flags);
    return r;
}

int handle_take(struct handle_table *t, tk_handle h, struct object **out, uint32_t *rights)
{
    uint64_t flags = arch_irq_save();
    int64_t idx = handle_index(t, h);

    if (idx < 0) {
        arch_irq_restore(flags);
        return TK_ERR_BAD_HANDLE;
    }
    *out = t->slots[idx].obj;
    *rights = t->slots[idx].rights;
    handle_free_slot(t, (uint32_t)idx);
    arch_irq_restore(flags);
    return 0;
}

int handle_close(struct handle_table *t, tk_handle h)
{
    struct object *o;
    uint32_t rights;
    int r = handle_take(t, h, &o, &rights);

    if (r == 0) object_unref(o);
    return r;
}

int handle_duplicate(struct handle_table *t, tk_handle h, uint32_t rights, tk_handle *out)
{
    struct object *o;
    uint32_t have;
    int r = handle_get(t, h, TK_OBJ_NONE, TK_RIGHT_DUPLICATE, &o, &have);

    if (r < 0) return r;
    if (rights == TK_RIGHTS_SAME) rights = have;
    r = (rights & ~have) ? TK_ERR_DENIED : handle_install(t, o, rights, out);
    object_unref(o);
    return r;
}

int handle_replace(struct handle_table *t, tk_handle h, uint32_t rights, tk_handle *out)
{
    struct object *o;
    uint32_t have;
    int r = handle_take(t, h, &o, &have);

    if (r < 0) return r;
    if (rights == TK_RIGHTS_SAME) rights = have;
    r = (rights & ~have) ? TK_ERR_DENIED : handle_install(t, o, rights, out);
    object_unref(o);
    return r;
}

uint32_t handle_count(const struct handle_table *t)
{
    return t->used;
}

uint32_t handle_list(const struct handle_table *t, struct tk_handle_entry *out, uint32_t max)
{
    uint64_t flags = arch_irq_save();
    uint32_t n = 0;

    for (uint32_t i = 0; i < t->nslots; i++) {
        const struct handle_slot *s = &t->slots[i];
        if (!s->obj) continue;
        if (n < max)
            out[n] = (struct tk_handle_entry){handle_value(t, i), s->obj->ops->type, s->rights, 0,
                                              s->obj->koid};
        n++;
    }
    arch_irq_restore(flags);
    return n;
}

void handle_table_destroy(struct handle_table *t)
{
    for (uint32_t i = 0; i < t->nslots; i++) {
        uint64_t flags = arch_irq_save();
        struct object *o = t->slots[i].obj;
        if (o) handle_free_slot(t, i);
        arch_irq_restore(flags);
        if (o) object_unref(o);
    }
    kfree(t->slots);
    quota_uncharge(t->quota, handle_slots_bytes(t->nslots));
    *t = (struct handle_table){0};
}
