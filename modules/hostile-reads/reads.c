/*
 * hostile-reads: the iovec race of issue 21, as a hostile parent plays it (the hostile
 * suite's `reads` family, tests/modules/hostile/reads.sh). A child's WASI iovec lies in
 * a memory object the parent maps too. The child blocks in fd_read on its channel stdin
 * (or in fd_write on a stdout channel whose queue the parent filled); the parent then
 * rewrites the iovec to lie: its buffer outside the child's memory, its buffer just past
 * the end of it (the guard area: for fd_write, a short range at the end, which the
 * second 64 KiB message would read past), or (fd_write) its length past the end. Then it sends
 * the bytes (or drains the channel). The kernel must go on with the iovec it checked:
 * the child gets its bytes in its own buffer (or its 128 KiB arrive whole, in two
 * messages, the second one gathered after the wait) and exits with 0. The `poll tag`
 * probe rewrites a waiting poll_oneoff's fd_read subscription into an unknown tag on a
 * bad fd: the kernel must check its new copy (EINVAL), never report an event it did not
 * check.
 * Each probe runs once to warm up, then three times; after each run the kernel's
 * counters (objects, heap blocks, free pages, processes, threads: tk_util.h) must come
 * back to their values before:
 *
 *   hostile-reads: PROBE x3: child exit 0 0 0, objects A -> B, heap blocks A -> B,
 *                  free KiB A -> B: no leak                     (one line)
 *
 * ("LEAK" when a counter stayed off), then "hostile-reads: done". `hostile-reads N` runs
 * probe N (0-5) alone; `hostile-reads child read|write` is the child.
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"

#define WASI_IMPORT(name)                                                                          \
    __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
WASI_IMPORT(fd_read)
int32_t wasi_fd_read(int32_t fd, const void *iovs, uint32_t n, uint32_t *nread);
WASI_IMPORT(fd_write)
int32_t wasi_fd_write(int32_t fd, const void *iovs, uint32_t n, uint32_t *nwritten);
WASI_IMPORT(poll_oneoff)
int32_t wasi_poll_oneoff(const void *in, void *out, uint32_t n, uint32_t *nevents);
#define WASI_EINVAL 28

#define SETTLE_NS   3000000000LL /* how long an ended process's clean-up may take */
#define POLL_NS     1000000LL
#define RUNS        3
#define WRITE_BYTES (2 * TK_CHANNEL_MAX_BYTES) /* two messages: the second copied after a wait */
#define READ_BYTES  64u

/* The page both processes map: the child's iovec and what the parent needs to lie. */
struct area {
    volatile uint32_t iov[2]; /* {buf, len}: the child's, then the parent's lie */
    volatile uint32_t ready;  /* the child is about to call fd_read / fd_write */
    volatile uint32_t memory_bytes;
    volatile uint8_t sub[48] __attribute__((aligned(8))); /* poll_oneoff's subscription */
};
static char shared[TK_MEMORY_PAGE] __attribute__((aligned(TK_MEMORY_PAGE)));
static uint8_t buf[WRITE_BYTES];
static const char payload[] = "the bytes the parent sends";

#define AREA ((struct area *)(void *)shared)

static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 7 + 3);
}

/* The child: takes the memory object from its bootstrap channel, maps it, puts its
 * iovec there and calls fd_read or fd_write, which waits. Exit 0: the call did what the
 * iovec said when it was made. */
static int child(char mode)
{
    bool writing = mode == 'w';
    struct tk_channel_sizes sz;
    tk_handle ch, got[1];
    uint32_t seen, n = 0;
    char b[4];
    int32_t r;

    if (tk_bootstrap_take(&ch) < 0 || tk_object_wait_one(ch, TK_SIGNAL_READABLE, -1, &seen) < 0 ||
        tk_channel_read(ch, b, sizeof b, got, 1, &sz) < 0 || sz.handles != 1)
        return 10;
    if (tk_memory_map(got[0], (uint32_t)(uintptr_t)shared) < 0) return 11;
    for (uint32_t i = 0; i < WRITE_BYTES; i++) buf[i] = writing ? pattern(i) : 0;
    AREA->iov[0] = (uint32_t)(uintptr_t)buf;
    AREA->iov[1] = writing ? WRITE_BYTES : READ_BYTES;
    AREA->memory_bytes = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    if (mode == 'p') { /* userdata 1, tag fd_read (1) at 8, fd 0 at 16 */
        uint8_t ev[32];
        AREA->sub[0] = 1;
        AREA->sub[8] = 1;
        AREA->ready = 1;
        r = wasi_poll_oneoff((const void *)AREA->sub, ev, 1, &n);
        return r == WASI_EINVAL ? 0 : r == 0 ? 20 + ev[10] : 4; /* 20 + the type reported */
    }
    AREA->ready = 1;
    if (writing) {
        r = wasi_fd_write(1, (const void *)AREA->iov, 1, &n);
        return r != 0 ? 1 : n != WRITE_BYTES ? 2 : 0;
    }
    r = wasi_fd_read(0, (const void *)AREA->iov, 1, &n);
    if (r != 0) return 1;
    if (n != sizeof payload - 1) return 2;
    return memcmp(buf, payload, n) ? 3 : 0;
}

enum lie { LIE_OUTSIDE, LIE_GUARD, LIE_LENGTH, LIE_TAG };

/* Until the child is blocked in its call (it said it was about to make it): false if
 * it never got there. */
static bool wait_blocked(tk_handle ph)
{
    int64_t deadline = tk_clock_ns() + SETTLE_NS;
    struct tk_process_status ps;

    for (;;) {
        if (tk_process_status(ph, &ps) < 0 || ps.state == TK_PROC_ENDED) return false;
        if (AREA->ready && ps.state == TK_PROC_BLOCKED) return true;
        if (tk_clock_ns() > deadline) return false;
        tk_sleep_ns(POLL_NS);
    }
}

/* Drains `out` until the child's side is gone: true if, after the parent's one-byte
 * fillers, the child's WRITE_BYTES came whole. */
static bool drain(tk_handle out)
{
    static uint8_t got[TK_CHANNEL_MAX_BYTES];
    uint32_t seen, at = 0;
    bool same = true;

    for (;;) {
        struct tk_channel_sizes sz;
        int32_t r = tk_channel_read(out, got, sizeof got, NULL, 0, &sz);
        if (r == TK_ERR_AGAIN) {
            tk_object_wait_one(out, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, -1, &seen);
            continue;
        }
        if (r < 0) return same && at == WRITE_BYTES;
        if (sz.bytes == 1 && at == 0) continue; /* a filler */
        for (uint32_t i = 0; i < sz.bytes && same; i++) same = got[i] == pattern(at + i);
        at += sz.bytes;
    }
}

/* One run: the child's exit code (0: the kernel kept to the checked iovec), or a
 * negative step that failed here. */
static int32_t run_once(bool writing, enum lie lie)
{
    static const char read_args[] = "hostile-reads\0child\0read",
                      write_args[] = "hostile-reads\0child\0write",
                      poll_args[] = "hostile-reads\0child\0poll";
    struct tk_spawn_args sa = {
        .module = (uint32_t)(uintptr_t) "hostile-reads.wasm",
        .module_len = sizeof "hostile-reads.wasm" - 1,
        .args = (uint32_t)(uintptr_t)(writing          ? write_args
                                      : lie == LIE_TAG ? poll_args
                                                       : read_args),
        .args_len = writing          ? sizeof write_args
                    : lie == LIE_TAG ? sizeof poll_args
                                     : sizeof read_args,
        .flags = TK_SPAWN_AUTOREAP, /* no zombie left: its handle tells how it ended */
    };
    tk_handle mem, boot, boot_child, mine, theirs, ph = 0;
    struct tk_process_status ps;
    int32_t result = -1;
    uint32_t seen;

    if (tk_memory_create(1, &mem) < 0) return -2;
    if (tk_memory_map(mem, (uint32_t)(uintptr_t)shared) < 0) {
        tk_handle_close(mem);
        return -3;
    }
    memset(shared, 0, sizeof shared);
    tk_channel_create(&boot, &boot_child);
    tk_channel_create(&mine, &theirs);
    if (writing) /* the child's stdout queue full: its fd_write waits for room */
        for (uint32_t i = 0; i < TK_CHANNEL_MAX_QUEUED; i++)
            tk_channel_write(theirs, "f", 1, NULL, 0);
    tk_channel_write(boot, "m", 1, &mem, 1); /* the memory object goes to the child */
    sa.stdio[writing ? 1 : 0] = theirs;
    sa.bootstrap = boot_child;
    if (tk_process_spawn(&sa, &ph) < 0) goto out;
    result = -4;
    if (!wait_blocked(ph)) goto out_kill;
    /* the lie, told while the kernel waits with the checked iovec */
    if (lie == LIE_OUTSIDE) AREA->iov[0] = 0xfffff000u;
    if (lie == LIE_GUARD && !writing) AREA->iov[0] = AREA->memory_bytes; /* just past it */
    if (lie == LIE_GUARD && writing) { /* in bounds, but 64 KiB on is the guard area */
        AREA->iov[0] = AREA->memory_bytes - TK_MEMORY_PAGE;
        AREA->iov[1] = TK_MEMORY_PAGE;
    }
    if (lie == LIE_LENGTH) AREA->iov[1] = 0x7fffffffu;
    if (lie == LIE_TAG) { /* tag 7 on fd 1234 */
        AREA->sub[8] = 7;
        AREA->sub[16] = 1234 & 0xff;
        AREA->sub[17] = 1234 >> 8;
    }
    if (writing) {
        result = drain(mine) ? 0 : -5;
    } else {
        tk_channel_write(mine, payload, sizeof payload - 1, NULL, 0);
        result = 0;
    }
    tk_object_wait_one(ph, TK_SIGNAL_PROCESS_EXITED, -1, &seen);
    tk_process_status(ph, &ps);
    if (result == 0)
        result = ps.exit.reason == TK_EXIT_NORMAL ? ps.exit.code : 100 + (int32_t)ps.exit.reason;
    goto out;
out_kill:
    tk_process_kill(ph);
    tk_object_wait_one(ph, TK_SIGNAL_PROCESS_EXITED, -1, &seen);
out:
    if (ph) tk_handle_close(ph);
    tk_handle_close(mine);
    tk_handle_close(boot);
    tk_memory_unmap((uint32_t)(uintptr_t)shared);
    return result;
}

static bool probe(const char *name, bool writing, enum lie lie)
{
    struct tk_kernel_stats before, after;
    int32_t codes[RUNS];
    bool settled = true;

    run_once(writing, lie); /* warm-up: the heap grows its slabs, the module is loaded */
    tk_sleep_ns(100 * POLL_NS);
    tk_kernel_stats(&before);
    after = before;
    for (int i = 0; i < RUNS; i++) {
        codes[i] = run_once(writing, lie);
        settled = tk_kernel_stats_settle(&before, &after, SETTLE_NS) && settled;
    }
    tk_printf("hostile-reads: %s x%d: child exit %d %d %d, objects %u -> %u, heap blocks %u -> %u, "
              "free KiB %u -> %u: %s\n",
              name, RUNS, (int)codes[0], (int)codes[1], (int)codes[2], (unsigned)before.objects,
              (unsigned)after.objects, (unsigned)before.heap_blocks, (unsigned)after.heap_blocks,
              (unsigned)(before.free_bytes / 1024), (unsigned)(after.free_bytes / 1024),
              settled ? "no leak" : "LEAK");
    return settled && !codes[0] && !codes[1] && !codes[2];
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        bool writing;
        enum lie lie;
    } probes[] = {
        /* (fd_read checks the length it copies with: a longer one cannot be told apart) */
        {"fd_read outside", false, LIE_OUTSIDE}, {"fd_read guard", false, LIE_GUARD},
        {"fd_write outside", true, LIE_OUTSIDE}, {"fd_write guard", true, LIE_GUARD},
        {"fd_write length", true, LIE_LENGTH},   {"poll tag", false, LIE_TAG},
    };
    bool ok = true;

    if (argc > 2 && !strcmp(argv[1], "child")) return child(argv[2][0]);
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++)
        if (argc < 2 || (argv[1][0] == (char)('0' + i) && !argv[1][1])) /* one, by number */
            ok = probe(probes[i].name, probes[i].writing, probes[i].lie) && ok;
    tk_printf("hostile-reads: done\n");
    return ok ? 0 : 1;
}
