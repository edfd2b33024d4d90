/* The kernel's random bytes (random.h). */
#include "kernel/random.h"

#include <stdbool.h>
#include <stdint.h>

#include "arch/arch.h"
#include "lib/string.h"

static uint64_t random_state = 0x853c49e6748fea9bull;

static bool random_rdrand(uint64_t *out)
{
    static int have = -1;
    uint8_t ok = 0;

    if (have < 0) {
        uint32_t a = 1, b, c, d;
        __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
        have = (c >> 30) & 1;
    }
    if (!have) return false;
    for (int tries = 0; tries < 10 && !ok; tries++)
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
    return ok;
}

static uint64_t random_next(void)
{
    uint64_t z, r;

    if (random_rdrand(&r)) return r;
    z = (random_state += 0x9e3779b97f4a7c15ull ^ arch_read_cycles());
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void random_fill(void *buf, size_t len)
{
    uint8_t *p = buf;
    uint64_t flags = arch_irq_save(); /* the state is shared */

    while (len) {
        uint64_t v = random_next();
        size_t n = len < 8 ? len : 8;
        memcpy(p, &v, n);
        p += n;
        len -= n;
    }
    arch_irq_restore(flags);
}
