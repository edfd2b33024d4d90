#!/usr/bin/env bash
# System tests: the real kernel boots the boot image, init starts the services of a
# manifest, and a person's typing is replayed on the serial console. Each scenario
# checks the transcript for what a user would look for, one PASS/FAIL line per check.
#
#   tests/system/run.sh OUTDIR KERNEL32 MKIMAGE BOOT_TAR MODULE.wasm...
set -uo pipefail

out=$1 kernel=$2 mkimage=$3 boot_tar=$4
shift 4
modules=("$@")
mkdir -p "$out"

# boot NAME IMAGE INPUT: runs the system until it powers off (code 16: status 33)
boot() {
  local name=$1 image=$2 input=$3 status
  tools/qemu-run.sh -t 120 -I "$input" "$kernel" "loglevel=2" "$image" 2>&1 | tr -d '\r' \
    > "$out/$name.log"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 33 ]; then
    echo "FAIL system/$name: QEMU exit status $status, want 33 (poweroff 16) (log: $out/$name.log)"
    tail -n 15 "$out/$name.log" | sed 's/^/    /'
    return 1
  fi
  echo "PASS system/$name-powers-off"
}

# check NAME WHAT PATTERN: an extended regex that must match a line of NAME's log
check() {
  if grep -Eq -- "$3" "$out/$1.log"; then
    echo "PASS system/$1-$2"
  else
    echo "FAIL system/$1-$2: no line matches /$3/ (log: $out/$1.log)"
  fi
}

# The shell: commands, line editing (ESC [ D is the left arrow, 0x7f backspace, ESC [ A
# recalls the previous line), foreground and background processes, kill, ps, mem.
# pids: init 1, shell 2, then one per run in order.
{
  printf 'help\n'
  printf 'echo helo\033[Dl\n'          # left arrow, then insert: "hello"
  printf 'echo abd\177c\n'             # backspace: "abc"
  printf '\033[A\n'                    # history: "echo abc" again
  printf 'run hello a "b c"\n'         # pid 3
  printf 'run -m 256K assistant grow\n' # pid 4
  printf 'run assistant div0\n'        # pid 5
  printf 'run spin x &\n'              # pid 6
  printf 'run spin y &\n'              # pid 7
  printf 'run spin z 3\n'              # pid 8, in the foreground while 6 and 7 spin
  printf 'ps\n'
  printf 'kill 6\nkill 7\nkill 1\n'
  printf 'mem\nuptime\nnosuch\n'
  printf 'poweroff 16\n'
} > "$out/shell.in"
if boot shell "$boot_tar" "$out/shell.in"; then
  check shell prompt '^takara> '
  check shell init-started-shell '^init: started shell \(pid 2\)$'
  check shell help '^run \[-m SIZE\] MODULE \[ARGS\] \[&\]'
  check shell left-arrow-insert '^hello$'
  check shell backspace '^abc$'
  [ "$(grep -c '^abc$' "$out/shell.log")" -eq 2 ] && echo "PASS system/shell-history" ||
    echo "FAIL system/shell-history: the recalled 'echo abc' did not run twice"
  check shell run-with-args "^hello: argv\[2\] = 'b c'$"
  check shell memory-limit '^assistant: grow stopped at 4 pages$'
  check shell trap-report '^\[pid 5\] trapped: integer divide by zero in main at offset 0x[0-9a-f]+$'
  check shell kernel-trap-line "proc: 5 'assistant' \(assistant.wasm\) trapped: integer divide by zero in function [0-9]+ <main> at offset 0x[0-9a-f]+"
  check shell spinner-x-progress '^spin x: 1$'
  check shell spinner-y-progress '^spin y: 1$'
  check shell foreground-done '^spin z: 3$'
  # every spinner had the CPU: ps shows CPU time for 6 and 7 while the shell answered
  awk '$1 == "PID" { ps++ } ps == 1 && ($1 == 6 || $1 == 7) && $2 == 2 && $7 > 0 { n++ }
       END { exit n == 2 ? 0 : 1 }' "$out/shell.log" &&
    echo "PASS system/shell-ps-shows-both-spinners-ran" ||
    echo "FAIL system/shell-ps-shows-both-spinners-ran: ps lacks CPU time for pids 6 and 7"
  check shell kill-ends-it "proc: 6 'spin' \(spin.wasm\) killed"
  check shell kill-not-a-child '^shell: kill: DENIED'
  check shell mem '^memory: total [0-9]+ KiB, free [0-9]+ KiB, processes [0-9]+ KiB'
  check shell uptime '^up [0-9]+\.[0-9]{3} s$'
  check shell unknown-command "^shell: unknown command 'nosuch' \(try help\)$"
fi

# Supervision: a service that traps at once is restarted twice with back-off, then
# given up on; the shell keeps working meanwhile.
mkdir -p "$out/crash"
if "$mkimage" -o "$out/crash/boot.tar" -m tests/system/crash.manifest "${modules[@]}"; then
  printf 'run spin wait 6\npoweroff 16\n' > "$out/crash.in"
  if boot crash "$out/crash/boot.tar" "$out/crash.in"; then
    check crash trap-reported "^init: service 'crasher' \(pid 2\) trapped: integer divide by zero in main at offset 0x[0-9a-f]+$"
    check crash restart-1 '^init: restarting crasher in 100 ms \(restart 1 of 2\)$'
    check crash restart-2 '^init: restarting crasher in 200 ms \(restart 2 of 2\)$'
    check crash gives-up "^init: service 'crasher' failed 3 times; giving up$"
    check crash shell-kept-working '^spin wait: 6$'
  fi
else
  echo "FAIL system/crash-image: mkimage refused tests/system/crash.manifest"
fi
exit 0
