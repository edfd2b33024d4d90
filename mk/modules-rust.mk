# Modules written in Rust (sdk/rust/): built by Debian's rustc 1.63 called directly, no
# cargo and no crates but the SDK. Every folder modules/NAME/ or sdk/rust/examples/NAME/
# holding a main.rs becomes build/modules/NAME.wasm, linked against the `takara` rlib
# (no_std, wasm32-unknown-unknown); every folder modules/wasi-rust/NAME/ with a main.rs
# is a std program for wasm32-wasi. A new module needs nothing added here.
#
# This file sorts before mk/modules.mk, which puts RUST_MODULES and RUST_WASI_MODULES
# into SYSTEM_MODULES and the module checks.

RUSTC      := /usr/bin/rustc
RUST_GEN   := $(BUILD)/rust/gen
RUST_SDK   := $(BUILD)/rust/libtakara.rlib
# opt-level=s and no debug info keep modules small; names stay (the kernel reports traps
# by function name from the name section, which strip=debuginfo keeps).
RUST_FLAGS := --edition 2021 -C opt-level=s -C debuginfo=0 -C strip=debuginfo -C panic=abort \
	-D warnings
# As for C modules: the stack first, so an overflow traps below address 0. 64 KiB:
# formatting and the service loop keep buffers on the stack.
RUST_LINK  := -C link-arg=--stack-first -C link-arg=-zstack-size=65536

RUST_SDK_SRCS     := $(wildcard sdk/rust/src/*.rs)
RUST_MODULE_DIRS  := $(patsubst %/main.rs,%,$(wildcard modules/*/main.rs sdk/rust/examples/*/main.rs))
RUST_MODULE_NAMES := $(notdir $(RUST_MODULE_DIRS))
RUST_MODULES      := $(RUST_MODULE_NAMES:%=$(BUILD)/modules/%.wasm)
ALL_TARGETS       += $(RUST_MODULES)

# The raw imports, errors, rights, caps and structures, from include/takara/.
$(RUST_GEN)/abi.rs: tools/gen-rust-abi.py tools/abidef.py include/takara/abi.def include/takara/errors.def \
		include/takara/rights.def include/takara/caps.def include/takara/abi.h \
		include/takara/handle.h | deps
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	@tools/gen-rust-abi.py include $@

$(RUST_SDK): $(RUST_SDK_SRCS) $(RUST_GEN)/abi.rs
	@echo "  RUSTC   $@"
	@TAKARA_RUST_GEN=$(abspath $(RUST_GEN)) $(RUSTC) $(RUST_FLAGS) \
		--target wasm32-unknown-unknown --crate-type rlib --crate-name takara \
		--emit=link=$@,dep-info=$@.d sdk/rust/src/lib.rs

$(foreach d,$(RUST_MODULE_DIRS),$(eval $(BUILD)/modules/$(notdir $(d)).wasm: $(d)/main.rs))
$(RUST_MODULES): $(RUST_SDK)
	@mkdir -p $(@D)
	@echo "  RUSTC   $@"
	@$(RUSTC) $(RUST_FLAGS) $(RUST_LINK) --target wasm32-unknown-unknown --crate-type cdylib \
		--crate-name $(subst -,_,$(basename $(@F))) --extern takara=$(RUST_SDK) \
		--emit=link=$@,dep-info=$@.d $(firstword $(filter %/main.rs,$^))

# std programs for WASI (Debian's libstd-rust-dev-wasm32): no Takara crate, only the
# wasi_snapshot_preview1 imports std makes. rustc asks for a 1 MiB stack; 64 KiB leaves
# room under the shell's default 1 MiB memory limit.
RUST_WASI_DIRS    := $(patsubst %/main.rs,%,$(wildcard modules/wasi-rust/*/main.rs))
RUST_WASI_MODULES := $(patsubst %,$(BUILD)/modules/%.wasm,$(notdir $(RUST_WASI_DIRS)))
ALL_TARGETS       += $(RUST_WASI_MODULES)
$(foreach d,$(RUST_WASI_DIRS),$(eval $(BUILD)/modules/$(notdir $(d)).wasm: $(d)/main.rs | deps ; \
	@mkdir -p $$(@D) && echo "  RUSTC   $$@" && $(RUSTC) $(RUST_FLAGS) --target wasm32-wasi \
		-C link-arg=-zstack-size=65536 --crate-name $(subst -,_,$(notdir $(d))) \
		--emit=link=$$@,dep-info=$$@.d $$<))

RUST_SIZES := $(BUILD)/rust/sizes/hello-takara.wasm $(BUILD)/rust/sizes/hello-std.wasm
$(BUILD)/rust/sizes/hello-takara.wasm: sdk/rust/sizes/hello-takara.rs $(RUST_SDK)
	@mkdir -p $(@D)
	@$(RUSTC) $(RUST_FLAGS) $(RUST_LINK) --target wasm32-unknown-unknown --crate-type cdylib \
		--extern takara=$(RUST_SDK) -o $@ $<
$(BUILD)/rust/sizes/hello-std.wasm: sdk/rust/sizes/hello-std.rs | deps
	@mkdir -p $(@D)
	@$(RUSTC) $(RUST_FLAGS) --target wasm32-wasi -C link-arg=-zstack-size=65536 -o $@ $<

.PHONY: rust-sizes
## rust-sizes: build a Rust hello world both ways (no_std takara, std wasm32-wasi) and
## print their sizes in bytes
rust-sizes: $(RUST_SIZES)
	@for f in $^; do printf '%-40s %8d bytes\n' $$f $$(stat -c %s $$f); done
