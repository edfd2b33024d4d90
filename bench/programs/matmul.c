/* 64x64 double matrix multiply, `iters` times, feeding each result back in. */
#include "common.h"

#define N 64
static double a[N][N], b[N][N], c[N][N];

EXPORT uint32_t run(uint32_t iters)
{
    uint32_t seed = 3;
    double sum = 0;

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)(bench_rand(&seed) % 100) / 100.0;
            b[i][j] = (double)(bench_rand(&seed) % 100) / 100.0;
        }
    for (uint32_t it = 0; it < iters; it++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) a[i][j] = c[i][j] / 64.0;
        sum += c[it % N][(it * 7) % N];
    }
    return (uint32_t)(int64_t)(sum * 1000.0);
}
