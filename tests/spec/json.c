/* JSON reader (json.h): recursive descent over a bounded buffer. */
#include "tests/spec/json.h"

#include <stdbool.h>

#include "wasm/shim.h"

struct jp {
    const char *p, *end;
    int depth;
};

static void skip_ws(struct jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
        j->p++;
}

static struct json *node(uint8_t kind)
{
    struct json *n = wasm_calloc(1, sizeof(*n));

    if (n) n->kind = kind;
    return n;
}

/* A string literal at j->p (after the quote); \uXXXX beyond ASCII becomes UTF-8. */
static char *parse_string(struct jp *j, size_t *len)
{
    const char *s = j->p;
    size_t cap = 0;
    char *out;
    size_t n = 0;

    while (s < j->end && *s != '"') {
        if (*s == '\\') s++;
        s++;
        cap++;
    }
    if (s >= j->end) return NULL;
    out = wasm_platform_alloc(cap * 3 + 1);
    if (!out) return NULL;
    while (*j->p != '"') {
        char c = *j->p++;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        c = *j->p++;
        switch (c) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'u': {
            unsigned v = 0;
            for (int i = 0; i < 4 && j->p < j->end; i++) {
                char h = *j->p++;
                v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            if (v < 0x80) {
                out[n++] = (char)v;
            } else if (v < 0x800) {
                out[n++] = (char)(0xc0 | v >> 6);
                out[n++] = (char)(0x80 | (v & 0x3f));
            } else {
                out[n++] = (char)(0xe0 | v >> 12);
                out[n++] = (char)(0x80 | (v >> 6 & 0x3f));
                out[n++] = (char)(0x80 | (v & 0x3f));
            }
            break;
        }
        default: out[n++] = c; break;
        }
    }
    j->p++;
    out[n] = 0;
    if (len) *len = n;
    return out;
}

static struct json *parse_value(struct jp *j);

static struct json *parse_container(struct jp *j, bool object)
{
    struct json *n = node(object ? JSON_OBJECT : JSON_ARRAY), **tail;

    if (!n || ++j->depth > 64) goto fail;
    tail = &n->child;
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == (object ? '}' : ']')) {
        j->p++;
        j->depth--;
        return n;
    }
    for (;;) {
        char *key = NULL;
        struct json *v;

        skip_ws(j);
        if (object) {
            if (j->p >= j->end || *j->p != '"') goto fail;
            j->p++;
            if (!(key = parse_string(j, NULL))) goto fail;
            skip_ws(j);
            if (j->p >= j->end || *j->p != ':') {
                wasm_platform_free(key);
                goto fail;
            }
            j->p++;
        }
        v = parse_value(j);
        if (!v) {
            wasm_platform_free(key);
            goto fail;
        }
        v->key = key;
        *tail = v;
        tail = &v->next;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == (object ? '}' : ']')) {
            j->p++;
            j->depth--;
            return n;
        }
        goto fail;
    }
fail:
    json_free(n);
    return NULL;
}

static struct json *parse_value(struct jp *j)
{
    struct json *n;

    skip_ws(j);
    if (j->p >= j->end) return NULL;
    switch (*j->p) {
    case '{': return parse_container(j, true);
    case '[': return parse_container(j, false);
    case '"':
        n = node(JSON_STRING);
        j->p++;
        if (n && !(n->str = parse_string(j, &n->len))) {
            json_free(n);
            return NULL;
        }
        return n;
    default: {
        const char *s = j->p;
        while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' && *j->p != ' ' &&
               *j->p != '\n')
            j->p++;
        n = node(JSON_NUMBER);
        if (!n) return NULL;
        if (j->p - s == 4 && !memcmp(s, "null", 4))
            n->kind = JSON_NULL;
        else if (*s == 't' || *s == 'f')
            n->kind = JSON_BOOL;
        n->str = wasm_platform_alloc((size_t)(j->p - s) + 1);
        if (!n->str) {
            json_free(n);
            return NULL;
        }
        memcpy(n->str, s, (size_t)(j->p - s));
        n->str[j->p - s] = 0;
        return n;
    }
    }
}

struct json *json_parse(const char *text, size_t len)
{
    struct jp j = {text, text + len, 0};

    return parse_value(&j);
}

void json_free(struct json *n)
{
    while (n) {
        struct json *next = n->next;
        json_free(n->child);
        wasm_platform_free((void *)n->key);
        wasm_platform_free(n->str);
        wasm_platform_free(n);
        n = next;
    }
}

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

const struct json *json_get(const struct json *obj, const char *key)
{
    for (const struct json *c = obj ? obj->child : NULL; c; c = c->next)
        if (c->key && str_eq(c->key, key)) return c;
    return NULL;
}

const char *json_get_str(const struct json *obj, const char *key)
{
    const struct json *v = json_get(obj, key);

    return v && (v->kind == JSON_STRING || v->kind == JSON_NUMBER) ? v->str : NULL;
}

const struct json *json_get_node_str(const struct json *obj, const char *key)
{
    const struct json *v = json_get(obj, key);

    return v && v->kind == JSON_STRING ? v : NULL;
}
