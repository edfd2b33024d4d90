/*
 * Bit counts: lzcnt, tzcnt and popcnt (F3 0F BD/BC/B8), Wasm's clz, ctz and popcnt in
 * one instruction each, defined for a zero input (the operand size), unlike bsr/bsf.
 * Needs ABM/BMI1 and POPCNT: every x86-64 since about 2013, and QEMU's TCG; a compiler
 * for older parts would test CPUID and fall back.
 */
#include "wasm/jit/x86_64/encode.h"

void x86_bitcount_rr(struct x86_buf *b, enum x86_bitcount op, enum x86_size s, enum x86_reg dst,
                     enum x86_reg src)
{
    static const uint16_t opcodes[] = {
        [X86_LZCNT] = 0x0fbd, [X86_TZCNT] = 0x0fbc, [X86_POPCNT] = 0x0fb8};

    WASM_ASSERT(s != X86_S8);
    x86_enc_rr(b, x86_size_flags(s) | X86_F_F3, opcodes[op], dst, src);
}
