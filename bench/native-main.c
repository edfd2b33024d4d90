/* Native harness: runs run(iters) once and prints "checksum=C ns=T". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint32_t run(uint32_t iters);

int main(int argc, char **argv)
{
    uint32_t iters = argc > 1 ? (uint32_t)atoi(argv[1]) : 1, sum;
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    sum = run(iters);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("checksum=%u ns=%lld\n", sum,
           (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
    return 0;
}
