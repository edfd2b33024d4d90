#!/usr/bin/env python3
"""Merges benchmark figures into build/bench/results.json (one object: metric -> number).

Usage: tools/bench-record.py name=value [name=value ...]
Metric names carry their unit (boot_instructions, interp_crc32_ratio, kernel_text_bytes).
"""
import json
import os
import sys

PATH = os.path.join("build", "bench", "results.json")


def main(pairs):
    os.makedirs(os.path.dirname(PATH), exist_ok=True)
    try:
        with open(PATH) as f:
            results = json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        results = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            sys.exit(f"bench-record: expected name=value, got {pair!r}")
        try:
            results[name] = int(value)
        except ValueError:
            results[name] = float(value)
    with open(PATH + ".tmp", "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(PATH + ".tmp", PATH)


if __name__ == "__main__":
    main(sys.argv[1:])
