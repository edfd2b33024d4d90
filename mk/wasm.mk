# The Wasm engine (wasm/), built for the host as a static library in three flavours:
#   build/host/libwasm.a        -O2, guard-page memory mode (tools, benchmarks)
#   build/host-san/libwasm.a    ASan+UBSan, guard-page mode (correctness tests, fuzzing)
#   build/host-bounds/libwasm.a -O2, explicit bounds checks (WASM_BOUNDS_CHECKS=1)
#   build/host-nofeat/libwasm.a ASan+UBSan, every feature beyond Wasm 2.0 left out
#                               (wasm/features.h), to test that modules needing one say so
# Every wasm/*.c is part of the library except the platform file of other hosts; the
# kernel build links the same sources with its own platform (kernel/wasm/platform.c).
# lib/fmt.c and lib/error.c come along: the engine and its runners use them.

WASM_SRCS := $(filter-out wasm/platform_%.c,$(wildcard wasm/*.c)) wasm/platform_linux.c \
	lib/error.c lib/fmt.c

WASM_FLAVOURS := host host-san host-bounds host-nofeat
WASM_FLAGS              := -fno-math-errno
WASM_CFLAGS_host        := $(HOST_CFLAGS) $(WASM_FLAGS)
WASM_CFLAGS_host-san    := $(HOST_CFLAGS) $(WASM_FLAGS) -O1 $(HOST_SAN)
WASM_CFLAGS_host-bounds := $(HOST_CFLAGS) $(WASM_FLAGS) -DWASM_BOUNDS_CHECKS=1
WASM_CFLAGS_host-nofeat := $(HOST_CFLAGS) $(WASM_FLAGS) -O1 $(HOST_SAN) \
	-DWASM_FEATURE_EXTENDED_CONST=0 -DWASM_FEATURE_TAIL_CALL=0 -DWASM_FEATURE_MULTI_MEMORY=0 \
	-DWASM_FEATURE_EXCEPTIONS=0
WASM_LDFLAGS_host-san   := $(HOST_SAN)
WASM_LDFLAGS_host-nofeat := $(HOST_SAN)

define wasm_flavour
$(BUILD)/$(1)/obj/%.c.o: %.c | deps
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$< ($(1))"
	@$$(CC) $$(WASM_CFLAGS_$(1)) $$(EXTRA_CFLAGS) $$(DEPFLAGS) -c $$< -o $$@
$(BUILD)/$(1)/obj/wasm/interp.c.o: EXTRA_CFLAGS := $(INTERP_CFLAGS)
$(BUILD)/$(1)/libwasm.a: $$(WASM_SRCS:%=$(BUILD)/$(1)/obj/%.o)
	@rm -f $$@
	@llvm-ar-14 rcs $$@ $$^
endef
$(foreach f,$(WASM_FLAVOURS),$(eval $(call wasm_flavour,$(f))))

ALL_TARGETS += $(BUILD)/host/libwasm.a
