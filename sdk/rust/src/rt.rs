//! The module's entry and its end: what `main!` expands to calls `start`, and a panic
//! prints its message and ends the process with `PANIC_EXIT_CODE`.

use core::fmt::Write;
use core::panic::PanicInfo;

use crate::console::Console;
use crate::process;

/// The exit code of a process that panicked (as a Rust std program's).
pub const PANIC_EXIT_CODE: i32 = 101;

/// What `main` may return: its exit code.
pub trait ExitCode {
    /// The code the process exits with.
    fn code(self) -> i32;
}

impl ExitCode for () {
    fn code(self) -> i32 {
        0
    }
}

impl ExitCode for i32 {
    fn code(self) -> i32 {
        self
    }
}

impl ExitCode for crate::Result<()> {
    /// Ok: 0; an error: printed ("NAME: error: NOENT (no such object)"), exit code 1.
    fn code(self) -> i32 {
        match self {
            Ok(()) => 0,
            Err(e) => {
                crate::println!("{}: error: {}", process::args().next().unwrap_or("?"), e);
                1
            }
        }
    }
}

#[doc(hidden)]
pub fn start<R: ExitCode>(main: fn() -> R) -> ! {
    process::exit(main().code())
}

/// Defines the module's exports around `fn main()` (returning `()`, `i32` or
/// `takara::Result<()>`): `_start`, which runs it and exits with its code, and
/// `takara_abi`, the ABI version the kernel checks.
#[macro_export]
macro_rules! main {
    ($main:path) => {
        #[no_mangle]
        pub extern "C" fn _start() {
            $crate::rt::start($main)
        }

        #[no_mangle]
        pub extern "C" fn takara_abi() -> i32 {
            $crate::sys::ABI_VERSION as i32
        }
    };
}

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    let mut c = Console::new();
    let _ = writeln!(c, "{}: {}", process::args().next().unwrap_or("?"), info);
    c.flush();
    process::exit(PANIC_EXIT_CODE)
}
