/* CRC-32 (IEEE, table-driven) over a 16 KiB buffer, `iters` times. */
#include "common.h"

static uint32_t table[256];
static uint8_t buf[16384];

EXPORT uint32_t run(uint32_t iters)
{
    uint32_t seed = 1, crc = 0;

    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    for (uint32_t i = 0; i < sizeof(buf); i++) buf[i] = (uint8_t)bench_rand(&seed);
    for (uint32_t it = 0; it < iters; it++) {
        uint32_t c = ~crc;
        for (uint32_t i = 0; i < sizeof(buf); i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
        crc = ~c;
    }
    return crc;
}
