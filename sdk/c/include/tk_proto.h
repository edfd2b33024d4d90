/*
 * The protocol codec of the C SDK (docs/protocols.md): encodes and decodes the messages
 * of a protocol defined in include/takara/proto/NAME.proto, from the tables that
 * tools/gen-proto.py generates into build/gen/proto/NAME.{h,c} (the typed structs,
 * client calls and server dispatch sit there, on top of these functions).
 *
 *   request  | u32 ordinal | fixed part | payloads |
 *   reply    | i32 status  | fixed part | payloads |     (status 0; an error is only
 *                                                        its 4-byte negative status)
 *
 * The fixed part holds the fields in order, little-endian and unpadded: a u32 or i32 in
 * 4 bytes, a u64 or i64 in 8, and for each string or bytes field its u32 length; the
 * payloads follow, one per string or bytes field, in the same order, and end the
 * message exactly. Handle fields travel in the message's handle array, in order, and
 * take no bytes. Decoding checks everything before it stores anything it reads; a
 * message that breaks a rule is refused whole (TK_ERR_INVAL; an unknown ordinal is
 * TK_ERR_UNSUPPORTED), and nothing past its end is ever read.
 */
#ifndef TAKARA_SDK_PROTO_H
#define TAKARA_SDK_PROTO_H

#include <stdbool.h>
#include <stdint.h>
#include <takara/error.h>
#include <takara/handle.h>

#if !defined(__wasm__)
/* On the host (the unit tests) the imports the codec calls are the tests' fakes; in a
 * module they come from <takara.h>. */
int32_t tk_handle_close(tk_handle h);
int32_t tk_channel_write(tk_handle h, const void *bytes, uint32_t nbytes, const tk_handle *handles,
                         uint32_t nhandles);
int32_t tk_channel_call(tk_handle h, const void *wbytes, uint32_t wnbytes,
                        const tk_handle *whandles, uint32_t wnhandles, void *rbytes,
                        uint32_t rcap_bytes, tk_handle *rhandles, uint32_t rcap_handles,
                        struct tk_channel_sizes *actual, int64_t timeout_ns);
#endif

/* Every protocol's largest message: the servers' buffers (TK_SERVICE_MAX_MSG). */
#define TK_PROTO_MAX_MSG     1024u
#define TK_PROTO_MAX_HANDLES 4u
/* What a dispatch returns for a one-way message: nothing is sent back. */
#define TK_PROTO_NO_REPLY 1

enum tk_proto_kind {
    TK_PROTO_U32 = 1,
    TK_PROTO_I32,
    TK_PROTO_U64,
    TK_PROTO_I64,
    TK_PROTO_STRING, /* char NAME[max + 1] (NUL-terminated, no NUL inside) and NAME_len */
    TK_PROTO_BYTES,  /* uint8_t NAME[max] and uint32_t NAME_len */
    TK_PROTO_HANDLE, /* tk_handle NAME */
};

/* One field of a message: where it sits in the message's C struct. */
struct tk_proto_field {
    uint8_t kind;
    uint16_t max;        /* string and bytes: the most bytes it holds */
    uint32_t offset;     /* of the value (the array for string and bytes) */
    uint32_t len_offset; /* string and bytes: of the uint32_t length */
};

/* The fields of a request or a reply. */
struct tk_proto_shape {
    const struct tk_proto_field *fields;
    uint8_t nfields;
    uint8_t nhandles; /* how many of them are handles */
};

struct tk_proto_message {
    uint32_t ordinal;
    const char *name;
    struct tk_proto_shape request, reply;
    bool oneway; /* never answered */
};

struct tk_proto_protocol {
    const char *name;
    const struct tk_proto_message *messages;
    uint32_t nmessages;
};

/* Encodes `head` (an ordinal or status 0) and the fields of struct s into buf; the
 * handle fields go to handles[] in order (*nhandles gets their count). The length, or
 * TK_ERR_RANGE (a string or bytes field longer than its max, or a string holding a
 * NUL) or TK_ERR_BUFFER_TOO_SMALL. */
int32_t tk_proto_encode(const struct tk_proto_shape *sh, uint32_t head, const void *s, void *buf,
                        uint32_t cap, tk_handle *handles, uint32_t *nhandles);

/* Decodes the fields after the 4-byte head of msg[0, len) into struct s, the handle
 * fields from handles[] (exactly sh->nhandles of them). 0 or TK_ERR_INVAL:
 * short, longer than its fields, a length past the end or over its max, a string with
 * a NUL, the wrong number of handles. Takes no handle: the caller closes them on error. */
int32_t tk_proto_decode(const struct tk_proto_shape *sh, const void *msg, uint32_t len,
                        const tk_handle *handles, uint32_t nhandles, void *s);

/* The message a request names: *out, or TK_ERR_INVAL (shorter than its ordinal) or
 * TK_ERR_UNSUPPORTED (no such ordinal). */
int32_t tk_proto_find(const struct tk_proto_protocol *p, const void *msg, uint32_t len,
                      const struct tk_proto_message **out);

/* Closes the handle fields of struct s that are set (the handles a refused reply or
 * request held). */
void tk_proto_close_fields(const struct tk_proto_shape *sh, void *s);
void tk_proto_close(const tk_handle *handles, uint32_t n);

/* A client's call of message m on channel ch: encodes struct rq (its handles are
 * consumed, sent or not), waits for the reply (channel_call's rules), and decodes it
 * into struct rp (may be NULL for a reply without fields). The server's status, the
 * channel's error, or TK_ERR_INVAL for a reply that breaks the protocol (its handles
 * closed). */
int32_t tk_proto_call(const struct tk_proto_message *m, tk_handle ch, const void *rq, void *rp);

/* Sends one-way message m: never waits (a full queue is TK_ERR_AGAIN). */
int32_t tk_proto_send(const struct tk_proto_message *m, tk_handle ch, const void *rq);

/* Copies a NUL-terminated string into a string field: TK_ERR_RANGE if longer than max. */
int32_t tk_proto_set_string(char *field, uint32_t *len, uint32_t max, const char *s);

/* The generated dispatch's end of one request: status r from the handler (handles it
 * put into the reply struct closed if r < 0), then the reply encoded into reply[0, cap).
 * The status to send (negative: as a 4-byte error), or TK_PROTO_NO_REPLY. */
int32_t tk_proto_finish(const struct tk_proto_message *m, int32_t r, void *rp, void *reply,
                        uint32_t cap, uint32_t *reply_len, tk_handle *reply_handles,
                        uint32_t *reply_nhandles);

#endif
