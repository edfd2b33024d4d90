//! rust-hello: the Rust SDK's example module (`run rust-hello [WORDS...] [panic]`). It
//! greets with its pid and arguments, passes a message with an event handle through a
//! channel to itself, checks the handle's rights after `replace`, waits on a timer
//! through a port, names an error, and — given `panic` — panics (exit code 101).
#![no_std]
#![no_main]

use takara::sys::{rights, SIGNAL_PEER_CLOSED, SIGNAL_SIGNALED, SIGNAL_TIMER_FIRED};
use takara::{println, process, Channel, Event, Handles, Port, Timer};

fn main() -> takara::Result<()> {
    let mut args = process::args();
    let name = args.next().unwrap_or("?");
    println!("{}: hello from Rust (pid {}, ABI v{})", name, process::pid(), process::abi_version());
    let mut panic = false;
    for (i, a) in args.enumerate() {
        println!("{}: argv[{}] = '{}'", name, i + 1, a);
        panic |= a == "panic";
    }

    // a message carrying a handle with fewer rights, through a channel
    let (a, b) = Channel::create()?;
    let event = Event::create()?;
    let weak = event.duplicate(rights::WAIT | rights::TRANSFER)?;
    a.write(b"ping", [weak])?;
    let mut buf = [0u8; 16];
    let mut hs: Handles<2> = Handles::new();
    let n = b.read(&mut buf, &mut hs)?;
    let got = hs.take(0).expect("a handle came with the message");
    println!("{}: got '{}' with {} handle, rights {:#x}", name, core::str::from_utf8(&buf[..n]).unwrap_or("?"),
             hs.len(), got.info()?.rights);
    match got.signal(0, SIGNAL_SIGNALED) {
        Err(e) => println!("{}: signal without the right -> {}", name, e.name()),
        Ok(()) => println!("{}: signal without the right -> OK (wrong)", name),
    }
    let got = got.replace(rights::WAIT)?;
    event.set()?;
    println!("{}: replaced, rights {:#x}, wait -> {:#x}", name, got.info()?.rights,
             got.wait_one(SIGNAL_SIGNALED, 0)?);

    // a port watching a timer and a channel
    let port = Port::create()?;
    let timer = Timer::create()?;
    port.watch(&timer, 7, SIGNAL_TIMER_FIRED)?;
    port.watch(&b, 8, SIGNAL_PEER_CLOSED)?;
    let t0 = process::clock_ns();
    timer.set_after(20_000_000)?;
    let pk = port.wait(process::FOREVER)?;
    println!("{}: packet key {} signals {:#x} after >= 20 ms: {}", name, pk.key, pk.signals,
             process::clock_ns() - t0 >= 20_000_000);
    drop(a);
    let pk = port.wait(0)?;
    println!("{}: packet key {} signals {:#x}, read -> {}", name, pk.key, pk.signals,
             b.read(&mut buf, &mut hs).unwrap_err().name());
    if panic {
        let v: [u32; 0] = [];
        let i = buf.len();
        println!("{}: about to panic", name);
        let _ = v[i];
    }
    Ok(())
}

takara::main!(main);
