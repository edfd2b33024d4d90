/*
 * What the boot loader told us, in one loader-neutral form. arch/x86_64 fills it from
 * Multiboot1 (QEMU -kernel) or Multiboot2 (GRUB) before anything else runs; mm/ builds
 * the page allocator from `ranges`, the loader finds .wasm files in `modules` by name.
 * All addresses are physical.
 */
#ifndef TAKARA_KERNEL_BOOT_H
#define TAKARA_KERNEL_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_RANGES  64
#define BOOT_MAX_MODULES 32
#define BOOT_CMDLINE_MAX 256
#define BOOT_NAME_MAX    64

enum boot_range_type {
    BOOT_RANGE_USABLE = 1,
    BOOT_RANGE_RESERVED,
    BOOT_RANGE_ACPI_RECLAIM,
    BOOT_RANGE_ACPI_NVS,
    BOOT_RANGE_BAD,
};

struct boot_range {
    uint64_t base, len;
    uint32_t type; /* enum boot_range_type */
};

struct boot_module {
    uint64_t start, end;      /* [start, end) */
    char name[BOOT_NAME_MAX]; /* the module's string from the loader, path stripped */
};

struct boot_info {
    uint32_t nranges;
    struct boot_range ranges[BOOT_MAX_RANGES];
    uint32_t nmodules;
    struct boot_module modules[BOOT_MAX_MODULES];
    char cmdline[BOOT_CMDLINE_MAX];
    uint64_t kernel_phys_start, kernel_phys_end; /* the loaded image, bss included */
};

/* Filled once by the arch boot code; read-only afterwards. */
extern struct boot_info boot_info;

/* The module named `name`, or NULL. */
const struct boot_module *boot_find_module(const char *name);

#endif
