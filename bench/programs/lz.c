/* An LZ77-style compressor (hash of 3 bytes, 4 KiB window) and its decompressor over a
 * 64 KiB text-like buffer, checked by round trip, `iters` times. */
#include "common.h"

#define SIZE 65536
static uint8_t in[SIZE], packed[SIZE * 2], out[SIZE];
static uint16_t head[4096];

static uint32_t compress(void)
{
    uint32_t i = 0, o = 0;

    for (int k = 0; k < 4096; k++) head[k] = 0;
    while (i < SIZE) {
        uint32_t h = (in[i] * 33u + in[(i + 1) % SIZE] * 7u + in[(i + 2) % SIZE]) & 4095;
        uint32_t cand = head[h], len = 0;
        head[h] = (uint16_t)i;
        if (cand < i && i - cand < 4096)
            while (len < 255 && i + len < SIZE && in[cand + len] == in[i + len]) len++;
        if (len >= 4) {
            packed[o++] = 0xff;
            packed[o++] = (uint8_t)len;
            packed[o++] = (uint8_t)((i - cand) >> 8);
            packed[o++] = (uint8_t)(i - cand);
            i += len;
        } else {
            if (in[i] == 0xff)
                packed[o++] = 0xff, packed[o++] = 0;
            else
                packed[o++] = in[i];
            i++;
        }
    }
    return o;
}

static uint32_t decompress(uint32_t n)
{
    uint32_t i = 0, o = 0;

    while (i < n) {
        if (packed[i] != 0xff) {
            out[o++] = packed[i++];
        } else if (packed[i + 1] == 0) {
            out[o++] = 0xff;
            i += 2;
        } else {
            uint32_t len = packed[i + 1], dist = (uint32_t)packed[i + 2] << 8 | packed[i + 3];
            for (uint32_t k = 0; k < len; k++, o++) out[o] = out[o - dist];
            i += 4;
        }
    }
    return o;
}

EXPORT uint32_t run(uint32_t iters)
{
    static const char words[][8] = {"the ", "wasm ", "kernel ", "page ", "trap ", "slot "};
    uint32_t seed = 5, sum = 0;

    for (uint32_t i = 0; i < SIZE;) {
        const char *w = words[bench_rand(&seed) % 6];
        for (int k = 0; w[k] && i < SIZE; k++) in[i++] = (uint8_t)w[k];
    }
    for (uint32_t it = 0; it < iters; it++) {
        uint32_t n = compress(), m = decompress(n), bad = 0;
        for (uint32_t k = 0; k < SIZE; k++) bad += in[k] != out[k];
        sum += n + m + bad * 1000000;
        in[it % SIZE] ^= 1;
    }
    return sum;
}
