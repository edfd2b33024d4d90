# Hostile family "hoard" (sourced by tests/modules/hostile.sh): one module hoards kernel
# memory every way it can (modules/hostile-hoard) against its 1 MiB limit. Each way must
# be refused with LIMIT (table.grow with -1), and so must its children's, which share its
# budget (docs/memory.md); while it holds it all, `run hello` works and
# the shell answers; once it is killed the kernel's objects, heap blocks and free memory
# (the shell's `mem`, which starts no process) are exactly what they were before.
#
# Three identical rounds: the first warms the heap's slabs and the channels' spare
# records up (its `mem` may differ), the last two must agree exactly. Pids are predictable: init 1, logd 2, kv 3, shell
# 4, then whatever the shell and the hoarder start (the hoarder, its three children, its
# marker, and each `run`: eight a round).
hoard_round() {
  hoard_script+="run hostile-hoard &"$'\r'
  hoard_script+=$'run hostile-hoard wait\r'
  hoard_script+=$'run hello\r'
  hoard_script+=$'ps\r'
  hoard_script+=$'echo still answering\r'
  hoard_script+="kill $1"$'\r'
  hoard_script+=$'run hostile-hoard gone\r'
  hoard_script+=$'mem\r'
}
hoard_script=
hoard_round 5
hoard_round 13
hoard_round 21
hoard_script+=$'poweroff 7\r'
boot hoard 240 15 "$out/system.tar" "" "$hoard_script"
hoard_status=$?
if [ $hoard_status -eq 0 ]; then
  hoard_ways=("messages" "nested messages" "channels" "ports with watches" "timers" "events"
    "memory objects" "handles")
  hoard_lines=('^\[pid 5\] killed$' '^\[pid 13\] killed$' '^\[pid 21\] killed$' '^hoard: ready$' '^hoard: gone$' '^hello from Takara$'
    '^still answering$' '^hoard: table.grow -> -1 after [1-9][0-9]* entries$'
    '^hoard: holding [0-9]+ KiB of kernel memory \(limit 1024 KiB\)$'
    '^ +[0-9]+ +4 +blocked +[0-9]+K +[0-9]+K +1M +[0-9]+ hostile-hoard$')
  for w in "${hoard_ways[@]}"; do
    hoard_lines+=("^hoard: $w -> LIMIT after [1-9][0-9]*\$" "^hoard: all: $w -> LIMIT after [0-9]+\$")
  done
  for c in 0 1 2; do
    hoard_lines+=("^hoard: child $c: parked events -> LIMIT after [0-9]+, messages -> LIMIT after [0-9]+\$")
  done
  expect hoard "${hoard_lines[@]}"
  hostile_counters_back hoard
fi
