/*
 * hostile-hoard: makes the kernel hold memory every way a module can, against its own
 * limit (tests/modules/hostile/hoard.sh). Modes (argv[1]):
 *
 *   (none)  hoard: each way alone until refused, printing `hoard: WAY -> ERROR after N`,
 *           then giving it back; then every way at once, kept; then children that each
 *           hoard report (`hoard: child N: ... -> ERROR after N`); then a marker child
 *           named hoard-ready is started and the hoarder blocks until it is killed
 *   child   what a child does: objects parked in messages and 64 KiB messages until
 *           refused, reported on its bootstrap channel; ends when its parent does
 *   marker  blocks until its parent ends
 *   wait    returns once a process named hoard-ready exists ("hoard: ready")
 *   gone    returns once every other hostile-hoard process has ended ("hoard: gone")
 *
 * Objects beyond the handle table's 1,024 are parked: sent, 64 handles a message, into
 * channels whose both ends the hoarder holds.
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_stdio.h>

#include "lib/string.h"

#define HELD_MAX   1000 /* handles this module keeps in its table (the table holds 1024) */
#define CHILDREN   3
#define SPARE      64 /* events freed to make room for the marker child */
#define MSG_BYTES  TK_CHANNEL_MAX_BYTES
#define FAR_FUTURE (1ll << 62)
#define POLL_NS    10000000ll

static tk_handle held[HELD_MAX];
static uint32_t nheld;
static uint8_t msg[MSG_BYTES];
static char mapped[16 * TK_MEMORY_PAGE] __attribute__((aligned(TK_MEMORY_PAGE)));
static struct tk_proc_info procs[64];

/* The outcome of one way: how many it made, and the error that stopped it. */
struct outcome {
    uint32_t n;
    int32_t err;
};

static int32_t hold(tk_handle h)
{
    if (nheld == HELD_MAX) {
        tk_handle_close(h);
        return TK_ERR_LIMIT;
    }
    held[nheld++] = h;
    return 0;
}

/* Closes every handle taken since `mark`. */
static void release(uint32_t mark)
{
    while (nheld > mark) tk_handle_close(held[--nheld]);
}

/* Parking: objects are sent, up to 64 a message, into a channel held at both ends. */
static tk_handle park_in = TK_HANDLE_INVALID;
static tk_handle pending[TK_CHANNEL_MAX_HANDLES];
static uint32_t npending;

static int32_t park_flush(void)
{
    tk_handle a, b;
    int32_t r;

    if (npending == 0) return 0;
    if (!park_in) {
        if ((r = tk_channel_create(&a, &b)) < 0 || (r = hold(a)) < 0 || (r = hold(b)) < 0) {
            while (npending) tk_handle_close(pending[--npending]);
            return r;
        }
        park_in = a;
    }
    r = tk_channel_write(park_in, "p", 1, pending, npending); /* consumed either way */
    npending = 0;
    if (r == TK_ERR_AGAIN) park_in = TK_HANDLE_INVALID; /* full: the next one */
    return r;
}

/* Parks h; the error of the write that took it, if any. */
static int32_t park(tk_handle h)
{
    pending[npending++] = h;
    return npending == TK_CHANNEL_MAX_HANDLES ? park_flush() : 0;
}

/* Makes objects with make() and parks them until something is refused. */
static struct outcome park_until_refused(int32_t (*make)(tk_handle *out))
{
    struct outcome o = {0, 0};
    tk_handle h;

    for (;;) {
        if ((o.err = make(&h)) < 0) break;
        o.n++;
        if ((o.err = park(h)) < 0 && o.err != TK_ERR_AGAIN) break;
    }
    park_flush(); /* what is pending, if make() was refused */
    return o;
}

static int32_t make_event(tk_handle *out)
{
    return tk_event_create(out);
}

static int32_t make_timer(tk_handle *out)
{
    int32_t r = tk_timer_create(out);

    if (r == 0 && (r = tk_timer_set(*out, FAR_FUTURE)) < 0) tk_handle_close(*out);
    return r;
}

/* A port watching 16 objects: its own events, which the port's watches keep watching
 * after they are parked. */
static int32_t make_port(tk_handle *out)
{
    tk_handle ev;
    int32_t r;

    *out = TK_HANDLE_INVALID;
    r = tk_port_create(out);

    for (uint32_t k = 0; r == 0 && k < 16; k++) {
        if ((r = tk_event_create(&ev)) < 0) break;
        if ((r = tk_port_watch(*out, ev, k, TK_SIGNAL_SIGNALED)) < 0)
            tk_handle_close(ev);
        else if ((r = park(ev)) == TK_ERR_AGAIN)
            r = 0;
    }
    if (r < 0 && *out) tk_handle_close(*out);
    return r;
}

/* A channel whose both ends are parked (one is returned, one parked here). */
static int32_t make_channel(tk_handle *out)
{
    tk_handle other;
    int32_t r = tk_channel_create(out, &other);

    if (r == 0 && (r = park(other)) < 0) tk_handle_close(*out);
    return r;
}

/* A channel holding a queued message, inside a channel holding a queued message, 16
 * deep: messages carrying handles that carry messages. */
static int32_t make_nest(tk_handle *out)
{
    tk_handle inner = TK_HANDLE_INVALID, a, b;
    int32_t r = 0;

    for (int depth = 0; depth < 16; depth++) {
        if ((r = tk_channel_create(&a, &b)) < 0) break;
        r = tk_channel_write(a, "nest", 4, &inner, inner ? 1 : 0);
        inner = TK_HANDLE_INVALID;
        tk_handle_close(a);
        if (r < 0) {
            tk_handle_close(b);
            break;
        }
        inner = b; /* b's queue holds the message, which holds the level below */
    }
    if (r < 0) {
        if (inner) tk_handle_close(inner);
        return r;
    }
    *out = inner;
    return 0;
}

/* 64 KiB messages without handles into channels held at both ends. */
static struct outcome hoard_messages(void)
{
    struct outcome o = {0, 0};
    tk_handle a = TK_HANDLE_INVALID, b;

    for (;;) {
        if (!a) {
            if ((o.err = tk_channel_create(&a, &b)) < 0) break;
            if ((o.err = hold(a)) < 0 || (o.err = hold(b)) < 0) break;
        }
        o.err = tk_channel_write(a, msg, sizeof msg, NULL, 0);
        if (o.err == TK_ERR_AGAIN) {
            a = TK_HANDLE_INVALID;
            continue;
        }
        if (o.err < 0) break;
        o.n++;
    }
    return o;
}

/* Duplicates of one handle until the table is full. */
static struct outcome hoard_handles(void)
{
    struct outcome o = {0, 0};
    tk_handle ev, dup;

    if ((o.err = tk_event_create(&ev)) < 0 || (o.err = hold(ev)) < 0) return o;
    while ((o.err = tk_handle_duplicate(ev, TK_RIGHTS_SAME, &dup)) == 0) {
        o.n++;
        if (nheld == HELD_MAX) { /* the table's own limit comes next */
            tk_handle_close(dup);
            break;
        }
        held[nheld++] = dup;
    }
    /* the last slots, without keeping them: the table refuses past 1,024 */
    tk_handle extra[32];
    uint32_t k = 0;
    while (o.err == 0 && k < 32 &&
           (o.err = tk_handle_duplicate(ev, TK_RIGHTS_SAME, &extra[k])) == 0)
        k++;
    o.n += k;
    while (k) tk_handle_close(extra[--k]);
    return o;
}

/* 64 KiB memory objects, each mapped into this memory and unmapped again. */
static struct outcome hoard_memory(void)
{
    struct outcome o = {0, 0};
    uint32_t offset = (uint32_t)(uintptr_t)mapped;
    tk_handle h;

    while ((o.err = tk_memory_create(16, &h)) == 0) {
        o.n++;
        int32_t r = tk_memory_map(h, offset);
        if (r == 0) r = tk_memory_unmap(offset);
        if (r < 0) tk_printf("hoard: map/unmap -> %s\n", tk_error_name(r));
        if ((o.err = hold(h)) < 0) break;
    }
    return o;
}

/* table.grow on the module's function table (reference types, in assembly: C has no
 * table instructions): the old size, or -1 when refused. */
static int32_t table_grow(int32_t n)
{
    int32_t r;

    __asm__ volatile("ref.null_func\n\tlocal.get %1\n\ttable.grow __indirect_function_table\n\t"
                     "local.set %0"
                     : "=r"(r)
                     : "r"(n));
    return r;
}

static struct outcome hoard_table(void)
{
    struct outcome o = {0, 0};

    while (table_grow(4096) >= 0) o.n += 4096;
    while (table_grow(64) >= 0) o.n += 64;
    o.err = -1;
    return o;
}

static void report(const char *way, struct outcome o)
{
    if (o.err == -1)
        tk_printf("hoard: %s -> -1 after %u entries\n", way, (unsigned)o.n);
    else
        tk_printf("hoard: %s -> %s after %u\n", way, o.err < 0 ? tk_error_name(o.err) : "OK",
                  (unsigned)o.n);
}

static int32_t spawn(const char *mode, uint32_t len, tk_handle *bootstrap, tk_handle *process)
{
    static const char module[] = "hostile-hoard.wasm";
    char args[32];
    tk_handle theirs;
    int32_t r;

    memcpy(args, mode, len); /* argv[0] names it in ps, then its mode */
    if ((r = tk_channel_create(bootstrap, &theirs)) < 0) return r;
    struct tk_spawn_args sa = {
        .module = (uint32_t)(uintptr_t)module,
        .module_len = sizeof(module) - 1,
        .args = (uint32_t)(uintptr_t)args,
        .args_len = len,
        .bootstrap = theirs,
    };
    if ((r = tk_process_spawn(&sa, process)) < 0) tk_handle_close(*bootstrap);
    return r;
}

static const struct {
    const char *name;
    int32_t (*make)(tk_handle *out);
} parked_ways[] = {
    {"nested messages", make_nest}, {"channels", make_channel}, {"ports with watches", make_port},
    {"timers", make_timer},         {"events", make_event},
};

/* Every way in turn; `keep`: hold on to what each took. */
static void hoard_every_way(bool keep)
{
    uint32_t mark = nheld;

    report(keep ? "all: messages" : "messages", hoard_messages());
    if (!keep) release(mark);
    for (uint32_t i = 0; i < sizeof parked_ways / sizeof parked_ways[0]; i++) {
        struct outcome o = park_until_refused(parked_ways[i].make);
        tk_printf("hoard: %s%s -> %s after %u\n", keep ? "all: " : "", parked_ways[i].name,
                  tk_error_name(o.err), (unsigned)o.n);
        if (!keep) {
            release(mark);
            park_in = TK_HANDLE_INVALID;
        }
    }
    report(keep ? "all: memory objects" : "memory objects", hoard_memory());
    if (!keep) release(mark);
    report(keep ? "all: handles" : "handles", hoard_handles());
    if (!keep) release(mark);
    /* last: a table never shrinks, so what it takes stays taken */
    report(keep ? "all: table.grow" : "table.grow", hoard_table());
}

/* A child: parked events, then messages, against its own limit; reported to the parent. */
static int child(void)
{
    struct outcome e, m;
    tk_handle boot;
    uint32_t seen;
    int32_t out[4];

    if (tk_bootstrap_take(&boot) < 0) return 1;
    e = park_until_refused(make_event);
    m = hoard_messages();
    out[0] = (int32_t)e.n, out[1] = e.err, out[2] = (int32_t)m.n, out[3] = m.err;
    tk_channel_write(boot, out, sizeof out, NULL, 0);
    tk_object_wait_one(boot, TK_SIGNAL_PEER_CLOSED, -1, &seen);
    return 0;
}

static int marker(void)
{
    tk_handle boot;
    uint32_t seen;

    if (tk_bootstrap_take(&boot) < 0) return 1;
    tk_object_wait_one(boot, TK_SIGNAL_PEER_CLOSED, -1, &seen);
    return 0;
}

/* Whether some process other than this one satisfies want(entry). */
static bool exists(bool (*want)(const struct tk_proc_info *p))
{
    int32_t n = tk_proc_list(procs, 64), me = tk_getpid();

    for (int32_t i = 0; i < n && i < 64; i++)
        if (procs[i].pid != me && want(&procs[i])) return true;
    return false;
}

static bool is_ready_marker(const struct tk_proc_info *p)
{
    return !strcmp(p->name, "hoard-ready") && p->state != TK_PROC_ZOMBIE;
}

static bool is_live_hoarder(const struct tk_proc_info *p)
{
    return !strcmp(p->module, "hostile-hoard.wasm") && p->state != TK_PROC_ZOMBIE;
}

static int hoard(void)
{
    tk_handle boots[CHILDREN], procs_h[CHILDREN], spare[SPARE], mboot, mproc;
    int32_t got[4], nchildren = 0;
    struct tk_channel_sizes sz;
    uint32_t seen;

    memset(msg, 'h', sizeof msg);
    for (uint32_t i = 0; i < SPARE; i++)
        if (tk_event_create(&spare[i]) < 0) spare[i] = TK_HANDLE_INVALID;
    for (int i = 0; i < CHILDREN; i++)
        if (spawn("hoard-child\0child", 18, &boots[nchildren], &procs_h[nchildren]) > 0)
            nchildren++;
    hoard_every_way(false);
    hoard_every_way(true);
    for (int i = 0; i < nchildren; i++) {
        tk_object_wait_one(boots[i], TK_SIGNAL_READABLE, -1, &seen);
        if (tk_channel_read(boots[i], got, sizeof got, NULL, 0, &sz) == 0)
            tk_printf("hoard: child %d: parked events -> %s after %d, messages -> %s after %d\n", i,
                      tk_error_name(got[1]), (int)got[0], tk_error_name(got[3]), (int)got[2]);
    }
    for (int32_t i = 0, n = tk_proc_list(procs, 64); i < n && i < 64; i++)
        if (procs[i].pid == tk_getpid())
            tk_printf("hoard: holding %llu KiB of kernel memory (limit %llu KiB)\n",
                      (unsigned long long)(procs[i].kernel_bytes >> 10),
                      (unsigned long long)(procs[i].memory_limit >> 10));
    for (uint32_t i = 0; i < SPARE; i++)
        if (spare[i]) tk_handle_close(spare[i]);
    int32_t r = spawn("hoard-ready\0marker", 19, &mboot, &mproc);
    if (r < 0) tk_printf("hoard: marker -> %s\n", tk_error_name(r));
    tk_object_wait_one(mboot, TK_SIGNAL_PEER_CLOSED, -1, &seen); /* until killed */
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (!strcmp(mode, "child")) return child();
    if (!strcmp(mode, "marker")) return marker();
    if (!strcmp(mode, "wait") || !strcmp(mode, "gone")) {
        bool wait = !strcmp(mode, "wait");
        while (wait ? !exists(is_ready_marker) : exists(is_live_hoarder)) tk_sleep_ns(POLL_NS);
        tk_puts(wait ? "hoard: ready" : "hoard: gone");
        return 0;
    }
    return hoard();
}
