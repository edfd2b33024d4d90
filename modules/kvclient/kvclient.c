/*
 * kvclient: a client of the echo and kv services, started by init as a service of a test
 * manifest (its `uses` decides what it may reach). Modes, each printing
 * `kvclient: STEP -> RESULT` lines for tests/modules/boot.sh:
 *
 *   main    names (granted, not granted, unknown), kv set/get/del, a 64 KiB buffer
 *           checksummed by kv through a shared memory object, the kv server crashing
 *           mid-session and coming back, then `clients`, then power off (code 9)
 *   flood N N echo calls, each reply checked against its request (order, no loss)
 *   quit    connects to kv, sends a request and ends without reading the reply
 *   get KEY, set KEY VALUE
 *           one kv request, for programs in other languages to be checked against
 *           (run from the shell, which relays the connect): `kvclient: KEY = VALUE`,
 *           `kvclient: set KEY -> OK`, or `kvclient: get KEY -> ERROR`
 */
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"
#include "proto/kv.h"

static char bulk[64 * 1024] __attribute__((aligned(TK_MEMORY_PAGE)));

static void step(const char *what, int32_t r)
{
    tk_printf("kvclient: %s -> %s\n", what, r == 0 ? "OK" : tk_error_name(r));
}

static uint32_t checksum(const char *p, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

static int flood(int64_t n)
{
    tk_handle echo;
    char req[32], reply[64];
    int64_t i;

    if (tk_service_connect("echo", &echo) < 0) return 1;
    for (i = 0; i < n; i++) {
        uint32_t len = (uint32_t)fmt_snprintf(req, sizeof req, "msg %lld", (long long)i), got;
        if (tk_service_call(echo, req, len, reply, sizeof reply, &got) < 0 || got != len ||
            memcmp(req, reply, len))
            break;
    }
    tk_printf("kvclient: flood %lld of %lld in order\n", (long long)i, (long long)n);
    return i == n ? 0 : 1;
}

static int run_main(void)
{
    tk_handle kv, echo, nope, mem, ro;
    struct kv_get_reply got = {0};
    struct kv_sum_reply sum;
    struct kv_clients_reply count = {0};
    char reply[128];
    uint32_t n;
    int32_t r;

    tk_sleep_ns(300000000); /* the quitter and the flooders start meanwhile */
    step("connect-echo", tk_service_connect("echo", &echo));
    step("connect-kv", tk_service_connect("kv", &kv));
    step("connect-not-granted", tk_service_connect("quit", &nope));
    step("connect-unknown", tk_service_connect("nosuch", &nope));
    step("echo", tk_service_call(echo, "hello", 5, reply, sizeof reply, &n));
    tk_printf("kvclient: echo said '%.*s'\n", (int)n, reply);
    step("set", kv_call_set(kv, "colour", "blue"));
    step("get", kv_call_get(kv, "colour", &got));
    tk_printf("kvclient: colour is '%s'\n", got.value);
    step("del", kv_call_del(kv, "colour"));
    step("get-deleted", kv_call_get(kv, "colour", &got));
    /* bulk data by handle: 64 KiB the server checksums in place */
    step("memory_create", tk_memory_create(16, &mem));
    step("memory_map", tk_memory_map(mem, (uint32_t)(uintptr_t)bulk));
    for (uint32_t i = 0; i < sizeof bulk; i++) bulk[i] = (char)(i * 31 + (i >> 8));
    step("duplicate", tk_handle_duplicate(mem, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &ro));
    r = kv_call_sum(kv, sizeof bulk, ro, &sum);
    tk_printf("kvclient: bulk checksum %s\n",
              r == 0 && sum.hash == checksum(bulk, sizeof bulk) ? "matches" : "differs");
    step("clients", kv_call_clients(kv, &count));
    tk_printf("kvclient: kv serves %u client(s)\n", (unsigned)count.count);
    /* the server dies mid-session: the client sees it, init restarts it */
    step("set-before-crash", kv_call_set(kv, "a", "1"));
    step("crash", kv_call_crash(kv));
    tk_sleep_ns(400000000); /* init's back-off is 100 ms */
    tk_handle_close(kv);
    step("reconnect", tk_service_connect("kv", &kv));
    step("get-after-restart", kv_call_get(kv, "a", &got));
    step("set-after-restart", kv_call_set(kv, "a", "2"));
    tk_puts("kvclient: done");
    tk_sleep_ns(200000000);
    tk_poweroff(9);
    return 0;
}

static int one_request(const char *op, const char *key, const char *value)
{
    struct kv_get_reply got;
    tk_handle kv;
    int32_t r = tk_service_connect("kv", &kv);

    if (r == 0) r = value ? kv_call_set(kv, key, value) : kv_call_get(kv, key, &got);
    if (r == 0 && !value)
        tk_printf("kvclient: %s = %s\n", key, got.value);
    else
        tk_printf("kvclient: %s %s -> %s\n", op, key, r == 0 ? "OK" : tk_error_name(r));
    return r == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    int64_t n = 0;
    tk_handle kv;

    if (argc > 1 && !strcmp(argv[1], "flood") && argc > 2 && tk_parse_int(argv[2], &n))
        return flood(n);
    if (argc > 1 && !strcmp(argv[1], "quit")) {
        if (tk_service_connect("kv", &kv) < 0) return 1;
        struct kv_set_request rq = {.key = "q", .key_len = 1, .value = "1", .value_len = 1};
        uint8_t msg[64];
        int32_t n = tk_proto_encode(&kv_protocol.messages[0].request, KV_SET, &rq, msg, sizeof msg,
                                    NULL, NULL);
        tk_channel_write(kv, msg, (uint32_t)n, NULL, 0);
        return 0; /* gone before the reply: kv must drop this client */
    }
    if (argc == 3 && !strcmp(argv[1], "get")) return one_request(argv[1], argv[2], NULL);
    if (argc == 4 && !strcmp(argv[1], "set")) return one_request(argv[1], argv[2], argv[3]);
    return run_main();
}
