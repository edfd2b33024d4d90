/*
 * hostile-orphans: processes that try to outlive supervision (the hostile suite's
 * `orphans` family, tests/modules/hostile/orphans.sh). The attacks:
 *
 *   pair            starts two endless loops (plain pid spawn, no handle kept) and exits
 *   wide N          the same with N loops: more than the kernel can queue for init at
 *                   once (TK_CHANNEL_MAX_QUEUED), so the kernel ends the rest itself
 *   bomb D          a fork bomb: starts two `bomb D-1` and loops forever (2^(D+1) - 1
 *                   processes in all)
 *   spin            the endless loop itself (no imports in it)
 *
 * and the checks, which the test runs from the shell:
 *
 *   grown NAME N    waits until N processes named NAME run: "hostile-orphans: N NAME running"
 *   settle NAME     waits until none is left: "hostile-orphans: no NAME left"
 *   probe pair | probe bomb D
 *                   runs `wide WARM_WIDE` and the attack once to warm up (the wide burst
 *                   fills the queues that announce orphans to init, and init's to logd,
 *                   so their recycled message records are all there before counting),
 *                   takes the kernel's counters, runs the attack PROBE_REPEATS times more
 *                   (a bomb is killed through its root's process handle once grown),
 *                   waits until every process it made has ended and the counters are
 *                   back:
 *                   "hostile-orphans: ATTACK xR: P processes ended; objects A -> B, heap
 *                   blocks A -> B, free KiB A -> B: no leak" (or "LEAK")
 *
 * Children are named by their argv[0]: orphan-spin, orphan-bomb.
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"

#define PROBE_REPEATS 2
#define WARM_WIDE     80            /* > TK_CHANNEL_MAX_QUEUED */
#define POLL_NS       20000000LL    /* between looks at the process list */
#define DEADLINE_NS   60000000000LL /* for a tree to grow or to go */
#define SETTLE_NS     5000000000LL  /* for the counters to come back */
#define MAX_DEPTH     8
#define MODULE        "hostile-orphans.wasm"
#define LIST_MAX      320

static struct tk_proc_info orphans_list[LIST_MAX];
static volatile uint32_t orphans_sink;

static _Noreturn void orphans_spin(void)
{
    for (uint32_t x = 1;; x = x * 1103515245u + 12345u) orphans_sink = x;
}

/* Starts MODULE with argv (n strings, consecutive NUL-terminated in args) by pid. */
static int32_t orphans_spawn(const char *args, uint32_t len, uint32_t caps)
{
    return tk_spawn(MODULE, sizeof MODULE - 1, args, len, 0, caps);
}

/* Processes named `name` alive now (zombies too: they are not gone yet). */
static int32_t orphans_count(const char *name)
{
    int32_t n = tk_proc_list(orphans_list, LIST_MAX), found = 0;

    if (n < 0) return n;
    for (int32_t i = 0; i < n && i < LIST_MAX; i++)
        if (!strncmp(orphans_list[i].name, name, TK_NAME_MAX)) found++;
    return found;
}

/* Waits until the count of `name` is at least `want` (grow) or 0 (!grow): the count. */
static int32_t orphans_await(const char *name, int32_t want, bool grow)
{
    int64_t deadline = tk_clock_ns() + DEADLINE_NS;
    int32_t n;

    while ((n = orphans_count(name)) >= 0 && (grow ? n < want : n > 0) && tk_clock_ns() < deadline)
        tk_sleep_ns(POLL_NS);
    return n;
}

/* The argv of a bomb of `depth` ("orphan-bomb" "bomb" "D") into buf: its length. */
static uint32_t orphans_bomb_args(char *buf, size_t size, int64_t depth)
{
    static const char head[] = "orphan-bomb\0bomb";

    memcpy(buf, head, sizeof head);
    return (uint32_t)(sizeof head +
                      fmt_snprintf(buf + sizeof head, size - sizeof head, "%d", (int)depth) + 1);
}

static _Noreturn void orphans_bomb(int64_t depth)
{
    char args[32];
    uint32_t n = orphans_bomb_args(args, sizeof args, depth - 1);

    for (int k = 0; depth > 0 && k < 2; k++) orphans_spawn(args, n, TK_CAP_SPAWN);
    orphans_spin();
}

/* The counters a probe must give back. */
static bool orphans_stats_equal(const struct tk_kernel_stats *a, const struct tk_kernel_stats *b)
{
    return a->objects == b->objects && a->heap_blocks == b->heap_blocks &&
           a->free_bytes == b->free_bytes && a->processes == b->processes &&
           a->threads == b->threads;
}

/* One attack through a process handle: its root runs (`wide n`, or `bomb n`, which
 * grows and is killed through that handle), then everything it made has gone. The
 * processes it made. */
static int32_t orphans_attack(bool bomb, int64_t n)
{
    static char args[48];
    const char *kids = bomb ? "orphan-bomb" : "orphan-spin";
    int32_t total = bomb ? (2 << n) - 1 : (int32_t)n, pid, grown;
    struct tk_exit_info info;
    uint32_t len;
    tk_handle root;

    if (bomb) {
        len = orphans_bomb_args(args, sizeof args, n);
    } else {
        memcpy(args, "orphan-wide\0wide", 17);
        len = 17 + (uint32_t)fmt_snprintf(args + 17, sizeof args - 17, "%d", (int)n) + 1;
    }
    struct tk_spawn_args sa = {.module = (uint32_t)(uintptr_t)MODULE,
                               .module_len = sizeof MODULE - 1,
                               .args = (uint32_t)(uintptr_t)args,
                               .args_len = len,
                               .caps = TK_CAP_SPAWN};
    if ((pid = tk_process_spawn(&sa, &root)) < 0) return pid;
    if (bomb) {
        grown = orphans_await(kids, total, true);
        if (grown != total) tk_printf("hostile-orphans: bomb grew to %d of %d\n", grown, total);
        total = grown;
        tk_process_kill(root); /* the shell's `kill PID`: authority by handle */
    }
    tk_wait(pid, &info, -1);
    tk_handle_close(root);
    if (orphans_await(kids, 0, false) != 0) return TK_ERR_TIMEOUT;
    return total;
}

static void orphans_probe(bool bomb, int64_t n)
{
    struct tk_kernel_stats before, after;
    int32_t ended = 0, r;
    int64_t deadline;

    if ((r = orphans_attack(false, WARM_WIDE)) < 0 || (r = orphans_attack(bomb, n)) < 0)
        goto failed;           /* warm-up */
    tk_sleep_ns(10 * POLL_NS); /* the warm-up's last notes and log lines */
    tk_kernel_stats(&before);
    for (int k = 0; k < PROBE_REPEATS; k++) {
        if ((r = orphans_attack(bomb, n)) < 0) goto failed;
        ended += r;
    }
    deadline = tk_clock_ns() + SETTLE_NS;
    do {
        tk_kernel_stats(&after);
        if (orphans_stats_equal(&before, &after)) break;
        tk_sleep_ns(POLL_NS);
    } while (tk_clock_ns() < deadline);
    tk_printf("hostile-orphans: %s x%d: %d processes ended; objects %u -> %u, heap blocks "
              "%u -> %u, free KiB %llu -> %llu: %s\n",
              bomb ? "bomb" : "pair", PROBE_REPEATS, (int)ended, (unsigned)before.objects,
              (unsigned)after.objects, (unsigned)before.heap_blocks, (unsigned)after.heap_blocks,
              (unsigned long long)(before.free_bytes >> 10),
              (unsigned long long)(after.free_bytes >> 10),
              orphans_stats_equal(&before, &after) ? "no leak" : "LEAK");
    return;
failed:
    tk_printf("hostile-orphans: probe failed: %s\n", tk_error_name(r));
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    int64_t n = 0;

    if (!strcmp(mode, "spin")) orphans_spin();
    if (!strcmp(mode, "pair")) {
        static const char spin[] = "orphan-spin\0spin";
        int32_t a = orphans_spawn(spin, sizeof spin, 0), b = orphans_spawn(spin, sizeof spin, 0);

        tk_printf("hostile-orphans: pair started %d %d\n", (int)a, (int)b);
        return a > 0 && b > 0 ? 0 : 1;
    }
    if (!strcmp(mode, "wide") && argc > 2 && tk_parse_int(argv[2], &n) && n > 0 && n < LIST_MAX) {
        static const char spin[] = "orphan-spin\0spin";

        for (int64_t k = 0; k < n; k++)
            if (orphans_spawn(spin, sizeof spin, 0) < 0) return 1;
        return 0;
    }
    if (!strcmp(mode, "bomb") && argc > 2 && tk_parse_int(argv[2], &n) && n >= 0 && n <= MAX_DEPTH)
        orphans_bomb(n);
    if ((!strcmp(mode, "grown") || !strcmp(mode, "settle")) && argc > 2) {
        bool grow = mode[0] == 'g';
        int32_t got;

        if (grow && (argc < 4 || !tk_parse_int(argv[3], &n) || n <= 0 || n > LIST_MAX)) goto usage;
        got = orphans_await(argv[2], (int32_t)n, grow);
        if (!grow && got == 0)
            tk_printf("hostile-orphans: no %s left\n", argv[2]);
        else
            tk_printf("hostile-orphans: %d %s %s\n", (int)got, argv[2],
                      grow ? "running" : "still running");
        return 0;
    }
    if (!strcmp(mode, "probe") && argc > 2) {
        bool bomb = !strcmp(argv[2], "bomb");

        if (bomb && (argc < 4 || !tk_parse_int(argv[3], &n) || n < 0 || n > MAX_DEPTH)) goto usage;
        if (bomb || !strcmp(argv[2], "pair")) {
            orphans_probe(bomb, bomb ? n : 2);
            return 0;
        }
    }
usage:
    tk_puts("usage: hostile-orphans pair | wide N | bomb D | spin | grown NAME N | settle NAME "
            "| probe pair | probe bomb D");
    return 2;
}
