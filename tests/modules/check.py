#!/usr/bin/env python3
"""Static checks of the built Wasm modules, without the kernel (test layer `modules`).

    tests/modules/check.py ABI_DEF WASI_DEF MODULE.wasm...

For each module: wasm-validate accepts it; it exports `_start` and `memory`, and
`takara_abi` unless it is a WASI program that imports nothing from "takara" (the kernel
calls `takara_abi` only in modules importing "takara"); it keeps its name section (the
kernel names trapping functions from it); every import comes from "takara" or
"wasi_snapshot_preview1", names a row of include/takara/abi.def or wasi.def and has
exactly that row's signature. abicheck.wasm must import every abi.def row. One PASS/FAIL
line per module.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import abidef  # noqa: E402

LETTERS = {"i": "i32", "I": "i64"}


def def_table(path, macro):
    """name -> (params, results) as wasm type names, from the rows of abi.def (read by
    tools/abidef.py, as every generator reads them) or the WASI_FN(name, "sig") rows of
    wasi.def."""
    table = {}
    if macro == "TK_ABI":
        for row in abidef.rows(open(path).read(), "tests/modules/check.py"):
            table[row.name] = ([LETTERS[c] for c in row.params], [LETTERS[c] for c in row.results])
        return table
    pattern = r'^%s\((\w+),(?:\s*\w+,)?\s*"([iI]*:[iI]*)"' % macro
    for name, sig in re.findall(pattern, open(path).read(), re.M):
        params, results = sig.split(":")
        table[name] = ([LETTERS[c] for c in params], [LETTERS[c] for c in results])
    return table


def types_of(section):
    """type index -> (params, results) from wasm-objdump's Type section lines."""
    types = {}
    for idx, params, results in re.findall(r"- type\[(\d+)\] \((.*?)\) -> (.*)", section):
        split = lambda s: [t.strip() for t in s.split(",") if t.strip() and t.strip() != "nil"]
        types[int(idx)] = (split(params), split(results.strip("()")))
    return types


def check(path, tables):
    """A list of problems with one module (empty: fine). tables: import module -> rows."""
    problems = []
    v = subprocess.run(["wasm-validate", path], capture_output=True, text=True)
    if v.returncode != 0:
        return ["wasm-validate: " + (v.stderr.strip().splitlines() or ["failed"])[0]]
    dump = subprocess.run(["wasm-objdump", "-x", path], capture_output=True, text=True).stdout
    heads = subprocess.run(["wasm-objdump", "-h", path], capture_output=True, text=True).stdout
    types = types_of(dump)
    imports = re.findall(r"- func\[\d+\] sig=(\d+) .*<- ([^.\s]+)\.(\S+)", dump)
    modules = {module for _, module, _ in imports}
    # a pure WASI program need not declare a takara ABI version; anything else must
    wants = ["_start", "memory"]
    if "takara" in modules or "wasi_snapshot_preview1" not in modules:
        wants.append("takara_abi")
    for name in wants:
        kind = "memory" if name == "memory" else "func"
        if not re.search(r"- %s\[\d+\].* -> \"%s\"" % (kind, name), dump):
            problems.append("no %s export '%s'" % (kind, name))
    if '"name"' not in heads:
        problems.append("no name section")
    imported = set()
    for sig, module, field in imports:
        table = tables.get(module)
        if table is None:
            problems.append("import from '%s'" % module)
        elif field not in table:
            problems.append("import %s.%s is not in its table" % (module, field))
        elif types.get(int(sig)) != table[field]:
            problems.append("%s.%s has type %s, the table says %s" % (module, field, types.get(int(sig)), table[field]))
        elif module == "takara":
            imported.add(field)
    if os.path.basename(path) == "abicheck.wasm":
        missing = sorted(set(tables["takara"]) - imported)
        if missing:
            problems.append("does not import " + ", ".join(missing))
    return problems


def main():
    tables = {"takara": def_table(sys.argv[1], "TK_ABI"),
              "wasi_snapshot_preview1": def_table(sys.argv[2], "WASI_FN")}
    failed = 0
    for path in sys.argv[3:]:
        name = os.path.basename(path)
        problems = check(path, tables)
        if problems:
            failed += 1
            print("FAIL module %s: %s" % (name, "; ".join(problems)))
        else:
            print("PASS module %s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
