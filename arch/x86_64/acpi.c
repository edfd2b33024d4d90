/*
 * Just enough ACPI to route device interrupts: the RSDP (found in the BIOS read-only
 * area), the RSDT or XSDT, and the MADT's I/O APIC and interrupt source override
 * entries. Tables are untrusted input: lengths and checksums are verified before use.
 */
#include "arch/x86_64/acpi.h"

#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "lib/string.h"

struct sdt_header {
    char sig[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static bool checksum_ok(const uint8_t *p, uint32_t len)
{
    uint8_t sum = 0;

    for (uint32_t i = 0; i < len; i++) sum += p[i];
    return sum == 0;
}

/* Maps a table (header first, then its full length); NULL if it looks wrong. */
static const struct sdt_header *map_table(uint64_t phys)
{
    void *va;
    const struct sdt_header *h;

    if (vmm_map_mmio(phys, sizeof(*h), &va) < 0) return NULL;
    h = va;
    if (h->length < sizeof(*h) || h->length > (1u << 20)) return NULL;
    if (vmm_map_mmio(phys, h->length, &va) < 0) return NULL;
    h = va;
    return checksum_ok(va, h->length) ? h : NULL;
}

static uint64_t find_rsdp(void)
{
    for (uint64_t p = 0xe0000; p < 0x100000; p += 16) {
        const uint8_t *b = arch_phys_to_virt(p);
        if (!memcmp(b, "RSD PTR ", 8) && checksum_ok(b, 20)) return p;
    }
    return 0;
}

static void parse_madt(const struct sdt_header *madt, struct acpi_info *out)
{
    const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8, *end;

    end = (const uint8_t *)madt + madt->length;
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        if (p[0] == 1 && p[1] >= 12 && !out->ioapic_phys) {
            uint32_t addr, gsi;
            memcpy(&addr, p + 4, 4);
            memcpy(&gsi, p + 8, 4);
            out->ioapic_phys = addr;
            out->ioapic_gsi_base = gsi;
        } else if (p[0] == 2 && p[1] >= 10 && p[3] < 16) {
            uint32_t gsi;
            uint16_t flags;
            memcpy(&gsi, p + 4, 4);
            memcpy(&flags, p + 8, 2);
            out->isa[p[3]].gsi = gsi;
            out->isa[p[3]].active_low = (flags & 3) == 3;
            out->isa[p[3]].level = ((flags >> 2) & 3) == 3;
        }
        p += p[1];
    }
}

bool acpi_read_madt(struct acpi_info *out)
{
    uint64_t rsdp = find_rsdp(), root;
    const uint8_t *r;
    const struct sdt_header *rsdt;
    bool xsdt;
    uint32_t n;

    memset(out, 0, sizeof(*out));
    for (uint32_t i = 0; i < 16; i++) out->isa[i].gsi = i;
    if (!rsdp) return false;
    r = arch_phys_to_virt(rsdp);
    xsdt = r[15] >= 2 && checksum_ok(r, 36);
    if (xsdt)
        memcpy(&root, r + 24, 8);
    else {
        uint32_t r32;
        memcpy(&r32, r + 16, 4);
        root = r32;
    }
    rsdt = map_table(root);
    if (!rsdt) return false;
    n = (rsdt->length - (uint32_t)sizeof(*rsdt)) / (xsdt ? 8 : 4);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t phys = 0;
        const struct sdt_header *t;
        memcpy(&phys, (const uint8_t *)(rsdt + 1) + i * (xsdt ? 8 : 4), xsdt ? 8 : 4);
        t = map_table(phys);
        if (t && !memcmp(t->sig, "APIC", 4)) {
            parse_madt(t, out);
            out->found = out->ioapic_phys != 0;
            return out->found;
        }
    }
    log_warn("acpi: no MADT among %u tables", n);
    return false;
}
