/*
 * The serial console for processes: the console UART's receive interrupt fills a ring;
 * console_read drains it. Output goes through a second ring:
 * writers copy into it and send it on in slices of CONSOLE_SLICE bytes, interrupts on
 * between slices, so a long write is preempted like any other work. See console.h.
 */
#include "kernel/console.h"

#include <stdbool.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "lib/string.h"

#define RING_SIZE 1024u

static uint8_t ring[RING_SIZE];
static uint32_t ring_head, ring_tail; /* free-running: head - tail bytes are queued */
static struct waitq readers;

/* Output. The UART is polled (QEMU's transmitter is ready at once, so its interrupt
 * would only fire again at once), so the bytes go out on the CPU time of the writers
 * that queued them: each writer sends slices until its own last byte is out, oldest
 * bytes first whoever sends them, so the order is the order of the copies. */
static uint8_t out_ring[CONSOLE_OUT_RING];
static uint32_t out_head, out_tail; /* free-running, like ring_head and ring_tail */
static uint32_t out_senders;        /* writers sending slices now (between slices too) */
static struct waitq out_room;       /* writers waiting for room while a sender sends */

static void console_irq(void *ctx)
{
    int c;

    (void)ctx;
    while (ring_head - ring_tail < RING_SIZE && (c = arch_console_read_byte()) >= 0)
        ring[ring_head++ % RING_SIZE] = (uint8_t)c;
    if (ring_head - ring_tail == RING_SIZE) arch_console_set_rx_irq(false);
    waitq_wake_all(&readers);
}

void console_init(void)
{
    waitq_init(&readers);
    waitq_init(&out_room);
    if (arch_console_irq_bind(console_irq, NULL) < 0) {
        log_warn("console: no serial input (its interrupt is unavailable)");
        return;
    }
    arch_console_set_rx_irq(true);
    uint64_t flags = arch_irq_save();
    console_irq(NULL); /* what arrived before the interrupt was on */
    arch_irq_restore(flags);
}

/* An interrupt window between two stretches of work: a pending tick, and with it
 * preemption, comes here. */
static void console_window(uint64_t *flags)
{
    arch_irq_restore(*flags);
    *flags = arch_irq_save();
}

/* Sends up to `max` of the oldest queued bytes (interrupts off). Waking those waiting
 * for room is the writers' business: the log's flush (maybe in a panic) wakes nobody. */
static void console_send(uint32_t max)
{
    for (uint32_t n = 0; n < max && out_tail != out_head; n++, out_tail++)
        arch_console_write((const char *)&out_ring[out_tail % CONSOLE_OUT_RING], 1);
}

/* One slice of a writer's, then an interrupt window. */
static void console_slice(uint64_t *flags)
{
    console_send(CONSOLE_SLICE);
    waitq_wake_all(&out_room);
    console_window(flags);
}

void console_flush(void)
{
    uint64_t flags = arch_irq_save();

    console_send(out_head - out_tail);
    arch_irq_restore(flags);
}

/* Copies n bytes into the ring, which has room for them (interrupts off). */
static void console_queue(const uint8_t *in, uint32_t n)
{
    uint32_t at = out_head % CONSOLE_OUT_RING, first = CONSOLE_OUT_RING - at;

    if (first > n) first = n;
    memcpy(out_ring + at, in, first);
    memcpy(out_ring, in + first, n - first);
    out_head += n;
}

int console_write(const void *buf, size_t len)
{
    const uint8_t *in = buf;
    uint64_t flags = arch_irq_save();
    size_t done = 0;
    uint32_t end;
    int r = 0;

    while (done < len) {
        uint32_t room = CONSOLE_OUT_RING - (out_head - out_tail), n;
        size_t left = len - done;

        if (sched_current() && sched_current()->killed) {
            r = TK_ERR_KILLED; /* the rest of a long write would only delay its end */
            break;
        }

        /* what fits in the ring goes in whole, so a line is never cut by another's */
        if (left <= CONSOLE_OUT_RING ? room < left : room == 0) {
            if (!out_senders)
                console_slice(&flags); /* nobody to wait for: make room itself */
            else if ((r = waitq_wait(&out_room, 0)) < 0)
                break; /* killed: what was queued still goes out below */
            continue;
        }
        n = left < room ? (uint32_t)left : room;
        console_queue(in + done, n);
        done += n;
        if (done < len) console_window(&flags);
    }
    /* this writer's bytes go out on its own time, the ones before them too */
    end = out_head;
    out_senders++;
    while ((int32_t)(end - out_tail) > 0) console_slice(&flags);
    out_senders--;
    waitq_wake_all(&out_room); /* waiters for a sender to make room: make it yourselves */
    arch_irq_restore(flags);
    return done ? (int)done : r;
}

int console_read_program(void *buf, size_t len, uint64_t deadline_ns)
{
    uint8_t *out = buf;
    uint64_t flags = arch_irq_save();
    size_t n = 0;
    int r = 0;

    while ((ring_head == ring_tail || ring[ring_tail % RING_SIZE] == CONSOLE_INTERRUPT) && len) {
        if ((r = waitq_wait(&readers, deadline_ns)) < 0) goto out;
    }
    while (n < len && ring_tail != ring_head && ring[ring_tail % RING_SIZE] != CONSOLE_INTERRUPT)
        out[n++] = ring[ring_tail++ % RING_SIZE];
    if (n) arch_console_set_rx_irq(true);
out:
    arch_irq_restore(flags);
    return r < 0 ? r : (int)n;
}

uint32_t console_pending(void)
{
    uint64_t flags = arch_irq_save();
    uint32_t n = 0;

    while (ring_tail + n != ring_head && ring[(ring_tail + n) % RING_SIZE] != CONSOLE_INTERRUPT)
        n++;
    arch_irq_restore(flags);
    return n;
}

int console_wait(uint64_t deadline_ns)
{
    uint64_t flags = arch_irq_save();
    int r = 0;

    while (!console_pending() && (r = waitq_wait(&readers, deadline_ns)) == 0) {
    }
    arch_irq_restore(flags);
    return r;
}

int console_read(void *buf, size_t len, uint64_t deadline_ns)
{
    static bool first_read_logged;
    uint8_t *out = buf;
    uint64_t flags = arch_irq_save();
    size_t n = 0;
    int r = 0;

    if (!first_read_logged) { /* boot to prompt, for make bench (instructions under -icount) */
        first_read_logged = true;
        log_debug("console: first input wait %lu TSC cycles after entry",
                  (unsigned long)(arch_read_cycles() - arch_boot_cycles));
    }
    while (ring_head == ring_tail && len) {
        if ((r = waitq_wait(&readers, deadline_ns)) < 0) goto out;
    }
    while (n < len && ring_tail != ring_head) out[n++] = ring[ring_tail++ % RING_SIZE];
    if (n) arch_console_set_rx_irq(true); /* room again */
    if (n) waitq_wake_all(&readers);      /* a program's reader may wait behind a Ctrl-C */
out:
    arch_irq_restore(flags);
    return r < 0 ? r : (int)n;
}
