/*
 * The shell's commands. A line is split into words (double quotes group, as in the boot
 * manifest: manifest_split_args), the first word names the command. Children get the
 * shell's own capabilities minus power, so nothing the shell starts can turn the machine
 * off; `run` waits for its child unless the line ends in `&` (Ctrl-C kills a foreground
 * child), and background children are reported before the next prompt.
 *
 * Environment: the shell's variables start as its own environment (the manifest's `env`)
 * and change with `set NAME=value` and `unset NAME`; `env` lists them. A child gets
 * them, plus the `NAME=value` words written before the module name on its `run` line,
 * and nothing else.
 *
 * A program run in the foreground is started connected (spawn_connected) and the shell
 * answers the name service's `connect` on its bootstrap channel (tk_service_relay) by asking
 * init itself: the program may reach the services the shell's manifest entry `uses`, as it
 * gets at most the shell's capabilities. A background program's channel is closed at
 * once (its connect requests see PEER_CLOSED).
 *
 * Jobs: the shell keeps the process handle of every child until it has reported its
 * end; `kill PID` and Ctrl-C end a child through that handle, so the shell can end what
 * it started and nothing else (its children's children are init's to end once their
 * parent is gone: docs/processes.md).
 *
 * Reports: `[pid N] exited with code C` (only when C != 0 in the foreground), `[pid N]
 * trapped: MESSAGE in FUNC at offset 0xOFF`, `[pid N] killed`, `[pid N] done` (background,
 * code 0), `[pid N] failed to start: ERROR (message)`.
 */
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/manifest.h"
#include "lib/string.h"
#include "modules/shell/shell.h"

#define COMMANDS_MAX_ARGS    32
#define COMMANDS_MAX_PROCS   64
#define COMMANDS_POLL_NS     50000000LL /* how often a foreground wait looks for Ctrl-C */
#define COMMANDS_DEFAULT_MEM (1024 * 1024)
#define COMMANDS_ENV_BYTES   1024
#define COMMANDS_MAX_JOBS    32

struct commands_args {
    char buf[SHELL_LINE_MAX];
    char *argv[COMMANDS_MAX_ARGS + 1];
    uint32_t argc;
};

static uint32_t commands_child_caps = TK_CAP_CONSOLE;
static struct tk_proc_info commands_procs[COMMANDS_MAX_PROCS];
static char commands_env[COMMANDS_ENV_BYTES]; /* NAME=value strings, each NUL-terminated */
static uint32_t commands_env_len;
static struct {
    int32_t pid; /* 0: a free slot */
    tk_handle process;
} commands_jobs[COMMANDS_MAX_JOBS];

/* The slot of job pid (0: a free slot), or -1. */
static int commands_job_find(int32_t pid)
{
    for (int k = 0; k < COMMANDS_MAX_JOBS; k++)
        if (commands_jobs[k].pid == pid) return k;
    return -1;
}

/* Job pid is over (reported, or no longer waited for): its handle goes. */
static void commands_job_release(int32_t pid)
{
    int k = pid > 0 ? commands_job_find(pid) : -1;

    if (k < 0) return;
    tk_handle_close(commands_jobs[k].process);
    commands_jobs[k].pid = 0;
}

/* Ends job pid through its process handle: 0 or an error (NOENT: not the shell's). */
static int32_t commands_job_kill(int32_t pid)
{
    int k = pid > 0 ? commands_job_find(pid) : -1;

    return k < 0 ? TK_ERR_NOENT : tk_process_kill(commands_jobs[k].process);
}

static void commands_error(const char *what, int err)
{
    tk_printf("shell: %s: %s (%s)\n", what, tk_error_name(err), tk_strerror(err));
}

/* Removes variable `name` (n bytes) from the block env[*len]. */
static void env_unset(char *env, uint32_t *len, const char *name, size_t n)
{
    for (uint32_t at = 0; at < *len;) {
        uint32_t size = (uint32_t)strlen(env + at) + 1;
        if (!strncmp(env + at, name, n) && env[at + n] == '=') {
            memmove(env + at, env + at + size, *len - at - size);
            *len -= size;
        } else {
            at += size;
        }
    }
}

/* Sets the NAME=value `word` in the block env[*len] (cap bytes): false if it is no such
 * word or there is no room. */
static bool env_set(char *env, uint32_t *len, uint32_t cap, const char *word)
{
    size_t n, size = strlen(word) + 1;

    if (!manifest_env_word(word, &n)) return false;
    env_unset(env, len, word, n);
    if (*len + size > cap) return false;
    memcpy(env + *len, word, size);
    *len += (uint32_t)size;
    return true;
}

void commands_init(void)
{
    int32_t me = tk_getpid(), n = tk_proc_list(commands_procs, COMMANDS_MAX_PROCS);
    int32_t env = tk_env_get(commands_env, sizeof commands_env);

    commands_env_len = env > 0 && env <= (int32_t)sizeof commands_env ? (uint32_t)env : 0;

    /* Without sysinfo the shell cannot see its own caps: console is the safe guess. */
    for (int32_t i = 0; i < n && i < COMMANDS_MAX_PROCS; i++) {
        if (commands_procs[i].pid == me)
            commands_child_caps = commands_procs[i].caps & ~TK_CAP_POWER;
    }
}

/* Prints how a child ended (`quiet_ok`: not for exit code 0) and logs it. */
static void commands_report(const struct tk_exit_info *info, bool quiet_ok)
{
    char what[128];

    commands_job_release(info->pid);

    if (info->reason == TK_EXIT_NORMAL && info->code == 0)
        fmt_snprintf(what, sizeof what, "done");
    else
        tk_exit_describe(info, what, sizeof what);
    if (!(quiet_ok && info->reason == TK_EXIT_NORMAL && info->code == 0))
        tk_printf("[pid %d] %s\n", (int)info->pid, what);
    log_record("[pid %d] %s", (int)info->pid, what);
}

void commands_reap(void)
{
    struct tk_exit_info info;

    while (tk_wait(-1, &info, 0) > 0) commands_report(&info, false);
}

/* Formats a byte count compactly: "2M" when whole MiB, else KiB ("192K"). */
static void commands_size(char *buf, size_t size, uint64_t bytes)
{
    if (bytes % (1024 * 1024) == 0)
        fmt_snprintf(buf, size, "%lluM", (unsigned long long)(bytes >> 20));
    else
        fmt_snprintf(buf, size, "%lluK", (unsigned long long)((bytes + 1023) >> 10));
}

static void commands_ps(const struct commands_args *a)
{
    static const char *const states[] = {"starting", "running", "blocked", "zombie"};
    int32_t n = tk_proc_list(commands_procs, COMMANDS_MAX_PROCS);

    if (n < 0) {
        commands_error("ps", n);
        return;
    }
    tk_printf("%5s %5s %-8s %7s %7s %7s %8s %s\n", "PID", "PPID", "STATE", "MEM", "KMEM", "LIMIT",
              "CPU(ms)", "NAME");
    for (int32_t i = 0; i < n && i < COMMANDS_MAX_PROCS; i++) {
        const struct tk_proc_info *p = &commands_procs[i];
        char mem[16], kmem[16], limit[16];

        commands_size(mem, sizeof mem, p->memory_bytes);
        commands_size(kmem, sizeof kmem, p->kernel_bytes);
        commands_size(limit, sizeof limit, p->memory_limit);
        tk_printf("%5d %5d %-8s %7s %7s %7s %8llu %.*s\n", (int)p->pid, (int)p->ppid,
                  p->state < 4 ? states[p->state] : "?", mem, kmem, limit,
                  (unsigned long long)(p->cpu_ns / 1000000), TK_NAME_MAX, p->name);
    }
    if (n > COMMANDS_MAX_PROCS) tk_printf("(%d more not shown)\n", (int)(n - COMMANDS_MAX_PROCS));
}

/* Waits for a foreground child, killing it on Ctrl-C and answering its requests on
 * `channel` (0: none), then reports it. */
static void commands_wait(int32_t pid, tk_handle channel)
{
    struct tk_exit_info info;

    for (;;) {
        int32_t r;

        if (channel) {
            uint32_t seen = 0;

            tk_object_wait_one(channel, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED,
                               COMMANDS_POLL_NS, &seen);
            bool usable = !(seen & TK_SIGNAL_READABLE) || tk_service_relay(channel);

            if (!usable || (seen & TK_SIGNAL_PEER_CLOSED)) { /* the child ended or dropped it */
                tk_handle_close(channel);
                channel = TK_HANDLE_INVALID;
            }
            r = tk_wait(pid, &info, 0);
        } else {
            r = tk_wait(pid, &info, COMMANDS_POLL_NS);
        }

        if (r == TK_ERR_TIMEOUT) {
            if (line_poll_interrupt()) {
                tk_puts("^C");
                commands_job_kill(pid);
            }
            continue;
        }
        if (r < 0) {
            commands_error("wait", r);
            commands_job_release(pid);
            break;
        }
        commands_report(&info, true);
        break;
    }
    if (channel) tk_handle_close(channel);
}

static void commands_run_module(const struct commands_args *a)
{
    static char env[COMMANDS_ENV_BYTES];
    uint64_t memory = COMMANDS_DEFAULT_MEM;
    uint32_t first = 1, last = a->argc, env_len = commands_env_len;
    struct tk_spawn_args sa;
    char module[64];
    const char *name;
    size_t n;
    tk_handle process;
    int32_t pid;
    tk_handle channel, child_end;
    bool background = a->argc > 1 && strcmp(a->argv[a->argc - 1], "&") == 0;

    if (background) last--;
    if (first + 1 < last && strcmp(a->argv[first], "-m") == 0) {
        if (!tk_parse_size(a->argv[first + 1], &memory)) {
            tk_printf("shell: run: bad memory size '%s'\n", a->argv[first + 1]);
            return;
        }
        first += 2;
    }
    /* the shell's variables, then NAME=value words before the module name */
    memcpy(env, commands_env, commands_env_len);
    for (; first < last && manifest_env_word(a->argv[first], &n); first++) {
        if (!env_set(env, &env_len, sizeof env, a->argv[first])) {
            tk_puts("shell: run: environment too large");
            return;
        }
    }
    if (first >= last) {
        tk_puts("usage: run [-m SIZE] [NAME=value...] MODULE [ARGS...] [&]");
        return;
    }
    /* `hello` means the boot-image file hello.wasm; argv[0] stays as typed. */
    name = a->argv[first];
    if (fmt_snprintf(module, sizeof module, "%s", name) >= (int)sizeof module - 5) {
        tk_printf("shell: run: module name too long\n");
        return;
    }
    if (strlen(name) < 5 || strcmp(name + strlen(name) - 5, ".wasm") != 0)
        memcpy(module + strlen(module), ".wasm", 6);
    /* A bootstrap channel for the name-service relay (a background program's is closed
     * at once: its requests see PEER_CLOSED). */
    int slot = commands_job_find(0);

    if (slot < 0) {
        tk_printf("shell: run: %d jobs already running\n", COMMANDS_MAX_JOBS);
        return;
    }
    if ((pid = tk_channel_create(&channel, &child_end)) < 0) {
        tk_printf("shell: run: %s (%s)\n", tk_error_name(pid), tk_strerror(pid));
        return;
    }
    /* The words are consecutive NUL-terminated strings already: pass them as they are. */
    sa = (struct tk_spawn_args){
        .module = (uint32_t)(uintptr_t)module,
        .module_len = (uint32_t)strlen(module),
        .args = (uint32_t)(uintptr_t)name,
        .args_len = (uint32_t)(a->argv[last - 1] + strlen(a->argv[last - 1]) + 1 - name),
        .env = (uint32_t)(uintptr_t)env,
        .env_len = env_len,
        .caps = commands_child_caps,
        .memory_limit = memory,
        .bootstrap = child_end, /* moved, even on failure */
    };
    pid = tk_process_spawn(&sa, &process);
    if (pid < 0) {
        tk_handle_close(channel);
        tk_printf("shell: run: %s: %s (%s)\n", module, tk_error_name(pid), tk_strerror(pid));
        return;
    }
    log_record("run %s: pid %d%s", module, (int)pid, background ? " (background)" : "");
    commands_jobs[slot].pid = pid; /* waited for by pid, killed through the handle */
    commands_jobs[slot].process = process;
    if (background) {
        tk_handle_close(channel);
        tk_printf("[pid %d]\n", (int)pid);
    } else {
        commands_wait(pid, channel);
    }
}

static void commands_set(const struct commands_args *a)
{
    if (a->argc < 2) {
        tk_puts("usage: set NAME=value...");
        return;
    }
    for (uint32_t i = 1; i < a->argc; i++)
        if (!env_set(commands_env, &commands_env_len, sizeof commands_env, a->argv[i]))
            tk_printf("shell: set: '%s' is not NAME=value, or no room\n", a->argv[i]);
}

static void commands_unset(const struct commands_args *a)
{
    if (a->argc < 2) {
        tk_puts("usage: unset NAME...");
        return;
    }
    for (uint32_t i = 1; i < a->argc; i++)
        env_unset(commands_env, &commands_env_len, a->argv[i], strlen(a->argv[i]));
}

static void commands_env_list(const struct commands_args *a)
{
    for (uint32_t at = 0; at < commands_env_len; at += (uint32_t)strlen(commands_env + at) + 1)
        tk_puts(commands_env + at);
}

static void commands_kill(const struct commands_args *a)
{
    int64_t pid;
    int32_t r;

    if (a->argc != 2 || !tk_parse_int(a->argv[1], &pid) || pid <= 0 || pid > INT32_MAX) {
        tk_puts("usage: kill PID");
        return;
    }
    r = commands_job_kill((int32_t)pid);
    if (r < 0) commands_error("kill", r);
}

static void commands_handles(const struct commands_args *a)
{
    static const char *const types[] = {"none", "event",  "channel", "timer",
                                        "port", "memory", "process", "thread"};
    const uint32_t ntypes = sizeof types / sizeof types[0];
    static struct tk_handle_entry list[64];
    int64_t pid;
    int32_t n;

    if (a->argc != 2 || !tk_parse_int(a->argv[1], &pid) || pid <= 0 || pid > INT32_MAX) {
        tk_puts("usage: handles PID");
        return;
    }
    n = tk_proc_handles((int32_t)pid, list, 64);
    if (n < 0) {
        commands_error("handles", n);
        return;
    }
    tk_puts("  HANDLE     TYPE      KOID RIGHTS");
    for (int32_t i = 0; i < n && i < 64; i++) {
        char rights[64] = "";
        size_t len = 0;
#define TK_RIGHT(name, bit, word)                                                                  \
    if (list[i].rights & (1u << (bit)))                                                            \
        len +=                                                                                     \
            (size_t)fmt_snprintf(rights + len, sizeof rights - len, "%s%s", len ? "," : "", word);
#include <takara/rights.def>
#undef TK_RIGHT
        tk_printf("  %08x %-8s %6llu %s\n", (unsigned)list[i].handle,
                  list[i].type < ntypes ? types[list[i].type] : "?",
                  (unsigned long long)list[i].koid, rights);
    }
    if (n > 64) tk_printf("  ... and %d more\n", (int)(n - 64));
}

static void commands_mem(const struct commands_args *a)
{
    struct tk_mem_info m;
    struct tk_kernel_stats k;
    int32_t r = tk_mem_info(&m);

    if (r == 0) r = tk_kernel_stats(&k);
    if (r < 0) {
        commands_error("mem", r);
        return;
    }
    tk_printf("memory: total %llu KiB, free %llu KiB, processes %llu KiB (%u processes)\n",
              (unsigned long long)(m.total_bytes >> 10), (unsigned long long)(m.free_bytes >> 10),
              (unsigned long long)(m.process_bytes >> 10), (unsigned)m.processes);
    tk_printf("charged: %llu KiB of kernel memory to processes; reserve %llu KiB\n",
              (unsigned long long)(m.process_kernel_bytes >> 10),
              (unsigned long long)(m.reserve_bytes >> 10));
    r = tk_proc_list(commands_procs, COMMANDS_MAX_PROCS);
    for (int32_t i = 0; i < r && i < COMMANDS_MAX_PROCS; i++)
        tk_printf("  %5d %-16.*s linear %6llu KiB, kernel %6llu KiB\n", (int)commands_procs[i].pid,
                  TK_NAME_MAX, commands_procs[i].name,
                  (unsigned long long)(commands_procs[i].memory_bytes >> 10),
                  (unsigned long long)(commands_procs[i].kernel_bytes >> 10));
    tk_printf("kernel: heap %llu KiB in %u blocks, %u objects, %u threads\n",
              (unsigned long long)(k.heap_bytes >> 10), (unsigned)k.heap_blocks,
              (unsigned)k.objects, (unsigned)k.threads);
}

static void commands_uptime(const struct commands_args *a)
{
    int64_t ms = tk_clock_ns() / 1000000;

    tk_printf("up %lld.%03lld s\n", (long long)(ms / 1000), (long long)(ms % 1000));
}

static void commands_echo(const struct commands_args *a)
{
    for (uint32_t i = 1; i < a->argc; i++) tk_printf(i + 1 < a->argc ? "%s " : "%s", a->argv[i]);
    tk_write("\n", 1);
}

static void commands_poweroff(const struct commands_args *a)
{
    int64_t code = 0;

    if (a->argc > 2 || (a->argc == 2 && !tk_parse_int(a->argv[1], &code))) {
        tk_puts("usage: poweroff [CODE]");
        return;
    }
    tk_poweroff((int32_t)code);
    tk_puts("shell: poweroff: not allowed"); /* returns only if refused */
}

static void commands_help(const struct commands_args *a);

static void commands_log(const struct commands_args *a)
{
    log_command((int)a->argc, a->argv);
}

static const struct {
    const char *name, *usage;
    void (*run)(const struct commands_args *a);
} commands[] = {
    {"help", "help                             this list", commands_help},
    {"ps", "ps                               processes", commands_ps},
    {"run",
     "run [-m SIZE] [NAME=value] MODULE [ARGS] [&]\n"
     "                                 start MODULE.wasm (& : in background)",
     commands_run_module},
    {"set", "set NAME=value...                set variables children get", commands_set},
    {"unset", "unset NAME...                    remove variables", commands_unset},
    {"env", "env                              list the variables", commands_env_list},
    {"kill", "kill PID                         end a process", commands_kill},
    {"handles", "handles PID                      a process's handles and rights",
     commands_handles},
    {"mem", "mem                              memory figures", commands_mem},
    {"uptime", "uptime                           time since boot", commands_uptime},
    {"log", "log [stat]                       the system log (logd)", commands_log},
    {"echo", "echo ARGS...                     print the arguments", commands_echo},
    {"poweroff", "poweroff [CODE]                  turn the machine off", commands_poweroff},
};

static void commands_help(const struct commands_args *a)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) tk_puts(commands[i].usage);
    tk_puts("keys: arrows, Home/End, Ctrl-A/E/U, Ctrl-C; up/down: history");
}

void commands_run(char *line)
{
    static struct commands_args a;
    const char *reason = NULL;
    uint32_t len, pos = 0;
    int r = manifest_split_args(line, strlen(line), a.buf, sizeof a.buf, COMMANDS_MAX_ARGS, &len,
                                &a.argc, &reason);

    if (r < 0) {
        tk_printf("shell: %s\n", reason != NULL ? reason : tk_strerror(r));
        return;
    }
    if (a.argc == 0) return;
    for (uint32_t i = 0; i < a.argc; i++) {
        a.argv[i] = a.buf + pos;
        pos += (uint32_t)strlen(a.buf + pos) + 1;
    }
    a.argv[a.argc] = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(a.argv[0], commands[i].name) == 0) {
            commands[i].run(&a);
            return;
        }
    }
    tk_printf("shell: unknown command '%s' (try help)\n", a.argv[0]);
}
