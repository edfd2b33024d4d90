#!/usr/bin/env bash
# Runs each benchmark layer (`make bench-LAYER`). Each layer prints its own table and
# merges its figures into build/bench/results.json (metric name -> number).
set -uo pipefail
mkdir -p build/bench
[ -f build/bench/results.json ] || echo '{}' > build/bench/results.json
status=0
for layer in "$@"; do
  echo "== bench-$layer"
  make --no-print-directory "bench-$layer" || status=1
done
echo "results: build/bench/results.json"
exit $status
