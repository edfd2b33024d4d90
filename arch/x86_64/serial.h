/* COM1 serial console. */
#ifndef TAKARA_ARCH_SERIAL_H
#define TAKARA_ARCH_SERIAL_H

#include <stdbool.h>
#include <stddef.h>

void serial_init(void);
void serial_write(const char *s, size_t n);
/* A received byte, or -1 if none is waiting. */
int serial_read_byte(void);
/* Raise IRQ 4 when a byte arrives (the console's input), or stop doing so. */
void serial_set_rx_irq(bool on);

#endif
