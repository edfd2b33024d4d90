/*
 * leakcheck: proves the IPC scenarios give back everything they take. Each scenario runs
 * once to warm up (servers grow their memories, the heap its slabs), then the kernel's
 * counters (kernel_stats: live objects, heap blocks, free pages, processes) are taken,
 * the scenario runs three more times, and the counters must come back to exactly those
 * values once the servers have noticed the closed channels (it waits up to 3 s). One line
 * per scenario for tests/modules/boot.sh:
 *
 *   leakcheck: NAME x3: objects A -> B, heap blocks A -> B, free KiB A -> B: no leak
 *
 * ("LEAK" instead when a counter stayed off), then "leakcheck: done" and power off
 * (code 11). Runs as a service of a test manifest next to echo and kv (`uses = echo kv`).
 * Children (kvclient) get their service channels through leakcheck, which answers their
 * `connect` requests on their bootstrap channels by asking init in turn.
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"
#include "proto/kv.h"

#define SETTLE_NS      3000000000LL
#define POLL_NS        10000000LL
#define REPEATS        3
#define CHILD_ARGS_MAX 64

static char bulk[64 * 1024] __attribute__((aligned(TK_MEMORY_PAGE)));

/* A text request whose reply is text or a negative status. */
static int32_t call(tk_handle h, const char *req, char *reply, uint32_t cap)
{
    uint32_t n = 0;
    int32_t r = tk_service_call(h, req, (uint32_t)strlen(req), reply, cap - 1, &n);

    if (r < 0) return r;
    if (n == sizeof(int32_t) && ((int32_t *)(void *)reply)[0] < 0)
        return ((int32_t *)(void *)reply)[0];
    reply[n] = 0;
    return 0;
}

/* Answers a child's `connect NAME` requests until it ends, then reaps it: its exit code,
 * or -1 if it did not end normally. */
static int32_t child_serve(int32_t pid, tk_handle boot)
{
    struct tk_exit_info info;
    uint32_t seen;

    while (tk_object_wait_one(boot, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, -1, &seen) == 0 &&
           (seen & TK_SIGNAL_READABLE) && tk_service_relay(boot))
        ;
    tk_handle_close(boot);
    if (tk_wait(pid, &info, -1) < 0) return -1;
    return info.reason == TK_EXIT_NORMAL ? info.code : -1;
}

/* Runs kvclient with the given argv (consecutive NUL-terminated strings). */
static bool child_run(const char *args, uint32_t len)
{
    tk_handle boot;
    int32_t pid = tk_spawn_connected("kvclient.wasm", 13, args, len, 0, 0, &boot);

    return pid > 0 && child_serve(pid, boot) == 0;
}

static bool scenario_connect(void)
{
    char reply[64];
    bool ok = true;

    for (int i = 0; i < 20; i++) {
        tk_handle echo, kv;
        ok &= tk_service_connect("echo", &echo) == 0 && tk_service_connect("kv", &kv) == 0;
        if (!ok) break;
        ok &= call(echo, "ping", reply, sizeof reply) == 0 && !strcmp(reply, "ping");
        ok &= kv_call_set(kv, "k", "v") == 0;
        tk_handle_close(echo);
        tk_handle_close(kv);
    }
    return ok;
}

static bool scenario_quit(void)
{
    static const char args[] = "kvclient\0quit";
    return child_run(args, sizeof args);
}

static bool scenario_flood(void)
{
    static const char args[] = "kvclient\0flood\0"
                               "200"; /* not \0200: an octal escape */
    return child_run(args, sizeof args);
}

static bool scenario_bulk(void)
{
    tk_handle kv, mem, ro;
    struct kv_sum_reply sum;
    bool ok = false;

    if (tk_service_connect("kv", &kv) < 0) return false;
    if (tk_memory_create(sizeof bulk / TK_MEMORY_PAGE, &mem) < 0) goto out_kv;
    if (tk_memory_map(mem, (uint32_t)(uintptr_t)bulk) < 0) goto out_mem;
    for (uint32_t i = 0; i < sizeof bulk; i++) bulk[i] = (char)(i * 7 + (i >> 9));
    if (tk_handle_duplicate(mem, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &ro) < 0) goto out_map;
    ok = kv_call_sum(kv, sizeof bulk, ro, &sum) == 0;
out_map:
    tk_memory_unmap((uint32_t)(uintptr_t)bulk);
out_mem:
    tk_handle_close(mem);
out_kv:
    tk_handle_close(kv);
    return ok;
}

/* kv traps mid-session; init restarts it (after its back-off) and it serves again. */
static bool scenario_crash(void)
{
    tk_handle kv;
    int64_t deadline;

    if (tk_service_connect("kv", &kv) < 0) return false;
    kv_call_crash(kv); /* the reply is PEER_CLOSED */
    tk_handle_close(kv);
    deadline = tk_clock_ns() + 5000000000LL;
    while (tk_clock_ns() < deadline) {
        if (tk_service_connect("kv", &kv) == 0) {
            int32_t r = kv_call_set(kv, "k", "v");
            tk_handle_close(kv);
            if (r == 0) return true;
        }
        tk_sleep_ns(50000000);
    }
    return false;
}

/* The handle table and a channel's queue filled to their limits, then let go. */
static bool scenario_limits(void)
{
    static tk_handle events[1024];
    tk_handle a, b, e;
    uint32_t n = 0;
    int32_t r = 0;
    bool ok;

    while (n < 1024 && (r = tk_event_create(&events[n])) == 0) n++;
    ok = r == TK_ERR_LIMIT;
    while (n) tk_handle_close(events[--n]);
    if (tk_channel_create(&a, &b) < 0) return false;
    while ((r = tk_event_create(&e)) == 0 && (r = tk_channel_write(a, "x", 1, &e, 1)) == 0) {
    }
    ok &= r == TK_ERR_AGAIN;
    tk_handle_close(a); /* b still holds the queue, events and all */
    tk_handle_close(b);
    return ok;
}

/* Runs abifuzz with argv (args, size bytes) and caps: whether it ended normally, with 0. */
static bool abifuzz_run(const char *args, uint32_t size, uint32_t caps)
{
    struct tk_exit_info info = {0};
    int32_t pid = tk_spawn("abifuzz.wasm", 12, args, size, 0, caps);

    if (pid > 0 && tk_wait(pid, &info, -1) == pid && info.reason == TK_EXIT_NORMAL &&
        info.code == 0)
        return true;
    tk_printf("leakcheck: abifuzz %s: spawn %d, exit reason %d code %d\n", args + 8, pid,
              info.reason, info.code);
    return false;
}

/* abifuzz: thousands of imports called with random arguments (modules/abifuzz), with
 * the capabilities to spawn and to read system information; it must end normally. */
static bool scenario_fuzz(void)
{
    static const char args[] = "abifuzz\0"
                               "7\0"
                               "3000";

    return abifuzz_run(args, sizeof args, TK_CAP_SPAWN | TK_CAP_SYSINFO);
}

/* abifuzz checks: every typed handle parameter of the ABI given a handle of the wrong
 * type, without a right it needs, closed or forged, gets the generated check's error
 * (the console to name a failure). */
static bool scenario_checks(void)
{
    static const char args[] = "abifuzz\0"
                               "checks";

    return abifuzz_run(args, sizeof args, TK_CAP_CONSOLE);
}

/* A refused process_spawn consumes the handles it names and nothing more: an object with
 * a second handle lives on through it. (Dropping a named handle's reference twice once
 * freed a timer still in the table, which the next object of its size then reused.) */
static bool scenario_refused(void)
{
    static const char args[] = "hello";
    struct tk_kernel_stats start, before, after;
    struct tk_handle_info info;
    tk_handle timer, dup, ch0, ch1, weak, process;
    struct tk_spawn_args sa = {.module = (uint32_t)(uintptr_t) "hello.wasm",
                               .module_len = 10,
                               .args = (uint32_t)(uintptr_t)args,
                               .args_len = sizeof args};
    bool ok = true;

    tk_kernel_stats(&start);
    if (tk_timer_create(&timer) < 0 || tk_handle_duplicate(timer, TK_RIGHTS_SAME, &dup) < 0 ||
        tk_channel_create(&ch0, &ch1) < 0 || tk_handle_duplicate(ch1, TK_RIGHT_TRANSFER, &weak) < 0)
        return false;
    tk_kernel_stats(&before);
    sa.stdio[1] = timer; /* not a channel */
    sa.stdio[2] = weak;  /* a channel, without WRITE */
    ok &= tk_process_spawn(&sa, &process) == TK_ERR_WRONG_TYPE;
    tk_kernel_stats(&after);
    ok &= after.objects == before.objects; /* dup and ch1 hold both objects still */
    ok &= tk_handle_info(timer, &info) == TK_ERR_BAD_HANDLE &&
          tk_handle_info(weak, &info) == TK_ERR_BAD_HANDLE;
    ok &= tk_handle_info(dup, &info) == 0 && info.type == TK_OBJ_TIMER;
    ok &= tk_handle_info(ch1, &info) == 0 && info.type == TK_OBJ_CHANNEL;
    tk_handle_close(dup);
    tk_handle_close(ch0);
    tk_handle_close(ch1);
    tk_kernel_stats(&after);
    return ok && after.objects == start.objects;
}

static const struct {
    const char *name;
    bool (*run)(void);
} scenarios[] = {
    {"connect", scenario_connect}, {"quit", scenario_quit},   {"flood", scenario_flood},
    {"bulk", scenario_bulk},       {"crash", scenario_crash}, {"limits", scenario_limits},
    {"refused", scenario_refused}, {"fuzz", scenario_fuzz},   {"checks", scenario_checks},
};

int main(void)
{
    struct tk_kernel_stats before, after;

    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        bool ran = scenarios[i].run();
        tk_kernel_stats_quiet(&before, SETTLE_NS);
        for (int k = 0; k < REPEATS; k++) ran &= scenarios[i].run();
        bool same = tk_kernel_stats_settle(&before, &after, SETTLE_NS);
        tk_printf("leakcheck: %s x%d: objects %u -> %u, heap blocks %u -> %u, free KiB %u -> %u, "
                  "processes %u -> %u: %s\n",
                  scenarios[i].name, REPEATS, before.objects, after.objects, before.heap_blocks,
                  after.heap_blocks, (unsigned)(before.free_bytes >> 10),
                  (unsigned)(after.free_bytes >> 10), before.processes, after.processes,
                  !ran   ? "FAILED TO RUN"
                  : same ? "no leak"
                         : "LEAK");
    }
    tk_puts("leakcheck: done");
    tk_sleep_ns(100000000);
    tk_poweroff(11);
    return 0;
}
