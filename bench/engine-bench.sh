#!/usr/bin/env bash
# Engine benchmarks: each program of bench/programs natively (gcc -O2), in our interpreter
# (takara-wasm, guard and bounds builds), in node (V8) and in wabt's wasm-interp, from one
# run. Every runner's checksum must equal native's for the same iteration count.
#
#   bench/engine-bench.sh OUTDIR TAKARA_WASM TAKARA_WASM_BOUNDS LARGEST.wasm [--check]
#
# Time per iteration: native, node and takara-wasm time run(iters) in-process, best of
# three runs (this machine is shared: the minimum is the least disturbed); wasm-interp
# can only run an argument-less export, so it is timed as a whole process at FIXED_ITERS=n
# minus the same at n=0. Ratio = native time / runner time (1.0 = native speed).
# --check: only compare checksums at small counts (the test layer), no timing table.
set -uo pipefail

out=$1 ours=$2 ours_bounds=$3 largest=$4 mode=${5:-}
mkdir -p "$out"
programs="crc32 sha256 matmul sieve nbody qsort lz vm"
declare -A iters=([crc32]=200 [sha256]=1000 [matmul]=100 [sieve]=10 [nbody]=400 [qsort]=4 [lz]=10 [vm]=500)
wasmld=/usr/lib/llvm-19/bin/wasm-ld
fail=0

build() { # program -> native binary and .wasm
  local p=$1
  gcc -O2 -fno-math-errno -o "$out/$p" "bench/programs/$p.c" bench/native-main.c -lm || return 1
  clang-19 --target=wasm32 -O2 -nostdlib -fuse-ld=$wasmld -Wl,--no-entry \
    -o "$out/$p.wasm" "bench/programs/$p.c" bench/programs/libc.c || return 1
}
build_fixed() { # program n -> .wasm whose bench() runs run(n)
  clang-19 --target=wasm32 -O2 -nostdlib -fuse-ld=$wasmld -Wl,--no-entry -DFIXED_ITERS="$2" \
    -o "$out/$1.fixed$2.wasm" "bench/programs/$1.c" bench/programs/libc.c bench/programs/fixed.c
}
field() { sed -nE "s/.*$1=([0-9]+).*/\1/p" | head -1; }
best3() { # command... -> the run with the lowest ns of three (same checksum each time)
  local best="" r
  for _ in 1 2 3; do
    r=$("$@") || return 1
    if [ -z "$best" ] || [ "$(field ns <<<"$r")" -lt "$(field ns <<<"$best")" ]; then best=$r; fi
  done
  echo "$best"
}
now_ns() { date +%s%N; }

native() { "$out/$1" "$2"; }                                        # checksum=C ns=T
node_run() { node bench/node-run.js "$out/$1.wasm" "$2"; }
ours_run() { # binary program iters -> checksum=C ns=T
  local r t
  r=$("$1" --time "$out/$2.wasm" --invoke run "$3" 2>"$out/.time") || return 1
  t=$(field time_ns < "$out/.time")
  echo "checksum=${r#i32:} ns=$t"
}
interp_run() { # program iters -> checksum=C ns=T (process time minus the n=0 process)
  local p=$1 n=$2 t0 t1 t2 t3 r
  build_fixed "$p" "$n" && build_fixed "$p" 0 || return 1
  t0=$(now_ns); wasm-interp "$out/$p.fixed0.wasm" --run-all-exports >/dev/null; t1=$(now_ns)
  r=$(wasm-interp "$out/$p.fixed$n.wasm" --run-all-exports); t3=$(now_ns)
  t2=$(( (t3 - t1) - (t1 - t0) ))
  echo "checksum=$(sed -nE 's/.*i32:([0-9]+).*/\1/p' <<<"$r") ns=$t2"
}

for p in $programs; do
  build "$p" || { echo "FAIL bench/$p: does not build"; fail=1; }
done

if [ "$mode" = "--check" ]; then
  for p in $programs; do
    want=$(native "$p" 3 | field checksum)
    for r in node ours ours_bounds interp; do
      case $r in
        node) got=$(node_run "$p" 3 | field checksum) ;;
        ours) got=$(ours_run "$ours" "$p" 3 | field checksum) ;;
        ours_bounds) got=$(ours_run "$ours_bounds" "$p" 3 | field checksum) ;;
        interp) got=$(interp_run "$p" 3 | field checksum) ;;
      esac
      if [ -n "$want" ] && [ "$got" = "$want" ]; then echo "PASS bench-programs/$p/$r"
      else echo "FAIL bench-programs/$p/$r: checksum ${got:-none}, native $want"; fail=1; fi
    done
  done
  exit $fail
fi

printf '%-8s %12s %10s %10s %10s %10s   %s\n' program "native ns/it" takara takara-bc node wasm-interp "(ratio to native, higher is better)"
declare -A logsum=()
for r in ours ours_bounds node interp; do logsum[$r]=0; done
record=()
for p in $programs; do
  n=${iters[$p]}
  nat=$(best3 native "$p" "$n"); nat_ns=$(field ns <<<"$nat"); nat_sum=$(field checksum <<<"$nat")
  line=$(printf '%-8s %12.0f' "$p" "$(echo "$nat_ns / $n" | bc -l)")
  for r in ours ours_bounds node interp; do
    case $r in
      ours) k=$(( n / 4 > 0 ? n / 4 : 1 )); res=$(best3 ours_run "$ours" "$p" "$k") ;;
      ours_bounds) k=$(( n / 4 > 0 ? n / 4 : 1 )); res=$(best3 ours_run "$ours_bounds" "$p" "$k") ;;
      node) k=$n; res=$(best3 node_run "$p" "$k") ;;
      interp) k=$(( n / 100 > 0 ? n / 100 : 1 )); res=$(interp_run "$p" "$k") ;;
    esac
    want=$(native "$p" "$k" | field checksum)
    if [ "$(field checksum <<<"$res")" != "$want" ]; then
      echo "MISMATCH: $p under $r: checksum $(field checksum <<<"$res"), native $want" >&2; fail=1
    fi
    ratio=$(echo "($nat_ns / $n) / ($(field ns <<<"$res") / $k)" | bc -l)
    logsum[$r]=$(echo "${logsum[$r]} + l($ratio)" | bc -l)
    line+=$(printf ' %10.4f' "$ratio")
    record+=("engine_${p}_${r}_ratio=$(printf '%.5f' "$ratio")")
  done
  echo "$line"
done
count=$(wc -w <<<"$programs")
geo=$(printf '%-8s %12s' geomean "")
for r in ours ours_bounds node interp; do
  g=$(echo "e(${logsum[$r]} / $count)" | bc -l)
  geo+=$(printf ' %10.4f' "$g")
  record+=("engine_${r}_geomean_ratio=$(printf '%.5f' "$g")")
done
echo "$geo"
# decode + validate + lower throughput on the largest module at hand
load=$("$ours" --load-only --repeat 20 "$largest")
lns=$(field load_ns <<<"$load"); lbytes=$(field bytes <<<"$load")
mbps=$(echo "$lbytes / $lns * 1000" | bc -l)
printf 'load (decode+validate+lower) of %s: %d bytes in %d ns = %.1f MB/s\n' "$(basename "$largest")" "$lbytes" "$lns" "$mbps"
record+=("engine_load_mb_per_s=$(printf '%.2f' "$mbps")")
echo "takara = our interpreter (guard pages), takara-bc = bounds-checked build; wasm-interp: process time at n minus n=0"
tools/bench-record.py "${record[@]}"
exit $fail
