/*
 * Time: a monotonic clock in nanoseconds since boot (from the calibrated TSC) and the
 * periodic tick. arch/x86_64/timer.c implements it.
 */
#ifndef TAKARA_KERNEL_CLOCK_H
#define TAKARA_KERNEL_CLOCK_H

#include <stdint.h>

#define CLOCK_TICK_HZ 100

void clock_init(void);
/* Nanoseconds since clock_init; 0 before it. */
uint64_t clock_ns(void);
/* Timer interrupts taken since the timer started. */
uint64_t clock_ticks(void);
/* Wall-clock time: nanoseconds since 1970-01-01 UTC, from the RTC read at boot. */
uint64_t clock_realtime_ns(void);
/* The RTC's date and time as seconds since 1970 (arch/x86_64/rtc.c). */
uint64_t rtc_read_unix(void);
/* TSC frequency found by calibration, in Hz. */
uint64_t clock_tsc_hz(void);

#endif
