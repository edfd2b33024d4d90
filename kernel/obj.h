/*
 * Kernel objects and handle tables (kernel/obj/). An object lives while references hold
 * it: every handle to it, and the kernel's own (a channel message carrying a handle, a
 * waiter). Dropping the last runs its type's teardown. Objects assert signals; threads
 * wait for them on the object's wait queue.
 *
 * A handle table belongs to a process. Handle values mix a slot index, a generation that
 * changes whenever the slot is freed, and a per-table salt, so a value is neither a
 * guessable index nor quietly reused: a stale or forged value is TK_ERR_BAD_HANDLE.
 * Freed slots are reused last (first in, first out).
 *
 * All of it runs with interrupts off where it touches shared state (kernel/sched.h).
 */
#ifndef TAKARA_KERNEL_OBJ_H
#define TAKARA_KERNEL_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <takara/error.h>
#include <takara/handle.h>

#include "kernel/sched.h"

struct object;

struct object_ops {
    uint8_t type; /* enum tk_object_type */
    /* Frees what the object owns, the object's memory too. References it held to other
     * objects go through object_drop onto *dead, never through object_unref: the caller
     * tears those down in its own loop, so a chain of any length takes no more stack. */
    void (*destroy)(struct object *o, struct object **dead);
};

struct observer;

struct object {
    const struct object_ops *ops;
    uint32_t refs;
    uint32_t signals; /* enum tk_signal */
    uint64_t koid;
    struct waitq waiters;
    struct observer *observers; /* ports watching it */
    struct quota *quota;        /* what its memory is charged to (NULL: no one) */
    uint32_t charged;           /* bytes, given back after its teardown */
    struct object *dead_next;   /* on a teardown's work list, once refs reached 0 */
    struct object *signal_next; /* on object_signal's work list (a port to raise) */
    bool signal_queued;
};

/* A port's watch on an object (port.c). Owned by the port; the object only links it,
 * and unlinks it (obj = NULL) when it goes away first. */
struct observer {
    struct observer *obj_next, *port_next, *pending_next;
    struct object *obj;
    struct object *port;
    uint64_t key;
    uint32_t signals;    /* watched */
    uint32_t pending;    /* fired, not yet read */
    struct quota *quota; /* who made the watch pays for it */
    uint32_t charged;
};

/* Called by object_signal for each watch whose signals rose (interrupts off): true when
 * the watch's port has just become non-empty and must now raise READABLE, which the
 * caller does — from its own loop, so a chain of ports watching ports takes no stack. */
bool port_deliver(struct observer *w, uint32_t fired);

void object_init(struct object *o, const struct object_ops *ops);
/* The zeroed memory of an object (struct object first) of `size` bytes, charged to the
 * calling thread's quota (quota_current) until the object's teardown has run: NULL and
 * *err (TK_ERR_LIMIT, TK_ERR_NOMEM) on failure. object_init follows; until then
 * object_alloc_undo gives it back. */
void *object_alloc(size_t size, int *err);
void object_alloc_undo(void *o);
void object_ref(struct object *o);
/* Drops a reference; the last one tears the object down, and with it, in one loop over
 * a work list, every object only it kept alive (docs/ipc.md: kernel stack depth). */
void object_unref(struct object *o);
/* For a destroy function: drops a reference, putting o on the teardown's list *dead if
 * it was the last. */
void object_drop(struct object *o, struct object **dead);
/* Clears then sets signals, waking whoever waits on the object, and raises READABLE on
 * each port whose watch fired, on the ports watching those, and so on, in one loop. */
void object_signal(struct object *o, uint32_t clear, uint32_t set);
/* Waits until one of `want` is asserted, the deadline (absolute; 0: none) or a kill:
 * the signals asserted (> 0 as uint32 in *observed), TK_ERR_TIMEOUT, TK_ERR_KILLED. */
int object_wait(struct object *o, uint32_t want, uint64_t deadline_ns, uint32_t *observed);
/* Objects alive now (for leak tests). */
uint32_t object_count(void);

/* Resources (resource.c), the objects that carry authority (enum tk_resource_kind). A new
 * resource: TK_ERR_INVAL (no such kind), TK_ERR_RANGE (a ranged kind with an empty or
 * wrapping range, or a range on a kind without one), TK_ERR_NOMEM, TK_ERR_LIMIT. */
int resource_create(uint32_t kind, uint64_t base, uint64_t size, struct object **out);
/* 0 when o is a resource of `kind` covering [base, base + size) (kinds without a range:
 * any base and size), else TK_ERR_ACCESS — also when o is no resource at all. */
int resource_check(const struct object *o, uint32_t kind, uint64_t base, uint64_t size);
/* A resource of parent's kind for [base, base + size), which must lie inside parent's:
 * TK_ERR_ACCESS when it does not (derivation only narrows), TK_ERR_WRONG_TYPE when parent
 * is no resource, or resource_create's errors. */
int resource_derive(struct object *parent, uint64_t base, uint64_t size, struct object **out);
void resource_info(const struct object *o, struct tk_resource_info *out);

#define HANDLE_TABLE_MAX 1024u

struct handle_slot {
    struct object *obj; /* NULL: free */
    uint32_t rights;
    uint32_t gen;
    uint32_t next_free;
    uint8_t type; /* obj's, at hand for lookups */
};

struct handle_table {
    struct quota *quota; /* its slots are charged here (the owner's; set after init) */
    struct handle_slot *slots;
    uint32_t nslots, used;
    uint32_t free_head, free_tail; /* FIFO of free slot indices + 1; 0: none */
    uint32_t salt;
};

/* A value is (slot + 1) << HANDLE_GEN_BITS | generation, XORed with the table's salt. */
#define HANDLE_GEN_BITS 12u
#define HANDLE_GEN_MASK ((1u << HANDLE_GEN_BITS) - 1)

/* The slot index of a live handle, or -1. */
static inline int64_t handle_index(const struct handle_table *t, tk_handle h)
{
    uint32_t v = h ^ t->salt, idx = (v >> HANDLE_GEN_BITS) - 1;

    if ((v >> HANDLE_GEN_BITS) == 0 || idx >= t->nslots || !t->slots[idx].obj ||
        (t->slots[idx].gen & HANDLE_GEN_MASK) != (v & HANDLE_GEN_MASK))
        return -1;
    return idx;
}

void handle_table_init(struct handle_table *t);
/* Closes every handle and frees the table. */
void handle_table_destroy(struct handle_table *t);
/* A new handle to o (taking a reference of its own): 0 and *out, TK_ERR_LIMIT, NOMEM. */
int handle_install(struct handle_table *t, struct object *o, uint32_t rights, tk_handle *out);
/* The object named by h, a reference taken, if it is of `type` (TK_OBJ_NONE: any) and h
 * has every right in `rights`: TK_ERR_BAD_HANDLE, TK_ERR_WRONG_TYPE, TK_ERR_DENIED. */
int handle_get(struct handle_table *t, tk_handle h, uint8_t type, uint32_t rights,
               struct object **out, uint32_t *out_rights);
/* handle_get without taking a reference, for an import looking in its own process's
 * table: the handle's reference keeps the object alive until the handle goes, which
 * only the process's one thread — this one — can make happen, so the caller must not
 * close, take or replace a handle while it uses the object (sending handles takes
 * them; installing is fine). */
static inline int handle_borrow(const struct handle_table *t, tk_handle h, uint8_t type,
                                uint32_t rights, struct object **out, uint32_t *out_rights)
{
    int64_t idx = handle_index(t, h);

    if (idx < 0) return TK_ERR_BAD_HANDLE;
    if (type != TK_OBJ_NONE && t->slots[idx].type != type) return TK_ERR_WRONG_TYPE;
    if ((t->slots[idx].rights & rights) != rights) return TK_ERR_DENIED;
    *out = t->slots[idx].obj;
    *out_rights = t->slots[idx].rights;
    return 0;
}
/* Takes h out of the table: the reference moves to the caller (*out). */
int handle_take(struct handle_table *t, tk_handle h, struct object **out, uint32_t *rights);
int handle_close(struct handle_table *t, tk_handle h);
/* A second handle with rights (TK_RIGHTS_SAME: the same) that are a subset of h's;
 * h needs TK_RIGHT_DUPLICATE. */
int handle_duplicate(struct handle_table *t, tk_handle h, uint32_t rights, tk_handle *out);
/* A new handle with (fewer) rights in place of h, which is closed, also on failure. */
int handle_replace(struct handle_table *t, tk_handle h, uint32_t rights, tk_handle *out);
uint32_t handle_count(const struct handle_table *t);
/* Fills up to max entries describing t's handles; returns how many t holds. */
uint32_t handle_list(const struct handle_table *t, struct tk_handle_entry *out, uint32_t max);

/* Objects (one file each). */
int event_create(struct object **out);
int timer_create(struct object **out);
/* Arms the timer for the absolute time deadline_ns, clearing FIRED; 0 disarms. */
void timer_set(struct object *o, uint64_t deadline_ns);
/* From the clock's tick, interrupts off: fires the timers whose deadline passed (at most
 * 64 a tick; the rest at the next). */
void timer_expire(uint64_t now_ns);
/* Quotas (quota.c): what the kernel holds for a process, in heap bytes and in pages of
 * memory objects, reference-counted because what is charged outlives its creator. A
 * NULL quota is the kernel's own: charged nothing, never refused. A quota made with a
 * parent belongs to the parent's tree (it holds a reference to the tree's root), and
 * every charge must fit its own limit and the root's limit over the whole tree. */
struct quota;
struct quota *quota_new(struct quota *parent, uint64_t limit_bytes, uint64_t limit_pages,
                        bool reserve);
void quota_ref(struct quota *q);
void quota_unref(struct quota *q);
/* 0, TK_ERR_LIMIT if the bytes do not fit in what is left, TK_ERR_NOMEM if they would
 * take the machine into the reserve and q may not. */
int quota_charge(struct quota *q, uint64_t bytes);
/* quota_charge of what kmalloc(size) takes, holding a reference to q for what is
 * charged; *charged says how much (0 for no quota). quota_release gives both back. */
int quota_hold(struct quota *q, size_t size, uint32_t *charged);
void quota_release(struct quota *q, uint32_t charged);
void quota_uncharge(struct quota *q, uint64_t bytes);
int quota_charge_pages(struct quota *q, uint64_t pages);
void quota_uncharge_pages(struct quota *q, uint64_t pages);
uint64_t quota_used_bytes(const struct quota *q);
uint64_t quota_used_pages(const struct quota *q);
/* What q's whole tree holds, if q is a root (0 otherwise; q's own: quota_used_*). */
uint64_t quota_tree_bytes(const struct quota *q);
uint64_t quota_tree_pages(const struct quota *q);
uint64_t quota_limit_bytes(const struct quota *q);
bool quota_has_reserve(const struct quota *q);
/* Pages an ordinary quota leaves free; whether q may take `pages` more now. */
uint64_t quota_reserve_pages(void);
bool quota_may_take(const struct quota *q, uint64_t pages);
/* The quota of what the calling thread runs for (NULL: the kernel). */
struct quota *quota_current(void);
/* A memory object of zeroed pages, charged to `quota` (NULL: to no one) until it goes:
 * TK_ERR_RANGE, TK_ERR_LIMIT (over the quota), TK_ERR_NOMEM (the machine's reserve). */
int memory_object_create(uint32_t pages, struct quota *quota, struct object **out);
/* The frames of a memory object (its `pages` physical addresses). */
const uint64_t *memory_object_frames(struct object *o, uint32_t *pages);
int port_create(struct object **out);
int port_watch(struct object *port, struct object *o, uint64_t key, uint32_t signals);
int port_unwatch(struct object *port, uint64_t key);
/* The next packet, waiting until the deadline (absolute; 0: none): 0, TK_ERR_TIMEOUT,
 * TK_ERR_KILLED. */
int port_wait(struct object *port, uint64_t deadline_ns, struct tk_port_packet *out);
int channel_create(struct object **end0, struct object **end1);
struct channel_message;
/* Writes a message on endpoint `o` whose handles were already taken out of the
 * writer's table (refs and rights in objs/rights): they are consumed whatever happens. */
int channel_write(struct object *o, const void *bytes, uint32_t nbytes, struct object **objs,
                  const uint32_t *rights, uint32_t nhandles);
/* channel_write that, finding the peer's queue full, waits for room until the deadline
 * (absolute; 0: none; 1: do not wait, TK_ERR_AGAIN): also TK_ERR_TIMEOUT, TK_ERR_KILLED,
 * and TK_ERR_PEER_CLOSED if the peer goes meanwhile. */
int channel_write_wait(struct object *o, const void *bytes, uint32_t nbytes, struct object **objs,
                       const uint32_t *rights, uint32_t nhandles, uint64_t deadline);
/* Reads the next message: bytes copied into buf, its handles installed into table `t`
 * (values into handles_out). If buf or the handle array is too small, or the table has
 * no room, nothing is read: TK_ERR_BUFFER_TOO_SMALL / TK_ERR_LIMIT with *sizes telling
 * what the message needs. TK_ERR_AGAIN when empty, TK_ERR_PEER_CLOSED when empty and the
 * peer is gone. */
int channel_read(struct object *o, void *buf, uint32_t buf_len, tk_handle *handles_out,
                 uint32_t handles_cap, struct handle_table *t, struct tk_channel_sizes *sizes);
/* A reader's buffers, as channel_read takes them (kernel pointers, already checked). */
struct channel_buffers {
    void *bytes;
    uint32_t nbytes;
    tk_handle *handles;
    uint32_t nhandles;
    struct tk_channel_sizes *sizes;
    struct handle_table *table;
};
/* channel_read, waiting for a message until the deadline (absolute; 0: none; 1: do not
 * wait): also TK_ERR_TIMEOUT, TK_ERR_KILLED. While it waits, a small message without
 * handles may be copied straight into b by its writer (docs/ipc.md, the fast path). */
int channel_read_wait(struct object *o, const struct channel_buffers *b, uint64_t deadline);
/* channel_write_wait then channel_read_wait on the same endpoint, both until the one
 * deadline: a full queue is waited out, not an error, unless the call is a poll
 * (deadline 1). When the peer's reader takes the message directly, the CPU goes
 * straight to it. */
int channel_call(struct object *o, const void *bytes, uint32_t nbytes, struct object **objs,
                 const uint32_t *rights, uint32_t nhandles, const struct channel_buffers *reply,
                 uint64_t deadline);
/* channel_call for a message of bytes only (the common call). */
int channel_call_bytes(struct object *o, const void *bytes, uint32_t nbytes,
                       const struct channel_buffers *reply, uint64_t deadline);

/* Device objects (irq.c, dma.c; docs/devices.md). An IRQ object bound to `source` (a
 * line, or TK_IRQ_MSI_BASE + an MSI slot), which `resource` must cover: TK_ERR_ACCESS,
 * TK_ERR_RANGE (no such source), TK_ERR_BUSY (bound already, or the kernel's), NOMEM,
 * LIMIT. It asserts TK_SIGNAL_IRQ and masks the source when the source fires. */
int irq_create(struct object *resource, uint32_t source, struct object **out);
/* Clears TK_SIGNAL_IRQ and unmasks (or, if it fired meanwhile, asserts it again). */
void irq_ack(struct object *o);
void irq_mask(struct object *o);
void irq_info(struct object *o, struct tk_irq_info *out);
/* A DMA buffer of `bytes` (rounded up to pages, at most TK_DMA_MAX_BYTES), which must fit
 * the DMA resource's size, its pages charged to `quota` while it lives: TK_ERR_ACCESS,
 * TK_ERR_RANGE, TK_ERR_LIMIT, TK_ERR_NOMEM (no contiguous run that large). */
int dma_create(struct object *resource, uint64_t bytes, struct quota *quota, struct object **out);
/* Its first physical (bus) address, and its pages in *pages. */
uint64_t dma_phys(struct object *o, uint32_t *pages);

#endif
