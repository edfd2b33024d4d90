/*
 * Turning a boot memory map into the page ranges the physical allocator may use.
 * Portable (host-tested): the map is untrusted input, so entries that make no sense
 * are reported through `reject` and dropped, reserved entries win over usable ones,
 * and the caller's exclusions (low memory, kernel image, boot modules) are cut out.
 */
#ifndef TAKARA_KERNEL_MM_RANGES_H
#define TAKARA_KERNEL_MM_RANGES_H

#include <stdint.h>

#include "kernel/boot.h"

#define RANGES_MAX_PHYS (1ull << 52) /* the architectural limit of physical addresses */

struct mm_range {
    uint64_t base, end; /* [base, end), page-aligned in results */
};

typedef void (*ranges_reject_fn)(const struct boot_range *r, const char *why);

/*
 * Fills out[] (sorted, disjoint, page-aligned, non-empty) and returns how many, at most
 * max_out; ranges beyond that are dropped with a rejection of their own.
 */
uint32_t ranges_build_usable(const struct boot_range *in, uint32_t nin,
                             const struct mm_range *exclude, uint32_t nexclude,
                             struct mm_range *out, uint32_t max_out, ranges_reject_fn reject);

#endif
