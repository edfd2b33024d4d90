//! logd: the system log, a service of the boot manifest written in Rust (sdk/rust).
//! Clients reach it through init's name service (`connect logd`; their manifest entry
//! must list it under `uses`; init connects itself). It keeps the most recent LINES
//! records in a ring — the oldest is dropped when it is full, and counted — each with
//! the sender's name and pid as init named them (a client cannot claim another's), the
//! time logd received it and a sequence number. Requests (one message each):
//!
//!   log TEXT   a record: one line of 1 to TEXT_MAX printable bytes. No reply, so a
//!              writer never waits for logd; a malformed one is refused, counted and
//!              noted in the log by logd itself.
//!   read SEQ   reply "next N\n", then the lines from SEQ on (as many as fit in 1 KiB):
//!              "SEQ SECONDS.MMM NAME[PID]: TEXT\n", preceded by "(K older lines
//!              dropped)\n" if lines from SEQ on were dropped. Ask again from N.
//!   stat       reply "lines L dropped D refused R next N clients C"
//!
//! Anything else (or a request carrying handles) is answered with the status INVAL; a
//! request over 1 KiB with RANGE, and the client is dropped (sdk/rust/src/service.rs), as
//! is one that closes its channel (noted in the log: "client NAME[PID] went away").
//! Started with the argument `test`, logd also takes `crash`: it panics (exit code 101),
//! for the tests of its restart.
#![no_std]
#![no_main]

use core::fmt::Write;

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

fn parse_u64(s: &[u8]) -> Option<u64> {
    core::str::from_utf8(s).ok()?.parse().ok()
}

struct Logd;

impl Handler for Logd {
    fn request(
        &mut self,
        client: &Client,
        req: &[u8],
        handles: &mut Handles<4>,
        reply: &mut [u8],
    ) -> takara::Result<Reply> {
        // Safety: one thread; LOG is only reached from here.
        let log = unsafe { &mut LOG };
        if !handles.is_empty() {
            return Err(Error::Inval); // no request carries handles (they are closed)
        }
        if let Some(text) = req.strip_prefix(b"log ") {
            if well_formed(text) {
                log.append(client.name(), client.pid, text);
            } else {
                log.refused += 1;
                let mut note = [0u8; 96];
                let mut b = Buf { out: &mut note, len: 0 };
                let _ = write!(b, "refused a malformed record from {}[{}] ({} bytes)", client.name(),
                               client.pid, text.len());
                let n = b.len;
                log.append("logd", process::pid(), &note[..n]);
            }
            return Ok(Reply::Nothing);
        }
        if let Some(arg) = req.strip_prefix(b"read ") {
            let from = parse_u64(arg).ok_or(Error::Inval)?;
            let first = from.max(log.oldest());
            let mut room = reply.len() - 40; // the header, below
            let lost = log.oldest() - from.max(1).min(log.oldest());
            if lost > 0 {
                room -= 40; // and the note on dropped lines
            }
            // the lines that fit, measured first so the header can say where they end
            let mut end = first;
            let mut scratch = [0u8; 300];
            while end < log.next() {
                let mut t = Buf { out: &mut scratch, len: 0 };
                let _ = line(&mut t, log.get(end));
                if t.len > room {
                    break;
                }
                room -= t.len;
                end += 1;
            }
            let mut b = Buf { out: reply, len: 0 };
            let _ = write!(b, "next {}\n", end);
            if lost > 0 {
                let _ = write!(b, "({} older lines dropped)\n", lost);
            }
            for seq in first..end {
                let _ = line(&mut b, log.get(seq));
            }
            return Ok(Reply::Bytes(b.len));
        }
        let mut b = Buf { out: reply, len: 0 };
        if req == b"crash" && unsafe { TEST_MODE } {
            panic!("crash requested by {}[{}]", client.name(), client.pid);
        }
        if req == b"stat" {
            let _ = write!(b, "lines {} dropped {} refused {} next {} clients {}",
                           log.next() - log.oldest(), log.dropped(), log.refused, log.next(), log.clients);
            return Ok(Reply::Bytes(b.len));
        }
        Err(Error::Inval)
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
