//! Hello world with std for wasm32-wasi. Built by `make rust-sizes` (sdk/rust/README.md).
fn main() {
    println!("hello, world");
}
