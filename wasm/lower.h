/*
 * The interpreter tier's entry points, called through the tier table (tier.c) after
 * validation and when the module is freed. The lowering turns each validated body into the
 * interpreter's internal code (struct wasm_code.lowered) and may keep module-wide tables in struct
 * wasm_module.lowered.
 */
#ifndef TAKARA_WASM_LOWER_H
#define TAKARA_WASM_LOWER_H

#include "module.h"

/* Lowers every function body of a validated module. TK_ERR_NOMEM or TK_ERR_LIMIT
 * (a body too large for the internal format) with *err filled on failure. */
int wasm_lower_module(struct wasm_module *module, struct wasm_error *err);

/* Releases everything wasm_lower_module allocated; safe on a partially lowered module. */
void wasm_lower_free(struct wasm_module *module);

#endif
