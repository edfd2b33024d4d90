/*
 * The kernel log (log.h): every line goes to the serial console with a timestamp and,
 * below the configured level, is dropped. panic() lives in arch (it needs registers).
 */
#include "kernel/log.h"

#include "arch/arch.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "lib/fmt.h"

static int log_threshold = LOG_INFO;

void log_set_level(int level)
{
    log_threshold = level;
}

void kprintf_sink(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    console_flush(); /* processes' output queued before this line goes first */
    arch_console_write(s, n);
}

static void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fmt_vformat(kprintf_sink, NULL, fmt, ap);
    va_end(ap);
}

void kvlog(int level, const char *fmt, va_list ap)
{
    static const char *const tags[] = {"error: ", "warning: ", "", ""};
    uint64_t ns, flags;

    if (level > log_threshold) return;
    ns = clock_ns();
    flags = arch_irq_save(); /* one line at a time, even with interrupt handlers logging */
    log_printf("[%5lu.%06lu] %s", (unsigned long)(ns / 1000000000),
               (unsigned long)(ns / 1000 % 1000000), tags[level < 0 ? 0 : level & 3]);
    fmt_vformat(kprintf_sink, NULL, fmt, ap);
    arch_console_write("\n", 1);
    arch_irq_restore(flags);
}

void klog(int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvlog(level, fmt, ap);
    va_end(ap);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fmt_vformat(kprintf_sink, NULL, fmt, ap);
    va_end(ap);
}
