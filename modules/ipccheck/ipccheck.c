/*
 * ipccheck: the handle and channel imports exercised from a module, as a process sees
 * them. Prints `ipccheck: STEP -> RESULT` per step (tk_error_name of the result, or OK)
 * and `ipccheck: done` at the end; tests/modules/boot.sh checks the lines.
 * `ipccheck hold` makes a channel and a read-only duplicate of one end, then waits
 * forever, for the shell's `handles` to show. `ipccheck child` is the other side of the
 * bootstrap step: it takes its channel to the parent, signals the event it is sent and
 * answers "pong". `ipccheck steal` tries to reach a child's objects: the child (`report`)
 * sends the values of its handles and their koids as plain bytes; the parent uses those
 * values, and every value one slot or one generation away from them, in its own table.
 * `ipccheck env-child` prints its environment (env_get). `ipccheck map-twice` maps one
 * memory object at two offsets and checks that a store through one shows through the
 * other; its exit code is 0, or the error of memory_create/memory_map negated
 * (kernel/proc/proc_ktest.c expects TK_ERR_UNSUPPORTED with bounds-checked memories).
 * The process-object steps spawn children with process_spawn and watch them end through
 * their handles; the stdio steps run the WASI program wasipipe with its streams on
 * channels (stdout/stderr back-pressure, EPIPE, stdin end of file); the startup-handle
 * steps (startup.c) spawn a child with named handles.
 */
#include <takara.h>
#include <tk_stdio.h>

#include <stdbool.h>

#include "lib/fmt.h"
#include "lib/string.h"
#include "modules/ipccheck/ipccheck.h"

/* Page-aligned room in linear memory where memory objects get mapped. */
static char shared[2 * TK_MEMORY_PAGE] __attribute__((aligned(TK_MEMORY_PAGE)));

static uint32_t checksum(const char *p, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

/* A child that maps the memory object it is sent (read-only) and answers its checksum;
 * `write` makes it store into the mapping, which must trap. */
static int memory_child(bool write)
{
    struct tk_channel_sizes sz;
    tk_handle ch, got[1];
    uint32_t seen, sum;
    char buf[8];

    if (tk_bootstrap_take(&ch) < 0 || tk_object_wait_one(ch, TK_SIGNAL_READABLE, -1, &seen) < 0 ||
        tk_channel_read(ch, buf, sizeof buf, got, 1, &sz) < 0 || sz.handles != 1)
        return 2;
    if (tk_memory_map(got[0], (uint32_t)(uintptr_t)shared) < 0) return 3;
    /* the kernel refuses to write into a read-only mapping on our behalf */
    if (tk_args_get(shared, 16) != TK_ERR_FAULT) return 4;
    if (write) ((volatile char *)shared)[100] = 1; /* traps: out of bounds memory access */
    sum = checksum(shared, sizeof shared);
    return tk_channel_write(ch, &sum, sizeof sum, NULL, 0) < 0 ? 5 : 0;
}

static int map_twice(void)
{
    volatile char *one = shared, *two = shared + TK_MEMORY_PAGE;
    tk_handle mem;
    int32_t r;

    if ((r = tk_memory_create(1, &mem)) < 0 ||
        (r = tk_memory_map(mem, (uint32_t)(uintptr_t)one)) < 0 ||
        (r = tk_memory_map(mem, (uint32_t)(uintptr_t)two)) < 0)
        return -r;
    one[7] = 42;
    return two[7] == 42 ? 0 : 100;
}

void step(const char *what, int32_t r)
{
    tk_printf("ipccheck: %s -> %s\n", what, r == 0 ? "OK" : tk_error_name(r));
}

/* The child of `steal`: makes objects and tells its parent their handle values. */
static int steal_report(void)
{
    struct {
        tk_handle h[3];
        struct tk_handle_info info[3];
    } msg;
    tk_handle boot;
    uint32_t seen;

    if (tk_bootstrap_take(&boot) < 0 || tk_channel_create(&msg.h[0], &msg.h[1]) < 0 ||
        tk_event_create(&msg.h[2]) < 0)
        return 2;
    for (int i = 0; i < 3; i++) tk_handle_info(msg.h[i], &msg.info[i]);
    if (tk_channel_write(boot, &msg, sizeof msg, NULL, 0) < 0) return 3;
    tk_object_wait_one(boot, TK_SIGNAL_PEER_CLOSED, -1, &seen); /* alive until told */
    return 0;
}

/* Whether value v reaches one of the child's objects from our table. */
static bool steal_reaches(tk_handle v, const struct tk_handle_info *theirs)
{
    struct tk_handle_info info;

    if (tk_handle_info(v, &info) < 0) return false;
    for (int i = 0; i < 3; i++)
        if (info.koid == theirs[i].koid) return true;
    return false;
}

static int steal(void)
{
    static const char args[] = "ipccheck\0report";
    struct {
        tk_handle h[3];
        struct tk_handle_info info[3];
    } msg;
    struct tk_channel_sizes sz;
    struct tk_exit_info exit_info;
    tk_handle boot, none[1];
    uint32_t seen, tried = 0, reached = 0;
    int32_t pid = tk_spawn_connected("ipccheck.wasm", 13, args, sizeof args, 0, 0, &boot);

    step("spawn-report", pid > 0 ? 0 : pid);
    if (pid < 0) return 1;
    int32_t r = tk_object_wait_one(boot, TK_SIGNAL_READABLE, -1, &seen);
    if (r == 0) r = tk_channel_read(boot, &msg, sizeof msg, none, 0, &sz);
    step("report", r);
    if (r < 0) return 1;
    for (int i = 0; i < 3; i++) {
        /* their exact values, and every value one slot field or generation away */
        for (uint32_t k = 0; k < 4096; k++) {
            reached += steal_reaches(msg.h[i] ^ (k << 12), msg.info) +
                       steal_reaches(msg.h[i] ^ k, msg.info);
            tried += 2;
        }
        reached += steal_reaches(msg.h[i], msg.info);
        tried++;
    }
    tk_printf("ipccheck: steal tried %u values, reached %u of the child's objects\n",
              (unsigned)tried, (unsigned)reached);
    step("kill-init", tk_kill(1));
    tk_handle_close(boot);
    step("report-exit", tk_wait(pid, &exit_info, -1) == pid ? exit_info.code : -1);
    return reached == 0 ? 0 : 1;
}

/* A process_spawn request for `module` with argv (and its size) and flags. */
static struct tk_spawn_args spawn_args(const char *module, const char *argv, uint32_t len,
                                       uint32_t flags)
{
    return (struct tk_spawn_args){.module = (uint32_t)(uintptr_t)module,
                                  .module_len = (uint32_t)strlen(module),
                                  .args = (uint32_t)(uintptr_t)argv,
                                  .args_len = len,
                                  .flags = flags};
}

/* Process and thread handles: a child's end on a port, its status, kill by handle. */
static void process_steps(void)
{
    static const char hello_args[] = "hello\0exit=6", spin_args[] = "spin\0forever",
                      env_args[] = "ipccheck\0env-child", env[] = "A=1\0B=two words";
    struct tk_spawn_args sa =
        spawn_args("hello.wasm", hello_args, sizeof hello_args, TK_SPAWN_AUTOREAP);
    struct tk_process_status ps;
    struct tk_thread_status ts;
    struct tk_port_packet pk;
    struct tk_exit_info info;
    tk_handle ph, th, port, weak, me, stale;
    uint32_t seen;
    int32_t pid;

    pid = tk_process_spawn(&sa, &ph);
    step("process_spawn", pid > 0 ? 0 : pid);
    step("port_create-3", tk_port_create(&port));
    step("watch-process", tk_port_watch(port, ph, 5, TK_SIGNAL_PROCESS_EXITED));
    step("port-wait-process", tk_port_wait(port, &pk, -1));
    tk_printf("ipccheck: packet key %llu signals %#x\n", (unsigned long long)pk.key,
              (unsigned)pk.signals);
    step("process_status", tk_process_status(ph, &ps));
    tk_printf("ipccheck: child state %u reason %u code %d pid %s\n", (unsigned)ps.state,
              (unsigned)ps.exit.reason, (int)ps.exit.code, ps.pid == pid ? "same" : "differs");
    step("wait-autoreaped", tk_wait(pid, &info, 0));
    /* kill through a handle with MANAGE; one without it cannot */
    sa = spawn_args("spin.wasm", spin_args, sizeof spin_args, 0);
    pid = tk_process_spawn(&sa, &ph);
    step("process_spawn-spin", pid > 0 ? 0 : pid);
    step("process_thread", tk_process_thread(ph, &th));
    step("thread_status", tk_thread_status(th, &ts));
    tk_printf("ipccheck: thread %s\n", ts.state != TK_THREAD_ENDED ? "alive" : "ended");
    step("duplicate-no-manage", tk_handle_duplicate(ph, TK_RIGHT_READ | TK_RIGHT_WAIT, &weak));
    step("kill-without-manage", tk_process_kill(weak));
    step("kill-wrong-type", tk_process_kill(port));
    step("status-wrong-type", tk_thread_status(ph, &ts));
    step("process_kill", tk_process_kill(ph));
    step("wait-exited", tk_object_wait_one(weak, TK_SIGNAL_PROCESS_EXITED, -1, &seen));
    step("thread-exited", tk_object_wait_one(th, TK_SIGNAL_THREAD_EXITED, 0, &seen));
    step("thread_status-2", tk_thread_status(th, &ts));
    step("process_status-2", tk_process_status(ph, &ps));
    tk_printf("ipccheck: killed child state %u reason %u thread %u\n", (unsigned)ps.state,
              (unsigned)ps.exit.reason, (unsigned)ts.state);
    step("wait-killed",
         tk_wait(pid, &info, -1) == pid ? (int32_t)info.reason - TK_EXIT_KILLED : -1);
    stale = ph;
    step("close-process", tk_handle_close(ph));
    step("stale-process", tk_process_status(stale, &ps));
    step("still-weak", tk_process_status(weak, &ps));
    step("process_self", tk_process_self(&me));
    step("self-status", tk_process_status(me, &ps));
    tk_printf("ipccheck: self pid %s state %u\n", ps.pid == tk_getpid() ? "same" : "differs",
              (unsigned)ps.state);
    step("self-kill", tk_process_kill(me));
    /* bad requests: errors, and the caller goes on */
    step("spawn-bad-pointer", tk_process_spawn((const struct tk_spawn_args *)0xfffffff0u, &ph));
    step("spawn-bad-out", tk_process_spawn(&sa, (tk_handle *)0xfffffffeu));
    sa = spawn_args("hello.wasm", hello_args, sizeof hello_args, 0x80);
    step("spawn-bad-flags", tk_process_spawn(&sa, &ph));
    sa = spawn_args("hello.wasm", hello_args, sizeof hello_args, 0);
    sa.env = (uint32_t)(uintptr_t) "NOEQUALS";
    sa.env_len = 9;
    step("spawn-bad-env", tk_process_spawn(&sa, &ph));
    sa.env_len = 0x7fffffff;
    step("spawn-env-past-memory", tk_process_spawn(&sa, &ph));
    sa.env_len = 0;
    sa.stdio[1] = port;
    step("spawn-stdout-not-channel", tk_process_spawn(&sa, &ph));
    step("port-was-moved", tk_handle_close(port));
    step("status-bad-out", tk_process_status(me, (struct tk_process_status *)0xfffffff0u));
    /* the environment a child is given, and nothing else */
    sa = spawn_args("ipccheck.wasm", env_args, sizeof env_args, TK_SPAWN_AUTOREAP);
    sa.env = (uint32_t)(uintptr_t)env;
    sa.env_len = sizeof env;
    sa.caps = TK_CAP_CONSOLE;
    pid = tk_process_spawn(&sa, &ph);
    step("spawn-env", pid > 0 ? 0 : pid);
    step("wait-env-child", tk_object_wait_one(ph, TK_SIGNAL_PROCESS_EXITED, -1, &seen));
    tk_handle_close(ph);
    tk_handle_close(th);
    tk_handle_close(weak);
    tk_handle_close(me);
}

/* Reads channel h until its writer is gone: the bytes (up to cap) and their count. */
static uint32_t read_all(tk_handle h, char *buf, uint32_t cap)
{
    struct tk_channel_sizes sz;
    tk_handle hs[1];
    uint32_t n = 0, seen;

    for (;;) {
        int32_t r = tk_channel_read(h, buf + n, cap - n, hs, 1, &sz);
        if (r == 0) {
            n += sz.bytes;
        } else if (r == TK_ERR_AGAIN) {
            tk_object_wait_one(h, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, -1, &seen);
        } else {
            return n; /* PEER_CLOSED, or no room left */
        }
    }
}

/* Output of several lines shown on one: '|' for each newline. */
static void newlines_to_bars(char *buf, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (buf[i] == '\n') buf[i] = '|';
}

/* A WASI child with its streams on channels: what it writes arrives, in order, however
 * full the queue; its reads see what we send, then end of file; EPIPE once we are gone. */
static void stdio_steps(void)
{
    static const char pipe_args[] = "wasipipe",
                      flood_args[] = "wasipipe\0flood\0"
                                     "200",
                      epipe_args[] = "wasipipe\0epipe";
    static char buf[4096];
    struct tk_spawn_args sa =
        spawn_args("wasipipe.wasm", pipe_args, sizeof pipe_args, TK_SPAWN_AUTOREAP);
    struct tk_process_status ps;
    tk_handle in, in_child, out, out_child, ph;
    uint32_t n, seen, lines = 0, next = 0;
    bool ordered = true;

    tk_channel_create(&in, &in_child);
    tk_channel_create(&out, &out_child);
    sa.stdio[0] = in_child;
    sa.stdio[1] = sa.stdio[2] = out_child; /* stdout and stderr on one channel */
    step("spawn-wasipipe", tk_process_spawn(&sa, &ph) > 0 ? 0 : -1);
    step("stdin-write", tk_channel_write(in, "one\ntwo\n", 8, NULL, 0));
    step("stdin-write-2", tk_channel_write(in, "three\n", 6, NULL, 0));
    tk_handle_close(in); /* end of file */
    n = read_all(out, buf, sizeof buf - 1);
    newlines_to_bars(buf, n);
    tk_printf("ipccheck: wasipipe said '%.*s'\n", (int)n, buf);
    tk_object_wait_one(ph, TK_SIGNAL_PROCESS_EXITED, -1, &seen);
    tk_process_status(ph, &ps);
    tk_printf("ipccheck: wasipipe exited with %d\n", (int)ps.exit.code);
    tk_handle_close(ph);
    tk_handle_close(out);
    /* 200 messages into a queue of 64: the writer waits for room, nothing is lost */
    tk_channel_create(&out, &out_child);
    sa = spawn_args("wasipipe.wasm", flood_args, sizeof flood_args, TK_SPAWN_AUTOREAP);
    sa.stdio[1] = out_child;
    step("spawn-flood", tk_process_spawn(&sa, &ph) > 0 ? 0 : -1);
    /* until the writer blocks on the full queue (it blocks on nothing else): a bound on
     * tries rather than one fixed nap, which a slow host could make too short */
    for (int i = 0; i < 500; i++) {
        tk_sleep_ns(10000000);
        tk_process_status(ph, &ps);
        if (ps.state == TK_PROC_BLOCKED) break;
    }
    tk_printf("ipccheck: flood writer %s\n", ps.state == TK_PROC_BLOCKED ? "waits" : "runs");
    for (;;) {
        struct tk_channel_sizes sz;
        int32_t r = tk_channel_read(out, buf, sizeof buf - 1, NULL, 0, &sz);
        char want[16];
        if (r == TK_ERR_AGAIN) {
            tk_object_wait_one(out, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, -1, &seen);
            continue;
        }
        if (r < 0) break;
        int len = fmt_snprintf(want, sizeof want, "line %u\n", (unsigned)next++);
        ordered = ordered && sz.bytes == (uint32_t)len && !memcmp(buf, want, (size_t)len);
        lines++;
    }
    tk_printf("ipccheck: flood %u lines %s\n", (unsigned)lines,
              ordered ? "in order" : "out of order");
    tk_handle_close(ph);
    tk_handle_close(out);
    /* the reader gone: EPIPE */
    tk_channel_create(&out, &out_child);
    tk_handle_close(out);
    sa = spawn_args("wasipipe.wasm", epipe_args, sizeof epipe_args, TK_SPAWN_AUTOREAP);
    sa.stdio[1] = out_child;
    step("spawn-epipe", tk_process_spawn(&sa, &ph) > 0 ? 0 : -1);
    tk_object_wait_one(ph, TK_SIGNAL_PROCESS_EXITED, -1, &seen);
    tk_process_status(ph, &ps);
    tk_printf("ipccheck: epipe child exited with %d\n", (int)ps.exit.code);
    tk_handle_close(ph);
    /* poll_oneoff on a channel stdin: the clock first, then our message, then the end */
    static const char poll_args[] = "wasipipe\0poll";
    struct tk_channel_sizes sz;
    tk_channel_create(&in, &in_child);
    tk_channel_create(&out, &out_child);
    sa = spawn_args("wasipipe.wasm", poll_args, sizeof poll_args, TK_SPAWN_AUTOREAP);
    sa.stdio[0] = in_child;
    sa.stdio[1] = out_child;
    step("spawn-poll", tk_process_spawn(&sa, &ph) > 0 ? 0 : -1);
    tk_object_wait_one(out, TK_SIGNAL_READABLE, -1, &seen); /* "poll: clock first" */
    n = tk_channel_read(out, buf, sizeof buf, NULL, 0, &sz) == 0 ? sz.bytes : 0;
    tk_channel_write(in, "hello\n", 6, NULL, 0);
    while (!memchr(buf, '\'', n)) { /* up to "poll: read 'hello'" */
        tk_object_wait_one(out, TK_SIGNAL_READABLE, -1, &seen);
        if (tk_channel_read(out, buf + n, sizeof buf - n, NULL, 0, &sz) == 0) n += sz.bytes;
    }
    tk_handle_close(in);
    n += read_all(out, buf + n, sizeof buf - 1 - n);
    newlines_to_bars(buf, n);
    tk_printf("ipccheck: wasipipe poll said '%.*s'\n", (int)n, buf);
    tk_handle_close(out);
    tk_handle_close(ph);
    /* a program that closes its stdout: the reader sees the end while it still runs */
    static const char close_args[] = "wasipipe\0close";
    tk_handle err, err_child;
    tk_channel_create(&in, &in_child);
    tk_channel_create(&out, &out_child);
    tk_channel_create(&err, &err_child);
    sa = spawn_args("wasipipe.wasm", close_args, sizeof close_args, TK_SPAWN_AUTOREAP);
    sa.stdio[0] = in_child;
    sa.stdio[1] = out_child;
    sa.stdio[2] = err_child;
    step("spawn-close", tk_process_spawn(&sa, &ph) > 0 ? 0 : -1);
    newlines_to_bars(buf, n = read_all(out, buf, sizeof buf - 1));
    tk_process_status(ph, &ps);
    tk_printf("ipccheck: closed stdout ended after '%.*s' with the writer %s\n", (int)n, buf,
              ps.state == TK_PROC_ENDED ? "gone" : "running");
    tk_handle_close(in); /* its stdin ends: it exits */
    newlines_to_bars(buf, n = read_all(err, buf, sizeof buf - 1));
    tk_object_wait_one(ph, TK_SIGNAL_PROCESS_EXITED, -1, &seen);
    tk_process_status(ph, &ps);
    tk_printf("ipccheck: after close '%.*s', exit %d\n", (int)n, buf, (int)ps.exit.code);
    tk_handle_close(out);
    tk_handle_close(err);
    tk_handle_close(ph);
    /* stdout on a handle that may not write: refused, the child never starts */
    tk_channel_create(&in, &in_child);
    sa = spawn_args("wasipipe.wasm", pipe_args, sizeof pipe_args, TK_SPAWN_AUTOREAP);
    tk_handle_duplicate(in_child, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &out_child);
    tk_handle_close(in_child);
    sa.stdio[1] = out_child;
    step("stdout-without-write", tk_process_spawn(&sa, &ph));
    tk_handle_close(in);
}

static int env_child(void)
{
    char env[128];
    int32_t n = tk_env_get(env, sizeof env);

    tk_printf("ipccheck: env-child has %d bytes:", (int)n);
    for (int32_t at = 0; at < n && at < (int32_t)sizeof env; at += (int32_t)strlen(env + at) + 1)
        tk_printf(" '%s'", env + at);
    tk_printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    tk_handle a, b, ev, weak, got[2], stale;
    struct tk_channel_sizes sz;
    struct tk_handle_info info;
    uint32_t seen = 0;
    char buf[32];

    if (argc > 1 && !strcmp(argv[1], "memory-child")) return memory_child(false);
    if (argc > 1 && !strcmp(argv[1], "report")) return steal_report();
    if (argc > 1 && !strcmp(argv[1], "steal")) return steal();
    if (argc > 1 && !strcmp(argv[1], "memory-writer")) return memory_child(true);
    if (argc > 1 && !strcmp(argv[1], "child")) {
        int32_t r = tk_bootstrap_take(&a);
        if (r == 0) r = tk_object_wait_one(a, TK_SIGNAL_READABLE, -1, &seen);
        if (r == 0) r = tk_channel_read(a, buf, sizeof buf, got, 2, &sz);
        if (r == 0 && sz.handles == 1) r = tk_object_signal(got[0], 0, TK_SIGNAL_SIGNALED);
        if (r == 0) r = tk_channel_write(a, "pong", 4, NULL, 0);
        step("child-second-take", tk_bootstrap_take(&b));
        return r == 0 ? 0 : 1;
    }
    if (argc > 1 && !strcmp(argv[1], "env-child")) return env_child();
    if (argc > 1 && !strcmp(argv[1], "startup-child")) return startup_child();
    if (argc > 1 && !strcmp(argv[1], "map-twice")) return map_twice();
    if (argc > 1 && !strcmp(argv[1], "hold")) {
        tk_channel_create(&a, &b);
        tk_handle_duplicate(a, TK_RIGHT_READ | TK_RIGHT_WAIT, &weak);
        tk_puts("ipccheck: holding");
        tk_object_wait_one(b, TK_SIGNAL_PEER_CLOSED, -1, &seen); /* a is ours: never */
        return 1;
    }
    step("channel_create", tk_channel_create(&a, &b));
    step("write", tk_channel_write(a, "ping", 4, NULL, 0));
    step("wait-readable", tk_object_wait_one(b, TK_SIGNAL_READABLE, 0, &seen));
    step("read-small", tk_channel_read(b, buf, 2, got, 2, &sz));
    tk_printf("ipccheck: needs %u bytes %u handles\n", (unsigned)sz.bytes, (unsigned)sz.handles);
    step("read", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    tk_printf("ipccheck: got '%.*s'\n", (int)sz.bytes, buf);
    step("read-empty", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    /* a handle with fewer rights travels; the sender loses it */
    step("event_create", tk_event_create(&ev));
    step("duplicate", tk_handle_duplicate(ev, TK_RIGHT_WAIT | TK_RIGHT_TRANSFER, &weak));
    step("send-handle", tk_channel_write(a, "ev", 2, &weak, 1));
    step("sent-is-gone", tk_handle_close(weak));
    step("recv-handle", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    step("info", tk_handle_info(got[0], &info));
    tk_printf("ipccheck: type %u rights %#x\n", (unsigned)info.type, (unsigned)info.rights);
    step("signal-without-right", tk_object_signal(got[0], 0, TK_SIGNAL_SIGNALED));
    step("signal", tk_object_signal(ev, 0, TK_SIGNAL_SIGNALED));
    step("wait-signaled", tk_object_wait_one(got[0], TK_SIGNAL_SIGNALED, -1, &seen));
    /* forged, closed, wrong type; an endpoint through itself; a bad pointer */
    step("forged", tk_handle_close(0x12345678));
    stale = got[0];
    step("close", tk_handle_close(got[0]));
    step("stale", tk_handle_info(stale, &info));
    step("wrong-type", tk_channel_write(ev, "x", 1, NULL, 0));
    tk_handle self = a;
    step("send-itself", tk_channel_write(a, "x", 1, &self, 1));
    step("bad-pointer", tk_channel_read(b, (void *)0xfffffff0u, 64, got, 2, &sz));
    /* the endpoint sent itself was consumed: b now sees its peer closed */
    step("peer-closed", tk_object_wait_one(b, TK_SIGNAL_PEER_CLOSED, 0, &seen));
    step("read-closed", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    /* a port collects a timer's firing and a channel's message under their keys */
    tk_handle port, timer, c0, c1;
    struct tk_port_packet pk;
    step("port_create", tk_port_create(&port));
    step("timer_create", tk_timer_create(&timer));
    step("channel_create-2", tk_channel_create(&c0, &c1));
    step("watch-timer", tk_port_watch(port, timer, 7, TK_SIGNAL_TIMER_FIRED));
    step("watch-channel", tk_port_watch(port, c1, 8, TK_SIGNAL_READABLE));
    step("timer_set", tk_timer_set(timer, tk_clock_ns() + 20000000));
    step("port-empty", tk_port_wait(port, &pk, 0));
    step("port-wait", tk_port_wait(port, &pk, -1));
    tk_printf("ipccheck: packet key %llu signals %#x\n", (unsigned long long)pk.key,
              (unsigned)pk.signals);
    step("write-2", tk_channel_write(c0, "hi", 2, NULL, 0));
    step("port-wait-2", tk_port_wait(port, &pk, -1));
    tk_printf("ipccheck: packet key %llu signals %#x\n", (unsigned long long)pk.key,
              (unsigned)pk.signals);
    step("watch-itself", tk_port_watch(port, port, 9, TK_SIGNAL_READABLE));
    /* bootstrap: a child connected by a channel gets a handle and answers */
    static const char child_args[] = "ipccheck\0child";
    tk_handle boot, own, ev2, ev2send;
    struct tk_exit_info exit_info;
    step("own-bootstrap", tk_bootstrap_take(&own)); /* the shell's relay channel */
    step("own-bootstrap-again", tk_bootstrap_take(&boot));
    tk_handle_close(own);
    int32_t pid = tk_spawn_connected("ipccheck.wasm", 13, child_args, sizeof child_args, 0,
                                     TK_CAP_CONSOLE, &boot);
    step("spawn_connected", pid > 0 ? 0 : pid);
    step("event_create-2", tk_event_create(&ev2));
    step("duplicate-2", tk_handle_duplicate(ev2, TK_RIGHT_SIGNAL | TK_RIGHT_TRANSFER, &ev2send));
    step("call-child",
         tk_channel_call(boot, "ping", 4, &ev2send, 1, buf, sizeof buf, got, 2, &sz, -1));
    step("child-signaled", tk_object_wait_one(ev2, TK_SIGNAL_SIGNALED, 0, &seen));
    tk_printf("ipccheck: child said '%.*s'\n", (int)sz.bytes, buf);
    step("child-exit", tk_wait(pid, &exit_info, -1) == pid ? exit_info.code : -1);
    /* a memory object: mapped here, filled, shared read-only with a child that sums it */
    static const char mem_args[] = "ipccheck\0memory-child",
                      writer_args[] = "ipccheck\0memory-writer";
    tk_handle mem, ro, mch;
    uint32_t answer = 0;
    step("memory_create", tk_memory_create(2, &mem));
    step("memory_map", tk_memory_map(mem, (uint32_t)(uintptr_t)shared));
    step("map-overlap", tk_memory_map(mem, (uint32_t)(uintptr_t)shared + TK_MEMORY_PAGE));
    step("map-unaligned", tk_memory_map(mem, (uint32_t)(uintptr_t)shared + 8));
    for (uint32_t i = 0; i < sizeof shared; i++) shared[i] = (char)(i * 7 + 3);
    step("duplicate-ro", tk_handle_duplicate(mem, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &ro));
    pid = tk_spawn_connected("ipccheck.wasm", 13, mem_args, sizeof mem_args, 0, 0, &mch);
    step("spawn-memory-child", pid > 0 ? 0 : pid);
    step("share", tk_channel_call(mch, "m", 1, &ro, 1, &answer, sizeof answer, got, 1, &sz, -1));
    tk_printf("ipccheck: child checksum %s\n",
              answer == checksum(shared, sizeof shared) ? "matches" : "differs");
    step("memory-child-exit", tk_wait(pid, &exit_info, -1) == pid ? exit_info.code : -1);
    step("duplicate-ro-2", tk_handle_duplicate(mem, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &ro));
    pid = tk_spawn_connected("ipccheck.wasm", 13, writer_args, sizeof writer_args, 0, 0, &mch);
    step("send-to-writer", tk_channel_write(mch, "m", 1, &ro, 1));
    tk_wait(pid, &exit_info, -1);
    tk_printf("ipccheck: writer ended with reason %u kind %d\n", (unsigned)exit_info.reason,
              (int)exit_info.code);
    step("memory_unmap", tk_memory_unmap((uint32_t)(uintptr_t)shared));
    tk_printf("ipccheck: after unmap %s\n", shared[5] == 0 ? "zeros" : "old data");
    step("unmap-again", tk_memory_unmap((uint32_t)(uintptr_t)shared));
    process_steps();
    startup_steps();
    stdio_steps();
    tk_puts("ipccheck: done");
    return 0;
}
