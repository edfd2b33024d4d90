/*
 * The shell and the system log (logd, docs/services.md): the shell records the jobs it
 * starts and how they end, and the `log` command prints the log. The channel to logd
 * comes from init's name service (the shell's manifest entry lists logd under `uses`);
 * when logd has been restarted the shell connects again.
 */
#include <stdarg.h>
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"
#include "modules/shell/shell.h"

#define LOG_RETRIES    20         /* while init restarts logd (its back-off starts at 100 ms) */
#define LOG_RETRY_NS   50000000LL /* between tries */
#define LOG_LINE_BYTES 200        /* logd's longest record */

static tk_handle log_channel;

/* A channel to logd; `patient`: wait for a restarting logd for up to a second. */
static int32_t log_connect(bool patient)
{
    int32_t r = 0;

    for (int i = 0; !log_channel; i++) {
        r = tk_service_connect("logd", &log_channel);
        if (r == 0) break;
        log_channel = 0;
        if (r != TK_ERR_NOENT || !patient || i == LOG_RETRIES) return r;
        tk_sleep_ns(LOG_RETRY_NS);
    }
    return r;
}

static void log_disconnect(void)
{
    if (log_channel) tk_handle_close(log_channel);
    log_channel = 0;
}

void log_record(const char *fmt, ...)
{
    char rec[4 + LOG_LINE_BYTES + 1] = "log ";
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(rec + 4, sizeof rec - 4, fmt, ap);
    va_end(ap);
    if (n > LOG_LINE_BYTES) n = LOG_LINE_BYTES;
    /* never wait for logd: a full queue or a logd not running loses the record */
    for (int tries = 0; tries < 2 && log_connect(false) == 0; tries++) {
        int32_t r = tk_channel_write(log_channel, rec, (uint32_t)(4 + n), NULL, 0);

        if (r != TK_ERR_PEER_CLOSED) return;
        log_disconnect(); /* logd was restarted: once more on a new channel */
    }
}

/* A call to logd (reconnecting once if it was restarted): the reply as a string. */
static int32_t log_call(const char *req, char *reply, uint32_t cap)
{
    uint32_t n = 0;
    int32_t r = TK_ERR_PEER_CLOSED;

    for (int tries = 0; tries < 2 && r == TK_ERR_PEER_CLOSED; tries++) {
        if ((r = log_connect(true)) < 0) return r;
        r = tk_service_call(log_channel, req, (uint32_t)strlen(req), reply, cap - 1, &n);
        if (r == TK_ERR_PEER_CLOSED) log_disconnect();
    }
    if (r < 0) return r;
    reply[n] = 0;
    if (n == sizeof(int32_t) && ((int32_t *)(void *)reply)[0] < 0)
        return ((int32_t *)(void *)reply)[0];
    return 0;
}

void log_command(int argc, char *const *argv)
{
    static char reply[TK_SERVICE_MAX_MSG + 1];
    char req[32];
    int64_t seq = 0, next;
    int32_t r;

    if (argc == 2 && !strcmp(argv[1], "stat")) {
        if ((r = log_call("stat", reply, sizeof reply)) == 0) tk_printf("%s\n", reply);
    } else if (argc == 1) {
        /* "next N\n" then lines: ask again from N until no line comes */
        for (;;) {
            char *nl;

            fmt_snprintf(req, sizeof req, "read %lld", (long long)seq);
            if ((r = log_call(req, reply, sizeof reply)) < 0) break;
            nl = strchr(reply, '\n');
            if (!nl || memcmp(reply, "next ", 5)) {
                r = TK_ERR_INVAL;
                break;
            }
            *nl = 0;
            if (!tk_parse_int(reply + 5, &next)) {
                r = TK_ERR_INVAL;
                break;
            }
            tk_write(nl + 1, strlen(nl + 1));
            if (next <= seq) break;
            seq = next;
        }
    } else {
        tk_puts("usage: log [stat]");
        return;
    }
    if (r < 0) tk_printf("shell: log: %s (%s)\n", tk_error_name(r), tk_strerror(r));
}
