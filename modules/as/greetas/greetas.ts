// greetas: the first module of docs/guide-assemblyscript.md. Top-level code is the
// program (it runs as _start); the "takara" package gives arguments, console and pid.
import { args, pid, println } from "takara";

const argv = args();
println("hello, " + (argv.length > 1 ? argv[1] : "world") + " (AssemblyScript, pid " + pid().toString() + ")");
