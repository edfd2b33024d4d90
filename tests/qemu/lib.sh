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

# Booting a system image and judging its log (tests/modules/*.sh set out, kernel, layer,
# fail and icount before calling these).

# boot NAME SECONDS WANT_STATUS TAR CMDLINE [INPUT]: boots with TAR as boot.tar, INPUT typed
# on the serial console, log in $out/NAME.log. QEMU's status is (poweroff code << 1) | 1.
boot() {
  local name=$1 secs=$2 want=$3 tar=$4 cmdline=$5 input=${6:-} status
  mkdir -p "$out/$name" && cp "$tar" "$out/$name/boot.tar"
  printf '%s' "$input" > "$out/$name.in"
  tools/qemu-run.sh $icount -t "$secs" -I "$out/$name.in" "$kernel" "$cmdline" "$out/$name/boot.tar" \
    2>&1 | tr -d '\r' > "$out/$name.log"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne "$want" ]; then
    echo "FAIL $layer/$name: QEMU exit status $status, want $want (log: $out/$name.log)"
    tail -n 15 "$out/$name.log" | sed 's/^/    /'
    fail=1
    return 1
  fi
  echo "PASS $layer/$name"
}

# expect NAME PATTERN...: every extended regex must match a line of NAME's log
expect() {
  local name=$1
  shift
  expect_lines "$layer/$name-output" "$out/$name.log" "$@" || fail=1
}

