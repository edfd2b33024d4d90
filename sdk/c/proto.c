/*
 * The protocol codec (tk_proto.h): encoding and decoding driven by the field tables
 * tools/gen-proto.py generates, and the client's call. Decoding measures the whole
 * message against its fields before it stores a field, and never reads past its end;
 * the host unit tests (tests/unit/proto_test.c) run it under ASan and UBSan with every
 * malformation. On the host the imports are the tests' fakes.
 */
#include <stddef.h>
#include <tk_proto.h>
#if defined(__wasm__)
#include <takara.h>
#endif

static uint64_t proto_load(const uint8_t *p, uint32_t n)
{
    uint64_t v = 0;

    for (uint32_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void proto_store(uint8_t *p, uint64_t v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t proto_scalar_size(uint8_t kind)
{
    switch (kind) {
    case TK_PROTO_U32:
    case TK_PROTO_I32:
    case TK_PROTO_STRING: /* its length */
    case TK_PROTO_BYTES: return 4;
    case TK_PROTO_U64:
    case TK_PROTO_I64: return 8;
    default: return 0; /* a handle takes no bytes */
    }
}

static bool proto_is_payload(uint8_t kind)
{
    return kind == TK_PROTO_STRING || kind == TK_PROTO_BYTES;
}

int32_t tk_proto_encode(const struct tk_proto_shape *sh, uint32_t head, const void *s, void *buf,
                        uint32_t cap, tk_handle *handles, uint32_t *nhandles)
{
    const uint8_t *in = s;
    uint8_t *out = buf;
    uint32_t fixed = 4, total, pos, nh = 0;

    for (uint32_t i = 0; i < sh->nfields; i++) fixed += proto_scalar_size(sh->fields[i].kind);
    total = fixed;
    for (uint32_t i = 0; i < sh->nfields; i++) {
        const struct tk_proto_field *f = &sh->fields[i];
        uint32_t len;

        if (!proto_is_payload(f->kind)) continue;
        __builtin_memcpy(&len, in + f->len_offset, sizeof len);
        if (len > f->max) return TK_ERR_RANGE;
        if (f->kind == TK_PROTO_STRING && __builtin_memchr(in + f->offset, 0, len))
            return TK_ERR_RANGE;
        total += len;
    }
    if (total > cap) return TK_ERR_BUFFER_TOO_SMALL;
    proto_store(out, head, 4);
    pos = 4;
    for (uint32_t i = 0; i < sh->nfields; i++) {
        const struct tk_proto_field *f = &sh->fields[i];
        uint32_t n = proto_scalar_size(f->kind);
        uint64_t v = 0;

        if (f->kind == TK_PROTO_HANDLE) {
            __builtin_memcpy(&handles[nh++], in + f->offset, sizeof(tk_handle));
            continue;
        }
        if (proto_is_payload(f->kind)) {
            uint32_t len;
            __builtin_memcpy(&len, in + f->len_offset, sizeof len);
            v = len;
        } else if (n == 4) {
            uint32_t w;
            __builtin_memcpy(&w, in + f->offset, sizeof w);
            v = w;
        } else {
            __builtin_memcpy(&v, in + f->offset, sizeof v);
        }
        proto_store(out + pos, v, n);
        pos += n;
    }
    for (uint32_t i = 0; i < sh->nfields; i++) {
        const struct tk_proto_field *f = &sh->fields[i];
        uint32_t len;

        if (!proto_is_payload(f->kind)) continue;
        __builtin_memcpy(&len, in + f->len_offset, sizeof len);
        __builtin_memcpy(out + pos, in + f->offset, len);
        pos += len;
    }
    if (nhandles) *nhandles = nh;
    return (int32_t)pos;
}

int32_t tk_proto_decode(const struct tk_proto_shape *sh, const void *msg, uint32_t len,
                        const tk_handle *handles, uint32_t nhandles, void *s)
{
    const uint8_t *in = msg;
    uint8_t *out = s;
    uint32_t fixed = 4, pos, payload, nh = 0;

    if (nhandles != sh->nhandles) return TK_ERR_INVAL;
    for (uint32_t i = 0; i < sh->nfields; i++) fixed += proto_scalar_size(sh->fields[i].kind);
    if (len < fixed) return TK_ERR_INVAL;
    /* First measure: every length within its max and, all together, exactly the rest. */
    payload = fixed;
    pos = 4;
    for (uint32_t i = 0; i < sh->nfields; i++) {
        const struct tk_proto_field *f = &sh->fields[i];
        uint32_t n = proto_scalar_size(f->kind), l;

        if (proto_is_payload(f->kind)) {
            l = (uint32_t)proto_load(in + pos, 4);
            if (l > f->max || l > len - payload) return TK_ERR_INVAL;
            if (f->kind == TK_PROTO_STRING && __builtin_memchr(in + payload, 0, l))
                return TK_ERR_INVAL;
            payload += l;
        }
        pos += n;
    }
    if (payload != len) return TK_ERR_INVAL;
    /* Then store. */
    pos = 4;
    payload = fixed;
    for (uint32_t i = 0; i < sh->nfields; i++) {
        const struct tk_proto_field *f = &sh->fields[i];
        uint32_t n = proto_scalar_size(f->kind);
        uint64_t v = n ? proto_load(in + pos, n) : 0;

        pos += n;
        if (f->kind == TK_PROTO_HANDLE) {
            __builtin_memcpy(out + f->offset, &handles[nh++], sizeof(tk_handle));
        } else if (proto_is_payload(f->kind)) {
            uint32_t l = (uint32_t)v;
            __builtin_memcpy(out + f->len_offset, &l, sizeof l);
            __builtin_memcpy(out + f->offset, in + payload, l);
            if (f->kind == TK_PROTO_STRING) out[f->offset + l] = 0;
            payload += l;
        } else if (n == 4) {
            uint32_t w = (uint32_t)v;
            __builtin_memcpy(out + f->offset, &w, sizeof w);
        } else {
            __builtin_memcpy(out + f->offset, &v, sizeof v);
        }
    }
    return 0;
}

int32_t tk_proto_find(const struct tk_proto_protocol *p, const void *msg, uint32_t len,
                      const struct tk_proto_message **out)
{
    uint32_t ordinal;

    *out = 0;
    if (len < 4) return TK_ERR_INVAL;
    ordinal = (uint32_t)proto_load(msg, 4);
    for (uint32_t i = 0; i < p->nmessages; i++) {
        if (p->messages[i].ordinal == ordinal) {
            *out = &p->messages[i];
            return 0;
        }
    }
    return TK_ERR_UNSUPPORTED;
}

void tk_proto_close(const tk_handle *handles, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) tk_handle_close(handles[i]);
}

void tk_proto_close_fields(const struct tk_proto_shape *sh, void *s)
{
    uint8_t *p = s;

    for (uint32_t i = 0; i < sh->nfields; i++) {
        tk_handle h;

        if (sh->fields[i].kind != TK_PROTO_HANDLE) continue;
        __builtin_memcpy(&h, p + sh->fields[i].offset, sizeof h);
        if (h != TK_HANDLE_INVALID) tk_handle_close(h);
        h = TK_HANDLE_INVALID;
        __builtin_memcpy(p + sh->fields[i].offset, &h, sizeof h);
    }
}

int32_t tk_proto_set_string(char *field, uint32_t *len, uint32_t max, const char *s)
{
    size_t n = __builtin_strlen(s);

    if (n > max) return TK_ERR_RANGE;
    __builtin_memcpy(field, s, n + 1);
    *len = (uint32_t)n;
    return 0;
}

int32_t tk_proto_finish(const struct tk_proto_message *m, int32_t r, void *rp, void *reply,
                        uint32_t cap, uint32_t *reply_len, tk_handle *reply_handles,
                        uint32_t *reply_nhandles)
{
    tk_handle scratch[TK_PROTO_MAX_HANDLES];
    uint32_t nh = 0;

    if (reply_nhandles) *reply_nhandles = 0;
    if (m->oneway) return TK_PROTO_NO_REPLY;
    if (r < 0) {
        tk_proto_close_fields(&m->reply, rp);
        return r;
    }
    if (m->reply.nhandles && !reply_handles) { /* this server loop sends no handles */
        tk_proto_close_fields(&m->reply, rp);
        return TK_ERR_UNSUPPORTED;
    }
    r = tk_proto_encode(&m->reply, 0, rp, reply, cap, scratch, &nh);
    if (r < 0) {
        tk_proto_close_fields(&m->reply, rp);
        return r;
    }
    *reply_len = (uint32_t)r;
    for (uint32_t i = 0; i < nh; i++) reply_handles[i] = scratch[i];
    if (reply_nhandles) *reply_nhandles = nh;
    return 0;
}

/* Encodes request rq of m into buf: its length; on failure its handles are closed. */
static int32_t proto_request(const struct tk_proto_message *m, const void *rq, uint8_t *buf,
                             tk_handle *handles, uint32_t *nh)
{
    int32_t n = tk_proto_encode(&m->request, m->ordinal, rq, buf, TK_PROTO_MAX_MSG, handles, nh);

    if (n < 0) tk_proto_close_fields(&m->request, (void *)(uintptr_t)rq);
    return n;
}

int32_t tk_proto_call(const struct tk_proto_message *m, tk_handle ch, const void *rq, void *rp)
{
    uint8_t req[TK_PROTO_MAX_MSG], rep[TK_PROTO_MAX_MSG];
    tk_handle hs[TK_PROTO_MAX_HANDLES], got[TK_PROTO_MAX_HANDLES];
    struct tk_channel_sizes sz = {0, 0};
    uint32_t nh = 0;
    int32_t n = proto_request(m, rq, req, hs, &nh), r, status;

    if (n < 0) return n;
    r = tk_channel_call(ch, req, (uint32_t)n, hs, nh, rep, sizeof rep, got, TK_PROTO_MAX_HANDLES,
                        &sz, -1);
    if (r < 0) return r;
    status = sz.bytes >= 4 ? (int32_t)(uint32_t)proto_load(rep, 4) : TK_ERR_INVAL;
    if (status < 0 && (sz.bytes != 4 || sz.handles != 0)) status = TK_ERR_INVAL;
    if (status > 0) status = TK_ERR_INVAL;
    if (status == 0) {
        if (rp)
            status = tk_proto_decode(&m->reply, rep, sz.bytes, got, sz.handles, rp);
        else if (sz.bytes != 4 || sz.handles != 0)
            status = TK_ERR_INVAL;
    }
    if (status < 0) tk_proto_close(got, sz.handles);
    return status;
}

int32_t tk_proto_send(const struct tk_proto_message *m, tk_handle ch, const void *rq)
{
    uint8_t req[TK_PROTO_MAX_MSG];
    tk_handle hs[TK_PROTO_MAX_HANDLES];
    uint32_t nh = 0;
    int32_t n = proto_request(m, rq, req, hs, &nh);

    if (n < 0) return n;
    return tk_channel_write(ch, req, (uint32_t)n, hs, nh);
}
