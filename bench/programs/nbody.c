/* Five-body gravitational simulation (double), `iters` x 1000 steps. */
#include "common.h"

struct body {
    double x, y, z, vx, vy, vz, m;
};

static double root(double v)
{
    return __builtin_sqrt(v); /* one instruction on both targets */
}

EXPORT uint32_t run(uint32_t iters)
{
    struct body b[5] = {{0, 0, 0, 0, 0, 0, 39.47},
                        {4.84, -1.16, -0.10, 0.60, 2.81, -0.02, 0.037},
                        {8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011},
                        {12.89, -15.11, -0.22, 1.08, 0.86, -0.01, 0.0017},
                        {15.37, -25.91, 0.17, 0.97, 0.59, -0.03, 0.002}};
    double e = 0;

    for (uint32_t step = 0; step < iters * 1000; step++) {
        for (int i = 0; i < 5; i++)
            for (int j = i + 1; j < 5; j++) {
                double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
                double d2 = dx * dx + dy * dy + dz * dz, mag = 0.01 / (d2 * root(d2));
                b[i].vx -= dx * b[j].m * mag;
                b[i].vy -= dy * b[j].m * mag;
                b[i].vz -= dz * b[j].m * mag;
                b[j].vx += dx * b[i].m * mag;
                b[j].vy += dy * b[i].m * mag;
                b[j].vz += dz * b[i].m * mag;
            }
        for (int i = 0; i < 5; i++) {
            b[i].x += 0.01 * b[i].vx;
            b[i].y += 0.01 * b[i].vy;
            b[i].z += 0.01 * b[i].vz;
        }
    }
    for (int i = 0; i < 5; i++)
        e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    return (uint32_t)(int64_t)(e * 1e6);
}
