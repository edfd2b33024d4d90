# Toolchain, flags and paths shared by every fragment.

# JIT=0 leaves the JIT (wasm/jit/: its encoder, so far) out of the kernel and the tests,
# for the smallest targets. Objects do not record the choice: it builds in its own tree.
JIT        ?= 1
JIT_SRCS   := $(if $(filter 0,$(JIT)),,$(wildcard wasm/jit/x86_64/*.c))
BUILD      ?= $(if $(filter 0,$(JIT)),build-jit0,build)
# The official spec tests live outside the repo (see README): override with
# `make TESTSUITE=/path/to/wasm-testsuite`.
TESTSUITE  ?= ../shared/wasm-testsuite
# The suite converted by wast2json (rules in mk/spec.mk; used by several fragments).
SPEC_DIR   := $(BUILD)/spec/wasm-2.0
SPEC_WAST  := $(wildcard $(TESTSUITE)/wasm-2.0/*.wast)
# The boot image (mk/modules.mk): the modules and the manifest init reads.
BOOT_TAR   := $(BUILD)/boot.tar
SPEC_JSON  := $(patsubst $(TESTSUITE)/wasm-2.0/%.wast,$(SPEC_DIR)/%.json,$(SPEC_WAST))
# The proposals' suites ($(TESTSUITE)/proposals/NAME) and the wast2json flag enabling each;
# every converted file of every suite, and the same named SUITE/FILE.json.
SPEC_PROPOSALS := extended-const tail-call multi-memory exception-handling
SPEC_FLAGS_extended-const := --enable-extended-const
SPEC_FLAGS_tail-call := --enable-tail-call
SPEC_FLAGS_multi-memory := --enable-multi-memory
SPEC_FLAGS_exception-handling := --enable-exceptions
SPEC_ALL_JSON := $(SPEC_JSON) $(foreach p,$(SPEC_PROPOSALS),$(patsubst \
	$(TESTSUITE)/proposals/$(p)/%.wast,$(BUILD)/spec/$(p)/%.json,\
	$(wildcard $(TESTSUITE)/proposals/$(p)/*.wast)))
SPEC_ALL_NAMES := $(patsubst $(BUILD)/spec/%,%,$(SPEC_ALL_JSON))

CC         := clang-19
LD         := ld.lld-19
OBJCOPY    := llvm-objcopy-14
QEMU       := qemu-system-x86_64

WARN       := -Wall -Wextra -Werror -Wno-unused-parameter
CSTD       := -std=c11
DEPFLAGS    = -MMD -MP

# Host builds: the portable code (lib/, wasm/) compiled for Linux, for tests and tools.
HOST_CFLAGS  := $(CSTD) $(WARN) -O2 -g -D_GNU_SOURCE -Iinclude -I.
HOST_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# The interpreter's dispatch loop (wasm/interp.c), in every build: clang 19 merges all its
# `goto *` into one shared indirect jump unless a block may have this many predecessors
# and successors (llvm-project issue #106846), which costs a jump per instruction and
# makes every dispatch share one branch-predictor entry.
INTERP_CFLAGS := -mllvm -tail-dup-pred-size=1000 -mllvm -tail-dup-succ-size=1000

# The code generated from the protocol definitions (mk/proto.mk): every compile rule of
# the SDKs' languages waits for it, so it is named here, before those rules are read.
PROTO_DEFS  := $(sort $(wildcard include/takara/proto/*.proto))
PROTO_GEN   := $(BUILD)/gen/proto
PROTO_STAMP := $(PROTO_GEN)/.stamp
PROTO_NAMES := $(notdir $(basename $(PROTO_DEFS)))

ALL_TARGETS  :=
TEST_LAYERS  := format
BENCH_LAYERS :=
BENCH_DEPS   :=

## test-format: clang-format-14 agrees with every C source
.PHONY: test-format
test-format:
	@tools/check-format.sh

TEST_LAYERS += arch-seam
## test-arch-seam: portable code includes only arch/arch.h; arch code only kernel/arch_hooks.h
.PHONY: test-arch-seam
test-arch-seam:
	@tools/check-arch-seam.sh
