/* The boot memory map sanitiser with honest and hostile maps. */
#include <string.h>

#include "kernel/mm/ranges.h"
#include "tests/unit/unit.h"

static int nrejected;
static const char *last_why;

static void reject(const struct boot_range *r, const char *why)
{
    (void)r;
    nrejected++;
    last_why = why;
}

static uint32_t build(const struct boot_range *in, uint32_t n, const struct mm_range *ex,
                      uint32_t nex, struct mm_range *out, uint32_t max)
{
    nrejected = 0;
    return ranges_build_usable(in, n, ex, nex, out, max, reject);
}

TEST(ranges_qemu_like_map)
{
    const struct boot_range map[] = {
        {0, 0x9fc00, BOOT_RANGE_USABLE},           {0x9fc00, 0x400, BOOT_RANGE_RESERVED},
        {0xf0000, 0x10000, BOOT_RANGE_RESERVED},   {0x100000, 0x7ee0000, BOOT_RANGE_USABLE},
        {0x7fe0000, 0x20000, BOOT_RANGE_RESERVED},
    };
    const struct mm_range ex[] = {{0, 0x100000}, {0x100000, 0x123456}};
    struct mm_range out[8];
    uint32_t n = build(map, 5, ex, 2, out, 8);

    CHECK_EQ(n, 1);
    CHECK_EQ(out[0].base, 0x124000); /* the kernel's last partial page is excluded too */
    CHECK_EQ(out[0].end, 0x7fe0000);
    CHECK_EQ(nrejected, 0);
}

TEST(ranges_hostile_entries_rejected)
{
    const struct boot_range map[] = {
        {0x200000, 0, BOOT_RANGE_USABLE},
        {0xfffffffffffff000ull, 0x2000, BOOT_RANGE_USABLE},
        {1ull << 60, 1ull << 30, BOOT_RANGE_USABLE},
        {0x100000, 0x100000, BOOT_RANGE_USABLE},
    };
    struct mm_range out[8];

    CHECK_EQ(build(map, 4, NULL, 0, out, 8), 1);
    CHECK_EQ(nrejected, 3);
    CHECK_EQ(out[0].base, 0x100000);
    CHECK_EQ(out[0].end, 0x200000);
}

TEST(ranges_overlaps_merge_and_reserved_wins)
{
    const struct boot_range map[] = {
        {0x100000, 0x300000, BOOT_RANGE_USABLE},
        {0x200000, 0x300000, BOOT_RANGE_USABLE},   /* overlaps the first */
        {0x280123, 0x10, BOOT_RANGE_RESERVED},     /* unaligned hole inside */
        {0x480000, 0x100000, BOOT_RANGE_ACPI_NVS}, /* cuts the tail */
    };
    struct mm_range out[8];
    uint32_t n = build(map, 4, NULL, 0, out, 8);
    uint64_t total = 0;

    CHECK_EQ(n, 2);
    CHECK_EQ(out[0].base, 0x100000);
    CHECK_EQ(out[0].end, 0x280000);
    CHECK_EQ(out[1].base, 0x281000);
    CHECK_EQ(out[1].end, 0x480000);
    for (uint32_t i = 0; i < n; i++) total += out[i].end - out[i].base;
    CHECK_EQ(total, 0x380000 - 0x1000); /* nothing counted twice */
}

TEST(ranges_output_limit_reports_loss)
{
    const struct boot_range map[] = {{0x100000, 0x1000000, BOOT_RANGE_USABLE}};
    const struct mm_range ex[] = {{0x200000, 0x201000}, {0x300000, 0x301000}, {0x400000, 0x401000}};
    struct mm_range out[2];
    uint32_t n = build(map, 1, ex, 3, out, 2);

    CHECK_EQ(n, 2);
    CHECK(nrejected >= 1);
    CHECK(strstr(last_why, "too many") != NULL);
    for (uint32_t i = 0; i < n; i++)
        CHECK(out[i].base < out[i].end && !(out[i].base & 0xfff) && !(out[i].end & 0xfff));
}

TEST(ranges_empty_and_all_reserved)
{
    const struct boot_range map[] = {{0x100000, 0x1000, BOOT_RANGE_USABLE},
                                     {0x0, 0x10000000, BOOT_RANGE_RESERVED}};
    struct mm_range out[4];

    CHECK_EQ(build(map, 0, NULL, 0, out, 4), 0);
    CHECK_EQ(build(map, 2, NULL, 0, out, 4), 0);
}
