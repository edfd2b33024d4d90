#!/usr/bin/env bash
# Boots the kernel with the modules (test layer `modules-boot`) and checks what they print:
# the shell driven through the serial port, init supervising services that trap, exit
# and give up, every trap kind and ABI abuse of the assistant, and a bad manifest.
#
#   tests/modules/boot.sh OUTDIR KERNEL32 MKIMAGE MODULE.wasm...
set -uo pipefail

out=$1 kernel=$2 mkimage=$3
shift 3
mkdir -p "$out"
fail=0
icount= # -i for one boot: instructions, not host time, drive the clock
. tests/qemu/lib.sh
layer=modules-boot
nabi=$(grep -cE '^TK_(ABI|CALL)\(' include/takara/abi.def) # abicheck imports every row

# --- the system image: the shell, typed at -------------------------------------------
"$mkimage" -o "$out/system.tar" -m modules/manifest "$@" || exit 1
script=$'echo one\r'
script+=$'run hello a "b c" exit=3\r'
script+=$'run assistant div0\r'
script+=$'run -m 256K assistant grow\r'
script+=$'run -m 256K assistant hoard\r'    # memory objects: the same 256 KiB quota
script+=$'run abicheck\r'
script+=$'run ipccheck\r'
script+=$'run ipccheck steal\r'
script+=$'run assistant exit 5 &\r'
script+=$'run spin s 2\r'
script+=$'ps\r'
script+=$'mem\r'
script+=$'uptime\r'
script+=$'run nope\r'
script+=$'bogus\r'
script+=$'kill 99\r'
script+=$'echp\x7fo edited\r'            # backspace
script+=$'cho moved\x01e\r'               # Ctrl-A, insert at the start
script+=$'echo ab\x1b[DX\x05Y\r'           # left arrow, insert, Ctrl-E
script+=$'garbage\x15echo killed\r'       # Ctrl-U
script+=$'\x1b[A\x1b[A\r'                 # history: two back is "echo aXbY"
script+=$'set GREETING="hi there" LANG=C\r' # shell variables, passed to children
script+=$'unset LANG\r'
script+=$'set 9X=1\r'
script+=$'env\r'
script+=$'run X=1 ipccheck env-child\r'
script+=$'run HOME=/boot wasitest one "two words"\r'  # an unmodified wasi-libc program
script+=$'run HOME=/boot wasisuite one "two words"\r' # WASI conformance in Rust with std
script+=$'run rust-hello a "b c"\r'        # the Rust SDK's example (sdk/rust)
script+=$'run rust-hello panic\r'
script+=$'log\r'                            # the system log (modules/logd, in Rust)
script+=$'log stat\r'
# C++ (libc++, WASI, the takara wrapper) and the C kvclient share the C kv service through
# the shell's relay of init's name service: each reads what the other wrote
script+=$'run greet you\r'                 # the guides' first modules, one per language
script+=$'run greetwasi you\r'
script+=$'run greetcpp you\r'
script+=$'run greetas you\r'
script+=$'run ascheck\r'                   # the AssemblyScript SDK's objects
script+=$'run ascheck abort\r'             # a failed assertion: message, exit code 134
script+=$'run tally red green red\r'
script+=$'run tally red blue\r'
script+=$'run kvclient get tally.red\r'
script+=$'run kvclient set tally.blue 41\r'
# AssemblyScript notes and the C kvclient: notes written by one are read by the other
script+=$'run notes add buy milk\r'
script+=$'run notes add call the plumber\r'
script+=$'run kvclient get note.1\r'
script+=$'run kvclient set note.3 "written in C"\r'
script+=$'run kvclient set notes.count 3\r'
script+=$'run notes del 2\r'
script+=$'run notes list\r'
script+=$'run kvclient get x &\r'          # background: no relay, its channel is closed
script+=$'run tally blue\r'
script+=$'poweroff 7\r'
boot shell 60 15 "$out/system.tar" "" "$script"
# logd is started first (pid 2), then kv (pid 3), then the shell (pid 4)
expect shell '^init: started logd \(pid 2\)$' '^init: started kv \(pid 3\)$' '^init: started shell \(pid 4\)$' '^takara> echo one$' '^one$' \
  '^hello from Takara$' "^hello: argv\[2\] = 'b c'$" '^\[pid [0-9]+\] exited with code 3$' \
  '^\[pid [0-9]+\] trapped: integer divide by zero in main at offset 0x[0-9a-f]+$' \
  '^assistant: grow stopped at 4 pages$' "^abicheck: $nabi imports, ABI v0\$" \
  '^assistant: hoard stopped at 256 KiB: LIMIT$' \
  '^\[pid [0-9]+\]$' '^\[pid [0-9]+\] exited with code 5$' '^spin s: 2$' \
  '^ +PID +PPID +STATE +MEM +KMEM +LIMIT +CPU\(ms\) +NAME$' '^ +4 +1 +running +[0-9]+K +[0-9]+K +2M +[0-9]+ shell$' \
  '^ +1 +0 +blocked .* init$' '^memory: total [0-9]+ KiB, free [0-9]+ KiB' \
  '^charged: [0-9]+ KiB of kernel memory to processes; reserve [0-9]+ KiB$' \
  '^ +4 shell +linear +[0-9]+ KiB, kernel +[0-9]+ KiB$' \
  '^kernel: heap [0-9]+ KiB in [0-9]+ blocks, [0-9]+ objects, [0-9]+ threads$' '^up [0-9]+\.[0-9]{3} s$' \
  "^shell: run: nope.wasm: NOENT \(no such object\)$" "^shell: unknown command 'bogus' \(try help\)$" \
  '^shell: kill: NOENT' '^edited$' '^moved$' '^aXbY$' '^killed$' \
  "poweroff requested by process 4 'shell' \(code 7\)" \
  '^ipccheck: channel_create -> OK$' '^ipccheck: read-small -> BUFFER_TOO_SMALL$' \
  '^ipccheck: needs 4 bytes 0 handles$' "^ipccheck: got 'ping'$" '^ipccheck: read-empty -> AGAIN$' \
  '^ipccheck: sent-is-gone -> BAD_HANDLE$' '^ipccheck: recv-handle -> OK$' \
  '^ipccheck: type 1 rights 0x14$' '^ipccheck: signal-without-right -> DENIED$' \
  '^ipccheck: wait-signaled -> OK$' '^ipccheck: forged -> BAD_HANDLE$' \
  '^ipccheck: stale -> BAD_HANDLE$' '^ipccheck: wrong-type -> WRONG_TYPE$' \
  '^ipccheck: send-itself -> INVAL$' '^ipccheck: bad-pointer -> FAULT$' \
  '^ipccheck: peer-closed -> OK$' '^ipccheck: read-closed -> PEER_CLOSED$' '^ipccheck: done$' \
  '^ipccheck: report -> OK$' '^ipccheck: steal tried 24579 values, reached 0 of the child.s objects$' \
  '^ipccheck: kill-init -> DENIED$' '^ipccheck: report-exit -> OK$' \
  '^ipccheck: port-empty -> TIMEOUT$' '^ipccheck: packet key 7 signals 0x10$' \
  '^ipccheck: packet key 8 signals 0x1$' '^ipccheck: watch-itself -> INVAL$' \
  '^ipccheck: own-bootstrap -> OK$' '^ipccheck: own-bootstrap-again -> NOENT$' '^ipccheck: spawn_connected -> OK$' \
  '^ipccheck: call-child -> OK$' '^ipccheck: child-signaled -> OK$' \
  "^ipccheck: child said 'pong'$" \
  '^ipccheck: child-second-take -> NOENT$' '^ipccheck: child-exit -> OK$' \
  '^ipccheck: memory_map -> OK$' '^ipccheck: map-overlap -> RANGE$' '^ipccheck: map-unaligned -> RANGE$' \
  '^ipccheck: share -> OK$' '^ipccheck: child checksum matches$' '^ipccheck: memory-child-exit -> OK$' \
  '^ipccheck: writer ended with reason 1 kind 5$' '^ipccheck: memory_unmap -> OK$' \
  '^ipccheck: after unmap zeros$' '^ipccheck: unmap-again -> NOENT$' \
  '^ipccheck: process_spawn -> OK$' '^ipccheck: packet key 5 signals 0x20$' \
  '^ipccheck: child state 4 reason 0 code 6 pid same$' '^ipccheck: wait-autoreaped -> NOENT$' \
  '^ipccheck: thread alive$' '^ipccheck: kill-without-manage -> DENIED$' \
  '^ipccheck: kill-wrong-type -> WRONG_TYPE$' '^ipccheck: status-wrong-type -> WRONG_TYPE$' \
  '^ipccheck: process_kill -> OK$' '^ipccheck: wait-exited -> OK$' '^ipccheck: thread-exited -> OK$' \
  '^ipccheck: killed child state 4 reason 2 thread 2$' '^ipccheck: wait-killed -> OK$' \
  '^ipccheck: stale-process -> BAD_HANDLE$' '^ipccheck: still-weak -> OK$' \
  '^ipccheck: self pid same state 1$' '^ipccheck: self-kill -> DENIED$' \
  '^ipccheck: spawn-bad-pointer -> FAULT$' '^ipccheck: spawn-bad-out -> FAULT$' \
  '^ipccheck: spawn-bad-flags -> INVAL$' '^ipccheck: spawn-bad-env -> INVAL$' \
  '^ipccheck: spawn-env-past-memory -> FAULT$' '^ipccheck: spawn-stdout-not-channel -> WRONG_TYPE$' \
  '^ipccheck: port-was-moved -> BAD_HANDLE$' '^ipccheck: status-bad-out -> FAULT$' \
  "^ipccheck: env-child has 16 bytes: 'A=1' 'B=two words'$" '^ipccheck: wait-env-child -> OK$' \
  '^ipccheck: startup-spawn -> OK$' '^ipccheck: startup-moved -> BAD_HANDLE$' \
  '^ipccheck: child-take-ev -> OK$' '^ipccheck: child ev type 1 rights 0x34$' \
  '^ipccheck: child-take-ev-again -> NOENT$' '^ipccheck: child-take-unknown -> NOENT$' \
  '^ipccheck: child-take-long -> NOENT$' '^ipccheck: child-take-bad-pointer -> FAULT$' \
  '^ipccheck: child-take-bad-out -> FAULT$' '^ipccheck: startup-signaled -> OK$' \
  "^ipccheck: startup child said 'hi'$" '^ipccheck: startup-status -> OK$' \
  '^ipccheck: startup-forged -> BAD_HANDLE$' '^ipccheck: startup-forged left 0 of 1 handles$' \
  '^ipccheck: startup-no-transfer -> DENIED$' '^ipccheck: startup-no-transfer left 0 of 2 handles$' \
  '^ipccheck: startup-same-name -> INVAL$' '^ipccheck: startup-same-name left 0 of 2 handles$' \
  '^ipccheck: startup-empty-name -> INVAL$' '^ipccheck: startup-empty-name left 0 of 1 handles$' \
  '^ipccheck: startup-too-many -> RANGE$' '^ipccheck: startup-table-past-memory -> FAULT$' \
  "^shell: set: '9X=1' is not NAME=value, or no room$" '^GREETING=hi there$' \
  "^ipccheck: env-child has 22 bytes: 'GREETING=hi there' 'X=1'$" \
  "^ipccheck: wasipipe said 'got: one\|got: two\|got: three\|wasipipe: 3 lines\|'$" \
  '^ipccheck: wasipipe exited with 3$' '^ipccheck: flood writer waits$' \
  '^ipccheck: flood 200 lines in order$' '^ipccheck: epipe child exited with 32$' \
  '^ipccheck: stdout-without-write -> DENIED$' \
  "^ipccheck: closed stdout ended after 'before close\|' with the writer running$" \
  "^ipccheck: after close 'write: EBADF, close: EBADF\|', exit 0$" \
  "^ipccheck: wasipipe poll said 'poll: clock first\|poll: stdin readable error 0 nbytes 6\|poll: read 'hello'\|poll: stdin readable hang-up 1 read 0\|poll: stdout writable\|poll: fd 2 error 8\|'$"
# the WASI program says the same on Takara as under node's WASI (its own cross-check)
wasitest=$(printf '%s\n' "$@" | grep '/wasitest.wasm$')
# node's /boot: a folder holding the boot image's files (the manifest and every module)
rm -rf "$out/wasiboot" && mkdir -p "$out/wasiboot" && cp modules/manifest "$@" "$out/wasiboot/"
node -e "
  const { WASI } = require('node:wasi'), fs = require('fs');
  const wasi = new WASI({ version: 'preview1', args: ['wasitest', 'one', 'two words'],
                          env: { GREETING: 'hi there', HOME: '/boot' },
                          preopens: { '/boot': '$out/wasiboot' }, returnOnExit: true });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync('$wasitest')),
                                        wasi.getImportObject());
  process.exitCode = wasi.start(inst);" > "$out/wasitest.node" 2>/dev/null
node_status=$?
# Lines that differ, checked on Takara's side below: node's /boot is a writable host
# folder (Takara's is read-only); node refuses to poll a file (EPERM) and reports no error
# for a bad descriptor in poll_oneoff.
differ='for writing\|poll stdout+file+clock\|poll fd 99'
grep '^wasitest: ' "$out/wasitest.node" | grep -v "$differ" > "$out/wasitest.node.lines"
grep '^wasitest: ' "$out/shell.log" | grep -v "to stderr\|$differ" > "$out/wasitest.takara.lines"
if [ "$node_status" -eq 7 ] && [ -s "$out/wasitest.node.lines" ] &&
  cmp -s "$out/wasitest.node.lines" "$out/wasitest.takara.lines" &&
  grep -q '^\[pid [0-9]*\] exited with code 7$' "$out/shell.log"; then
  echo "PASS modules-boot/wasi-program-same-as-node"
else
  echo "FAIL modules-boot/wasi-program-same-as-node: see $out/wasitest.*.lines (node status $node_status)"
  fail=1
fi
expect shell "^wasitest: argc 3 argv\[1\] one argv\[2\] 'two words'$" \
  "^wasitest: HOME '/boot' GREETING 'hi there' PATH unset, 2 variables$" '^wasitest: to stderr$' \
  '^wasitest: fd_write bad buffer fails: yes$' '^wasitest: fd_write fd 9 -> 8$' \
  '^wasitest: monotonic advanced by >= 18 ms across a 20 ms sleep: yes$' '^wasitest: random differs: yes$' \
  "^wasitest: /boot/manifest: '# Takara OS boot manifest.*', [0-9]+ bytes$" \
  '^wasitest: fopen /boot/nosuch: refused$' '^wasitest: fopen /boot/manifest for writing: refused$' \
  "^wasitest: /boot lists $(($# + 1)) files, manifest regular, wasitest.wasm listed$" \
  '^wasitest: fd_readdir into 30 bytes -> 0, used 30$' \
  '^wasitest: fd_readdir on a file -> 76, on fd 99 -> 8$' '^wasitest: fd_readdir bad buffer fails: yes$' \
  '^wasitest: poll stdout\+file\+clock -> 0, 2 events: 10/0/2/0 11/0/1/[1-9][0-9]*$' \
  '^wasitest: poll fd 99 -> 0, 1 event error 8$' '^wasitest: poll bad tag -> 28$' \
  '^wasitest: poll bad pointers fail: yes yes$' '^wasitest: environ_get bad pointers fail: yes$'
# the same for the Rust std program (modules/wasi-rust/wasisuite), in its own folder: it
# appends to its /boot/manifest where the host allows it
wasisuite=$(printf '%s\n' "$@" | grep '/wasisuite.wasm$')
mkdir -p "$out/wasisuiteboot" && cp modules/manifest "$out/wasisuiteboot/manifest"
rm -f "$out/wasisuiteboot/new-file"
node -e "
  const { WASI } = require('node:wasi'), fs = require('fs');
  const wasi = new WASI({ version: 'preview1', args: ['wasisuite', 'one', 'two words'],
                          env: { GREETING: 'hi there', HOME: '/boot' },
                          preopens: { '/boot': '$out/wasisuiteboot' }, returnOnExit: true });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync('$wasisuite')),
                                        wasi.getImportObject());
  process.exitCode = wasi.start(inst);" > "$out/wasisuite.node" 2>/dev/null
node_status=$?
# Lines not compared, and why:
#  - to stderr: node's stderr is not in its transcript (Takara's console has both streams);
#  - for writing: node's /boot is a writable host folder, Takara's is read-only (checked
#    below on Takara alone).
skip='to stderr\|for writing'
grep '^wasisuite: ' "$out/wasisuite.node" | grep -v "$skip" > "$out/wasisuite.node.lines"
grep '^wasisuite: ' "$out/shell.log" | grep -v "$skip" > "$out/wasisuite.takara.lines"
# the first job report after the command is wasisuite's exit
code=$(awk '/^takara> run .*wasisuite/ { on = 1 } on && /^\[pid [0-9]+\] exited with code/ { print $NF; exit }' \
  "$out/shell.log")
if [ "$node_status" -eq 7 ] && [ "$(wc -l < "$out/wasisuite.node.lines")" -ge 18 ] &&
  cmp -s "$out/wasisuite.node.lines" "$out/wasisuite.takara.lines" && [ "$code" = 7 ]; then
  echo "PASS modules-boot/wasi-rust-same-as-node"
else
  echo "FAIL modules-boot/wasi-rust-same-as-node: see $out/wasisuite.*.lines (node status $node_status, Takara exit code ${code:-none})"
  diff "$out/wasisuite.node.lines" "$out/wasisuite.takara.lines" | head -10 | sed 's/^/    /'
  fail=1
fi
expect shell "^wasisuite: args: argc 3 argv\[1\] one argv\[2\] 'two words'$" '^wasisuite: to stderr$' \
  "^wasisuite: environ: 2 variables: GREETING='hi there' HOME='/boot'$" \
  '^wasisuite: fd_write fd 9 -> 8$' '^wasisuite: write to fd 9: errno 8$' \
  '^wasisuite: monotonic advanced by >= 18 ms across a 20 ms sleep: yes$' '^wasisuite: random differs: yes$' \
  "^wasisuite: /boot/manifest: '# Takara OS boot manifest.*', [0-9]+ bytes$" \
  '^wasisuite: seek 10 \+ read 5: yes$' '^wasisuite: open /boot/nosuch: errno 44$' \
  '^wasisuite: create /boot/new-file for writing: errno 69$' '^wasisuite: readdir /boot: lists manifest yes$' \
  '^wasisuite: stat /boot: directory yes$' '^wasisuite: stat /boot/manifest: file yes, [0-9]+ bytes$' \
  '^wasisuite: stat /boot/nosuch: errno 44$' \
  '^wasisuite: open /boot/manifest for writing: errno 69$'
# the Rust SDK: handles, rights, channels, ports, timers and errors through its bindings;
# a panic prints its message and exits with 101
expect shell '^rust-hello: hello from Rust \(pid [0-9]+, ABI v0\)$' "^rust-hello: argv\[2\] = 'b c'$" \
  "^rust-hello: got 'ping' with 1 handle, rights 0x14$" '^rust-hello: signal without the right -> DENIED$' \
  '^rust-hello: replaced, rights 0x10, wait -> 0x8$' \
  '^rust-hello: packet key 7 signals 0x10 after >= 20 ms: true$' \
  '^rust-hello: packet key 8 signals 0x4, read -> PEER_CLOSED$' \
  '^rust-hello: shared memory: wrote 42, the other mapping reads 42, after unmap 0$' \
  "^rust-hello: panicked at 'index out of bounds: the len is 0 but the index is 16', sdk/rust/examples/rust-hello/main.rs:[0-9]+:[0-9]+$" \
  '^\[pid [0-9]+\] exited with code 101$'
# logd: init's and the shell's events, with sender name, pid and a sequence number
l='^[0-9]+ [0-9]+\.[0-9]{3} '
expect shell "$l"'logd\[2\]: started: a ring of 256 lines$' "$l"'init\[1\]: started logd \(pid 2\)$' \
  "$l"'init\[1\]: started kv \(pid 3\)$' "$l"'init\[1\]: started shell \(pid 4\)$' "$l"'shell\[4\]: run hello.wasm: pid [0-9]+$' \
  "$l"'shell\[4\]: \[pid [0-9]+\] exited with code 3$' \
  "$l"'shell\[4\]: \[pid [0-9]+\] trapped: integer divide by zero in main at offset 0x[0-9a-f]+$' \
  "$l"'shell\[4\]: run rust-hello.wasm: pid [0-9]+$' "$l"'shell\[4\]: \[pid [0-9]+\] exited with code 101$' \
  '^lines [0-9]+ dropped 0 refused 0 next [0-9]+ clients 2$'
expect shell '^hello, you \(C, pid [0-9]+\)$' '^hello, you \(C, WASI\)$' \
  '^hello, you \(C\+\+, pid [0-9]+\)$' '^hello, you \(AssemblyScript, pid [0-9]+\)$'
expect shell '^ascheck: channel_create -> OK$' '^ascheck: event handle after write 0$' \
  '^ascheck: read-small -> BUFFER_TOO_SMALL$' "^ascheck: got 'ping' with 1 handle\(s\)$" \
  '^ascheck: signal-received -> OK$' '^ascheck: wait-signaled -> OK$' \
  '^ascheck: read-empty -> AGAIN$' '^ascheck: packet key 7 signals 1$' \
  '^ascheck: forged -> BAD_HANDLE$' '^ascheck: connect-not-granted -> DENIED$' \
  "^ascheck: read-2 'again'$" '^ascheck: read-closed -> PEER_CLOSED$' \
  '^ascheck: relay-malformed -> UNSUPPORTED$' '^ascheck: connect-after-malformed -> OK$' \
  "^ascheck: proto-round-trip OK 'v:colour'$" '^ascheck: proto-extra-handle -> INVAL$' \
  '^ascheck: proto-extra-handle-closed -> BAD_HANDLE$' '^ascheck: proto-short -> INVAL$' \
  '^ascheck: proto-cut -> INVAL$' '^ascheck: proto-past-end -> INVAL$' \
  '^ascheck: proto-unknown -> UNSUPPORTED$' '^ascheck: proto-no-handler -> UNSUPPORTED$' \
  '^ascheck: relay-oversized -> OK$' '^ascheck: connect-after-oversized -> PEER_CLOSED$' \
  '^ascheck: done$' \
  '^abort: not enough words at modules/as/ascheck/ascheck.ts:[0-9]+:[0-9]+$' \
  '^\[pid [0-9]+\] exited with code 134$'
expect shell '^notes: added #1$' '^notes: added #2$' '^kvclient: note.1 = buy milk$' \
  '^kvclient: set note.3 -> OK$' '^notes: deleted #2$' '^notes: #1 buy milk$' \
  '^notes: #3 written in C$' '^notes: 2 note\(s\)$'
! grep -q '^notes: #2 ' "$out/shell.log" && echo "PASS modules-boot/notes-deleted" ||
  { echo "FAIL modules-boot/notes-deleted: note 2 still listed"; fail=1; }
expect shell '^tally: red 2$' '^tally: green 1$' '^tally: red 3$' '^tally: blue 1$' \
  '^kvclient: tally.red = 3$' '^kvclient: set tally.blue -> OK$' '^tally: blue 42$' \
  'kvclient: get x -> PEER_CLOSED$'
[ "$(grep -c '^aXbY$' "$out/shell.log")" -eq 2 ] && echo "PASS modules-boot/shell-history" ||
  { echo "FAIL modules-boot/shell-history: 'echo aXbY' did not run twice"; fail=1; }

# --- Ctrl-C ends a foreground WASI program, spinning or blocked reading the console ----
# (typed ahead: the shell finds each Ctrl-C in what it has already read)
boot ctrlc 60 15 "$out/system.tar" "" $'run wasipipe spin\r\x03run wasipipe\r\x03echo after\rpoweroff 7\r'
expect ctrlc '^takara> run wasipipe spin$' '^takara> run wasipipe$' '^after$'
[ "$(grep -c '^\[pid [0-9]*\] killed$' "$out/ctrlc.log")" -eq 2 ] && [ "$(grep -c '^\^C$' "$out/ctrlc.log")" -eq 2 ] &&
  echo "PASS modules-boot/ctrlc-kills-wasi-programs" ||
  { echo "FAIL modules-boot/ctrlc-kills-wasi-programs: want two '^C' and two killed jobs"; fail=1; }

# --- init supervising services ------------------------------------------------------
modes="unreachable overflow convert oob table null-call sig recurse"
{
  for m in $modes; do printf '[service %s]\nmodule = assistant.wasm\nargs = %s\ncaps = console\nrestart = never\n' "$m" "$m"; done
  cat <<'MANIFEST'
[service crasher]
module = assistant.wasm
args = div0
memory = 128K
caps = console
restarts = 2
[service quitter]
module = assistant.wasm
args = exit 4
caps = console
restart = always
restarts = 1
[service grow]
module = assistant.wasm
args = grow
memory = 256K
caps = console
[service badargs]
module = assistant.wasm
args = bad-args
caps = console spawn sysinfo bootfs
[service absurd]
module = assistant.wasm
args = spawn-absurd
caps = console spawn
[service hello]
module = hello.wasm
args = "two words" exit=3
caps = console
[service abicheck]
module = abicheck.wasm
caps = console
[service stopper]
module = assistant.wasm
args = poweroff 3 3000
caps = power
MANIFEST
} > "$out/services.manifest"
"$mkimage" -o "$out/services.tar" -m "$out/services.manifest" "$@" || exit 1
# -icount: the stopper powers off 3 s in, and every other service must be done by then
# (restarts 100 and 200 ms apart): in instructions, not host time, however busy the host
icount=-i boot services 60 7 "$out/services.tar" ""
t='trapped: ([a-z ]+) in (main|assistant_recurse) at offset 0x[0-9a-f]+$'
expect services "^init: started crasher \(pid [0-9]+\)$" \
  "^init: service 'unreachable' \(pid [0-9]+\) trapped: unreachable in main at offset 0x[0-9a-f]+$" \
  "^init: service 'overflow' \(pid [0-9]+\) trapped: integer overflow in main " \
  "^init: service 'convert' \(pid [0-9]+\) trapped: invalid conversion to integer in main " \
  "^init: service 'oob' \(pid [0-9]+\) trapped: out of bounds memory access in main " \
  "^init: service 'table' \(pid [0-9]+\) trapped: undefined element in main " \
  "^init: service 'null-call' \(pid [0-9]+\) trapped: uninitialized element in main " \
  "^init: service 'sig' \(pid [0-9]+\) trapped: indirect call type mismatch in main " \
  "^init: service 'recurse' \(pid [0-9]+\) trapped: call stack exhausted in assistant_recurse " \
  "^init: service 'crasher' \(pid [0-9]+\) trapped: integer divide by zero in main " \
  '^init: restarting crasher in 100 ms \(restart 1 of 2\)$' \
  '^init: restarting crasher in 200 ms \(restart 2 of 2\)$' \
  "^init: service 'crasher' failed 3 times; giving up$" \
  "^init: service 'quitter' \(pid [0-9]+\) exited with code 4$" \
  "^init: service 'quitter' failed 2 times; giving up$" \
  '^assistant: grow stopped at 4 pages$' "^init: service 'grow' \(pid [0-9]+\) exited with code 0$" \
  '^assistant: bad-args console_write -> FAULT$' '^assistant: bad-args console_write-len -> FAULT$' \
  '^assistant: bad-args args_get -> FAULT$' '^assistant: bad-args wait -> FAULT$' \
  '^assistant: bad-args proc_list -> FAULT$' '^assistant: bad-args mem_info -> FAULT$' \
  '^assistant: bad-args bootfs_read -> FAULT$' '^assistant: bad-args kernel_stats -> FAULT$' \
  '^assistant: spawn-absurd name-len -> FAULT$' '^assistant: spawn-absurd nonexistent -> NOENT$' \
  '^assistant: spawn-absurd caps -> DENIED$' '^assistant: spawn-absurd memory -> RANGE$' \
  '^assistant: spawn-absurd args-ptr -> FAULT$' '^assistant: spawn-absurd kill-1 -> DENIED$' \
  '^assistant: spawn-absurd kill-99999 -> NOENT$' \
  "^hello: argv\[1\] = 'two words'$" "^init: service 'hello' \(pid [0-9]+\) exited with code 3$" \
  "^abicheck: $nabi imports, ABI v0\$" "^init: service 'abicheck' \(pid [0-9]+\) exited with code 0$"
n=$(grep -c "^init: service 'crasher' (pid [0-9]*) trapped" "$out/services.log")
[ "$n" -eq 3 ] && echo "PASS modules-boot/services-restarts" ||
  { echo "FAIL modules-boot/services-restarts: crasher trapped $n times, want 3"; fail=1; }

# --- services over channels: init's name service, echo and kv, many clients --------------
cat > "$out/ipc.manifest" <<'MANIFEST'
[service echo]
module = echo.wasm
restart = always
[service kv]
module = kv.wasm
restart = on-trap
restarts = 2
[service quit]
module = kvclient.wasm
args = quit
uses = kv
restart = never
[service flood1]
module = kvclient.wasm
args = flood 500
uses = echo
caps = console
restart = never
[service flood2]
module = kvclient.wasm
args = flood 500
uses = echo
caps = console
restart = never
[service envcheck]
module = ipccheck.wasm
args = env-child
env = HOME=/boot "GREETING=hi there"
caps = console
restart = never
[service client]
module = kvclient.wasm
args = main
uses = echo kv
caps = console power
restart = never
MANIFEST
"$mkimage" -o "$out/ipc.tar" -m "$out/ipc.manifest" "$@" || exit 1
icount=-i boot ipc 120 19 "$out/ipc.tar" ""
expect ipc '^kvclient: connect-echo -> OK$' '^kvclient: connect-kv -> OK$' \
  '^kvclient: connect-not-granted -> DENIED$' '^kvclient: connect-unknown -> DENIED$' \
  "^kvclient: echo said 'hello'$" "^kvclient: colour is 'blue'$" \
  '^kvclient: get-deleted -> NOENT$' '^kvclient: bulk checksum matches$' \
  '^kvclient: kv serves 1 client\(s\)$' '^kvclient: crash -> PEER_CLOSED$' \
  "^init: service 'kv' \(pid [0-9]+\) trapped: unreachable in kv_do_crash at offset 0x[0-9a-f]+$" \
  '^init: restarting kv in 100 ms \(restart 1 of 2\)$' '^kvclient: reconnect -> OK$' \
  '^kvclient: get-after-restart -> NOENT$' '^kvclient: set-after-restart -> OK$' \
  '^kvclient: done$' "^ipccheck: env-child has 29 bytes: 'HOME=/boot' 'GREETING=hi there'$"
[ "$(grep -c '^kvclient: flood 500 of 500 in order$' "$out/ipc.log")" -eq 2 ] &&
  echo "PASS modules-boot/ipc-flood-two-clients" ||
  { echo "FAIL modules-boot/ipc-flood-two-clients: not both flooders saw 500 replies in order"; fail=1; }

# --- the system log: logd's protocol and its restart, from a client in Rust ---------------
cat > "$out/logd.manifest" <<'MANIFEST'
[service logd]
module = logd.wasm
args = test
caps = console
restart = always
[service logcheck]
module = logcheck.wasm
uses = logd
caps = console power
restart = never
MANIFEST
"$mkimage" -o "$out/logd.tar" -m "$out/logd.manifest" "$@" || exit 1
boot logd 60 19 "$out/logd.tar" ""
expect logd '^logcheck: connect -> OK$' '^logcheck: record read back as mine: true$' \
  '^logcheck: unknown-request -> UNSUPPORTED$' '^logcheck: read-cut-short -> INVAL$' \
  '^logcheck: request-with-handle -> INVAL$' '^logcheck: length-past-end -> OK$' \
  '^logcheck: malformed records noted: 2$' \
  '^logcheck: stat: lines 6 dropped 0 refused 2 next 7 clients 2$' \
  '^logcheck: oversized -> RANGE$' '^logcheck: after-oversized -> PEER_CLOSED$' \
  '^logcheck: clients gone noted: 1 then 2$' \
  '^logcheck: after the flood: flood 0 kept false, flood 299 kept true, drop noted true$' \
  '^logcheck: stat: lines 256 dropped [0-9]+ refused 2 next [0-9]+ clients 2$' \
  "^logd: panicked at 'crash requested by logcheck\[3\]', modules/logd/main.rs:[0-9]+:[0-9]+$" \
  "^init: service 'logd' \(pid 2\) exited with code 101$" '^init: restarting logd in 100 ms' \
  '^logcheck: crash -> PEER_CLOSED$' '^logcheck: reconnect -> OK$' \
  "^logcheck: after the restart: init's report true, new record true$" '^logcheck: done$'

# --- back-pressure: a call to a service slowed down on purpose (it sleeps before each read)
# waits for room in the full queue, in every SDK (modules/slowcall: the server, and the C
# client; C++, Rust and AssemblyScript clients). Each fills its queue until AGAIN, then
# calls: the reply counts every note sent before the call. -icount: the server's naps
# are instructions, not host time.
cat > "$out/slow.manifest" <<'MANIFEST'
[service slow]
module = slowcall.wasm
args = serve 4
caps = console power
restart = never
[service slowcall-c]
module = slowcall.wasm
args = client
uses = slow
caps = console
restart = never
[service slowcall-cpp]
module = slowcallcpp.wasm
uses = slow
caps = console
restart = never
[service slowcall-rust]
module = slowcallrs.wasm
uses = slow
caps = console
restart = never
[service slowcall-as]
module = slowcallas.wasm
uses = slow
caps = console
restart = never
MANIFEST
"$mkimage" -o "$out/slow.tar" -m "$out/slow.manifest" "$@" || exit 1
icount=-i boot slow 120 27 "$out/slow.tar" ""
full='filled: AGAIN after (6[4-9]|[7-9][0-9]|[0-9]{3,}) notes$'  # the queue holds 64
expect slow "^slowcall-c: $full" "^slowcall-c: call -> OK, 'notes ([0-9]+)' of \\1$" \
  "^slowcall-c: timed-call -> OK, 'notes ([0-9]+)' of \\1$" \
  "^slowcall-cpp: $full" "^slowcall-cpp: call -> OK, 'notes ([0-9]+)' of \\1$" \
  "^slowcall-rust: $full" "^slowcall-rust: call -> OK, 'notes ([0-9]+)' of \\1$" \
  "^slowcall-as: $full" "^slowcall-as: call -> OK, 'notes ([0-9]+)' of \\1$" \
  '^slowcall: served 4 clients$'
[ "$(grep -cE "^slowcall-c: $full" "$out/slow.log")" -eq 2 ] && echo "PASS modules-boot/slow-c-filled-twice" ||
  { echo "FAIL modules-boot/slow-c-filled-twice: the C client did not fill the queue twice"; fail=1; }

# --- nothing leaks: each IPC scenario, repeated, gives back every object, heap block and page
cat > "$out/leak.manifest" <<'MANIFEST'
[service echo]
module = echo.wasm
restart = always
[service kv]
module = kv.wasm
restart = always
restarts = 10
[service leakcheck]
module = leakcheck.wasm
uses = echo kv
caps = console sysinfo spawn power
restart = never
MANIFEST
"$mkimage" -o "$out/leak.tar" -m "$out/leak.manifest" "$@" || exit 1
icount=-i boot leak 240 23 "$out/leak.tar" ""
leak_lines=()
for s in connect quit flood bulk crash limits refused fuzz checks; do
  leak_lines+=("^leakcheck: $s x3: objects ([0-9]+) -> \\1, heap blocks ([0-9]+) -> \\2, free KiB ([0-9]+) -> \\3, processes ([0-9]+) -> \\4: no leak$")
done
expect leak "${leak_lines[@]}" '^leakcheck: done$'

# --- device grants: init derives each service's resources from its roots, as the manifest
# says, and gives them as startup handles (modules/devcheck; docs/devices.md). Granted
# COM1's ports, a service writes a line straight to the UART; granted COM2's only, it is
# refused COM1's and its text never reaches the log; the RTC's interrupt reaches an IRQ
# object; a killed holder frees its line; a grant beyond init's roots is not given.
# Every service ends, then init, and the system stops (status 39).
cat > "$out/devices.manifest" <<'MANIFEST'
[service com1]
module = devcheck.wasm
args = com1
ioport = 0x3f8-0x3ff
caps = console
restart = never
[service com2]
module = devcheck.wasm
args = com2
ioport = 0x2f8+8
caps = console
restart = never
[service rtc]
module = devcheck.wasm
args = rtc
irq = 8
ioport = 0x70-0x71
caps = console
restart = never
[service release]
module = devcheck.wasm
args = release
irq = 3
caps = console spawn
restart = never
[service mmio]
module = devcheck.wasm
args = mmio
mmio = 0xfed00000+4K 0x100000+4K
caps = console
restart = never
[service dma]
module = devcheck.wasm
args = dma
dma = 64K
caps = console
restart = never
[service toowide]
module = devcheck.wasm
args = com1
dma = 1G                # more than the machine's RAM, init's DMA root
caps = console
restart = never
MANIFEST
"$mkimage" -o "$out/devices.tar" -m "$out/devices.manifest" "$@" || exit 1
icount=-i boot devices 120 39 "$out/devices.tar" ""
expect devices '^devcheck: straight to COM1 through ioport 0x3f8$' '^devcheck: com1-write -> OK$' \
  '^devcheck: com2: 26 of 26 writes to 0x3f8 refused$' '^devcheck: com2-own-0x2f9 -> OK$' \
  '^devcheck: rtc: 5 packets and 3 waits on line 8, vector 0x38, count at least 8: yes$' \
  "^devcheck: child says 'bound'$" '^devcheck: release-while-held -> BUSY$' \
  '^devcheck: release-after-kill -> OK$' '^devcheck: hpet vendor 0x8086$' \
  '^devcheck: mmio-ram -> ACCESS$' '^devcheck: mmio-outside -> ACCESS$' \
  '^devcheck: dma zeroed yes, kept what was written yes$' '^devcheck: dma-too-big -> ACCESS$' \
  '^init: cannot grant dma0 to toowide: ACCESS$' '^init: no services left$'
if grep -q 'LEAKED' "$out/devices.log" || grep -q 'done (failed)' "$out/devices.log"; then
  echo "FAIL $layer/devices-refused-ports: refused bytes reached COM1, or a scenario failed (log: $out/devices.log)"
  fail=1
else
  echo "PASS $layer/devices-refused-ports"
fi

# --- a manifest init refuses (mkimage would too: build the archive with tar) ----------
mkdir -p "$out/bad" && cp "$@" "$out/bad/"
printf '[service shell]\nmodule = shell.wasm\nmemroy = 2M\n' > "$out/bad/manifest"
tar --format=ustar -cf "$out/bad.tar" -C "$out/bad" manifest init.wasm
# init ending ends the system: the kernel says why and stops (status 39)
boot bad-manifest 60 39 "$out/bad.tar" ""
expect bad-manifest "^init: manifest:3: unknown key 'memroy'$" \
  "init ended: exited with code 1; the system stops"

# --- preemption: two processes that never block and the shell all make progress ---------
script=$'run spin x &\r'
script+=$'run spin y &\r'
script+=$'run spin z 3\r'                 # in the foreground, next to x and y
script+=$'ps\r'
script+=$'kill 5\r'                       # logd 2, kv 3, the shell 4: spin x is 5, y 6
script+=$'kill 6\r'
script+=$'run spin w 1\r'                 # time for the killed ones to end
script+=$'run ipccheck hold &\r'          # pid 9
script+=$'run spin v 1\r'                 # time for it to make its handles
script+=$'handles 9\r'
script+=$'handles 99\r'
script+=$'poweroff 7\r'
# -icount: time is counted in instructions, so the spinners' shares do not depend on how
# fast QEMU happens to run each one on this host (TCG's speed varies with addresses)
icount=-i boot preemption 60 15 "$out/system.tar" "" "$script"
expect preemption '^spin x: 1$' '^spin y: 1$' '^spin z: 3$' '^ipccheck: holding$' \
  '^  HANDLE     TYPE      KOID RIGHTS$' \
  '^  [0-9a-f]{8} channel +[0-9]+ read,write,transfer,duplicate,wait,signal,manage$' \
  '^  [0-9a-f]{8} channel +[0-9]+ read,wait$' '^shell: handles: NOENT' \
  "proc: 5 'spin' \(spin.wasm\) killed" "proc: 6 'spin' \(spin.wasm\) killed"
# ps, typed after z finished, shows CPU time for both background spinners
awk '$1 == "PID" { ps++ } ps == 1 && ($1 == 5 || $1 == 6) && $2 == 4 && $7 > 0 { n++ }
     END { exit n == 2 ? 0 : 1 }' "$out/preemption.log" &&
  echo "PASS modules-boot/preemption-ps-cpu-time" ||
  { echo "FAIL modules-boot/preemption-ps-cpu-time: ps lacks CPU time for pids 5 and 6"; fail=1; }

exit $fail
