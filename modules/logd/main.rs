//! logd: the system log, a service of the boot manifest written in Rust (sdk/rust).
//! Clients reach it through init's name service (`connect logd`; their manifest entry
//! must list it under `uses`; init connects itself). It keeps the most recent LINES
//! records in a ring — the oldest is dropped when it is full, and counted — each with
//! the sender's name and pid as init named them (a client cannot claim another's), the
//! time logd received it and a sequence number. It speaks the log protocol
//! (include/takara/proto/log.proto, the generated `takara::proto::log`):
//!
//!   write TEXT  a record: one line of 1 to TEXT_MAX printable bytes. No reply, so a
//!               writer never waits for logd; a malformed one is refused, counted and
//!               noted in the log by logd itself.
//!   read FROM   the lines from FROM on that fit ("SEQ SECONDS.MMM NAME[PID]: TEXT\n"),
//!               where to read on, and how many from FROM on were dropped.
//!   stat        lines, dropped, refused, next, clients.
//!
//! A malformed request (the generated code refuses it) or an unknown one is answered
//! with its error (INVAL, UNSUPPORTED); a request over 1 KiB with RANGE, and the client
//! is dropped (sdk/rust/src/service.rs), as is one that closes its channel (noted in the
//! log: "client NAME[PID] went away"). Started with the argument `test`, logd also
//! takes `crash`: it panics (exit code 101), for the tests of its restart.
#![no_std]
#![no_main]

use core::fmt::Write;

use takara::proto::log::{self, ReadReply, ReadRequest, StatReply, WriteRequest};
use takara::service::{self, Client, Handler, Reply};
use takara::{process, Error, Handles};

/// Records kept.
const LINES: usize = 256;
/// Bytes of text per record.
const TEXT_MAX: usize = 200;

#[derive(Clone, Copy)]
struct Record {
    seq: u64,
    t_ns: i64,
    pid: i32,
    name: [u8; 32],
    name_len: u8,
    len: u8,
    text: [u8; TEXT_MAX],
}

const EMPTY: Record =
    Record { seq: 0, t_ns: 0, pid: 0, name: [0; 32], name_len: 0, len: 0, text: [0; TEXT_MAX] };

struct Log {
    ring: [Record; LINES],
    written: u64, // records ever appended (the first has sequence number 1)
    refused: u64,
    clients: usize,
}

// All zeros: it costs the module no data section.
static mut LOG: Log = Log { ring: [EMPTY; LINES], written: 0, refused: 0, clients: 0 };

impl Log {
    /// The sequence number the next record gets.
    fn next(&self) -> u64 {
        self.written + 1
    }

    /// The oldest sequence number still held.
    fn oldest(&self) -> u64 {
        if self.next() > LINES as u64 {
            self.next() - LINES as u64
        } else {
            1
        }
    }

    fn dropped(&self) -> u64 {
        self.oldest() - 1
    }

    fn append(&mut self, name: &str, pid: i32, text: &[u8]) {
        let seq = self.next();
        let r = &mut self.ring[(seq % LINES as u64) as usize];
        let nlen = name.len().min(32);
        let tlen = text.len().min(TEXT_MAX);
        r.seq = seq;
        r.t_ns = process::clock_ns();
        r.pid = pid;
        r.name[..nlen].copy_from_slice(&name.as_bytes()[..nlen]);
        r.name_len = nlen as u8;
        r.text[..tlen].copy_from_slice(&text[..tlen]);
        r.len = tlen as u8;
        self.written += 1;
    }

    fn get(&self, seq: u64) -> &Record {
        &self.ring[(seq % LINES as u64) as usize]
    }
}

/// A record is one line of text: no control characters (UTF-8 beyond ASCII is fine).
fn well_formed(text: &[u8]) -> bool {
    !text.is_empty() && text.len() <= TEXT_MAX && text.iter().all(|&b| b >= 0x20 && b != 0x7f)
}

/// Formats into a byte buffer; refuses (fmt::Error) what does not fit.
struct Buf<'a> {
    out: &'a mut [u8],
    len: usize,
}

impl Write for Buf<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let b = s.as_bytes();
        if b.len() > self.out.len() - self.len {
            return Err(core::fmt::Error);
        }
        self.out[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
        Ok(())
    }
}

fn line(b: &mut Buf<'_>, r: &Record) -> core::fmt::Result {
    let ms = r.t_ns / 1_000_000;
    let name = core::str::from_utf8(&r.name[..r.name_len as usize]).unwrap_or("?");
    // well_formed text may still be invalid UTF-8: show it as is, byte for byte
    write!(b, "{} {}.{:03} {}[{}]: ", r.seq, ms / 1000, ms % 1000, name, r.pid)?;
    let text = &r.text[..r.len as usize];
    if text.len() + 1 > b.out.len() - b.len {
        return Err(core::fmt::Error);
    }
    b.out[b.len..b.len + text.len()].copy_from_slice(text);
    b.len += text.len();
    b.write_str("\n")
}

struct Logd;

impl Logd {
    fn refused(&mut self, client: &Client, what: core::fmt::Arguments<'_>) {
        // Safety: one thread; LOG is only reached from the handlers.
        let log = unsafe { &mut LOG };
        log.refused += 1;
        let mut note = [0u8; 96];
        let mut b = Buf { out: &mut note, len: 0 };
        let _ = write!(b, "refused a malformed record from {}[{}] ({})", client.name(), client.pid,
                       what);
        let n = b.len;
        log.append("logd", process::pid(), &note[..n]);
    }
}

impl log::Server for Logd {
    fn write(&mut self, client: &Client, rq: WriteRequest<'_>) {
        if well_formed(rq.text) {
            unsafe { LOG.append(client.name(), client.pid, rq.text) };
        } else {
            self.refused(client, format_args!("{} bytes", rq.text.len()));
        }
    }

    fn read<'r>(&mut self, _client: &Client, rq: ReadRequest, scratch: &'r mut [u8])
                -> takara::Result<ReadReply<'r>> {
        let log = unsafe { &LOG };
        let first = rq.from.max(log.oldest());
        let lost = log.oldest() - rq.from.max(1).min(log.oldest());
        // as many whole lines as log.proto's `lines` holds
        let room = scratch.len().min(960);
        let mut b = Buf { out: &mut scratch[..room], len: 0 };
        let mut end = first;
        while end < log.next() {
            let before = b.len;
            if line(&mut b, log.get(end)).is_err() {
                b.len = before;
                break;
            }
            end += 1;
        }
        let n = b.len;
        Ok(ReadReply { next: end, dropped: lost, lines: &scratch[..n] })
    }

    fn stat(&mut self, _client: &Client, _rq: log::StatRequest, _scratch: &mut [u8])
            -> takara::Result<StatReply> {
        let log = unsafe { &LOG };
        Ok(StatReply { lines: log.next() - log.oldest(), dropped: log.dropped(),
                       refused: log.refused, next: log.next(), clients: log.clients as u32 })
    }

    fn crash(&mut self, client: &Client, _rq: log::CrashRequest, _scratch: &mut [u8])
             -> takara::Result<log::CrashReply> {
        if unsafe { TEST_MODE } {
            panic!("crash requested by {}[{}]", client.name(), client.pid);
        }
        Err(Error::Inval)
    }

    fn malformed(&mut self, client: &Client, ordinal: u32, error: Error) {
        // a malformed call is answered with its error; a malformed record, never
        // answered, is counted and noted like any other refused record
        if ordinal == log::WRITE {
            self.refused(client, format_args!("{}", error.name()));
        }
    }
}

impl Handler for Logd {
    fn request(
        &mut self,
        client: &Client,
        req: &[u8],
        handles: &mut Handles<4>,
        reply: &mut [u8],
    ) -> takara::Result<Reply> {
        log::dispatch(self, client, req, handles, reply)
    }

    fn disconnected(&mut self, client: &Client) {
        let mut note = [0u8; 96];
        let mut b = Buf { out: &mut note, len: 0 };
        let _ = write!(b, "client {}[{}] went away", client.name(), client.pid);
        let n = b.len;
        unsafe { LOG.append("logd", process::pid(), &note[..n]) };
    }

    fn clients_changed(&mut self, count: usize) {
        unsafe { LOG.clients = count };
    }
}

/// Started with the argument `test` (test manifests): the request `crash` panics.
static mut TEST_MODE: bool = false;

fn main() -> i32 {
    let me = process::pid();
    unsafe { TEST_MODE = process::args().nth(1) == Some("test") };
    unsafe { LOG.append("logd", me, b"started: a ring of 256 lines") };
    let e = service::serve(&mut Logd);
    takara::println!("logd: cannot serve: {}", e);
    1
}

takara::main!(main);
