/*
 * The CMOS real-time clock, read once at boot to anchor wall-clock time (clock.h's
 * clock_realtime_ns): date and time registers, BCD or binary, 12 or 24 hours, as the
 * status register says. Under QEMU it follows the host or -rtc base=.
 */
#include <stdint.h>

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "kernel/arch_hooks.h"

static uint8_t rtc_reg(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned rtc_value(uint8_t raw, uint8_t status_b)
{
    return (status_b & 0x04) ? raw : (raw & 0x0f) + (raw >> 4) * 10u;
}

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian). */
static int64_t rtc_days(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

uint64_t rtc_read_unix(void)
{
    uint8_t b, sec, min, hour, day, mon, year;
    unsigned h;

    for (int spin = 0; spin < 100000 && (rtc_reg(0x0a) & 0x80); spin++) arch_cpu_pause();
    sec = rtc_reg(0x00);
    min = rtc_reg(0x02);
    hour = rtc_reg(0x04);
    day = rtc_reg(0x07);
    mon = rtc_reg(0x08);
    year = rtc_reg(0x09);
    b = rtc_reg(0x0b);
    h = rtc_value(hour & 0x7f, b);
    if (!(b & 0x02) && (hour & 0x80)) h = (h % 12) + 12; /* 12-hour clock, PM */
    int64_t days = rtc_days(2000 + rtc_value(year, b), rtc_value(mon, b), rtc_value(day, b));
    return (uint64_t)(days * 86400 + h * 3600 + rtc_value(min, b) * 60 + rtc_value(sec, b));
}
