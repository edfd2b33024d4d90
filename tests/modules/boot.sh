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
nabi=$(grep -c '^TK_ABI(' include/takara/abi.def) # abicheck imports every row

# boot NAME SECONDS WANT_STATUS TAR CMDLINE [INPUT]: boots with TAR as boot.tar, INPUT typed
# on the serial console, log in $out/NAME.log. QEMU's status is (poweroff code << 1) | 1.
boot() {
  local name=$1 secs=$2 want=$3 tar=$4 cmdline=$5 input=${6:-} status
  mkdir -p "$out/$name" && cp "$tar" "$out/$name/boot.tar"
  printf '%s' "$input" > "$out/$name.in"
  tools/qemu-run.sh $icount -t "$secs" -I "$out/$name.in" "$kernel" "$cmdline" "$out/$name/boot.tar" \
    2>&1 | tr -d '\r' > "$out/$name.log"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne "$want" ]; then
    echo "FAIL modules-boot/$name: QEMU exit status $status, want $want (log: $out/$name.log)"
    tail -n 15 "$out/$name.log" | sed 's/^/    /'
    fail=1
    return 1
  fi
  echo "PASS modules-boot/$name"
}

# expect NAME PATTERN...: every extended regex must match a line of NAME's log
expect() {
  local name=$1
  shift
  expect_lines "modules-boot/$name-output" "$out/$name.log" "$@" || fail=1
}

# --- the system image: the shell, typed at -------------------------------------------
"$mkimage" -o "$out/system.tar" -m modules/manifest "$@" || exit 1
script=$'echo one\r'
script+=$'run hello a "b c" exit=3\r'
script+=$'run assistant div0\r'
script+=$'run -m 256K assistant grow\r'
script+=$'run abicheck\r'
script+=$'run ipccheck\r'
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
script+=$'run wasitest one "two words"\r'  # an unmodified wasi-libc program
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
expect shell '^init: started kv \(pid 2\)$' '^init: started shell \(pid 3\)$' '^takara> echo one$' '^one$' \
  '^hello from Takara$' "^hello: argv\[2\] = 'b c'$" '^\[pid [0-9]+\] exited with code 3$' \
  '^\[pid [0-9]+\] trapped: integer divide by zero in main at offset 0x[0-9a-f]+$' \
  '^assistant: grow stopped at 4 pages$' "^abicheck: $nabi imports, ABI v0\$" \
  '^\[pid [0-9]+\]$' '^\[pid [0-9]+\] exited with code 5$' '^spin s: 2$' \
  '^ +PID +PPID +STATE +MEM +LIMIT +CPU\(ms\) +NAME$' '^ +3 +1 +running +[0-9]+K +2M +[0-9]+ shell$' \
  '^ +1 +0 +blocked .* init$' '^memory: total [0-9]+ KiB, free [0-9]+ KiB' '^up [0-9]+\.[0-9]{3} s$' \
  "^shell: run: nope.wasm: NOENT \(no such object\)$" "^shell: unknown command 'bogus' \(try help\)$" \
  '^shell: kill: NOENT' '^edited$' '^moved$' '^aXbY$' '^killed$' \
  "poweroff requested by process 3 'shell' \(code 7\)" \
  '^ipccheck: channel_create -> OK$' '^ipccheck: read-small -> BUFFER_TOO_SMALL$' \
  '^ipccheck: needs 4 bytes 0 handles$' "^ipccheck: got 'ping'$" '^ipccheck: read-empty -> AGAIN$' \
  '^ipccheck: sent-is-gone -> BAD_HANDLE$' '^ipccheck: recv-handle -> OK$' \
  '^ipccheck: type 1 rights 0x14$' '^ipccheck: signal-without-right -> DENIED$' \
  '^ipccheck: wait-signaled -> OK$' '^ipccheck: forged -> BAD_HANDLE$' \
  '^ipccheck: stale -> BAD_HANDLE$' '^ipccheck: wrong-type -> WRONG_TYPE$' \
  '^ipccheck: send-itself -> INVAL$' '^ipccheck: bad-pointer -> FAULT$' \
  '^ipccheck: peer-closed -> OK$' '^ipccheck: read-closed -> PEER_CLOSED$' '^ipccheck: done$' \
  '^ipccheck: port-empty -> TIMEOUT$' '^ipccheck: packet key 7 signals 0x10$' \
  '^ipccheck: packet key 8 signals 0x1$' '^ipccheck: watch-itself -> INVAL$' \
  '^ipccheck: own-bootstrap -> OK$' '^ipccheck: own-bootstrap-again -> NOENT$' '^ipccheck: spawn_connected -> OK$' \
  '^ipccheck: call-child -> OK$' '^ipccheck: child-signaled -> OK$' \
  "^ipccheck: child said 'pong'$" \
  '^ipccheck: child-second-take -> NOENT$' '^ipccheck: child-exit -> OK$' \
  '^ipccheck: memory_map -> OK$' '^ipccheck: map-overlap -> RANGE$' '^ipccheck: map-unaligned -> RANGE$' \
  '^ipccheck: share -> OK$' '^ipccheck: child checksum matches$' '^ipccheck: memory-child-exit -> OK$' \
  '^ipccheck: writer ended with reason 1 kind 5$' '^ipccheck: memory_unmap -> OK$' \
  '^ipccheck: after unmap zeros$' '^ipccheck: unmap-again -> NOENT$'
# the WASI program says the same on Takara as under node's WASI (its own cross-check)
wasitest=$(printf '%s\n' "$@" | grep '/wasitest.wasm$')
mkdir -p "$out/wasiboot" && cp modules/manifest "$out/wasiboot/manifest"
node -e "
  const { WASI } = require('node:wasi'), fs = require('fs');
  const wasi = new WASI({ version: 'preview1', args: ['wasitest', 'one', 'two words'], env: {},
                          preopens: { '/boot': '$out/wasiboot' }, returnOnExit: true });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync('$wasitest')),
                                        wasi.getImportObject());
  process.exitCode = wasi.start(inst);" > "$out/wasitest.node" 2>/dev/null
node_status=$?
# (node's /boot is a writable host folder, Takara's is read-only: that line differs)
grep '^wasitest: ' "$out/wasitest.node" | grep -v 'for writing' > "$out/wasitest.node.lines"
grep '^wasitest: ' "$out/shell.log" | grep -v 'to stderr\|for writing' > "$out/wasitest.takara.lines"
if [ "$node_status" -eq 7 ] && [ -s "$out/wasitest.node.lines" ] &&
  cmp -s "$out/wasitest.node.lines" "$out/wasitest.takara.lines" &&
  grep -q '^\[pid [0-9]*\] exited with code 7$' "$out/shell.log"; then
  echo "PASS modules-boot/wasi-program-same-as-node"
else
  echo "FAIL modules-boot/wasi-program-same-as-node: see $out/wasitest.*.lines (node status $node_status)"
  fail=1
fi
expect shell "^wasitest: argc 3 argv\[1\] one argv\[2\] 'two words'$" '^wasitest: to stderr$' \
  '^wasitest: fd_write bad buffer fails: yes$' '^wasitest: fd_write fd 9 -> 8$' \
  '^wasitest: monotonic advanced by >= 20 ms: yes$' '^wasitest: random differs: yes$' \
  "^wasitest: /boot/manifest: '# Takara OS boot manifest.*', [0-9]+ bytes$" \
  '^wasitest: fopen /boot/nosuch: refused$' '^wasitest: fopen /boot/manifest for writing: refused$'
expect shell '^hello, you \(C, pid [0-9]+\)$' '^hello, you \(C, WASI\)$' \
  '^hello, you \(C\+\+, pid [0-9]+\)$' '^hello, you \(AssemblyScript, pid [0-9]+\)$'
expect shell '^ascheck: channel_create -> OK$' '^ascheck: event handle after write 0$' \
  '^ascheck: read-small -> BUFFER_TOO_SMALL$' "^ascheck: got 'ping' with 1 handle\(s\)$" \
  '^ascheck: signal-received -> OK$' '^ascheck: wait-signaled -> OK$' \
  '^ascheck: read-empty -> AGAIN$' '^ascheck: packet key 7 signals 1$' \
  '^ascheck: forged -> BAD_HANDLE$' '^ascheck: connect-not-granted -> DENIED$' \
  "^ascheck: read-2 'again'$" '^ascheck: read-closed -> PEER_CLOSED$' \
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
boot services 60 7 "$out/services.tar" ""
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
  '^assistant: bad-args bootfs_read -> FAULT$' \
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
  "^init: service 'kv' \(pid [0-9]+\) trapped: unreachable in kv_serve at offset 0x[0-9a-f]+$" \
  '^init: restarting kv in 100 ms \(restart 1 of 2\)$' '^kvclient: reconnect -> OK$' \
  '^kvclient: get-after-restart -> NOENT$' '^kvclient: set-after-restart -> OK$' \
  '^kvclient: done$'
[ "$(grep -c '^kvclient: flood 500 of 500 in order$' "$out/ipc.log")" -eq 2 ] &&
  echo "PASS modules-boot/ipc-flood-two-clients" ||
  { echo "FAIL modules-boot/ipc-flood-two-clients: not both flooders saw 500 replies in order"; fail=1; }

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
script+=$'kill 4\r'                      # kv is pid 2, the shell 3: spin x is 4, y 5
script+=$'kill 5\r'
script+=$'run spin w 1\r'                 # time for the killed ones to end
script+=$'run ipccheck hold &\r'          # pid 8
script+=$'run spin v 1\r'                 # time for it to make its handles
script+=$'handles 8\r'
script+=$'handles 99\r'
script+=$'poweroff 7\r'
# -icount: time is counted in instructions, so the spinners' shares do not depend on how
# fast QEMU happens to run each one on this host (TCG's speed varies with addresses)
icount=-i boot preemption 60 15 "$out/system.tar" "" "$script"
expect preemption '^spin x: 1$' '^spin y: 1$' '^spin z: 3$' '^ipccheck: holding$' \
  '^  HANDLE     TYPE      KOID RIGHTS$' \
  '^  [0-9a-f]{8} channel +[0-9]+ read,write,transfer,duplicate,wait,signal,manage$' \
  '^  [0-9a-f]{8} channel +[0-9]+ read,wait$' '^shell: handles: NOENT' \
  "proc: 4 'spin' \(spin.wasm\) killed" "proc: 5 'spin' \(spin.wasm\) killed"
# ps, typed after z finished, shows CPU time for both background spinners
awk '$1 == "PID" { ps++ } ps == 1 && ($1 == 4 || $1 == 5) && $2 == 3 && $7 > 0 { n++ }
     END { exit n == 2 ? 0 : 1 }' "$out/preemption.log" &&
  echo "PASS modules-boot/preemption-ps-cpu-time" ||
  { echo "FAIL modules-boot/preemption-ps-cpu-time: ps lacks CPU time for pids 4 and 5"; fail=1; }

exit $fail
