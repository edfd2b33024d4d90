/* Recursive quicksort of 100,000 pseudo-random integers, `iters` times. */
#include "common.h"

#define N 100000
static uint32_t v[N];

static void sort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t p = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            sort(a, lo, j);
            lo = i;
        } else {
            sort(a, i, hi);
            hi = j;
        }
    }
}

EXPORT uint32_t run(uint32_t iters)
{
    uint32_t seed = 11, sum = 0;

    for (uint32_t it = 0; it < iters; it++) {
        for (int i = 0; i < N; i++) v[i] = bench_rand(&seed);
        sort(v, 0, N - 1);
        sum += v[it % N] ^ v[N / 2];
    }
    return sum;
}
