# The boot image's module archive: tools/mkimage (built on the host engine, which checks
# every module) and its test layer. lib/manifest.c is unit-tested through mk/unit.mk.

MKIMAGE := $(BUILD)/host/mkimage
$(MKIMAGE): $(BUILD)/host/obj/tools/mkimage/main.c.o $(BUILD)/host/obj/lib/manifest.c.o \
		$(BUILD)/host/obj/lib/tar.c.o $(BUILD)/host/obj/tools/host/read_file.c.o \
		$(BUILD)/host/libwasm.a
	@echo "  LD      $@"
	@$(CC) $(WASM_LDFLAGS_host) $^ -o $@
ALL_TARGETS += $(MKIMAGE)

# libFuzzer target for the manifest parser; test-image runs it briefly.
MANIFEST_FUZZ := $(BUILD)/fuzz/manifest-fuzz
$(MANIFEST_FUZZ): tests/fuzz/manifest_fuzz.c lib/manifest.c | deps
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@$(CC) $(HOST_CFLAGS) -O1 -fsanitize=fuzzer,address,undefined $^ -o $@

TEST_LAYERS += image
.PHONY: test-image fuzz-manifest
## test-image: mkimage builds archives GNU tar and lib/tar read back; refuses bad input
test-image: $(MKIMAGE) $(BUILD)/host/takara-wasm $(MANIFEST_FUZZ)
	@tests/image/run.sh $(BUILD)/image $(MKIMAGE) $(BUILD)/host/takara-wasm $(MANIFEST_FUZZ)

## fuzz-manifest: run the manifest parser's fuzzer until stopped
fuzz-manifest: $(MANIFEST_FUZZ)
	@mkdir -p $(BUILD)/fuzz/manifest-corpus
	$(MANIFEST_FUZZ) -max_len=4096 $(BUILD)/fuzz/manifest-corpus
