# Hostile family `reads` (issue 21): module memory is read once. modules/hostile-reads
# rewrites a blocked child's WASI iovec (in a memory object both map) to point outside
# the child's memory, into its guard area, or past its end, in fd_read and in fd_write:
# no panic, the child's call keeps to the iovec it made, and objects, heap blocks and
# free pages come back after every run; a waiting poll_oneoff whose subscription is
# rewritten answers EINVAL. Then the shell still runs a program.
# (Sourced by tests/modules/hostile.sh.)
script=$'run hostile-reads\r'
script+=$'run hello\r'
script+=$'poweroff 7\r'
if boot reads 180 15 "$out/system.tar" "" "$script"; then
  reads_lines=()
  for p in "fd_read outside" "fd_read guard" \
    "fd_write outside" "fd_write guard" "fd_write length" "poll tag"; do
    reads_lines+=("^hostile-reads: $p x3: child exit 0 0 0, objects ([0-9]+) -> \\1, heap blocks ([0-9]+) -> \\2, free KiB ([0-9]+) -> \\3: no leak$")
  done
  expect reads "${reads_lines[@]}" '^hostile-reads: done$' '^hello from Takara$'
  # a fault the kernel took inside an import is logged: there must be none
  if grep -Eq 'kernel fault|PANIC' "$out/reads.log"; then
    echo "FAIL $layer/reads-no-kernel-fault: $(grep -Em1 'kernel fault|PANIC' "$out/reads.log")"
    fail=1
  else
    echo "PASS $layer/reads-no-kernel-fault"
  fi
fi
