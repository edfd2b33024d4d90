# Host tools on the engine: takara-wasm (run an export; time it; measure loading).
define wasm_tool
$(BUILD)/$(1)/takara-wasm: $(BUILD)/$(1)/obj/tools/takara-wasm/main.c.o $(BUILD)/$(1)/libwasm.a
	@$$(CC) $$(WASM_LDFLAGS_$(1)) $$^ -o $$@
endef
$(foreach f,host host-bounds host-san,$(eval $(call wasm_tool,$(f))))
ALL_TARGETS += $(BUILD)/host/takara-wasm
