//! The calling process: its arguments, pid, exit, time and sleep, and child processes.

use crate::error::{check, Result};
use crate::sys;

/// Wait forever (timeouts are nanoseconds; 0 polls).
pub const FOREVER: i64 = -1;

const ARGS_BYTES: usize = 1024;
static mut ARGS: [u8; ARGS_BYTES] = [0; ARGS_BYTES];
static mut ARGS_LEN: usize = usize::MAX; // not fetched yet

/// The process's arguments, argv[0] (its name) first, as the kernel keeps them:
/// consecutive NUL-terminated strings, at most 1 KiB (a longer block is cut). Words that
/// are not UTF-8 read as "?".
pub fn args() -> Args {
    // Safety: a process has one thread; the buffer is written once, then only read.
    unsafe {
        if ARGS_LEN == usize::MAX {
            let n = sys::args_get(ARGS.as_mut_ptr(), ARGS_BYTES as u32);
            let len = if n < 0 { 0 } else { (n as usize).min(ARGS_BYTES) };
            if len > 0 && ARGS[len - 1] != 0 {
                ARGS[len - 1] = 0; // cut (or unterminated): keep the last word terminated
            }
            ARGS_LEN = len;
        }
        Args { rest: &ARGS[..ARGS_LEN] }
    }
}

/// Iterator over the arguments (see `args`).
#[derive(Clone)]
pub struct Args {
    rest: &'static [u8],
}

impl Iterator for Args {
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        if self.rest.is_empty() {
            return None;
        }
        let end = self.rest.iter().position(|&b| b == 0).unwrap_or(self.rest.len());
        let word = &self.rest[..end];
        self.rest = &self.rest[(end + 1).min(self.rest.len())..];
        Some(core::str::from_utf8(word).unwrap_or("?"))
    }
}

/// Ends the process with an exit code.
pub fn exit(code: i32) -> ! {
    unsafe { sys::exit(code) };
    core::arch::wasm32::unreachable()
}

/// The process's pid.
pub fn pid() -> i32 {
    unsafe { sys::getpid() }
}

/// Monotonic time since boot in nanoseconds.
pub fn clock_ns() -> i64 {
    unsafe { sys::clock_ns() }
}

/// Sleeps for `ns` nanoseconds (the kernel's tick is 10 ms).
pub fn sleep_ns(ns: i64) {
    unsafe { sys::sleep_ns(ns) }
}

/// Sleeps for `ms` milliseconds.
pub fn sleep_ms(ms: u32) {
    sleep_ns(ms as i64 * 1_000_000)
}

/// Gives the CPU to another ready thread.
pub fn yield_now() {
    unsafe { sys::r#yield() }
}

/// The kernel's ABI version.
pub fn abi_version() -> i32 {
    unsafe { sys::abi_version() }
}

/// Starts boot-image module `module` (e.g. "hello.wasm") as a child with `args` (argv,
/// first the name), a linear-memory limit in bytes (0: 1 MiB) and capabilities (at most
/// the caller's; `sys::caps`): its pid. Needs the spawn capability.
pub fn spawn(module: &str, args: &[&str], memory_limit: i64, caps: u32) -> Result<i32> {
    let mut block = [0u8; ARGS_BYTES];
    let mut len = 0;
    for a in args {
        let b = a.as_bytes();
        if len + b.len() + 1 > block.len() {
            return Err(crate::Error::Range);
        }
        block[len..len + b.len()].copy_from_slice(b);
        len += b.len() + 1;
    }
    check(unsafe {
        sys::spawn(module.as_ptr(), module.len() as u32, block.as_ptr(), len as u32, memory_limit, caps)
    })
}

/// Waits up to `timeout_ns` for child `pid` (-1: any) to end and reaps it.
pub fn wait(pid: i32, timeout_ns: i64) -> Result<sys::ExitInfo> {
    let mut info = core::mem::MaybeUninit::<sys::ExitInfo>::zeroed();
    check(unsafe { sys::wait(pid, info.as_mut_ptr(), timeout_ns) })?;
    Ok(unsafe { info.assume_init() })
}
