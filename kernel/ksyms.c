/*
 * Symbol lookup over the table tools/gen-ksyms.py emits into .ksyms:
 *
 *   ksyms_table: u64 count | count x { u64 addr, u64 name offset } | names (NUL-ended)
 *
 * sorted by address, so lookup is a binary search for the last entry <= addr.
 */
#include "kernel/ksyms.h"

struct ksym {
    uint64_t addr, name;
};

extern const uint64_t ksyms_table[];
extern char __text_start[], __text_end[];

const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset)
{
    uint64_t count = ksyms_table[0];
    const struct ksym *syms = (const struct ksym *)&ksyms_table[1];
    const char *names = (const char *)&syms[count];
    uint64_t lo = 0, hi = count;

    if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end || !count) return 0;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (syms[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (syms[lo].addr > addr) return 0;
    *offset = addr - syms[lo].addr;
    return names + syms[lo].name;
}
