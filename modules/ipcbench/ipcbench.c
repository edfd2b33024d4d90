/*
 * ipcbench: IPC loops whose cost the kernel's process benchmark measures in instructions
 * (kernel/proc/proc_bench_ktest.c; bench.wasm has the simpler ones, among them the
 * channel_call round trip). `ipcbench MODE N`:
 *
 *   empty     N loop iterations copying a value in memory (the baseline)
 *   signal    N times clearing an event's signal (object_signal)
 *   stream    N 64-byte messages written to a child that reads and checks their order,
 *             the queue allowed to fill (the writer waits for WRITABLE when it is full)
 *   portping  N times: signal an event the child's port watches, wait on its own port
 *             for the child's signal back; each side clears its event before the next
 *   portcall  N 64-byte channel_calls to a child served the way tk_service_serve serves
 *             its clients: it waits on a port watching the channel, then reads requests
 *             until none is left, each answered with channel_write
 *   bulkmem   N times 1 MiB written into a memory object that a child maps read-only
 *             and checksums, the checksum coming back as the reply to the round's call
 *   bulkchan  the same bytes sent to the child as 64 KiB channel messages
 *
 * Every child checks what it gets (order, checksums) and the run fails otherwise.
 * Prints nothing: output would be measured too.
 */
#include <takara.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"

static volatile int32_t bench_sink, bench_source;
static int64_t bench_msg[8]; /* 64 bytes; its first word numbers a streamed message */

#define BULK_BYTES (1u << 20)
#define BULK_WORDS (BULK_BYTES / 8)
#define BULK_CHUNK TK_CHANNEL_MAX_BYTES
/* memory for the bulk modes: their own image plus 1 MiB */
#define BULK_MEMORY_LIMIT (4 << 20)

/* Starts `bench MODE 0` connected: its pid, *ch the channel to it. */
static int32_t bench_child(const char *mode, uint32_t len, int64_t memory_limit, tk_handle *ch)
{
    char args[32] = "ipcbench";

    memcpy(args + 9, mode, len);
    args[9 + len] = 0;
    args[10 + len] = '0';
    args[11 + len] = 0;
    return tk_spawn_connected("ipcbench.wasm", 13, args, 12 + len, memory_limit, 0, ch);
}

/* Closes the channel to the child and reaps it: 0 if it ended well. */
static int bench_reap(tk_handle ch, int32_t pid)
{
    struct tk_exit_info info;

    tk_handle_close(ch);
    return tk_wait(pid, &info, -1) == pid && info.reason == TK_EXIT_NORMAL && info.code == 0 ? 0
                                                                                             : 5;
}

/* The next message, waiting for it: 0 or the error (TK_ERR_PEER_CLOSED at the end). */
static int32_t bench_read(tk_handle ch, void *buf, uint32_t len, tk_handle *hs, uint32_t nh,
                          struct tk_channel_sizes *sz)
{
    uint32_t seen;
    int32_t r;

    while ((r = tk_channel_read(ch, buf, len, hs, nh, sz)) == TK_ERR_AGAIN)
        tk_object_wait_one(ch, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, -1, &seen);
    return r;
}

/* A write, waiting while the peer's queue is full. */
static int32_t bench_write(tk_handle ch, const void *buf, uint32_t len)
{
    uint32_t seen;
    int32_t r;

    while ((r = tk_channel_write(ch, buf, len, NULL, 0)) == TK_ERR_AGAIN)
        tk_object_wait_one(ch, TK_SIGNAL_WRITABLE | TK_SIGNAL_PEER_CLOSED, -1, &seen);
    return r;
}

/* `bytes` more of linear memory (a multiple of 64 KiB), or NULL past the limit. */
static uint64_t *bench_grow(uint32_t bytes)
{
    long old = __builtin_wasm_memory_grow(0, bytes / 65536);

    return old < 0 ? NULL : (uint64_t *)(uintptr_t)((uint32_t)old * 65536u);
}

/* Not inlined: both bulk paths run exactly these loops. */
__attribute__((noinline)) static void bulk_fill(uint64_t *w, uint32_t n, uint64_t seed)
{
    for (uint32_t i = 0; i < n; i++) w[i] = i * 0x9e3779b97f4a7c15ull + seed;
}

__attribute__((noinline)) static uint64_t bulk_sum(const uint64_t *w, uint32_t n)
{
    uint64_t s = 0;

    for (uint32_t i = 0; i < n; i++) s += w[i];
    return s;
}

/* What bulk_sum gives for BULK_WORDS words from bulk_fill(seed). */
static uint64_t bulk_expect(uint64_t seed)
{
    uint64_t n = BULK_WORDS;

    return n * (n - 1) / 2 * 0x9e3779b97f4a7c15ull + n * seed;
}

/* stream: N 64-byte messages numbered in order; sink: reads N and checks the order. */
static int bench_stream(int64_t n)
{
    tk_handle ch;
    int32_t pid;
    char args[40] = "ipcbench\0sink\0";
    uint32_t len = 14 + (uint32_t)fmt_snprintf(args + 14, sizeof args - 14, "%lld", (long long)n);

    if ((pid = tk_spawn_connected("ipcbench.wasm", 13, args, len + 1, 0, 0, &ch)) < 0) return 3;
    for (int64_t i = 0; i < n; i++) {
        bench_msg[0] = i;
        if (bench_write(ch, bench_msg, sizeof bench_msg) < 0) return 4;
    }
    return bench_reap(ch, pid);
}

static int bench_sink_run(int64_t n)
{
    struct tk_channel_sizes sz;
    tk_handle ch;

    if (tk_bootstrap_take(&ch) < 0) return 3;
    for (int64_t i = 0; i < n; i++) {
        if (bench_read(ch, bench_msg, sizeof bench_msg, NULL, 0, &sz) < 0 || sz.bytes != 64)
            return 4;
        if (bench_msg[0] != i) return 6;
    }
    return 0;
}

/* portping: signals an event the child's port watches, then waits on its own port for
 * the child's signal back, N times; each side clears its event before the next rise. */
static int bench_portping(int64_t n)
{
    tk_handle ch, mine, theirs, port, send[2];
    struct tk_port_packet pk;
    int32_t pid;
    char args[40] = "ipcbench\0portpong\0";
    uint32_t len = 18 + (uint32_t)fmt_snprintf(args + 18, sizeof args - 18, "%lld", (long long)n);

    if (tk_event_create(&mine) < 0 || tk_event_create(&theirs) < 0 || tk_port_create(&port) < 0 ||
        tk_port_watch(port, mine, 1, TK_SIGNAL_SIGNALED) < 0 ||
        tk_handle_duplicate(theirs, TK_RIGHT_WAIT | TK_RIGHT_SIGNAL | TK_RIGHT_TRANSFER, &send[0]) <
            0 ||
        tk_handle_duplicate(mine, TK_RIGHT_SIGNAL | TK_RIGHT_TRANSFER, &send[1]) < 0)
        return 3;
    if ((pid = tk_spawn_connected("ipcbench.wasm", 13, args, len + 1, 0, 0, &ch)) < 0) return 3;
    if (tk_channel_write(ch, "ev", 2, send, 2) < 0) return 4;
    for (int64_t i = 0; i < n; i++) {
        if (tk_object_signal(theirs, 0, TK_SIGNAL_SIGNALED) < 0 ||
            tk_port_wait(port, &pk, -1) < 0 || pk.key != 1 ||
            tk_object_signal(mine, TK_SIGNAL_SIGNALED, 0) < 0)
            return 4;
    }
    return bench_reap(ch, pid);
}

static int bench_portpong(int64_t n)
{
    struct tk_channel_sizes sz;
    struct tk_port_packet pk;
    tk_handle ch, got[2], port;

    if (tk_bootstrap_take(&ch) < 0 ||
        bench_read(ch, bench_msg, sizeof bench_msg, got, 2, &sz) < 0 || sz.handles != 2 ||
        tk_port_create(&port) < 0 || tk_port_watch(port, got[0], 2, TK_SIGNAL_SIGNALED) < 0)
        return 3;
    for (int64_t i = 0; i < n; i++) {
        if (tk_port_wait(port, &pk, -1) < 0 || pk.key != 2 ||
            tk_object_signal(got[0], TK_SIGNAL_SIGNALED, 0) < 0 ||
            tk_object_signal(got[1], 0, TK_SIGNAL_SIGNALED) < 0)
            return 4;
    }
    return 0;
}

/* portcall: N calls, each numbered; portserve answers with the number plus one. */
static int bench_portcall(int64_t n)
{
    struct tk_channel_sizes sz;
    tk_handle ch, none[1];
    int64_t reply[8];
    int32_t pid;

    if ((pid = bench_child("portserve", 9, 0, &ch)) < 0) return 3;
    for (int64_t i = 0; i < n; i++) {
        bench_msg[0] = i;
        if (tk_channel_call(ch, bench_msg, sizeof bench_msg, NULL, 0, reply, sizeof reply, none, 0,
                            &sz, -1) < 0 ||
            sz.bytes != sizeof reply || reply[0] != i + 1)
            return 4;
    }
    return bench_reap(ch, pid);
}

static int bench_portserve(void)
{
    struct tk_channel_sizes sz;
    struct tk_port_packet pk;
    tk_handle ch, port, none[1];
    int32_t r;

    if (tk_bootstrap_take(&ch) < 0 || tk_port_create(&port) < 0 ||
        tk_port_watch(port, ch, 1, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED) < 0)
        return 3;
    for (;;) {
        if (tk_port_wait(port, &pk, -1) < 0 || pk.key != 1) return 4;
        while ((r = tk_channel_read(ch, bench_msg, sizeof bench_msg, none, 0, &sz)) == 0) {
            bench_msg[0]++;
            if (tk_channel_write(ch, bench_msg, sz.bytes, NULL, 0) < 0) return 4;
        }
        if (r != TK_ERR_AGAIN) return r == TK_ERR_PEER_CLOSED ? 0 : 4;
    }
}

/* bulkmem: N times, 1 MiB written into a memory object the child maps read-only and
 * checksums, the checksum coming back as the reply to the round's call. */
static int bench_bulkmem(int64_t n)
{
    struct tk_channel_sizes sz;
    tk_handle ch, mem, ro, none[1];
    uint64_t *win = bench_grow(BULK_BYTES), sum;
    int32_t pid;

    if (!win || tk_memory_create(BULK_BYTES / TK_MEMORY_PAGE, &mem) < 0 ||
        tk_memory_map(mem, (uint32_t)(uintptr_t)win) < 0 ||
        tk_handle_duplicate(mem, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &ro) < 0)
        return 3;
    if ((pid = bench_child("bulkmemsink", 11, BULK_MEMORY_LIMIT, &ch)) < 0) return 3;
    if (tk_channel_write(ch, "map", 3, &ro, 1) < 0) return 4;
    for (int64_t i = 0; i < n; i++) {
        bulk_fill(win, BULK_WORDS, (uint64_t)i);
        if (tk_channel_call(ch, &i, sizeof i, NULL, 0, &sum, sizeof sum, none, 0, &sz, -1) < 0 ||
            sum != bulk_expect((uint64_t)i))
            return 4;
    }
    return bench_reap(ch, pid);
}

static int bench_bulkmemsink(void)
{
    struct tk_channel_sizes sz;
    tk_handle ch, got[1], none[1];
    uint64_t *win = bench_grow(BULK_BYTES), seed, sum;
    int32_t r;

    if (!win || tk_bootstrap_take(&ch) < 0 ||
        bench_read(ch, bench_msg, sizeof bench_msg, got, 1, &sz) < 0 || sz.handles != 1 ||
        tk_memory_map(got[0], (uint32_t)(uintptr_t)win) < 0)
        return 3;
    r = bench_read(ch, &seed, sizeof seed, none, 0, &sz);
    while (r == 0) {
        sum = bulk_sum(win, BULK_WORDS);
        r = tk_channel_call(ch, &sum, sizeof sum, NULL, 0, &seed, sizeof seed, none, 0, &sz, -1);
    }
    return r == TK_ERR_PEER_CLOSED ? 0 : 4;
}

/* bulkchan: the same bytes as bulkmem, sent as 64 KiB messages and checksummed as they
 * arrive; the checksum comes back after each MiB. */
static int bench_bulkchan(int64_t n)
{
    struct tk_channel_sizes sz;
    uint64_t *buf = bench_grow(BULK_BYTES), sum;
    tk_handle ch;
    int32_t pid;

    if (!buf || (pid = bench_child("bulkchansink", 12, BULK_MEMORY_LIMIT, &ch)) < 0) return 3;
    for (int64_t i = 0; i < n; i++) {
        bulk_fill(buf, BULK_WORDS, (uint64_t)i);
        for (uint32_t k = 0; k < BULK_BYTES / BULK_CHUNK; k++)
            if (bench_write(ch, (char *)buf + k * BULK_CHUNK, BULK_CHUNK) < 0) return 4;
        if (bench_read(ch, &sum, sizeof sum, NULL, 0, &sz) < 0 || sum != bulk_expect((uint64_t)i))
            return 4;
    }
    return bench_reap(ch, pid);
}

static int bench_bulkchansink(void)
{
    struct tk_channel_sizes sz;
    uint64_t *buf = bench_grow(BULK_CHUNK), sum;
    tk_handle ch;
    int32_t r = 0;

    if (!buf || tk_bootstrap_take(&ch) < 0) return 3;
    for (;;) {
        sum = 0;
        for (uint32_t k = 0; k < BULK_BYTES / BULK_CHUNK; k++) {
            if ((r = bench_read(ch, buf, BULK_CHUNK, NULL, 0, &sz)) < 0 || sz.bytes != BULK_CHUNK)
                return r == TK_ERR_PEER_CLOSED && k == 0 ? 0 : 4;
            sum += bulk_sum(buf, BULK_CHUNK / 8);
        }
        if (bench_write(ch, &sum, sizeof sum) < 0) return 4;
    }
}

int main(int argc, char **argv)
{
    int64_t n = 0;

    if (argc < 3 || !tk_parse_int(argv[2], &n)) return 2;
    /* the same loop, its value from memory or the import; not unrolled */
    if (!strcmp(argv[1], "empty")) {
#pragma clang loop unroll(disable)
        for (int64_t i = 0; i < n; i++) bench_sink = bench_source;
    } else if (!strcmp(argv[1], "signal")) {
        tk_handle e;
        if (tk_event_create(&e) < 0) return 3;
#pragma clang loop unroll(disable)
        for (int64_t i = 0; i < n; i++) bench_sink = tk_object_signal(e, TK_SIGNAL_SIGNALED, 0);
    } else if (!strcmp(argv[1], "stream")) {
        return bench_stream(n);
    } else if (!strcmp(argv[1], "sink")) {
        return bench_sink_run(n);
    } else if (!strcmp(argv[1], "portping")) {
        return bench_portping(n);
    } else if (!strcmp(argv[1], "portpong")) {
        return bench_portpong(n);
    } else if (!strcmp(argv[1], "portcall")) {
        return bench_portcall(n);
    } else if (!strcmp(argv[1], "portserve")) {
        return bench_portserve();
    } else if (!strcmp(argv[1], "bulkmem")) {
        return bench_bulkmem(n);
    } else if (!strcmp(argv[1], "bulkmemsink")) {
        return bench_bulkmemsink();
    } else if (!strcmp(argv[1], "bulkchan")) {
        return bench_bulkchan(n);
    } else if (!strcmp(argv[1], "bulkchansink")) {
        return bench_bulkchansink();
    } else {
        return 2;
    }
    return 0;
}
