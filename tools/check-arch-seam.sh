#!/usr/bin/env bash
# The arch seam (arch/arch.h, docs/architecture.md), checked on include lines both ways:
#  - portable code (kernel/, lib/, wasm/) includes nothing under arch/ but arch/arch.h;
#  - arch/arch.h includes only arch/NAME/arch_inline.h (the one header per machine);
#  - arch/NAME/ includes only arch/arch.h, its own arch/NAME/ headers, lib/, system and
#    <takara/...> headers, and of the kernel kernel/arch_hooks.h alone (its *_ktest.c
#    files kernel/ktest/ktest.h too);
#  - kernel/arch_hooks.h includes only the kernel headers listed in HOOKS_MAY_INCLUDE.
# One PASS or FAIL line per rule; every offending include is named. An optional
# argument is the tree to check (default: this one).
set -uo pipefail
root=${1:-.}
cd "$root" || exit 1

HOOKS_MAY_INCLUDE="kernel/boot.h kernel/clock.h kernel/cmdline.h kernel/ksyms.h kernel/log.h
kernel/main.h kernel/panic.h"

# "file:line:path" for every #include in the given files (quoted or angled).
includes() {
  [ $# -eq 0 ] && return
  grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<][^">]+[">]' "$@" |
    sed -E 's/^([^:]+):([0-9]+):[^"<]*["<]([^">]+)[">].*/\1:\2:\3/'
}

fails=0
report() { # rule, offending lines
  if [ -n "$2" ]; then
    echo "$2" | sed "s/^/  /"
    echo "FAIL arch-seam/$1: $(echo "$2" | wc -l) include(s) cross the seam"
    fails=$((fails + 1))
  else
    echo "PASS arch-seam/$1"
  fi
}

mapfile -t portable < <(git ls-files --cached --others --exclude-standard -- \
  'kernel/*.[chS]' 'lib/*.[chS]' 'wasm/*.[chS]')
bad=$(includes "${portable[@]}" | awk -F: '$3 ~ /^(\.\.\/)*arch\// && $3 != "arch/arch.h"')
report portable_includes_only_arch_h "$bad"

machines=$(git ls-files --cached --others --exclude-standard -- 'arch/*/*' |
  cut -d/ -f2 | sort -u)
bad=$(includes arch/arch.h | awk -F: -v m="$(echo $machines)" '
  BEGIN { n = split(m, ms, " "); for (i = 1; i <= n; i++) ok["arch/" ms[i] "/arch_inline.h"] = 1 }
  $3 ~ /\// && !($3 in ok)')
report arch_h_includes_one_machine_header "$bad"

bad=""
for m in $machines; do
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- "arch/$m/*.[chS]")
  b=$(includes "${files[@]}" | awk -F: -v m="$m" '
    { f = $1; p = $3 }
    p !~ /\// || p ~ /^takara\// || p ~ /^lib\// { next }   # system, ABI and lib headers
    p == "arch/arch.h" || index(p, "arch/" m "/") == 1 { next }
    p == "kernel/arch_hooks.h" { next }
    p == "kernel/ktest/ktest.h" && f ~ /_ktest\.c$/ { next }
    { print }')
  [ -n "$b" ] && bad+="${bad:+$'\n'}$b"
done
report arch_includes_only_arch_hooks "$bad"

[ -f kernel/arch_hooks.h ] || { echo "FAIL arch-seam/arch_hooks_h_stays_small: no kernel/arch_hooks.h"; exit 1; }
bad=$(includes kernel/arch_hooks.h | awk -F: -v ok="$(echo $HOOKS_MAY_INCLUDE)" '
  BEGIN { n = split(ok, a, " "); for (i = 1; i <= n; i++) allowed[a[i]] = 1 }
  $3 ~ /\// && !($3 in allowed)')
report arch_hooks_h_stays_small "$bad"

[ "$fails" -eq 0 ]
