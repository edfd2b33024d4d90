/*
 * The console (kernel/console.c): the serial line as the processes' terminal. Output
 * is copied into a ring of CONSOLE_OUT_RING bytes and sent in slices of CONSOLE_SLICE
 * bytes with interrupts off, on in between; a write returns when its bytes are out, and
 * waits while the ring is full (docs/architecture.md: how long interrupts stay off).
 * Input arrives by interrupt into a ring buffer that readers block on. When that ring
 * is full the receive interrupt is masked, so the sender (QEMU, a real UART's FIFO)
 * holds the rest instead of the kernel dropping it.
 */
#ifndef TAKARA_KERNEL_CONSOLE_H
#define TAKARA_KERNEL_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_OUT_RING 512u /* also the most a kernel log line flushes before itself */
#define CONSOLE_SLICE    32u  /* bytes sent per stretch with interrupts off */

void console_init(void);
/* Writes len bytes: whole and not interleaved with other writes when len is at most
 * CONSOLE_OUT_RING. Returns len, or fewer (or TK_ERR_KILLED) if the writer is killed
 * while it waits for room; what it queued is sent all the same. */
int console_write(const void *buf, size_t len);
/* Sends everything queued, interrupts off (at most CONSOLE_OUT_RING bytes): the kernel
 * log calls it first, so its lines keep their place among the processes' output. */
void console_flush(void);
/* Copies up to len bytes once at least one is there, or until deadline_ns (absolute;
 * 0: none). Returns the count, TK_ERR_TIMEOUT or TK_ERR_KILLED. */
int console_read(void *buf, size_t len, uint64_t deadline_ns);
/* console_read for a program's standard input (WASI fd 0): it stops before a Ctrl-C
 * (CONSOLE_INTERRUPT) and waits while one is next, leaving it to the shell, which kills
 * its foreground job on it. */
#define CONSOLE_INTERRUPT 0x03
int console_read_program(void *buf, size_t len, uint64_t deadline_ns);
/* Bytes console_read_program would take now (those before a Ctrl-C). */
uint32_t console_pending(void);
/* Waits until console_pending() is not 0 (taking nothing) or the deadline (absolute; 0:
 * none): 0, TK_ERR_TIMEOUT or TK_ERR_KILLED. */
int console_wait(uint64_t deadline_ns);

#endif
