/*
 * The kernel log: leveled, timestamped lines on the console
 * ("[    0.012345] mm: 126 MiB free"). The level threshold comes from the command line
 * (loglevel=N). Safe to call from any context once the console is up; before the clock
 * is calibrated timestamps read 0.
 */
#ifndef TAKARA_KERNEL_LOG_H
#define TAKARA_KERNEL_LOG_H

#include <stdarg.h>

enum log_level {
    LOG_ERROR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
};

void klog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kvlog(int level, const char *fmt, va_list ap);

/* Unleveled, unprefixed output straight to the console (panic reports, test verdicts). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_error(...) klog(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  klog(LOG_WARN, __VA_ARGS__)
#define log_info(...)  klog(LOG_INFO, __VA_ARGS__)
#define log_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

/* Stops the machine with a report: message, registers of the caller, backtrace. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
