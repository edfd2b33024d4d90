// Console output (the console capability): strings are UTF-16 in AssemblyScript, the
// console takes UTF-8 bytes; "\n" is enough, the kernel's console sends "\r\n".
import { tk_console_write } from "takara-abi";

/** Writes all bytes of buf: 0 or a negative error. */
export function writeBytes(buf: ArrayBuffer): i32 {
  let p = changetype<usize>(buf);
  let left = buf.byteLength;
  while (left > 0) {
    const r = tk_console_write(p, <u32>left);
    if (r < 0) return r;
    p += <usize>r;
    left -= r;
  }
  return 0;
}

export function print(s: string): i32 {
  return writeBytes(String.UTF8.encode(s));
}

/** One line in one console write, so lines of processes do not mix. */
export function println(s: string): i32 {
  return writeBytes(String.UTF8.encode(s + "\n"));
}
