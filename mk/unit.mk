# Host unit tests of the portable code (lib/, the kernel's portable cores, arch helpers
# that share the host ABI, the engine's Linux platform and the JIT's x86-64 encoder),
# with AddressSanitizer and UBSan. The encoder tests run llvm-mc-14 (package llvm-14).

UNIT_SRCS := $(filter-out $(if $(JIT_SRCS),,tests/unit/x86_%),$(wildcard tests/unit/*.c)) lib/fmt.c lib/tar.c lib/manifest.c lib/error.c \
	kernel/cmdline.c kernel/mm/ranges.c kernel/mm/heap.c arch/x86_64/setjmp.S \
	tools/host/read_file.c wasm/platform_linux.c $(JIT_SRCS) sdk/c/proto.c \
	$(PROTO_NAMES:%=$(PROTO_GEN)/%.c)
UNIT_OBJS := $(patsubst %,$(BUILD)/unit/%.o,$(UNIT_SRCS))
UNIT_BIN  := $(BUILD)/unit/unit-tests

$(BUILD)/unit/%.c.o: %.c | deps $(PROTO_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(CC) $(HOST_CFLAGS) -Isdk/c/include -I$(BUILD)/gen -O1 $(HOST_SAN) $(DEPFLAGS) -c $< -o $@
$(BUILD)/unit/%.S.o: %.S | deps
	@mkdir -p $(@D)
	@$(CC) -c $< -o $@
$(UNIT_BIN): $(UNIT_OBJS)
	@$(CC) $(HOST_SAN) $^ -o $@

TEST_LAYERS += unit
## test-unit: host unit tests (ASan + UBSan)
.PHONY: test-unit
test-unit: $(UNIT_BIN)
	@$(UNIT_BIN)
