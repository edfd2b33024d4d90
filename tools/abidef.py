"""The rows of include/takara/abi.def, read once for every generator (tools/gen-*.py).

    import abidef
    for row in abidef.rows(text_of_abi_def, "gen-NAME"): ...

A row: name, cap, params (the Wasm letters of the parameters, "i" or "I" each),
results, ret (the C result type) and cparams, the C parameters as (type, name) pairs,
as many as the letters. A row that breaks this stops the generator with its name.
"""
import collections
import re
import sys

Row = collections.namedtuple("Row", "name cap params results ret cparams")

ROW = re.compile(r'^TK_ABI\((\w+),\s*(\w+),\s*"([iI]*):([iI]*)",\s*([\w ]+?),\s*\((.*?)\)\)',
                 re.M | re.S)


def strip_comments(text):
    return re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", " ", text, flags=re.S))


def rows(text, tool):
    out = []
    for name, cap, params, results, ret, cparams in ROW.findall(strip_comments(text)):
        cparams = " ".join(cparams.split())
        plist = [] if cparams in ("", "void") else [p.strip() for p in cparams.split(",")]
        pairs = []
        for p in plist:
            m = re.match(r"^(.*?)\s*(\w+)$", p)
            if not m or not m.group(1):
                sys.exit("%s: abi.def row %s: cannot read parameter '%s'" % (tool, name, p))
            pairs.append((m.group(1), m.group(2)))
        if len(pairs) != len(params):
            sys.exit("%s: abi.def row %s: %d C parameters for signature '%s'"
                     % (tool, name, len(pairs), params))
        out.append(Row(name, cap, params, results, ret.strip(), pairs))
    if not out:
        sys.exit("%s: no TK_ABI rows in abi.def" % tool)
    return out
