# Kernel benchmarks (after kernel.mk, whose images are prerequisites here): boot
# instructions under -icount, image size, RAM after boot.
BENCH_LAYERS += kernel
.PHONY: bench-kernel
## bench-kernel: boot instructions, image size, RAM after boot (QEMU -icount)
bench-kernel: $(KERNEL) $(KERNEL32)
	@bench/kernel-boot.sh $(KERNEL) $(KERNEL32)
