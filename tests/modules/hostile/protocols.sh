# Hostile family `protocols` (sourced by tests/modules/hostile.sh; module
# modules/hostile-protocols): a client that sends malformed messages to each server of
# a protocol of include/takara/proto/ — init's name service, kv (C) and logd (Rust) —
# through the generated server code: each is answered with its error and the handles it
# carried are closed, logd's unanswered records are counted as refused, every server
# still serves its other channels, no server traps, and after a warm-up three rounds
# leave the kernel's counters exactly where they were.
cat > "$out/protocols.manifest" <<'MANIFEST'
[service logd]
module = logd.wasm
caps = console
restart = never
[service kv]
module = kv.wasm
caps = console
restart = never
[service hostile-protocols]
module = hostile-protocols.wasm
uses = logd kv
caps = console power sysinfo
restart = never
MANIFEST
"$mkimage" -o "$out/protocols.tar" -m "$out/protocols.manifest" "$@" || exit 1
if boot protocols 180 19 "$out/protocols.tar" ""; then
  lines=()
  for s in name kv logd; do
    lines+=("^hostile-protocols: $s empty -> INVAL, handle closed$"
      "^hostile-protocols: $s short -> INVAL$"
      "^hostile-protocols: $s unknown -> UNSUPPORTED, handle closed$"
      "^hostile-protocols: $s extra-handle -> INVAL, handle closed$"
      "^hostile-protocols: $s trailing -> INVAL$"
      "^hostile-protocols: $s serves-after -> OK$")
  done
  for s in name kv; do
    lines+=("^hostile-protocols: $s past-end -> INVAL$"
      "^hostile-protocols: $s huge-length -> INVAL, handle closed$")
  done
  expect protocols "${lines[@]}" '^hostile-protocols: logd records-refused -> OK$' \
    '^hostile-protocols: rounds x3: no leak ' '^hostile-protocols: name oversized -> RANGE$' \
    '^hostile-protocols: name after-oversized -> PEER_CLOSED$' '^hostile-protocols: done, 0 unexpected$'
  if grep -Eq 'PANIC|trapped|restarting|unexpected\)' "$out/protocols.log"; then
    echo "FAIL $layer/protocols-servers-survive: $(grep -Em1 'PANIC|trapped|restarting|unexpected\)' "$out/protocols.log")"
    fail=1
  else
    echo "PASS $layer/protocols-servers-survive"
  fi
fi
