# QEMU tests: boot the test image (every *_ktest.c linked in) in scenarios, including a
# GRUB ISO boot through Multiboot2. tests/qemu/boot-tests.sh prints PASS/FAIL per line.

TEST_ISO := $(BUILD)/takara-test.iso
$(TEST_ISO): $(BUILD)/kernel/takara-test.elf $(BOOT_TAR) tests/qemu/grub-test.cfg
	@rm -rf $(BUILD)/iso-test && mkdir -p $(BUILD)/iso-test/boot/grub
	@cp $< $(BUILD)/iso-test/boot/takara.elf
	@cp $(BOOT_TAR) $(BUILD)/iso-test/boot/boot.tar
	@cp tests/qemu/grub-test.cfg $(BUILD)/iso-test/boot/grub/grub.cfg
	@printf 'grub-mod.txt\nloaded by GRUB through Multiboot2\n' > $(BUILD)/iso-test/boot/grub-mod.txt
	@grub-mkrescue -o $@ $(BUILD)/iso-test 2>/dev/null

# The converted spec suites as one boot module (SUITE/FILE.json), for the in-kernel runs.
SPEC_TAR := $(BUILD)/spec/spec.tar
$(SPEC_TAR): $(SPEC_ALL_JSON) tests/spec/skip.txt
	@tar --format=ustar -cf $@ -C $(BUILD)/spec wasm-2.0 $(SPEC_PROPOSALS) \
		-C $(CURDIR)/tests/spec skip.txt

TEST_LAYERS += qemu
## test-qemu: boot the kernel in QEMU scenarios (in-kernel tests, faults, memory maps, GRUB)
.PHONY: test-qemu
test-qemu: deps spec-suite-present $(KERNEL_TEST) $(KERNEL_TEST_BOUNDS) $(TEST_ISO) $(SPEC_TAR) \
		$(BOOT_TAR)
	@tests/qemu/boot-tests.sh $(KERNEL_TEST) $(TEST_ISO) $(KERNEL_TEST_BOUNDS) $(SPEC_TAR) \
		$(BOOT_TAR)

