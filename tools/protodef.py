"""Reads the protocol definitions of include/takara/proto/*.proto (docs/protocols.md) for
tools/gen-proto.py. One protocol a file:

    # comment lines (the ones right above a message document it)
    protocol NAME MAX                      MAX: the largest message in bytes
    message NAME = ORDINAL (FIELDS) -> (FIELDS) [errors NAME...]
    message NAME = ORDINAL (FIELDS) -> none             one-way: never answered

FIELDS: `name: TYPE` separated by commas; TYPE is u32, i32, u64, i64, string[N],
bytes[N] (at most N bytes) or handle. A definition that breaks a rule stops the
generator with its file and line.
"""
import collections
import os
import re
import sys

Field = collections.namedtuple("Field", "name type max")
Message = collections.namedtuple("Message", "name ordinal request reply errors doc")
Protocol = collections.namedtuple("Protocol", "name max messages path")

SCALARS = {"u32": 4, "i32": 4, "u64": 8, "i64": 8}
ERRORS_DEF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "include", "takara",
                          "errors.def")
IDENT = r"[a-z][a-z0-9_]*"
MESSAGE = re.compile(r"^message\s+(%s)\s*=\s*(\d+)\s*\((.*?)\)\s*->\s*(none|\((.*?)\))"
                     r"(?:\s+errors((?:\s+[A-Z_]+)+))?\s*$" % IDENT)
FIELD = re.compile(r"^(%s)\s*:\s*(u32|i32|u64|i64|handle|string\[(\d+)\]|bytes\[(\d+)\])$" % IDENT)
# Words no generated language may take as a field name.
RESERVED = {"type", "in", "as", "fn", "let", "mut", "ref", "self", "match", "loop", "move",
            "static", "struct", "union", "enum", "default", "delete", "new", "class",
            "function", "var", "const", "return", "namespace", "string", "char", "int",
            "ctx", "client", "msg", "len", "out", "buf", "ch", "r"}


def error_names():
    with open(ERRORS_DEF) as f:
        return set(re.findall(r"^TK_ERROR\((\w+),", f.read(), re.M))


def wire_size(fields):
    """The largest encoding of these fields: scalars, plus a length and N bytes each
    string or bytes field (handles travel beside the bytes)."""
    n = 0
    for f in fields:
        if f.type in SCALARS:
            n += SCALARS[f.type]
        elif f.type in ("string", "bytes"):
            n += 4 + f.max
    return n


def fixed_size(fields):
    """The bytes before the first payload: scalars and the lengths."""
    return sum(SCALARS.get(f.type, 4 if f.type in ("string", "bytes") else 0) for f in fields)


def parse_fields(text, fail):
    fields = []
    if not text.strip():
        return fields
    for part in text.split(","):
        m = FIELD.match(part.strip())
        if not m:
            fail("cannot read field '%s'" % part.strip())
        name, ty = m.group(1), m.group(2)
        if name in RESERVED:
            fail("field name '%s' is reserved" % name)
        if name in (f.name for f in fields):
            fail("field '%s' twice" % name)
        if ty.startswith("string") or ty.startswith("bytes"):
            n = int(m.group(3) or m.group(4))
            if not 1 <= n <= 65535:
                fail("field '%s': a length from 1 to 65535" % name)
            fields.append(Field(name, ty.split("[")[0], n))
        else:
            fields.append(Field(name, ty, 0))
    return fields


def parse(path):
    known_errors = error_names()
    name, limit, messages, doc = None, 0, [], []
    with open(path) as f:
        lines = f.read().split("\n")
    for lineno, raw in enumerate(lines, 1):
        def fail(why):
            sys.exit("%s:%d: %s" % (path, lineno, why))
        line = raw.strip()
        if line.startswith("#"):
            doc.append(line[1:].strip())
            continue
        if not line:
            doc = []
            continue
        if line.startswith("protocol "):
            m = re.match(r"^protocol\s+(%s)\s+(\d+)$" % IDENT, line)
            if not m or name:
                fail("expected one line 'protocol NAME MAX'")
            name, limit = m.group(1), int(m.group(2))
            if not 8 <= limit <= 65536:
                fail("MAX from 8 to 65536 bytes")
            doc = []
            continue
        m = MESSAGE.match(line)
        if not m:
            fail("cannot read '%s'" % line)
        if not name:
            fail("a message before the 'protocol' line")
        mname, ordinal = m.group(1), int(m.group(2))
        request = parse_fields(m.group(3), fail)
        reply = None if m.group(4) == "none" else parse_fields(m.group(5) or "", fail)
        errors = (m.group(6) or "").split()
        for e in errors:
            if e not in known_errors:
                fail("unknown error %s (include/takara/errors.def)" % e)
        if mname in (x.name for x in messages):
            fail("message '%s' twice" % mname)
        if not 1 <= ordinal < 1 << 31 or ordinal in (x.ordinal for x in messages):
            fail("ordinal %d: positive and unique" % ordinal)
        if reply is None and errors:
            fail("a one-way message has no errors to answer")
        for fields, what in ((request, "request"), (reply or [], "reply")):
            if 4 + wire_size(fields) > limit:
                fail("the %s takes up to %d bytes, over the protocol's %d"
                     % (what, 4 + wire_size(fields), limit))
            if sum(f.type == "handle" for f in fields) > 4:
                fail("at most 4 handles a message")
        messages.append(Message(mname, ordinal, request, reply, errors, doc))
        doc = []
    if not name or not messages:
        sys.exit("%s: no protocol or no messages" % path)
    if os.path.basename(path) != name + ".proto":
        sys.exit("%s: protocol %s belongs in %s.proto" % (path, name, name))
    return Protocol(name, limit, messages, path)
