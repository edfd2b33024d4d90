# Hostile family `console` (sourced by tests/modules/hostile.sh; module
# modules/hostile-console): one 960 KiB console_write while a second process stamps the
# clock every tick. The write must not stop the machine: the ticker runs during it. The
# kernel's counters come back (the module's own check, after a 16 KiB warm-up round),
# and the shell still runs hello.
script=$'run -m 2M hostile-console flood 960\r'
script+=$'run hello\r'
script+=$'mem\r'
script+=$'poweroff 9\r'
# Host time drives this boot's clock (not -icount): under -icount the serial port takes
# no time at all, so the write would end within two ticks and prove nothing.
icount= boot console 180 19 "$out/system.tar" "" "$script"
expect console '^hostile-console: wrote 983040 of 983040 bytes in [0-9]+ ms; the ticker ran [0-9]+ times meanwhile: ticks kept running$' \
  '^hostile-console: objects [0-9]+ -> [0-9]+, heap blocks [0-9]+ -> [0-9]+, free KiB [0-9]+ -> [0-9]+: no leak$' \
  '^hello from Takara$' "poweroff requested by process 4 'shell' \(code 9\)"
