/*
 * Exit codes the kernel writes to QEMU's isa-debug-exit port (iobase 0xf4). QEMU exits
 * with (code << 1) | 1, so these give 33, 35 and 37 — distinct from QEMU's own errors
 * (1) and from a triple fault under -no-reboot (0).
 */
#ifndef TAKARA_KERNEL_PANIC_H
#define TAKARA_KERNEL_PANIC_H

#define TEST_PASS_EXIT_CODE  0x10
#define TEST_FAIL_EXIT_CODE  0x11
#define PANIC_EXIT_CODE      0x12
#define INIT_ENDED_EXIT_CODE 0x13 /* init ended: QEMU status 39 */

#endif
