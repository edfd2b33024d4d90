/*
 * Process tests, run in the test image with the test boot image (boot.tar with the
 * assistant, hello and spin modules). The kernel plays the parent: a process struct of
 * the test's own holds every capability, spawns children and reaps them.
 */
#include <takara/caps.h>
#include <takara/error.h>

#include "kernel/bootfs.h"
#include "kernel/clock.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "kernel/obj.h"
#include "kernel/proc.h"
#include "lib/fmt.h"
#include "lib/string.h"

static struct process ktest_parent = {.caps = TK_CAP_ALL};

static bool proc_ktest_ready(void)
{
    static bool done;

    if (!done) {
        waitq_init(&ktest_parent.child_exit);
        done = bootfs_init() == 0;
    }
    return done;
}

/* Spawns `module` with argv given as "a\0b\0" of length len, waits, returns the pid. */
static int run_child(const char *module, const char *argv, size_t len, uint64_t mem, uint32_t caps,
                     struct tk_exit_info *info)
{
    int pid = proc_spawn(&ktest_parent, module, strlen(module), argv, len, mem, caps, NULL);

    if (pid < 0) return pid;
    return proc_wait(&ktest_parent, pid, info, 0);
}

#define ARGV(lit) lit, sizeof(lit)

KTEST(proc_assistant_traps_are_reported)
{
    static const struct {
        const char *argv;
        size_t len;
        int kind;
    } cases[] = {
        {ARGV("assistant\0unreachable"), WASM_TRAP_UNREACHABLE},
        {ARGV("assistant\0div0"), WASM_TRAP_DIV_BY_ZERO},
        {ARGV("assistant\0overflow"), WASM_TRAP_INT_OVERFLOW},
        {ARGV("assistant\0convert"), WASM_TRAP_INVALID_CONVERSION},
        {ARGV("assistant\0oob"), WASM_TRAP_MEMORY_OOB},
        {ARGV("assistant\0table"), WASM_TRAP_UNDEFINED_ELEMENT},
        {ARGV("assistant\0null-call"), WASM_TRAP_UNINITIALIZED_ELEMENT},
        {ARGV("assistant\0sig"), WASM_TRAP_INDIRECT_CALL_TYPE},
        {ARGV("assistant\0recurse"), WASM_TRAP_STACK_EXHAUSTED},
    };
    struct tk_exit_info info;

    KT_ASSERT(proc_ktest_ready());
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int pid =
            run_child("assistant.wasm", cases[i].argv, cases[i].len, 0, TK_CAP_CONSOLE, &info);
        KT_ASSERT(pid > 0);
        KT_ASSERT_EQ(info.pid, pid);
        KT_ASSERT_EQ(info.reason, TK_EXIT_TRAP);
        KT_ASSERT_EQ(info.code, cases[i].kind);
        KT_ASSERT(info.func_name[0] != 0); /* the name section names the function */
    }
}

KTEST(proc_assistant_survives_bad_import_arguments)
{
    struct tk_exit_info info;

    KT_ASSERT(proc_ktest_ready());
    KT_ASSERT(run_child("assistant.wasm", ARGV("assistant\0bad-args"), 0,
                        TK_CAP_CONSOLE | TK_CAP_SPAWN | TK_CAP_SYSINFO, &info) > 0);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(info.code, 0);
    KT_ASSERT(run_child("assistant.wasm", ARGV("assistant\0spawn-absurd"), 0,
                        TK_CAP_CONSOLE | TK_CAP_SPAWN, &info) > 0);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(info.code, 0);
}

KTEST(proc_memory_grow_stops_at_the_limit)
{
    struct tk_exit_info info;

    KT_ASSERT(proc_ktest_ready());
    /* the log line "assistant: grow stopped at 4 pages" is checked by boot-tests.sh */
    KT_ASSERT(
        run_child("assistant.wasm", ARGV("assistant\0grow"), 4 * 65536, TK_CAP_CONSOLE, &info) > 0);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(info.code, 0);
    /* a limit below the module's own minimum memory: it cannot even start */
    KT_ASSERT(run_child("assistant.wasm", ARGV("assistant\0ok"), 4096, TK_CAP_CONSOLE, &info) > 0);
    KT_ASSERT_EQ(info.reason, TK_EXIT_FAILED);
    KT_ASSERT_EQ(info.code, TK_ERR_LIMIT);
}

KTEST(proc_spawn_refuses_bad_requests)
{
    KT_ASSERT(proc_ktest_ready());
    KT_ASSERT_EQ(proc_spawn(&ktest_parent, "nope.wasm", 9, NULL, 0, 0, 0, NULL), TK_ERR_NOENT);
    KT_ASSERT_EQ(proc_spawn(&ktest_parent, "manifest", 8, NULL, 0, 0, 0, NULL), TK_ERR_MALFORMED);
    KT_ASSERT_EQ(proc_spawn(&ktest_parent, "hello.wasm", 10, "x", 1, 0, 0, NULL), TK_ERR_RANGE);
    KT_ASSERT_EQ(proc_spawn(&ktest_parent, "hello.wasm", 10, NULL, 0, 8ull << 30, 0, NULL),
                 TK_ERR_RANGE);
    KT_ASSERT_EQ(proc_spawn(&ktest_parent, "hello.wasm", 10, NULL, 0, 0, 1u << 30, NULL),
                 TK_ERR_DENIED);
    KT_ASSERT_EQ(proc_spawn(NULL, "hello.wasm", 10, NULL, 0, 0, 1u << 30, NULL), TK_ERR_INVAL);
    struct process weak = {.caps = TK_CAP_CONSOLE};
    KT_ASSERT_EQ(proc_spawn(&weak, "hello.wasm", 10, NULL, 0, 0, TK_CAP_SPAWN, NULL),
                 TK_ERR_DENIED);
    KT_ASSERT_EQ(proc_count(), 0);
}

KTEST(proc_kill_ends_a_spinning_process)
{
    struct tk_exit_info info;
    int pid;

    KT_ASSERT(proc_ktest_ready());
    pid = proc_spawn(&ktest_parent, "spin.wasm", 9, ARGV("spin\0forever"), 0, TK_CAP_CONSOLE, NULL);
    KT_ASSERT(pid > 0);
    KT_ASSERT_EQ(sched_sleep_until(clock_ns() + 50000000), 0);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, pid, &info, 1), TK_ERR_TIMEOUT); /* still running */
    KT_ASSERT_EQ(proc_kill(NULL, pid), 0);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, pid, &info, 0), pid);
    KT_ASSERT_EQ(info.reason, TK_EXIT_KILLED);
    KT_ASSERT_EQ(proc_kill(NULL, pid), TK_ERR_NOENT); /* reaped: gone */
}

/* Two processes that never yield both get the CPU, and so does this thread, which
 * sleeps: the timer preempts Wasm code. */
KTEST(proc_spinners_share_the_cpu)
{
    struct tk_proc_info ps[4];
    struct tk_exit_info info;
    int a, b;

    KT_ASSERT(proc_ktest_ready());
    a = proc_spawn(&ktest_parent, "spin.wasm", 9, ARGV("spin\0a"), 0, TK_CAP_CONSOLE, NULL);
    b = proc_spawn(&ktest_parent, "spin.wasm", 9, ARGV("spin\0b"), 0, TK_CAP_CONSOLE, NULL);
    KT_ASSERT(a > 0 && b > 0);
    uint64_t t0 = clock_ns();
    KT_ASSERT_EQ(sched_sleep_until(t0 + 300000000), 0);
    KT_ASSERT(clock_ns() - t0 < 400000000); /* woke on time despite two spinners */
    KT_ASSERT_EQ(proc_list(ps, 4), 2);
    for (int i = 0; i < 2; i++) {
        KT_ASSERT(ps[i].cpu_ns > 50000000);
        KT_ASSERT_EQ(ps[i].state, TK_PROC_RUNNING);
    }
    KT_ASSERT_EQ(proc_kill(NULL, a), 0);
    KT_ASSERT_EQ(proc_kill(NULL, b), 0);
    KT_ASSERT(proc_wait(&ktest_parent, -1, &info, 0) > 0);
    KT_ASSERT(proc_wait(&ktest_parent, -1, &info, 0) > 0);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, -1, &info, 0), TK_ERR_NOENT);
}

/* Spawn and reap 1,000 processes of an already-loaded module: every page, thread,
 * reservation and process record comes back. */
KTEST(proc_spawn_and_reap_a_thousand)
{
    struct bootfs_module *held;
    struct wasm_error err;
    struct tk_exit_info info;
    uint64_t pages;
    uint32_t threads, reservations;

    KT_ASSERT(proc_ktest_ready());
    KT_ASSERT_EQ(bootfs_module_get("assistant.wasm", 14, &held, &err), 0);
    KT_ASSERT(run_child("assistant.wasm", ARGV("assistant\0ok"), 0, 0, &info) > 0);
    thread_reap();
    pages = pmm_free_pages();
    threads = thread_count();
    reservations = vmm_reservation_count();
    for (int i = 0; i < 1000; i++) {
        KT_ASSERT(run_child("assistant.wasm", ARGV("assistant\0ok"), 0, 0, &info) > 0);
        KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    }
    thread_reap();
    KT_ASSERT_EQ(pmm_free_pages(), pages);
    KT_ASSERT_EQ(thread_count(), threads);
    KT_ASSERT_EQ(vmm_reservation_count(), reservations);
    KT_ASSERT_EQ(proc_count(), 0);
    bootfs_module_put(held);
}

/* A process object tells a child's end to waiters and ports, keeps its exit record
 * after the record is freed (autoreap), and kills through the object. */
KTEST(proc_object_signals_exit_and_kills)
{
    struct proc_spawn_req req = {.module = "hello.wasm",
                                 .module_len = 10,
                                 .args = "hello\0exit=5",
                                 .args_len = sizeof("hello\0exit=5"),
                                 .flags = TK_SPAWN_AUTOREAP};
    uint32_t base = object_count(), seen;
    struct tk_process_status st;
    struct tk_thread_status ts;
    struct tk_port_packet pk;
    struct object *po, *th, *port;
    struct tk_exit_info info;
    int pid;

    KT_ASSERT(proc_ktest_ready());
    pid = proc_spawn_req(&ktest_parent, &req, &po);
    KT_ASSERT(pid > 0);
    KT_ASSERT_EQ(port_create(&port), 0);
    KT_ASSERT_EQ(port_watch(port, po, 42, TK_SIGNAL_PROCESS_EXITED), 0);
    KT_ASSERT_EQ(port_wait(port, clock_ns() + 5000000000ull, &pk), 0);
    KT_ASSERT_EQ(pk.key, 42);
    KT_ASSERT_EQ(pk.signals, TK_SIGNAL_PROCESS_EXITED);
    KT_ASSERT_EQ(proc_object_status(po, &st), 0);
    KT_ASSERT_EQ(st.state, TK_PROC_ENDED);
    KT_ASSERT_EQ(st.pid, pid);
    KT_ASSERT_EQ(st.exit.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(st.exit.code, 5);
    KT_ASSERT_EQ(st.exit.pid, pid);
    KT_ASSERT(st.cpu_ns > 0);
    /* autoreap: no zombie to wait for, the record is gone, the object remains */
    KT_ASSERT_EQ(proc_wait(&ktest_parent, pid, &info, 1), TK_ERR_NOENT);
    KT_ASSERT_EQ(proc_count(), 0);
    th = proc_object_thread(po);
    KT_ASSERT_EQ(th->ops->type, TK_OBJ_THREAD);
    KT_ASSERT_EQ(thread_object_status(th, &ts), 0);
    KT_ASSERT_EQ(ts.state, TK_THREAD_ENDED);
    KT_ASSERT(th->signals & TK_SIGNAL_THREAD_EXITED);
    KT_ASSERT_EQ(proc_object_kill(po), 0); /* ended: nothing to do */
    object_unref(th);
    object_unref(po);
    object_unref(port);

    /* kill through the object; a process spawned without the flag is still waited for */
    req = (struct proc_spawn_req){.module = "spin.wasm",
                                  .module_len = 9,
                                  .args = "spin\0forever",
                                  .args_len = sizeof("spin\0forever")};
    pid = proc_spawn_req(&ktest_parent, &req, &po);
    KT_ASSERT(pid > 0);
    th = proc_object_thread(po);
    KT_ASSERT_EQ(sched_sleep_until(clock_ns() + 30000000), 0);
    KT_ASSERT_EQ(proc_object_status(po, &st), 0);
    KT_ASSERT_EQ(st.state, TK_PROC_RUNNING);
    KT_ASSERT_EQ(thread_object_status(th, &ts), 0);
    KT_ASSERT_EQ(ts.state, TK_THREAD_RUNNING);
    KT_ASSERT(ts.cpu_ns > 0);
    KT_ASSERT_EQ(object_wait(po, TK_SIGNAL_PROCESS_EXITED, 1, &seen), TK_ERR_TIMEOUT);
    KT_ASSERT_EQ(proc_object_kill(po), 0);
    KT_ASSERT_EQ(object_wait(th, TK_SIGNAL_THREAD_EXITED, 0, &seen), 0);
    KT_ASSERT_EQ(object_wait(po, TK_SIGNAL_PROCESS_EXITED, 0, &seen), 0);
    KT_ASSERT_EQ(proc_object_status(po, &st), 0);
    KT_ASSERT_EQ(st.exit.reason, TK_EXIT_KILLED);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, pid, &info, 0), pid);
    KT_ASSERT_EQ(info.reason, TK_EXIT_KILLED);
    object_unref(th);
    object_unref(po);
    KT_ASSERT_EQ(object_count(), base);
}

/* Memory objects map where linear memories are page-backed reservations (guard mode)
 * and are refused, clearly, where they are heap blocks (bounds mode): the test runs in
 * both test images (tests/qemu/boot-tests.sh). */
KTEST(proc_memory_map_follows_the_memory_mode)
{
    bool guard = strcmp(wasm_memory_mode(), "guard") == 0;
    struct tk_exit_info info;

    KT_ASSERT(proc_ktest_ready());
    KT_ASSERT(run_child("ipccheck.wasm", ARGV("ipccheck\0map-twice"), 0, 0, &info) > 0);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(info.code, guard ? 0 : -TK_ERR_UNSUPPORTED);
}

/* An environment must be NAME=value strings; a bad one is refused before anything runs. */
KTEST(proc_spawn_checks_the_environment)
{
    static const char *const bad[] = {"HOME", "=x", "A=1\0B"};
    static const size_t bad_len[] = {5, 3, 5};
    struct tk_exit_info info;

    KT_ASSERT(proc_ktest_ready());
    for (int i = 0; i < 3; i++) {
        struct proc_spawn_req req = {
            .module = "hello.wasm", .module_len = 10, .env = bad[i], .env_len = bad_len[i]};
        KT_ASSERT_EQ(proc_spawn_req(&ktest_parent, &req, NULL), TK_ERR_INVAL);
    }
    struct proc_spawn_req ok = {
        .module = "hello.wasm", .module_len = 10, .env = "A=1\0B=", .env_len = sizeof("A=1\0B=")};
    int pid = proc_spawn_req(&ktest_parent, &ok, NULL);
    KT_ASSERT(pid > 0);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, pid, &info, 0), pid);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(proc_count(), 0);
}

/* Waits (up to 5 s) until no process is left; the count left. */
static uint32_t proc_ktest_settle(void)
{
    uint64_t deadline = clock_ns() + 5000000000ull;

    while (proc_count() > 0 && clock_ns() < deadline) sched_sleep_until(clock_ns() + 10000000);
    return proc_count();
}

/* With no reaper to tell (no init here), the kernel ends the children a parent leaves
 * behind itself: two endless loops whose parent exited do not outlive it for long. */
KTEST(proc_orphans_without_a_reaper_are_ended)
{
    uint32_t base = object_count();
    struct tk_exit_info info;

    KT_ASSERT(proc_ktest_ready());
    KT_ASSERT(run_child("hostile-orphans.wasm", ARGV("orphan-pair\0pair"), 0,
                        TK_CAP_CONSOLE | TK_CAP_SPAWN, &info) > 0);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(info.code, 0); /* both loops were started */
    KT_ASSERT_EQ(proc_ktest_settle(), 0);
    KT_ASSERT_EQ(object_count(), base);
}

/* With a reaper, each orphan goes to it (its parent) and is announced on the reaper's
 * channel with a handle that can end it. */
KTEST(proc_orphans_go_to_the_reaper)
{
    struct proc_spawn_req req = {.module = "hostile-orphans.wasm",
                                 .module_len = 20,
                                 .args = "reaper\0spin",
                                 .args_len = sizeof("reaper\0spin")};
    uint32_t base = object_count(), seen;
    struct tk_proc_info ps[4];
    struct tk_orphan_note note;
    struct tk_channel_sizes sz;
    struct handle_table t;
    struct object *ours, *o;
    struct tk_exit_info info;
    int reaper, pair;
    tk_handle h;

    KT_ASSERT(proc_ktest_ready());
    handle_table_init(&t);
    KT_ASSERT_EQ(channel_create(&ours, &req.orphans), 0);
    reaper = proc_spawn_req(&ktest_parent, &req, NULL);
    KT_ASSERT(reaper > 0);
    pair = run_child("hostile-orphans.wasm", ARGV("orphan-pair\0pair"), 0,
                     TK_CAP_CONSOLE | TK_CAP_SPAWN, &info);
    KT_ASSERT(pair > 0);
    KT_ASSERT_EQ(info.code, 0);
    KT_ASSERT_EQ(proc_list(ps, 4), 3); /* the reaper and the two orphans, its children */
    for (int i = 0; i < 3; i++)
        if (ps[i].pid != reaper) KT_ASSERT_EQ(ps[i].ppid, reaper);
    for (int k = 0; k < 2; k++) {
        KT_ASSERT_EQ(object_wait(ours, TK_SIGNAL_READABLE, clock_ns() + 5000000000ull, &seen), 0);
        KT_ASSERT_EQ(channel_read(ours, &note, sizeof(note), &h, 1, &t, &sz), 0);
        KT_ASSERT_EQ(sz.bytes, sizeof(note));
        KT_ASSERT_EQ(sz.handles, 1);
        KT_ASSERT_EQ(note.parent, pair);
        KT_ASSERT_EQ(note.service, pair); /* the kernel, not the reaper, started pair */
        KT_ASSERT_EQ(memcmp(note.name, "orphan-spin", 12), 0);
        KT_ASSERT_EQ(handle_get(&t, h, TK_OBJ_PROCESS, TK_RIGHT_MANAGE, &o, NULL), 0);
        KT_ASSERT_EQ(proc_object_kill(o), 0); /* what init does under `orphans = end` */
        object_unref(o);
    }
    KT_ASSERT_EQ(proc_kill(NULL, reaper), 0);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, reaper, &info, 0), reaper);
    KT_ASSERT_EQ(proc_ktest_settle(), 0); /* the orphans, autoreaped */
    handle_table_destroy(&t);
    object_unref(ours);
    KT_ASSERT_EQ(object_count(), base);
}

/* The reserve passes only from a holder; a child's record is its parent's to pay until
 * reaped, and the rest of it comes back when it ends. */
KTEST(proc_spawn_charges_and_the_reserve_flag)
{
    struct quota *q = quota_new(NULL, 1u << 20, 0, false);
    struct process ordinary = {.caps = TK_CAP_ALL, .quota = q};
    struct proc_spawn_req req = {
        .module = "hello.wasm", .module_len = 10, .flags = TK_SPAWN_RESERVE};
    struct tk_exit_info info;
    int pid;

    KT_ASSERT(proc_ktest_ready() && q);
    waitq_init(&ordinary.child_exit);
    KT_ASSERT_EQ(proc_spawn_req(&ordinary, &req, NULL), TK_ERR_DENIED);
    KT_ASSERT_EQ(quota_used_bytes(q), 0);
    req.flags = 0;
    KT_ASSERT((pid = proc_spawn_req(&ordinary, &req, NULL)) > 0);
    KT_ASSERT_EQ(proc_wait(&ordinary, pid, &info, 0), pid);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(quota_used_bytes(q), 0); /* the reaped record went back to the parent */
    /* a parent without room for the record cannot spawn */
    KT_ASSERT_EQ(quota_charge(q, (1u << 20) - 64), 0);
    KT_ASSERT_EQ(proc_spawn_req(&ordinary, &req, NULL), TK_ERR_LIMIT);
    quota_uncharge(q, (1u << 20) - 64);
    KT_ASSERT_EQ(proc_count(), 0);
    quota_unref(q);
}

/* Startup handles: a child given "ev" and "chan" takes each once (ipccheck startup-child
 * signals the event and answers on the channel); a refused table is consumed whole; what
 * a child never takes is dropped when it ends. */
KTEST(proc_startup_handles_are_given_by_name)
{
    static const char args[] = "ipccheck\0startup-child";
    uint32_t base = object_count(), seen;
    struct proc_startup_handle hs[2] = {{.name = "ev"}, {.name = "chan"}};
    struct object *ev, *ours, *theirs;
    struct tk_channel_sizes sz;
    struct tk_exit_info info;
    struct handle_table t;
    char buf[8];
    int pid;

    KT_ASSERT(proc_ktest_ready());
    handle_table_init(&t);
    KT_ASSERT_EQ(event_create(&ev), 0);
    KT_ASSERT_EQ(channel_create(&ours, &theirs), 0);
    object_ref(ev); /* hs[0]'s reference, consumed by the spawn */
    hs[0].obj = ev;
    hs[0].rights = TK_RIGHT_SIGNAL | TK_RIGHT_WAIT;
    hs[1].obj = theirs;
    hs[1].rights = TK_RIGHTS_ALL;
    struct proc_spawn_req req = {.module = "ipccheck.wasm",
                                 .module_len = 13,
                                 .args = args,
                                 .args_len = sizeof(args),
                                 .caps = TK_CAP_CONSOLE,
                                 .handles = hs,
                                 .nhandles = 2};
    KT_ASSERT((pid = proc_spawn_req(&ktest_parent, &req, NULL)) > 0);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, pid, &info, 0), pid);
    KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
    KT_ASSERT_EQ(info.code, 0);
    KT_ASSERT(ev->signals & TK_SIGNAL_SIGNALED);
    KT_ASSERT_EQ(object_wait(ours, TK_SIGNAL_READABLE, 1, &seen), 0);
    KT_ASSERT_EQ(channel_read(ours, buf, sizeof(buf), NULL, 0, &t, &sz), 0);
    KT_ASSERT_EQ(sz.bytes, 2);
    KT_ASSERT_EQ(memcmp(buf, "hi", 2), 0);

    /* refused: a repeated name, an empty one, too many; every reference is consumed */
    static const char *const names[][2] = {{"same", "same"}, {"ok", ""}};
    for (int k = 0; k < 2; k++) {
        struct proc_startup_handle bad[2] = {0};
        for (int i = 0; i < 2; i++) {
            strlcpy(bad[i].name, names[k][i], sizeof(bad[i].name));
            KT_ASSERT_EQ(event_create(&bad[i].obj), 0);
        }
        req.handles = bad;
        KT_ASSERT_EQ(proc_spawn_req(&ktest_parent, &req, NULL), TK_ERR_INVAL);
    }
    struct proc_startup_handle many[TK_STARTUP_MAX_HANDLES + 1];
    for (int i = 0; i <= (int)TK_STARTUP_MAX_HANDLES; i++) {
        many[i] = (struct proc_startup_handle){.rights = TK_RIGHTS_ALL};
        fmt_snprintf(many[i].name, sizeof(many[i].name), "h%d", i);
        KT_ASSERT_EQ(event_create(&many[i].obj), 0);
    }
    req.handles = many;
    req.nhandles = TK_STARTUP_MAX_HANDLES + 1;
    KT_ASSERT_EQ(proc_spawn_req(&ktest_parent, &req, NULL), TK_ERR_RANGE);
    /* never taken: hello takes nothing, and the event goes when it ends */
    KT_ASSERT_EQ(event_create(&many[0].obj), 0);
    req = (struct proc_spawn_req){
        .module = "hello.wasm", .module_len = 10, .handles = many, .nhandles = 1};
    KT_ASSERT((pid = proc_spawn_req(&ktest_parent, &req, NULL)) > 0);
    KT_ASSERT_EQ(proc_wait(&ktest_parent, pid, &info, 0), pid);
    object_unref(ev);
    object_unref(ours);
    handle_table_destroy(&t);
    KT_ASSERT_EQ(proc_count(), 0);
    KT_ASSERT_EQ(object_count(), base);
}
