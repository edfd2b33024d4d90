//! Errors: the kernel's negative codes as `Error` (generated from errors.def, in `sys`).

use core::fmt;

pub use crate::sys::Error;

/// The result of a kernel call.
pub type Result<T> = core::result::Result<T, Error>;

/// A kernel call's return value: negative codes are errors, the rest is the value.
pub fn check(r: i32) -> Result<i32> {
    if r < 0 {
        Err(Error::from_code(r))
    } else {
        Ok(r)
    }
}

impl fmt::Display for Error {
    /// "NOENT (no such object)", as the C modules print errors.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.message())
    }
}
