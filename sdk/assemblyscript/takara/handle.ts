// Handles and the objects they name (docs/ipc.md). AssemblyScript has no destructors:
// close() a handle when done (a process's handles all close when it ends). Layouts of
// the structures the imports fill are those of include/takara/handle.h.
import {
  tk_handle_close, tk_handle_duplicate, tk_object_wait_one, tk_object_signal,
  tk_channel_create, tk_channel_write, tk_channel_read, tk_channel_call,
  tk_event_create, tk_timer_create, tk_timer_set, tk_timer_cancel,
  tk_port_create, tk_port_watch, tk_port_unwatch, tk_port_wait, tk_startup_handle_take,
  ERR_RANGE, RIGHTS_SAME, SIGNAL_SIGNALED,
} from "takara-abi";
import { Result, success, failure } from "./result";

// Out-parameters: handles (up to 64 at a time, TK_CHANNEL_MAX_HANDLES), a packet or
// the two sizes of a channel message, a word of signals.
const OUT_HANDLES: usize = memory.data(64 * 4, 4);
const OUT_HANDLES2: usize = memory.data(64 * 4, 4);
const OUT_WORDS: usize = memory.data(16, 8);
export const MAX_HANDLES: i32 = 64;

export class Handle {
  constructor(public raw: u32) {}

  get valid(): bool {
    return this.raw != 0;
  }

  /** Closes the handle (0 or an error); the object stays while others refer to it. */
  close(): i32 {
    const r = this.raw != 0 ? tk_handle_close(this.raw) : 0;
    this.raw = 0;
    return r;
  }

  /** Gives the raw value up (it is no longer this object's to close). */
  release(): u32 {
    const raw = this.raw;
    this.raw = 0;
    return raw;
  }

  /** Another handle to the object with `rights` within this one's (needs DUPLICATE). */
  duplicate(rights: u32 = RIGHTS_SAME): Result<Handle> {
    const r = tk_handle_duplicate(this.raw, rights, OUT_WORDS);
    return r < 0 ? failure<Handle>(r) : success(new Handle(load<u32>(OUT_WORDS)));
  }

  /** Waits until one of `signals` is asserted (timeout < 0: forever): the signals
   *  asserted, or a negative error (TIMEOUT). */
  wait(signals: u32, timeoutNs: i64 = -1): i64 {
    const r = tk_object_wait_one(this.raw, signals, timeoutNs, OUT_WORDS);
    return r < 0 ? <i64>r : <i64>load<u32>(OUT_WORDS);
  }
}

/** The startup handle `name` this process was given at spawn, taken once: NOENT if it
 *  was not given or is taken already. */
export function startupHandle(name: string): Result<Handle> {
  const bytes = String.UTF8.encode(name);
  const r = tk_startup_handle_take(changetype<usize>(bytes), <u32>bytes.byteLength, OUT_WORDS);
  return r < 0 ? failure<Handle>(r) : success(new Handle(load<u32>(OUT_WORDS)));
}

/** A whole message: bytes and the handles it carried (now this process's). */
export class Message {
  constructor(public data: ArrayBuffer, public handles: Handle[]) {}

  /** A reply that is only a status (a negative error code). */
  static status(code: i32): Message {
    const b = new ArrayBuffer(4);
    store<i32>(changetype<usize>(b), code);
    return new Message(b, []);
  }

  /** The bytes as UTF-8 text. */
  text(): string {
    return String.UTF8.decode(this.data);
  }
}

function collect(handles: Handle[], into: usize): i32 {
  if (handles.length > MAX_HANDLES) return ERR_RANGE;
  for (let i = 0; i < handles.length; i++) store<u32>(into + <usize>(i * 4), handles[i].release());
  return 0;
}

function received(data: ArrayBuffer, sizes: usize, from: usize): Message {
  const n = load<u32>(sizes + 4);
  const handles = new Array<Handle>();
  for (let i: u32 = 0; i < n; i++) handles.push(new Handle(load<u32>(from + <usize>(i * 4))));
  return new Message(data.slice(0, <i32>load<u32>(sizes)), handles);
}

export class Channel extends Handle {
  /** Two connected endpoints. */
  static create(): Result<Channel[]> {
    const r = tk_channel_create(OUT_WORDS, OUT_WORDS + 4);
    if (r < 0) return failure<Channel[]>(r);
    return success([new Channel(load<u32>(OUT_WORDS)), new Channel(load<u32>(OUT_WORDS + 4))]);
  }

  /** Sends bytes and moves `handles` into the message (gone even on failure):
   *  0, AGAIN (the peer's queue is full), PEER_CLOSED, INVAL (a handle that would
   *  make a cycle through the peer's queue), LIMIT (nested too deep to check). */
  write(data: ArrayBuffer, handles: Handle[] = []): i32 {
    const r = collect(handles, OUT_HANDLES);
    if (r < 0) return r;
    return tk_channel_write(this.raw, changetype<usize>(data), data.byteLength, OUT_HANDLES, handles.length);
  }

  writeText(text: string): i32 {
    return this.write(String.UTF8.encode(text));
  }

  /** The next message if it fits in `cap` bytes and `hcap` handles: AGAIN (none yet),
   *  PEER_CLOSED, BUFFER_TOO_SMALL. */
  read(cap: i32 = 1024, hcap: i32 = 4): Result<Message> {
    if (hcap > MAX_HANDLES) hcap = MAX_HANDLES;
    const buf = new ArrayBuffer(cap);
    const r = tk_channel_read(this.raw, changetype<usize>(buf), cap, OUT_HANDLES, hcap, OUT_WORDS);
    return r < 0 ? failure<Message>(r) : success(received(buf, OUT_WORDS, OUT_HANDLES));
  }

  /** Writes a request, then waits (timeout < 0: forever) for the next message and reads it;
   *  a full queue is waited out within the timeout (AGAIN only for a timeout of 0). */
  call(data: ArrayBuffer, handles: Handle[] = [], cap: i32 = 1024, hcap: i32 = 4,
       timeoutNs: i64 = -1): Result<Message> {
    if (hcap > MAX_HANDLES) hcap = MAX_HANDLES;
    const r0 = collect(handles, OUT_HANDLES);
    if (r0 < 0) return failure<Message>(r0);
    const buf = new ArrayBuffer(cap);
    const r = tk_channel_call(this.raw, changetype<usize>(data), data.byteLength, OUT_HANDLES,
                              handles.length, changetype<usize>(buf), cap, OUT_HANDLES2, hcap,
                              OUT_WORDS, timeoutNs);
    return r < 0 ? failure<Message>(r) : success(received(buf, OUT_WORDS, OUT_HANDLES2));
  }
}

/** An event: the user signal SIGNAL_SIGNALED. */
export class Event extends Handle {
  static create(): Result<Event> {
    const r = tk_event_create(OUT_WORDS);
    return r < 0 ? failure<Event>(r) : success(new Event(load<u32>(OUT_WORDS)));
  }

  signal(): i32 {
    return tk_object_signal(this.raw, 0, SIGNAL_SIGNALED);
  }

  clear(): i32 {
    return tk_object_signal(this.raw, SIGNAL_SIGNALED, 0);
  }
}

/** A timer asserting SIGNAL_TIMER_FIRED once the monotonic clock passes its deadline. */
export class Timer extends Handle {
  static create(): Result<Timer> {
    const r = tk_timer_create(OUT_WORDS);
    return r < 0 ? failure<Timer>(r) : success(new Timer(load<u32>(OUT_WORDS)));
  }

  set(deadlineNs: i64): i32 {
    return tk_timer_set(this.raw, deadlineNs);
  }

  cancel(): i32 {
    return tk_timer_cancel(this.raw);
  }
}

/** What a port delivers: the watch's key and the signals that fired. */
export class Packet {
  constructor(public key: u64, public signals: u32) {}
}

/** A port: packets from the objects it watches. */
export class Port extends Handle {
  static create(): Result<Port> {
    const r = tk_port_create(OUT_WORDS);
    return r < 0 ? failure<Port>(r) : success(new Port(load<u32>(OUT_WORDS)));
  }

  watch(h: Handle, key: u64, signals: u32): i32 {
    return tk_port_watch(this.raw, h.raw, key, signals);
  }

  unwatch(key: u64): i32 {
    return tk_port_unwatch(this.raw, key);
  }

  /** The next packet (timeout < 0: forever), or TIMEOUT. */
  waitPacket(timeoutNs: i64 = -1): Result<Packet> {
    const r = tk_port_wait(this.raw, OUT_WORDS, timeoutNs);
    if (r < 0) return failure<Packet>(r);
    return success(new Packet(load<u64>(OUT_WORDS), load<u32>(OUT_WORDS + 8)));
  }
}
