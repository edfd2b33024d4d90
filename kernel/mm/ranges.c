/* Boot memory map sanitising (ranges.h). */
#include "kernel/mm/ranges.h"

#include <stdbool.h>

#define RANGE_PAGE 4096ull

static bool ranges_entry_valid(const struct boot_range *r, ranges_reject_fn reject)
{
    if (r->len == 0) {
        reject(r, "zero length");
        return false;
    }
    if (r->base + r->len < r->base) {
        reject(r, "base + length overflows");
        return false;
    }
    if (r->base + r->len > RANGES_MAX_PHYS) {
        reject(r, "beyond the 52-bit physical address space");
        return false;
    }
    return true;
}

/* Removes [cut.base, cut.end) from every range in out[0..*n), splitting where needed. */
static void ranges_subtract(struct mm_range *out, uint32_t *n, uint32_t max_out,
                            struct mm_range cut, ranges_reject_fn reject)
{
    /* a cut takes whole pages: the partial pages at its edges are not usable either */
    cut.base &= ~(RANGE_PAGE - 1);
    cut.end = cut.end > UINT64_MAX - RANGE_PAGE ? UINT64_MAX
                                                : (cut.end + RANGE_PAGE - 1) & ~(RANGE_PAGE - 1);
    for (uint32_t i = 0; i < *n; i++) {
        struct mm_range r = out[i];

        if (cut.end <= r.base || cut.base >= r.end) continue;
        if (cut.base > r.base && cut.end < r.end) {
            out[i].end = cut.base;
            if (*n == max_out) {
                struct boot_range lost = {cut.end, r.end - cut.end, BOOT_RANGE_USABLE};
                reject(&lost, "too many ranges after exclusions");
                continue;
            }
            out[(*n)++] = (struct mm_range){cut.end, r.end};
        } else if (cut.base > r.base) {
            out[i].end = cut.base;
        } else if (cut.end < r.end) {
            out[i].base = cut.end;
        } else {
            out[i--] = out[--*n];
        }
    }
}

static void ranges_sort(struct mm_range *r, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        struct mm_range x = r[i];
        uint32_t j = i;
        for (; j > 0 && r[j - 1].base > x.base; j--) r[j] = r[j - 1];
        r[j] = x;
    }
}

uint32_t ranges_build_usable(const struct boot_range *in, uint32_t nin,
                             const struct mm_range *exclude, uint32_t nexclude,
                             struct mm_range *out, uint32_t max_out, ranges_reject_fn reject)
{
    uint32_t n = 0, merged = 0;

    for (uint32_t i = 0; i < nin; i++) {
        if (in[i].type != BOOT_RANGE_USABLE || !ranges_entry_valid(&in[i], reject)) continue;
        if (n == max_out) {
            reject(&in[i], "too many usable ranges");
            continue;
        }
        out[n++] = (struct mm_range){in[i].base, in[i].base + in[i].len};
    }
    /* Overlapping usable entries would count pages twice: merge before cutting. */
    ranges_sort(out, n);
    for (uint32_t i = 0; i < n; i++) {
        if (merged && out[i].base <= out[merged - 1].end) {
            if (out[i].end > out[merged - 1].end) out[merged - 1].end = out[i].end;
        } else {
            out[merged++] = out[i];
        }
    }
    n = merged;
    for (uint32_t i = 0; i < nin; i++) {
        struct mm_range cut;
        if (in[i].type == BOOT_RANGE_USABLE || in[i].len == 0 ||
            in[i].base + in[i].len < in[i].base)
            continue;
        cut = (struct mm_range){in[i].base, in[i].base + in[i].len};
        ranges_subtract(out, &n, max_out, cut, reject);
    }
    for (uint32_t i = 0; i < nexclude; i++) ranges_subtract(out, &n, max_out, exclude[i], reject);
    for (uint32_t i = 0; i < n; i++) {
        out[i].base = (out[i].base + RANGE_PAGE - 1) & ~(RANGE_PAGE - 1);
        out[i].end &= ~(RANGE_PAGE - 1);
        if (out[i].end <= out[i].base) out[i--] = out[--n];
    }
    ranges_sort(out, n);
    return n;
}
