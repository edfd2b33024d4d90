// slowcallas: the AssemblyScript SDK's side of the slowed-server test (modules/slowcall,
// scenario slow of tests/modules/boot.sh). It fills its queue to the service `slow`,
// which sleeps before every read, with one-way notes until AGAIN, then calls it with
// the SDK's `call`: the call waits for room instead of failing, and the reply
// ("notes K") must count every note sent before it.
import { call, connect, exit, println, statusName, ERR_AGAIN } from "takara";

const slow = connect("slow");
if (!slow.ok) {
  println("slowcall-as: connect -> " + slow.errorName);
  exit(1);
}
const note = String.UTF8.encode("note");
let sent = 0;
let full = slow.value.write(note);
while (full == 0) {
  sent++;
  full = slow.value.write(note);
}
println("slowcall-as: filled: " + statusName(full) + " after " + sent.toString() + " notes");
if (full != ERR_AGAIN) exit(1);
const reply = call(slow.value, "count");
if (reply.ok) {
  println("slowcall-as: call -> OK, '" + reply.value + "' of " + sent.toString());
} else {
  println("slowcall-as: call -> " + reply.errorName);
  exit(1);
}
