/*
 * IRQ objects: an interrupt source (a line of the interrupt controller or an MSI slot,
 * include/takara/handle.h) bound to whoever holds the object. When the source fires the
 * kernel masks it and asserts TK_SIGNAL_IRQ, so a driver waits for its device with
 * object_wait_one or a port like for anything else; irq_ack clears the signal and
 * unmasks. The source stays bound while the object lives: closing its last handle (or
 * its holder's death, which closes them all) masks the source and frees it for the
 * next holder. Creating one needs an IRQ resource covering the source (resource.c).
 *
 * An MSI cannot be masked at the device from here (that is its PCI capability, issue 15):
 * its mask is the kernel's, and a message arriving while masked is remembered
 * (`pending`) and signalled at the next ack. A line's mask is the controller's; an
 * interrupt already on its way when the line was masked is remembered the same way.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

struct irq {
    struct object obj;
    uint32_t source; /* a line, or TK_IRQ_MSI_BASE + slot */
    bool msi;
    bool bound;   /* the source is this object's (false only while irq_create fails) */
    bool masked;  /* no signal until irq_ack */
    bool pending; /* fired while masked */
    uint64_t count;
    struct arch_msi route; /* an MSI's vector and message */
};

static bool irq_is_msi(uint32_t source)
{
    return source >= TK_IRQ_MSI_BASE && source - TK_IRQ_MSI_BASE < TK_IRQ_MSI_SLOTS;
}

/* Interrupts off, in the source's interrupt. */
static void irq_fire(void *ctx)
{
    struct irq *q = ctx;

    q->count++;
    if (q->masked) {
        q->pending = true;
        return;
    }
    q->masked = true;
    if (!q->msi) arch_irq_line_mask(q->source, true);
    object_signal(&q->obj, 0, TK_SIGNAL_IRQ);
}

static void irq_destroy(struct object *o, struct object **dead)
{
    struct irq *q = (struct irq *)o;

    (void)dead;
    if (q->bound && q->msi)
        arch_irq_msi_unbind(q->source - TK_IRQ_MSI_BASE);
    else if (q->bound)
        arch_irq_line_unbind(q->source);
    kfree(q);
}

static const struct object_ops irq_ops = {TK_OBJ_IRQ, irq_destroy};

int irq_create(struct object *resource, uint32_t source, struct object **out)
{
    struct irq *q;
    int r;

    if ((r = resource_check(resource, TK_RESOURCE_IRQ, source, 1)) < 0) return r;
    if (source >= TK_IRQ_MSI_BASE && !irq_is_msi(source)) return TK_ERR_RANGE;
    if (!(q = object_alloc(sizeof(*q), &r))) return r;
    q->source = source;
    q->msi = irq_is_msi(source);
    /* whole before it is bound: a device a dead holder left programmed may send its
     * message the moment the vector is ours */
    object_init(&q->obj, &irq_ops);
    if (q->msi)
        r = arch_irq_msi_bind(source - TK_IRQ_MSI_BASE, irq_fire, q, &q->route);
    else
        r = arch_irq_line_bind(source, irq_fire, q, &q->route.vector);
    if (r < 0) {
        object_unref(&q->obj); /* not bound: the teardown leaves the source alone */
        return r;
    }
    q->bound = true;
    if (!q->msi) arch_irq_line_mask(source, false); /* bound masked: now it may fire */
    *out = &q->obj;
    return 0;
}

void irq_ack(struct object *o)
{
    struct irq *q = (struct irq *)o;
    uint64_t flags = arch_irq_save();

    object_signal(o, TK_SIGNAL_IRQ, 0);
    if (q->pending) { /* it came again meanwhile: tell at once, still masked */
        q->pending = false;
        q->masked = true;
        object_signal(o, 0, TK_SIGNAL_IRQ);
    } else if (q->masked) {
        q->masked = false;
        if (!q->msi) arch_irq_line_mask(q->source, false);
    }
    arch_irq_restore(flags);
}

void irq_mask(struct object *o)
{
    struct irq *q = (struct irq *)o;
    uint64_t flags = arch_irq_save();

    if (!q->masked && !q->msi) arch_irq_line_mask(q->source, true);
    q->masked = true;
    arch_irq_restore(flags);
}

void irq_info(struct object *o, struct tk_irq_info *out)
{
    struct irq *q = (struct irq *)o;
    uint64_t flags = arch_irq_save();

    *out = (struct tk_irq_info){
        .source = q->source,
        .vector = q->route.vector,
        .msi_address = q->msi ? q->route.address : 0,
        .msi_data = q->msi ? q->route.data : 0,
        .masked = q->masked,
        .count = q->count,
    };
    arch_irq_restore(flags);
}
