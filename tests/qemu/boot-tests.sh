#!/usr/bin/env bash
# QEMU tests of the real kernel. Each scenario boots the test image, relays the kernel's
# own PASS/FAIL lines, and adds one verdict line of its own: the exit code QEMU reports
# (isa-debug-exit: 33 pass, 35 fail, 37 panic; 124 timeout) and, for the deliberate
# faults, the panic report checked line by line.
#
#   tests/qemu/boot-tests.sh KERNEL_TEST32 ISO KERNEL_TEST_BOUNDS32 SPEC_TAR BOOT_TAR
set -uo pipefail

kernel=$1 iso=$2 kernel_bounds=$3 spec_tar=$4 boot_tar=$5
out=build/test/qemu
. tests/qemu/lib.sh
mkdir -p "$out"

# scenario NAME EXPECTED_STATUS QEMU-RUN-ARGS...: boots, keeps the log in $out/NAME.log
scenario() {
  local name=$1 want=$2 status
  shift 2
  tools/qemu-run.sh "$@" 2>&1 | tr -d '\r' > "$out/$name.log"
  status=${PIPESTATUS[0]}
  grep -E '^(PASS|FAIL) ' "$out/$name.log" | sed "s/^\(PASS\|FAIL\) /\1 $name\//"
  if [ "$status" -ne "$want" ]; then
    echo "FAIL qemu/$name: QEMU exit status $status, want $want (log: $out/$name.log)"
    tail -n 15 "$out/$name.log" | sed 's/^/    /'
    return 1
  fi
  echo "PASS qemu/$name"
}

# expect NAME PATTERN...: every extended regex must match a line of NAME's log
expect() {
  local name=$1
  shift
  expect_lines "qemu/$name-report" "$out/$name.log" "$@"
}

# The in-kernel tests run under -icount (tools/qemu-run.sh -i): their timers, sleeps and
# CPU shares are then counted in instructions, so a loaded host (whose delays would
# otherwise pass as guest time, TCG's clock following the host's) cannot break a
# deadline such as "the timer has not fired 10 ms in" or "the sleeper woke on time
# despite two spinners".
scenario all 33 -t 300 -i "$kernel" "test=all heap=debug loglevel=2" "$boot_tar"
expect all "assistant: grow stopped at 4 pages" \
  "proc: [0-9]+ 'assistant' \(assistant.wasm\) trapped: integer divide by zero in function [0-9]+ <[a-z_0-9]+> at offset 0x[0-9a-f]+" \
  "proc: [0-9]+ 'assistant' \(assistant.wasm\) trapped: call stack exhausted" \
  "proc: [0-9]+ 'spin' \(spin.wasm\) killed"
# the device objects from a module (kernel/proc/device_proc_ktest.c, modules/devcheck):
# what it wrote straight to COM1's registers is on the serial log; what it was refused,
# granted only COM2's ports, is not; the RTC's periodic interrupt reached its IRQ object
expect_lines qemu/all-devices "$out/all.log" '^devcheck: straight to COM1 through ioport 0x3f8$' '^devcheck: com1-write -> OK$' \
  '^devcheck: com2: 26 of 26 writes to 0x3f8 refused$' '^devcheck: com2-read-0x3fd -> ACCESS$' \
  '^devcheck: com2-straddling-0x2ff -> ACCESS$' '^devcheck: com2-size-3 -> INVAL$' \
  '^devcheck: com2-own-0x2f9 -> OK$' '^devcheck: rtc-irq-9-outside -> ACCESS$' \
  '^devcheck: rtc-irq-create -> OK$' '^devcheck: rtc-irq-again -> BUSY$' \
  '^devcheck: rtc: 5 packets and 3 waits on line 8, vector 0x38, count at least 8: yes$' \
  "^devcheck: child says 'bound'$" '^devcheck: release-while-held -> BUSY$' \
  '^devcheck: release-kill -> OK$' '^devcheck: release-after-kill -> OK$' \
  '^devcheck: mmio-outside -> ACCESS$' '^devcheck: mmio-unaligned -> RANGE$' \
  '^devcheck: mmio-ram -> ACCESS$' '^devcheck: mmio-map -> OK$' '^devcheck: hpet vendor 0x8086$' \
  '^devcheck: mmio-unmap -> OK$' '^devcheck: dma-too-big -> ACCESS$' \
  '^devcheck: dma size 8192, bus address page-aligned and nonzero: yes$' \
  '^devcheck: dma zeroed yes, kept what was written yes$' '^devcheck: forged-ioport -> BAD_HANDLE$' \
  '^devcheck: closed-ioport -> BAD_HANDLE$' '^devcheck: event-as-resource -> WRONG_TYPE$' \
  '^devcheck: irq-resource-as-ioport -> ACCESS$' '^devcheck: forged-dma-info -> BAD_HANDLE$' \
  '^devcheck: readonly-out -> DENIED$' '^devcheck: readonly-in -> OK$' \
  '^devcheck: readonly-irq-create -> DENIED$'
if grep -q 'LEAKED' "$out/all.log"; then
  echo "FAIL qemu/all-devices-refused-ports: bytes refused to devcheck reached COM1 (log: $out/all.log)"
else
  echo "PASS qemu/all-devices-refused-ports"
fi

# the same with the engine checking bounds (linear memories in heap blocks, as on a
# target without an MMU): processes and IPC alike, memory objects refused (UNSUPPORTED)
scenario all-bounds 33 -t 300 -i "$kernel_bounds" "test=all heap=debug loglevel=2" "$boot_tar"
expect all-bounds "^PASS proc_memory_map_follows_the_memory_mode$" '^devcheck: mmio-map -> UNSUPPORTED$' \
  '^devcheck: dma-map -> UNSUPPORTED$' '^PASS device_module_dma_buffer$' '^PASS device_module_maps_mmio_never_ram$'

printf 'mod-a.txt\nfirst module\n' > "$out/mod-a.txt"
printf 'second.bin\n\x00\x01\x02' > "$out/second.bin"
scenario modules 33 -t 60 -i "$kernel" "test=boot_modules_by_name" "$out/mod-a.txt" "$out/second.bin"
expect modules "boot: module 'mod-a.txt' at 0x[0-9a-f]+, 23 bytes" \
  "boot: module 'second.bin' at 0x[0-9a-f]+, 14 bytes"

scenario mem32m 33 -t 300 -i -m 32M "$kernel" "test=all loglevel=2" "$boot_tar"
expect mem32m "mm: (2[0-9]|3[01]) MiB usable" "ready:"

scenario hostile-map 33 -t 300 -i "$kernel" "test=all mmap=hostile loglevel=2" "$boot_tar"
expect hostile-map "ignoring memory map entry .*: zero length" \
  "ignoring memory map entry .*: base \+ length overflows" \
  "ignoring memory map entry .*: beyond the 52-bit physical address space" \
  "^PASS boot_hostile_map_survived"

scenario panic-pagefault 37 -t 60 "$kernel" "test=panic_pagefault panic=exit"
expect panic-pagefault '^PANIC: page fault \(vector 14, error 0x2\)$' \
  '^rip 0xffffffff8[0-9a-f]+ <ktest_fn_panic_pagefault\+0x[0-9a-f]+>$' \
  '^cr2 0x000000000dead000 ' '^rax 0x[0-9a-f]{16}  rbx 0x[0-9a-f]{16}  rcx 0x[0-9a-f]{16}$' \
  '^r15 0x[0-9a-f]{16}  cs 0x8  ss 0x10$' '^  #0  0x[0-9a-f]+ <ktest_fn_panic_pagefault\+' \
  '^  #[1-9] +0x[0-9a-f]+ <kernel_main\+' '^end of panic report$'

scenario panic-divide 37 -t 60 "$kernel" "test=panic_divide panic=exit"
expect panic-divide '^PANIC: divide error \(vector 0, error 0x0\)$' \
  '^rip 0x[0-9a-f]+ <ktest_fn_panic_divide\+' '^  #0  0x[0-9a-f]+ <ktest_fn_panic_divide\+'

scenario panic-write-text 37 -t 60 "$kernel" "test=panic_write_text panic=exit"
expect panic-write-text '^PANIC: page fault \(vector 14, error 0x3\)$' \
  '^rip 0x[0-9a-f]+ <ktest_fn_panic_write_text\+' '^cr2 0xffffffff80[0-9a-f]{3}000 '

scenario panic-stack-overflow 37 -t 60 "$kernel" "test=panic_stack_overflow panic=exit"
expect panic-stack-overflow '^PANIC: double fault \(vector 8, error 0x0\)$' \
  '^rip 0x[0-9a-f]+ <overflow_depth\+' '^cr2 0xffffc[0-9a-f]+ '

scenario heap-double-free 37 -t 60 "$kernel" "test=heap_double_free panic=exit"
expect heap-double-free '^PANIC: heap: double free \(0x[0-9a-f]+\)$' \
  '^  #[0-9] +0x[0-9a-f]+ <ktest_fn_heap_double_free\+'

# the official spec suites (wasm-2.0 and every proposal's directory in the tar) run by the
# engine inside the kernel, in both memory modes
spec_suites=$(tar -tf "$spec_tar" | sed -n 's#^\([^/]*\)/.*\.json$#\1#p' | sort -u)
scenario spec-kernel-guard 33 -t 600 -m 512M "$kernel" "test=wasm_spec loglevel=2" "$spec_tar"
scenario spec-kernel-bounds 33 -t 600 -m 512M "$kernel_bounds" "test=wasm_spec loglevel=2" \
  "$spec_tar"
for mode in guard bounds; do
  pats=()
  for s in $spec_suites; do pats+=("^spec $s \\[interp, $mode, kernel\\]: [0-9]+ passed, 0 failed"); done
  expect spec-kernel-$mode "${pats[@]}"
done
grep -h '^spec ' "$out"/spec-kernel-*.log

# GRUB, Multiboot2, ELF64: the path real machines take (test=all again: -icount too)
timeout --foreground -k 5 60 qemu-system-x86_64 -accel tcg -nodefaults -display none \
  -no-reboot -m 128M -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -icount shift=0,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -cdrom "$iso" </dev/null 2>&1 | tr -d '\r' > "$out/grub.log"
status=${PIPESTATUS[0]}
grep -E '^(PASS|FAIL) ' "$out/grub.log" | sed 's/^\(PASS\|FAIL\) /\1 grub\//'
if [ "$status" -eq 33 ] && grep -q "command line 'test=all" "$out/grub.log" &&
  grep -q "^PASS boot_modules_by_name" "$out/grub.log" &&
  grep -q "boot: module 'grub-mod.txt'" "$out/grub.log"; then
  echo "PASS qemu/grub-multiboot2"
else
  echo "FAIL qemu/grub-multiboot2: exit status $status (log: $out/grub.log)"
fi
exit 0
