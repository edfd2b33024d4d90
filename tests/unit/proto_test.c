/*
 * The protocol code generated from include/takara/proto/ (build/gen/proto/) and the C
 * SDK's codec (sdk/c/proto.c), on the host: calls through the generated client stubs
 * into the generated dispatch over a fake channel (round trips with strings, bytes,
 * integers and handles both ways), and every malformation of every message of every
 * protocol — short, truncated anywhere, a byte too many, an unknown ordinal, a handle
 * too many or too few, a length past the end or over its max, a NUL in a string —
 * refused with an error before any handler sees it, its handles closed. Each message
 * is decoded from a heap block of exactly its size, so ASan stops a read past its end.
 */
#include <stdlib.h>
#include <string.h>

#include <proto/kv.h>
#include <proto/log.h>
#include <proto/name.h>

#include "tests/unit/unit.h"

/* ---- the fake imports: closing records, channels loop back to a dispatch ---- */

static tk_handle proto_closed[256];
static unsigned proto_nclosed;

int32_t tk_handle_close(tk_handle h)
{
    if (proto_nclosed < 256) proto_closed[proto_nclosed++] = h;
    return 0;
}

static bool proto_was_closed(tk_handle h)
{
    for (unsigned i = 0; i < proto_nclosed; i++)
        if (proto_closed[i] == h) return true;
    return false;
}

typedef int32_t (*proto_server_fn)(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                                   void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                                   uint32_t *rnh);
static proto_server_fn proto_loop; /* the server behind every fake channel */

/* Runs the server on a heap copy of exactly the message's bytes. */
static int32_t proto_deliver(const void *bytes, uint32_t n, const tk_handle *hs, uint32_t nh,
                             void *reply, uint32_t *reply_len, tk_handle *rh, uint32_t *rnh)
{
    void *copy = malloc(n ? n : 1);
    int32_t r;

    memcpy(copy, bytes, n);
    *rnh = 0;
    r = proto_loop(copy, n, hs, nh, reply, TK_PROTO_MAX_MSG, reply_len, rh, rnh);
    free(copy);
    return r;
}

int32_t tk_channel_write(tk_handle h, const void *bytes, uint32_t nbytes, const tk_handle *handles,
                         uint32_t nhandles)
{
    uint8_t reply[TK_PROTO_MAX_MSG];
    uint32_t len = 0, rnh;
    tk_handle rh[4];
    int32_t r = proto_deliver(bytes, nbytes, handles, nhandles, reply, &len, rh, &rnh);

    return r == TK_PROTO_NO_REPLY ? 0 : TK_ERR_INVAL; /* one-way: nothing must come back */
}

int32_t tk_channel_call(tk_handle h, const void *wbytes, uint32_t wnbytes,
                        const tk_handle *whandles, uint32_t wnhandles, void *rbytes,
                        uint32_t rcap_bytes, tk_handle *rhandles, uint32_t rcap_handles,
                        struct tk_channel_sizes *actual, int64_t timeout_ns)
{
    uint8_t reply[TK_PROTO_MAX_MSG];
    uint32_t len = 0, rnh = 0;
    tk_handle rh[4];
    int32_t r = proto_deliver(wbytes, wnbytes, whandles, wnhandles, reply, &len, rh, &rnh);

    if (r == TK_PROTO_NO_REPLY) return TK_ERR_TIMEOUT; /* a call would wait for ever */
    if (r < 0) {
        memcpy(reply, &r, 4);
        len = 4;
        rnh = 0;
    }
    if (len > rcap_bytes || rnh > rcap_handles) return TK_ERR_BUFFER_TOO_SMALL;
    memcpy(rbytes, reply, len);
    memcpy(rhandles, rh, rnh * sizeof(tk_handle));
    actual->bytes = len;
    actual->handles = rnh;
    return 0;
}

/* ---- servers: a one-key kv, a name service handing out handle 77, a log ---- */

static char kv_key[48], kv_value[48];
static int proto_malformed_seen;
static int proto_handler_calls;

static void proto_count_malformed(void *ctx, tk_handle client, uint32_t ordinal, int32_t error)
{
    proto_malformed_seen++;
}

static int32_t test_kv_set(void *ctx, tk_handle client, const struct kv_set_request *rq)
{
    proto_handler_calls++;
    memcpy(kv_key, rq->key, sizeof kv_key);
    memcpy(kv_value, rq->value, sizeof kv_value);
    return 0;
}

static int32_t test_kv_get(void *ctx, tk_handle client, const struct kv_get_request *rq,
                           struct kv_get_reply *rp)
{
    proto_handler_calls++;
    if (strcmp(rq->key, kv_key)) return TK_ERR_NOENT;
    return tk_proto_set_string(rp->value, &rp->value_len, 47, kv_value);
}

static int32_t test_kv_sum(void *ctx, tk_handle client, const struct kv_sum_request *rq,
                           struct kv_sum_reply *rp)
{
    proto_handler_calls++;
    rp->hash = rq->length * 2 + (uint32_t)rq->memory;
    tk_handle_close(rq->memory);
    return 0;
}

static const struct kv_server test_kv = {
    .set = test_kv_set, .get = test_kv_get, .sum = test_kv_sum, .malformed = proto_count_malformed};

static int32_t test_kv_loop(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                            void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                            uint32_t *rnh)
{
    return kv_dispatch(&test_kv, NULL, 5, msg, len, h, nh, reply, cap, reply_len, rh, rnh);
}

static int32_t test_name_connect(void *ctx, tk_handle client, const struct name_connect_request *rq,
                                 struct name_connect_reply *rp)
{
    proto_handler_calls++;
    if (strcmp(rq->service, "kv")) return TK_ERR_DENIED;
    rp->channel = 77;
    return 0;
}

static const struct name_server test_name = {.connect = test_name_connect,
                                             .malformed = proto_count_malformed};

static int32_t test_name_loop(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                              void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                              uint32_t *rnh)
{
    return name_dispatch(&test_name, NULL, 5, msg, len, h, nh, reply, cap, reply_len, rh, rnh);
}

static uint8_t log_text[200];
static uint32_t log_text_len;

static int32_t test_log_write(void *ctx, tk_handle client, const struct log_write_request *rq)
{
    proto_handler_calls++;
    memcpy(log_text, rq->text, rq->text_len);
    log_text_len = rq->text_len;
    return 0;
}

static int32_t test_log_read(void *ctx, tk_handle client, const struct log_read_request *rq,
                             struct log_read_reply *rp)
{
    proto_handler_calls++;
    rp->next = rq->from + 1;
    rp->dropped = 0xfedcba9876543210ull;
    memcpy(rp->lines, log_text, log_text_len);
    rp->lines_len = log_text_len;
    return 0;
}

static const struct log_server test_log = {
    .write = test_log_write, .read = test_log_read, .malformed = proto_count_malformed};

static int32_t test_log_loop(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                             void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                             uint32_t *rnh)
{
    return log_dispatch(&test_log, NULL, 5, msg, len, h, nh, reply, cap, reply_len, rh, rnh);
}

TEST(proto_kv_round_trip)
{
    struct kv_get_reply got;
    struct kv_sum_reply sum;
    char long_key[49];

    proto_loop = test_kv_loop;
    CHECK_EQ(kv_call_set(1, "colour", "deep blue"), 0);
    CHECK_EQ(kv_call_get(1, "colour", &got), 0);
    CHECK_STR(got.value, "deep blue");
    CHECK_EQ(got.value_len, 9);
    CHECK_EQ(kv_call_get(1, "size", &got), TK_ERR_NOENT);
    /* a handler left out: UNSUPPORTED, answered like any error */
    CHECK_EQ(kv_call_del(1, "colour"), TK_ERR_UNSUPPORTED);
    proto_nclosed = 0;
    CHECK_EQ(kv_call_sum(1, 21, 1000, &sum), 0);
    CHECK_EQ(sum.hash, 42 + 1000);
    CHECK(proto_was_closed(1000));
    /* a string over its max never leaves the client, and a handle it carries is closed */
    memset(long_key, 'k', 48);
    long_key[48] = 0;
    CHECK_EQ(kv_call_set(1, long_key, "v"), TK_ERR_RANGE);
    long_key[47] = 0;
    CHECK_EQ(kv_call_set(1, long_key, "v"), 0);
    CHECK_EQ(kv_call_get(1, long_key, &got), 0);
    CHECK_STR(got.value, "v");
}

TEST(proto_name_reply_carries_a_handle)
{
    struct name_connect_reply got = {0};

    proto_loop = test_name_loop;
    CHECK_EQ(name_call_connect(1, "kv", &got), 0);
    CHECK_EQ(got.channel, 77);
    CHECK_EQ(name_call_connect(1, "logd", &got), TK_ERR_DENIED);
    /* one-way: the note init sends a server */
    proto_loop = test_name_loop;
    CHECK_EQ(name_send_client(1, "shell", 3, 1234), 0); /* no handler: refused quietly */
    CHECK(proto_was_closed(1234));
}

TEST(proto_log_bytes_and_64_bit_fields)
{
    struct log_read_reply got;
    uint8_t text[200];

    proto_loop = test_log_loop;
    for (unsigned i = 0; i < sizeof text; i++) text[i] = (uint8_t)(i * 7 + 1);
    text[10] = 0; /* bytes may hold anything */
    CHECK_EQ(log_send_write(1, text, sizeof text), 0);
    CHECK_EQ(log_text_len, 200);
    CHECK(!memcmp(log_text, text, sizeof text));
    CHECK_EQ(log_send_write(1, text, 201), TK_ERR_RANGE);
    CHECK_EQ(log_call_read(1, 0xffffffff00000001ull, &got), 0);
    CHECK(got.next == 0xffffffff00000002ull);
    CHECK(got.dropped == 0xfedcba9876543210ull);
    CHECK_EQ(got.lines_len, 200);
    CHECK(!memcmp(got.lines, text, sizeof text));
    CHECK_EQ(log_call_stat(1, &(struct log_stat_reply){0}), TK_ERR_UNSUPPORTED);
}

/* ---- every malformation of every message ---- */

static const struct kv_server null_kv = {.malformed = proto_count_malformed};
static const struct log_server null_log = {.malformed = proto_count_malformed};
static const struct name_server null_name = {.malformed = proto_count_malformed};

static int32_t null_kv_loop(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                            void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                            uint32_t *rnh)
{
    return kv_dispatch(&null_kv, NULL, 5, msg, len, h, nh, reply, cap, reply_len, rh, rnh);
}

static int32_t null_log_loop(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                             void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                             uint32_t *rnh)
{
    return log_dispatch(&null_log, NULL, 5, msg, len, h, nh, reply, cap, reply_len, rh, rnh);
}

static int32_t null_name_loop(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                              void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                              uint32_t *rnh)
{
    return name_dispatch(&null_name, NULL, 5, msg, len, h, nh, reply, cap, reply_len, rh, rnh);
}

/* A valid request of m: strings and bytes of 5 bytes, handles 1000 + i. */
static int32_t proto_sample(const struct tk_proto_message *m, uint8_t *buf, tk_handle *hs,
                            uint32_t *nh)
{
    static _Alignas(8) uint8_t s[2048];

    memset(s, 0, sizeof s);
    for (uint32_t i = 0; i < m->request.nfields; i++) {
        const struct tk_proto_field *f = &m->request.fields[i];
        uint32_t len = f->max < 5 ? f->max : 5;
        tk_handle h = 1000 + i;
        uint32_t v = 0x01020304u + i;

        if (f->kind == TK_PROTO_STRING || f->kind == TK_PROTO_BYTES) {
            memset(s + f->offset, 'a' + (int)i, len);
            memcpy(s + f->len_offset, &len, 4);
        } else if (f->kind == TK_PROTO_HANDLE) {
            memcpy(s + f->offset, &h, sizeof h);
        } else {
            memcpy(s + f->offset, &v, 4);
        }
    }
    return tk_proto_encode(&m->request, m->ordinal, s, buf, TK_PROTO_MAX_MSG, hs, nh);
}

/* Sends one request; checks it was refused with `want` before any handler, handles
 * closed. */
static bool proto_refused(const uint8_t *msg, uint32_t len, const tk_handle *hs, uint32_t nh,
                          int32_t want)
{
    uint8_t reply[TK_PROTO_MAX_MSG];
    uint32_t reply_len = 0xdead, rnh = 0;
    tk_handle rh[4];
    int seen = proto_malformed_seen;
    int32_t r;

    proto_nclosed = 0;
    r = proto_deliver(msg, len, hs, nh, reply, &reply_len, rh, &rnh);
    if (r != want || proto_malformed_seen != seen + 1 || reply_len != 0xdead || rnh != 0)
        return false;
    for (uint32_t i = 0; i < nh; i++)
        if (!proto_was_closed(hs[i])) return false;
    return true;
}

static void proto_check_malformed(const struct tk_proto_protocol *p, proto_server_fn server)
{
    proto_loop = server;
    for (uint32_t k = 0; k < p->nmessages; k++) {
        const struct tk_proto_message *m = &p->messages[k];
        int32_t inval = m->oneway ? TK_PROTO_NO_REPLY : TK_ERR_INVAL;
        uint8_t msg[TK_PROTO_MAX_MSG + 8];
        tk_handle hs[TK_PROTO_MAX_HANDLES + 1];
        uint32_t nh = 0, pos = 4, fixed = 4;
        int32_t n = proto_sample(m, msg, hs, &nh), r;
        uint8_t reply[TK_PROTO_MAX_MSG];
        uint32_t reply_len, rnh;
        tk_handle rh[4];

        CHECK(n >= 4);
        /* well formed: decoded, then UNSUPPORTED (no handler), its handles closed */
        proto_nclosed = 0;
        r = proto_deliver(msg, (uint32_t)n, hs, nh, reply, &reply_len, rh, &rnh);
        CHECK_EQ(r, m->oneway ? TK_PROTO_NO_REPLY : TK_ERR_UNSUPPORTED);
        CHECK_EQ(proto_nclosed, nh);
        /* cut anywhere, shorter than its head included */
        for (int32_t cut = 0; cut < n; cut++)
            CHECK(proto_refused(msg, (uint32_t)cut, hs, nh, cut < 4 ? TK_ERR_INVAL : inval));
        /* a byte too many */
        msg[n] = 'z';
        CHECK(proto_refused(msg, (uint32_t)n + 1, hs, nh, inval));
        /* a handle too many, one too few */
        hs[nh] = 2000;
        CHECK(proto_refused(msg, (uint32_t)n, hs, nh + 1, inval));
        if (nh > 0) CHECK(proto_refused(msg, (uint32_t)n, hs, nh - 1, inval));
        /* each length: past the end, far past it, over its max, a NUL in a string */
        for (uint32_t i = 0; i < m->request.nfields; i++) {
            uint8_t kind = m->request.fields[i].kind;
            fixed += kind == TK_PROTO_HANDLE                        ? 0
                     : kind == TK_PROTO_U64 || kind == TK_PROTO_I64 ? 8
                                                                    : 4;
        }
        for (uint32_t i = 0, payload = fixed; i < m->request.nfields; i++) {
            const struct tk_proto_field *f = &m->request.fields[i];
            uint32_t saved, bad;

            if (f->kind != TK_PROTO_STRING && f->kind != TK_PROTO_BYTES) {
                pos += f->kind == TK_PROTO_HANDLE                           ? 0
                       : f->kind == TK_PROTO_U64 || f->kind == TK_PROTO_I64 ? 8
                                                                            : 4;
                continue;
            }
            memcpy(&saved, msg + pos, 4);
            bad = (uint32_t)n - payload + 1;
            memcpy(msg + pos, &bad, 4);
            CHECK(proto_refused(msg, (uint32_t)n, hs, nh, inval));
            bad = 0xffffffffu;
            memcpy(msg + pos, &bad, 4);
            CHECK(proto_refused(msg, (uint32_t)n, hs, nh, inval));
            bad = f->max + 1u;
            memcpy(msg + pos, &bad, 4);
            CHECK(proto_refused(msg, (uint32_t)n, hs, nh, inval));
            memcpy(msg + pos, &saved, 4);
            if (f->kind == TK_PROTO_STRING && saved > 0) {
                uint8_t c = msg[payload];
                msg[payload] = 0;
                CHECK(proto_refused(msg, (uint32_t)n, hs, nh, inval));
                msg[payload] = c;
            }
            payload += saved;
            pos += 4;
        }
        /* and the sample still passes: nothing above was left changed */
        proto_nclosed = 0;
        r = proto_deliver(msg, (uint32_t)n, hs, nh, reply, &reply_len, rh, &rnh);
        CHECK_EQ(r, m->oneway ? TK_PROTO_NO_REPLY : TK_ERR_UNSUPPORTED);
    }
    /* ordinals no message has */
    {
        uint8_t msg[8] = {0};
        tk_handle hs[1] = {3000};

        CHECK(proto_refused(msg, 4, hs, 1, TK_ERR_UNSUPPORTED));
        msg[0] = 0xe7;
        msg[1] = 0x03;
        CHECK(proto_refused(msg, 8, hs, 0, TK_ERR_UNSUPPORTED));
    }
}

TEST(proto_kv_refuses_malformed)
{
    proto_check_malformed(&kv_protocol, null_kv_loop);
}

TEST(proto_log_refuses_malformed)
{
    proto_check_malformed(&log_protocol, null_log_loop);
}

TEST(proto_name_refuses_malformed)
{
    proto_check_malformed(&name_protocol, null_name_loop);
}

/* A client refuses replies that break the protocol, closing the handles they carry. */
static int32_t bad_reply_loop(const void *msg, uint32_t len, const tk_handle *h, uint32_t nh,
                              void *reply, uint32_t cap, uint32_t *reply_len, tk_handle *rh,
                              uint32_t *rnh)
{
    static const uint8_t short_value[] = {0, 0, 0, 0, 9, 0, 0, 0, 'a'}; /* says 9, has 1 */

    memcpy(reply, short_value, sizeof short_value);
    *reply_len = sizeof short_value;
    rh[0] = 4000;
    *rnh = 1;
    return 0;
}

TEST(proto_client_refuses_malformed_replies)
{
    struct kv_get_reply got;

    proto_loop = bad_reply_loop;
    proto_nclosed = 0;
    CHECK_EQ(kv_call_get(1, "k", &got), TK_ERR_INVAL);
    CHECK(proto_was_closed(4000));
}
