#!/usr/bin/env bash
# Runs each test layer (`make test-LAYER`), keeps its log under build/test/, and prints the
# verdict. A layer reports one line per test, "PASS name" or "FAIL name: why"; a layer
# that exits non-zero without reporting a failure counts as one failure of its own.
set -uo pipefail

out=build/test
mkdir -p "$out"
pass=0 fail=0 failed=()
for layer in "$@"; do
  log="$out/$layer.log"
  echo "== test-$layer"
  make --no-print-directory "test-$layer" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  p=$(grep -c '^PASS ' "$log") f=$(grep -c '^FAIL ' "$log")
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "FAIL test-$layer: exited with status $status" | tee -a "$log"
  fi
  pass=$((pass + p)) fail=$((fail + f))
  [ "$f" -gt 0 ] && failed+=("$layer")
done
echo
[ ${#failed[@]} -gt 0 ] && echo "failing layers: ${failed[*]} (logs in $out/)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
