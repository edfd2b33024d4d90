/*
 * One instruction read from a function body: the opcode (0xFC-prefixed ones as
 * 0xfc00 | sub) and its decoded immediates. The validator and the lowering both walk
 * bodies with wasm_read_instr, so immediates are parsed in exactly one place.
 */
#ifndef TAKARA_WASM_INSTR_H
#define TAKARA_WASM_INSTR_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm/reader.h"

struct wasm_instr {
    uint32_t op;
    uint32_t offset;   /* in the module binary */
    uint32_t a, b;     /* index / label / align+offset / type+table / dst+src */
    uint32_t mem;      /* IMM_MEMARG: the memory index (multi-memory; 0 otherwise) */
    int64_t blocktype; /* IMM_BLOCKTYPE: -64 empty, -1..-17 a value type, >= 0 a type index */
    uint64_t value;    /* constants (bit patterns) */
    /* IMM_BR_TABLE: count labels at `labels` (LEB128, re-read with wasm_br_table_label) */
    uint32_t nlabels;
    const uint8_t *labels;
    uint8_t valtype; /* IMM_SELECT_T, IMM_REFTYPE */
};

/* Reads the next instruction; false with the reader's error set. */
bool wasm_read_instr(struct wasm_reader *r, struct wasm_instr *in);

/* Whether `op` is an instruction of the supported feature set. */
bool wasm_op_exists(uint32_t op);
/* The fixed "params:results" signature from opcodes.def, or NULL for hand-typed ops. */
const char *wasm_op_signature(uint32_t op);
/* Natural alignment (log2 of the access size) of a load or store. */
unsigned wasm_op_natural_align(uint32_t op);
/* The opcode's name in the text format, for diagnostics. */
const char *wasm_op_name(uint32_t op);

#endif
