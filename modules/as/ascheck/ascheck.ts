// ascheck: exercises the AssemblyScript SDK's objects through the kernel and prints one
// `ascheck: STEP -> RESULT` line each for tests/modules/boot.sh: channels carrying bytes
// and a handle, errors by name, an event passed and signalled, a port, a forged handle,
// the name service refusing a service, the shell's relay answering a malformed request
// with an error (the generated name-protocol code) and hanging up on an oversized one,
// the generated kv protocol's AssemblyScript server code on its own (a round trip
// through kv.dispatch; malformed requests answered with their error, their handles
// closed), and `abort` (an assertion) ending the process with its message and code 134
// when run as `ascheck abort`.
import {
  Channel, Event, Handle, Message, Port, Result, args, bootstrap, connect, println, statusName,
  success,
  SIGNAL_READABLE, SIGNAL_SIGNALED,
} from "takara";
import { replyStatus } from "takara/proto";
import { kv } from "takara-proto";

/** A kv server of one rule, for the dispatch checks: get K -> "v:K". */
class EchoKv extends kv.Server {
  onGet(rq: kv.GetRequest): Result<kv.GetReply> {
    const rp = new kv.GetReply();
    rp.value = "v:" + rq.key;
    return success(rp);
  }
}

function step(what: string, code: i64): void {
  println("ascheck: " + what + " -> " + statusName(<i32>(code < 0 ? code : 0)));
}

const argv = args();
if (argv.length > 1 && argv[1] == "abort") {
  assert(argv.length > 5, "not enough words");
}

const pair = Channel.create();
step("channel_create", pair.error);
const a = pair.value[0], b = pair.value[1];
const ev = Event.create();
step("event_create", ev.error);
step("write", a.write(String.UTF8.encode("ping"), [ev.value]));
println("ascheck: event handle after write " + ev.value.raw.toString()); // moved: 0
const small = b.read(2, 1);
println("ascheck: read-small -> " + small.errorName);
const m = b.read();
step("read", m.error);
println("ascheck: got '" + m.value.text() + "' with " + m.value.handles.length.toString() + " handle(s)");
const got = new Event(m.value.handles[0].release());
step("signal-received", got.signal());
step("wait-signaled", got.wait(SIGNAL_SIGNALED, 0));
step("read-empty", b.read().error);
const port = Port.create();
step("port_create", port.error);
step("watch", port.value.watch(b, 7, SIGNAL_READABLE));
step("write-2", a.writeText("again"));
const pk = port.value.waitPacket(0);
println("ascheck: packet key " + pk.value.key.toString() + " signals " + pk.value.signals.toString());
step("forged", new Handle(0x12345).close());
step("connect-not-granted", connect("shell").error);
println("ascheck: read-2 '" + b.read().value.text() + "'");
step("close", a.close());
println("ascheck: read-closed -> " + b.read().errorName);
// the shell's relay refuses a malformed request (ordinal 0) with an error and goes on
const bad = bootstrap().value.call(new ArrayBuffer(100));
step("relay-malformed", bad.ok ? replyStatus(bad.value) : bad.error);
const kvch = connect("kv");
step("connect-after-malformed", kvch.error);
if (kvch.ok) kvch.value.close();
// it takes no request over 1 KiB: an oversized one makes it hang up
step("relay-oversized", bootstrap().value.write(new ArrayBuffer(2000)));
step("connect-after-oversized", connect("kv").error);

// the generated server code: a request decoded, handled, its reply decoded back
const srv = new EchoKv();
const grq = new kv.GetRequest();
grq.key = "colour";
const genc = grq.encode(kv.GET, []).value;
const grep = kv.dispatch(srv, new Message(genc, []))!;
const gdec = kv.GetReply.decode(grep.data, grep.handles);
println("ascheck: proto-round-trip " + statusName(replyStatus(grep)) + " '" +
        (gdec.ok ? gdec.value.value : gdec.errorName) + "'");
// malformed: each answered with its error, a handle it carried closed
const extra = Event.create().value;
const extraRaw = extra.raw;
step("proto-extra-handle", replyStatus(kv.dispatch(srv, new Message(genc, [extra]))!));
step("proto-extra-handle-closed", new Handle(extraRaw).close());
step("proto-short", replyStatus(kv.dispatch(srv, new Message(genc.slice(0, 3), []))!));
step("proto-cut", replyStatus(kv.dispatch(srv, new Message(genc.slice(0, genc.byteLength - 1), []))!));
const past = genc.slice(0);
store<u32>(changetype<usize>(past) + 4, 200); // the key's length, past the end
step("proto-past-end", replyStatus(kv.dispatch(srv, new Message(past, []))!));
const unknown = new ArrayBuffer(4);
store<u32>(changetype<usize>(unknown), 99);
step("proto-unknown", replyStatus(kv.dispatch(srv, new Message(unknown, []))!));
const drq = new kv.DelRequest(); // a message EchoKv does not serve
drq.key = "colour";
step("proto-no-handler", replyStatus(kv.dispatch(srv, new Message(drq.encode(kv.DEL, []).value, []))!));
println("ascheck: done");
