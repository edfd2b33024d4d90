//! The raw ABI: every `takara` import of include/takara/abi.def as an `extern "C"`
//! function with the row's exact Wasm signature, the structures of abi.h and handle.h,
//! the error codes, rights and capabilities. Generated at build time by
//! tools/gen-rust-abi.py (the build sets TAKARA_RUST_GEN to the folder it writes to), so
//! these cannot drift from the table the kernel is built from. Prefer the safe wrappers
//! of the other modules; these are for what they do not cover.
#![allow(missing_docs)]

include!(concat!(env!("TAKARA_RUST_GEN"), "/abi.rs"));
