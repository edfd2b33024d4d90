/*
 * Panic reports: the cause (vector, name, error code, CR2), every register, and a
 * frame-pointer backtrace with symbol names, then a halt — or, with `panic=exit` on the
 * command line (tests), an exit through isa-debug-exit with PANIC_EXIT_CODE so the host
 * script sees the failure at once.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/frame.h"
#include "arch/arch.h"
#include "kernel/arch_hooks.h"
#include "lib/fmt.h"

#define BACKTRACE_MAX 24

extern char __text_start[], __text_end[];
const char *arch_exception_name(unsigned vector);

static volatile int panic_depth;

static void panic_print_addr(uintptr_t addr)
{
    uintptr_t off;
    const char *name = ksyms_lookup(addr, &off);

    if (name)
        kprintf("0x%016lx <%s+0x%lx>", (unsigned long)addr, name, (unsigned long)off);
    else
        kprintf("0x%016lx", (unsigned long)addr);
}

/* A frame pointer is followed only while it looks like a kernel stack address. */
static bool panic_frame_plausible(uintptr_t fp)
{
    return fp >= DIRECT_MAP_BASE && !(fp & 7) && fp < UINTPTR_MAX - 16;
}

static void panic_backtrace(uintptr_t rip, uintptr_t fp)
{
    kprintf("backtrace:\n");
    for (int i = 0; i < BACKTRACE_MAX; i++) {
        kprintf("  #%-2d ", i);
        panic_print_addr(rip);
        kprintf("\n");
        if (!panic_frame_plausible(fp)) break;
        rip = ((const uintptr_t *)fp)[1];
        fp = ((const uintptr_t *)fp)[0];
        if (rip < (uintptr_t)__text_start || rip >= (uintptr_t)__text_end) break;
        rip -= 1; /* point into the call instruction, not after it */
    }
}

_Noreturn static void panic_finish(void)
{
    char mode[16];

    kprintf("end of panic report\n");
    if (cmdline_get(boot_info.cmdline, "panic", mode, sizeof(mode)) &&
        !__builtin_strcmp(mode, "exit"))
        arch_qemu_exit(PANIC_EXIT_CODE);
    arch_halt_forever();
}

static bool panic_enter(void)
{
    arch_irq_disable();
    if (panic_depth++) {
        kprintf("\nPANIC while panicking; halting\n");
        return false;
    }
    return true;
}

_Noreturn void arch_panic_frame(const char *why, const struct arch_frame *f)
{
    if (!panic_enter()) panic_finish();
    kprintf("\nPANIC: %s (vector %lu, error 0x%lx)\n", why, (unsigned long)f->vector,
            (unsigned long)f->error);
    kprintf("rip ");
    panic_print_addr(f->rip);
    kprintf("\ncr2 0x%016lx  cr3 0x%016lx  rflags 0x%016lx\n", (unsigned long)read_cr2(),
            (unsigned long)read_cr3(), (unsigned long)f->rflags);
    kprintf("rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", f->rax, f->rbx, f->rcx);
    kprintf("rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", f->rdx, f->rsi, f->rdi);
    kprintf("rbp 0x%016lx  rsp 0x%016lx  r8  0x%016lx\n", f->rbp, f->rsp, f->r8);
    kprintf("r9  0x%016lx  r10 0x%016lx  r11 0x%016lx\n", f->r9, f->r10, f->r11);
    kprintf("r12 0x%016lx  r13 0x%016lx  r14 0x%016lx\n", f->r12, f->r13, f->r14);
    kprintf("r15 0x%016lx  cs 0x%lx  ss 0x%lx\n", f->r15, f->cs, f->ss);
    panic_backtrace(f->rip, f->rbp);
    panic_finish();
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);

    if (!panic_enter()) panic_finish();
    kprintf("\nPANIC: ");
    va_start(ap, fmt);
    fmt_vformat(kprintf_sink, NULL, fmt, ap);
    va_end(ap);
    kprintf("\n");
    panic_backtrace(((const uintptr_t *)fp)[1] - 1, ((const uintptr_t *)fp)[0]);
    panic_finish();
}

_Noreturn void arch_qemu_exit(uint8_t code)
{
    outb(0xf4, code);
    arch_halt_forever(); /* without the isa-debug-exit device */
}

_Noreturn void arch_halt_forever(void)
{
    for (;;) {
        arch_irq_disable();
        arch_cpu_halt();
    }
}
