#!/usr/bin/env bash
# The size of a hello-world module in each language the SDKs support, as the boot image
# carries it (name sections kept, debug info stripped). The programs differ a little
# (greet* print their argument, and their pid where the takara ABI is used); each is the
# smallest program its guide starts from.
#
#   bench/module-sizes.sh LABEL=FILE...
set -euo pipefail

printf '%-44s %10s\n' "hello-world module" "bytes"
record=()
for pair in "$@"; do
  label=${pair%%=*} file=${pair#*=}
  bytes=$(stat -c %s "$file")
  printf '%-44s %10d\n' "$label ($(basename "$file"))" "$bytes"
  record+=("hello_size_${label//[^a-z0-9]/_}_bytes=$bytes")
done
tools/bench-record.py "${record[@]}"
