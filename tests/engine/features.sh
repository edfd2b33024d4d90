#!/usr/bin/env bash
# Builds each tests/engine/features/FEATURE.wat with wabt (that feature's flag on) and runs
# features-test with it in a full build and without it in the build that leaves it out.
#   tests/engine/features.sh OUTDIR FEATURES_TEST_FULL FEATURES_TEST_NOFEAT
set -uo pipefail
out=$1 full=$2 nofeat=$3
mkdir -p "$out"
declare -A flag=([extended-const]=--enable-extended-const [tail-call]=--enable-tail-call
  [multi-memory]=--enable-multi-memory [exceptions]=--enable-exceptions)
mods=()
for wat in tests/engine/features/*.wat; do
  f=$(basename "$wat" .wat)
  wat2wasm "${flag[$f]}" "$wat" -o "$out/$f.wasm" || { echo "FAIL engine/feature-$f: wat2wasm"; exit 1; }
  mods+=("$out/$f.wasm")
done
status=0
"$full" with "${mods[@]}" || status=1
"$nofeat" without "${mods[@]}" || status=1
exit $status
