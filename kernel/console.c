/*
 * The serial console for processes: COM1's receive interrupt (ISA IRQ 4 through the
 * I/O APIC) fills a ring; console_read drains it. See console.h.
 */
#include "kernel/console.h"

#include <stdbool.h>
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/serial.h"
#include "kernel/log.h"
#include "kernel/sched.h"

#define RING_SIZE 1024u

static uint8_t ring[RING_SIZE];
static uint32_t ring_head, ring_tail; /* free-running: head - tail bytes are queued */
static struct waitq readers;
extern uint64_t arch_boot_tsc;

static void console_irq(void *ctx, struct arch_frame *frame)
{
    int c;

    (void)ctx;
    (void)frame;
    while (ring_head - ring_tail < RING_SIZE && (c = serial_read_byte()) >= 0)
        ring[ring_head++ % RING_SIZE] = (uint8_t)c;
    if (ring_head - ring_tail == RING_SIZE) serial_set_rx_irq(false);
    waitq_wake_all(&readers);
}

void console_init(void)
{
    waitq_init(&readers);
    if (ioapic_register_isa(4, console_irq, NULL) < 0) {
        log_warn("console: no serial input (IRQ 4 unavailable)");
        return;
    }
    serial_set_rx_irq(true);
    uint64_t flags = cpu_irq_save();
    console_irq(NULL, NULL); /* what arrived before the interrupt was on */
    cpu_irq_restore(flags);
}

void console_write(const void *buf, size_t len)
{
    uint64_t flags = cpu_irq_save(); /* one write is not interleaved with another */

    serial_write(buf, len);
    cpu_irq_restore(flags);
}

int console_read_program(void *buf, size_t len, uint64_t deadline_ns)
{
    uint8_t *out = buf;
    uint64_t flags = cpu_irq_save();
    size_t n = 0;
    int r = 0;

    while ((ring_head == ring_tail || ring[ring_tail % RING_SIZE] == CONSOLE_INTERRUPT) && len) {
        if ((r = waitq_wait(&readers, deadline_ns)) < 0) goto out;
    }
    while (n < len && ring_tail != ring_head && ring[ring_tail % RING_SIZE] != CONSOLE_INTERRUPT)
        out[n++] = ring[ring_tail++ % RING_SIZE];
    if (n) serial_set_rx_irq(true);
out:
    cpu_irq_restore(flags);
    return r < 0 ? r : (int)n;
}

uint32_t console_pending(void)
{
    uint64_t flags = cpu_irq_save();
    uint32_t n = 0;

    while (ring_tail + n != ring_head && ring[(ring_tail + n) % RING_SIZE] != CONSOLE_INTERRUPT)
        n++;
    cpu_irq_restore(flags);
    return n;
}

int console_wait(uint64_t deadline_ns)
{
    uint64_t flags = cpu_irq_save();
    int r = 0;

    while (!console_pending() && (r = waitq_wait(&readers, deadline_ns)) == 0) {
    }
    cpu_irq_restore(flags);
    return r;
}

int console_read(void *buf, size_t len, uint64_t deadline_ns)
{
    static bool first_read_logged;
    uint8_t *out = buf;
    uint64_t flags = cpu_irq_save();
    size_t n = 0;
    int r = 0;

    if (!first_read_logged) { /* boot to prompt, for make bench (instructions under -icount) */
        first_read_logged = true;
        log_debug("console: first input wait %lu TSC cycles after entry",
                  (unsigned long)(rdtsc() - arch_boot_tsc));
    }
    while (ring_head == ring_tail && len) {
        if ((r = waitq_wait(&readers, deadline_ns)) < 0) goto out;
    }
    while (n < len && ring_tail != ring_head) out[n++] = ring[ring_tail++ % RING_SIZE];
    if (n) serial_set_rx_irq(true);  /* room again */
    if (n) waitq_wake_all(&readers); /* a program's reader may wait behind a Ctrl-C */
out:
    cpu_irq_restore(flags);
    return r < 0 ? r : (int)n;
}
