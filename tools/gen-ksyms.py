#!/usr/bin/env python3
"""Emits the kernel symbol table (.ksyms, see kernel/ksyms.c) as assembly.

usage: gen-ksyms.py NM_OUTPUT OUT.S   (NM_OUTPUT: `llvm-nm -n --defined-only` of the
first link pass; an empty input gives an empty table, for that first pass)."""
import sys

syms = []
with open(sys.argv[1]) as f:
    for line in f:
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT" and not parts[2].startswith(".L"):
            syms.append((int(parts[0], 16), parts[2]))
syms.sort()

out = ['    .section .ksyms, "a"', "    .balign 8", "    .globl ksyms_table", "ksyms_table:",
       f"    .quad {len(syms)}"]
off = 0
for addr, name in syms:
    out.append(f"    .quad {addr:#x}, {off}")
    off += len(name) + 1
for _, name in syms:
    out.append(f'    .asciz "{name}"')
out.append('    .section .note.GNU-stack, "", @progbits')
with open(sys.argv[2], "w") as f:
    f.write("\n".join(out) + "\n")
