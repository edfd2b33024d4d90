/*
 * init: the supervisor, the first process (the kernel starts it with every capability).
 * It reads the boot manifest, starts each service with the memory and capabilities the
 * manifest grants, then waits for its children: a service that ends is reported and,
 * according to its restart policy, started again after an exponential back-off, until it
 * has been restarted `restarts` times. Policy lives here, not in the kernel.
 *
 * Output (one line each, tests grep them):
 *   init: started NAME (pid P)
 *   init: service 'NAME' (pid P) exited with code C | was killed
 *   init: service 'NAME' (pid P) trapped: MESSAGE in FUNC at offset 0xOFF
 *   init: service 'NAME' (pid P) failed to start: ERROR (message)
 *   init: restarting NAME in MS ms (restart R of MAX)
 *   init: service 'NAME' failed N times; giving up
 *   init: manifest:LINE: MESSAGE            (then init exits with code 1)
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/manifest.h"
#include "lib/string.h"

#define INIT_MANIFEST_BYTES 16384
#define INIT_BACKOFF_NS     100000000LL   /* first restart after 100 ms, doubling */
#define INIT_BACKOFF_MAX_NS 10000000000LL /* never wait more than 10 s */

/* What init knows of a service beyond its manifest entry. */
struct init_service {
    int32_t pid;        /* while running; 0 otherwise */
    bool pending;       /* to be started at restart_at */
    int64_t restart_at; /* clock_ns */
    uint32_t restarts;  /* restarts done so far */
    int64_t backoff_ns; /* delay before the next restart */
};

static char init_text[INIT_MANIFEST_BYTES];
static struct manifest init_manifest;
static struct init_service init_services[MANIFEST_MAX_SERVICES];

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
    pid = tk_spawn(svc->module, (uint32_t)strlen(svc->module), args,
                   (uint32_t)(name_len + 1 + svc->args_len), (int64_t)svc->memory, svc->caps);
    if (pid < 0) {
        tk_printf("init: cannot start %s (%s): %s (%s)\n", svc->name, svc->module,
                  tk_error_name(pid), tk_strerror(pid));
        init_service_ended(i, true);
        return;
    }
    st->pid = pid;
    tk_printf("init: started %s (pid %d)\n", svc->name, (int)pid);
}

/* Decides what happens after service i ended (failure: it did not end normally). */
static void init_service_ended(uint32_t i, bool failure)
{
    const struct manifest_service *svc = &init_manifest.services[i];
    struct init_service *st = &init_services[i];
    bool restart = svc->restart == MANIFEST_RESTART_ALWAYS ||
                   (svc->restart == MANIFEST_RESTART_ON_TRAP && failure);

    st->pid = 0;
    if (!restart) return;
    if (st->restarts >= svc->max_restarts) {
        tk_printf("init: service '%s' failed %u times; giving up\n", svc->name,
                  (unsigned)st->restarts + 1);
        return;
    }
    st->restarts++;
    tk_printf("init: restarting %s in %d ms (restart %u of %u)\n", svc->name,
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

    switch (info->reason) {
    case TK_EXIT_NORMAL:
        fmt_snprintf(what, sizeof what, "exited with code %d", (int)info->code);
        break;
    case TK_EXIT_TRAP: {
        char trap[96];

        tk_trap_describe(info, trap, sizeof trap);
        fmt_snprintf(what, sizeof what, "trapped: %s", trap);
        break;
    }
    case TK_EXIT_KILLED: fmt_snprintf(what, sizeof what, "was killed"); break;
    case TK_EXIT_FAILED:
        fmt_snprintf(what, sizeof what, "failed to start: %s (%s)", tk_error_name(info->code),
                     tk_strerror(info->code));
        break;
    default: fmt_snprintf(what, sizeof what, "ended (reason %u)", (unsigned)info->reason); break;
    }
    for (i = 0; i < init_manifest.nservices; i++) {
        if (init_services[i].pid == info->pid) {
            tk_printf("init: service '%s' (pid %d) %s\n", init_manifest.services[i].name,
                      (int)info->pid, what);
            /* A kill is deliberate: restart it only under `always`. */
            init_service_ended(i, failure && info->reason != TK_EXIT_KILLED);
            return;
        }
    }
    tk_printf("init: process %d %s\n", (int)info->pid, what);
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
    for (uint32_t i = 0; i < init_manifest.nservices; i++) {
        init_services[i].backoff_ns = INIT_BACKOFF_NS;
        init_start(i);
    }
    for (;;) {
        struct tk_exit_info info;
        uint32_t running;
        int64_t next = init_start_due(&running), timeout = -1;
        int32_t r;

        if (running == 0 && next < 0) {
            tk_puts("init: no services left");
            return 0;
        }
        if (next >= 0) {
            timeout = next - tk_clock_ns();
            if (timeout <= 0) continue;
        }
        r = tk_wait(-1, &info, timeout);
        if (r == TK_ERR_TIMEOUT) continue;
        if (r == TK_ERR_NOENT) {
            /* No child alive: only pending restarts remain (or the kernel lost a child). */
            for (uint32_t i = 0; i < init_manifest.nservices; i++) init_services[i].pid = 0;
            if (next >= 0 && next > tk_clock_ns()) tk_sleep_ns(next - tk_clock_ns());
            continue;
        }
        if (r < 0) {
            tk_printf("init: wait: %s (%s)\n", tk_error_name(r), tk_strerror(r));
            tk_sleep_ns(INIT_BACKOFF_NS);
            continue;
        }
        init_child_ended(&info);
    }
}
