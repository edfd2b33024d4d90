/*
 * From boot.S to the portable kernel: console first (so everything after can report),
 * then the boot information, descriptor tables, memory, interrupts and time, in the
 * order each depends on the one before.
 */
#include <stdint.h>

#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/serial.h"
#include "kernel/arch_hooks.h"

int boot_parse(uint32_t magic, uint32_t info_phys);
void idt_init(void);

uint64_t arch_boot_cycles;

_Noreturn void arch_start(uint32_t magic, uint32_t info_phys)
{
    arch_boot_cycles = arch_read_cycles();
    serial_init();
    gdt_init();
    idt_init();
    if (boot_parse(magic, info_phys) < 0)
        panic("boot: unknown boot loader magic %#x (want Multiboot1 or Multiboot2)", magic);
    kernel_main();
}
