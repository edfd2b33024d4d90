// Service protocols (docs/protocols.md): the reader and writer under the code that
// tools/gen-proto.py generates from include/takara/proto/*.proto into the package
// "takara-proto" (one namespace per protocol: request and reply classes, callNAME /
// sendNAME for clients, a Server class and dispatch for servers). The wire format is the
// C SDK's (tk_proto.h): a 4-byte head (ordinal or status), the fixed part (integers
// little-endian, a u32 length per string or bytes field), then the payloads, ending the
// message exactly. Every read is checked against the message's length.
import { ERR_INVAL } from "takara-abi";
import { Handle, Message } from "./handle";

/** Every protocol's largest message (TK_PROTO_MAX_MSG). */
export const PROTO_MAX_MSG: i32 = 1024;

/** Writes a message's head and fields in order. */
export class Writer {
  buf: ArrayBuffer = new ArrayBuffer(PROTO_MAX_MSG);
  pos: i32 = 4;
  payload: i32;

  constructor(head: u32, fixed: i32) {
    store<u32>(changetype<usize>(this.buf), head);
    this.payload = 4 + fixed;
  }

  u32(v: u32): void {
    store<u32>(changetype<usize>(this.buf) + <usize>this.pos, v);
    this.pos += 4;
  }

  i32(v: i32): void {
    this.u32(<u32>v);
  }

  u64(v: u64): void {
    store<u64>(changetype<usize>(this.buf) + <usize>this.pos, v);
    this.pos += 8;
  }

  i64(v: i64): void {
    this.u64(<u64>v);
  }

  /** A bytes field: false if over `max`. */
  bytes(b: ArrayBuffer, max: i32): bool {
    const n = b.byteLength;
    if (n > max || this.payload + n > PROTO_MAX_MSG) return false;
    this.u32(<u32>n);
    memory.copy(changetype<usize>(this.buf) + <usize>this.payload, changetype<usize>(b), <usize>n);
    this.payload += n;
    return true;
  }

  /** A string field (UTF-8): false if over `max` bytes or holding a NUL. */
  string(s: string, max: i32): bool {
    const b = String.UTF8.encode(s);
    for (let i = 0; i < b.byteLength; i++) if (load<u8>(changetype<usize>(b) + <usize>i) == 0) return false;
    return this.bytes(b, max);
  }

  finish(): ArrayBuffer {
    return this.buf.slice(0, this.payload);
  }
}

/** Reads a message's fields in order; a read past its fixed part or its end makes it
 *  not ok (and reads nothing), so end() refuses it. */
export class Reader {
  ok: bool;
  pos: i32 = 4;
  payload: i32;

  constructor(public msg: ArrayBuffer, fixed: i32) {
    this.ok = msg.byteLength >= 4 + fixed;
    this.payload = 4 + fixed;
  }

  u32(): u32 {
    if (!this.ok) return 0;
    const v = load<u32>(changetype<usize>(this.msg) + <usize>this.pos);
    this.pos += 4;
    return v;
  }

  i32(): i32 {
    return <i32>this.u32();
  }

  u64(): u64 {
    if (!this.ok) return 0;
    const v = load<u64>(changetype<usize>(this.msg) + <usize>this.pos);
    this.pos += 8;
    return v;
  }

  i64(): i64 {
    return <i64>this.u64();
  }

  bytes(max: i32): ArrayBuffer {
    const n = this.u32();
    if (!this.ok || n > <u32>max || n > <u32>(this.msg.byteLength - this.payload)) {
      this.ok = false;
      return new ArrayBuffer(0);
    }
    const b = this.msg.slice(this.payload, this.payload + <i32>n);
    this.payload += <i32>n;
    return b;
  }

  string(max: i32): string {
    const b = this.bytes(max);
    for (let i = 0; i < b.byteLength; i++) if (load<u8>(changetype<usize>(b) + <usize>i) == 0) this.ok = false;
    return this.ok ? String.UTF8.decode(b) : "";
  }

  /** True if every field was well formed and they took the whole message. */
  end(): bool {
    return this.ok && this.payload == this.msg.byteLength;
  }
}

/** A reply's status: 0, the error of a 4-byte negative status without handles, or
 *  INVAL for anything else. */
export function replyStatus(m: Message): i32 {
  if (m.data.byteLength < 4) return ERR_INVAL;
  const st = load<i32>(changetype<usize>(m.data));
  if (st < 0 && (m.data.byteLength != 4 || m.handles.length != 0)) return ERR_INVAL;
  return st > 0 ? ERR_INVAL : st;
}

export function closeAll(hs: Handle[]): void {
  for (let i = 0; i < hs.length; i++) hs[i].close();
}
