# Shared by the QEMU test scripts (sourced): checks on a boot's log.

# expect_lines LABEL LOG PATTERN...: PASS LABEL if every extended regex matches a line of
# LOG, else FAIL LABEL naming the patterns that did not (and a non-zero status).
expect_lines() {
  local label=$1 log=$2 missing=()
  shift 2
  for pat in "$@"; do
    grep -Eq -- "$pat" "$log" || missing+=("$pat")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "FAIL $label: missing: ${missing[*]} (log: $log)"
    return 1
  fi
  echo "PASS $label"
}
