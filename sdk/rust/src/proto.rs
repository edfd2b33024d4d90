//! Service protocols (docs/protocols.md): the code generated from
//! include/takara/proto/*.proto by tools/gen-proto.py (one module per protocol, with a
//! request and reply type per message, `call_NAME` / `send_NAME` for clients, and a
//! `Server` trait and `dispatch` for servers), over the reader and writer below. The
//! wire format is the C SDK's (tk_proto.h): a 4-byte head (ordinal or status), the fixed
//! part (integers little-endian; a u32 length per string or bytes field), then the
//! payloads, ending the message exactly. Every read is checked against the message's
//! length, so a malformed message is refused (INVAL), never read past its end.

use crate::error::{Error, Result};
use crate::handle::{Handle, Handles};

include!(concat!(env!("TAKARA_RUST_GEN"), "/proto.rs"));

/// The handles of one message, in order: received ones are taken one by one, the rest
/// close when it is dropped (so a refused message's handles never leak).
pub struct HandleList {
    items: [Option<Handle>; 4],
    len: usize,
    next: usize,
}

impl HandleList {
    /// Empty.
    pub const fn new() -> Self {
        HandleList { items: [None, None, None, None], len: 0, next: 0 }
    }

    /// Takes every handle a message brought.
    pub fn from_handles<const N: usize>(hs: &mut Handles<N>) -> Self {
        let mut list = HandleList::new();
        for i in 0..hs.len() {
            if let Some(h) = hs.take(i) {
                list.push(h);
            }
        }
        list
    }

    /// Adds one (a fifth is closed: no message carries more than four).
    pub fn push(&mut self, h: Handle) {
        if self.len < self.items.len() {
            self.items[self.len] = Some(h);
            self.len += 1;
        }
    }

    /// How many are left to take.
    pub fn len(&self) -> usize {
        self.len - self.next
    }

    /// True if none is left.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The next one in order.
    pub fn next(&mut self) -> Option<Handle> {
        if self.next == self.len {
            return None;
        }
        self.next += 1;
        self.items[self.next - 1].take()
    }

    /// The ones left, in order (to send them).
    pub fn drain(&mut self) -> impl Iterator<Item = Handle> + '_ {
        core::iter::from_fn(move || self.next())
    }
}

fn le(b: &[u8]) -> u64 {
    b.iter().rev().fold(0, |v, &x| v << 8 | x as u64)
}

/// A message's head: the ordinal of a request, the status of a reply.
pub fn head(msg: &[u8]) -> Result<u32> {
    if msg.len() < 4 {
        return Err(Error::Inval);
    }
    Ok(le(&msg[..4]) as u32)
}

/// A reply's status: Ok for 0, the error for a 4-byte negative status without handles,
/// INVAL for anything else.
pub fn check_reply(msg: &[u8], handles: &HandleList) -> Result<()> {
    let status = head(msg)? as i32;
    if status < 0 {
        if msg.len() != 4 || !handles.is_empty() {
            return Err(Error::Inval);
        }
        return Err(Error::from_code(status));
    }
    if status > 0 {
        return Err(Error::Inval);
    }
    Ok(())
}

/// Reads a message's fields in order, every read checked against its length.
pub struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
    payload: usize,
}

impl<'a> Reader<'a> {
    /// A reader of `msg`, whose fixed part (after the head) takes `fixed` bytes.
    pub fn new(msg: &'a [u8], fixed: usize) -> Result<Self> {
        if msg.len() < 4 + fixed {
            return Err(Error::Inval);
        }
        Ok(Reader { msg, pos: 4, payload: 4 + fixed })
    }

    fn scalar(&mut self, n: usize) -> u64 {
        // within the fixed part, which `new` measured
        let v = le(&self.msg[self.pos..self.pos + n]);
        self.pos += n;
        v
    }

    /// The next u32.
    pub fn u32(&mut self) -> u32 {
        self.scalar(4) as u32
    }

    /// The next i32.
    pub fn i32(&mut self) -> i32 {
        self.scalar(4) as i32
    }

    /// The next u64.
    pub fn u64(&mut self) -> u64 {
        self.scalar(8)
    }

    /// The next i64.
    pub fn i64(&mut self) -> i64 {
        self.scalar(8) as i64
    }

    /// The next bytes field, at most `max` bytes and within the message.
    pub fn bytes(&mut self, max: usize) -> Result<&'a [u8]> {
        let n = self.u32() as usize;
        if n > max || n > self.msg.len() - self.payload {
            return Err(Error::Inval);
        }
        let b = &self.msg[self.payload..self.payload + n];
        self.payload += n;
        Ok(b)
    }

    /// The next string field: bytes without a NUL.
    pub fn string(&mut self, max: usize) -> Result<&'a [u8]> {
        let b = self.bytes(max)?;
        if b.contains(&0) {
            return Err(Error::Inval);
        }
        Ok(b)
    }

    /// Ok if the fields took the whole message.
    pub fn end(&self) -> Result<()> {
        if self.payload != self.msg.len() {
            return Err(Error::Inval);
        }
        Ok(())
    }
}

/// Writes a message's head and fields in order.
pub struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
    payload: usize,
}

impl<'a> Writer<'a> {
    /// A writer of head `head` and a fixed part of `fixed` bytes into `buf`.
    pub fn new(buf: &'a mut [u8], head: u32, fixed: usize) -> Result<Self> {
        if buf.len() < 4 + fixed {
            return Err(Error::BufferTooSmall);
        }
        buf[..4].copy_from_slice(&head.to_le_bytes());
        Ok(Writer { buf, pos: 4, payload: 4 + fixed })
    }

    fn scalar(&mut self, v: u64, n: usize) {
        self.buf[self.pos..self.pos + n].copy_from_slice(&v.to_le_bytes()[..n]);
        self.pos += n;
    }

    /// A u32 field.
    pub fn u32(&mut self, v: u32) {
        self.scalar(v as u64, 4)
    }

    /// An i32 field.
    pub fn i32(&mut self, v: i32) {
        self.scalar(v as u32 as u64, 4)
    }

    /// A u64 field.
    pub fn u64(&mut self, v: u64) {
        self.scalar(v, 8)
    }

    /// An i64 field.
    pub fn i64(&mut self, v: i64) {
        self.scalar(v as u64, 8)
    }

    /// A bytes field: RANGE over `max`.
    pub fn bytes(&mut self, b: &[u8], max: usize) -> Result<()> {
        if b.len() > max {
            return Err(Error::Range);
        }
        if b.len() > self.buf.len() - self.payload {
            return Err(Error::BufferTooSmall);
        }
        self.u32(b.len() as u32);
        self.buf[self.payload..self.payload + b.len()].copy_from_slice(b);
        self.payload += b.len();
        Ok(())
    }

    /// A string field: RANGE if over `max` or holding a NUL.
    pub fn string(&mut self, b: &[u8], max: usize) -> Result<()> {
        if b.contains(&0) {
            return Err(Error::Range);
        }
        self.bytes(b, max)
    }

    /// The message's length.
    pub fn finish(self) -> Result<usize> {
        Ok(self.payload)
    }
}
