# The kernel: arch/x86_64, kernel/ and lib/, freestanding, linked twice so the second
# image carries its own symbol table (.ksyms) for backtraces.
#   build/kernel/takara.elf       ELF64, Multiboot2 (GRUB)
#   build/kernel/takara32.elf     the same as ELF32, Multiboot1 (QEMU -kernel)
#   build/kernel/takara-test*.elf the same plus every *_ktest.c (in-kernel tests)

KERNEL_TARGET := --target=x86_64-unknown-none-elf
KERNEL_CFLAGS := $(KERNEL_TARGET) $(CSTD) $(WARN) -O2 -g -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-resource-dir)/include -Iinclude -I. -I$(BUILD)/gen \
	-mno-red-zone -mcmodel=kernel -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-math-errno
# Link-time optimisation (ThinLTO) lets small functions inline across files — the engine's
# memory accessors into the ABI, channel code into its imports — which is worth about a
# tenth of boot and IPC instructions. The interpreter is compiled on its own (KERNEL_LTO
# empty): its dispatch depends on codegen options (INTERP_CFLAGS) that apply per file.
KERNEL_LTO := -flto=thin
KERNEL_ASFLAGS := $(KERNEL_TARGET) -Iinclude -I.
KERNEL_LDFLAGS := -T arch/x86_64/kernel.ld -nostdlib -static -z max-page-size=4096

KERNEL_SRCS := $(filter-out %_ktest.c,$(wildcard arch/x86_64/*.c arch/x86_64/*.S \
	kernel/*.c kernel/*/*.c lib/*.c))
KTEST_SRCS  := $(filter-out $(if $(JIT_SRCS),,kernel/wasm/jit_ktest.c), \
	$(wildcard arch/x86_64/*_ktest.c kernel/*_ktest.c kernel/*/*_ktest.c)) \
	tests/spec/runner.c tests/spec/json.c
# The Wasm engine and its x86-64 encoder (wasm/jit/x86_64/; LTO drops what nothing calls),
# built into the kernel with the kernel's platform (kernel/wasm/), in
# guard-page mode; the bounds-checked build goes into a second test image.
KWASM_SRCS  := $(filter-out wasm/platform_%.c,$(wildcard wasm/*.c)) $(JIT_SRCS)

KOBJ = $(patsubst %,$(BUILD)/kernel/obj/%.o,$(1))
KERNEL_OBJS := $(call KOBJ,$(KERNEL_SRCS) $(KWASM_SRCS))
KTEST_OBJS  := $(call KOBJ,$(KTEST_SRCS))
KERNEL_BOUNDS_OBJS := $(call KOBJ,$(KERNEL_SRCS)) \
	$(patsubst %,$(BUILD)/kernel/obj-bounds/%.o,$(KWASM_SRCS))

# The dispatch of the `takara` imports and its handlers' declarations, generated from
# abi.def (tools/gen-abi-dispatch.py), before any kernel file is compiled.
ABI_GEN := $(BUILD)/gen/abi_handlers.h $(BUILD)/gen/abi_dispatch.h
$(BUILD)/gen/abi_dispatch.h: tools/gen-abi-dispatch.py tools/abidef.py include/takara/abi.def | deps
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	@tools/gen-abi-dispatch.py $(BUILD)/gen/abi_handlers.h $@
$(BUILD)/gen/abi_handlers.h: $(BUILD)/gen/abi_dispatch.h
$(KERNEL_OBJS) $(KTEST_OBJS) $(KERNEL_BOUNDS_OBJS): | $(ABI_GEN)

$(BUILD)/kernel/obj/%.c.o: %.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(EXTRA_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/kernel/obj-bounds/%.c.o: %.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $< (bounds)"
	@$(CC) $(KERNEL_CFLAGS) -DWASM_BOUNDS_CHECKS=1 $(KERNEL_LTO) $(EXTRA_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/kernel/obj/wasm/interp.c.o $(BUILD)/kernel/obj-bounds/wasm/interp.c.o: \
	EXTRA_CFLAGS := $(INTERP_CFLAGS)
# The imports' entries (abi.c, the generated dispatch): the cheapest are leaves, which a
# frame pointer would make half as long again (a fault's report still names them by pc).
$(BUILD)/kernel/obj/kernel/abi/abi.c.o: EXTRA_CFLAGS := -momit-leaf-frame-pointer
$(BUILD)/kernel/obj/wasm/interp.c.o $(BUILD)/kernel/obj-bounds/wasm/interp.c.o: KERNEL_LTO :=
$(BUILD)/kernel/obj/%.S.o: %.S | deps
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_ASFLAGS) $(DEPFLAGS) -c $< -o $@

# kernel_image(NAME, OBJS): two-pass link with the symbol table of the first pass.
define kernel_image
$(BUILD)/kernel/$(1).elf: $(2) arch/x86_64/kernel.ld tools/gen-ksyms.py
	@mkdir -p $(BUILD)/kernel/$(1).link
	@: > $(BUILD)/kernel/$(1).link/empty.nm
	@echo "  LD      $$@ (two passes)"
	@tools/gen-ksyms.py $(BUILD)/kernel/$(1).link/empty.nm $(BUILD)/kernel/$(1).link/ksyms0.S
	@$(CC) $(KERNEL_ASFLAGS) -c $(BUILD)/kernel/$(1).link/ksyms0.S -o $(BUILD)/kernel/$(1).link/ksyms0.o
	@$(LD) $(KERNEL_LDFLAGS) -o $(BUILD)/kernel/$(1).link/pass1.elf $(2) $(BUILD)/kernel/$(1).link/ksyms0.o
	@llvm-nm-14 -n --defined-only $(BUILD)/kernel/$(1).link/pass1.elf > $(BUILD)/kernel/$(1).link/pass1.nm
	@tools/gen-ksyms.py $(BUILD)/kernel/$(1).link/pass1.nm $(BUILD)/kernel/$(1).link/ksyms.S
	@$(CC) $(KERNEL_ASFLAGS) -c $(BUILD)/kernel/$(1).link/ksyms.S -o $(BUILD)/kernel/$(1).link/ksyms.o
	@$(LD) $(KERNEL_LDFLAGS) -o $$@ $(2) $(BUILD)/kernel/$(1).link/ksyms.o
	@llvm-nm-14 -n --defined-only $$@ | grep -i ' t ' > $(BUILD)/kernel/$(1).link/final.nm
	@grep -i ' t ' $(BUILD)/kernel/$(1).link/pass1.nm | cmp -s - $(BUILD)/kernel/$(1).link/final.nm \
		|| { echo "kernel: functions moved between link passes" >&2; exit 1; }
$(BUILD)/kernel/$(1)32.elf: $(BUILD)/kernel/$(1).elf
	@$(OBJCOPY) -O elf32-i386 $$< $$@
endef
$(eval $(call kernel_image,takara,$(KERNEL_OBJS)))
$(eval $(call kernel_image,takara-test,$(KERNEL_OBJS) $(KTEST_OBJS)))
$(eval $(call kernel_image,takara-test-bounds,$(KERNEL_BOUNDS_OBJS) $(KTEST_OBJS)))

KERNEL      := $(BUILD)/kernel/takara.elf
KERNEL32    := $(BUILD)/kernel/takara32.elf
KERNEL_TEST := $(BUILD)/kernel/takara-test32.elf
KERNEL_TEST_BOUNDS := $(BUILD)/kernel/takara-test-bounds32.elf
ALL_TARGETS += $(KERNEL) $(KERNEL32) $(KERNEL_TEST) $(KERNEL_TEST_BOUNDS)

QEMU_FLAGS := -accel tcg -nodefaults -display none -no-reboot -m 128M \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

## run: boot Takara OS in QEMU: init starts the shell on this terminal (Ctrl-A x quits)
# `poweroff` leaves QEMU through isa-debug-exit with status 2 × code + 1: a plain
# poweroff (code 0, status 1) is a normal end of `make run`, like Ctrl-A x.
run: deps $(KERNEL32) $(BOOT_TAR)
	$(QEMU) $(QEMU_FLAGS) -serial mon:stdio -kernel $(KERNEL32) -append "$(CMDLINE)" \
		-initrd $(BOOT_TAR) || [ $$? -eq 1 ]

## iso: a bootable GRUB (Multiboot2) ISO in build/takara.iso
iso: $(BUILD)/takara.iso
$(BUILD)/takara.iso: $(KERNEL) $(BOOT_TAR) tools/grub.cfg
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(KERNEL) $(BUILD)/iso/boot/takara.elf
	cp $(BOOT_TAR) $(BUILD)/iso/boot/boot.tar
	cp tools/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2>/dev/null

## run-iso: boot the ISO through GRUB in QEMU
run-iso: deps $(BUILD)/takara.iso
	$(QEMU) $(QEMU_FLAGS) -serial mon:stdio -cdrom $(BUILD)/takara.iso
