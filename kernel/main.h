/* The portable kernel's entry, called by arch code once the CPU is set up. */
#ifndef TAKARA_KERNEL_MAIN_H
#define TAKARA_KERNEL_MAIN_H

_Noreturn void kernel_main(void);

#endif
