/*
 * The request/response library (tk_service.h): the name service's client (the code
 * generated from include/takara/proto/name.proto), its relay for a parent's children,
 * and the server loop over a port of client channels.
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_service.h>

#include "lib/string.h"
#include "proto/name.h"

#define SERVICE_BOOTSTRAP_KEY 0xffffffffffffffffull

static tk_handle service_bootstrap; /* taken once, kept */

int32_t tk_service_bootstrap(tk_handle *out)
{
    int32_t r = 0;

    if (!service_bootstrap) r = tk_bootstrap_take(&service_bootstrap);
    *out = service_bootstrap;
    return r;
}

int32_t tk_service_connect(const char *name, tk_handle *out)
{
    struct name_connect_reply got;
    tk_handle boot;
    int32_t r;

    if ((r = tk_service_bootstrap(&boot)) < 0) return r;
    if ((r = name_call_connect(boot, name, &got)) < 0) return r;
    *out = got.channel;
    return 0;
}

/* The relay's answer to a child's connect: asks init in this process's name. */
static int32_t service_relay_connect(void *ctx, tk_handle client,
                                     const struct name_connect_request *rq,
                                     struct name_connect_reply *rp)
{
    return tk_service_connect(rq->service, &rp->channel);
}

static const struct name_server service_relay_server = {.connect = service_relay_connect};

bool tk_service_relay(tk_handle channel)
{
    static uint8_t msg[TK_PROTO_MAX_MSG], reply[TK_PROTO_MAX_MSG];
    struct tk_channel_sizes sz;
    tk_handle hs[TK_PROTO_MAX_HANDLES], rh[TK_PROTO_MAX_HANDLES];
    int32_t r;

    while ((r = tk_channel_read(channel, msg, sizeof msg, hs, TK_PROTO_MAX_HANDLES, &sz)) == 0) {
        uint32_t len = 0, nh = 0;
        int32_t st = name_dispatch(&service_relay_server, NULL, channel, msg, sz.bytes, hs,
                                   sz.handles, reply, sizeof reply, &len, rh, &nh);

        if (st == TK_PROTO_NO_REPLY) continue;
        if (st < 0) {
            memcpy(reply, &st, sizeof st);
            len = sizeof st;
        }
        tk_channel_write(channel, reply, len, rh, nh); /* the handles go, sent or not */
    }
    return r == TK_ERR_AGAIN;
}

int32_t tk_service_call(tk_handle service, const void *req, uint32_t len, void *reply, uint32_t cap,
                        uint32_t *reply_len)
{
    struct tk_channel_sizes sz;
    tk_handle none[1];
    int32_t r = tk_channel_call(service, req, len, NULL, 0, reply, cap, none, 0, &sz, -1);

    if (r == 0) *reply_len = sz.bytes;
    return r;
}

/* init's note of a new client: its channel, watched on the port (ctx). */
static int32_t service_client(void *ctx, tk_handle boot, const struct name_client_request *rq)
{
    tk_handle port = *(const tk_handle *)ctx;

    if (tk_port_watch(port, rq->channel, rq->channel, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED) <
        0)
        tk_handle_close(rq->channel); /* too many clients: this one sees its peer closed */
    return 0;
}

static const struct name_server service_notes = {.client = service_client};

/* Messages from init on the bootstrap channel: new clients to watch. */
static void service_new_clients(tk_handle port, tk_handle boot)
{
    static uint8_t msg[TK_PROTO_MAX_MSG];
    struct tk_channel_sizes sz;
    tk_handle h[TK_PROTO_MAX_HANDLES];
    uint32_t len;

    while (tk_channel_read(boot, msg, sizeof msg, h, TK_PROTO_MAX_HANDLES, &sz) == 0)
        name_dispatch(&service_notes, &port, boot, msg, sz.bytes, h, sz.handles, NULL, 0, &len,
                      NULL, NULL);
}

/* Every request queued on a client channel; false once the client is gone. */
static bool service_requests(tk_service_handler handler, void *ctx, tk_handle client)
{
    static char req[TK_SERVICE_MAX_MSG], reply[TK_SERVICE_MAX_MSG];
    struct tk_channel_sizes sz;
    tk_handle handles[4];
    int32_t r;

    while ((r = tk_channel_read(client, req, sizeof req, handles, 4, &sz)) == 0) {
        uint32_t reply_len = 0;
        int32_t status = handler(ctx, client, req, sz.bytes, handles, sz.handles, reply,
                                 sizeof reply, &reply_len);
        if (status == TK_PROTO_NO_REPLY) continue; /* a one-way message */
        if (status < 0) {
            memcpy(reply, &status, sizeof status);
            reply_len = sizeof status;
        }
        tk_channel_write(client, reply, reply_len, NULL, 0);
    }
    if (r == TK_ERR_BUFFER_TOO_SMALL) { /* too big: refuse it and hang up */
        int32_t status = TK_ERR_RANGE;
        tk_channel_write(client, &status, sizeof status, NULL, 0);
        return false;
    }
    return r == TK_ERR_AGAIN;
}

int32_t tk_service_serve(tk_service_handler handler, void *ctx)
{
    tk_handle boot, port;
    struct tk_port_packet pk;
    int32_t r;

    if ((r = tk_service_bootstrap(&boot)) < 0) return r;
    if ((r = tk_port_create(&port)) < 0) return r;
    if ((r = tk_port_watch(port, boot, SERVICE_BOOTSTRAP_KEY, TK_SIGNAL_READABLE)) < 0) return r;
    for (;;) {
        if (tk_port_wait(port, &pk, -1) < 0) continue;
        if (pk.key == SERVICE_BOOTSTRAP_KEY) {
            service_new_clients(port, boot);
        } else if (!service_requests(handler, ctx, (tk_handle)pk.key)) {
            tk_port_unwatch(port, pk.key);
            tk_handle_close((tk_handle)pk.key);
        }
    }
}
