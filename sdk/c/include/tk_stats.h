/*
 * The kernel's counters as leak tests read them (modules/leakcheck, modules/hostile-reads):
 * a scenario gives back everything it took when live objects, heap blocks, free pages,
 * processes and threads are what they were before. Needs TK_CAP_SYSINFO.
 */
#ifndef TAKARA_SDK_STATS_H
#define TAKARA_SDK_STATS_H

#include <stdbool.h>
#include <takara.h>

#define TK_STATS_SETTLE_NS 3000000000LL /* how long an ended process's clean-up may take */
#define TK_STATS_POLL_NS   10000000LL

static inline bool tk_stats_equal(const struct tk_kernel_stats *a, const struct tk_kernel_stats *b)
{
    return a->objects == b->objects && a->heap_blocks == b->heap_blocks &&
           a->free_bytes == b->free_bytes && a->processes == b->processes &&
           a->threads == b->threads;
}

/* Waits until the counters equal `want` (servers drop closed clients, and ended
 * processes are reaped, asynchronously): false if they did not within
 * TK_STATS_SETTLE_NS; *now holds the last reading. */
static inline bool tk_stats_settle(const struct tk_kernel_stats *want, struct tk_kernel_stats *now)
{
    int64_t deadline = tk_clock_ns() + TK_STATS_SETTLE_NS;

    for (;;) {
        tk_kernel_stats(now);
        if (tk_stats_equal(want, now)) return true;
        if (tk_clock_ns() > deadline) return false;
        tk_sleep_ns(TK_STATS_POLL_NS);
    }
}

#endif
