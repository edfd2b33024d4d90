#!/usr/bin/env bash
# Checks (or with --fix, applies) the project's clang-format style on every tracked or new
# C source. Pinned to clang-format-14 so every machine formats alike.
set -uo pipefail
files=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h')
[ -z "$files" ] && { echo "PASS format: no C sources yet"; exit 0; }
if [ "${1:-}" = "--fix" ]; then
  clang-format-14 -i $files
  exit 0
fi
bad=0
for f in $files; do
  if ! clang-format-14 --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "FAIL format $f: run 'make format'"
    bad=1
  fi
done
[ $bad -eq 0 ] && echo "PASS format: $(echo "$files" | wc -l) files"
exit $bad
