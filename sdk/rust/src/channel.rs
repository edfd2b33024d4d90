//! Channels: two endpoints carrying whole messages of bytes and handles (docs/ipc.md).

use crate::error::{check, Error, Result};
use crate::handle::{object, Handle, Handles};
use crate::sys::{self, ChannelSizes, RawHandle};

object!(
    /// One endpoint of a channel.
    Channel
);

/// Collects handles to send: they leave the process whatever happens (as the kernel
/// consumes them even when the write fails). More than the kernel's maximum: RANGE.
fn gather<I: IntoIterator<Item = Handle>>(handles: I, out: &mut [RawHandle; 64]) -> Result<u32> {
    let mut n = 0;
    let mut over = false;
    for h in handles {
        if n < out.len() {
            out[n] = h.into_raw();
            n += 1;
        } else {
            over = true; // dropped: closed
        }
    }
    if over {
        for raw in &out[..n] {
            unsafe { sys::handle_close(*raw) };
        }
        return Err(Error::Range);
    }
    Ok(n as u32)
}

impl Channel {
    /// A new channel: both endpoints, each with every right.
    pub fn create() -> Result<(Channel, Channel)> {
        let (mut a, mut b) = (0, 0);
        check(unsafe { sys::channel_create(&mut a, &mut b) })?;
        Ok((Channel(Handle(a)), Channel(Handle(b))))
    }

    /// Sends one message: `bytes` and `handles` (moved, each needs the transfer right).
    /// AGAIN: the peer's queue is full (wait for WRITABLE); PEER_CLOSED; INVAL: a handle
    /// that would make a cycle through the peer's queue; LIMIT: nested too deep to check.
    pub fn write<I: IntoIterator<Item = Handle>>(&self, bytes: &[u8], handles: I) -> Result<()> {
        let mut raw = [0; 64];
        let n = gather(handles, &mut raw)?;
        check(unsafe { sys::channel_write(self.raw(), bytes.as_ptr(), bytes.len() as u32, raw.as_ptr(), n) })
            .map(|_| ())
    }

    /// Receives the next message into `bytes` and `handles`: its length. AGAIN (none
    /// queued), PEER_CLOSED (none, peer gone), BUFFER_TOO_SMALL (nothing read; see
    /// `read_sized`).
    pub fn read<const N: usize>(&self, bytes: &mut [u8], handles: &mut Handles<N>) -> Result<usize> {
        self.read_sized(bytes, handles).0
    }

    /// `read`, also giving the sizes the message needs (set with BUFFER_TOO_SMALL too).
    pub fn read_sized<const N: usize>(
        &self,
        bytes: &mut [u8],
        handles: &mut Handles<N>,
    ) -> (Result<usize>, ChannelSizes) {
        let mut sz = ChannelSizes { bytes: 0, handles: 0 };
        handles.clear();
        let r = unsafe {
            sys::channel_read(
                self.raw(),
                bytes.as_mut_ptr(),
                bytes.len() as u32,
                handles.raw.as_mut_ptr(),
                N as u32,
                &mut sz,
            )
        };
        if r < 0 {
            return (Err(Error::from_code(r)), sz);
        }
        handles.len = sz.handles as usize;
        (Ok(sz.bytes as usize), sz)
    }

    /// Writes a request and waits up to `timeout_ns` for the next message, read into
    /// `reply` and `reply_handles`, in one kernel entry (a channel carrying one call at a
    /// time): the reply's length. A full queue is waited out within the timeout; AGAIN
    /// only for a timeout of 0 (docs/ipc.md, back-pressure and calls).
    pub fn call<I: IntoIterator<Item = Handle>, const N: usize>(
        &self,
        request: &[u8],
        handles: I,
        reply: &mut [u8],
        reply_handles: &mut Handles<N>,
        timeout_ns: i64,
    ) -> Result<usize> {
        let mut raw = [0; 64];
        let n = gather(handles, &mut raw)?;
        let mut sz = ChannelSizes { bytes: 0, handles: 0 };
        reply_handles.clear();
        check(unsafe {
            sys::channel_call(
                self.raw(),
                request.as_ptr(),
                request.len() as u32,
                raw.as_ptr(),
                n,
                reply.as_mut_ptr(),
                reply.len() as u32,
                reply_handles.raw.as_mut_ptr(),
                N as u32,
                &mut sz,
                timeout_ns,
            )
        })?;
        reply_handles.len = sz.handles as usize;
        Ok(sz.bytes as usize)
    }

    /// The channel to the parent that started this process connected (init, for a
    /// service), once: NOENT afterwards or without one.
    pub fn bootstrap() -> Result<Channel> {
        let mut h = 0;
        check(unsafe { sys::bootstrap_take(&mut h) })?;
        Ok(Channel(Handle(h)))
    }
}
