//! rust-hello: the Rust SDK's example module (`run rust-hello [WORDS...] [panic]`). It
//! greets with its pid and arguments, passes a message with an event handle through a
//! channel to itself, checks the handle's rights after `replace`, waits on a timer
//! through a port, names an error, shares a memory object between two mappings, and —
//! given `panic` — panics (exit code 101).
#![no_std]
#![no_main]

use takara::sys::{rights, SIGNAL_PEER_CLOSED, SIGNAL_SIGNALED, SIGNAL_TIMER_FIRED};
use takara::{println, process, Channel, Event, Handles, MemoryObject, Port, Timer};

/// Page-aligned windows to map a memory object into.
#[repr(C, align(4096))]
struct Window([u8; 4096]);
static mut WINDOWS: [Window; 2] = [Window([0; 4096]), Window([0; 4096])];

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
    // one memory object mapped twice: a store through one window shows in the other
    let mem = MemoryObject::create(1)?;
    unsafe {
        let (w0, w1) = (WINDOWS[0].0.as_mut_ptr(), WINDOWS[1].0.as_mut_ptr());
        mem.map(w0)?;
        mem.map(w1)?;
        core::ptr::write_volatile(w0.add(100), 42);
        let seen = core::ptr::read_volatile(w1.add(100));
        MemoryObject::unmap(w0)?;
        MemoryObject::unmap(w1)?;
        println!("{}: shared memory: wrote 42, the other mapping reads {}, after unmap {}", name,
                 seen, core::ptr::read_volatile(w1.add(100)));
    }
    if panic {
        let v: [u32; 0] = [];
        let i = buf.len();
        println!("{}: about to panic", name);
        let _ = v[i];
    }
    Ok(())
}

takara::main!(main);
