/*
 * Labels: a branch to a bound label gets its displacement at once; a branch to an
 * unbound one leaves a rel32 field holding the offset of the previous field waiting for
 * the same label (-1 ends the chain), and binding walks the chain and patches each.
 * Displacements count from the end of the field, which every user places last in its
 * instruction.
 */
#include "wasm/jit/x86_64/encode.h"

static int32_t read32(const struct x86_buf *b, uint32_t at)
{
    return (int32_t)((uint32_t)b->code[at] | (uint32_t)b->code[at + 1] << 8 |
                     (uint32_t)b->code[at + 2] << 16 | (uint32_t)b->code[at + 3] << 24);
}

static void write32(struct x86_buf *b, uint32_t at, int32_t v)
{
    for (int i = 0; i < 4; i++) b->code[at + i] = (uint8_t)((uint32_t)v >> (8 * i));
}

void x86_label_init(struct x86_label *l)
{
    l->pos = -1;
    l->link = -1;
}

bool x86_label_pending(const struct x86_label *l)
{
    return l->link >= 0;
}

void x86_label_rel32(struct x86_buf *b, struct x86_label *l)
{
    int32_t at = (int32_t)b->len;

    if (b->failed) return;
    if (l->pos >= 0) {
        x86_put32(b, (uint32_t)(l->pos - (at + 4)));
        return;
    }
    x86_put32(b, (uint32_t)l->link);
    l->link = at;
}

void x86_label_bind(struct x86_buf *b, struct x86_label *l)
{
    int32_t at = l->link;

    WASM_ASSERT(l->pos < 0);
    l->pos = (int32_t)b->len;
    l->link = -1;
    if (b->failed) return; /* the chain may run past what was written */
    while (at >= 0) {
        int32_t next = read32(b, (uint32_t)at);
        write32(b, (uint32_t)at, l->pos - (at + 4));
        at = next;
    }
}
