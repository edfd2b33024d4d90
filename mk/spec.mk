# The official WebAssembly spec tests: $(TESTSUITE)/wasm-2.0/*.wast converted with
# Debian's wast2json at build time into build/spec/wasm-2.0/, and run by tests/spec/
# in both memory modes. tests/spec/skip.txt lists skipped commands, one reason each.

# SPEC_DIR, SPEC_WAST, SPEC_JSON: see mk/config.mk (other fragments need them too).
SPEC_SRCS   := tests/spec/main.c tests/spec/runner.c tests/spec/json.c tools/host/read_file.c

$(SPEC_DIR)/%.json: $(TESTSUITE)/wasm-2.0/%.wast | deps
	@mkdir -p $(@D)
	@cd $(@D) && wast2json $(abspath $<) -o $(notdir $@)

define spec_runner
$(BUILD)/$(1)/spec-run: $(SPEC_SRCS:%=$(BUILD)/$(1)/obj/%.o) $(BUILD)/$(1)/libwasm.a
	@$$(CC) $$(WASM_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach f,host-san host-bounds,$(eval $(call spec_runner,$(f))))

.PHONY: spec-suite-present
spec-suite-present:
	@[ -n "$(SPEC_WAST)" ] || { echo "FAIL spec: no spec tests in $(TESTSUITE)/wasm-2.0 (get WebAssembly/testsuite at commit 3a04b2c and pass TESTSUITE=/path, see ../shared/wasm-testsuite/README)"; exit 1; }

TEST_LAYERS += spec spec-bounds
## test-spec: the official spec suite (wasm-2.0), guard-page memory mode
.PHONY: test-spec test-spec-bounds
test-spec: spec-suite-present $(SPEC_JSON) $(BUILD)/host-san/spec-run
	@$(BUILD)/host-san/spec-run guard $(SPEC_DIR) tests/spec/skip.txt $(notdir $(SPEC_JSON))
## test-spec-bounds: the same in explicit bounds-check mode
test-spec-bounds: spec-suite-present $(SPEC_JSON) $(BUILD)/host-bounds/spec-run
	@$(BUILD)/host-bounds/spec-run bounds $(SPEC_DIR) tests/spec/skip.txt $(notdir $(SPEC_JSON))
