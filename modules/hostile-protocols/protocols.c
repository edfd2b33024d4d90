/*
 * hostile-protocols: a client that speaks every service protocol badly (the hostile
 * suite's `protocols` family, tests/modules/hostile/protocols.sh). Started by init as a
 * service of a test manifest next to logd and kv, it sends raw malformed messages — no
 * bytes, too short for an ordinal, an unknown ordinal, a valid request with a handle it
 * must not carry, a string whose length points past the end, a length of 4 GiB, a byte
 * too many — to init's name service (its bootstrap channel), to kv and to logd, and
 * prints one line per case:
 *
 *   hostile-protocols: SERVICE CASE -> ERROR[, handle closed]
 *
 * (the error of the reply; "handle closed" once the end it kept of a channel it sent sees
 * PEER_CLOSED: the server closed what it refused). logd's malformed records are never
 * answered: they must show as refused in its `stat`. After each round every service must
 * still serve — another connection to kv and logd, made before the attack, and a good
 * `connect` — and after a warm-up round, three more must leave the kernel's counters
 * exactly where they were: "hostile-protocols: rounds x3: no leak". Last, a request
 * too big for init to read is answered with RANGE and init hangs up its bootstrap
 * channel. Then it powers off with code 9.
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"
#include "proto/kv.h"
#include "proto/log.h"

#define WAIT_NS   1000000000LL /* for a refused handle to be closed (guest time) */
#define SETTLE_NS 3000000000LL

static bool verbose; /* the first round prints its cases; the others only count them */
static int failures;

/* One raw request on ch (with a channel end it should not carry if `with_handle`): the
 * reply's status (0 for a reply that is not an error). *closed: the end was closed. */
static int32_t raw_call(tk_handle ch, const void *msg, uint32_t len, bool with_handle, bool *closed)
{
    uint8_t reply[TK_PROTO_MAX_MSG];
    tk_handle mine = 0, theirs = 0, got[TK_PROTO_MAX_HANDLES];
    struct tk_channel_sizes sz = {0, 0};
    uint32_t seen = 0;
    int32_t r, status;

    if (with_handle && (r = tk_channel_create(&mine, &theirs)) < 0) return r;
    r = tk_channel_call(ch, msg, len, &theirs, with_handle ? 1 : 0, reply, sizeof reply, got,
                        TK_PROTO_MAX_HANDLES, &sz, 5 * WAIT_NS);
    status = r;
    if (r == 0) {
        status = 0;
        if (sz.bytes == 4) memcpy(&status, reply, 4);
        if (status > 0) status = 0;
        tk_proto_close(got, sz.handles);
    }
    *closed = false;
    if (with_handle) {
        *closed = tk_object_wait_one(mine, TK_SIGNAL_PEER_CLOSED, WAIT_NS, &seen) == 0;
        tk_handle_close(mine);
    }
    return status;
}

static void report(const char *service, const char *what, int32_t status, int32_t want,
                   bool with_handle, bool closed)
{
    bool ok = status == want && closed == with_handle;

    failures += !ok;
    if (verbose || !ok)
        tk_printf("hostile-protocols: %s %s -> %s%s%s\n", service, what,
                  status == 0 ? "OK" : tk_error_name(status), closed ? ", handle closed" : "",
                  ok ? "" : " (unexpected)");
}

/* A request: ordinal, then a string field (len, bytes) if `text`. */
static uint32_t build(uint8_t *msg, uint32_t ordinal, const char *text, uint32_t len_field)
{
    uint32_t n = 4, tl = text ? (uint32_t)strlen(text) : 0;

    memcpy(msg, &ordinal, 4);
    if (text) {
        memcpy(msg + 4, &len_field, 4);
        memcpy(msg + 8, text, tl);
        n = 8 + tl;
    }
    return n;
}

/* The cases every protocol gets. `ordinal` and `text`: a valid request of a message
 * with one string field and no handles (text NULL: one without fields). */
static void attack(tk_handle ch, const char *service, uint32_t ordinal, const char *text)
{
    uint8_t msg[64];
    uint32_t n, tl = text ? (uint32_t)strlen(text) : 0;
    bool closed;
    int32_t r;

    r = raw_call(ch, msg, 0, true, &closed);
    report(service, "empty", r, TK_ERR_INVAL, true, closed);
    n = build(msg, ordinal, NULL, 0);
    r = raw_call(ch, msg, 3, false, &closed);
    report(service, "short", r, TK_ERR_INVAL, false, closed);
    n = build(msg, 0x7fffffffu, NULL, 0);
    r = raw_call(ch, msg, n, true, &closed);
    report(service, "unknown", r, TK_ERR_UNSUPPORTED, true, closed);
    n = build(msg, ordinal, text, tl);
    r = raw_call(ch, msg, n, true, &closed);
    report(service, "extra-handle", r, TK_ERR_INVAL, true, closed);
    msg[n] = 'z';
    r = raw_call(ch, msg, n + 1, false, &closed);
    report(service, "trailing", r, TK_ERR_INVAL, false, closed);
    if (!text) return;
    n = build(msg, ordinal, text, tl + 1);
    r = raw_call(ch, msg, n, false, &closed);
    report(service, "past-end", r, TK_ERR_INVAL, false, closed);
    n = build(msg, ordinal, text, 0xffffffffu);
    r = raw_call(ch, msg, n, true, &closed);
    report(service, "huge-length", r, TK_ERR_INVAL, true, closed);
}

/* logd's records are one-way: refused without an answer, counted in its stat. */
static void attack_log_records(tk_handle logd)
{
    struct log_stat_reply before = {0}, after = {0};
    uint8_t msg[64];
    uint32_t n;

    log_call_stat(logd, &before);
    n = build(msg, LOG_WRITE, "a record", 9);
    tk_channel_write(logd, msg, n, NULL, 0);
    n = build(msg, LOG_WRITE, "a record", 0xfffffff0u);
    tk_channel_write(logd, msg, n, NULL, 0);
    n = build(msg, LOG_WRITE, "a record", 8);
    tk_channel_write(logd, msg, n - 1, NULL, 0); /* cut short */
    log_call_stat(logd, &after);                 /* read after them: they are queued before it */
    report("logd", "records-refused", after.refused == before.refused + 3 ? 0 : TK_ERR_INVAL, 0,
           false, false);
}

static void round_once(tk_handle boot)
{
    tk_handle kv, kv2, logd, logd2, again;
    struct kv_get_reply got = {0};
    struct log_stat_reply st;
    int32_t r;

    if (tk_service_connect("kv", &kv) < 0 || tk_service_connect("kv", &kv2) < 0 ||
        tk_service_connect("logd", &logd) < 0 || tk_service_connect("logd", &logd2) < 0) {
        tk_puts("hostile-protocols: cannot connect");
        failures++;
        return;
    }
    kv_call_set(kv2, "before", "the attack");
    attack(boot, "name", 1, "kv");
    attack(kv, "kv", KV_GET, "before");
    attack(logd, "logd", LOG_STAT, NULL);
    attack_log_records(logd);
    /* everyone still serves: the name service, kv and logd on their other channels */
    r = tk_service_connect("kv", &again);
    report("name", "serves-after", r, 0, false, false);
    if (r == 0) tk_handle_close(again);
    r = kv_call_get(kv2, "before", &got);
    report("kv", "serves-after", r == 0 && strcmp(got.value, "the attack") ? TK_ERR_INVAL : r, 0,
           false, false);
    report("logd", "serves-after", log_call_stat(logd2, &st), 0, false, false);
    tk_handle_close(kv);
    tk_handle_close(kv2);
    tk_handle_close(logd);
    tk_handle_close(logd2);
}

int main(int argc, char **argv)
{
    struct tk_kernel_stats before, now;
    tk_handle boot;
    bool same;

    if (tk_service_bootstrap(&boot) < 0) return 1;
    verbose = true;
    round_once(boot); /* warms up: servers grow, tables get their slots */
    verbose = false;
    tk_kernel_stats_quiet(&before, SETTLE_NS); /* after the warm-up's clean-up */
    for (int i = 0; i < 3; i++) round_once(boot);
    same = tk_kernel_stats_settle(&before, &now, SETTLE_NS);
    tk_printf("hostile-protocols: rounds x3: %s (objects %u -> %u, heap blocks %u -> %u)\n",
              same ? "no leak" : "LEAK", (unsigned)before.objects, (unsigned)now.objects,
              (unsigned)before.heap_blocks, (unsigned)now.heap_blocks);
    /* last, as it costs the name service: a request init cannot read is answered with
     * RANGE and init hangs up (the service keeps running, without a name service) */
    {
        static uint8_t huge[2 * TK_PROTO_MAX_MSG];
        tk_handle none;
        bool closed;

        verbose = true;
        report("name", "oversized", raw_call(boot, huge, sizeof huge, false, &closed), TK_ERR_RANGE,
               false, closed);
        report("name", "after-oversized", tk_service_connect("kv", &none), TK_ERR_PEER_CLOSED,
               false, false);
    }
    tk_printf("hostile-protocols: done, %d unexpected\n", failures);
    tk_sleep_ns(100000000);
    tk_poweroff(9);
    return 0;
}
