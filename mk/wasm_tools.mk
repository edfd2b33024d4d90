# Host tools on the engine: takara-wasm (run an export; time it; measure loading).
define wasm_tool
$(BUILD)/$(1)/takara-wasm: $(BUILD)/$(1)/obj/tools/takara-wasm/main.c.o \
		$(BUILD)/$(1)/obj/tools/host/read_file.c.o $(BUILD)/$(1)/libwasm.a
	@$$(CC) $$(WASM_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach f,host host-bounds host-san,$(eval $(call wasm_tool,$(f))))
ALL_TARGETS += $(BUILD)/host/takara-wasm

# Engine tests beyond the spec suite: trap kinds and locations, in both memory modes.
define trap_test
$(BUILD)/$(1)/trap-test: $(BUILD)/$(1)/obj/tests/engine/trap_test.c.o \
		$(BUILD)/$(1)/obj/tools/host/read_file.c.o $(BUILD)/$(1)/libwasm.a
	@$$(CC) $$(WASM_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach f,host-san host-bounds,$(eval $(call trap_test,$(f))))
# ... and the features beyond Wasm 2.0, with them and in a build that leaves them out.
define features_test
$(BUILD)/$(1)/features-test: $(BUILD)/$(1)/obj/tests/engine/features_test.c.o \
		$(BUILD)/$(1)/obj/tools/host/read_file.c.o $(BUILD)/$(1)/libwasm.a
	@$$(CC) $$(WASM_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach f,host-san host-nofeat,$(eval $(call features_test,$(f))))
TEST_LAYERS += engine
.PHONY: test-engine
## test-engine: trap kinds and locations (function, name, offset) in both memory modes;
## each feature beyond Wasm 2.0 works, and a build without it names it in the load error
test-engine: $(BUILD)/host-san/trap-test $(BUILD)/host-bounds/trap-test \
		$(BUILD)/host-san/features-test $(BUILD)/host-nofeat/features-test
	@tests/engine/run.sh $(BUILD)/engine $(BUILD)/host-san/trap-test $(BUILD)/host-bounds/trap-test
	@tests/engine/features.sh $(BUILD)/engine/features $(BUILD)/host-san/features-test \
		$(BUILD)/host-nofeat/features-test
