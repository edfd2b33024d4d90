//! Console output: `print!` and `println!` format into a small buffer and hand it to
//! `console_write` in as few calls as possible (one per line for short lines), so lines
//! from different processes interleave whole. Needs the console capability; without it
//! output is silently lost, as in C.

use core::fmt;

use crate::sys;

const BUF: usize = 256;

/// A buffered console writer; flushes when full and when dropped.
pub struct Console {
    buf: [u8; BUF],
    len: usize,
}

impl Console {
    /// An empty writer.
    pub const fn new() -> Console {
        Console { buf: [0; BUF], len: 0 }
    }

    /// Sends what is buffered.
    pub fn flush(&mut self) {
        if self.len > 0 {
            write_bytes(&self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl fmt::Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let bytes = s.as_bytes();
        if bytes.len() > BUF - self.len {
            self.flush();
        }
        if bytes.len() > BUF {
            write_bytes(bytes);
        } else {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
        Ok(())
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Writes bytes to the console as they are ("\n" becomes "\r\n" in the kernel).
pub fn write_bytes(bytes: &[u8]) {
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = unsafe { sys::console_write(rest.as_ptr(), rest.len() as u32) };
        if n <= 0 {
            return;
        }
        rest = &rest[n as usize..];
    }
}

#[doc(hidden)]
pub fn _print(args: fmt::Arguments<'_>) {
    let mut c = Console::new();
    let _ = fmt::write(&mut c, args);
}

/// Prints to the console, like std's `print!`.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::console::_print(format_args!($($arg)*)) };
}

/// Prints a line to the console, like std's `println!`.
#[macro_export]
macro_rules! println {
    () => { $crate::console::write_bytes(b"\n") };
    ($($arg:tt)*) => { $crate::console::_print(format_args!("{}\n", format_args!($($arg)*))) };
}
