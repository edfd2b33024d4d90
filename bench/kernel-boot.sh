#!/usr/bin/env bash
# Kernel boot costs, counted in guest instructions: QEMU runs with -icount shift=0, so the
# TSC the kernel reads at entry and at "ready" counts retired instructions and two runs
# agree exactly. Also the image's section sizes and the RAM in use after boot.
#
#   bench/kernel-boot.sh KERNEL.elf KERNEL32.elf
set -euo pipefail

elf=$1 elf32=$2
run() { { tools/qemu-run.sh -i -t 60 "$elf32" "bench=boot loglevel=2" || true; } | tr -d '\r' | grep 'ready:'; }
line1=$(run) line2=$(run)
insns=$(sed -E 's/.*ready: ([0-9]+) TSC cycles.*/\1/' <<<"$line1")
insns2=$(sed -E 's/.*ready: ([0-9]+) TSC cycles.*/\1/' <<<"$line2")
image_kib=$(sed -E 's/.*image ([0-9]+) KiB.*/\1/' <<<"$line1")
alloc_kib=$(sed -E 's/.* \+ ([0-9]+) KiB allocated.*/\1/' <<<"$line1")
read -r text data bss _ < <(llvm-size-14 "$elf" | tail -1)
file_bytes=$(stat -c %s "$elf")

printf '%-34s %14s %14s\n' "kernel metric" "value" "target"
printf '%-34s %14s %14s\n' "boot instructions (entry to ready)" "$insns" "<= 10000000"
printf '%-34s %14s %14s\n' "  second run (reproducibility)" "$insns2" "same"
printf '%-34s %14s %14s\n' "image text bytes" "$text" ""
printf '%-34s %14s %14s\n' "image data bytes" "$data" ""
printf '%-34s %14s %14s\n' "image bss bytes" "$bss" ""
printf '%-34s %14s %14s\n' "image loaded bytes (text+data)" "$((text + data))" "< 262144"
printf '%-34s %14s %14s\n' "image file bytes (ELF64, with -g)" "$file_bytes" ""
printf '%-34s %14s %14s\n' "RAM after boot: image KiB" "$image_kib" ""
printf '%-34s %14s %14s\n' "RAM after boot: allocated KiB" "$alloc_kib" ""
tools/bench-record.py boot_instructions="$insns" kernel_text_bytes="$text" \
  kernel_data_bytes="$data" kernel_bss_bytes="$bss" kernel_file_bytes="$file_bytes" \
  kernel_loaded_bytes="$((text + data))" \
  boot_ram_image_kib="$image_kib" boot_ram_allocated_kib="$alloc_kib"
[ "$insns" = "$insns2" ] || echo "note: instruction counts differ between runs"
