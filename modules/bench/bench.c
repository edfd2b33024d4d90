/*
 * bench: loops whose cost the kernel's process benchmark measures in instructions
 * (kernel/proc/proc_bench_ktest.c). `bench MODE N`: `empty` runs N loop iterations
 * copying a value in memory (the baseline), `import` calls the cheapest import N times, `yield`
 * gives the CPU away N times. Prints nothing: output would be measured too.
 */
#include <takara.h>
#include <tk_util.h>

#include "lib/string.h"

static volatile int32_t bench_sink, bench_source;
static char bench_msg[64];

/* The echo side: every message back until the parent closes the channel. After the
 * first request, each reply and the wait for the next request are one channel_call. */
static int bench_echo(void)
{
    struct tk_channel_sizes sz;
    tk_handle ch, none[1];
    uint32_t seen;
    int32_t r;

    if (tk_bootstrap_take(&ch) < 0) return 3;
    while ((r = tk_channel_read(ch, bench_msg, sizeof bench_msg, none, 0, &sz)) == TK_ERR_AGAIN)
        tk_object_wait_one(ch, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, -1, &seen);
    while (r == 0)
        r = tk_channel_call(ch, bench_msg, sz.bytes, NULL, 0, bench_msg, sizeof bench_msg, none, 0,
                            &sz, -1);
    return r == TK_ERR_PEER_CLOSED ? 0 : 4;
}

/* The calling side: n round trips, then close and reap the echo process. */
static int bench_ipc(int64_t n)
{
    static const char args[] = "bench\0echo\0"
                               "0";
    struct tk_channel_sizes sz;
    struct tk_exit_info info;
    tk_handle ch, none[1];
    int32_t pid = tk_spawn_connected("bench.wasm", 10, args, sizeof args, 0, 0, &ch);

    if (pid < 0) return 3;
    for (int64_t i = 0; i < n; i++)
        if (tk_channel_call(ch, bench_msg, sizeof bench_msg, NULL, 0, bench_msg, sizeof bench_msg,
                            none, 0, &sz, -1) < 0)
            return 4;
    tk_handle_close(ch);
    return tk_wait(pid, &info, -1) == pid && info.code == 0 ? 0 : 5;
}

int main(int argc, char **argv)
{
    int64_t n = 0;

    if (argc < 3 || !tk_parse_int(argv[2], &n)) return 2;
    /* the same loop, its value from the import or from memory; not unrolled, so the
     * difference is the call, the kernel's work and the return */
    if (!strcmp(argv[1], "empty")) {
#pragma clang loop unroll(disable)
        for (int64_t i = 0; i < n; i++) bench_sink = bench_source;
    } else if (!strcmp(argv[1], "import")) {
#pragma clang loop unroll(disable)
        for (int64_t i = 0; i < n; i++) bench_sink = tk_abi_version();
    } else if (!strcmp(argv[1], "yield")) {
        for (int64_t i = 0; i < n; i++) {
            tk_yield();
            bench_sink = (int32_t)i;
        }
    } else if (!strcmp(argv[1], "echo")) {
        return bench_echo();
    } else if (!strcmp(argv[1], "ipc")) {
        return bench_ipc(n);
    } else {
        return 2;
    }
    return 0;
}
