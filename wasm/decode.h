/* The binary decoder (decode.c) and helpers the validator shares with it. */
#ifndef TAKARA_WASM_DECODE_H
#define TAKARA_WASM_DECODE_H

#include <stdbool.h>

#include "wasm/module.h"
#include "wasm/reader.h"

/* Fills `m` from m->bytes/m->len; false with *err set (MALFORMED, INVALID or NOMEM). */
bool wasm_decode_module(struct wasm_module *m, struct wasm_error *err);
bool wasm_decode_valtype(struct wasm_reader *r, uint8_t *out);

#endif
