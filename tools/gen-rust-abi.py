#!/usr/bin/env python3
"""Generates the Rust SDK's raw bindings (sdk/rust) from the C ABI headers.

    tools/gen-rust-abi.py INCLUDE_DIR OUT.rs

Everything a Rust module shares with the kernel comes from the one definition the kernel
and the C SDK are built from, so nothing can drift:

  - include/takara/abi.def: one `extern "C"` import per TK_ABI row, in the `takara`
    import module, with the row's exact Wasm signature (each C parameter's width is
    checked against the signature letter, so a row that contradicts itself fails here);
  - errors.def: `Error`, a fieldless enum with each code's name and message;
  - rights.def, caps.def: `rights::NAME` and `caps::NAME` bit constants;
  - abi.h and handle.h: their `#define TK_...` numbers, enum constants and
    `struct tk_*` layouts (as #[repr(C)] structs whose sizes are checked at compile time
    against the headers' _Static_asserts).

The build runs it (mk/modules-rust.mk); the output is included by sdk/rust/src/sys.rs.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abidef  # noqa: E402

# C scalar type -> (Rust type, Wasm letter). Pointers are i32 offsets ("i").
SCALARS = {
    "int32_t": ("i32", "i"), "uint32_t": ("u32", "i"), "int64_t": ("i64", "I"),
    "uint64_t": ("u64", "I"), "tk_handle": ("RawHandle", "i"), "char": ("u8", None),
    "uint8_t": ("u8", None), "uint16_t": ("u16", None),
}


# Rust keywords: a C name that is one becomes a raw identifier (r#yield links as "yield").
KEYWORDS = set("""as break const continue crate else enum extern false fn for if impl in let
loop match mod move mut pub ref return self static struct super trait true type unsafe use
where while async await dyn abstract become box do final macro override priv typeof unsized
virtual yield try""".split())


def ident(name):
    return "r#" + name if name in KEYWORDS else name


def fail(msg):
    sys.stderr.write("gen-rust-abi: %s\n" % msg)
    sys.exit(1)


strip_comments = abidef.strip_comments


def camel(name):
    """tk_exit_info -> ExitInfo"""
    return "".join(w.capitalize() for w in name[3:].split("_"))


def rust_param(ctype, where):
    """A C parameter declaration -> (rust name, rust type, wasm letter)."""
    m = re.match(r"^(const\s+)?(struct\s+)?(\w+)\s*(\*?)\s*(\w+)$", ctype.strip())
    if not m:
        fail("%s: cannot read parameter '%s'" % (where, ctype))
    const, struct, base, ptr, name = m.groups()
    name = ident(name)
    if ptr:
        if struct:
            target = camel(base)
        elif base == "void" or base == "char":
            target = "u8"
        elif base in SCALARS:
            target = SCALARS[base][0]
        else:
            fail("%s: unknown pointer type '%s'" % (where, base))
        return name, ("*const " if const else "*mut ") + target, "i"
    if base not in SCALARS or SCALARS[base][1] is None:
        fail("%s: unknown parameter type '%s'" % (where, base))
    return name, SCALARS[base][0], SCALARS[base][1]


def gen_imports(text, out):
    rows = abidef.rows(text, "gen-rust-abi")
    out.append("/// Names of the kernel's imports as abi.def lists them (the `takara` module).")
    out.append("pub const IMPORTS: &[&str] = &[%s];" % ", ".join('"%s"' % r.name for r in rows))
    out.append("")
    out.append('#[link(wasm_import_module = "takara")]')
    out.append('extern "C" {')
    for row in rows:
        name, cap, params, results, cret, cparams = row[:6]
        where = "abi.def row %s" % name
        rparams = [rust_param("%s %s" % p, where) for p in cparams]
        letters = "".join(p[2] for p in rparams)
        if letters != params:
            fail("%s: C parameters give '%s', the signature says '%s'" % (where, letters, params))
        cret = cret.strip()
        if cret == "void":
            ret, rletter = "", ""
        elif cret in SCALARS and SCALARS[cret][1]:
            ret, rletter = " -> " + SCALARS[cret][0], SCALARS[cret][1]
        else:
            fail("%s: unknown result type '%s'" % (where, cret))
        if rletter != results:
            fail("%s: C result gives '%s', the signature says '%s'" % (where, rletter, results))
        out.append("    /// `takara.%s` (\"%s:%s\"), capability %s." % (name, params, results, cap))
        out.append("    pub fn %s(%s)%s;" % (ident(name), ", ".join("%s: %s" % p[:2] for p in rparams), ret))
    out.append("}")
    out.append("")


def gen_errors(text, out):
    rows = re.findall(r'^TK_ERROR\((\w+),\s*(-?\d+),\s*"([^"]*)"\)', text, re.M)
    if not rows:
        fail("no TK_ERROR rows")
    variants = [("".join(w.capitalize() for w in n.split("_")), n, int(v), msg) for n, v, msg in rows]
    out.append("/// The kernel's error codes (include/takara/errors.def); `Unknown` stands for a code")
    out.append("/// this SDK does not know (a newer kernel).")
    out.append("#[repr(i32)]")
    out.append("#[derive(Clone, Copy, Debug, PartialEq, Eq)]")
    out.append("pub enum Error {")
    for v, n, val, msg in variants:
        if val == 0:
            continue
        out.append("    /// %s" % msg)
        out.append("    %s = %d," % (v, val))
    out.append("    /// a code outside errors.def")
    out.append("    Unknown = i32::MIN,")
    out.append("}")
    out.append("")
    out.append("impl Error {")
    out.append("    /// The error of a negative code (`Unknown` for one not in errors.def).")
    out.append("    pub const fn from_code(code: i32) -> Error {")
    out.append("        match code {")
    for v, n, val, msg in variants:
        if val != 0:
            out.append("            %d => Error::%s," % (val, v))
    out.append("            _ => Error::Unknown,")
    out.append("        }")
    out.append("    }")
    out.append("    /// The code as the kernel returns it.")
    out.append("    pub const fn code(self) -> i32 {")
    out.append("        self as i32")
    out.append("    }")
    out.append("    /// errors.def's name, e.g. \"NOENT\" (what tk_error_name says in C).")
    out.append("    pub const fn name(self) -> &'static str {")
    out.append("        match self {")
    for v, n, val, msg in variants:
        if val != 0:
            out.append('            Error::%s => "%s",' % (v, n))
    out.append('            Error::Unknown => "UNKNOWN",')
    out.append("        }")
    out.append("    }")
    out.append("    /// errors.def's message, e.g. \"no such object\".")
    out.append("    pub const fn message(self) -> &'static str {")
    out.append("        match self {")
    for v, n, val, msg in variants:
        if val != 0:
            out.append('            Error::%s => "%s",' % (v, msg))
    out.append('            Error::Unknown => "unknown error",')
    out.append("        }")
    out.append("    }")
    out.append("}")
    out.append("")


def gen_bits(text, macro, modname, doc, out):
    rows = re.findall(r'^%s\((\w+),\s*(\d+),\s*"([^"]*)"\)' % macro, text, re.M)
    if not rows:
        fail("no %s rows" % macro)
    out.append("/// %s" % doc)
    out.append("pub mod %s {" % modname)
    for name, bit, word in rows:
        out.append("    /// \"%s\"" % word)
        out.append("    pub const %s: u32 = 1 << %s;" % (name, bit))
    out.append("    /// (bit, word) of every row, for printing sets of them.")
    out.append("    pub const WORDS: &[(u32, &str)] = &[%s];"
               % ", ".join('(%s, "%s")' % (n, w) for n, _, w in rows))
    out.append("}")
    out.append("")


def c_number(expr, known):
    """Evaluates a header's constant expression: N, Nu, 1u << (N), 0x..., a known name."""
    e = expr.strip()
    e = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", e)
    for k, v in known.items():
        e = re.sub(r"\b%s\b" % k, str(v), e)
    if not re.fullmatch(r"[0-9a-fx()<< +\-*]+", e):
        return None
    return eval(e)  # only digits and operators got here


def gen_header(text, out, known, structs):
    text = strip_comments(text)
    for name, val in re.findall(r"^#define\s+((?:TK|TAKARA)_\w+)\s+(.+?)\s*$", text, re.M):
        v = c_number(val, known)
        if v is not None:
            known[name] = v
            out.append("pub const %s: %s = %d;" % (name.split("_", 1)[1], "u32" if v >= 0 else "i32", v))
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\}", text, re.S):
        for name, val in re.findall(r"(TK_\w+)\s*=\s*([^,]+),", body):
            v = c_number(val, known)
            if v is None:
                fail("cannot evaluate %s = %s" % (name, val))
            known[name] = v
            out.append("pub const %s: u32 = %d;" % (name[3:], v))
    sizes = dict(re.findall(r"_Static_assert\(sizeof\(struct (\w+)\)\s*==\s*(\d+)", text))
    for sname, body in re.findall(r"struct\s+(tk_\w+)\s*\{(.*?)\};", text, re.S):
        out.append("")
        out.append("/// `struct %s` (%s)." % (sname, "layout checked below"))
        out.append("#[repr(C)]")
        out.append("#[derive(Clone, Copy, Debug)]")
        out.append("pub struct %s {" % camel(sname))
        for decl in body.split(";"):
            decl = " ".join(decl.split())
            if not decl:
                continue
            m = re.match(r"^(struct\s+tk_\w+|\w+)\s+(.*)$", decl)
            if m and m.group(1).startswith("struct "):
                rtype = camel(m.group(1).split()[1]) # a structure defined above
            elif m and m.group(1) in SCALARS:
                rtype = SCALARS[m.group(1)][0]
            else:
                fail("struct %s: cannot read field '%s'" % (sname, decl))
            for field in m.group(2).split(","):
                fm = re.match(r"^\s*(\w+)\s*(?:\[(\w+)\])?\s*$", field)
                if not fm:
                    fail("struct %s: cannot read field '%s'" % (sname, field))
                fname, count = fm.groups()
                fname = ident(fname)
                if count:
                    n = c_number(count, known)
                    out.append("    pub %s: [%s; %d]," % (fname, rtype, n))
                else:
                    out.append("    pub %s: %s," % (fname, rtype))
        out.append("}")
        if sname not in sizes:
            fail("struct %s has no _Static_assert of its size" % sname)
        out.append("const _: () = assert!(core::mem::size_of::<%s>() == %s);" % (camel(sname), sizes[sname]))
        structs.append(sname)
    out.append("")


def main():
    inc, dest = sys.argv[1], sys.argv[2]
    read = lambda f: open("%s/takara/%s" % (inc, f)).read()
    out = ["// Generated by tools/gen-rust-abi.py from include/takara/: do not edit.", ""]
    out.append("/// A handle value as the kernel's imports take it (0 is never a handle).")
    out.append("pub type RawHandle = u32;")
    out.append("")
    known, structs = {}, []
    gen_header(read("abi.h"), out, known, structs)
    gen_header(read("handle.h"), out, known, structs)
    gen_errors(read("errors.def"), out)
    gen_bits(read("rights.def"), "TK_RIGHT", "rights", "Handle rights (include/takara/rights.def).", out)
    gen_bits(read("caps.def"), "TK_CAP", "caps", "Process capabilities (include/takara/caps.def).", out)
    gen_imports(read("abi.def"), out)
    open(dest, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
