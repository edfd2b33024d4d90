// The process: its arguments, its end, time; and `abort`, which the build maps here.
import { tk_args_get, tk_exit, tk_getpid, tk_sleep_ns, tk_clock_ns } from "takara-abi";
import { println } from "./console";

/** argv, argv[0] (the program's name) first. */
export function args(): string[] {
  const out = new Array<string>();
  const size = tk_args_get(0, 0); // the block's size; nothing copied
  if (size <= 0) return out;
  const buf = new ArrayBuffer(size);
  const base = changetype<usize>(buf);
  const got = tk_args_get(base, <u32>size);
  let start = 0;
  for (let i = 0; i < got && i < size; i++) {
    if (load<u8>(base + <usize>i) == 0) {
      out.push(String.UTF8.decodeUnsafe(base + <usize>start, <usize>(i - start)));
      start = i + 1;
    }
  }
  return out;
}

/** Ends the process with `code`; does not return. */
export function exit(code: i32): void {
  tk_exit(code);
  unreachable();
}

export function pid(): i32 {
  return tk_getpid();
}

export function sleep(ns: i64): void {
  tk_sleep_ns(ns);
}

/** Monotonic nanoseconds since boot. */
export function now(): i64 {
  return tk_clock_ns();
}

/** What a failed assertion or `abort()` calls (asc --use abort=...): says where, then ends
 *  the process with code 134. */
export function takaraAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = "abort";
  if (message !== null) text += ": " + message;
  if (fileName !== null) text += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  println(text);
  tk_exit(134);
  unreachable();
}
