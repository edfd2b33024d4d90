//! `takara`: the Rust SDK for Takara OS modules (no_std, wasm32-unknown-unknown).
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//! use takara::println;
//!
//! fn main() -> i32 {
//!     println!("hello from Rust, pid {}", takara::process::pid());
//!     0
//! }
//! takara::main!(main);
//! ```
//!
//! `sys` holds the raw imports and structures, generated from include/takara/ by
//! tools/gen-rust-abi.py; the other modules wrap them safely: owned handles that close
//! when dropped, channels, ports, events, timers, memory objects, console printing,
//! arguments and time, and services through init's name service. The build and the
//! module layout are described in sdk/rust/README.md and docs/guide-rust.md.
#![no_std]
#![warn(missing_docs)]

pub mod sys;

pub mod channel;
pub mod console;
pub mod error;
pub mod handle;
pub mod objects;
pub mod process;
pub mod proto;
pub mod rt;
pub mod service;

pub use channel::Channel;
pub use error::{Error, Result};
pub use handle::{Handle, Handles};
pub use objects::{Event, MemoryObject, Packet, Port, Timer};
