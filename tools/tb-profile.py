#!/usr/bin/env python3
"""Instructions executed per function, from a QEMU exec trace (-d in_asm,exec,nochain).

Usage: tools/tb-profile.py TRACE.log KERNEL.elf MARKER A B DIVISOR [FUNCTION...]

Each translated block's instruction count comes from its `IN:` listing; each `Trace` line
is one execution of a block, counted for the function its first instruction is in. Calls
of the function MARKER split the run into segments 0, 1, ...; the figures printed are
(segment B - segment A) / DIVISOR per function, largest first — e.g. the difference
between a run of 300 round trips and one of 100, divided by 200. (A block that ends
early, at an interrupt or fault, is counted whole: such events are rare here.) With
FUNCTION names, those functions' figures are also broken down by block address, to read
next to `objdump -d`.
"""
import bisect
import collections
import re
import subprocess
import sys


def symbols(elf):
    out = subprocess.run(["nm", "-n", elf], check=True, capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def main(trace, elf, marker, a, b, divisor, detail=()):
    syms = symbols(elf)
    addrs = [s[0] for s in syms]
    mark = next(addr for addr, name in syms if name == marker)
    insn = re.compile(r"^(0x[0-9a-f]+):")
    blocks, names, segments = {}, {}, [collections.Counter()]
    pending, listing, start, count = None, False, None, 0
    with open(trace, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                listing, start, count = True, None, 0
                continue
            if listing:
                m = insn.match(line)
                if m:
                    start = start if start is not None else int(m.group(1), 16)
                    count += 1
                elif start is not None and (not line.strip() or line.startswith("---")):
                    pending, listing = (start, count), False
                continue
            if not line.startswith("Trace"):
                continue
            fields = line.split()
            host, pc = fields[2], int(fields[3].split("/")[1], 16)
            if pending and pending[0] == pc:  # the first run of the block just listed
                blocks[host], pending = pending[1], None
            if host not in blocks:
                continue
            if pc == mark:
                segments.append(collections.Counter())
            if pc not in names:
                i = bisect.bisect_right(addrs, pc) - 1
                names[pc] = syms[i][1] if i >= 0 else "?"
            segments[-1][names[pc]] += blocks[host]
            if names[pc] in detail:
                segments[-1][(names[pc], pc)] += blocks[host]
    sa, sb = segments[a], segments[b]
    diff = {k: (sb[k] - sa[k]) / divisor for k in set(sa) | set(sb)}
    funcs = {k: v for k, v in diff.items() if isinstance(k, str)}
    print(f"{sum(funcs.values()):10.1f}  total")
    for name, v in sorted(funcs.items(), key=lambda kv: -kv[1]):
        if abs(v) >= 0.5:
            print(f"{v:10.1f}  {name}")
    for name in detail:
        print(f"{name}, by block:")
        for key, v in sorted((k, v) for k, v in diff.items() if isinstance(k, tuple)):
            if key[0] == name and abs(v) >= 0.5:
                print(f"{v:10.1f}  {key[1]:#x}")


if __name__ == "__main__":
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
         float(sys.argv[6]), sys.argv[7:])
