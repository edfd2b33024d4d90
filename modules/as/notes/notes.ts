// notes: an AssemblyScript app that keeps short notes in the C `kv` service, reached over
// a channel through the shell's relay of init's name service. Note N is the kv key
// `note.N`; `notes.count` is the highest number used. Any other kv client sees the same
// notes (the test writes one from the C kvclient).
//
//   notes add TEXT...   ->  notes: added #N
//   notes list          ->  notes: #N TEXT ... then notes: K note(s)
//   notes del N         ->  notes: deleted #N
import { Channel, args, call, connect, exit, println, ERR_NOENT } from "takara";

const TEXT_MAX = 47; // kv keeps values of up to 47 bytes

function fail(what: string, error: string): void {
  println("notes: " + what + ": " + error);
  exit(1);
}

/** kv's `notes.count`, 0 before the first note. */
function count(kv: Channel): i32 {
  const r = call(kv, "get notes.count");
  if (r.error == ERR_NOENT) return 0;
  if (!r.ok) fail("get notes.count", r.errorName);
  return I32.parseInt(r.value);
}

function set(kv: Channel, key: string, value: string): void {
  const r = call(kv, "set " + key + " " + value);
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
const kv = conn.value;

if (command == "add") {
  const text = argv.slice(2).join(" ");
  if (text.length == 0 || String.UTF8.byteLength(text) > TEXT_MAX) fail("add", "1 to " + TEXT_MAX.toString() + " bytes of text");
  const n = count(kv) + 1;
  set(kv, "note." + n.toString(), text);
  set(kv, "notes.count", n.toString());
  println("notes: added #" + n.toString());
} else if (command == "list") {
  const last = count(kv);
  let shown = 0;
  for (let i = 1; i <= last; i++) {
    const r = call(kv, "get note." + i.toString());
    if (r.error == ERR_NOENT) continue; // deleted
    if (!r.ok) fail("get note." + i.toString(), r.errorName);
    println("notes: #" + i.toString() + " " + r.value);
    shown++;
  }
  println("notes: " + shown.toString() + " note(s)");
} else {
  const key = "note." + (argv.length > 2 ? argv[2] : "");
  const r = call(kv, "del " + key);
  if (!r.ok) fail("del " + key, r.errorName);
  println("notes: deleted #" + (argv.length > 2 ? argv[2] : ""));
}
kv.close();
