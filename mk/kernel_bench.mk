# Kernel benchmarks (after kernel.mk, whose images are prerequisites here): boot
# instructions under -icount, image size, RAM after boot.
BENCH_LAYERS += kernel
.PHONY: bench-kernel
## bench-kernel: boot instructions, image size, RAM after boot (QEMU -icount)
bench-kernel: $(KERNEL) $(KERNEL32)
	@bench/kernel-boot.sh $(KERNEL) $(KERNEL32)

BENCH_LAYERS += proc
.PHONY: bench-proc
## bench-proc: import call, thread/process switch, spawn, IPC, boot to prompt (QEMU -icount)
bench-proc: $(KERNEL_TEST) $(KERNEL32) $(BOOT_TAR)
	@bench/kernel-proc.sh $(KERNEL_TEST) $(KERNEL32) $(BOOT_TAR)

.PHONY: ipc-profile
## ipc-profile: the IPC round trip's instructions per kernel function (bench/ipc-profile.sh)
ipc-profile: $(KERNEL_TEST) $(BOOT_TAR)
	@bench/ipc-profile.sh $(KERNEL_TEST) $(BUILD)/kernel/takara-test.elf $(BOOT_TAR) $(IPC_PROFILE)
