/*
 * Translates what the boot loader left in memory — a Multiboot1 info block (QEMU
 * -kernel) or a Multiboot2 tag list (GRUB) — into struct boot_info. Runs on the early
 * page tables, which map the first GiB; the loaders put their info there. Lengths are
 * checked against each other so a damaged structure is cut short, never overrun.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "lib/string.h"

#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289

#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS    (1u << 3)
#define MB1_INFO_MMAP    (1u << 6)

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE  3
#define MB2_TAG_MMAP    6

struct boot_info boot_info;

extern char __kernel_phys_start[], __kernel_phys_end[];

struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb1_mod {
    uint32_t start, end, string, reserved;
};

struct mb1_mmap_entry {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

/* Physical addresses the loaders give us live in the first GiB; anything else is junk. */
static const void *boot_phys(uint64_t addr, uint64_t len)
{
    if (addr >= ARCH_BOOT_MAPPED_BYTES || len > ARCH_BOOT_MAPPED_BYTES - addr) return NULL;
    return arch_phys_to_virt(addr);
}

static void boot_copy_string(char *dst, size_t size, uint64_t phys)
{
    const char *s = boot_phys(phys, 1);
    size_t n = 0;

    if (!s) return;
    while (n + 1 < size && phys + n < ARCH_BOOT_MAPPED_BYTES && s[n]) n++;
    memcpy(dst, s, n);
    dst[n] = 0;
}

static void boot_add_range(uint64_t base, uint64_t len, uint32_t mb_type)
{
    struct boot_range *r;

    if (boot_info.nranges == BOOT_MAX_RANGES) {
        log_warn("boot: memory map has more than %d entries; ignoring the rest", BOOT_MAX_RANGES);
        return;
    }
    r = &boot_info.ranges[boot_info.nranges++];
    r->base = base;
    r->len = len;
    switch (mb_type) {
    case 1: r->type = BOOT_RANGE_USABLE; break;
    case 3: r->type = BOOT_RANGE_ACPI_RECLAIM; break;
    case 4: r->type = BOOT_RANGE_ACPI_NVS; break;
    case 5: r->type = BOOT_RANGE_BAD; break;
    default: r->type = BOOT_RANGE_RESERVED; break;
    }
}

/* The module string is "path [args]": keep the path's last component as its name. */
static void boot_add_module(uint64_t start, uint64_t end, uint64_t string_phys)
{
    struct boot_module *m;
    char full[BOOT_NAME_MAX * 2] = "";
    const char *name = full;

    if (boot_info.nmodules == BOOT_MAX_MODULES) {
        log_warn("boot: more than %d modules; ignoring the rest", BOOT_MAX_MODULES);
        return;
    }
    if (end < start) {
        log_warn("boot: module with end %#lx before start %#lx ignored", (unsigned long)end,
                 (unsigned long)start);
        return;
    }
    if (string_phys) boot_copy_string(full, sizeof(full), string_phys);
    for (char *p = full; *p; p++) {
        if (*p == ' ') {
            *p = 0;
            break;
        }
        if (*p == '/') name = p + 1;
    }
    m = &boot_info.modules[boot_info.nmodules++];
    m->start = start;
    m->end = end;
    strlcpy(m->name, name, sizeof(m->name));
}

static void boot_parse_mb1(uint32_t info_phys)
{
    const struct mb1_info *mb = boot_phys(info_phys, sizeof(*mb));

    if (!mb) return;
    if (mb->flags & MB1_INFO_CMDLINE) {
        /* Multiboot1 loaders put the kernel's own path first: keep only the arguments */
        char *c = boot_info.cmdline, *args;
        boot_copy_string(c, sizeof(boot_info.cmdline), mb->cmdline);
        args = strchr(c, ' ');
        memmove(c, args ? args + 1 : c + strlen(c), strlen(args ? args + 1 : "") + 1);
    }
    if (mb->flags & MB1_INFO_MMAP) {
        uint64_t off = 0;
        const uint8_t *p = boot_phys(mb->mmap_addr, mb->mmap_length);

        while (p && off + sizeof(struct mb1_mmap_entry) <= mb->mmap_length) {
            const struct mb1_mmap_entry *e = (const void *)(p + off);
            boot_add_range(e->base, e->len, e->type);
            if (e->size < 20) break; /* a malformed entry size would loop or misalign: stop */
            off += e->size + 4;
        }
    } else {
        boot_add_range(0x100000, (uint64_t)mb->mem_upper * 1024, 1);
    }
    if (mb->flags & MB1_INFO_MODS) {
        const struct mb1_mod *mods =
            boot_phys(mb->mods_addr, (uint64_t)mb->mods_count * sizeof(struct mb1_mod));
        for (uint32_t i = 0; mods && i < mb->mods_count; i++)
            boot_add_module(mods[i].start, mods[i].end, mods[i].string);
    }
}

static void boot_parse_mb2(uint32_t info_phys)
{
    const uint32_t *hdr = boot_phys(info_phys, 8);
    const uint8_t *base, *p, *end;

    if (!hdr || hdr[0] < 8 || !boot_phys(info_phys, hdr[0])) return;
    base = (const uint8_t *)hdr;
    end = base + hdr[0];
    for (p = base + 8; p + 8 <= end;) {
        uint32_t type = ((const uint32_t *)p)[0], size = ((const uint32_t *)p)[1];

        if (type == MB2_TAG_END || size < 8 || size > (uint64_t)(end - p)) break;
        if (type == MB2_TAG_CMDLINE) {
            uint64_t n = size - 8 < BOOT_CMDLINE_MAX - 1 ? size - 8 : BOOT_CMDLINE_MAX - 1;
            memcpy(boot_info.cmdline, p + 8, n);
            boot_info.cmdline[n] = 0;
        } else if (type == MB2_TAG_MODULE && size >= 16) {
            const uint32_t *t = (const uint32_t *)p;
            boot_add_module(t[2], t[3], info_phys + (uint64_t)(p + 16 - base));
        } else if (type == MB2_TAG_MMAP && size >= 16) {
            uint32_t entry_size = ((const uint32_t *)p)[2];
            for (const uint8_t *e = p + 16; entry_size >= 24 && e + entry_size <= p + size;
                 e += entry_size) {
                const uint64_t *q = (const uint64_t *)e;
                boot_add_range(q[0], q[1], *(const uint32_t *)(e + 16));
            }
        }
        p += (size + 7) & ~7u;
    }
}

int boot_parse(uint32_t magic, uint32_t info_phys)
{
    boot_info.kernel_phys_start = (uint64_t)(uintptr_t)__kernel_phys_start;
    boot_info.kernel_phys_end = (uint64_t)(uintptr_t)__kernel_phys_end;
    if (magic == MB1_BOOT_MAGIC)
        boot_parse_mb1(info_phys);
    else if (magic == MB2_BOOT_MAGIC)
        boot_parse_mb2(info_phys);
    else
        return -1;
    return 0;
}

const struct boot_module *boot_find_module(const char *name)
{
    for (uint32_t i = 0; i < boot_info.nmodules; i++)
        if (!strcmp(boot_info.modules[i].name, name)) return &boot_info.modules[i];
    return NULL;
}
