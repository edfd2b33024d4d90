# (After wasm.mk: its sources are prerequisites here.) Robustness of the engine's input surface: a libFuzzer target (decode, validate, lower,
# instantiate) seeded with the spec suite's modules, and an allocation-failure sweep.

FUZZ_BIN    := $(BUILD)/fuzz/load-fuzz
FUZZ_CORPUS := $(BUILD)/fuzz/corpus
FUZZ_FLAGS  := $(HOST_CFLAGS) $(WASM_FLAGS) -O1 -fsanitize=fuzzer,address,undefined

$(FUZZ_BIN): tests/fuzz/load_fuzz.c $(WASM_SRCS) | deps
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@$(CC) $(FUZZ_FLAGS) $^ -o $@

$(FUZZ_CORPUS)/.seeded: $(SPEC_ALL_JSON)
	@mkdir -p $(FUZZ_CORPUS)
	@cp $(SPEC_DIR)/*.wasm $(FUZZ_CORPUS)/
	@for p in $(SPEC_PROPOSALS); do for f in $(BUILD)/spec/$$p/*.wasm; do \
		cp $$f $(FUZZ_CORPUS)/$$p-$$(basename $$f); done; done
	@touch $@

## fuzz: run the module fuzzer until stopped (seeded with the spec suite's modules)
fuzz: $(FUZZ_BIN) $(FUZZ_CORPUS)/.seeded
	$(FUZZ_BIN) -rss_limit_mb=4096 -max_len=65536 $(FUZZ_CORPUS)

TEST_LAYERS += fuzz alloc
## test-fuzz: a bounded fuzzing run (fixed seed, 20000 inputs): it must stay clean
.PHONY: test-fuzz test-alloc
test-fuzz: spec-suite-present $(FUZZ_BIN) $(FUZZ_CORPUS)/.seeded
	@mkdir -p $(BUILD)/fuzz/smoke
	@$(FUZZ_BIN) -seed=1 -runs=20000 -rss_limit_mb=4096 -max_len=65536 -timeout=20 \
		$(BUILD)/fuzz/smoke $(FUZZ_CORPUS) > $(BUILD)/fuzz/smoke.log 2>&1 \
		&& echo "PASS fuzz/load-smoke (20000 inputs, seed 1)" \
		|| { tail -40 $(BUILD)/fuzz/smoke.log; echo "FAIL fuzz/load-smoke: see $(BUILD)/fuzz/smoke.log"; }

ALLOC_BIN := $(BUILD)/host-san/alloc-sweep
$(ALLOC_BIN): $(BUILD)/host-san/obj/tests/alloc/alloc_sweep.c.o \
		$(BUILD)/host-san/obj/tools/host/read_file.c.o $(BUILD)/host-san/libwasm.a
	@$(CC) $(HOST_SAN) $^ -o $@
# modules with code, tables, memories, globals, segments and no imports; one with an
# extended constant expression, one with tags and try blocks
ALLOC_MODULES := $(addprefix $(SPEC_DIR)/,i32.0.wasm br_table.0.wasm bulk.0.wasm \
	memory_init.0.wasm table_copy.0.wasm call_indirect.0.wasm) \
	$(BUILD)/spec/extended-const/data.27.wasm $(BUILD)/spec/exception-handling/throw.0.wasm
## test-alloc: fail every allocation in turn while loading and instantiating
test-alloc: spec-suite-present $(ALLOC_BIN) $(SPEC_ALL_JSON)
	@$(ALLOC_BIN) $(ALLOC_MODULES)
