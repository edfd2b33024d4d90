/* Validation (validate_module.c: the module; validate_func.c: function bodies). */
#ifndef TAKARA_WASM_VALIDATE_H
#define TAKARA_WASM_VALIDATE_H

#include <stdbool.h>

#include "wasm/module.h"

/* Checks a decoded module; fills max_stack/max_blocks of every body. False with *err
 * (TK_ERR_INVALID and the spec's reason, or TK_ERR_MALFORMED found while reading code). */
bool wasm_validate_module(struct wasm_module *m, struct wasm_error *err);
bool wasm_validate_func(struct wasm_module *m, uint32_t index, struct wasm_error *err);

/* Block type immediate -> params/results (pointing into the module or static storage);
 * false if the type index is unknown. */
bool wasm_blocktype(const struct wasm_module *m, int64_t bt, uint32_t *nparams,
                    const uint8_t **params, uint32_t *nresults, const uint8_t **results);

bool wasm_func_declared(const struct wasm_module *m, uint32_t func);

#endif
