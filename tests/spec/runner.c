/*
 * Spec runner core (runner.h). Per file: one store; modules by name and the registry of
 * `register`ed instances; the `spectest` host module. Each command is counted as passed,
 * failed, skipped (listed in the skip list) or not applicable (text-format modules).
 */
#include "tests/spec/runner.h"

#include <stdbool.h>
#include <takara/error.h>

#include "lib/fmt.h"
#include "tests/spec/json.h"
#include "wasm/shim.h"
#include "wasm/wasm.h"

#define MAX_NAMED 64

struct named {
    char name[64];
    struct wasm_instance *instance;
};

struct spec {
    struct spec_io *io;
    const char *file;
    char dir[64]; /* the JSON file's directory ("" or "suite/"): its modules are there */
    struct spec_counts *counts;
    struct wasm_store *store;
    struct wasm_instance *current;
    struct named names[MAX_NAMED], registered[MAX_NAMED];
    unsigned nnames, nregistered;
    bool probing;
    struct wasm_module *modules[4096];
    unsigned nmodules;
    /* spectest */
    struct wasm_func *print_fn[7];
    struct wasm_table *table;
    struct wasm_memory *memory;
    struct wasm_global *g_i32, *g_i64, *g_f32, *g_f64;
};

static void report(struct spec *s, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(struct spec *s, unsigned line, const char *fmt, ...)
{
    char buf[512];
    int n = fmt_snprintf(buf, sizeof(buf), "  %s:%u: ", s->file, line);
    va_list ap;

    if (s->probing) return; /* a skipped command, run to see whether it passes now */
    va_start(ap, fmt);
    fmt_vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
    va_end(ap);
    s->io->print(s->io->ctx, buf);
}

static bool str_eq(const char *a, const char *b)
{
    return a && b && !__builtin_strcmp(a, b);
}

static uint64_t parse_u64(const char *s)
{
    uint64_t v = 0;

    while (s && *s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}

static int host_print(void *env, const union wasm_value *args, union wasm_value *results)
{
    (void)env;
    (void)args;
    (void)results;
    return 0;
}

static int spectest_init(struct spec *s)
{
    static const uint8_t i32[] = {WASM_I32}, i64[] = {WASM_I64}, f32[] = {WASM_F32},
                         f64[] = {WASM_F64}, i32f32[] = {WASM_I32, WASM_F32},
                         f64f64[] = {WASM_F64, WASM_F64};
    const struct wasm_functype_desc types[7] = {
        {0, 0, NULL, NULL}, {1, 0, i32, NULL},    {1, 0, i64, NULL},   {1, 0, f32, NULL},
        {1, 0, f64, NULL},  {2, 0, i32f32, NULL}, {2, 0, f64f64, NULL}};
    struct wasm_typed_value v;

    for (int i = 0; i < 7; i++)
        if (!(s->print_fn[i] = wasm_func_new_host(s->store, &types[i], host_print, NULL)))
            return TK_ERR_NOMEM;
    s->table = wasm_table_new(s->store, WASM_FUNCREF, 10, 20, true);
    s->memory = wasm_memory_new(s->store, 1, 2, true);
    v = (struct wasm_typed_value){.type = WASM_I32, .of.i32 = 666};
    s->g_i32 = wasm_global_new(s->store, v, false);
    v = (struct wasm_typed_value){.type = WASM_I64, .of.i64 = 666};
    s->g_i64 = wasm_global_new(s->store, v, false);
    v = (struct wasm_typed_value){.type = WASM_F32, .of.f32 = 666.6f};
    s->g_f32 = wasm_global_new(s->store, v, false);
    v = (struct wasm_typed_value){.type = WASM_F64, .of.f64 = 666.6};
    s->g_f64 = wasm_global_new(s->store, v, false);
    if (!s->table || !s->memory || !s->g_i32 || !s->g_i64 || !s->g_f32 || !s->g_f64)
        return TK_ERR_NOMEM;
    return 0;
}

static bool name_eq(struct wasm_name n, const char *s)
{
    size_t len = strlen(s);
    return n.len == len && !memcmp(n.str, s, len);
}

static bool spectest_lookup(struct spec *s, struct wasm_name field, struct wasm_extern *out)
{
    static const char *const prints[7] = {"print",     "print_i32",     "print_i64",    "print_f32",
                                          "print_f64", "print_i32_f32", "print_f64_f64"};

    for (int i = 0; i < 7; i++)
        if (name_eq(field, prints[i])) {
            *out = (struct wasm_extern){.kind = WASM_EXTERN_FUNC, .of.func = s->print_fn[i]};
            return true;
        }
    if (name_eq(field, "table"))
        *out = (struct wasm_extern){.kind = WASM_EXTERN_TABLE, .of.table = s->table};
    else if (name_eq(field, "memory"))
        *out = (struct wasm_extern){.kind = WASM_EXTERN_MEMORY, .of.memory = s->memory};
    else if (name_eq(field, "global_i32"))
        *out = (struct wasm_extern){.kind = WASM_EXTERN_GLOBAL, .of.global = s->g_i32};
    else if (name_eq(field, "global_i64"))
        *out = (struct wasm_extern){.kind = WASM_EXTERN_GLOBAL, .of.global = s->g_i64};
    else if (name_eq(field, "global_f32"))
        *out = (struct wasm_extern){.kind = WASM_EXTERN_GLOBAL, .of.global = s->g_f32};
    else if (name_eq(field, "global_f64"))
        *out = (struct wasm_extern){.kind = WASM_EXTERN_GLOBAL, .of.global = s->g_f64};
    else
        return false;
    return true;
}

static struct wasm_instance *find(struct named *list, unsigned n, struct wasm_name name)
{
    for (unsigned i = n; i-- > 0;)
        if (name_eq(name, list[i].name)) return list[i].instance;
    return NULL;
}

static void remember(struct named *list, unsigned *n, const char *name, struct wasm_instance *in)
{
    if (*n < MAX_NAMED) {
        fmt_snprintf(list[*n].name, sizeof(list[*n].name), "%s", name);
        list[(*n)++].instance = in;
    }
}

/* Loads and instantiates `filename`: 0, or the failing step's error with *why set. */
static int instantiate(struct spec *s, const char *filename, struct wasm_instance **out,
                       const char **why, struct wasm_trap *trap)
{
    size_t len;
    char path[192];
    const uint8_t *bytes;
    struct wasm_module *m;
    struct wasm_error err;
    struct wasm_extern ext[256];
    uint32_t n;
    int r;

    *why = "missing file";
    fmt_snprintf(path, sizeof(path), "%s%s", s->dir, filename ? filename : "");
    bytes = filename ? s->io->lookup(s->io->ctx, path, &len) : NULL;
    if (!bytes) return TK_ERR_NOENT;
    r = wasm_module_load(bytes, len, &m, &err);
    if (r < 0) {
        *why = err.reason;
        return r;
    }
    if (s->nmodules < sizeof(s->modules) / sizeof(s->modules[0])) s->modules[s->nmodules++] = m;
    n = wasm_module_import_count(m);
    if (n > 256) {
        *why = "too many imports";
        return TK_ERR_LIMIT;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_import_desc d;
        struct wasm_instance *from;
        wasm_module_import(m, i, &d);
        if (name_eq(d.module, "spectest") && spectest_lookup(s, d.name, &ext[i])) continue;
        from = find(s->registered, s->nregistered, d.module);
        if (!from || wasm_instance_export(from, d.name, &ext[i]) < 0) {
            *why = "unknown import";
            return TK_ERR_UNLINKABLE;
        }
    }
    r = wasm_instance_new(s->store, m, ext, n, out, &err, trap);
    if (r < 0) *why = err.reason;
    return r;
}

static bool parse_value(const struct json *v, union wasm_value *out)
{
    const char *type = json_get_str(v, "type"), *val = json_get_str(v, "value");

    memset(out, 0, sizeof(*out));
    if (str_eq(type, "externref") || str_eq(type, "funcref")) {
        out->ref = (!val || str_eq(val, "null")) ? NULL : (void *)(uintptr_t)(parse_u64(val) + 1);
        return true;
    }
    if (str_eq(type, "i32") || str_eq(type, "f32")) {
        out->i32 = (uint32_t)parse_u64(val);
        return true;
    }
    out->i64 = parse_u64(val);
    return true;
}

/* Runs an action: 0 with results, TK_ERR_TRAP with *trap, or another error. */
static int do_action(struct spec *s, const struct json *action, union wasm_value *results,
                     uint32_t *nresults, struct wasm_trap *trap)
{
    const char *mod = json_get_str(action, "module"), *field = json_get_str(action, "field");
    struct wasm_instance *in = s->current;
    struct wasm_extern ext;
    const struct json *fnode = json_get_node_str(action, "field");
    struct wasm_name fname = {fnode ? (uint32_t)fnode->len : 0, field};
    union wasm_value args[64];
    uint32_t nargs = 0;
    struct wasm_functype_desc ft;

    if (mod) in = find(s->names, s->nnames, (struct wasm_name){(uint32_t)strlen(mod), mod});
    if (!in || !field || wasm_instance_export(in, fname, &ext) < 0) return TK_ERR_NOENT;
    if (str_eq(json_get_str(action, "type"), "get")) {
        struct wasm_typed_value v;
        if (ext.kind != WASM_EXTERN_GLOBAL) return TK_ERR_INVAL;
        v = wasm_global_get(ext.of.global);
        results[0] = v.of;
        *nresults = 1;
        return 0;
    }
    if (ext.kind != WASM_EXTERN_FUNC) return TK_ERR_INVAL;
    for (const struct json *a = json_get(action, "args") ? json_get(action, "args")->child : NULL;
         a && nargs < 64; a = a->next)
        parse_value(a, &args[nargs++]);
    wasm_func_type(ext.of.func, &ft);
    *nresults = ft.nresults;
    if (ft.nresults > 64) return TK_ERR_LIMIT;
    return wasm_func_call(s->store, ext.of.func, args, nargs, results, ft.nresults, trap);
}

static bool value_matches(const struct json *want, const union wasm_value *got)
{
    const char *type = json_get_str(want, "type"), *val = json_get_str(want, "value");

    if (str_eq(type, "f32") && val && val[0] == 'n') {
        uint32_t b = got->i32 & 0x7fffffffu;
        return str_eq(val, "nan:canonical") ? b == 0x7fc00000u : (b & 0x7fc00000u) == 0x7fc00000u;
    }
    if (str_eq(type, "f64") && val && val[0] == 'n') {
        uint64_t b = got->i64 & 0x7fffffffffffffffull;
        return str_eq(val, "nan:canonical") ? b == 0x7ff8000000000000ull
                                            : (b & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
    }
    if (str_eq(type, "funcref") && !val) return got->ref != NULL;
    if (str_eq(type, "externref") || str_eq(type, "funcref")) {
        union wasm_value w;
        parse_value(want, &w);
        return w.ref == got->ref;
    }
    if (str_eq(type, "i32") || str_eq(type, "f32")) return got->i32 == (uint32_t)parse_u64(val);
    return got->i64 == parse_u64(val);
}

/* Our message matches the suite's when one starts with the other (the suite's texts
 * are sometimes abbreviated, e.g. "unknown global" for "unknown global 3"). */
static bool message_matches(const char *ours, const char *want)
{
    size_t a, b;

    if (!ours || !want) return false;
    a = strlen(ours);
    b = strlen(want);
    return !memcmp(ours, want, a < b ? a : b);
}

static void cmd_module(struct spec *s, const struct json *c, unsigned line)
{
    const char *name = json_get_str(c, "name"), *why;
    struct wasm_instance *in;
    struct wasm_trap trap;

    if (instantiate(s, json_get_str(c, "filename"), &in, &why, &trap) < 0) {
        report(s, line, "module failed: %s", why ? why : "?");
        s->counts->failed++;
        s->current = NULL;
        return;
    }
    s->current = in;
    if (name) remember(s->names, &s->nnames, name, in);
    s->counts->passed++;
}

static void cmd_assert_return(struct spec *s, const struct json *c, unsigned line, bool any)
{
    union wasm_value results[64];
    uint32_t n = 0;
    struct wasm_trap trap;
    const struct json *want = json_get(c, "expected");
    int r = do_action(s, json_get(c, "action"), results, &n, &trap);
    unsigned k = 0;

    if (r < 0) {
        report(s, line, "action failed: %s",
               r == TK_ERR_TRAP ? wasm_trap_message(trap.kind) : tk_strerror(r));
        s->counts->failed++;
        return;
    }
    for (const struct json *w = want ? want->child : NULL; !any && w; w = w->next, k++) {
        if (k >= n || !value_matches(w, &results[k])) {
            report(s, line, "result %u: got 0x%llx, want %s %s", k,
                   k < n ? (unsigned long long)results[k].i64 : 0ull, json_get_str(w, "type"),
                   json_get_str(w, "value") ? json_get_str(w, "value") : "");
            s->counts->failed++;
            return;
        }
    }
    s->counts->passed++;
}

static void cmd_assert_trap(struct spec *s, const struct json *c, unsigned line)
{
    const char *text = json_get_str(c, "text"), *why;
    union wasm_value results[64];
    uint32_t n;
    struct wasm_trap trap = {0};
    struct wasm_instance *in;
    int r;

    if (json_get(c, "action"))
        r = do_action(s, json_get(c, "action"), results, &n, &trap);
    else
        r = instantiate(s, json_get_str(c, "filename"), &in, &why, &trap);
    if (r != TK_ERR_TRAP) {
        report(s, line, "expected trap '%s', got %s", text, r ? tk_strerror(r) : "success");
        s->counts->failed++;
    } else if (!message_matches(wasm_trap_message(trap.kind), text)) {
        report(s, line, "trap '%s', want '%s'", wasm_trap_message(trap.kind), text);
        s->counts->failed++;
    } else {
        s->counts->passed++;
    }
}

static void cmd_assert_module_fails(struct spec *s, const struct json *c, unsigned line,
                                    const char *type)
{
    const char *text = json_get_str(c, "text"), *why = NULL;
    struct wasm_instance *in;
    struct wasm_trap trap;
    int r;

    if (str_eq(json_get_str(c, "module_type"), "text")) {
        s->counts->not_applicable++;
        return;
    }
    r = instantiate(s, json_get_str(c, "filename"), &in, &why, &trap);
    if (str_eq(type, "assert_uninstantiable") ? r != TK_ERR_TRAP
        : str_eq(type, "assert_unlinkable")   ? r != TK_ERR_UNLINKABLE
        : str_eq(type, "assert_invalid")      ? r != TK_ERR_INVALID && r != TK_ERR_MALFORMED
                                              : r != TK_ERR_MALFORMED && r != TK_ERR_INVALID) {
        report(s, line, "%s '%s': got %s (%s)", type, text, r ? tk_error_name(r) : "success",
               why ? why : "");
        s->counts->failed++;
    } else if (!str_eq(type, "assert_uninstantiable") && !message_matches(why, text)) {
        report(s, line, "%s: message '%s', want '%s'", type, why, text);
        s->counts->failed++;
    } else {
        s->counts->passed++;
    }
}

/* assert_exhaustion, assert_exception: the action must end in the trap `kind`. */
static void cmd_assert_ends(struct spec *s, const struct json *c, unsigned line, int kind)
{
    union wasm_value results[64];
    uint32_t n;
    struct wasm_trap trap = {0};
    int r = do_action(s, json_get(c, "action"), results, &n, &trap);

    if (r == TK_ERR_TRAP && trap.kind == kind) {
        s->counts->passed++;
        return;
    }
    report(s, line, "expected %s, got %s", wasm_trap_message(kind),
           r == TK_ERR_TRAP ? wasm_trap_message(trap.kind)
           : r              ? tk_strerror(r)
                            : "no trap");
    s->counts->failed++;
}

static void run_command(struct spec *s, const struct json *c)
{
    int (*skip_fn)(void *, const char *, unsigned) = s->io->skipped;
    const char *type = json_get_str(c, "type");
    unsigned line = (unsigned)parse_u64(json_get_str(c, "line"));

    if (s->io->skipped && s->io->skipped(s->io->ctx, s->file, line)) {
        /* run it anyway, so a skip that now passes is reported and can be removed */
        struct spec_counts *real = s->counts, probe = {0};
        s->counts = &probe;
        s->io->skipped = NULL;
        s->probing = true;
        run_command(s, c);
        s->probing = false;
        s->io->skipped = skip_fn;
        s->counts = real;
        real->skipped++;
        if (probe.passed && !probe.failed) {
            real->skips_now_passing++;
            real->failed++;
            report(s, line, "skipped but passes now: remove it from the skip list");
        }
        return;
    }
    if (str_eq(type, "module")) {
        cmd_module(s, c, line);
    } else if (str_eq(type, "register")) {
        const char *name = json_get_str(c, "name"), *as = json_get_str(c, "as");
        struct wasm_instance *in =
            name ? find(s->names, s->nnames, (struct wasm_name){(uint32_t)strlen(name), name})
                 : s->current;
        if (in && as) {
            remember(s->registered, &s->nregistered, as, in);
            s->counts->passed++;
        } else {
            report(s, line, "register: no module");
            s->counts->failed++;
        }
    } else if (str_eq(type, "assert_return")) {
        cmd_assert_return(s, c, line, false);
    } else if (str_eq(type, "action")) {
        cmd_assert_return(s, c, line, true);
    } else if (str_eq(type, "assert_trap")) {
        cmd_assert_trap(s, c, line);
    } else if (str_eq(type, "assert_exhaustion")) {
        cmd_assert_ends(s, c, line, WASM_TRAP_STACK_EXHAUSTED);
    } else if (str_eq(type, "assert_exception")) {
        cmd_assert_ends(s, c, line, WASM_TRAP_EXCEPTION); /* uncaught */
    } else if (str_eq(type, "assert_invalid") || str_eq(type, "assert_malformed") ||
               str_eq(type, "assert_unlinkable") || str_eq(type, "assert_uninstantiable")) {
        cmd_assert_module_fails(s, c, line, type);
    } else {
        report(s, line, "unknown command '%s'", type ? type : "?");
        s->counts->failed++;
    }
}

int spec_run_file(struct spec_io *io, const char *json_name, struct spec_counts *counts)
{
    struct spec *s = wasm_calloc(1, sizeof(*s));
    size_t len;
    const uint8_t *text = io->lookup(io->ctx, json_name, &len);
    struct json *doc = NULL;
    int r = 0;

    if (!s) return TK_ERR_NOMEM;
    s->io = io;
    s->file = json_name;
    s->counts = counts;
    for (size_t i = 0, n = strlen(json_name); i < n && i + 1 < sizeof(s->dir); i++)
        if (json_name[i] == '/') fmt_snprintf(s->dir, i + 2, "%s", json_name);
    if (!text || !(doc = json_parse((const char *)text, len))) {
        report(s, 0, "cannot read or parse %s", json_name);
        counts->failed++;
        r = TK_ERR_MALFORMED;
        goto out;
    }
    if (!(s->store = wasm_store_new()) || spectest_init(s) < 0) {
        r = TK_ERR_NOMEM;
        goto out;
    }
    for (const struct json *c = json_get(doc, "commands") ? json_get(doc, "commands")->child : NULL;
         c; c = c->next)
        run_command(s, c);
out:
    wasm_store_free(s->store);
    for (unsigned i = 0; i < s->nmodules; i++) wasm_module_free(s->modules[i]);
    json_free(doc);
    wasm_platform_free(s);
    return r;
}
