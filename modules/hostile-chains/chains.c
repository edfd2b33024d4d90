/*
 * hostile-chains: builds the deep structures a hostile module would, to check that the
 * kernel walks them in bounded stack and frees every part (the hostile suite's `chains`
 * family, tests/modules/hostile/chains.sh). `hostile-chains PROBE DEPTH`:
 *
 *   nest         channels nested DEPTH deep (each endpoint queued in the previous one's
 *                queue, built top-down holding three handles), then the root closed
 *   nest-up      the same bottom-up: the whole structure sent again at each level, until
 *                DEPTH or the kernel's cycle check says LIMIT
 *   ports-event  DEPTH ports, each watching the next one's READABLE, the last an event,
 *                parked in channel messages (no handle table limit); the event signalled
 *   ports-timer  the same chain ending in a timer, which fires in the clock's tick
 *   self         DEPTH times an endpoint sent into its own queue, both ends: refused
 *   cycle        a nest of DEPTH, then its root sent into the deepest queue: refused
 *   exit-PROBE   PROBE run by a child that ends without closing anything: its end must
 *                free all of it
 *
 * Each probe runs once small to warm the kernel's heap up, then takes the kernel's
 * counters (kernel_stats), runs at DEPTH, lets everything go and requires the counters
 * back exactly. One line:
 *
 *   hostile-chains: PROBE DEPTH: built N, RESULT; objects A -> B, heap blocks A -> B,
 *   free KiB A -> B: ok
 *
 * ("FAIL" instead when the probe saw the wrong outcome or a counter stayed off).
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"

#define SETTLE_NS 3000000000LL
#define WARM_UP   200u /* past a park message's handles: the table has grown */
#define PARK_MAX  TK_CHANNEL_MAX_HANDLES

/* What a probe did: how far it got, why it stopped, and whether it saw what it must. */
struct probe {
    uint32_t built;
    int32_t stop;  /* 0, or the error that stopped building (LIMIT and NOMEM are fair) */
    bool ok;       /* the probe's own check */
    char what[64]; /* its outcome, for the line */
};

static bool keep; /* exit-PROBE's child: end without closing anything */

static void close_if(tk_handle h)
{
    if (h && !keep) tk_handle_close(h);
}

/* A stop that is the kernel's limits speaking, not a failure. */
static bool stop_fair(int32_t r)
{
    return r == 0 || r == TK_ERR_LIMIT || r == TK_ERR_NOMEM;
}

/* Top-down nesting: *root's queue holds b1, b1's holds b2, ...; *writer writes into the
 * deepest queue. */
static void nest(uint32_t depth, struct probe *pr, tk_handle *root, tk_handle *writer)
{
    tk_handle w, a, b;
    int32_t r = tk_channel_create(&w, root);

    for (pr->built = 0; r == 0 && pr->built < depth; pr->built++) {
        if ((r = tk_channel_create(&a, &b)) < 0) break;
        r = tk_channel_write(w, "n", 1, &b, 1); /* b into the queue of w's peer */
        close_if(w);
        w = a;
    }
    pr->stop = r;
    *writer = w;
}

static void probe_nest(uint32_t depth, struct probe *pr)
{
    tk_handle root, writer;

    nest(depth, pr, &root, &writer);
    pr->ok = stop_fair(pr->stop);
    fmt_snprintf(pr->what, sizeof pr->what, "stopped by %s", tk_error_name(pr->stop));
    close_if(writer);
    close_if(root); /* the kernel tears every level down */
}

static void probe_cycle(uint32_t depth, struct probe *pr)
{
    tk_handle root, writer, dup;
    int32_t r;

    nest(depth, pr, &root, &writer);
    r = tk_handle_duplicate(root, TK_RIGHTS_SAME, &dup);
    if (r == 0) r = tk_channel_write(writer, "c", 1, &dup, 1); /* dup is consumed */
    /* a cycle the walk can see is INVAL; one too deep to look through is LIMIT */
    pr->ok = stop_fair(pr->stop) && (r == TK_ERR_INVAL || r == TK_ERR_LIMIT);
    fmt_snprintf(pr->what, sizeof pr->what, "root into the deepest queue: %s", tk_error_name(r));
    close_if(writer);
    close_if(root);
}

static void probe_nest_up(uint32_t depth, struct probe *pr)
{
    tk_handle w, cur, a, b;
    int32_t r = tk_channel_create(&w, &cur);

    close_if(w);
    for (pr->built = 0; r == 0 && pr->built < depth; pr->built++) {
        if ((r = tk_channel_create(&a, &b)) < 0) break;
        r = tk_channel_write(a, "n", 1, &cur, 1); /* the whole structure into b's queue */
        close_if(a);
        cur = b; /* on failure cur was consumed: b is all that is left */
    }
    pr->stop = r;
    pr->ok = stop_fair(r);
    fmt_snprintf(pr->what, sizeof pr->what, "stopped by %s", tk_error_name(r));
    close_if(cur);
}

/* Ports parked in channel messages, PARK_MAX a message, a queue's worth per channel. */
struct park {
    tk_handle pending[PARK_MAX];
    uint32_t npending;
    tk_handle writer;      /* into the last reader's queue */
    uint32_t queued;       /* messages in that queue */
    tk_handle readers[64]; /* the channels holding them: 4,096 handles each */
    uint32_t nreaders;
};

/* Sends the pending handles into a queue with room (a new channel when the last one's
 * is full, so the write never meets AGAIN). */
static int32_t park_flush(struct park *pk)
{
    int32_t r;

    if (!pk->npending) return 0;
    if (pk->writer && pk->queued == TK_CHANNEL_MAX_QUEUED) {
        close_if(pk->writer); /* its peer keeps the messages */
        pk->writer = 0;
    }
    if (!pk->writer) {
        if (pk->nreaders == sizeof pk->readers / sizeof pk->readers[0]) return TK_ERR_LIMIT;
        if ((r = tk_channel_create(&pk->writer, &pk->readers[pk->nreaders])) < 0) return r;
        pk->nreaders++;
        pk->queued = 0;
    }
    r = tk_channel_write(pk->writer, "p", 1, pk->pending, pk->npending); /* consumed */
    pk->npending = 0;
    pk->queued++;
    return r;
}

static int32_t park(struct park *pk, tk_handle h)
{
    pk->pending[pk->npending++] = h;
    return pk->npending < PARK_MAX ? 0 : park_flush(pk);
}

static void park_release(struct park *pk)
{
    for (uint32_t i = 0; i < pk->npending; i++) close_if(pk->pending[i]);
    close_if(pk->writer);
    for (uint32_t i = 0; i < pk->nreaders; i++) close_if(pk->readers[i]);
}

static void probe_ports(uint32_t depth, bool timer, struct probe *pr)
{
    static struct park pk;
    tk_handle end, next, p = 0;
    uint32_t seen = 0;
    int32_t r;

    memset(&pk, 0, sizeof pk);
    r = timer ? tk_timer_create(&end) : tk_event_create(&end);
    if (r < 0) {
        pr->stop = r;
        return;
    }
    next = end;
    for (pr->built = 0; pr->built < depth; pr->built++) {
        uint32_t want =
            next == end ? (timer ? TK_SIGNAL_TIMER_FIRED : TK_SIGNAL_SIGNALED) : TK_SIGNAL_READABLE;
        if ((r = tk_port_create(&p)) < 0) break;
        if ((r = tk_port_watch(p, next, pr->built, want)) < 0 ||
            (next != end && (r = park(&pk, next)) < 0)) {
            close_if(p);
            break;
        }
        next = p;
    }
    pr->stop = r;
    if (pr->built) {
        if (timer)
            r = tk_timer_set(end, tk_clock_ns() + 20000000LL);
        else
            r = tk_object_signal(end, 0, TK_SIGNAL_SIGNALED);
        /* the whole chain runs in the signal (for the timer: in the tick) */
        if (r == 0)
            r = tk_object_wait_one(next, TK_SIGNAL_READABLE, timer ? 10000000000LL : 0, &seen);
        pr->ok = stop_fair(pr->stop) && r == 0 && (seen & TK_SIGNAL_READABLE);
        fmt_snprintf(pr->what, sizeof pr->what, "first port %s",
                     r == 0 ? "readable" : tk_error_name(r));
    }
    if (next != end) close_if(next);
    park_release(&pk);
    close_if(end);
}

static void probe_self(uint32_t depth, struct probe *pr)
{
    tk_handle a, b, dup;
    uint32_t refused = 0;
    int32_t r = tk_channel_create(&a, &b);

    for (pr->built = 0; r == 0 && pr->built < depth; pr->built++) {
        /* b into its own queue (written by a), and a into its own (written by b) */
        if ((r = tk_handle_duplicate(b, TK_RIGHTS_SAME, &dup)) < 0) break;
        refused += tk_channel_write(a, "x", 1, &dup, 1) == TK_ERR_INVAL;
        if ((r = tk_handle_duplicate(a, TK_RIGHTS_SAME, &dup)) < 0) break;
        refused += tk_channel_write(b, "x", 1, &dup, 1) == TK_ERR_INVAL;
    }
    pr->stop = r;
    pr->ok = r == 0 && refused == 2 * depth;
    fmt_snprintf(pr->what, sizeof pr->what, "%u of %u refused", refused, 2 * depth);
    close_if(a);
    close_if(b);
}

static bool probe_run(const char *name, uint32_t depth, struct probe *pr)
{
    memset(pr, 0, sizeof *pr);
    fmt_snprintf(pr->what, sizeof pr->what, "-");
    if (!strcmp(name, "nest"))
        probe_nest(depth, pr);
    else if (!strcmp(name, "nest-up"))
        probe_nest_up(depth, pr);
    else if (!strcmp(name, "ports-event"))
        probe_ports(depth, false, pr);
    else if (!strcmp(name, "ports-timer"))
        probe_ports(depth, true, pr);
    else if (!strcmp(name, "self"))
        probe_self(depth, pr);
    else if (!strcmp(name, "cycle"))
        probe_cycle(depth, pr);
    else
        return false;
    return true;
}

/* exit-PROBE: a child builds PROBE and ends holding all of it. */
static void probe_exit(const char *name, uint32_t depth, struct probe *pr)
{
    char args[64], num[12];
    struct tk_exit_info info;
    uint32_t n = 0;
    const char *parts[4] = {"hostile-chains", name, num, "keep"};
    int32_t pid;

    memset(pr, 0, sizeof *pr);
    fmt_snprintf(pr->what, sizeof pr->what, "argv too long");
    fmt_snprintf(num, sizeof num, "%u", depth);
    for (int i = 0; i < 4; i++) { /* argv: consecutive NUL-terminated strings */
        uint32_t len = (uint32_t)strlen(parts[i]) + 1;
        if (n + len > sizeof args) return;
        memcpy(args + n, parts[i], len);
        n += len;
    }
    pid = tk_spawn("hostile-chains.wasm", 19, args, n, 0, 0);
    memset(pr, 0, sizeof *pr);
    if (pid < 0) {
        pr->stop = pid;
        fmt_snprintf(pr->what, sizeof pr->what, "spawn: %s", tk_error_name(pid));
        return;
    }
    pr->ok = tk_wait(pid, &info, -1) == pid && info.reason == TK_EXIT_NORMAL && info.code == 0;
    pr->built = depth;
    fmt_snprintf(pr->what, sizeof pr->what, "child %s", pr->ok ? "ended holding it" : "failed");
}

static bool run(const char *name, uint32_t depth, struct probe *pr)
{
    bool child = !strncmp(name, "exit-", 5);
    const char *inner = child ? name + 5 : name;

    if (child) {
        probe_exit(inner, depth, pr);
        return true;
    }
    return probe_run(inner, depth, pr);
}

int main(int argc, char **argv)
{
    struct tk_kernel_stats before, after;
    struct probe pr;
    uint32_t depth;
    bool back;

    if (argc < 3) {
        tk_printf("usage: hostile-chains PROBE DEPTH [keep]\n");
        return 2;
    }
    int64_t d;
    if (!tk_parse_int(argv[2], &d) || d < 0 || d > 10000000) {
        tk_printf("hostile-chains: bad depth %s\n", argv[2]);
        return 2;
    }
    depth = (uint32_t)d;
    if (argc > 3 && !strcmp(argv[3], "keep")) {
        keep = true;
        return probe_run(argv[1], depth, &pr) && stop_fair(pr.stop) ? 0 : 1;
    }
    if (!run(argv[1], depth < WARM_UP ? depth : WARM_UP, &pr)) {
        tk_printf("hostile-chains: unknown probe %s\n", argv[1]);
        return 2;
    }
    tk_sleep_ns(100000000LL); /* the warm-up's clean-up in servers */
    tk_kernel_stats(&before);
    run(argv[1], depth, &pr);
    back = tk_kernel_stats_settle(&before, &after, SETTLE_NS);
    tk_printf("hostile-chains: %s %u: built %u, %s; objects %u -> %u, heap blocks %u -> %u, "
              "free KiB %llu -> %llu: %s\n",
              argv[1], depth, pr.built, pr.what, before.objects, after.objects, before.heap_blocks,
              after.heap_blocks, (unsigned long long)(before.free_bytes >> 10),
              (unsigned long long)(after.free_bytes >> 10), pr.ok && back ? "ok" : "FAIL");
    return pr.ok && back ? 0 : 1;
}
