# AssemblyScript programs (sdk/assemblyscript/): every folder modules/as/NAME/ holding
# NAME.ts (the entry; other .ts files beside it are imported by it) becomes
# build/modules/NAME.wasm. The compiler is the npm package pinned in
# sdk/assemblyscript/package.json and package-lock.json, installed by `npm ci` into
# build/asc/ (nothing else is fetched). The `takara` bindings are generated from the ABI
# tables by tools/gen-as-bindings.py at every build that needs them, so they cannot drift.
# Included before mk/modules.mk, which puts AS_MODULES into the boot image and the checks.

AS_DIR      := $(BUILD)/asc
ASC         := $(AS_DIR)/node_modules/.bin/asc
AS_ABI      := $(AS_DIR)/packages/takara-abi/index.ts
AS_LIB      := $(wildcard sdk/assemblyscript/takara/*.ts)
# --runtime stub: a bump allocator that never frees (programs are short-lived; no GC in
# the module). --exportStart _start: the top-level code runs when the kernel calls
# _start, after it checked takara_abi (a Wasm start function would run at instantiation).
# -O --debug: optimised, the name section kept for trap reports. abort -> console + exit.
AS_FLAGS    := --runtime stub -O --debug --exportStart _start \
	--use abort=~lib/takara/process/takaraAbort \
	--path $(abspath sdk/assemblyscript),$(abspath $(AS_DIR)/packages)

$(ASC): sdk/assemblyscript/package.json sdk/assemblyscript/package-lock.json | deps
	@mkdir -p $(AS_DIR)
	@echo "  NPM     assemblyscript (npm ci into $(AS_DIR))"
	@cp sdk/assemblyscript/package.json sdk/assemblyscript/package-lock.json $(AS_DIR)/
	@cd $(AS_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

$(AS_ABI): tools/gen-as-bindings.py tools/abidef.py include/takara/abi.def include/takara/errors.def \
		include/takara/rights.def include/takara/caps.def include/takara/handle.h \
		include/takara/abi.h
	@echo "  GEN     $@"
	@tools/gen-as-bindings.py $@

AS_MODULE_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard modules/as/*/*.ts)))))
AS_MODULES      := $(AS_MODULE_NAMES:%=$(BUILD)/modules/%.wasm)
ALL_TARGETS     += $(AS_MODULES)
$(foreach m,$(AS_MODULE_NAMES),$(eval \
	$(BUILD)/modules/$(m).wasm: $(wildcard modules/as/$(m)/*.ts) $(AS_LIB) $(AS_ABI) $(ASC) ; \
	@mkdir -p $$(@D) && echo "  ASC     $$@" && \
		$(ASC) modules/as/$(m)/$(m).ts sdk/assemblyscript/takara/start.ts $(AS_FLAGS) -o $$@))
