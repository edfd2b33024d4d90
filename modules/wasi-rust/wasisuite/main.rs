//! wasisuite: a WASI preview 1 conformance check written in ordinary Rust with std
//! (`rustc --target wasm32-wasi`, no Takara crate). It prints one line per WASI function
//! family, each a fact that holds on any correct WASI host, and exits with 7:
//! tests/modules/boot.sh runs it from the shell on Takara and under node's `node:wasi` on
//! the host and compares the two transcripts line for line. A few families std does not
//! reach (CPU clocks, random bytes, a bad descriptor's errno) are called through raw
//! `wasi_snapshot_preview1` imports declared below.
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::wasi::io::FromRawFd;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod raw {
    //! The few WASI functions std does not expose, with their preview 1 signatures.
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn clock_time_get(id: u32, precision: u64, time: *mut u64) -> i32;
        pub fn random_get(buf: *mut u8, len: usize) -> i32;
        pub fn fd_write(fd: u32, iovs: *const [usize; 2], n: usize, written: *mut usize) -> i32;
    }
}

const CLOCK_PROCESS_CPUTIME: u32 = 2;
const CLOCK_THREAD_CPUTIME: u32 = 3;

fn say(line: std::fmt::Arguments<'_>) {
    println!("wasisuite: {}", line);
}

macro_rules! say {
    ($($a:tt)*) => { say(format_args!($($a)*)) };
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// How an I/O operation failed, the same on every host: the error kind, or the errno.
fn how(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => format!("errno {}", n),
        None => format!("{:?}", e.kind()),
    }
}

fn main() {
    // args
    let args: Vec<String> = std::env::args().collect();
    say!("args: argc {} argv[1] {} argv[2] '{}'", args.len(),
         args.get(1).map(String::as_str).unwrap_or("-"), args.get(2).map(String::as_str).unwrap_or("-"));

    // environ: every variable, sorted (hosts need not agree on the order)
    let mut vars: Vec<String> = std::env::vars().map(|(k, v)| format!("{}='{}'", k, v)).collect();
    vars.sort();
    say!("environ: {} variables: {}", vars.len(), vars.join(" "));
    say!("environ: HOME {:?}, PATH {:?}", std::env::var("HOME").ok(), std::env::var("PATH").ok());

    // clocks: monotonic across a sleep (poll_oneoff with a clock subscription), realtime,
    // CPU time
    let t0 = Instant::now();
    std::thread::yield_now();
    std::thread::sleep(Duration::from_millis(20));
    // node's poll_oneoff sleeps on libuv's millisecond loop clock, which may lag the
    // monotonic clock by up to a millisecond or so: it can wake a little early
    say!("monotonic advanced by >= 18 ms across a 20 ms sleep: {}",
         yes(t0.elapsed() >= Duration::from_millis(18)));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    say!("realtime after 2020: {}", yes(now > 1_577_836_800));
    let (mut p, mut t) = (0u64, 0u64);
    let rp = unsafe { raw::clock_time_get(CLOCK_PROCESS_CPUTIME, 1, &mut p) };
    let rt = unsafe { raw::clock_time_get(CLOCK_THREAD_CPUTIME, 1, &mut t) };
    say!("cpu time readable: process {}, thread {}", yes(rp == 0), yes(rt == 0));

    // random
    let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
    let rx = unsafe { raw::random_get(x.as_mut_ptr(), x.len()) };
    let ry = unsafe { raw::random_get(y.as_mut_ptr(), y.len()) };
    say!("random differs: {}", yes(rx == 0 && ry == 0 && x != y));
    // std seeds HashMap from random_get as well
    let m: std::collections::HashMap<u32, u32> = (0..100).map(|i| (i, i * i)).collect();
    say!("hashmap of 100: {}", m.get(&9).copied().unwrap_or(0));

    // the heap (dlmalloc growing linear memory) and floating point
    let v: Vec<u64> = (0..32 * 1024).collect();
    say!("heap: 256 KiB vec, sum {}", v.iter().sum::<u64>());
    say!("float: sqrt 2 = {:.6}, {:e}", 2f64.sqrt(), 1.5e-7f64);

    // fd writes: stdout, stderr (the test does not compare this line: node's stderr is
    // not in its transcript), a descriptor that does not exist
    let mut out = io::stdout();
    say!("stdout write_all: {}", yes(out.write_all(b"").is_ok() && out.flush().is_ok()));
    eprintln!("wasisuite: to stderr");
    let iov = [b"x".as_ptr() as usize, 1usize];
    let mut n = 0usize;
    say!("fd_write fd 9 -> {}", unsafe { raw::fd_write(9, &iov, 1, &mut n) });
    let mut bad = unsafe { File::from_raw_fd(9) };
    say!("write to fd 9: {}", bad.write(b"x").map(|n| n.to_string()).unwrap_or_else(|e| how(&e)));
    std::mem::forget(bad); // not ours to close

    // files: outside any preopen, then the preopened /boot
    say!("open /etc/passwd: {}", File::open("/etc/passwd").map(|_| "opened".into()).unwrap_or_else(|e| how(&e)));
    match fs::read_to_string("/boot/manifest") {
        Ok(text) => {
            say!("/boot/manifest: '{}', {} bytes", text.lines().next().unwrap_or(""), text.len());
            match File::open("/boot/manifest") {
                Ok(mut f) => {
                    let meta = f.metadata();
                    say!("metadata: file {}, len matches {}",
                         yes(meta.as_ref().map(|m| m.is_file()).unwrap_or(false)),
                         yes(meta.as_ref().map(|m| m.len() as usize == text.len()).unwrap_or(false)));
                    let mut five = [0u8; 5];
                    let at = f.seek(SeekFrom::Start(10)).ok();
                    let read = f.read_exact(&mut five).is_ok();
                    say!("seek 10 + read 5: {}", yes(at == Some(10) && read && &five[..] == &text.as_bytes()[10..15]));
                    let end = f.seek(SeekFrom::End(0)).ok();
                    say!("seek end: {}", yes(end == Some(text.len() as u64)));
                    let mut rest = Vec::new();
                    say!("read at end: {} bytes", f.read_to_end(&mut rest).map(|n| n as i64).unwrap_or(-1));
                }
                Err(e) => say!("open /boot/manifest: {}", how(&e)),
            }
        }
        Err(e) => say!("/boot/manifest: {}", how(&e)),
    }
    say!("stat /boot: {}", fs::metadata("/boot").map(|m| format!("directory {}", yes(m.is_dir()))).unwrap_or_else(|e| how(&e)));
    say!("stat /boot/manifest: {}", fs::metadata("/boot/manifest")
        .map(|m| format!("file {}, {} bytes", yes(m.is_file()), m.len())).unwrap_or_else(|e| how(&e)));
    say!("stat /boot/nosuch: {}", fs::metadata("/boot/nosuch").map(|_| "found".into()).unwrap_or_else(|e| how(&e)));
    say!("open /boot/nosuch: {}", File::open("/boot/nosuch").map(|_| "opened".into()).unwrap_or_else(|e| how(&e)));
    // (see the comment at the top)
    match fs::read_dir("/boot") {
        Ok(dir) => {
            let names: Vec<String> = dir.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
            say!("readdir /boot: lists manifest {}", yes(names.iter().any(|n| n == "manifest")));
        }
        Err(e) => say!("readdir /boot: {}", how(&e)),
    }
    // writing under /boot: Takara's is read-only, node's a writable host folder (the test
    // does not compare these lines)
    let w = OpenOptions::new().write(true).create(true).truncate(true).open("/boot/new-file");
    say!("create /boot/new-file for writing: {}", w.map(|_| "opened".into()).unwrap_or_else(|e| how(&e)));
    let w = OpenOptions::new().append(true).open("/boot/manifest");
    say!("open /boot/manifest for writing: {}", match w {
        Ok(mut f) => format!("opened, write {}", f.write(b"\n").map(|n| n.to_string()).unwrap_or_else(|e| how(&e))),
        Err(e) => how(&e),
    });

    // exit status
    io::stdout().flush().ok();
    std::process::exit(7);
}
