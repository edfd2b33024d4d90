# The boot image's module archive: tools/mkimage (built on the host engine, which checks
# every module) and its test layer. lib/manifest.c is unit-tested through mk/unit.mk.

MKIMAGE := $(BUILD)/host/mkimage
$(MKIMAGE): $(BUILD)/host/obj/tools/mkimage/main.c.o $(BUILD)/host/obj/lib/manifest.c.o \
		$(BUILD)/host/obj/lib/tar.c.o $(BUILD)/host/obj/tools/host/read_file.c.o \
		$(BUILD)/host/libwasm.a
	@echo "  LD      $@"
	@$(CC) $(WASM_LDFLAGS_host) $^ -o $@
ALL_TARGETS += $(MKIMAGE)

TEST_LAYERS += image
.PHONY: test-image
## test-image: mkimage builds archives GNU tar and lib/tar read back; refuses bad input
test-image: $(MKIMAGE) $(BUILD)/host/takara-wasm
	@tests/image/run.sh $(BUILD)/image $(MKIMAGE) $(BUILD)/host/takara-wasm
