/*
 * slowcall: a call to a service whose request queue is full waits for room instead of
 * failing (issue 22, docs/ipc.md "Back-pressure and calls"). Both sides of the test of
 * tests/modules/boot.sh (scenario slow), started by init from a test manifest:
 *
 *   serve N   the service `slow`, slowed down on purpose: it sleeps before every read, so
 *             its clients outrun it. "note" is counted and not answered; any other
 *             message is a call, answered "notes K": the notes of that client read
 *             before it. Once N clients have come and gone it powers off (code 13).
 *   client    the C SDK's side: fills its queue to `slow` with notes until AGAIN, then
 *             calls with tk_service_call (no timeout) and, after filling the queue
 *             again, with tk_channel_call and a timeout; each reply must count every
 *             note sent. (A poll's AGAIN is kernel/obj/channel_call_ktest.c's: here the
 *             server may take a note between the fill and the poll.)
 *
 * The clients in the other SDKs (modules/cpp/slowcallcpp, modules/slowcallrs,
 * modules/as/slowcallas) do what `client` does through their own call helpers.
 */
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"

#define SLOW_READ_NS     2000000ll     /* the server's nap before each read */
#define SLOW_TIMEOUT_NS  30000000000ll /* the client's timed call: far more than it needs */
#define SLOW_MAX_CLIENTS 16
#define SLOW_BOOT_KEY    0xffffffffffffffffull

struct slow_client {
    tk_handle channel; /* 0: a free slot */
    uint32_t notes;
};

static struct slow_client clients[SLOW_MAX_CLIENTS];

/* New clients from init ("client NAME PID" with the server's end): watched on port. */
static void slow_accept(tk_handle port, tk_handle boot)
{
    char note[64];
    struct tk_channel_sizes sz;
    tk_handle h[1];

    while (tk_channel_read(boot, note, sizeof note, h, 1, &sz) == 0) {
        uint32_t i = 0;

        if (sz.handles != 1) continue;
        while (i < SLOW_MAX_CLIENTS && clients[i].channel) i++;
        if (i == SLOW_MAX_CLIENTS ||
            tk_port_watch(port, h[0], i, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED) < 0) {
            tk_handle_close(h[0]); /* no room: that client sees its peer closed */
            continue;
        }
        clients[i] = (struct slow_client){h[0], 0};
    }
}

/* Every message queued by client c, a nap before each: false once c is gone. */
static bool slow_drain(struct slow_client *c)
{
    char msg[64], reply[32];
    struct tk_channel_sizes sz;
    tk_handle h[1];
    int32_t r;

    for (;;) {
        tk_sleep_ns(SLOW_READ_NS);
        if ((r = tk_channel_read(c->channel, msg, sizeof msg, h, 1, &sz)) < 0) break;
        if (sz.handles) tk_handle_close(h[0]);
        if (sz.bytes == 4 && !memcmp(msg, "note", 4)) {
            c->notes++;
            continue;
        }
        int n = fmt_snprintf(reply, sizeof reply, "notes %u", c->notes);
        tk_channel_write(c->channel, reply, (uint32_t)n, NULL, 0);
    }
    return r == TK_ERR_AGAIN;
}

static int slow_serve(int64_t expected)
{
    tk_handle boot, port;
    struct tk_port_packet pk;
    int64_t gone = 0;

    if (tk_bootstrap_take(&boot) < 0 || tk_port_create(&port) < 0 ||
        tk_port_watch(port, boot, SLOW_BOOT_KEY, TK_SIGNAL_READABLE) < 0) {
        tk_printf("slowcall: cannot serve\n");
        return 1;
    }
    while (gone < expected) {
        if (tk_port_wait(port, &pk, -1) < 0) continue;
        if (pk.key == SLOW_BOOT_KEY) {
            slow_accept(port, boot);
        } else if (pk.key < SLOW_MAX_CLIENTS && clients[pk.key].channel &&
                   !slow_drain(&clients[pk.key])) {
            tk_port_unwatch(port, pk.key);
            tk_handle_close(clients[pk.key].channel);
            clients[pk.key].channel = 0;
            gone++;
        }
    }
    tk_printf("slowcall: served %lld clients\n", (long long)gone);
    tk_poweroff(13);
    return 0;
}

/* Notes until the queue is full: how many went in, or -1 if a write failed otherwise. */
static int64_t slow_fill(tk_handle slow)
{
    int64_t n = 0;
    int32_t r;

    while ((r = tk_channel_write(slow, "note", 4, NULL, 0)) == 0) n++;
    tk_printf("slowcall-c: filled: %s after %lld notes\n", tk_error_name(r), (long long)n);
    return r == TK_ERR_AGAIN ? n : -1;
}

/* The server's "notes K" against the notes sent. */
static void slow_judge(const char *what, int32_t r, const char *reply, uint32_t len, int64_t sent)
{
    char text[32];

    if (r < 0) {
        tk_printf("slowcall-c: %s -> %s\n", what, tk_error_name(r));
        return;
    }
    len = len < sizeof text - 1 ? len : sizeof text - 1;
    memcpy(text, reply, len);
    text[len] = 0;
    tk_printf("slowcall-c: %s -> OK, '%s' of %lld\n", what, text, (long long)sent);
}

static int slow_call(void)
{
    tk_handle slow, none[1];
    struct tk_channel_sizes sz;
    char reply[32];
    uint32_t len = 0;
    int64_t sent, more;
    int32_t r;

    if ((r = tk_service_connect("slow", &slow)) < 0) {
        tk_printf("slowcall-c: connect -> %s\n", tk_error_name(r));
        return 1;
    }
    if ((sent = slow_fill(slow)) < 0) return 1;
    r = tk_service_call(slow, "count", 5, reply, sizeof reply, &len);
    slow_judge("call", r, reply, len, sent);
    if ((more = slow_fill(slow)) < 0) return 1;
    sent += more;
    r = tk_channel_call(slow, "count", 5, NULL, 0, reply, sizeof reply, none, 0, &sz,
                        SLOW_TIMEOUT_NS);
    slow_judge("timed-call", r, reply, sz.bytes, sent);
    return 0;
}

int main(int argc, char **argv)
{
    int64_t n;

    if (argc == 3 && !strcmp(argv[1], "serve") && tk_parse_int(argv[2], &n) && n > 0)
        return slow_serve(n);
    if (argc == 2 && !strcmp(argv[1], "client")) return slow_call();
    tk_printf("usage: slowcall serve N | slowcall client\n");
    return 2;
}
