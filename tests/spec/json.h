/*
 * A small JSON reader for the spec runner (wast2json's output): the whole document
 * becomes a tree of nodes. Freestanding, allocation through the Wasm platform, so the
 * runner core can run inside the kernel too.
 */
#ifndef TAKARA_TESTS_SPEC_JSON_H
#define TAKARA_TESTS_SPEC_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_kind { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
    uint8_t kind;
    const char *key; /* member name inside an object (NUL-terminated) */
    char *str;       /* JSON_STRING (NUL-terminated, escapes resolved); JSON_NUMBER text */
    size_t len;      /* bytes in str: strings may contain NUL */
    struct json *child, *next;
};

/* Parses `len` bytes; NULL on malformed input or no memory. */
struct json *json_parse(const char *text, size_t len);
void json_free(struct json *j);
/* The member `key` of an object, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* The string value of member `key`, or NULL. */
const char *json_get_str(const struct json *obj, const char *key);

/* The string member `key` as a node (for its length), or NULL. */
const struct json *json_get_node_str(const struct json *obj, const char *key);

#endif
