/* COM1 serial console (serial.c): the arch_console_* calls of arch/arch.h. */
#ifndef TAKARA_ARCH_SERIAL_H
#define TAKARA_ARCH_SERIAL_H

/* Programs the UART (8N1, 115200 baud, no FIFO, no interrupts): the first call of C. */
void serial_init(void);

#endif
