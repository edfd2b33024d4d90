/*
 * hostile-console: one long console write, and a witness that the machine kept running
 * while it went out (the hostile suite's `console` family, tests/modules/hostile/
 * console.sh). When a write held interrupts off for the whole buffer, the clock tick
 * stood still and no other process ran until it was done.
 *
 *   flood KIB   starts a ticker child, then writes KIB KiB (lines of 63 dots) in one
 *               console_write and counts the ticker's stamps taken during it:
 *               "hostile-console: wrote N of M bytes in T ms; the ticker ran K times
 *               meanwhile: ticks kept running" (or "...: the machine stopped"). A first
 *               16 KiB round warms up; the kernel's counters after the long one must be
 *               those after it: "hostile-console: objects A -> B, heap blocks A -> B,
 *               free KiB A -> B: no leak" (or "LEAK")
 *   tick        the ticker: every 10 ms (the tick's own period) it sends clock_ns on
 *               its bootstrap channel, until the channel closes
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"

#define FLOOD_MAX_KIB 960
#define TICK_NS       10000000LL
#define MIN_TICKS     3 /* stamps that prove the tick and the scheduler ran */
#define MODULE        "hostile-console.wasm"
#define WARM_KIB      16
#define SETTLE_NS     3000000000LL /* for logd and init to take what the round left them */

static char flood_buf[FLOOD_MAX_KIB * 1024];

static int console_tick(void)
{
    tk_handle ch;

    if (tk_bootstrap_take(&ch) < 0) return 1;
    for (;;) {
        int64_t now = tk_clock_ns();
        int32_t r = tk_channel_write(ch, &now, sizeof now, NULL, 0);

        if (r < 0 && r != TK_ERR_AGAIN) return 0; /* the flood is over */
        tk_sleep_ns(TICK_NS);
    }
}

static int console_round(int64_t kib, bool report)
{
    static const char ticker[] = "console-ticker\0tick";
    size_t len = (size_t)kib * 1024;
    struct tk_channel_sizes sz;
    struct tk_exit_info info;
    tk_handle ours, theirs, child;
    int64_t t0, t1, stamp;
    int32_t pid, wrote, during = 0;
    uint32_t seen;

    for (size_t i = 0; i < len; i++) flood_buf[i] = i % 64 == 63 ? '\n' : '.';
    if ((pid = tk_channel_create(&ours, &theirs)) < 0) goto failed;
    struct tk_spawn_args sa = {.module = (uint32_t)(uintptr_t)MODULE,
                               .module_len = sizeof MODULE - 1,
                               .args = (uint32_t)(uintptr_t)ticker,
                               .args_len = sizeof ticker,
                               .bootstrap = theirs};
    if ((pid = tk_process_spawn(&sa, &child)) < 0) goto failed;
    /* the ticker runs before the write starts */
    tk_object_wait_one(ours, TK_SIGNAL_READABLE, -1, &seen);
    t0 = tk_clock_ns();
    wrote = tk_console_write(flood_buf, (uint32_t)len);
    t1 = tk_clock_ns();
    while (tk_channel_read(ours, &stamp, sizeof stamp, NULL, 0, &sz) == 0)
        during += stamp > t0 && stamp < t1;
    tk_handle_close(ours); /* the ticker ends */
    tk_wait(pid, &info, -1);
    tk_handle_close(child);
    if (report)
        tk_printf("hostile-console: wrote %d of %u bytes in %lld ms; the ticker ran %d times "
                  "meanwhile: %s\n",
                  (int)wrote, (unsigned)len, (long long)((t1 - t0) / 1000000), (int)during,
                  during >= MIN_TICKS ? "ticks kept running" : "the machine stopped");
    return 0;
failed:
    tk_printf("hostile-console: flood failed: %s\n", tk_error_name(pid));
    return 1;
}

static bool console_stats_same(const struct tk_kernel_stats *a, const struct tk_kernel_stats *b)
{
    return a->objects == b->objects && a->heap_blocks == b->heap_blocks &&
           a->free_bytes == b->free_bytes && a->processes == b->processes;
}

static int console_flood(int64_t kib)
{
    struct tk_kernel_stats before, after;
    int64_t deadline;

    if (console_round(WARM_KIB, false) != 0) return 1;
    tk_kernel_stats(&before);
    if (console_round(kib, true) != 0) return 1;
    for (deadline = tk_clock_ns() + SETTLE_NS; tk_clock_ns() < deadline; tk_sleep_ns(TICK_NS))
        if (tk_kernel_stats(&after) == 0 && console_stats_same(&before, &after)) break;
    tk_printf("hostile-console: objects %u -> %u, heap blocks %u -> %u, free KiB %llu -> %llu: "
              "%s\n",
              (unsigned)before.objects, (unsigned)after.objects, (unsigned)before.heap_blocks,
              (unsigned)after.heap_blocks, (unsigned long long)(before.free_bytes >> 10),
              (unsigned long long)(after.free_bytes >> 10),
              console_stats_same(&before, &after) ? "no leak" : "LEAK");
    return 0;
}

int main(int argc, char **argv)
{
    int64_t kib;

    if (argc > 1 && !strcmp(argv[1], "tick")) return console_tick();
    if (argc > 2 && !strcmp(argv[1], "flood") && tk_parse_int(argv[2], &kib) && kib > 0 &&
        kib <= FLOOD_MAX_KIB)
        return console_flood(kib);
    tk_printf("usage: hostile-console flood KIB (1 to %d) | tick\n", FLOOD_MAX_KIB);
    return 2;
}
