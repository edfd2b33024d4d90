//! logcheck: a client of the system log (modules/logd), in Rust, started by init as a
//! service of a test manifest (tests/modules/boot.sh, with logd started as `logd test`).
//! It prints `logcheck: STEP -> RESULT` lines: records read back with the name and pid
//! init gave, an unknown request, a request cut short and one with a handle refused by
//! the generated code, malformed records refused and noted, an oversized request refused and the client dropped, a client closing
//! mid-call dropped, a flood past the ring's size (oldest dropped and counted), and logd
//! crashing: init restarts it, the client reconnects and the log works again. Then it
//! powers the machine off with code 9.
#![no_std]
#![no_main]

use takara::proto::{log, HandleList};
use takara::service;
use takara::sys::SIGNAL_WRITABLE;
use takara::{println, process, Channel, Error, Event, Handles};

fn step<T>(what: &str, r: takara::Result<T>) -> takara::Result<T> {
    match &r {
        Ok(_) => println!("logcheck: {} -> OK", what),
        Err(e) => println!("logcheck: {} -> {}", what, e.name()),
    }
    r
}

/// Sends a record, waiting for room if logd's queue is full.
fn record(logd: &Channel, text: &[u8]) -> takara::Result<()> {
    loop {
        match log::send_write(logd, log::WriteRequest { text }) {
            Err(Error::Again) => {
                logd.wait_one(SIGNAL_WRITABLE, process::FOREVER)?;
            }
            r => return r,
        }
    }
}

/// The whole log as logd returns it, fed line by line to `f` (reads on from `next`
/// until no line comes), with "(older lines dropped)" first if some were.
fn read_all(logd: &Channel, mut f: impl FnMut(&str)) -> takara::Result<()> {
    let mut seq = 0u64;
    let mut buf = [0u8; 1024];
    loop {
        let r = log::call_read(logd, log::ReadRequest { from: seq }, &mut buf)?;
        if r.dropped > 0 {
            f("(older lines dropped)");
        }
        let text = core::str::from_utf8(r.lines).map_err(|_| Error::Inval)?;
        text.lines().for_each(&mut f);
        if r.next <= seq {
            return Ok(());
        }
        seq = r.next;
    }
}

fn fmt_u64(out: &mut [u8], prefix: &[u8], v: u64) -> usize {
    out[..prefix.len()].copy_from_slice(prefix);
    let mut digits = [0u8; 20];
    let (mut n, mut v) = (0, v);
    loop {
        digits[n] = b'0' + (v % 10) as u8;
        n += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for i in 0..n {
        out[prefix.len() + i] = digits[n - 1 - i];
    }
    prefix.len() + n
}

fn contains(log: &Channel, needle: &str) -> bool {
    let mut found = false;
    let _ = read_all(log, |l| found |= l.contains(needle));
    found
}

fn count(log: &Channel, needle: &str) -> usize {
    let mut n = 0;
    let _ = read_all(log, |l| n += l.contains(needle) as usize);
    n
}

fn stat(logd: &Channel) {
    let mut buf = [0u8; 1024];
    match log::call_stat(logd, log::StatRequest {}, &mut buf) {
        Ok(s) => println!("logcheck: stat: lines {} dropped {} refused {} next {} clients {}",
                          s.lines, s.dropped, s.refused, s.next, s.clients),
        Err(e) => println!("logcheck: stat: {}", e.name()),
    }
}

/// Sends raw bytes (and handles) as a request: the error its reply names, if any.
fn raw_call<I: IntoIterator<Item = takara::Handle>>(logd: &Channel, msg: &[u8], hs: I)
                                                     -> takara::Result<()> {
    let mut reply = [0u8; 1024];
    let mut got: Handles<4> = Handles::new();
    let n = logd.call(msg, hs, &mut reply, &mut got, process::FOREVER)?;
    takara::proto::check_reply(&reply[..n], &HandleList::from_handles(&mut got))
}

fn run() -> takara::Result<()> {
    let me = process::pid();
    let mut buf = [0u8; service::MAX_MSG];
    let logd = step("connect", service::connect("logd"))?;
    record(&logd, b"hello from logcheck")?;
    let mut line = [0u8; 64];
    let n = fmt_u64(&mut line, b"logcheck[", me as u64);
    line[n..n + 22].copy_from_slice(b"]: hello from logcheck");
    let mine = core::str::from_utf8(&line[..n + 22]).unwrap_or("?");
    println!("logcheck: record read back as mine: {}", contains(&logd, mine));

    // what logd refuses: an unknown message, a read cut short, a stat with a handle, a
    // record of control characters, a record whose length points past its end
    step("unknown-request", raw_call(&logd, &[99, 0, 0, 0], [])).ok();
    step("read-cut-short", raw_call(&logd, &[log::READ as u8, 0, 0, 0, 1, 2, 3], [])).ok();
    let ev = Event::create()?;
    step("request-with-handle", raw_call(&logd, &[log::STAT as u8, 0, 0, 0], [ev.into_handle()]))
        .ok();
    record(&logd, b"two\nlines")?;
    step("length-past-end", logd.write(&[log::WRITE as u8, 0, 0, 0, 200, 0, 0, 0, b'x'], [])).ok();
    println!("logcheck: malformed records noted: {}",
             count(&logd, "refused a malformed record from logcheck"));
    stat(&logd);

    // a request too big to read: refused, and the client is dropped
    let big = step("connect-big", service::connect("logd"))?;
    let huge = [b'x'; 2000];
    step("oversized", service::call(&big, &huge, &mut buf)).ok();
    step("after-oversized", raw_call(&big, &[log::STAT as u8, 0, 0, 0], [])).ok();
    drop(big);

    // a client that closes its channel in the middle of a call is dropped
    let gone_before = count(&logd, "]: client logcheck[");
    let quitter = step("connect-quitter", service::connect("logd"))?;
    let mut msg = [0u8; 16];
    let n = log::ReadRequest { from: 0 }.encode(log::READ, &mut msg, &mut HandleList::new())?;
    quitter.write(&msg[..n], [])?;
    drop(quitter);
    // logd notes it when it next looks at that channel: asked until it has (a bound on
    // tries, not a time, so that a slow host cannot make it look like a missed note)
    let mut gone_after = count(&logd, "]: client logcheck[");
    for _ in 0..200 {
        if gone_after > gone_before {
            break;
        }
        process::sleep_ms(10);
        gone_after = count(&logd, "]: client logcheck[");
    }
    println!("logcheck: clients gone noted: {} then {}", gone_before, gone_after);

    // more records than the ring holds: the oldest go, counted
    for i in 0..300u64 {
        let n = fmt_u64(&mut line, b"flood ", i);
        record(&logd, &line[..n])?;
    }
    let (mut first, mut last, mut note) = (false, false, false);
    read_all(&logd, |l| {
        first |= l.ends_with(": flood 0");
        last |= l.ends_with(": flood 299");
        note |= l.ends_with("older lines dropped)");
    })?;
    println!("logcheck: after the flood: flood 0 kept {}, flood 299 kept {}, drop noted {}", first,
             last, note);
    stat(&logd);

    // logd crashes: init restarts it; a new connection works and shows init's report
    step("crash", log::call_crash(&logd, log::CrashRequest {}, &mut buf).map(|_| ())).ok();
    drop(logd);
    let mut again = Err(Error::Noent);
    for _ in 0..400 {
        // until init has restarted it (100 ms after the crash): tries, not a deadline
        again = service::connect("logd");
        if again.is_ok() {
            break;
        }
        process::sleep_ms(50);
    }
    let logd = step("reconnect", again)?;
    record(&logd, b"after the restart")?;
    let (mut crashed, mut mine_again) = (false, false);
    read_all(&logd, |l| {
        crashed |= l.contains("init[1]: service 'logd' (pid ") && l.contains(") exited with code 101");
        mine_again |= l.ends_with(": after the restart");
    })?;
    println!("logcheck: after the restart: init's report {}, new record {}", crashed, mine_again);
    stat(&logd);
    Ok(())
}

fn main() -> i32 {
    let r = run();
    if let Err(e) = r {
        println!("logcheck: stopped: {}", e);
    }
    println!("logcheck: done");
    unsafe { takara::sys::poweroff(9) };
    1
}

takara::main!(main);
