#!/usr/bin/env bash
# Process costs in guest instructions (QEMU -icount shift=0: the TSC counts retired
# instructions, so the figures repeat exactly): the kernel-import call, thread and
# process switches, spawning from an already-loaded module, a WASI hello world's
# start-up next to the native one (proc_wasi_bench_ktest.c), IPC between two processes
# (call round trip, the same served from a port, one-way stream, port wake-up, 1 MiB through a memory object and
# through channel messages; kernel/proc/proc_bench_ktest.c, modules/bench and
# modules/ipcbench), and boot to the shell's prompt (the kernel logs the first console
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
ipc_port=$(get ipc_port_round_trip)
wasi_hello=$(get wasi_hello_spawn_to_exit) native_hello=$(get native_hello_spawn_to_exit)
stream=$(get stream_message) wakeup=$(get port_wakeup)
bulk_mem=$(get bulk_memory_per_mib) bulk_chan=$(get bulk_channel_per_mib)
if [ -z "$import" ] || [ -z "$spawn_exit" ] || [ -z "$proc" ] || [ -z "$ipc" ] || [ -z "$ipc_port" ] ||
  [ -z "$stream" ] || [ -z "$wakeup" ] || [ -z "$bulk_mem" ] || [ -z "$bulk_chan" ]; then
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
printf '%-40s %14s %14s\n' "IPC round trip (64 B, two processes)" "$ipc" "<= 1000"
printf 'for scale: seL4 IPC call+reply 375-590 cycles; a bare syscall round trip ~99\n'
printf '%-40s %14s\n' "  the server waiting on a port" "$ipc_port"
# per million instructions: 64-byte messages, and MB (10^6 bytes) of 1 MiB rounds
stream_rate=$((1000000 / stream))
mem_rate=$(awk -v i="$bulk_mem" 'BEGIN { printf "%.3f", 1048576 / i }')
chan_rate=$(awk -v i="$bulk_chan" 'BEGIN { printf "%.3f", 1048576 / i }')
printf '%-40s %14s\n' "IPC one way, 64 B (instructions/msg)" "$stream"
printf '%-40s %14s\n' "  messages per million instructions" "$stream_rate"
printf '%-40s %14s\n' "port wake-up (signal to waiter running)" "$wakeup"
printf '%-40s %14s\n' "bulk via memory object (instr/MiB)" "$bulk_mem"
printf '%-40s %14s\n' "  MB per million instructions" "$mem_rate"
printf '%-40s %14s\n' "bulk via 64 KiB messages (instr/MiB)" "$bulk_chan"
printf '%-40s %14s\n' "  MB per million instructions" "$chan_rate"
printf 'bulk: 1 MiB written and checksummed by the interpreter each round (both ways)\n'
tools/bench-record.py import_call_instructions="$import" thread_switch_instructions="$thread" \
  process_switch_instructions="$proc" spawn_call_instructions="$spawn" \
  spawn_to_exit_instructions="$spawn_exit" boot_to_prompt_instructions="${prompt:-0}" \
  ipc_round_trip_instructions="$ipc" ipc_port_round_trip_instructions="$ipc_port" wasi_hello_spawn_to_exit_instructions="${wasi_hello:-0}" \
  native_hello_spawn_to_exit_instructions="${native_hello:-0}" \
  ipc_stream_message_instructions="$stream" \
  ipc_stream_messages_per_million_instructions="$stream_rate" \
  port_wakeup_instructions="$wakeup" bulk_memory_object_instructions_per_mib="$bulk_mem" \
  bulk_memory_object_mb_per_million_instructions="$mem_rate" \
  bulk_channel_instructions_per_mib="$bulk_chan" \
  bulk_channel_mb_per_million_instructions="$chan_rate"
