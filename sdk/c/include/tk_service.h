/*
 * Request/response services over channels, for C modules.
 *
 * A client asks init's name service for a channel to a service of the manifest (its
 * `uses` must name it) and calls it; a server answers every client from one loop:
 *
 *     tk_handle kv;
 *     tk_service_connect("kv", &kv);                        client
 *     tk_service_call(kv, "get a", 5, reply, sizeof reply, &n);
 *
 *     static int32_t serve(void *ctx, tk_handle client, const void *req, uint32_t len,
 *                          const tk_handle *handles, uint32_t nhandles,
 *                          void *reply, uint32_t cap, uint32_t *reply_len);
 *     tk_service_serve(serve, ctx);                         server: never returns
 *
 * A server learns of each new client from init on its bootstrap channel (the name
 * protocol's `client` note, with the server's end), watches every client channel on one port, and
 * drops a client whose channel closes. Requests are whole messages of at most TK_SERVICE_MAX_MSG
 * bytes and 4 handles; the handler's reply goes back as one message (its status, if negative, as a
 * 4-byte reply of that code).
 */
#ifndef TAKARA_SDK_SERVICE_H
#define TAKARA_SDK_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <takara/handle.h>
#include <tk_proto.h>

#define TK_SERVICE_MAX_MSG TK_PROTO_MAX_MSG

/* The bootstrap channel to the parent (init for a service), taken once and kept: every
 * part of the process (the C++ SDK too) asks here. */
int32_t tk_service_bootstrap(tk_handle *out);

/* A channel to service `name` from init, or TK_ERR_DENIED / TK_ERR_NOENT / an error. */
int32_t tk_service_connect(const char *name, tk_handle *out);

/* Sends a request and waits for its reply (reply_len gets its size); a full queue to the
 * service is waited out (channel_call's rule, docs/ipc.md), not an error. */
int32_t tk_service_call(tk_handle service, const void *req, uint32_t len, void *reply, uint32_t cap,
                        uint32_t *reply_len);

/* Answers every request queued on a child's bootstrap channel, as the name service
 * would: `connect` by asking init in this process's name (the child reaches what this
 * process `uses`). False once the channel is of no more use. */
bool tk_service_relay(tk_handle channel);

/* One request: fill reply (at most cap bytes), set *reply_len; return 0 or a negative
 * code, or TK_PROTO_NO_REPLY to send nothing (a one-way message). Handles received
 * belong to the handler (close what it does not keep). A protocol of
 * include/takara/proto/ serves through its generated NAME_serve instead. */
typedef int32_t (*tk_service_handler)(void *ctx, tk_handle client, const void *req, uint32_t len,
                                      const tk_handle *handles, uint32_t nhandles, void *reply,
                                      uint32_t cap, uint32_t *reply_len);

/* Serves clients forever; returns only if the server cannot run (no bootstrap channel,
 * no port): the error. */
int32_t tk_service_serve(tk_service_handler handler, void *ctx);

#endif
