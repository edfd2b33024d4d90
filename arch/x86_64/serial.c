/*
 * COM1 (16550 UART at 0x3f8): the kernel's own console. Polled output, so it works
 * from the first instruction of C to the last line of a panic. Input arrives on ISA
 * IRQ 4.
 */
#include "arch/x86_64/serial.h"

#include <takara/error.h>

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"

#define COM1          0x3f8
#define UART_DATA     0
#define UART_IER      1
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LSR_THRE 0x20
#define UART_LSR_DR   0x01
#define COM1_IRQ      4

/* Bytes that arrived before serial_init: enabling the FIFO would discard them. */
static uint8_t early_rx[16];
static unsigned early_count, early_taken;

void serial_init(void)
{
    while (early_count < sizeof(early_rx) && (inb(COM1 + UART_LSR) & UART_LSR_DR))
        early_rx[early_count++] = inb(COM1 + UART_DATA);
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80);  /* divisor latch */
    outb(COM1 + UART_DATA, 0x01); /* 115200 baud */
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x03); /* 8N1 */
    /* FIFOs stay off: switching them on discards bytes in flight, and a console needs
     * no batching (a full receiver makes the sender wait, so nothing is lost) */
    outb(COM1 + UART_FCR, 0x00);
    outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2: OUT2 gates the IRQ line */
}

static void serial_putc(char c)
{
    for (int spin = 0; spin < 100000 && !(inb(COM1 + UART_LSR) & UART_LSR_THRE); spin++)
        arch_cpu_pause();
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void arch_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') serial_putc('\r');
        serial_putc(s[i]);
    }
}

int arch_console_read_byte(void)
{
    if (early_taken < early_count) return early_rx[early_taken++];
    if (!(inb(COM1 + UART_LSR) & UART_LSR_DR)) return -1;
    return inb(COM1 + UART_DATA);
}

void arch_console_set_rx_irq(bool on)
{
    outb(COM1 + UART_IER, on ? 0x01 : 0x00); /* received-data-available interrupt */
}

static arch_irq_fn rx_fn;
static void *rx_ctx;

static void serial_irq(void *ctx, struct arch_frame *frame)
{
    (void)ctx;
    (void)frame;
    rx_fn(rx_ctx);
}

int arch_console_irq_bind(arch_irq_fn fn, void *ctx)
{
    int r;

    if (rx_fn) return TK_ERR_BUSY;
    rx_fn = fn;
    rx_ctx = ctx;
    if ((r = ioapic_register_isa(COM1_IRQ, serial_irq, NULL)) < 0) rx_fn = NULL;
    return r;
}
