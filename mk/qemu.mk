# QEMU tests: boot the test image (every *_ktest.c linked in) in scenarios, including a
# GRUB ISO boot through Multiboot2. tests/qemu/boot-tests.sh prints PASS/FAIL per line.

TEST_ISO := $(BUILD)/takara-test.iso
$(TEST_ISO): $(BUILD)/kernel/takara-test.elf tests/qemu/grub-test.cfg
	@rm -rf $(BUILD)/iso-test && mkdir -p $(BUILD)/iso-test/boot/grub
	@cp $< $(BUILD)/iso-test/boot/takara.elf
	@cp tests/qemu/grub-test.cfg $(BUILD)/iso-test/boot/grub/grub.cfg
	@grub-mkrescue -o $@ $(BUILD)/iso-test 2>/dev/null

TEST_LAYERS += qemu
## test-qemu: boot the kernel in QEMU scenarios (in-kernel tests, faults, memory maps, GRUB)
.PHONY: test-qemu
test-qemu: deps $(KERNEL_TEST) $(TEST_ISO)
	@tests/qemu/boot-tests.sh $(KERNEL_TEST) $(TEST_ISO)
