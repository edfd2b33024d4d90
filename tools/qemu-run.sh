#!/usr/bin/env bash
# Boots a kernel image in QEMU for tests: serial on stdout, no display, the isa-debug-exit
# device for the verdict, everything inside `timeout`.
#
#   tools/qemu-run.sh [-t SECONDS] [-m MEM] [-i] [-I INPUT] KERNEL32.elf "CMDLINE" [MODULE...]
#
#   -i   count instructions (-icount shift=0,sleep=off, VM-clocked RTC): rdtsc then
#        returns retired instructions and runs are reproducible.
#   -I   the serial console's input comes from file INPUT (what a person would type).
# Exit status: QEMU's ((code << 1) | 1) from isa-debug-exit, 124 on timeout.
set -uo pipefail

secs=60 mem=128M icount=() input=/dev/null
while getopts "t:m:iI:" opt; do
  case $opt in
    t) secs=$OPTARG ;;
    m) mem=$OPTARG ;;
    i) icount=(-icount shift=0,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm) ;;
    I) input=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
kernel=$1 cmdline=$2
shift 2
initrd=()
if [ $# -gt 0 ]; then
  mods=$(IFS=,; echo "$*")
  initrd=(-initrd "$mods")
fi
exec timeout --foreground -k 5 "$secs" qemu-system-x86_64 -accel tcg -nodefaults -display none \
  -no-reboot -m "$mem" -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  "${icount[@]}" -kernel "$kernel" -append "$cmdline" "${initrd[@]}" <"$input"
