# C++ programs (sdk/cpp/): every folder modules/cpp/NAME/ holding .cc files becomes
# build/modules/NAME.wasm, a WASI command module built with wasi-libc and libc++ (Debian's
# libc++-19-dev-wasm32), which may also call the kernel through sdk/cpp/include/takara.hpp.
# No exceptions, no RTTI; debug sections dropped, the name section kept for trap reports.
# Compiled and linked in two steps: given -O at the link, clang runs binaryen's wasm-opt,
# which drops the name section (and clang-19's --no-wasm-opt skips the link altogether).
# Included before mk/modules.mk, which puts CPP_MODULES into the boot image and the checks.

WASM_CXX      := clang++-19
CPP_CXXFLAGS  := --target=wasm32-wasi --sysroot=/usr -O2 -std=c++17 -fno-exceptions -fno-rtti \
	$(WARN) -Iinclude -Isdk/c/include -Isdk/cpp/include -I$(BUILD)/gen
# -nostartfiles: sdk/cpp/start.cc is the entry instead of wasi-libc's crt1 (it says why).
CPP_LDFLAGS   := --target=wasm32-wasi --sysroot=/usr -fno-exceptions -fno-rtti -nostartfiles \
	-Wl,--strip-debug
# The C SDK's service library and protocol code (the name service's client, the
# generated protocols), compiled for WASI: the C++ wrappers call them.
CPP_SDK_C     := sdk/c/service.c sdk/c/proto.c $(PROTO_NAMES:%=$(PROTO_GEN)/%.c)
CPP_SDK_OBJS  := $(BUILD)/wasm32-wasi/sdk/cpp/start.o $(CPP_SDK_C:%.c=$(BUILD)/wasm32-wasi/cpp-sdk/%.o)

CPP_MODULE_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard modules/cpp/*/*.cc)))))
CPP_MODULES      := $(CPP_MODULE_NAMES:%=$(BUILD)/modules/%.wasm)
ALL_TARGETS      += $(CPP_MODULES)

$(BUILD)/wasm32-wasi/%.o: %.cc | deps $(PROTO_STAMP)
	@mkdir -p $(@D)
	@echo "  WASICXX $<"
	@$(WASM_CXX) $(CPP_CXXFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/wasm32-wasi/cpp-sdk/%.o: %.c | deps $(PROTO_STAMP)
	@mkdir -p $(@D)
	@echo "  WASICC  $<"
	@$(WASM_CC) --target=wasm32-wasi --sysroot=/usr -O2 $(CSTD) $(WARN) -Iinclude -Isdk/c/include \
		-I$(BUILD)/gen -I. $(DEPFLAGS) -c $< -o $@

$(foreach m,$(CPP_MODULE_NAMES),$(eval \
	$(BUILD)/modules/$(m).wasm: $(patsubst %.cc,$(BUILD)/wasm32-wasi/%.o,$(wildcard modules/cpp/$(m)/*.cc)) \
		$(CPP_SDK_OBJS) ; \
	@mkdir -p $$(@D) && echo "  WASILD  $$@" && $(WASM_CXX) $(CPP_LDFLAGS) $$^ -o $$@))
