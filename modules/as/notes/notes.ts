// notes: an AssemblyScript app that keeps short notes in the C `kv` service, reached over
// a channel through the shell's relay of init's name service. Note N is the kv key
// `note.N`; `notes.count` is the highest number used. Any other kv client sees the same
// notes (the test writes one from the C kvclient). kv's protocol is the client generated
// from include/takara/proto/kv.proto ("takara-proto").
//
//   notes add TEXT...   ->  notes: added #N
//   notes list          ->  notes: #N TEXT ... then notes: K note(s)
//   notes del N         ->  notes: deleted #N
import { Channel, args, connect, exit, println, ERR_NOENT } from "takara";
import { kv } from "takara-proto";

const TEXT_MAX = 47; // kv keeps values of up to 47 bytes

function fail(what: string, error: string): void {
  println("notes: " + what + ": " + error);
  exit(1);
}

/** kv's value under `key`: "" with ERR_NOENT if it has none. */
function get(ch: Channel, key: string): kv.GetReply | null {
  const rq = new kv.GetRequest();
  rq.key = key;
  const r = kv.callGet(ch, rq);
  if (r.error == ERR_NOENT) return null;
  if (!r.ok) fail("get " + key, r.errorName);
  return r.value;
}

/** kv's `notes.count`, 0 before the first note. */
function count(ch: Channel): i32 {
  const r = get(ch, "notes.count");
  return r == null ? 0 : I32.parseInt(r.value);
}

function set(ch: Channel, key: string, value: string): void {
  const rq = new kv.SetRequest();
  rq.key = key;
  rq.value = value;
  const r = kv.callSet(ch, rq);
  if (!r.ok) fail("set " + key, r.errorName);
}

const argv = args();
const command = argv.length > 1 ? argv[1] : "";
if (command != "add" && command != "list" && command != "del") {
  println("usage: notes add TEXT... | notes list | notes del N");
  exit(2);
}
const conn = connect("kv");
if (!conn.ok) fail("connect kv", conn.errorName);
const store = conn.value;

if (command == "add") {
  const text = argv.slice(2).join(" ");
  if (text.length == 0 || String.UTF8.byteLength(text) > TEXT_MAX) fail("add", "1 to " + TEXT_MAX.toString() + " bytes of text");
  const n = count(store) + 1;
  set(store, "note." + n.toString(), text);
  set(store, "notes.count", n.toString());
  println("notes: added #" + n.toString());
} else if (command == "list") {
  const last = count(store);
  let shown = 0;
  for (let i = 1; i <= last; i++) {
    const r = get(store, "note." + i.toString());
    if (r == null) continue; // deleted
    println("notes: #" + i.toString() + " " + r.value);
    shown++;
  }
  println("notes: " + shown.toString() + " note(s)");
} else {
  const key = "note." + (argv.length > 2 ? argv[2] : "");
  const rq = new kv.DelRequest();
  rq.key = key;
  const r = kv.callDel(store, rq);
  if (!r.ok) fail("del " + key, r.errorName);
  println("notes: deleted #" + (argv.length > 2 ? argv[2] : ""));
}
store.close();
