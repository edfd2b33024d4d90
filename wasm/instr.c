/* Instruction decoding (instr.h), driven by the immediate kinds in opcodes.def. */
#include "wasm/instr.h"

#include <takara/error.h>

#include "wasm/features.h"

#include "wasm/module.h"
#include "wasm/opcodes.h"
#include "wasm/shim.h"

static int op_imm_kind(uint32_t op)
{
    switch (op) {
#define OP(name, code, text, imm, sig)                                                             \
    case code:                                                                                     \
        return imm;
#include "wasm/opcodes.def"
#undef OP
    default: return -1;
    }
}

bool wasm_op_exists(uint32_t op)
{
    return op_imm_kind(op) >= 0;
}

const char *wasm_op_signature(uint32_t op)
{
    switch (op) {
#define OP(name, code, text, imm, sig)                                                             \
    case code:                                                                                     \
        return sig[0] ? sig : NULL;
#include "wasm/opcodes.def"
#undef OP
    default: return NULL;
    }
}

const char *wasm_op_name(uint32_t op)
{
    switch (op) {
#define OP(name, code, text, imm, sig)                                                             \
    case code:                                                                                     \
        return text;
#include "wasm/opcodes.def"
#undef OP
    default: return "?";
    }
}

unsigned wasm_op_natural_align(uint32_t op)
{
    switch (op) {
    case WASM_OP_I32_LOAD8_S:
    case WASM_OP_I32_LOAD8_U:
    case WASM_OP_I64_LOAD8_S:
    case WASM_OP_I64_LOAD8_U:
    case WASM_OP_I32_STORE8:
    case WASM_OP_I64_STORE8: return 0;
    case WASM_OP_I32_LOAD16_S:
    case WASM_OP_I32_LOAD16_U:
    case WASM_OP_I64_LOAD16_S:
    case WASM_OP_I64_LOAD16_U:
    case WASM_OP_I32_STORE16:
    case WASM_OP_I64_STORE16: return 1;
    case WASM_OP_I64_LOAD:
    case WASM_OP_F64_LOAD:
    case WASM_OP_I64_STORE:
    case WASM_OP_F64_STORE: return 3;
    default: return 2;
    }
}

/* The feature an instruction belongs to when this build leaves that feature out. */
static const char *missing_feature(uint32_t op)
{
    switch (op) {
    case WASM_OP_RETURN_CALL:
    case WASM_OP_RETURN_CALL_INDIRECT:
        return WASM_FEATURE_TAIL_CALL ? NULL : WASM_FEATURE_MISSING("tail-call");
    case WASM_OP_TRY:
    case WASM_OP_CATCH:
    case WASM_OP_THROW:
    case WASM_OP_RETHROW:
    case WASM_OP_DELEGATE:
    case WASM_OP_CATCH_ALL:
        return WASM_FEATURE_EXCEPTIONS ? NULL : WASM_FEATURE_MISSING("exceptions");
    default: return NULL;
    }
}

static bool read_zero_byte(struct wasm_reader *r)
{
    uint8_t z;

    if (!wasm_read_u8(r, &z)) return false;
    return z == 0 ? true : wasm_reader_fail(r, "zero byte expected");
}

/* A memory index: a u32 with multi-memory, the reserved zero byte of Wasm 2.0 without. */
static bool read_memidx(struct wasm_reader *r, uint32_t *out)
{
    *out = 0;
    return WASM_FEATURE_MULTI_MEMORY ? wasm_read_u32(r, out) : read_zero_byte(r);
}

/* align and offset; bit 6 of the alignment field says a memory index comes between. */
static bool read_memarg(struct wasm_reader *r, struct wasm_instr *in)
{
    in->mem = 0;
    if (!wasm_read_u32(r, &in->a)) return false;
    if (in->a & 0x40) {
        if (!WASM_FEATURE_MULTI_MEMORY)
            return wasm_reader_fail_code(r, TK_ERR_UNSUPPORTED,
                                         WASM_FEATURE_MISSING("multi-memory"));
        in->a &= ~0x40u;
        if (!wasm_read_u32(r, &in->mem)) return false;
    }
    return wasm_read_u32(r, &in->b);
}

bool wasm_read_instr(struct wasm_reader *r, struct wasm_instr *in)
{
    uint8_t b;
    int kind;

    in->offset = wasm_reader_offset(r);
    if (!wasm_read_u8(r, &b)) return false;
    in->op = b;
    if (b == WASM_PREFIX_FC) {
        uint32_t sub;
        if (!wasm_read_u32(r, &sub)) return false;
        in->op = sub < 0x100 ? 0xfc00 | sub : 0xffff;
    }
    kind = op_imm_kind(in->op);
    if (kind >= 0 && missing_feature(in->op)) {
        r->p = r->base + in->offset;
        return wasm_reader_fail_code(r, TK_ERR_UNSUPPORTED, missing_feature(in->op));
    }
    switch (kind) {
    case IMM_NONE: return true;
    case IMM_BLOCKTYPE: return wasm_read_s33(r, &in->blocktype);
    case IMM_LABEL:
    case IMM_FUNC:
    case IMM_LOCAL:
    case IMM_GLOBAL:
    case IMM_TABLE:
    case IMM_DATA:
    case IMM_TAG:
    case IMM_ELEM: return wasm_read_u32(r, &in->a);
    case IMM_BR_TABLE: {
        uint32_t dummy;
        if (!wasm_read_u32(r, &in->nlabels)) return false;
        if (in->nlabels > wasm_reader_left(r)) return wasm_reader_fail(r, "unexpected end");
        in->labels = r->p;
        for (uint32_t i = 0; i < in->nlabels; i++)
            if (!wasm_read_u32(r, &dummy)) return false;
        return wasm_read_u32(r, &in->a); /* the default label */
    }
    case IMM_CALL_INDIRECT:
    case IMM_TABLE_INIT:
    case IMM_TABLE_COPY: return wasm_read_u32(r, &in->a) && wasm_read_u32(r, &in->b);
    case IMM_SELECT_T: {
        uint32_t n;
        if (!wasm_read_u32(r, &n)) return false;
        if (n != 1) return wasm_reader_fail_code(r, TK_ERR_INVALID, "invalid result arity");
        return wasm_read_u8(r, &in->valtype);
    }
    case IMM_MEMARG: return read_memarg(r, in);
    case IMM_MEMORY: return read_memidx(r, &in->a);
    case IMM_MEMORY_INIT: return wasm_read_u32(r, &in->a) && read_memidx(r, &in->b);
    case IMM_MEMORY_COPY: return read_memidx(r, &in->a) && read_memidx(r, &in->b);
    case IMM_I32: {
        int32_t v;
        if (!wasm_read_s32(r, &v)) return false;
        in->value = (uint32_t)v;
        return true;
    }
    case IMM_I64: {
        int64_t v;
        if (!wasm_read_s64(r, &v)) return false;
        in->value = (uint64_t)v;
        return true;
    }
    case IMM_F32: {
        const uint8_t *p;
        uint32_t v;
        if (!wasm_read_bytes(r, 4, &p)) return false;
        memcpy(&v, p, 4);
        in->value = v;
        return true;
    }
    case IMM_F64: {
        const uint8_t *p;
        if (!wasm_read_bytes(r, 8, &p)) return false;
        memcpy(&in->value, p, 8);
        return true;
    }
    case IMM_REFTYPE:
        if (!wasm_read_u8(r, &in->valtype)) return false;
        if (in->valtype != WASM_FUNCREF && in->valtype != WASM_EXTERNREF)
            return wasm_reader_fail(r, "malformed reference type");
        return true;
    default: r->p = r->base + in->offset; return wasm_reader_fail(r, "illegal opcode");
    }
}
