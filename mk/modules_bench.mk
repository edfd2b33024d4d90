# The hello-world module of each language (bench/module-sizes.sh): after modules.mk and
# the language fragments, whose rules build them.

HELLO_SIZES := c_takara=$(BUILD)/modules/greet.wasm c_wasi=$(BUILD)/modules/greetwasi.wasm \
	cpp_wasi=$(BUILD)/modules/greetcpp.wasm assemblyscript=$(BUILD)/modules/greetas.wasm \
	rust_takara=$(BUILD)/rust/sizes/hello-takara.wasm rust_std_wasi=$(BUILD)/rust/sizes/hello-std.wasm

BENCH_LAYERS += modules
.PHONY: bench-modules
## bench-modules: the size of a hello-world module in C, C++, Rust and AssemblyScript
bench-modules: $(foreach p,$(HELLO_SIZES),$(lastword $(subst =, ,$(p))))
	@bench/module-sizes.sh $(HELLO_SIZES)
