/* Sieve of Eratosthenes up to 1,000,000, `iters` times. */
#include "common.h"

#define LIMIT 1000000
static uint8_t composite[LIMIT + 1];

EXPORT uint32_t run(uint32_t iters)
{
    uint32_t total = 0;

    for (uint32_t it = 0; it < iters; it++) {
        uint32_t count = 0;
        for (uint32_t i = 0; i <= LIMIT; i++) composite[i] = 0;
        for (uint32_t i = 2; i <= LIMIT; i++) {
            if (composite[i]) continue;
            count++;
            for (uint32_t j = i * 2; j <= LIMIT; j += i) composite[j] = 1;
        }
        total += count + it;
    }
    return total;
}
