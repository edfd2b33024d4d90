/*
 * The request/response library (tk_service.h): init's name-service protocol on the
 * client side, and the server loop over a port of client channels.
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_service.h>

#include "lib/fmt.h"
#include "lib/string.h"

#define SERVICE_BOOTSTRAP_KEY 0xffffffffffffffffull

static tk_handle service_bootstrap; /* taken once, kept */

static int32_t service_bootstrap_get(tk_handle *out)
{
    int32_t r = 0;

    if (!service_bootstrap) r = tk_bootstrap_take(&service_bootstrap);
    *out = service_bootstrap;
    return r;
}

int32_t tk_service_connect(const char *name, tk_handle *out)
{
    char req[8 + 32];
    struct tk_channel_sizes sz;
    int32_t status = 0, r;
    tk_handle boot, got[1] = {0};
    int n = fmt_snprintf(req, sizeof req, "connect %s", name);

    if (n >= (int)sizeof req) return TK_ERR_RANGE;
    if ((r = service_bootstrap_get(&boot)) < 0) return r;
    r = tk_channel_call(boot, req, (uint32_t)n, NULL, 0, &status, sizeof status, got, 1, &sz, -1);
    if (r < 0) return r;
    if (sz.bytes != sizeof status) return TK_ERR_INVAL;
    if (status < 0) return status;
    if (sz.handles != 1) return TK_ERR_INVAL;
    *out = got[0];
    return 0;
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

/* A message from init on the bootstrap channel: a new client to watch. */
static void service_new_clients(tk_handle port, tk_handle boot)
{
    static char msg[64];
    struct tk_channel_sizes sz;
    tk_handle h[1];

    while (tk_channel_read(boot, msg, sizeof msg, h, 1, &sz) == 0) {
        if (sz.handles != 1) continue;
        if (tk_port_watch(port, h[0], h[0], TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED) < 0)
            tk_handle_close(h[0]); /* too many clients: this one sees its peer closed */
    }
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

    if ((r = service_bootstrap_get(&boot)) < 0) return r;
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
