// Services: init's name-service protocol (docs/ipc.md). On the bootstrap channel a
// process sends "connect NAME" and gets back an int32 status and, on success, a channel
// to the service; a program run from the shell asks the shell, which asks init. A
// service answers each request with one message: the reply, or a 4-byte negative status.
import { tk_bootstrap_take, ERR_INVAL, ERR_RANGE } from "takara-abi";
import { Channel } from "./handle";
import { Result, success, failure } from "./result";

const OUT: usize = memory.data(4, 4);
let bootstrapRaw: u32 = 0; // taken once, kept for the process's life
export const SERVICE_MAX_MSG: i32 = 1024;

/** The bootstrap channel to the parent (init for a service, the shell for a program). */
export function bootstrap(): Result<Channel> {
  if (bootstrapRaw == 0) {
    const r = tk_bootstrap_take(OUT);
    if (r < 0) return failure<Channel>(r);
    bootstrapRaw = load<u32>(OUT);
  }
  return success(new Channel(bootstrapRaw));
}

/** A channel to service `name`: DENIED if this process may not use it (or there is no
 *  such service), NOENT if it is not running. */
export function connect(name: string): Result<Channel> {
  if (name.length == 0 || name.length >= 32) return failure<Channel>(ERR_RANGE);
  const boot = bootstrap();
  if (!boot.ok) return failure<Channel>(boot.error);
  const reply = boot.value.call(String.UTF8.encode("connect " + name), [], 4, 1);
  if (!reply.ok) return failure<Channel>(reply.error);
  const m = reply.value;
  if (m.data.byteLength != 4) return failure<Channel>(ERR_INVAL);
  const status = load<i32>(changetype<usize>(m.data));
  if (status < 0) return failure<Channel>(status);
  if (m.handles.length != 1) return failure<Channel>(ERR_INVAL);
  return success(new Channel(m.handles[0].release()));
}

/** One request and its reply as text, or the server's negative status. */
export function call(service: Channel, request: string): Result<string> {
  const reply = service.call(String.UTF8.encode(request), [], SERVICE_MAX_MSG, 0);
  if (!reply.ok) return failure<string>(reply.error);
  const data = reply.value.data;
  if (data.byteLength == 4) {
    const status = load<i32>(changetype<usize>(data));
    if (status < 0) return failure<string>(status);
  }
  return success(String.UTF8.decode(data));
}
