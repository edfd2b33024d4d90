# Hostile family "tree" (sourced by tests/modules/hostile.sh): a process tree
# (modules/hostile-hoard, mode tree: up to 4 children a node, 3 levels below the root) in
# which every process hoards kernel memory (parked events, 64 KiB messages, memory
# objects) until refused. Budgets are hierarchical (docs/memory.md): the whole tree must
# fit its root's 1 MiB limit, so the tree stops growing (a spawn refused with LIMIT, or a
# child whose start does not fit) and every hoard stops with LIMIT, never NOMEM; while it
# holds it all, `run hello` works and the shell answers; once the root is killed the tree
# goes and the kernel's objects, heap blocks and free memory (`mem`) are exactly what
# they were.
#
# Three rounds as in hoard.sh (the first warms the heap up); `gone pad` makes the next
# root's pid a multiple of 1,000 (5, then 1000, then 2000) whatever the tree's size.
tree_round() {
  tree_script+="run hostile-hoard tree &"$'\r'
  tree_script+=$'run hostile-hoard wait\r'
  tree_script+=$'run hello\r'
  tree_script+=$'echo still answering\r'
  tree_script+="kill $1"$'\r'
  tree_script+=$'run hostile-hoard gone pad\r'
  tree_script+=$'mem\r'
}
tree_script=
tree_round 5
tree_round 1000
tree_round 2000
tree_script+=$'poweroff 7\r'
boot tree 300 15 "$out/system.tar" "" "$tree_script"
if [ $? -eq 0 ]; then
  tree_lines=('^\[pid 5\] killed$' '^\[pid 1000\] killed$' '^\[pid 2000\] killed$' '^hoard: ready$'
    '^hoard: gone$' '^still answering$'
    '^hoard: tree: [0-9]+ processes, [2-9] deep, spawn -> (LIMIT, [0-9]+|OK, [1-9][0-9]*) failed to start, 0 hoards stopped by other than LIMIT$')
  expect tree "${tree_lines[@]}"
  for what in 'hello from Takara' 'hoard: tree: ' 'still answering'; do
    if [ "$(grep -c "^$what" "$out/tree.log")" -ne 3 ]; then
      echo "FAIL $layer/tree-each-round: want '$what' in each of the three rounds (log: $out/tree.log)"
      fail=1
    fi
  done
  # a child that cannot start for want of budget is told so, not that its module is bad
  if grep -q 'no takara_abi export\|failed to start: not supported' "$out/tree.log"; then
    echo "FAIL $layer/tree-start-errors: a start refused for want of budget reported as a bad module (log: $out/tree.log)"
    fail=1
  else
    echo "PASS $layer/tree-start-errors"
  fi
  hostile_counters_back tree
fi
