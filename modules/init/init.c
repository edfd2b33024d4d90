/*
 * init: the supervisor, the first process (the kernel starts it with every capability).
 * It reads the boot manifest, starts each service with the memory and capabilities the
 * manifest grants, then waits for its children: a service that ends is reported and,
 * according to its restart policy, started again after an exponential back-off, until it
 * has been restarted `restarts` times. Policy lives here, not in the kernel.
 *
 * Each service is started connected (process_spawn with a bootstrap channel, and the
 * manifest's `env` as its whole environment): init keeps one end of its bootstrap channel and
 * watches them all on one port. A service's channel closing means it ended (init then reaps it); a
 * message on it is a request to the name service (include/takara/proto/name.proto; the
 * generated code decodes it and refuses a malformed one):
 *
 *   connect NAME  -> a channel to NAME, or TK_ERR_DENIED (NAME is not in the requester's
 *                    `uses`), TK_ERR_NOENT (no such service running)
 *   to NAME       the note `client` (REQUESTER, PID, the server's end of that channel),
 *                 on NAME's bootstrap
 *
 * If the manifest has a service `logd` (the system log, modules/logd), init connects
 * itself to it as a client named init and sends it every line below but the manifest
 * error, as `write` records of the log protocol (never waiting: lines said while logd is
 * not running, or is behind, wait in a small backlog, the oldest dropped first).
 *
 * Device grants (docs/devices.md): the kernel gives init its device roots as startup
 * handles "irq", "ioport", "mmio", "dma"; for each `irq`, `ioport`, `mmio` and `dma` word
 * of a service, init derives a resource from the root of that kind and gives it to the
 * service as a startup handle ("irq0", "ioport0", ...). A grant it cannot derive keeps
 * the service from starting.
 *
 * Orphans: the kernel re-parents to init every process whose parent ended while it ran,
 * and tells init of each on init's own bootstrap channel (struct tk_orphan_note and a
 * handle to the orphan's process). init looks up the service it came from and applies
 * that service's `orphans` policy: `end` (the default) kills it; `adopt` keeps its
 * handle (at most INIT_MAX_ADOPTED at once; beyond that it is ended) until it exits. So
 * an orphan always has someone holding a handle able to end it.
 *
 * Output (one line each, tests grep them):
 *   init: started NAME (pid P)
 *   init: service 'NAME' (pid P) exited with code C | was killed
 *   init: service 'NAME' (pid P) trapped: MESSAGE in FUNC at offset 0xOFF
 *   init: service 'NAME' (pid P) failed to start: ERROR (message)
 *   init: cannot grant GRANT to NAME: ERROR   (like a failed start)
 *   init: restarting NAME in MS ms (restart R of MAX)
 *   init: service 'NAME' failed N times; giving up
 *   init: manifest:LINE: MESSAGE            (then init exits with code 1)
 *   init: orphan P 'NAME' of SERVICE: ended | adopted | ended (adopted too many)
 *   init: adopted orphan P 'NAME' exited with code C | was killed | ...
 */
#include <stdarg.h>
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/manifest.h"
#include "lib/string.h"
#include "proto/log.h"
#include "proto/name.h"

#define INIT_MANIFEST_BYTES 16384
#define INIT_BACKOFF_NS     100000000LL   /* first restart after 100 ms, doubling */
#define INIT_BACKOFF_MAX_NS 10000000000LL /* never wait more than 10 s */
#define INIT_POLL_NS        200000000LL   /* reaping services that closed their channel */
#define INIT_MAX_ADOPTED    32
#define INIT_KEY_ORPHANS    0x100 /* port keys: below, the services' index */
#define INIT_KEY_ADOPTED    0x200 /* + the slot in init_adopted */

/* What init knows of a service beyond its manifest entry. */
struct init_service {
    int32_t pid;        /* while running; 0 otherwise */
    int32_t last_pid;   /* the last one it ran as: whose orphans are whose */
    tk_handle channel;  /* init's end of its bootstrap channel while it runs; 0 otherwise */
    bool pending;       /* to be started at restart_at */
    int64_t restart_at; /* clock_ns */
    uint32_t restarts;  /* restarts done so far */
    int64_t backoff_ns; /* delay before the next restart */
};

static char init_text[INIT_MANIFEST_BYTES];
static struct manifest init_manifest;
static struct init_service init_services[MANIFEST_MAX_SERVICES];
static tk_handle init_port;
static tk_handle init_orphans; /* the kernel's notes on orphans; 0: none */
/* Orphans kept under `orphans = adopt`: their process handles, watched on init_port. */
static struct {
    tk_handle process;
    int32_t pid;
    char name[TK_NAME_MAX];
} init_adopted[INIT_MAX_ADOPTED];

#define INIT_LOG_BACKLOG 16
#define INIT_LOG_LINE    160
static tk_handle init_logd; /* init's channel to logd, while it runs */
static char init_log_lines[INIT_LOG_BACKLOG][INIT_LOG_LINE]; /* lines not yet sent */
static uint32_t init_log_head, init_log_count;

/* Sends the backlog to logd, as far as its queue takes it. */
static void init_log_flush(void)
{
    while (init_logd && init_log_count > 0) {
        const char *rec = init_log_lines[init_log_head];
        int32_t r = log_send_write(init_logd, rec, (uint32_t)strlen(rec));

        if (r == TK_ERR_AGAIN) return; /* logd is behind: the rest waits for the next line */
        if (r < 0) {                   /* logd ended: keep the lines for the next one */
            tk_handle_close(init_logd);
            init_logd = 0;
            return;
        }
        init_log_head = (init_log_head + 1) % INIT_LOG_BACKLOG;
        init_log_count--;
    }
}

/* Prints one line of init's report ("init: LINE") and records it in the system log. */
static void init_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void init_say(const char *fmt, ...)
{
    char line[INIT_LOG_LINE];
    va_list ap;
    uint32_t slot;

    va_start(ap, fmt);
    fmt_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    tk_printf("init: %s\n", line);
    if (init_log_count == INIT_LOG_BACKLOG) { /* full: the oldest line goes */
        init_log_head = (init_log_head + 1) % INIT_LOG_BACKLOG;
        init_log_count--;
    }
    slot = (init_log_head + init_log_count++) % INIT_LOG_BACKLOG;
    memcpy(init_log_lines[slot], line, sizeof line);
    init_log_flush();
}

/* Service i is logd, just started: init becomes its client like any other (the note
 * and the server's end on logd's bootstrap channel), then sends the backlog. */
static void init_log_attach(uint32_t i)
{
    tk_handle ours, theirs;

    if (init_logd) tk_handle_close(init_logd);
    init_logd = 0;
    if (tk_channel_create(&ours, &theirs) < 0) return;
    if (name_send_client(init_services[i].channel, "init", tk_getpid(), theirs) < 0) {
        tk_handle_close(ours);
        return;
    }
    init_logd = ours;
    init_log_flush();
}

/* Reads the whole `manifest` file of the boot image: its length or a negative error. */
static int init_read_manifest(void)
{
    static const char name[] = "manifest";
    size_t len = 0;

    for (;;) {
        int32_t r = tk_bootfs_read(name, sizeof name - 1, (int64_t)len, init_text + len,
                                   (uint32_t)(sizeof init_text - len));

        if (r < 0) return r;
        if (r == 0) return (int)len;
        len += (size_t)r;
        if (len == sizeof init_text) {
            char probe;

            /* Full buffer: fine only if the file ends exactly here. */
            r = tk_bootfs_read(name, sizeof name - 1, (int64_t)len, &probe, 1);
            return r == 0 ? (int)len : TK_ERR_LIMIT;
        }
    }
}

/* ---- device grants (docs/devices.md): init's roots, narrowed as the manifest says ---- */

static tk_handle init_device_roots[TK_RESOURCE_DMA + 1]; /* by kind; 0: not given */

/* The kernel's device roots, startup handles named by their manifest keys. */
static void init_device_roots_take(void)
{
    for (uint32_t kind = TK_RESOURCE_IRQ; kind <= TK_RESOURCE_DMA; kind++)
        if (tk_startup_handle(manifest_grant_word(kind), &init_device_roots[kind]) < 0)
            init_device_roots[kind] = 0;
}

/* svc's grants as startup handles (out[0 .. svc->ngrants)), each a resource derived from
 * init's root of its kind: 0, or the error with nothing left open (*which names the
 * grant that failed). */
static int32_t init_device_grants(const struct manifest_service *svc, struct tk_startup_handle *out,
                                  uint32_t *which)
{
    int32_t r = 0;
    uint32_t i;

    for (i = 0; i < svc->ngrants && r == 0; i++) {
        const struct manifest_grant *g = &svc->grants[i];
        tk_handle root = init_device_roots[g->kind], h;
        char name[TK_STARTUP_NAME_MAX];

        r = root ? tk_resource_derive(root, g->base, g->size, &h) : TK_ERR_ACCESS;
        if (r < 0) break;
        manifest_grant_name(svc, i, name, sizeof name);
        tk_startup_handle_set(&out[i], name, h);
    }
    if (r < 0) {
        *which = i;
        while (i--) tk_handle_close(out[i].handle);
    }
    return r;
}

/* Starts service i now; on failure, handles it like an ended service. */
static void init_start(uint32_t i);
static void init_service_ended(uint32_t i, bool failure);

static void init_start(uint32_t i)
{
    const struct manifest_service *svc = &init_manifest.services[i];
    struct init_service *st = &init_services[i];
    char args[sizeof svc->name + MANIFEST_ARGS_BYTES];
    size_t name_len = strlen(svc->name);
    int32_t pid;

    /* argv[0] is the service's name (what ps shows), then the manifest's arguments. */
    memcpy(args, svc->name, name_len + 1);
    memcpy(args + name_len + 1, svc->args, svc->args_len);
    st->pending = false;
    /* started connected: its bootstrap channel's other end stays here */
    tk_handle theirs, process;
    struct tk_spawn_args sa = {.module = (uint32_t)(uintptr_t)svc->module,
                               .module_len = (uint32_t)strlen(svc->module),
                               .args = (uint32_t)(uintptr_t)args,
                               .args_len = (uint32_t)(name_len + 1 + svc->args_len),
                               .env = (uint32_t)(uintptr_t)svc->env,
                               .env_len = svc->env_len,
                               .caps = svc->caps,
                               .flags = svc->reserve ? TK_SPAWN_RESERVE : 0,
                               .memory_limit = svc->memory};
    struct tk_startup_handle grants[MANIFEST_MAX_GRANTS];
    uint32_t failed = 0;
    if ((pid = init_device_grants(svc, grants, &failed)) < 0) {
        char name[TK_STARTUP_NAME_MAX];
        manifest_grant_name(svc, failed, name, sizeof name);
        init_say("cannot grant %s to %s: %s", name, svc->name, tk_error_name(pid));
        init_service_ended(i, true);
        return;
    }
    sa.handles = (uint32_t)(uintptr_t)grants; /* moved to the child, even on failure */
    sa.nhandles = svc->ngrants;
    pid = tk_channel_create(&st->channel, &theirs);
    if (pid < 0)
        for (uint32_t k = 0; k < svc->ngrants; k++) tk_handle_close(grants[k].handle);
    if (pid == 0) {
        sa.bootstrap = theirs;
        pid = tk_process_spawn(&sa, &process);
        if (pid < 0) tk_handle_close(st->channel);
    }
    if (pid < 0) {
        st->channel = 0;
        init_say("cannot start %s (%s): %s (%s)", svc->name, svc->module, tk_error_name(pid),
                 tk_strerror(pid));
        init_service_ended(i, true);
        return;
    }
    tk_handle_close(process); /* init reaps its services by pid */
    st->pid = st->last_pid = pid;
    if (tk_port_watch(init_port, st->channel, i, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED) < 0)
        tk_printf("init: cannot watch %s's channel\n", svc->name);
    if (!strcmp(svc->name, "logd")) init_log_attach(i);
    init_say("started %s (pid %d)", svc->name, (int)pid);
}

/* Service i's channel: requests, or its end. */
static void init_channel_event(uint32_t i, uint32_t signals);

/* Decides what happens after service i ended (failure: it did not end normally). */
static void init_service_ended(uint32_t i, bool failure)
{
    const struct manifest_service *svc = &init_manifest.services[i];
    struct init_service *st = &init_services[i];
    bool restart = svc->restart == MANIFEST_RESTART_ALWAYS ||
                   (svc->restart == MANIFEST_RESTART_ON_TRAP && failure);

    st->pid = 0;
    if (st->channel) {
        tk_port_unwatch(init_port, i);
        tk_handle_close(st->channel);
        st->channel = 0;
    }
    if (!restart) return;
    if (st->restarts >= svc->max_restarts) {
        init_say("service '%s' failed %u times; giving up", svc->name, (unsigned)st->restarts + 1);
        return;
    }
    st->restarts++;
    init_say("restarting %s in %d ms (restart %u of %u)", svc->name,
             (int)(st->backoff_ns / 1000000), (unsigned)st->restarts, (unsigned)svc->max_restarts);
    st->pending = true;
    st->restart_at = tk_clock_ns() + st->backoff_ns;
    st->backoff_ns =
        st->backoff_ns * 2 > INIT_BACKOFF_MAX_NS ? INIT_BACKOFF_MAX_NS : st->backoff_ns * 2;
}

/* Reports how a child ended and applies its service's policy. */
static void init_child_ended(const struct tk_exit_info *info)
{
    char what[128];
    bool failure = info->reason != TK_EXIT_NORMAL;
    uint32_t i;

    if (info->reason == TK_EXIT_KILLED)
        fmt_snprintf(what, sizeof what, "was killed");
    else
        tk_exit_describe(info, what, sizeof what);
    for (i = 0; i < init_manifest.nservices; i++) {
        if (init_services[i].pid == info->pid) {
            init_say("service '%s' (pid %d) %s", init_manifest.services[i].name, (int)info->pid,
                     what);
            /* A kill is deliberate: restart it only under `always`. */
            init_service_ended(i, failure && info->reason != TK_EXIT_KILLED);
            return;
        }
    }
    init_say("process %d %s", (int)info->pid, what);
}

/* Starts the services whose back-off has passed; returns the earliest pending restart
 * time, or -1 if none is pending. *running counts the services alive. */
static int64_t init_start_due(uint32_t *running)
{
    int64_t next = -1;

    for (uint32_t i = 0; i < init_manifest.nservices; i++) {
        struct init_service *st = &init_services[i];

        if (st->pending && st->restart_at <= tk_clock_ns()) init_start(i);
        if (st->pending && (next < 0 || st->restart_at < next)) next = st->restart_at;
    }
    *running = 0;
    for (uint32_t i = 0; i < init_manifest.nservices; i++) *running += init_services[i].pid != 0;
    return next;
}

/* `connect` from service *from (ctx): a channel to the service named, if its `uses`
 * lists it. */
static int32_t init_connect(void *ctx, tk_handle channel, const struct name_connect_request *rq,
                            struct name_connect_reply *rp)
{
    uint32_t from = *(const uint32_t *)ctx, t;
    const struct manifest_service *req = &init_manifest.services[from];
    tk_handle theirs;
    int32_t r;

    for (t = 0; t < init_manifest.nservices; t++)
        if (!strcmp(init_manifest.services[t].name, rq->service)) break;
    /* unknown names and names the manifest does not grant look the same */
    if (t == init_manifest.nservices || !(req->uses & (1u << t))) return TK_ERR_DENIED;
    if (!init_services[t].channel) return TK_ERR_NOENT;
    if ((r = tk_channel_create(&rp->channel, &theirs)) < 0) return r;
    r = name_send_client(init_services[t].channel, req->name, init_services[from].pid, theirs);
    if (r < 0) return r; /* the generated code closes rp->channel */
    return 0;
}

static const struct name_server init_name_service = {.connect = init_connect};

static void init_channel_event(uint32_t i, uint32_t signals)
{
    struct init_service *st = &init_services[i];
    static uint8_t msg[TK_PROTO_MAX_MSG], reply[TK_PROTO_MAX_MSG];
    tk_handle hs[TK_PROTO_MAX_HANDLES], rh[TK_PROTO_MAX_HANDLES];
    struct tk_channel_sizes sz;
    struct tk_exit_info info;
    int32_t r;

    while (st->channel && (r = tk_channel_read(st->channel, msg, sizeof msg, hs,
                                               TK_PROTO_MAX_HANDLES, &sz)) != TK_ERR_AGAIN) {
        uint32_t len = 0, nh = 0;

        if (r == TK_ERR_BUFFER_TOO_SMALL) { /* no request is that big: it goes, with st */
            r = TK_ERR_RANGE;
            tk_channel_write(st->channel, &r, sizeof r, NULL, 0);
            tk_port_unwatch(init_port, i);
            tk_handle_close(st->channel);
            st->channel = 0;
            break;
        }
        if (r < 0) break; /* PEER_CLOSED: the service is ending */
        r = name_dispatch(&init_name_service, &i, st->channel, msg, sz.bytes, hs, sz.handles, reply,
                          sizeof reply, &len, rh, &nh);
        if (r == TK_PROTO_NO_REPLY) continue;
        if (r < 0) {
            memcpy(reply, &r, sizeof r);
            len = sizeof r;
        }
        tk_channel_write(st->channel, reply, len, rh, nh); /* the handles go, sent or not */
    }
    if (!(signals & TK_SIGNAL_PEER_CLOSED) || !st->pid) return;
    /* its handles are closed as it ends: reap it (briefly waiting for the kernel to finish) */
    r = tk_wait(st->pid, &info, 1000000000LL);
    if (r == st->pid) {
        init_child_ended(&info);
        return;
    }
    /* alive without its channel: the main loop polls for its end from now on */
    tk_port_unwatch(init_port, i);
    tk_handle_close(st->channel);
    st->channel = 0;
}

/* What init does with one orphan (its note and process handle) by its service's policy. */
static void init_orphan(const struct tk_orphan_note *note, tk_handle process)
{
    const char *service = "?";
    uint8_t policy = MANIFEST_ORPHANS_END;
    char who[64];

    for (uint32_t i = 0; i < init_manifest.nservices; i++) {
        if (init_services[i].last_pid == note->service) {
            service = init_manifest.services[i].name;
            policy = init_manifest.services[i].orphans;
        }
    }
    fmt_snprintf(who, sizeof who, "orphan %d '%.*s' of %s", (int)note->pid, TK_NAME_MAX, note->name,
                 service);
    if (policy == MANIFEST_ORPHANS_ADOPT) {
        for (uint32_t k = 0; k < INIT_MAX_ADOPTED; k++) {
            if (init_adopted[k].process) continue;
            if (tk_port_watch(init_port, process, INIT_KEY_ADOPTED + k, TK_SIGNAL_PROCESS_EXITED) <
                0)
                break;
            init_adopted[k].process = process;
            init_adopted[k].pid = note->pid;
            memcpy(init_adopted[k].name, note->name, TK_NAME_MAX);
            init_say("%s: adopted", who);
            return;
        }
    }
    tk_process_kill(process); /* the kernel reaps it as it ends: nobody waits for orphans */
    tk_handle_close(process);
    init_say("%s: ended%s", who, policy == MANIFEST_ORPHANS_ADOPT ? " (adopted too many)" : "");
}

/* Reads every note waiting on init's bootstrap channel. */
static void init_orphans_event(void)
{
    struct tk_orphan_note note;
    struct tk_channel_sizes sz;
    tk_handle h[1];
    int32_t r;

    while ((r = tk_channel_read(init_orphans, &note, sizeof note, h, 1, &sz)) != TK_ERR_AGAIN) {
        if (r < 0) { /* only the kernel writes here: a channel gone is no use any more */
            tk_port_unwatch(init_port, INIT_KEY_ORPHANS);
            tk_handle_close(init_orphans);
            init_orphans = 0;
            return;
        }
        if (sz.bytes == sizeof note && sz.handles == 1)
            init_orphan(&note, h[0]);
        else if (sz.handles == 1)
            tk_handle_close(h[0]);
    }
}

/* An adopted orphan ended: say how, and let its handle go. */
static void init_adopted_event(uint32_t k)
{
    struct tk_process_status st = {0};
    char what[128] = "ended";

    if (k >= INIT_MAX_ADOPTED || !init_adopted[k].process) return;
    if (tk_process_status(init_adopted[k].process, &st) == 0 && st.exit.reason == TK_EXIT_KILLED)
        fmt_snprintf(what, sizeof what, "was killed");
    else if (st.state == TK_PROC_ENDED)
        tk_exit_describe(&st.exit, what, sizeof what);
    init_say("adopted orphan %d '%.*s' %s", (int)init_adopted[k].pid, TK_NAME_MAX,
             init_adopted[k].name, what);
    tk_port_unwatch(init_port, INIT_KEY_ADOPTED + k);
    tk_handle_close(init_adopted[k].process);
    init_adopted[k].process = 0;
}

int main(int argc, char **argv)
{
    struct manifest_error err;
    int len = init_read_manifest();

    if (len < 0) {
        tk_printf("init: cannot read the manifest: %s (%s)\n", tk_error_name(len),
                  tk_strerror(len));
        return 1;
    }
    if (manifest_parse(init_text, (size_t)len, &init_manifest, &err) < 0) {
        tk_printf("init: manifest:%u: %s\n", (unsigned)err.line, err.message);
        return 1;
    }
    if (tk_port_create(&init_port) < 0) {
        tk_puts("init: cannot create its port");
        return 1;
    }
    /* the kernel's notes on orphans; with the channel closed, the kernel ends them */
    if (tk_bootstrap_take(&init_orphans) == 0 &&
        tk_port_watch(init_port, init_orphans, INIT_KEY_ORPHANS,
                      TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED) < 0) {
        tk_handle_close(init_orphans);
        init_orphans = 0;
    }
    init_device_roots_take();
    for (uint32_t i = 0; i < init_manifest.nservices; i++) {
        init_services[i].backoff_ns = INIT_BACKOFF_NS;
        init_start(i);
    }
    for (;;) {
        struct tk_port_packet pk;
        struct tk_exit_info info;
        uint32_t running;
        int64_t next = init_start_due(&running), timeout = -1;
        int32_t r;

        for (uint32_t k = 0; k < INIT_MAX_ADOPTED; k++) running += init_adopted[k].process != 0;
        if (running == 0 && next < 0) {
            tk_puts("init: no services left");
            return 0;
        }
        if (next >= 0) {
            timeout = next - tk_clock_ns();
            if (timeout <= 0) continue;
        }
        for (uint32_t i = 0; i < init_manifest.nservices; i++)
            if (init_services[i].pid && !init_services[i].channel &&
                (timeout < 0 || timeout > INIT_POLL_NS))
                timeout = INIT_POLL_NS;
        r = tk_port_wait(init_port, &pk, timeout);
        if (r == 0 && pk.key < init_manifest.nservices)
            init_channel_event((uint32_t)pk.key, pk.signals);
        else if (r == 0 && pk.key == INIT_KEY_ORPHANS)
            init_orphans_event();
        else if (r == 0 && pk.key >= INIT_KEY_ADOPTED)
            init_adopted_event((uint32_t)(pk.key - INIT_KEY_ADOPTED));
        /* children that ended without a channel to tell (a service that closed it) */
        while ((r = tk_wait(-1, &info, 0)) > 0) init_child_ended(&info);
    }
}
