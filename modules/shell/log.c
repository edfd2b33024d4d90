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
#include "proto/log.h"

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
    char rec[LOG_LINE_BYTES + 1];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(rec, sizeof rec, fmt, ap);
    va_end(ap);
    if (n > LOG_LINE_BYTES) n = LOG_LINE_BYTES;
    /* never wait for logd: a full queue or a logd not running loses the record */
    for (int tries = 0; tries < 2 && log_connect(false) == 0; tries++) {
        int32_t r = log_send_write(log_channel, rec, (uint32_t)n);

        if (r != TK_ERR_PEER_CLOSED) return;
        log_disconnect(); /* logd was restarted: once more on a new channel */
    }
}

/* Reconnects after logd was restarted: true if the call that saw r is to be tried again. */
static bool log_again(int32_t r, int tries)
{
    if (r != TK_ERR_PEER_CLOSED || tries > 0) return false;
    log_disconnect();
    return true;
}

static int32_t log_stat(struct log_stat_reply *st)
{
    int32_t r;

    for (int tries = 0;; tries++) {
        if ((r = log_connect(true)) < 0) return r;
        if (!log_again(r = log_call_stat(log_channel, st), tries)) return r;
    }
}

static int32_t log_read(uint64_t seq, struct log_read_reply *got)
{
    int32_t r;

    for (int tries = 0;; tries++) {
        if ((r = log_connect(true)) < 0) return r;
        if (!log_again(r = log_call_read(log_channel, seq, got), tries)) return r;
    }
}

void log_command(int argc, char *const *argv)
{
    static struct log_read_reply got;
    struct log_stat_reply st;
    uint64_t seq = 0;
    int32_t r;

    if (argc == 2 && !strcmp(argv[1], "stat")) {
        r = log_stat(&st);
        if (r == 0)
            tk_printf("lines %llu dropped %llu refused %llu next %llu clients %u\n",
                      (unsigned long long)st.lines, (unsigned long long)st.dropped,
                      (unsigned long long)st.refused, (unsigned long long)st.next,
                      (unsigned)st.clients);
    } else if (argc == 1) {
        /* the lines from seq on, then on from `next` until no line comes */
        for (;;) {
            r = log_read(seq, &got);
            if (r < 0) break;
            if (got.dropped)
                tk_printf("(%llu older lines dropped)\n", (unsigned long long)got.dropped);
            tk_write(got.lines, got.lines_len);
            if (got.next <= seq) break;
            seq = got.next;
        }
    } else {
        tk_puts("usage: log [stat]");
        return;
    }
    if (r < 0) tk_printf("shell: log: %s (%s)\n", tk_error_name(r), tk_strerror(r));
}
