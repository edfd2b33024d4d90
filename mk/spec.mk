# The official WebAssembly spec tests: $(TESTSUITE)/wasm-2.0/*.wast and, for the features
# beyond 2.0, $(TESTSUITE)/proposals/NAME/*.wast, converted with Debian's wast2json at
# build time into build/spec/SUITE/, and run by tests/spec/ in both memory modes.
# tests/spec/skip.txt lists skipped commands (SUITE/FILE.json:LINE), one reason each.

# SPEC_DIR, SPEC_WAST, SPEC_JSON (wasm-2.0): see mk/config.mk (other fragments need them).
SPEC_SRCS   := tests/spec/main.c tests/spec/runner.c tests/spec/json.c tools/host/read_file.c

$(SPEC_DIR)/%.json: $(TESTSUITE)/wasm-2.0/%.wast | deps
	@mkdir -p $(@D)
	@cd $(@D) && wast2json $(abspath $<) -o $(notdir $@)

# SPEC_PROPOSALS, SPEC_FLAGS_*, SPEC_ALL_JSON, SPEC_ALL_NAMES: mk/config.mk as well.
define spec_proposal
$(BUILD)/spec/$(1)/%.json: $(TESTSUITE)/proposals/$(1)/%.wast | deps
	@mkdir -p $$(@D)
	@cd $$(@D) && wast2json $(SPEC_FLAGS_$(1)) $$(abspath $$<) -o $$(notdir $$@)
endef
$(foreach p,$(SPEC_PROPOSALS),$(eval $(call spec_proposal,$(p))))
define spec_runner
$(BUILD)/$(1)/spec-run: $(SPEC_SRCS:%=$(BUILD)/$(1)/obj/%.o) $(BUILD)/$(1)/libwasm.a
	@$$(CC) $$(WASM_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach f,host-san host-bounds,$(eval $(call spec_runner,$(f))))

.PHONY: spec-suite-present
spec-suite-present:
	@[ -n "$(SPEC_WAST)" ] || { echo "FAIL spec: no spec tests in $(TESTSUITE)/wasm-2.0 (get WebAssembly/testsuite at commit 3a04b2c and pass TESTSUITE=/path, see ../shared/wasm-testsuite/README)"; exit 1; }
	@for p in $(SPEC_PROPOSALS); do [ -n "$$(ls $(TESTSUITE)/proposals/$$p/*.wast 2>/dev/null)" ] || { echo "FAIL spec: no spec tests in $(TESTSUITE)/proposals/$$p (the WebAssembly/testsuite checkout has proposals/, see ../shared/wasm-testsuite/README)"; exit 1; }; done

TEST_LAYERS += spec spec-bounds
## test-spec: the official spec suite (wasm-2.0 and the proposals), guard-page memory mode
.PHONY: test-spec test-spec-bounds
test-spec: spec-suite-present $(SPEC_ALL_JSON) $(BUILD)/host-san/spec-run
	@$(BUILD)/host-san/spec-run guard $(BUILD)/spec tests/spec/skip.txt $(SPEC_ALL_NAMES)
## test-spec-bounds: the same in explicit bounds-check mode
test-spec-bounds: spec-suite-present $(SPEC_ALL_JSON) $(BUILD)/host-bounds/spec-run
	@$(BUILD)/host-bounds/spec-run bounds $(BUILD)/spec tests/spec/skip.txt $(SPEC_ALL_NAMES)
