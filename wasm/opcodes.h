/* Opcode numbers and immediate kinds, generated from opcodes.def. */
#ifndef TAKARA_WASM_OPCODES_H
#define TAKARA_WASM_OPCODES_H

#include <stdint.h>

/* The immediate operands an instruction carries in the binary. */
enum wasm_imm {
    IMM_NONE,
    IMM_BLOCKTYPE,     /* s33: empty (0x40), value type, or type index */
    IMM_LABEL,         /* u32 label depth */
    IMM_BR_TABLE,      /* vec(u32) then u32 default */
    IMM_FUNC,          /* u32 function index */
    IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
    IMM_SELECT_T,      /* vec(valtype), exactly one */
    IMM_LOCAL,         /* u32 local index */
    IMM_GLOBAL,        /* u32 global index */
    IMM_TABLE,         /* u32 table index */
    IMM_MEMARG,        /* u32 align (log2; bit 6: a memory index follows), u32 offset */
    IMM_MEMORY,        /* memory index (a zero byte without multi-memory) */
    IMM_I32,           /* s32 */
    IMM_I64,           /* s64 */
    IMM_F32,           /* 4 bytes little-endian */
    IMM_F64,           /* 8 bytes little-endian */
    IMM_REFTYPE,       /* reference type byte */
    IMM_MEMORY_INIT,   /* u32 data index, memory index */
    IMM_MEMORY_COPY,   /* destination and source memory indices */
    IMM_DATA,          /* u32 data index */
    IMM_TABLE_INIT,    /* u32 element index, u32 table index */
    IMM_ELEM,          /* u32 element index */
    IMM_TABLE_COPY,    /* u32 destination table, u32 source table */
    IMM_TAG,           /* u32 tag index */
};

enum wasm_opcode {
#define OP(name, code, text, imm, sig) WASM_OP_##name = (code),
#include "opcodes.def"
#undef OP
};

/* Prefixed opcodes are 0xFC00 | sub; plain ones are a single byte. */
#define WASM_PREFIX_FC 0xfc

#endif
