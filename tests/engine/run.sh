#!/usr/bin/env bash
# Builds tests/engine/traps.wat with wabt (names kept), finds the offsets of the
# trapping instructions with wabt's disassembler, and runs trap-test in each build.
#   tests/engine/run.sh OUTDIR TRAP_TEST...
set -uo pipefail
out=$1
shift
mkdir -p "$out"
wat2wasm --debug-names tests/engine/traps.wat -o "$out/traps.wasm" || exit 1
dis=$(wasm-objdump -d "$out/traps.wasm")
div=0x$(awk '/\| i32.div_s/ {print $1}' <<<"$dis" | tr -d ':' | head -1)
load=0x$(awk '/\| i32.load / {print $1}' <<<"$dis" | tr -d ':' | head -1)
fused=""
for op in i32.load16_u i32.load8_s f64.load i32.store8 i32.store16; do
  fused+=" 0x$(awk "/\\| $op / {print \$1}" <<<"$dis" | tr -d ':' | head -1)"
done
status=0
for t in "$@"; do
  "$t" "$out/traps.wasm" "$div" "$load" $fused | sed "s#^\(PASS\|FAIL\) engine/#\1 engine/$(basename "$(dirname "$t")")/#" || status=1
done
exit $status
