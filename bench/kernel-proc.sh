#!/usr/bin/env bash
# Process costs in guest instructions (QEMU -icount shift=0: the TSC counts retired
# instructions, so the figures repeat exactly): the kernel-import call, thread and
# process switches, spawning from an already-loaded module (kernel/proc/
# proc_bench_ktest.c), a WASI hello world's start-up next to the native one
# (proc_wasi_bench_ktest.c), and boot to the shell's prompt (the kernel logs the first console
# read after boot, which the shell makes once its prompt is out).
#
#   bench/kernel-proc.sh KERNEL_TEST32 KERNEL32 BOOT_TAR
set -euo pipefail

test_kernel=$1 kernel=$2 boot_tar=$3
log=$(tools/qemu-run.sh -i -t 120 "$test_kernel" "test=bench_proc,bench_wasi loglevel=1" "$boot_tar" |
  tr -d '\r' || true)
get() { sed -nE "s/^bench: $1 ([0-9]+)$/\1/p" <<<"$log"; }
import=$(get import_call) thread=$(get thread_switch) proc=$(get process_switch)
spawn=$(get spawn_call) spawn_exit=$(get spawn_to_exit) ipc=$(get ipc_round_trip)
wasi_hello=$(get wasi_hello_spawn_to_exit) native_hello=$(get native_hello_spawn_to_exit)
if [ -z "$import" ] || [ -z "$spawn_exit" ] || [ -z "$proc" ]; then
  echo "bench-proc: the benchmark did not report (log follows)" >&2
  tail -20 <<<"$log" >&2
  exit 1
fi
mkdir -p build/bench
echo "poweroff 16" > build/bench/poweroff.in
prompt=$({ tools/qemu-run.sh -i -t 60 -I build/bench/poweroff.in "$kernel" "loglevel=3" "$boot_tar" || true; } | tr -d '\r' |
  sed -nE 's/.*console: first input wait ([0-9]+) TSC cycles after entry.*/\1/p' | head -1)

printf '%-40s %14s %14s\n' "process metric (instructions)" "value" "target"
printf '%-40s %14s %14s\n' "kernel-import call (no-op import)" "$import" "<= 50"
printf '%-40s %14s %14s\n' "thread switch (yield between threads)" "$thread" ""
printf '%-40s %14s %14s\n' "process switch (yield import, 2 procs)" "$proc" ""
printf '%-40s %14s %14s\n' "spawn, loaded module (proc_spawn call)" "$spawn" "<= 100000"
printf '%-40s %14s %14s\n' "spawn to reaped exit (empty main)" "$spawn_exit" ""
printf '%-40s %14s %14s\n' "WASI hello (wasi-libc) spawn to exit" "${wasi_hello:-?}" ""
printf '%-40s %14s %14s\n' "native hello (C SDK) spawn to exit" "${native_hello:-?}" ""
printf '%-40s %14s %14s\n' "boot to shell prompt" "${prompt:-?}" "<= 20000000"
printf '%-40s %14s %14s\n' "IPC round trip (64 B, two processes)" "${ipc:-?}" "<= 1000"
printf 'for scale: seL4 IPC call+reply 375-590 cycles; a bare syscall round trip ~99\n'
tools/bench-record.py import_call_instructions="$import" thread_switch_instructions="$thread" \
  process_switch_instructions="$proc" spawn_call_instructions="$spawn" \
  spawn_to_exit_instructions="$spawn_exit" boot_to_prompt_instructions="${prompt:-0}" \
  ipc_round_trip_instructions="${ipc:-0}" wasi_hello_spawn_to_exit_instructions="${wasi_hello:-0}" \
  native_hello_spawn_to_exit_instructions="${native_hello:-0}"
