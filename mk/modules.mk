# Wasm modules built with the C SDK (sdk/c/): every folder modules/NAME/ holding .c files
# becomes build/modules/NAME.wasm; a new module needs nothing added here. Objects for
# wasm32 go under build/wasm32/ (sources of lib/ and sdk/ are shared by every module;
# wasm-ld drops what a module does not use).

WASM_CC := clang-19
WASM_LD := /usr/lib/llvm-19/bin/wasm-ld
# compiler-rt for wasm32 (libclang-rt-19-dev-wasm32): helpers clang may call, e.g. 128-bit
# multiplication for overflow checks.
WASM_RT := /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a

# -mcpu=mvp: plain Wasm 1.0, which every engine runs. Optimised, but never stripped: the
# kernel names the trapping function from the name section.
MODULE_CFLAGS := --target=wasm32 -mcpu=mvp -O2 -ffreestanding -nostdlib $(CSTD) $(WARN) \
	-Iinclude -Isdk/c/include -I$(BUILD)/gen -I.
# --stack-first: a stack overflow runs below address 0 and traps instead of silently
# overwriting the module's data. 32 KiB: modules keep big buffers in static data.
MODULE_LDFLAGS := --no-entry --export=_start --export=takara_abi --stack-first \
	-z stack-size=32768

MODULE_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard modules/*/*.c)))))
MODULES      := $(MODULE_NAMES:%=$(BUILD)/modules/%.wasm)
SDK_SRCS     := sdk/c/start.c sdk/c/stdio.c sdk/c/util.c sdk/c/service.c sdk/c/proto.c lib/string.c lib/fmt.c lib/error.c \
	lib/manifest.c
SDK_OBJS     := $(SDK_SRCS:%.c=$(BUILD)/wasm32/%.o) $(PROTO_NAMES:%=$(BUILD)/wasm32/$(PROTO_GEN)/%.o)
ALL_TARGETS  += $(MODULES)
# Shared by every module's link: keep them rather than rebuild them each time.
.SECONDARY: $(SDK_OBJS)

$(BUILD)/wasm32/%.o: %.c | deps $(PROTO_STAMP)
	@mkdir -p $(@D)
	@echo "  WASMCC  $<"
	@$(WASM_CC) $(MODULE_CFLAGS) $(DEPFLAGS) -c $< -o $@

# Each module's own objects, then the one link rule shared by all of them.
$(foreach m,$(MODULE_NAMES),$(eval \
	$(BUILD)/modules/$(m).wasm: $(patsubst %.c,$(BUILD)/wasm32/%.o,$(wildcard modules/$(m)/*.c))))
# abifuzz calls every import through a table generated from abi.def.
ABIFUZZ_ROWS := $(BUILD)/gen/abifuzz_rows.h
$(ABIFUZZ_ROWS): tools/gen-abi-fuzz.py tools/abidef.py include/takara/abi.def | deps
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	@tools/gen-abi-fuzz.py $@
$(BUILD)/wasm32/modules/abifuzz/abifuzz.o: $(ABIFUZZ_ROWS)
$(BUILD)/wasm32/modules/abifuzz/abifuzz.o: MODULE_CFLAGS += -I$(BUILD)/gen
# hostile-hoard grows its function table (table.grow: reference types, in inline assembly)
$(BUILD)/wasm32/modules/hostile-hoard/hoard.o: MODULE_CFLAGS += -mreference-types
$(BUILD)/modules/hostile-hoard.wasm: MODULE_LDFLAGS += --growable-table
$(BUILD)/modules/%.wasm: $(SDK_OBJS)
	@mkdir -p $(@D)
	@echo "  WASMLD  $@"
	@$(WASM_LD) $(MODULE_LDFLAGS) $(filter %.o,$^) $(WASM_RT) -o $@

# Programs of ordinary C built with Debian's wasi-libc (no Takara header): every folder
# modules/wasi/NAME/ becomes build/modules/NAME.wasm, a WASI command module. Compiled and
# linked in two steps (as mk/cpp.mk says why): the name section stays, libc's DWARF goes.
WASI_CFLAGS       := --target=wasm32-wasi --sysroot=/usr -O2 $(CSTD) $(WARN)
WASI_LDFLAGS      := --target=wasm32-wasi --sysroot=/usr -Wl,--strip-debug
WASI_MODULE_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard modules/wasi/*/*.c)))))
WASI_MODULES      := $(WASI_MODULE_NAMES:%=$(BUILD)/modules/%.wasm)
ALL_TARGETS       += $(WASI_MODULES)
$(BUILD)/wasm32-wasi/modules/wasi/%.o: modules/wasi/%.c | deps
	@mkdir -p $(@D)
	@echo "  WASICC  $<"
	@$(WASM_CC) $(WASI_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(foreach m,$(WASI_MODULE_NAMES),$(eval \
	$(BUILD)/modules/$(m).wasm: $(patsubst %.c,$(BUILD)/wasm32-wasi/%.o,$(wildcard modules/wasi/$(m)/*.c)) ; \
	@mkdir -p $$(@D) && echo "  WASILD  $$@" && $(WASM_CC) $(WASI_LDFLAGS) $$^ -o $$@))
# Every module of the system image: Takara's and WASI programs in C, Rust, C++ and
# AssemblyScript (mk/modules-rust.mk, mk/cpp.mk, mk/assemblyscript.mk, included before
# this file).
SYSTEM_MODULES    := $(MODULES) $(WASI_MODULES) $(RUST_MODULES) $(RUST_WASI_MODULES) \
	$(CPP_MODULES) $(AS_MODULES)

.PHONY: modules
## modules: build every Wasm module (build/modules/*.wasm)
modules: $(SYSTEM_MODULES)

TEST_LAYERS += modules
.PHONY: test-modules
## test-modules: every module validates, exports _start/memory (and takara_abi if it
## imports takara), keeps its name section and imports only abi.def and wasi.def rows
## with their exact signatures; mkimage accepts the system manifest with them
test-modules: $(SYSTEM_MODULES) $(MKIMAGE)
	@tests/modules/check.py include/takara/abi.def include/takara/wasi.def $(SYSTEM_MODULES)
	@$(MKIMAGE) -o $(BUILD)/modules/check.tar -m modules/manifest $(SYSTEM_MODULES) \
		&& echo "PASS mkimage modules/manifest" || echo "FAIL mkimage modules/manifest"

TEST_LAYERS += modules-boot
.PHONY: test-modules-boot
## test-modules-boot: boot the kernel with the modules: the shell typed at, init
## supervising failing services, every assistant trap and ABI abuse, a bad manifest
test-modules-boot: deps $(KERNEL32) $(SYSTEM_MODULES) $(MKIMAGE)
	@tests/modules/boot.sh $(BUILD)/test/modules-boot $(KERNEL32) $(MKIMAGE) $(SYSTEM_MODULES)

# The system's boot image: modules/manifest and every module (mk/modules.mk). `make run`,
# the ISO and the QEMU tests boot with it.
$(BOOT_TAR): modules/manifest $(SYSTEM_MODULES) $(MKIMAGE)
	@echo "  IMAGE   $@"
	@$(MKIMAGE) -o $@ -m modules/manifest $(SYSTEM_MODULES)
ALL_TARGETS += $(BOOT_TAR)

TEST_LAYERS += hostile
.PHONY: test-hostile
## test-hostile: the hostile-module suite: each probe of tests/modules/hostile/*.sh boots
## the system, attacks the kernel and checks it survived and gave everything back
test-hostile: deps $(KERNEL32) $(SYSTEM_MODULES) $(MKIMAGE)
	@tests/modules/hostile.sh $(BUILD)/test/hostile $(KERNEL32) $(MKIMAGE) $(SYSTEM_MODULES)
