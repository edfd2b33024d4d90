// Services: init's name service (docs/ipc.md, include/takara/proto/name.proto). On the
// bootstrap channel a process asks `connect` and gets back a channel to the service; a
// program run from the shell asks the shell, which asks init. A service answers each
// request with one message: the reply, or a 4-byte negative status. Protocols of
// include/takara/proto/ come generated in "takara-proto" (docs/protocols.md).
import { tk_bootstrap_take } from "takara-abi";
import { name } from "takara-proto";
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
 *  such service), NOENT if it is not running. The name protocol's client is the code
 *  generated from include/takara/proto/name.proto ("takara-proto"). */
export function connect(service: string): Result<Channel> {
  const boot = bootstrap();
  if (!boot.ok) return failure<Channel>(boot.error);
  const rq = new name.ConnectRequest();
  rq.service = service;
  const got = name.callConnect(boot.value, rq);
  if (!got.ok) return failure<Channel>(got.error);
  return success(new Channel(got.value.channel.release()));
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
