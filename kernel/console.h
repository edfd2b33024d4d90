/*
 * The console (kernel/console.c): the serial line as the processes' terminal. Output
 * goes out at once; input arrives by interrupt into a ring buffer that readers block on.
 * When the ring is full the receive interrupt is masked, so the sender (QEMU, a real
 * UART's FIFO) holds the rest instead of the kernel dropping it.
 */
#ifndef TAKARA_KERNEL_CONSOLE_H
#define TAKARA_KERNEL_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void console_init(void);
void console_write(const void *buf, size_t len);
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
