#!/usr/bin/env bash
# Where the IPC round trip's instructions go, per function: boots the test kernel with
# test=ipc_profile, or the test named by IPC_PROFILE_TEST (ipc_port_profile: the server
# waits on a port; import_profile: the cheapest import in a loop), (kernel/proc/proc_bench_ktest.c: 100, 100 and 300 round trips between
# calls of a marker) under QEMU -icount with an exec trace, and prints the difference
# between the last two runs per round trip (tools/tb-profile.py). Not part of make bench:
# the trace is a few hundred MB.
#
#   bench/ipc-profile.sh KERNEL_TEST32 KERNEL_TEST_ELF BOOT_TAR [FUNCTION...]
#
# FUNCTIONs are also broken down by block (make ipc-profile IPC_PROFILE="run_loop").
set -euo pipefail

test_kernel=$1 elf=$2 boot_tar=$3 trace=build/bench/ipc-trace.log
test=${IPC_PROFILE_TEST:-ipc_profile}
mkdir -p build/bench
rm -f "$trace"
timeout 600 qemu-system-x86_64 -accel tcg -nodefaults -display none -no-reboot -m 128M \
  -serial file:build/bench/ipc-profile.serial -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -icount shift=0,sleep=off -kernel "$test_kernel" -append "test=$test loglevel=1" \
  -initrd "$boot_tar" -d in_asm,exec,nochain -D "$trace" || true
tr -d '\r' <build/bench/ipc-profile.serial | grep -qx "PASS $test" || {
  echo "ipc-profile: the run failed (build/bench/ipc-profile.serial)" >&2
  exit 1
}
echo "instructions per 64-byte round trip ($test), by function:"
tools/tb-profile.py "$trace" "$elf" ipc_profile_mark 1 2 200 "${@:4}"
rm -f "$trace"
