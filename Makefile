# Takara OS — the one, non-recursive build.
#
# Every subsystem contributes a fragment under mk/ that appends to the lists below; this
# file only defines the entry points a person types. Output goes to build/, never beside
# the sources. `make help` lists the targets.

.DEFAULT_GOAL := all
include mk/config.mk
include $(filter-out mk/config.mk,$(sort $(wildcard mk/*.mk)))

.PHONY: all run iso test bench fuzz deps clean help format

all: $(ALL_TARGETS)

## test: every test layer; prints "N passed, M failed" last, non-zero exit on any failure
test: deps
	@tools/run-tests.sh $(sort $(TEST_LAYERS))

## bench: every benchmark; prints tables and writes build/bench/results.json
bench: deps $(BENCH_DEPS)
	@tools/run-bench.sh $(sort $(BENCH_LAYERS))

## deps: install the Debian packages the build needs (as root), or say which are missing
deps: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok: tools/deps.sh
	@tools/deps.sh
	@mkdir -p $(@D) && touch $@

## format: rewrite every C source in the project style (clang-format-14)
format:
	@tools/check-format.sh --fix

clean:
	rm -rf $(BUILD)

help:
	@grep -h '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
