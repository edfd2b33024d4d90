/*
 * The kernel's virtual address map (drawn in docs/memory.md):
 *
 *   0xffff800000000000  direct map of physical memory (arch_phys_to_virt)
 *   0xffffc00000000000  vmm reservations: linear memories, large allocations, stacks
 *   0xffffe00000000000  device MMIO mappings (uncached)
 *   0xffffffff80000000  kernel image (linked at KERNEL_VMA + physical address)
 */
#ifndef TAKARA_ARCH_MEMLAYOUT_H
#define TAKARA_ARCH_MEMLAYOUT_H

#define KERNEL_VMA      0xffffffff80000000ull
#define DIRECT_MAP_BASE 0xffff800000000000ull
#define DIRECT_MAP_SIZE (64ull << 40)
#define RESERVE_BASE    0xffffc00000000000ull
#define RESERVE_SIZE    (32ull << 40)
#define MMIO_BASE       0xffffe00000000000ull
#define MMIO_SIZE       (1ull << 30)

/* The early page tables map this much physical memory at identity and DIRECT_MAP_BASE. */
#define BOOT_MAPPED_BYTES (1ull << 30)

#ifndef __ASSEMBLER__
#include <stdint.h>
#define KERNEL_TO_PHYS(v) ((uint64_t)(uintptr_t)(v)-KERNEL_VMA)
#endif

#endif
