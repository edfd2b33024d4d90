//! The other kernel objects: events, timers, ports and memory objects (docs/ipc.md).

use crate::error::{check, Result};
use crate::handle::{object, Handle};
use crate::sys::{self, PortPacket};

object!(
    /// An event: a user signal (`sys::SIGNAL_SIGNALED`) to set, clear and wait for.
    Event
);

impl Event {
    /// A new event, with every right.
    pub fn create() -> Result<Event> {
        let mut h = 0;
        check(unsafe { sys::event_create(&mut h) })?;
        Ok(Event(Handle(h)))
    }

    /// Sets the signal.
    pub fn set(&self) -> Result<()> {
        self.signal(0, sys::SIGNAL_SIGNALED)
    }

    /// Clears the signal.
    pub fn clear(&self) -> Result<()> {
        self.signal(sys::SIGNAL_SIGNALED, 0)
    }

    /// Waits up to `timeout_ns` for the signal.
    pub fn wait(&self, timeout_ns: i64) -> Result<()> {
        self.wait_one(sys::SIGNAL_SIGNALED, timeout_ns).map(|_| ())
    }
}

object!(
    /// A timer: `sys::SIGNAL_TIMER_FIRED` once the monotonic clock passes its deadline.
    Timer
);

impl Timer {
    /// A new, disarmed timer.
    pub fn create() -> Result<Timer> {
        let mut h = 0;
        check(unsafe { sys::timer_create(&mut h) })?;
        Ok(Timer(Handle(h)))
    }

    /// Arms it for the absolute time `deadline_ns` (`process::clock_ns`), clearing FIRED.
    pub fn set(&self, deadline_ns: i64) -> Result<()> {
        check(unsafe { sys::timer_set(self.raw(), deadline_ns) }).map(|_| ())
    }

    /// Arms it `ns` nanoseconds from now.
    pub fn set_after(&self, ns: i64) -> Result<()> {
        self.set(crate::process::clock_ns() + ns)
    }

    /// Disarms it and clears FIRED.
    pub fn cancel(&self) -> Result<()> {
        check(unsafe { sys::timer_cancel(self.raw()) }).map(|_| ())
    }

    /// Waits up to `timeout_ns` for it to fire.
    pub fn wait(&self, timeout_ns: i64) -> Result<()> {
        self.wait_one(sys::SIGNAL_TIMER_FIRED, timeout_ns).map(|_| ())
    }
}

object!(
    /// A port: one queue of packets from the objects it watches.
    Port
);

/// What `Port::wait` returns: the watch's key and the signals that fired.
#[derive(Clone, Copy, Debug)]
pub struct Packet {
    /// the key given to `watch`
    pub key: u64,
    /// `sys::SIGNAL_*` bits
    pub signals: u32,
}

impl Port {
    /// A new port.
    pub fn create() -> Result<Port> {
        let mut h = 0;
        check(unsafe { sys::port_create(&mut h) })?;
        Ok(Port(Handle(h)))
    }

    /// Watches `object` for `signals`: each time one rises (at once if one is up), a
    /// packet with `key` is queued (packets of one key merge until read).
    pub fn watch(&self, object: &Handle, key: u64, signals: u32) -> Result<()> {
        check(unsafe { sys::port_watch(self.raw(), object.raw(), key, signals) }).map(|_| ())
    }

    /// Stops the watches made with `key` and drops their queued packet.
    pub fn unwatch(&self, key: u64) -> Result<()> {
        check(unsafe { sys::port_unwatch(self.raw(), key) }).map(|_| ())
    }

    /// The next packet, waiting up to `timeout_ns` (TIMEOUT).
    pub fn wait(&self, timeout_ns: i64) -> Result<Packet> {
        let mut p = PortPacket { key: 0, signals: 0, reserved: 0 };
        check(unsafe { sys::port_wait(self.raw(), &mut p, timeout_ns) })?;
        Ok(Packet { key: p.key, signals: p.signals })
    }
}

object!(
    /// A memory object: pages that can be mapped into several linear memories.
    MemoryObject
);

impl MemoryObject {
    /// An object of `pages` zeroed 4 KiB pages.
    pub fn create(pages: u32) -> Result<MemoryObject> {
        let mut h = 0;
        check(unsafe { sys::memory_create(pages, &mut h) })?;
        Ok(MemoryObject(Handle(h)))
    }

    /// Maps the object at `addr` of this linear memory (4 KiB aligned, inside memory):
    /// the bytes there become the object's (read-only without the write right).
    ///
    /// # Safety
    /// The range's contents change under any Rust reference into it: map only over a
    /// buffer kept for this (e.g. a page-aligned static) and reach it through raw
    /// pointers or volatile accesses.
    pub unsafe fn map(&self, addr: *mut u8) -> Result<()> {
        check(sys::memory_map(self.raw(), addr as u32)).map(|_| ())
    }

    /// Undoes the mapping at `addr`: the range reads as zeros again.
    ///
    /// # Safety
    /// As for `map`.
    pub unsafe fn unmap(addr: *mut u8) -> Result<()> {
        check(sys::memory_unmap(addr as u32)).map(|_| ())
    }
}
