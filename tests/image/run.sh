#!/usr/bin/env bash
# The image layer: lib/manifest.c built for wasm32 and run by the engine; mkimage on a
# good manifest (GNU tar lists and extracts it byte-exact, twice the same bytes) and on
# bad input (exit status 1, the expected message, no archive left behind).
# Last, a short fixed-seed run of the manifest parser's fuzzer.
#   tests/image/run.sh OUTDIR MKIMAGE TAKARA_WASM MANIFEST_FUZZ
set -uo pipefail
out=$1 mkimage=$2 takara_wasm=$3 fuzz=$4
rm -rf "$out"
mkdir -p "$out/src"
fails=0

pass() { echo "PASS image/$1"; }
fail() {
  echo "FAIL image/$1: $2"
  fails=$((fails + 1))
}

# check_refused NAME MESSAGE ARGS...: mkimage must exit 1, print MESSAGE, write nothing.
check_refused() {
  local name=$1 want=$2 err status
  shift 2
  rm -f "$out/bad.tar"
  err=$("$mkimage" -o "$out/bad.tar" "$@" 2>&1 >/dev/null)
  status=$?
  if [ "$status" -ne 1 ]; then
    fail "$name" "exit status $status, want 1 (stderr: $err)"
  elif ! grep -qF -- "$want" <<<"$err"; then
    fail "$name" "stderr '$err' lacks '$want'"
  elif [ -e "$out/bad.tar" ] || [ -e "$out/bad.tar.tmp" ]; then
    fail "$name" "an archive was left behind"
  else
    pass "$name"
  fi
}

# --- the parser as init runs it: compiled for wasm32 without libc -------------------------
src=$out/src
res=$(clang-19 -print-resource-dir)
if clang-19 --target=wasm32 -std=c11 -Wall -Wextra -Werror -O2 -ffreestanding -nostdlib \
  -nostdinc -isystem "$res/include" -Iinclude -I. -Wl,--no-entry -Wl,--export=probe_good \
  -Wl,--export=probe_bad tests/image/probe.c lib/manifest.c lib/string.c \
  -o "$src/shell.wasm" 2>"$out/probe.log"; then
  pass manifest_builds_for_wasm32
  got=$("$takara_wasm" "$src/shell.wasm" --invoke probe_good 2>&1)
  [ "$got" = "i32:106423" ] && pass manifest_parses_in_wasm ||
    fail manifest_parses_in_wasm "probe_good gave '$got', want i32:106423"
  got=$("$takara_wasm" "$src/shell.wasm" --invoke probe_bad 2>&1)
  [ "$got" = "i32:$(((1 << 32) - 24))" ] && pass manifest_errors_in_wasm ||
    fail manifest_errors_in_wasm "probe_bad gave '$got', want -24 (INVAL at line 4)"
else
  fail manifest_builds_for_wasm32 "$(head -5 "$out/probe.log")"
  exit 1
fi

# --- inputs ---------------------------------------------------------------------------------
printf '(module (func (export "main") (result i32) i32.const 7))\n' >"$src/hello.wat"
printf '(module (func (result i32)))\n' >"$src/invalid.wat"
wat2wasm "$src/hello.wat" -o "$src/hello.wasm" || exit 1
wat2wasm --no-check "$src/invalid.wat" -o "$src/invalid.wasm" || exit 1
printf '\0asm\2\0\0\0' >"$src/malformed.wasm"
head -c 1300 /dev/urandom >"$src/data.bin" # not .wasm: stored unchecked, odd size
cat >"$src/good.manifest" <<'EOF'
# Takara OS boot manifest. Services start in the order written.
[service shell]
module   = shell.wasm           # a file of the boot image
args     = -p "takara> " x
memory   = 4M
caps     = console spawn sysinfo
restart  = on-trap
restarts = 3

[service hello]
module = hello.wasm
EOF
cat >"$src/badcap.manifest" <<'EOF'
[service shell]
module = shell.wasm

caps = console consol
EOF
printf '[service shell]\nmodule = shell.wasm\n[service gone]\nmodule = gone.wasm\n' \
  >"$src/missing.manifest"
printf '[service m]\nmodule = malformed.wasm\n' >"$src/malformed.manifest"
printf '[service i]\nmodule = invalid.wasm\n' >"$src/invalid.manifest"

# --- a good image ---------------------------------------------------------------------------
good=$out/good.tar
files=("$src/shell.wasm" "$src/hello.wasm" "$src/data.bin")
if ! err=$("$mkimage" -o "$good" -m "$src/good.manifest" "${files[@]}" 2>&1); then
  fail good_image_builds "$err"
  exit 1
fi
pass good_image_builds

list=$(tar -tf "$good" 2>&1 | tr '\n' ' ')
[ "$list" = "manifest shell.wasm hello.wasm data.bin " ] && pass tar_lists_manifest_first ||
  fail tar_lists_manifest_first "tar -tf gave '$list'"

verbose=$(tar --numeric-owner -tvf "$good" 2>&1 | head -1)
[[ $verbose == "-rw-r--r-- 0/0 "*" 1970-01-01 "* ]] && pass tar_sees_mode_owner_mtime ||
  fail tar_sees_mode_owner_mtime "tar -tvf gave '$verbose'"

mkdir -p "$out/x"
if tar -xf "$good" -C "$out/x" 2>"$out/x.log" && cmp -s "$out/x/manifest" "$src/good.manifest" &&
  cmp -s "$out/x/shell.wasm" "$src/shell.wasm" && cmp -s "$out/x/hello.wasm" "$src/hello.wasm" &&
  cmp -s "$out/x/data.bin" "$src/data.bin"; then
  pass round_trip_byte_exact
else
  fail round_trip_byte_exact "extracted files differ ($(head -1 "$out/x.log"))"
fi

size=$(stat -c %s "$good")
tail_zero=$(tail -c 1024 "$good" | tr -d '\0' | wc -c)
[ $((size % 512)) -eq 0 ] && [ "$tail_zero" -eq 0 ] && pass archive_blocks_and_end_marker ||
  fail archive_blocks_and_end_marker "size $size, $tail_zero non-zero bytes in the last 1024"

"$mkimage" -o "$out/again.tar" -m "$src/good.manifest" "${files[@]}" &&
  cmp -s "$good" "$out/again.tar" && pass reproducible ||
  fail reproducible "two runs gave different archives"

# --- refused input --------------------------------------------------------------------------
check_refused unknown_capability "$src/badcap.manifest:4: unknown capability 'consol'" \
  -m "$src/badcap.manifest" "$src/shell.wasm"
check_refused missing_module_file "service 'gone': module 'gone.wasm' is not among the files" \
  -m "$src/missing.manifest" "$src/shell.wasm"
check_refused malformed_module \
  "$src/malformed.wasm: malformed module: unknown binary version at offset" \
  -m "$src/malformed.manifest" "$src/malformed.wasm"
check_refused invalid_module "$src/invalid.wasm: invalid module: type mismatch at offset" \
  -m "$src/invalid.manifest" "$src/invalid.wasm"
check_refused same_base_name "would both be 'shell.wasm' in the archive" \
  -m "$src/good.manifest" "$src/shell.wasm" "$src/hello.wasm" "$src/../src/shell.wasm"
check_refused unreadable_file "$src/nope.wasm: cannot read" \
  -m "$src/good.manifest" "$src/shell.wasm" "$src/hello.wasm" "$src/nope.wasm"
check_refused unreadable_manifest "$src/nope.manifest: cannot read" \
  -m "$src/nope.manifest" "$src/shell.wasm"

"$mkimage" -m "$src/good.manifest" "$src/shell.wasm" 2>/dev/null
status=$?
[ "$status" -eq 2 ] && pass usage_without_output || fail usage_without_output "status $status"

# --- the parser under a fuzzer, seeded with the manifests above -------------------------------
mkdir -p "$out/fuzz-seed" "$out/fuzz-new"
cp "$src"/*.manifest "$out/fuzz-seed/"
if "$fuzz" -seed=1 -runs=200000 -max_len=4096 -timeout=10 -dict=tests/image/manifest.dict \
  "$out/fuzz-new" "$out/fuzz-seed" >"$out/fuzz.log" 2>&1; then
  pass manifest_fuzz_smoke
else
  tail -30 "$out/fuzz.log"
  fail manifest_fuzz_smoke "see $out/fuzz.log"
fi

exit $((fails > 0))
