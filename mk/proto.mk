# Service protocols (docs/protocols.md): each include/takara/proto/NAME.proto generates,
# at build time and into build/ only, the client and server code of every SDK
# (tools/gen-proto.py): C into $(PROTO_GEN)/NAME.{h,c} (compiled into every C module's
# SDK objects, and into the host unit tests), C++ headers over the C code beside them,
# a Rust module included by the takara crate, and an AssemblyScript package. Nothing
# generated is checked in, so nothing can be stale.

PROTO_TOOL := tools/gen-proto.py tools/protodef.py include/takara/errors.def $(PROTO_DEFS)
PROTO_C    := $(PROTO_NAMES:%=$(PROTO_GEN)/%.c) $(PROTO_NAMES:%=$(PROTO_GEN)/%.h)
PROTO_CPP  := $(PROTO_NAMES:%=$(PROTO_GEN)/%.hpp)
PROTO_RUST := $(RUST_GEN)/proto.rs
PROTO_AS   := $(AS_DIR)/packages/takara-proto/index.ts

# One stamp for all of them: every compile rule of the SDKs waits for it.
$(PROTO_STAMP): $(PROTO_TOOL)
	@mkdir -p $(@D)
	@echo "  GEN     $(PROTO_GEN) ($(PROTO_NAMES))"
	@tools/gen-proto.py c $(PROTO_GEN) $(PROTO_DEFS)
	@tools/gen-proto.py cpp $(PROTO_GEN) $(PROTO_DEFS)
	@touch $@
$(PROTO_C) $(PROTO_CPP): $(PROTO_STAMP)

$(PROTO_RUST): $(PROTO_TOOL)
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	@tools/gen-proto.py rust $@ $(PROTO_DEFS)
$(RUST_SDK): $(PROTO_RUST)

$(PROTO_AS): $(PROTO_TOOL)
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	@tools/gen-proto.py as $@ $(PROTO_DEFS)
$(AS_MODULES): $(PROTO_AS)
