#!/usr/bin/env bash
# Instruction counts of the engine benchmarks under callgrind: each program's run(N) natively
# (gcc -O2) and in our interpreter (guard mode), counting only run() and run_loop(), and
# the ratio native/ours with its geometric mean. Unlike wall-clock time on this shared
# machine, the counts repeat exactly from run to run.
#
#   bench/engine-callgrind.sh OUTDIR [N] [PROGRAM...]     (N defaults to 2)
#
# Valgrind cannot read clang 19's default DWARF 5, so the interpreter is rebuilt with
# -gdwarf-4 under OUTDIR/build (same -O2 flags otherwise).
set -uo pipefail

out=$1 n=${2:-2}
shift $(( $# >= 2 ? 2 : $# ))
programs=${*:-crc32 sha256 matmul sieve nbody qsort lz vm}
wasmld=/usr/lib/llvm-19/bin/wasm-ld
mkdir -p "$out"
make -s BUILD="$out/build" \
  HOST_CFLAGS="-std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -O2 -gdwarf-4 -D_GNU_SOURCE -Iinclude -I." \
  "$out/build/host/takara-wasm" >/dev/null || exit 1
count() { # function command... -> instructions executed inside function
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="$1" "${@:2}" 2>&1 >/dev/null |
    sed -nE 's/.*Collected : ([0-9]+).*/\1/p'
}
logsum=0
printf '%-8s %12s %12s %8s   (run(%d), ratio native/ours)\n' program native ours ratio "$n"
for p in $programs; do
  gcc -O2 -fno-math-errno -o "$out/$p" "bench/programs/$p.c" bench/native-main.c -lm || exit 1
  clang-19 --target=wasm32 -O2 -nostdlib -fuse-ld=$wasmld -Wl,--no-entry \
    -o "$out/$p.wasm" "bench/programs/$p.c" bench/programs/libc.c || exit 1
  nat=$(count run "$out/$p" "$n")
  ours=$(count run_loop "$out/build/host/takara-wasm" "$out/$p.wasm" --invoke run "$n")
  [ -n "$nat" ] && [ -n "$ours" ] || { echo "FAIL callgrind $p: no count"; exit 1; }
  ratio=$(echo "$nat / $ours" | bc -l)
  logsum=$(echo "$logsum + l($ratio)" | bc -l)
  printf '%-8s %12d %12d %8.4f\n' "$p" "$nat" "$ours" "$ratio"
done
printf '%-8s %12s %12s %8.4f\n' geomean "" "" "$(echo "e($logsum / $(wc -w <<<"$programs"))" | bc -l)"
