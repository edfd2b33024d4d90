//! Handles: `Handle` owns one handle of the process's table and closes it when dropped;
//! `Handles<N>` receives up to N handles from a channel.

use core::mem;

use crate::error::{check, Result};
use crate::sys::{self, HandleInfo, RawHandle};

/// An owned handle (never 0). Dropping it closes it; `into_raw` gives it up.
#[derive(Debug, PartialEq, Eq)]
pub struct Handle(pub(crate) RawHandle);

impl Handle {
    /// Takes ownership of a raw handle value (0 gives None).
    ///
    /// # Safety
    /// Nothing else may close or own `raw`.
    pub unsafe fn from_raw(raw: RawHandle) -> Option<Handle> {
        if raw == sys::HANDLE_INVALID {
            None
        } else {
            Some(Handle(raw))
        }
    }

    /// The startup handle `name` this process was given at spawn, taken once: NOENT if
    /// it was not given or is taken already.
    pub fn startup(name: &str) -> Result<Handle> {
        let mut out = 0;
        check(unsafe { sys::startup_handle_take(name.as_ptr(), name.len() as u32, &mut out) })?;
        Ok(Handle(out))
    }

    /// The raw value, still owned by `self`.
    pub fn raw(&self) -> RawHandle {
        self.0
    }

    /// Gives up ownership: the caller closes the value (or sends it).
    pub fn into_raw(self) -> RawHandle {
        let raw = self.0;
        mem::forget(self);
        raw
    }

    /// Another handle to the same object with `rights` (`sys::RIGHTS_SAME`: these);
    /// needs the duplicate right.
    pub fn duplicate(&self, rights: u32) -> Result<Handle> {
        let mut out = 0;
        check(unsafe { sys::handle_duplicate(self.0, rights, &mut out) })?;
        Ok(Handle(out))
    }

    /// A handle with fewer rights in place of this one, which is closed even on failure.
    pub fn replace(self, rights: u32) -> Result<Handle> {
        let mut out = 0;
        check(unsafe { sys::handle_replace(self.into_raw(), rights, &mut out) })?;
        Ok(Handle(out))
    }

    /// The object's type (`sys::OBJ_*`), the handle's rights and the object's koid.
    pub fn info(&self) -> Result<HandleInfo> {
        let mut info = HandleInfo { r#type: 0, rights: 0, koid: 0 };
        check(unsafe { sys::handle_info(self.0, &mut info) })?;
        Ok(info)
    }

    /// Waits up to `timeout_ns` (`process::FOREVER`, 0: poll) until the object asserts
    /// one of `signals` (`sys::SIGNAL_*`): the signals asserted. Needs the wait right.
    pub fn wait_one(&self, signals: u32, timeout_ns: i64) -> Result<u32> {
        let mut observed = 0;
        check(unsafe { sys::object_wait_one(self.0, signals, timeout_ns, &mut observed) })?;
        Ok(observed)
    }

    /// Clears then sets user signals (`sys::SIGNAL_SIGNALED`); needs the signal right.
    pub fn signal(&self, clear: u32, set: u32) -> Result<()> {
        check(unsafe { sys::object_signal(self.0, clear, set) }).map(|_| ())
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        unsafe { sys::handle_close(self.0) };
    }
}

/// Room for up to N handles received with a message; the ones not taken are closed when
/// it is dropped or reused.
pub struct Handles<const N: usize> {
    pub(crate) raw: [RawHandle; N],
    pub(crate) len: usize,
}

impl<const N: usize> Handles<N> {
    /// Empty.
    pub const fn new() -> Self {
        Handles { raw: [0; N], len: 0 }
    }

    /// How many handles the last message brought.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if it holds none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Takes handle i (None if absent or already taken).
    pub fn take(&mut self, i: usize) -> Option<Handle> {
        if i >= self.len {
            return None;
        }
        let raw = mem::replace(&mut self.raw[i], 0);
        unsafe { Handle::from_raw(raw) }
    }

    /// Closes every handle still held.
    pub fn clear(&mut self) {
        for i in 0..self.len {
            drop(self.take(i));
        }
        self.len = 0;
    }
}

impl<const N: usize> Drop for Handles<N> {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Implemented by the typed wrappers (`Channel`, `Port`, ...): each owns a `Handle`.
macro_rules! object {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name(crate::handle::Handle);

        impl $name {
            /// Treats a handle as this kind of object (the kernel checks the type at
            /// each call: WRONG_TYPE if it is not).
            pub fn from_handle(h: crate::handle::Handle) -> Self {
                $name(h)
            }
            /// The handle, given up.
            pub fn into_handle(self) -> crate::handle::Handle {
                self.0
            }
        }

        impl core::ops::Deref for $name {
            type Target = crate::handle::Handle;
            fn deref(&self) -> &crate::handle::Handle {
                &self.0
            }
        }
    };
}
pub(crate) use object;
