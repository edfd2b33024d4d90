/*
 * Randomness for processes (WASI random_get): RDRAND where the CPU has it, otherwise a
 * SplitMix64 stream reseeded from the TSC at every call (interrupt timing makes the
 * reads unpredictable in practice, but this is not a cryptographic generator).
 */
#ifndef TAKARA_KERNEL_RANDOM_H
#define TAKARA_KERNEL_RANDOM_H

#include <stddef.h>

void random_fill(void *buf, size_t len);

#endif
