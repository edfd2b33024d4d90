# Probe family `chains` (sourced by tests/modules/hostile.sh): structures of any depth
# built from a module (modules/hostile-chains): channels nested in channels' queues
# (top-down and bottom-up), chains of ports ending in an event and in a timer (the
# ports parked in channel messages), endpoints sent into their own queues and cycles
# through channels, each at depths 10, 1,000 and 100,000, and each also left to the
# kernel by a child that ends holding it. Nothing may panic; each probe reports the
# kernel's counters back exactly (its own check), `run hello` answers after each, and
# the shell's `mem` shows the same heap blocks and objects before and after them all.
chains_probes="nest nest-up ports-event ports-timer self cycle"
# warm-up: the shell, logd and the heap settle (a spare message record or two)
script=$'run hello\r'
script+=$'run hostile-chains nest 10\r'
for i in 1 2 3 4 5 6; do script+=$'run hello\r'; done
script+=$'mem\r'
nchains=0
for depth in 10 1000 100000; do
  for probe in $chains_probes; do
    script+="run hostile-chains $probe $depth"$'\r'
    script+=$'run hello\r'
    nchains=$((nchains + 1))
  done
done
for probe in $chains_probes; do
  script+="run hostile-chains exit-$probe 1000"$'\r'
  nchains=$((nchains + 1))
done
script+=$'run hello\r'
script+=$'mem\r'
script+=$'poweroff 7\r'
if boot chains 300 15 "$out/system.tar" "" "$script"; then
  pats=()
  for depth in 10 1000 100000; do
    for probe in $chains_probes; do
      pats+=("^hostile-chains: $probe $depth: built [0-9]+, .*: ok\$")
    done
  done
  for probe in $chains_probes; do
    pats+=("^hostile-chains: exit-$probe 1000: built 1000, child ended holding it; .*: ok\$")
  done
  expect chains "${pats[@]}"
  # every probe answered, and hello after each: the kernel never stopped
  got=$(($(grep -c '^hostile-chains: .*: ok$' "$out/chains.log") - 1)) # less the warm-up
  hellos=$(grep -c '^hello from Takara$' "$out/chains.log")
  if [ "$got" -ne "$nchains" ] || [ "$hellos" -ne $((nchains - 6 + 8)) ]; then
    echo "FAIL $layer/chains-count: $got of $nchains probes ok, $hellos hellos (log: $out/chains.log)"
    fail=1
  else
    echo "PASS $layer/chains-count"
  fi
  # the shell's view: the same heap blocks and objects before and after every probe
  mems=$(grep -Eo '^kernel: heap [0-9]+ KiB in [0-9]+ blocks, [0-9]+ objects' "$out/chains.log" |
    sed -E 's/^kernel: heap [0-9]+ KiB in //')
  if [ "$(echo "$mems" | wc -l)" -ne 2 ] || [ "$(echo "$mems" | sort -u | wc -l)" -ne 1 ]; then
    echo "FAIL $layer/chains-mem: kernel counters before and after: $(echo $mems) (log: $out/chains.log)"
    fail=1
  else
    echo "PASS $layer/chains-mem"
  fi
fi
