# Hostile family `orphans` (sourced by tests/modules/hostile.sh; module
# modules/hostile-orphans): processes that outlive their parent. init ends them by the
# shell's manifest policy (the default, `end`), or adopts them (`orphans = adopt`); the
# shell ends what it started through the process handle it keeps. After each probe the
# kernel's counters come back (the probe's own check), and the shell still runs hello.

# The fork bomb's root is the first program the shell runs: pid 5 (logd 2, kv 3, shell 4).
script=$'mem\r'
script+=$'run -m 8M hostile-orphans bomb 4 &\r' # a tree shares its root's budget: room for 31
script+=$'run hostile-orphans grown orphan-bomb 30\r' # 2^5 - 1 in all: the root and 30
script+=$'kill 5\r'
script+=$'run hostile-orphans settle orphan-bomb\r'
script+=$'run hostile-orphans pair\r'
script+=$'run hostile-orphans settle orphan-spin\r'
script+=$'run -m 16M hostile-orphans probe pair\r' # its warm-up: 80 children, in its budget
script+=$'run -m 32M hostile-orphans probe bomb 6\r' # 127 processes a round (and 80)
script+=$'ps\r'
script+=$'run hello\r'
script+=$'mem\r'
script+=$'poweroff 9\r'
# The timeout is host time, a safety net only: the run is counted in instructions (-icount),
# and on a loaded machine this boot takes minutes.
boot orphans 420 19 "$out/system.tar" "" "$script"
expect orphans '^\[pid 5\]$' '^hostile-orphans: 30 orphan-bomb running$' '^\[pid 5\] killed$' \
  "^init: orphan [0-9]+ 'orphan-bomb' of shell: ended$" '^hostile-orphans: no orphan-bomb left$' \
  '^hostile-orphans: pair started [0-9]+ [0-9]+$' "^init: orphan [0-9]+ 'orphan-spin' of shell: ended$" \
  '^hostile-orphans: no orphan-spin left$' \
  '^hostile-orphans: pair x2: 4 processes ended; .*: no leak$' \
  '^hostile-orphans: bomb x2: 254 processes ended; .*: no leak$' \
  "proc: [0-9]+ 'orphan-spin' orphaned by [0-9]+: ended \\(the reaper's queue is full\\)" \
  '^hello from Takara$' "poweroff requested by process 4 'shell' \(code 9\)"
if grep -Eq 'PANIC|LEAK|still running|probe failed|bomb grew to' "$out/orphans.log"; then
  echo "FAIL $layer/orphans-clean: a panic, a leak or a survivor (log: $out/orphans.log)"
  fail=1
else
  echo "PASS $layer/orphans-clean"
fi

# `orphans = adopt` for the shell: init keeps them, under it (ppid 1), holding their handles.
sed 's/^uses     = logd kv .*/&\norphans  = adopt/' modules/manifest > "$out/adopt.manifest"
"$mkimage" -o "$out/adopt.tar" -m "$out/adopt.manifest" "$@" || fail=1
script=$'run hostile-orphans pair\r'
script+=$'run hostile-orphans grown orphan-spin 2\r'
script+=$'ps\r'
script+=$'poweroff 9\r'
boot orphans-adopt 60 19 "$out/adopt.tar" "" "$script"
expect orphans-adopt "^init: orphan [0-9]+ 'orphan-spin' of shell: adopted$" \
  '^hostile-orphans: 2 orphan-spin running$' '^ +[0-9]+ +1 +running .* orphan-spin$'
