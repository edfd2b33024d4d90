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

"$mkimage" -o "$out/system.tar" -m modules/manifest "$@" || exit 1
fragments=(tests/modules/hostile/*.sh)
[ -e "${fragments[0]}" ] || { echo "FAIL hostile: no probe fragments in tests/modules/hostile/"; exit 1; }
for f in "${fragments[@]}"; do
  . "$f"
done
exit $fail
