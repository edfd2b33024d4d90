/*
 * bench: loops whose cost the kernel's process benchmark measures in instructions
 * (kernel/proc/proc_bench_ktest.c). `bench MODE N`: `empty` runs N loop iterations
 * copying a value in memory (the baseline), `import` calls the cheapest import N times, `yield`
 * gives the CPU away N times. Prints nothing: output would be measured too.
 */
#include <takara.h>
#include <tk_util.h>

#include "lib/string.h"

static volatile int32_t bench_sink, bench_source;

int main(int argc, char **argv)
{
    int64_t n = 0;

    if (argc < 3 || !tk_parse_int(argv[2], &n)) return 2;
    /* the same loop, its value from the import or from memory; not unrolled, so the
     * difference is the call, the kernel's work and the return */
    if (!strcmp(argv[1], "empty")) {
#pragma clang loop unroll(disable)
        for (int64_t i = 0; i < n; i++) bench_sink = bench_source;
    } else if (!strcmp(argv[1], "import")) {
#pragma clang loop unroll(disable)
        for (int64_t i = 0; i < n; i++) bench_sink = tk_abi_version();
    } else if (!strcmp(argv[1], "yield")) {
        for (int64_t i = 0; i < n; i++) {
            tk_yield();
            bench_sink = (int32_t)i;
        }
    } else {
        return 2;
    }
    return 0;
}
