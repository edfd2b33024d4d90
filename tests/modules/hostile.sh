#!/usr/bin/env bash
# The hostile-module suite (test layer `hostile`): modules that attack the kernel the way
# a hostile program would (deep chains of objects, memory rewritten while the kernel
# waits, hoarding every kind of kernel memory, orphans, floods) and the checks that it
# survived: no panic at any depth, the shell still answers, and the kernel's counters
# come back. Each family of probes is one fragment, tests/modules/hostile/NAME.sh,
# sourced here with boot and expect (tests/qemu/lib.sh) and the system image at hand.
#
#   tests/modules/hostile.sh OUTDIR KERNEL32 MKIMAGE MODULE.wasm...
set -uo pipefail

out=$1 kernel=$2 mkimage=$3
shift 3
mkdir -p "$out"
fail=0
# Instructions, not host time, drive the guest's clock (-icount): a probe's waits for the
# kernel's counters to settle, and every schedule, are then the same however loaded the
# host is, so rounds compare exactly.
icount=-i
layer=hostile
. tests/qemu/lib.sh

# hostile_counters_back NAME: the three `mem` reports of NAME's log (one a round, the
# first warming the heap up) must agree exactly on the last two (heap blocks, objects,
# free KiB), and the kernel must not have panicked. Shared by hoard.sh and tree.sh.
hostile_counters_back() {
  local name=$1 heap free
  mapfile -t heap < <(grep -E '^kernel: heap [0-9]+ KiB in [0-9]+ blocks, [0-9]+ objects' "$out/$name.log" |
    sed -E 's/^kernel: heap [0-9]+ KiB in ([0-9]+) blocks, ([0-9]+) objects.*/\1 \2/')
  mapfile -t free < <(grep -E '^memory: total [0-9]+ KiB, free [0-9]+ KiB' "$out/$name.log" |
    sed -E 's/^memory: total [0-9]+ KiB, free ([0-9]+) KiB.*/\1/')
  if [ ${#heap[@]} -ne 3 ] || [ ${#free[@]} -ne 3 ]; then
    echo "FAIL $layer/$name-gives-everything-back: want three mem reports (log: $out/$name.log)"
    fail=1
  elif [ "${heap[1]}" != "${heap[2]}" ] || [ "${free[1]}" != "${free[2]}" ]; then
    echo "FAIL $layer/$name-gives-everything-back: blocks and objects ${heap[1]} -> ${heap[2]}, free KiB ${free[1]} -> ${free[2]}"
    fail=1
  else
    echo "PASS $layer/$name-gives-everything-back (blocks and objects ${heap[2]}, free ${free[2]} KiB)"
  fi
  if grep -qE 'PANIC|double fault' "$out/$name.log"; then
    echo "FAIL $layer/$name-no-panic: the kernel panicked (log: $out/$name.log)"
    fail=1
  fi
}

"$mkimage" -o "$out/system.tar" -m modules/manifest "$@" || exit 1
fragments=(tests/modules/hostile/*.sh)
[ -e "${fragments[0]}" ] || { echo "FAIL hostile: no probe fragments in tests/modules/hostile/"; exit 1; }
for f in "${fragments[@]}"; do
  . "$f"
done
exit $fail
