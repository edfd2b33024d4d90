/*
 * hostile-hoard: makes the kernel hold memory every way a module can, against its own
 * limit (tests/modules/hostile/hoard.sh). Modes (argv[1]):
 *
 *   (none)  hoard: each way alone until refused, printing `hoard: WAY -> ERROR after N`,
 *           then giving it back; then every way at once, kept; then its children
 *           (started first, waiting for its word) hoard what is left of the budget they
 *           share with it and report (`hoard: child N: ... -> ERROR after N`); then its
 *           marker child hoard-ready ends and the hoarder blocks until it is killed
 *   tree    a process tree that each hoard (tests/modules/hostile/tree.sh): every node
 *           starts up to TREE_WIDTH children (TREE_DEPTH levels below the root), then all
 *           park events, queue 64 KiB messages and make memory objects until refused;
 *           the root prints the whole tree (`hoard: tree: N processes, D deep, spawn ->
 *           ERROR, ...`), its marker ends, and it blocks until killed
 *   child   what a child does, at its parent's word: objects parked in messages and
 *           64 KiB messages until refused, reported on its bootstrap channel; ends when
 *           its parent does
 *   marker  started first (named hoard-ready), it ends when its parent is ready: a
 *           marker started after the hoarding would not fit the hoarder's budget, which
 *           its children share (docs/memory.md)
 *   wait    returns once a process named hoard-ready has ended ("hoard: ready")
 *   gone    returns once every other hostile-hoard process has ended and the kernel's
 *           counters stand still ("hoard: gone");
 *           `gone pad` then starts and ends markers until the next pid is a multiple of
 *           PAD_PIDS, so the next round's root has a pid a script can name whatever
 *           size the last tree was
 *
 * Objects beyond the handle table's 1,024 are parked: sent, 64 handles a message, into
 * channels whose both ends the hoarder holds.
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_stdio.h>

#include "lib/string.h"

#define HELD_MAX     1000 /* handles this module keeps in its table (the table holds 1024) */
#define CHILDREN     3
#define MSG_BYTES    TK_CHANNEL_MAX_BYTES
#define FAR_FUTURE   (1ll << 62)
#define POLL_NS      10000000ll
#define TREE_WIDTH   4
#define TREE_DEPTH   3
#define PAD_PIDS     1000
#define SETTLE_POLLS 10

static tk_handle held[HELD_MAX];
static uint32_t nheld;
static uint8_t msg[MSG_BYTES];
static char mapped[16 * TK_MEMORY_PAGE] __attribute__((aligned(TK_MEMORY_PAGE)));
#define PROCS_MAX 256
static struct tk_proc_info procs[PROCS_MAX];

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

/* What children get: nothing, but a tree's nodes must spawn. */
static uint32_t child_caps;

/* The board: one page of a memory object that a hoarder and all its children map, where
 * they report and take the word to go. Once the budget they share is spent no message
 * could carry either (every write is refused with LIMIT), but a store to shared memory
 * costs the kernel nothing. Each child has its slot, named in its bootstrap message; a
 * slot is written by its child only, the rest by the hoarder (or the one tree node that
 * is building at a time). */
enum { SLOT_EMPTY, SLOT_JOINED, SLOT_BUILT, SLOT_DONE, SLOT_FAILED };
#define BOARD_SLOTS 160 /* in one page; a tree has at most 1 + 4 + 16 + 64 nodes */
struct slot {
    int32_t state, v[5];
};
struct board {
    int32_t go, n;
    struct slot slots[BOARD_SLOTS];
};
_Static_assert(sizeof(struct board) <= TK_MEMORY_PAGE, "the board is one page");
static char board_mem[TK_MEMORY_PAGE] __attribute__((aligned(TK_MEMORY_PAGE)));
static volatile struct board *const board = (volatile struct board *)board_mem;
static tk_handle board_h = TK_HANDLE_INVALID;

static int32_t board_create(void)
{
    int32_t r = tk_memory_create(1, &board_h);

    return r < 0 ? r : tk_memory_map(board_h, (uint32_t)(uintptr_t)board_mem);
}

/* A child's side: takes its bootstrap channel and the board; its slot, or < 0. */
static int32_t board_join(tk_handle *boot)
{
    struct tk_channel_sizes sz;
    int32_t slot;
    uint32_t seen;

    if (tk_bootstrap_take(boot) < 0) return -1;
    tk_object_wait_one(*boot, TK_SIGNAL_READABLE, -1, &seen);
    if (tk_channel_read(*boot, &slot, sizeof slot, &board_h, 1, &sz) < 0 || sz.handles != 1 ||
        slot < 0 || slot >= BOARD_SLOTS ||
        tk_memory_map(board_h, (uint32_t)(uintptr_t)board_mem) < 0)
        return -1;
    return slot;
}

static void board_wait_go(void)
{
    while (!board->go) tk_sleep_ns(POLL_NS);
}

/* Starts a child in `mode` (argv[0] then its mode, len bytes); with the board, the next
 * slot is its own (*slot, else -1). */
static int32_t spawn_slot(const char *mode, uint32_t len, tk_handle *bootstrap, tk_handle *process,
                          int32_t *slot)
{
    static const char module[] = "hostile-hoard.wasm";
    char args[32];
    tk_handle theirs, dup;
    int32_t r, n = board_h ? board->n : -1;

    if (slot) *slot = -1;
    memcpy(args, mode, len); /* argv[0] names it in ps, then its mode */
    if ((r = tk_channel_create(bootstrap, &theirs)) < 0) return r;
    if (slot && n < BOARD_SLOTS && (r = tk_handle_duplicate(board_h, TK_RIGHTS_SAME, &dup)) == 0 &&
        (r = tk_channel_write(*bootstrap, &n, sizeof n, &dup, 1)) == 0) {
        board->slots[n].state = SLOT_EMPTY;
        board->n = n + 1;
        *slot = n;
    }
    if (r < 0 || (slot && *slot < 0)) {
        tk_handle_close(*bootstrap);
        tk_handle_close(theirs);
        return r < 0 ? r : TK_ERR_RANGE; /* the board is full */
    }
    struct tk_spawn_args sa = {
        .module = (uint32_t)(uintptr_t)module,
        .module_len = sizeof(module) - 1,
        .args = (uint32_t)(uintptr_t)args,
        .args_len = len,
        .bootstrap = theirs,
        .caps = child_caps,
    };
    if ((r = tk_process_spawn(&sa, process)) < 0) {
        tk_handle_close(*bootstrap);
        if (slot) board->n = n; /* the slot was never used */
    }
    return r;
}

static int32_t spawn(const char *mode, uint32_t len, tk_handle *bootstrap, tk_handle *process)
{
    return spawn_slot(mode, len, bootstrap, process, NULL);
}

/* Until the child of `slot` reaches `state` (true) or ends first (false: marked failed). */
static bool board_wait_slot(int32_t slot, int32_t state, tk_handle process)
{
    uint32_t seen;

    while (board->slots[slot].state < state) {
        if (tk_object_wait_one(process, TK_SIGNAL_PROCESS_EXITED, POLL_NS, &seen) == 0) {
            if (board->slots[slot].state >= state) break;
            board->slots[slot].state = SLOT_FAILED;
            return false;
        }
    }
    return board->slots[slot].state != SLOT_FAILED;
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

/* A child: at its parent's word (the budget they share is the parent's to try first),
 * parked events, then messages, until refused; reported on the board. */
static int child(void)
{
    struct outcome e, m;
    tk_handle boot;
    uint32_t seen;
    int32_t slot = board_join(&boot);

    if (slot < 0) return 1;
    board->slots[slot].state = SLOT_JOINED; /* started: its parent may hoard now */
    board_wait_go();
    e = park_until_refused(make_event);
    m = hoard_messages();
    volatile struct slot *me = &board->slots[slot];
    me->v[0] = (int32_t)e.n, me->v[1] = e.err, me->v[2] = (int32_t)m.n, me->v[3] = m.err;
    me->state = SLOT_DONE;
    tk_object_wait_one(boot, TK_SIGNAL_PEER_CLOSED, -1, &seen);
    return 0;
}

/* Ends when its parent closes its end (ready) or ends. */
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
    int32_t n = tk_proc_list(procs, PROCS_MAX), me = tk_getpid();

    for (int32_t i = 0; i < n && i < PROCS_MAX; i++)
        if (procs[i].pid != me && want(&procs[i])) return true;
    return false;
}

static bool is_ready_marker(const struct tk_proc_info *p)
{
    return !strcmp(p->name, "hoard-ready") && p->state == TK_PROC_ZOMBIE;
}

static bool is_live_hoarder(const struct tk_proc_info *p)
{
    return !strcmp(p->module, "hostile-hoard.wasm") && p->state != TK_PROC_ZOMBIE;
}

/* The marker, started before anything is hoarded; ready() lets it end. */
static tk_handle marker_boot = TK_HANDLE_INVALID;

static void marker_start(void)
{
    tk_handle proc;
    int32_t r = spawn("hoard-ready\0marker", 19, &marker_boot, &proc);

    if (r < 0) tk_printf("hoard: marker -> %s\n", tk_error_name(r));
}

/* Lets the marker end (closing frees, it asks nothing of the spent budget), then
 * blocks until killed. */
static int ready_until_killed(void)
{
    if (!marker_boot) return 1;
    tk_handle_close(marker_boot);
    for (;;) tk_sleep_ns(FAR_FUTURE);
}

/* The tree, in two phases on the board. Build: a node starts its children one at a time,
 * each once the one before has built its own subtree (so none is starved while it
 * starts), until TREE_WIDTH or a refusal; then it marks its slot built. Hoard: at the
 * root's word every node hoards at once and reports in its slot {level, first spawn
 * error, children that ended before they were built, hoards stopped by something else
 * than LIMIT}; the root sums the board. */
static void tree_build(int depth, volatile struct slot *me)
{
    char args[32] = "hoard-tree\0tree\0";
    tk_handle boot, proc;
    int32_t r, slot, n = 0;

    me->v[0] = TREE_DEPTH + 1 - depth;
    args[16] = (char)('0' + depth - 1);
    while (depth > 0 && n < TREE_WIDTH) {
        if ((r = spawn_slot(args, 18, &boot, &proc, &slot)) < 0) {
            me->v[1] = r;
            break;
        }
        bool built = board_wait_slot(slot, SLOT_BUILT, proc);
        tk_handle_close(proc); /* boot stays open: the child ends when this node does */
        if (!built) {
            me->v[2]++; /* it could not start: the budget is spent */
            break;
        }
        n++;
    }
    me->state = SLOT_BUILT;
}

static void tree_hoard(volatile struct slot *me)
{
    struct outcome ways[3] = {park_until_refused(make_event), hoard_messages(), hoard_memory()};
    for (int i = 0; i < 3; i++)
        if (ways[i].err != TK_ERR_LIMIT) me->v[3]++;
}

static int tree_child(const char *depth)
{
    tk_handle boot;
    uint32_t seen;
    int32_t slot = board_join(&boot);

    if (slot < 0) return 1;
    memset(msg, 't', sizeof msg);
    tree_build(depth[0] - '0', &board->slots[slot]);
    board_wait_go();
    tree_hoard(&board->slots[slot]);
    board->slots[slot].state = SLOT_DONE;
    tk_object_wait_one(boot, TK_SIGNAL_PEER_CLOSED, -1, &seen);
    return 0;
}

static int tree(void)
{
    int32_t levels = 1, spawn_err = 0, failed = 0, bad = 0, r;
    static struct slot root;

    memset(msg, 't', sizeof msg);
    marker_start();
    if ((r = board_create()) < 0) {
        tk_printf("hoard: board -> %s\n", tk_error_name(r));
        return 1;
    }
    board->go = 0;
    tree_build(TREE_DEPTH, &root);
    /* every node is built (each waited for its children): the word to hoard */
    board->go = 1;
    tree_hoard(&root);
    for (int32_t i = 0; i < board->n; i++)
        while (board->slots[i].state != SLOT_DONE && board->slots[i].state != SLOT_FAILED)
            tk_sleep_ns(POLL_NS);
    for (int32_t i = -1; i < board->n; i++) {
        volatile struct slot *sl = i < 0 ? &root : &board->slots[i];
        if (i >= 0 && sl->state == SLOT_FAILED) continue;
        if (sl->v[0] > levels) levels = sl->v[0];
        if (!spawn_err) spawn_err = sl->v[1];
        failed += sl->v[2];
        bad += sl->v[3];
    }
    tk_printf("hoard: tree: %d processes, %d deep, spawn -> %s, %d failed to start, %d hoards "
              "stopped by other than LIMIT\n",
              (int)(board->n + 1 - failed), (int)levels,
              spawn_err ? tk_error_name(spawn_err) : "OK", (int)failed, (int)bad);
    return ready_until_killed();
}

static int hoard(void)
{
    tk_handle boots[CHILDREN], procs_h[CHILDREN];
    int32_t slots[CHILDREN], nchildren = 0, r;

    memset(msg, 'h', sizeof msg);
    marker_start();
    if ((r = board_create()) < 0) tk_printf("hoard: board -> %s\n", tk_error_name(r));
    board->go = 0;
    for (int i = 0; i < CHILDREN; i++)
        if (spawn_slot("hoard-child\0child", 18, &boots[nchildren], &procs_h[nchildren],
                       &slots[nchildren]) > 0)
            nchildren++;
    /* the children start first: a start the hoard left no room for would test nothing */
    for (int i = 0; i < nchildren; i++) board_wait_slot(slots[i], SLOT_JOINED, procs_h[i]);
    hoard_every_way(false);
    hoard_every_way(true);
    board->go = 1;
    for (int i = 0; i < nchildren; i++) {
        volatile struct slot *sl = &board->slots[slots[i]];
        if (!board_wait_slot(slots[i], SLOT_DONE, procs_h[i])) continue;
        tk_printf("hoard: child %d: parked events -> %s after %d, messages -> %s after %d\n", i,
                  tk_error_name(sl->v[1]), (int)sl->v[0], tk_error_name(sl->v[3]), (int)sl->v[2]);
    }
    for (int32_t i = 0, n = tk_proc_list(procs, PROCS_MAX); i < n && i < PROCS_MAX; i++)
        if (procs[i].pid == tk_getpid())
            tk_printf("hoard: holding %llu KiB of kernel memory (limit %llu KiB)\n",
                      (unsigned long long)(procs[i].kernel_bytes >> 10),
                      (unsigned long long)(procs[i].memory_limit >> 10));
    return ready_until_killed();
}

/* Until the kernel's counters stand still for SETTLE_POLLS polls: what the ended
 * processes' last words queued (init's reports to logd) is read, so `mem` sees the rest. */
static void settle(void)
{
    struct tk_kernel_stats last, now;
    int still = 0;

    tk_kernel_stats(&last);
    while (still < SETTLE_POLLS) {
        tk_sleep_ns(POLL_NS);
        tk_kernel_stats(&now);
        still = now.heap_blocks == last.heap_blocks && now.objects == last.objects ? still + 1 : 0;
        last = now;
    }
}

/* Markers told to end at once, until the next pid is a multiple of PAD_PIDS. */
static void pad_pids(void)
{
    struct tk_exit_info info;
    tk_handle boot, proc;
    int32_t pid;

    do {
        if ((pid = spawn("hoard-pad\0marker", 17, &boot, &proc)) < 0) {
            tk_printf("hoard: pad -> %s\n", tk_error_name(pid));
            return;
        }
        tk_handle_close(boot);
        tk_handle_close(proc);
        tk_wait(pid, &info, -1);
    } while ((pid + 1) % PAD_PIDS);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (!strcmp(mode, "child")) return child();
    if (!strcmp(mode, "marker")) return marker();
    if (!strcmp(mode, "tree")) {
        child_caps = TK_CAP_SPAWN;
        return argc > 2 ? tree_child(argv[2]) : tree();
    }
    if (!strcmp(mode, "wait") || !strcmp(mode, "gone")) {
        bool wait = !strcmp(mode, "wait");
        while (wait ? !exists(is_ready_marker) : exists(is_live_hoarder)) tk_sleep_ns(POLL_NS);
        if (!wait && argc > 2 && !strcmp(argv[2], "pad")) pad_pids();
        if (!wait) settle();
        tk_puts(wait ? "hoard: ready" : "hoard: gone");
        return 0;
    }
    return hoard();
}
