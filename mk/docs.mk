# Generated documentation: docs/abi.md, the `takara` ABI reference, comes from the same
# tables as the kernel's dispatch and the SDKs (tools/gen-abi-doc.py).

ABI_DOC_SRCS := tools/gen-abi-doc.py $(wildcard include/takara/*.def) include/takara/handle.h

.PHONY: docs
## docs: regenerate docs/abi.md from include/takara/ (commit the result)
docs:
	@tools/gen-abi-doc.py docs/abi.md && echo "  GEN     docs/abi.md"

TEST_LAYERS += docs
.PHONY: test-docs
## test-docs: docs/abi.md is what include/takara/ generates
test-docs:
	@tools/gen-abi-doc.py --check docs/abi.md
