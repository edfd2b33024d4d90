//! slowcallrs: the Rust SDK's side of the slowed-server test (modules/slowcall, scenario
//! slow of tests/modules/boot.sh): it fills its queue to the service `slow`, which sleeps
//! before every read, with one-way notes until AGAIN, then calls it with
//! `service::call`: the call waits for room instead of failing, and the reply ("notes
//! K") must count every note sent before it.
#![no_std]
#![no_main]

use takara::{println, service, Error};

fn run() -> takara::Result<()> {
    let slow = service::connect("slow")?;
    let mut sent = 0u32;
    let full = loop {
        match slow.write(b"note", []) {
            Ok(()) => sent += 1,
            Err(e) => break e,
        }
    };
    println!("slowcall-rust: filled: {} after {} notes", full.name(), sent);
    if full != Error::Again {
        return Err(full);
    }
    let mut reply = [0u8; 32];
    let r = service::call(&slow, b"count", &mut reply)?;
    println!("slowcall-rust: call -> OK, '{}' of {}", core::str::from_utf8(r).unwrap_or("?"), sent);
    Ok(())
}

fn main() -> i32 {
    match run() {
        Ok(()) => 0,
        Err(e) => {
            println!("slowcall-rust: call -> {}", e.name());
            1
        }
    }
}

takara::main!(main);
