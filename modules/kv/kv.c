/*
 * kv: a key-value service speaking the protocol of include/takara/proto/kv.proto
 * (set, get, del, clients, sum over a memory object handed with the request, crash);
 * the code generated from it decodes each request, refuses a malformed one, and calls
 * the handlers below (docs/protocols.md).
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"
#include "proto/kv.h"

#define KV_SLOTS 32
#define KV_TEXT  48 /* kv.proto's string[47] and its NUL */

static struct {
    char key[KV_TEXT], value[KV_TEXT];
} kv_table[KV_SLOTS];
_Static_assert(sizeof((struct kv_set_request *)0)->key == KV_TEXT, "kv.proto's key");
_Static_assert(sizeof((struct kv_set_request *)0)->value == KV_TEXT, "kv.proto's value");
static tk_handle kv_clients[64];
static uint32_t kv_nclients;
static char kv_window[64 * 1024] __attribute__((aligned(TK_MEMORY_PAGE)));

static int kv_find(const char *key)
{
    for (int i = 0; i < KV_SLOTS; i++)
        if (kv_table[i].key[0] && !strcmp(kv_table[i].key, key)) return i;
    return -1;
}

/* Counts distinct clients seen and still connected (a closed one no longer answers). */
static uint32_t kv_count_clients(tk_handle client)
{
    uint32_t n = 0, seen;
    bool known = false;

    for (uint32_t i = 0; i < kv_nclients; i++) known |= kv_clients[i] == client;
    if (!known && kv_nclients < 64) kv_clients[kv_nclients++] = client;
    for (uint32_t i = 0; i < kv_nclients; i++)
        if (tk_object_wait_one(kv_clients[i], TK_SIGNAL_PEER_CLOSED, 0, &seen) == TK_ERR_TIMEOUT)
            n++; /* a handle the library closed reads as BAD_HANDLE: gone too */
    return n;
}

static int32_t kv_do_sum(void *ctx, tk_handle client, const struct kv_sum_request *rq,
                         struct kv_sum_reply *rp)
{
    uint32_t h = 2166136261u;
    int32_t r;

    kv_count_clients(client);
    if (rq->length > sizeof kv_window) {
        tk_handle_close(rq->memory);
        return TK_ERR_RANGE;
    }
    r = tk_memory_map(rq->memory, (uint32_t)(uintptr_t)kv_window);
    tk_handle_close(rq->memory); /* the mapping keeps the object */
    if (r < 0) return r;
    for (uint32_t i = 0; i < rq->length; i++) h = (h ^ (uint8_t)kv_window[i]) * 16777619u;
    tk_memory_unmap((uint32_t)(uintptr_t)kv_window);
    rp->hash = h;
    return 0;
}

static int32_t kv_do_set(void *ctx, tk_handle client, const struct kv_set_request *rq)
{
    int i = kv_find(rq->key);

    kv_count_clients(client);
    for (int k = 0; i < 0 && k < KV_SLOTS; k++)
        if (!kv_table[k].key[0]) i = k;
    if (i < 0) return TK_ERR_LIMIT;
    memcpy(kv_table[i].key, rq->key, sizeof kv_table[i].key);
    memcpy(kv_table[i].value, rq->value, sizeof kv_table[i].value);
    return 0;
}

static int32_t kv_do_get(void *ctx, tk_handle client, const struct kv_get_request *rq,
                         struct kv_get_reply *rp)
{
    int i = kv_find(rq->key);

    kv_count_clients(client);
    if (i < 0) return TK_ERR_NOENT;
    return tk_proto_set_string(rp->value, &rp->value_len, sizeof rp->value - 1, kv_table[i].value);
}

static int32_t kv_do_del(void *ctx, tk_handle client, const struct kv_del_request *rq)
{
    int i = kv_find(rq->key);

    kv_count_clients(client);
    if (i < 0) return TK_ERR_NOENT;
    kv_table[i].key[0] = 0;
    return 0;
}

static int32_t kv_do_clients(void *ctx, tk_handle client, struct kv_clients_reply *rp)
{
    rp->count = kv_count_clients(client);
    return 0;
}

static int32_t kv_do_crash(void *ctx, tk_handle client)
{
    __builtin_trap();
}

/* A request refused by the generated code: its client still counts. */
static void kv_malformed(void *ctx, tk_handle client, uint32_t ordinal, int32_t error)
{
    kv_count_clients(client);
}

static const struct kv_server kv_handlers = {.set = kv_do_set,
                                             .get = kv_do_get,
                                             .del = kv_do_del,
                                             .clients = kv_do_clients,
                                             .sum = kv_do_sum,
                                             .crash = kv_do_crash,
                                             .malformed = kv_malformed};

int main(int argc, char **argv)
{
    int32_t r = kv_serve(&kv_handlers, NULL);

    tk_printf("kv: cannot serve: %s\n", tk_error_name(r));
    return 1;
}
