/*
 * The x86-64 half of arch/arch.h that must be seen by the compiler: the instructions
 * the kernel runs on every lock and every accounting step (so they stay inline), the
 * direct map, the kernel's virtual layout, and the layout of a jump buffer (its size is
 * part of struct thread). Portable code reaches it only through arch/arch.h; every
 * name here is arch_ or ARCH_.
 */
#ifndef TAKARA_ARCH_X86_64_ARCH_INLINE_H
#define TAKARA_ARCH_X86_64_ARCH_INLINE_H

#include <stdint.h>

#include "arch/x86_64/memlayout.h"

#define ARCH_PAGE_SIZE 4096ull

/* Where the vmm places reservations and device mappings (drawn in memlayout.h). */
#define ARCH_RESERVE_BASE RESERVE_BASE
#define ARCH_RESERVE_SIZE RESERVE_SIZE
#define ARCH_MMIO_BASE    MMIO_BASE
#define ARCH_MMIO_SIZE    MMIO_SIZE
/* Physical memory the boot page tables map, so the pmm can use it before vmm_init. */
#define ARCH_BOOT_MAPPED_BYTES BOOT_MAPPED_BYTES

static inline void *arch_phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}
static inline uint64_t arch_virt_to_phys(const void *va)
{
    return (uint64_t)(uintptr_t)va - DIRECT_MAP_BASE;
}

static inline void arch_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}
static inline void arch_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}
static inline uint64_t arch_irq_save(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}
static inline void arch_irq_restore(uint64_t flags)
{
    __asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}
static inline void arch_cpu_halt(void)
{
    __asm__ volatile("hlt");
}
static inline void arch_cpu_pause(void)
{
    __asm__ volatile("pause");
}
/* The TSC: under QEMU -icount it counts instructions, which the benchmarks rely on. */
static inline uint64_t arch_read_cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags (setjmp.S) */
struct arch_jmpbuf {
    uint64_t regs[9];
};

#endif
