"""The rows of include/takara/abi.def, read once for every generator (tools/gen-*.py).

    import abidef
    for row in abidef.rows(text_of_abi_def, "gen-NAME"): ...

Two forms of row (abi.def's header describes them): an untyped TK_ABI row, whose
handler reads the operand stack itself, and a typed TK_CALL row, whose parameters each
name a kind (a value, a handle of some object type needing some rights, a buffer, a
structure...) from which the kernel's decoding and checks are generated
(tools/gen-abi-dispatch.py). Both give:

    name, cap, params (the Wasm letters of the parameters, "i" or "I" each), results,
    ret (the C result type), cparams (the SDK's C parameters as (type, name) pairs, as
    many as the letters), args (typed rows: one Arg per typed parameter; None for an
    untyped row), leaf (typed rows: runs without the import bookkeeping), comment (the
    comment just above the row), section (the `---- name ----` heading it is under).

An Arg: kind (one of KINDS), name, length (the length or count parameter's name, for
buffers and arrays), ctype (the value's, element's or structure's C type), objtype and
rights (handles: the object type's name, NONE for any, and the names of the rights).
A row that breaks this stops the generator with its name.
"""
import collections
import re
import sys

Row = collections.namedtuple("Row", "name cap params results ret cparams args leaf comment section")
Arg = collections.namedtuple("Arg", "kind name length ctype objtype rights")

# kind -> (macro arguments, in order), as written in abi.def
KINDS = {
    "TK_VAL": ("ctype", "name"),                          # a plain value
    "TK_HANDLE": ("name", "objtype", "rights"),           # an object, borrowed from the table
    "TK_HANDLE_REF": ("name", "objtype", "rights"),       # the same, a reference held
    "TK_HANDLE_VALUE": ("name",),                          # a handle value for the table itself
    "TK_IN": ("name", "length"),                           # bytes the kernel reads
    "TK_OUT": ("name", "length"),                          # bytes the kernel writes
    "TK_IN_ARRAY": ("ctype", "name", "length"),            # length elements, read
    "TK_OUT_ARRAY": ("ctype", "name", "length"),           # length elements, written
    "TK_IN_STRUCT": ("ctype", "name"),                     # one structure, copied in once
    "TK_OUT_STRUCT": ("ctype", "name"),                    # one structure, written
    "TK_OUT_HANDLE": ("name",),                            # where a new handle's value goes
}
VALUES = {"int32_t": "i", "uint32_t": "i", "int64_t": "I", "uint64_t": "I"}
RESULTS = {"int32_t": "i", "int64_t": "I", "void": ""}

ITEM = re.compile(
    r'/\*(?P<c>.*?)\*/|//[^\n]*'
    r'|^TK_ABI\((?P<name>\w+),\s*(?P<cap>\w+),\s*"(?P<params>[iI]*):(?P<results>[iI]*)",'
    r'\s*(?P<ret>[\w ]+?),\s*\((?P<cparams>.*?)\)\)'
    r'|^TK_CALL\((?P<tname>\w+),\s*(?P<tcap>\w+),\s*(?P<flags>\w+),\s*(?P<tret>[\w ]+?),'
    r'\s*\((?P<targs>.*?)\)\)\s*$',
    re.M | re.S)


def clean_comment(text):
    """The words of a /* ... */ comment's inside, on one line."""
    lines = [l.strip().lstrip("*").strip() for l in text.splitlines()]
    return " ".join(l for l in lines if l)


def split_top(text):
    """text split at the commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def untyped_params(name, cparams, params, tool):
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
    return pairs


def typed_arg(row, text, tool):
    m = re.fullmatch(r"(\w+)\((.*)\)", text, re.S)
    if not m or m.group(1) not in KINDS:
        sys.exit("%s: abi.def row %s: '%s' is no parameter kind (%s)"
                 % (tool, row, text, ", ".join(KINDS)))
    kind, values = m.group(1), [" ".join(v.split()) for v in m.group(2).split(",")]
    fields = KINDS[kind]
    if len(values) != len(fields):
        sys.exit("%s: abi.def row %s: %s takes %s" % (tool, row, kind, ", ".join(fields)))
    a = dict(zip(fields, values))
    rights = [r.strip() for r in a.get("rights", "NONE").split("|")]
    rights = [] if rights == ["NONE"] else rights
    if any(not re.fullmatch(r"[A-Z]+", r) for r in rights):
        sys.exit("%s: abi.def row %s: rights '%s'" % (tool, row, a["rights"]))
    if kind == "TK_VAL" and a["ctype"] not in VALUES:
        sys.exit("%s: abi.def row %s: value type %s (%s)" % (tool, row, a["ctype"], ", ".join(VALUES)))
    return Arg(kind[3:].lower(), a["name"], a.get("length"), a.get("ctype"), a.get("objtype"), rights)


def sdk_params(arg):
    """The SDK's C parameters of one typed parameter, and their Wasm letters."""
    k, n = arg.kind, arg.name
    if k == "val":
        return [(arg.ctype, n)], VALUES[arg.ctype]
    if k in ("handle", "handle_ref", "handle_value"):
        return [("tk_handle", n)], "i"
    if k == "in":
        return [("const void *", n), ("uint32_t", arg.length)], "ii"
    if k == "out":
        return [("void *", n), ("uint32_t", arg.length)], "ii"
    if k == "in_array":
        return [("const %s *" % arg.ctype, n), ("uint32_t", arg.length)], "ii"
    if k == "out_array":
        return [("%s *" % arg.ctype, n), ("uint32_t", arg.length)], "ii"
    if k == "in_struct":
        return [("const %s *" % arg.ctype, n)], "i"
    if k == "out_struct":
        return [("%s *" % arg.ctype, n)], "i"
    return [("tk_handle *", n)], "i"  # out_handle


def rows(text, tool):
    out, comment, section = [], "", "Process and system"
    body = text[text.index("*/") + 2:] if "*/" in text else text  # after the file's header
    for m in ITEM.finditer(body):
        if m.group("c") is not None:
            c = clean_comment(m.group("c"))
            head = re.fullmatch(r"-+ (.*?) -+", c)
            if head:
                section, comment = head.group(1)[0].upper() + head.group(1)[1:], ""
            else:
                comment = c
            continue
        if m.group("name"):
            name = m.group("name")
            pairs = untyped_params(name, m.group("cparams"), m.group("params"), tool)
            out.append(Row(name, m.group("cap"), m.group("params"), m.group("results"),
                           m.group("ret").strip(), pairs, None, False, comment, section))
        elif m.group("tname"):
            name, ret = m.group("tname"), m.group("tret").strip()
            if m.group("flags") not in ("LEAF", "CALL"):
                sys.exit("%s: abi.def row %s: flags '%s' (LEAF or CALL)" % (tool, name, m.group("flags")))
            if ret not in RESULTS:
                sys.exit("%s: abi.def row %s: result type %s (%s)" % (tool, name, ret, ", ".join(RESULTS)))
            targs = " ".join(m.group("targs").split())
            args = [] if targs == "void" else [typed_arg(name, t, tool) for t in split_top(targs)]
            pairs, letters = [], ""
            for a in args:
                p, l = sdk_params(a)
                pairs += p
                letters += l
            names = [n for _, n in pairs]
            if len(set(names)) != len(names):
                sys.exit("%s: abi.def row %s: a parameter name twice" % (tool, name))
            out.append(Row(name, m.group("tcap"), letters, RESULTS[ret], ret, pairs, args,
                           m.group("flags") == "LEAF", comment, section))
        else:
            continue
        comment = ""
    if not out:
        sys.exit("%s: no TK_ABI or TK_CALL rows in abi.def" % tool)
    seen = set()
    for r in out:
        if r.name in seen:
            sys.exit("%s: abi.def row %s twice" % (tool, r.name))
        seen.add(r.name)
    return out


def strip_comments(text):
    """text without its C comments (for generators reading other tables)."""
    return re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", " ", text, flags=re.S))
