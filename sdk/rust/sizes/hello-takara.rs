//! The smallest useful no_std module: print a line through the takara crate. Built by
//! `make rust-sizes` to measure what a Rust hello world costs (sdk/rust/README.md).
#![no_std]
#![no_main]

fn main() {
    takara::println!("hello, world");
}

takara::main!(main);
