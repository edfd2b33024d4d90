/*
 * Shifts and rotates: the C0/C1 (by imm8), D0/D1 (by one) and D2/D3 (by cl) groups with
 * the operation as /digit. A count of one takes the shorter D1 form, as assemblers do.
 * The hardware masks the count (to 5 bits, 6 for 64-bit operands), which is exactly
 * Wasm's shift semantics.
 */
#include "wasm/jit/x86_64/encode.h"

void x86_shift_ri(struct x86_buf *b, enum x86_shift op, enum x86_size s, enum x86_reg r,
                  uint8_t imm)
{
    if (imm == 1) {
        x86_enc_rr(b, x86_size_flags_digit(s), x86_size_op(s, 0xd1), op, r);
        return;
    }
    x86_enc_rr(b, x86_size_flags_digit(s), x86_size_op(s, 0xc1), op, r);
    x86_put8(b, imm);
}

void x86_shift_rcl(struct x86_buf *b, enum x86_shift op, enum x86_size s, enum x86_reg r)
{
    x86_enc_rr(b, x86_size_flags_digit(s), x86_size_op(s, 0xd3), op, r);
}
