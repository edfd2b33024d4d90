/*
 * spin: a CPU-bound process for scheduler tests. `spin NAME [LIMIT]` runs a xorshift
 * generator and prints `spin NAME: N` after every 2^20 steps (N = 1, 2, ...); with LIMIT
 * it exits 0 after LIMIT such lines, otherwise it runs until killed. It never blocks, so
 * two spins make progress together only if the kernel preempts them.
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#define SPIN_BATCH (1u << 20)

/* Each batch's result is stored here so the compiler must compute it. */
static volatile uint32_t spin_sink;

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "?";
    int64_t limit = -1;
    uint32_t x = 2463534242u;

    if (argc > 2 && (!tk_parse_int(argv[2], &limit) || limit < 0)) {
        tk_printf("spin: bad limit '%s'\n", argv[2]);
        return 2;
    }
    for (int64_t n = 1; limit < 0 || n <= limit; n++) {
        for (uint32_t i = 0; i < SPIN_BATCH; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
        }
        spin_sink = x;
        tk_printf("spin %s: %lld\n", name, (long long)n);
    }
    return 0;
}
