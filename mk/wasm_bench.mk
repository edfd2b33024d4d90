# Engine benchmarks (bench/engine-bench.sh): our interpreter next to native code, node (V8)
# and wabt's wasm-interp, on the programs in bench/programs; plus a checksum cross-check
# of every runner as a test layer.

ENGINE_BENCH_DEPS = $(BUILD)/host/takara-wasm $(BUILD)/host-bounds/takara-wasm $(SPEC_JSON)
ENGINE_LARGEST = $(shell ls -S $(SPEC_DIR)/*.wasm 2>/dev/null | head -1)

BENCH_LAYERS += engine
.PHONY: bench-engine test-bench-programs
## bench-engine: interpreter speed vs native, V8 and wasm-interp; load throughput
bench-engine: $(ENGINE_BENCH_DEPS)
	@bench/engine-bench.sh $(BUILD)/bench/engine $(BUILD)/host/takara-wasm \
		$(BUILD)/host-bounds/takara-wasm $(ENGINE_LARGEST)

.PHONY: bench-engine-callgrind
## bench-engine-callgrind: instructions executed, native vs our interpreter (repeatable)
bench-engine-callgrind:
	@bench/engine-callgrind.sh $(BUILD)/bench/callgrind

TEST_LAYERS += bench-programs
## test-bench-programs: every runner computes the same checksums as native code
test-bench-programs: $(ENGINE_BENCH_DEPS)
	@bench/engine-bench.sh $(BUILD)/bench/check $(BUILD)/host/takara-wasm \
		$(BUILD)/host-bounds/takara-wasm $(ENGINE_LARGEST) --check
