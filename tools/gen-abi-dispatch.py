#!/usr/bin/env python3
"""Generates the kernel's dispatch of the `takara` imports from include/takara/abi.def.

    tools/gen-abi-dispatch.py HANDLERS.h DISPATCH.h

HANDLERS.h (included by kernel/abi.h) declares one handler per row. A typed row's
handler (kernel/abi/abi_*.c) gets typed C arguments, every one already checked:

    TK_VAL(type, n)              type n
    TK_HANDLE(n, TYPE, RIGHTS)   struct object *n, uint32_t n_rights   (borrowed from the
                                 caller's table: valid while the handle is; a handler
                                 that takes or closes handles of its own table while it
                                 uses n takes a reference of its own)
    TK_HANDLE_REF(...)           the same, a reference held until the handler returns
    TK_HANDLE_VALUE(n)           tk_handle n
    TK_IN(ptr, len)              const void *ptr, uint32_t len   (kernel pointers into the
    TK_OUT(ptr, len)             void *ptr, uint32_t len          caller's memory: read what
    TK_IN_ARRAY(type, ptr, n)    const type *ptr, uint32_t n      is decided on once, abi.h)
    TK_OUT_ARRAY(type, ptr, n)   type *ptr, uint32_t n
    TK_IN_STRUCT(type, ptr)      const type *ptr   (a copy in the kernel, made once)
    TK_OUT_STRUCT(type, ptr)     type *ptr
    TK_OUT_HANDLE(ptr)           tk_handle *ptr

and returns the import's result (int32_t or int64_t), or for a void row 0 or a trap
kind. An untyped row's handler gets the operand stack (abi.h). DISPATCH.h (included by
kernel/abi/abi.c, after struct abi_import and abi_invoke) holds one entry per row, the
wasm_host_slots_fn the interpreter calls, and the table abi_table[]. A typed row's entry
checks the capability, then every pointer and length against the caller's memory
(FAULT), then fetches every handle with its type and rights (BAD_HANDLE, WRONG_TYPE,
DENIED), in the order of the parameters, marks the thread as inside the import, calls
the handler, stores its result and ends the process if it was killed meanwhile. A LEAF
row's entry calls the handler alone.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abidef  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
HANDLE_KINDS = ("handle", "handle_ref")
POINTER_KINDS = ("in", "out", "in_array", "out_array", "in_struct", "out_struct", "out_handle")
RESULT = {"int32_t": "int32_t", "int64_t": "int64_t", "void": "int"}
STORE = {"int32_t": "(uint32_t)", "int64_t": "(uint64_t)"}


def handler_params(row):
    out = ["struct process *p"]
    for a in row.args:
        k, n = a.kind, a.name
        if k == "val":
            out.append("%s %s" % (a.ctype, n))
        elif k in HANDLE_KINDS:
            out += ["struct object *%s" % n, "uint32_t %s_rights" % n]
        elif k == "handle_value":
            out.append("tk_handle %s" % n)
        elif k == "in":
            out += ["const void *%s" % n, "uint32_t %s" % a.length]
        elif k == "out":
            out += ["void *%s" % n, "uint32_t %s" % a.length]
        elif k == "in_array":
            out += ["const %s *%s" % (a.ctype, n), "uint32_t %s" % a.length]
        elif k == "out_array":
            out += ["%s *%s" % (a.ctype, n), "uint32_t %s" % a.length]
        elif k == "in_struct":
            out.append("const %s *%s" % (a.ctype, n))
        elif k == "out_struct":
            out.append("%s *%s" % (a.ctype, n))
        else:
            out.append("tk_handle *%s" % n)
    return out


def prototype(row):
    if row.args is None:
        return "int abi_%s(struct process *p, uint64_t *s);" % row.name
    # each handler has one caller, its entry: inlined there (across files: LTO), a call
    # costs no more than it did when handlers decoded the operand stack themselves
    return "__attribute__((always_inline)) %s abi_%s(%s);" % (
        RESULT[row.ret], row.name, ", ".join(handler_params(row)))


def rights_expr(rights):
    return " | ".join("TK_RIGHT_%s" % r for r in rights) if rights else "0"


def typed_entry(row):
    """The entry of a typed row, as lines of C."""
    name, out = row.name, []
    slot = {}  # SDK parameter name -> operand slot
    for i, (_, pname) in enumerate(row.cparams):
        slot[pname] = i

    def u32(pname):
        return "(uint32_t)s[%d]" % slot[pname]

    if row.ret == "void" and any(a.kind != "val" for a in row.args):
        sys.exit("gen-abi-dispatch: abi.def row %s: a void import cannot report a failed check" % name)
    out.append("static int abi_entry_%s(void *env, uint64_t *s)" % name)
    out.append("{")
    out.append("    struct process *p = env;")
    if not row.leaf:
        out.append("    struct thread *t = sched_current();")
    pointers = [a for a in row.args if a.kind in POINTER_KINDS]
    handles = [a for a in row.args if a.kind in HANDLE_KINDS]
    if pointers:
        out.append("    struct abi_view v;")
        out.append("    bool bad;")
    for a in row.args:
        if a.kind in HANDLE_KINDS:
            out.append("    struct object *%s;" % a.name)
            out.append("    uint32_t %s_rights;" % a.name)
        elif a.kind == "in_struct":
            out.append("    %s %s_copy;" % (a.ctype, a.name))
    value = row.ret != "void"
    out.append("    %s r;" % RESULT[row.ret])
    out.append("")
    fail = []  # the labels to leave by, innermost first
    if row.cap != "NONE":
        out.append("    if (!(p->caps & TK_CAP_%s)) {" % row.cap)
        out.append("        r = TK_ERR_DENIED;" if value else "        r = 0;")
        out.append("        goto done;")
        out.append("    }")
    if not row.leaf:
        out.append('    t->in_import = "%s"; /* imports never nest: no host function re-enters Wasm */'
                   % name)
    if pointers:
        # every range is checked, then one branch: FAULT if any is outside the memory or
        # (rarely: only with mappings) one the kernel writes is in a read-only mapping
        out.append("    abi_view_init(p, &v, &bad);")
        written = []
        for a in pointers:
            n = a.name
            if a.kind in ("in", "out"):
                size = u32(a.length)
            elif a.kind in ("in_array", "out_array"):
                size = "(uint64_t)%s * sizeof(%s)" % (u32(a.length), a.ctype)
            elif a.kind in ("in_struct", "out_struct"):
                size = "sizeof(%s)" % a.ctype
            else:
                size = "sizeof(tk_handle)"
            ctype = {"in": "const void", "out": "void", "out_handle": "tk_handle"}.get(a.kind, a.ctype)
            if a.kind.startswith("in"):
                ctype = "const " + ctype if not ctype.startswith("const") else ctype
            else:
                written.append((u32(n), size))
            out.append("    %s *%s = abi_view_at(&v, %s, %s, &bad);" % (ctype, n, u32(n), size))
        cond = "bad"
        if written:
            cond += " || (p->mappings && (%s))" % " || ".join(
                "abi_mem_readonly(p, %s, %s)" % w for w in written)
        out.append("")
        out.append("    if (%s) {" % cond)
        out.append("        r = TK_ERR_FAULT;")
        out.append("        goto done;")
        out.append("    }")
        for a in pointers:
            if a.kind == "in_struct":  # read once: the handler sees the kernel's copy
                out.append("    memcpy(&%s_copy, %s, sizeof(%s_copy));" % (a.name, a.name, a.name))
    fail = ["done"]
    for a in handles:
        fetch = "handle_get" if a.kind == "handle_ref" else "handle_borrow"
        out.append("    r = %s(&p->handles, %s, TK_OBJ_%s, %s, &%s, &%s_rights);"
                   % (fetch, u32(a.name), a.objtype, rights_expr(a.rights), a.name, a.name))
        out.append("    if (r < 0) goto %s;" % fail[-1])
        if a.kind == "handle_ref":
            fail.append("unref_" + a.name)
    call = []
    for a in row.args:
        if a.kind == "val":
            call.append("(%s)s[%d]" % (a.ctype, slot[a.name]) if a.ctype != "int32_t"
                        else "(int32_t)(uint32_t)s[%d]" % slot[a.name])
        elif a.kind in HANDLE_KINDS:
            call += [a.name, a.name + "_rights"]
        elif a.kind == "handle_value":
            call.append(u32(a.name))
        elif a.kind in ("in", "out", "in_array", "out_array"):
            call += [a.name, u32(a.length)]
        elif a.kind == "in_struct":
            call.append("&%s_copy" % a.name)
        else:
            call.append(a.name)
    out.append("    r = abi_%s(%s);" % (name, ", ".join(["p"] + call)))
    for a in reversed(handles):
        if a.kind == "handle_ref":
            out.append("unref_%s:" % a.name)
            out.append("    object_unref(%s);" % a.name)
    out.append("done:")
    if value:
        out.append("    s[0] = %sr;" % STORE[row.ret])
    if row.leaf:
        out.append("    return %s;" % ("0" if value else "r"))
    else:
        out.append("    t->in_import = NULL;")
        out.append("    return t->killed ? WASM_TRAP_HOST : %s;" % ("0" if value else "r"))
    out.append("}")
    # a label nothing jumps to would not compile (-Wunused-label): only ones in use
    text = "\n".join(out)
    return [l for l in out if not l.endswith(":") or ("goto %s;" % l[:-1]) in text]


def entry(row):
    if row.args is not None:
        return typed_entry(row)
    return ["static int abi_entry_%s(void *env, uint64_t *s)" % row.name,
            "{",
            '    return abi_invoke(env, TK_CAP_%s, abi_%s, s, "%s");' % (row.cap, row.name, row.name),
            "}"]


def main():
    with open(os.path.join(ROOT, "include", "takara", "abi.def")) as f:
        rows = abidef.rows(f.read(), "gen-abi-dispatch")
    head = "/* Generated by tools/gen-abi-dispatch.py from include/takara/abi.def: do not edit. */"
    protos = [head, ""] + [prototype(r) for r in rows]
    disp = [head, ""]
    for r in rows:
        disp += entry(r) + [""]
    disp.append("static const struct abi_import abi_table[] = {")
    for r in rows:
        disp.append('    {"%s", %d, TK_CAP_%s, "%s:%s", abi_entry_%s},'
                    % (r.name, len(r.name), r.cap, r.params, r.results, r.name))
    disp.append("};")
    for path, lines in ((sys.argv[1], protos), (sys.argv[2], disp)):
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main()
