/* A small register-bytecode interpreter running a counted loop: the dispatch pattern of
 * every interpreter, itself interpreted. */
#include "common.h"

enum { LOADI, MULI, ADD, XOR, DEC, JNZ, HALT };

struct insn {
    uint8_t op, a, b;
    int32_t imm;
};

/* r0 = 0; r1 = 1000; loop: r0 = r0 * 3; r0 += r1; r0 ^= r2; r1--; if r1 goto loop */
static const struct insn prog[] = {
    {LOADI, 0, 0, 0}, {LOADI, 1, 0, 1000}, {MULI, 0, 0, 3}, {ADD, 0, 1, 0},
    {XOR, 0, 2, 0},   {DEC, 1, 0, 0},      {JNZ, 1, 0, 2},  {HALT, 0, 0, 0},
};

static uint32_t exec(uint32_t seed)
{
    uint32_t r[4] = {0, 0, seed, 0};
    uint32_t pc = 0;

    for (;;) {
        const struct insn *i = &prog[pc++];
        switch (i->op) {
        case LOADI: r[i->a] = (uint32_t)i->imm; break;
        case MULI: r[i->a] *= (uint32_t)i->imm; break;
        case ADD: r[i->a] += r[i->b]; break;
        case XOR: r[i->a] ^= r[i->b]; break;
        case DEC: r[i->a]--; break;
        case JNZ:
            if (r[i->a]) pc = (uint32_t)i->imm;
            break;
        default: return r[0];
        }
    }
}

EXPORT uint32_t run(uint32_t iters)
{
    uint32_t sum = 0;

    for (uint32_t it = 0; it < iters * 10; it++) sum += exec(it);
    return sum;
}
