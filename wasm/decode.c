/*
 * The binary decoder: sections into struct wasm_module (module.h). Structure only —
 * function bodies are kept as byte ranges for the validator — but every count, length
 * and index encoding is checked here, with the spec testsuite's wording. Counts are
 * bounded by the bytes left before anything is allocated, so a hostile length cannot
 * make the engine allocate more than the module's own size allows.
 */
#include <takara/error.h>

#include "wasm/decode.h"
#include "wasm/features.h"
#include "wasm/instr.h"
#include "wasm/module.h"
#include "wasm/opcodes.h"
#include "wasm/reader.h"
#include "wasm/shim.h"

#define WASM_MAGIC      0x6d736100u
#define WASM_VERSION    1u
#define WASM_MAX_LOCALS 50000u
#define WASM_MAX_PAGES  65536u

enum {
    SEC_CUSTOM = 0,
    SEC_TYPE,
    SEC_IMPORT,
    SEC_FUNCTION,
    SEC_TABLE,
    SEC_MEMORY,
    SEC_GLOBAL,
    SEC_EXPORT,
    SEC_START,
    SEC_ELEMENT,
    SEC_CODE,
    SEC_DATA,
    SEC_DATACOUNT,
    SEC_TAG, /* exception handling */
};

/* The order sections must appear in (datacount sits between element and code, the tag
 * section between memory and global). */
static const uint8_t section_rank[] = {
    [SEC_TYPE] = 1,       [SEC_IMPORT] = 2, [SEC_FUNCTION] = 3, [SEC_TABLE] = 4, [SEC_MEMORY] = 5,
    [SEC_TAG] = 6,        [SEC_GLOBAL] = 7, [SEC_EXPORT] = 8,   [SEC_START] = 9, [SEC_ELEMENT] = 10,
    [SEC_DATACOUNT] = 11, [SEC_CODE] = 12,  [SEC_DATA] = 13,
};

static bool exceptions_missing(struct wasm_reader *r)
{
    return wasm_reader_fail_code(r, TK_ERR_UNSUPPORTED, WASM_FEATURE_MISSING("exceptions"));
}

/* A tag type: an attribute byte (0: exception) and a function type index. */
static bool read_tagtype(struct wasm_reader *r, uint32_t *type)
{
    uint8_t attr;

    if (!WASM_FEATURE_EXCEPTIONS) return exceptions_missing(r);
    if (!wasm_read_u8(r, &attr)) return false;
    if (attr != 0) return wasm_reader_fail(r, "malformed tag attribute");
    return wasm_read_u32(r, type);
}

/* Reads a vector length: every item takes at least a byte, so a length beyond the bytes
 * left is malformed before anything is allocated for it. */
static bool read_count(struct wasm_reader *r, uint32_t *n)
{
    if (!wasm_read_u32(r, n)) return false;
    if (*n > wasm_reader_left(r))
        return wasm_reader_fail(r, "unexpected end of section or function");
    return true;
}

static bool alloc_array(struct wasm_reader *r, void **out, uint32_t n, size_t size)
{
    *out = wasm_calloc(n ? n : 1, size);
    if (!*out) return wasm_reader_fail_code(r, TK_ERR_NOMEM, "out of memory");
    return true;
}

static bool is_valtype(uint8_t t)
{
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 || t == WASM_FUNCREF ||
           t == WASM_EXTERNREF;
}

bool wasm_decode_valtype(struct wasm_reader *r, uint8_t *out)
{
    if (!wasm_read_u8(r, out)) return false;
    if (!is_valtype(*out)) return wasm_reader_fail(r, "malformed value type");
    return true;
}

static bool read_reftype(struct wasm_reader *r, uint8_t *out)
{
    if (!wasm_read_u8(r, out)) return false;
    if (*out != WASM_FUNCREF && *out != WASM_EXTERNREF)
        return wasm_reader_fail(r, "malformed reference type");
    return true;
}

static bool read_limits(struct wasm_reader *r, struct wasm_limits *l)
{
    uint8_t flags;
    uint32_t v;

    if (!wasm_read_u8(r, &flags)) return false;
    if (flags & 0x80) /* the flag is a one-byte LEB128 */
        return wasm_reader_fail(r, "integer representation too long");
    if (flags > 1) return wasm_reader_fail(r, "integer too large");
    if (!wasm_read_u32(r, &v)) return false;
    l->min = v;
    l->has_max = flags == 1;
    if (l->has_max) {
        if (!wasm_read_u32(r, &v)) return false;
        l->max = v;
    }
    return true;
}

static bool read_tabletype(struct wasm_reader *r, struct wasm_tabletype *t)
{
    return read_reftype(r, &t->elem) && read_limits(r, &t->limits);
}

static bool read_globaltype(struct wasm_reader *r, struct wasm_globaltype *g)
{
    uint8_t mut;

    if (!wasm_decode_valtype(r, &g->type) || !wasm_read_u8(r, &mut)) return false;
    if (mut > 1) return wasm_reader_fail(r, "malformed mutability");
    g->mutable_ = mut;
    return true;
}

/*
 * A constant expression: instructions up to `end` that must leave exactly one value.
 * Wasm 2.0 allows only t.const, ref.null, ref.func and global.get; anything else is
 * "constant expression required", a count other than one is "type mismatch" (both
 * invalid, not malformed). Types are checked by validation. With extended-const, i32
 * and i64 add, sub and mul make it an expression kept as bytes, whose stack validation
 * checks (validate_module.c).
 */
static bool read_init(struct wasm_reader *r, struct wasm_init *init)
{
    const uint8_t *start = r->p;
    uint32_t values = 0;
    bool extended = false;

    for (;;) {
        struct wasm_init one;
        uint8_t op;

        if (!wasm_read_u8(r, &op)) return false;
        switch (op) {
        case WASM_OP_END:
            if (extended) {
                *init = (struct wasm_init){.kind = WASM_INIT_EXPR};
                init->expr = start;
                init->expr_len = (uint32_t)(r->p - start);
                return true;
            }
            if (values != 1) return wasm_reader_fail_code(r, TK_ERR_INVALID, "type mismatch");
            return true;
        case WASM_OP_I32_ADD:
        case WASM_OP_I32_SUB:
        case WASM_OP_I32_MUL:
        case WASM_OP_I64_ADD:
        case WASM_OP_I64_SUB:
        case WASM_OP_I64_MUL:
            if (!WASM_FEATURE_EXTENDED_CONST)
                return wasm_reader_fail_code(r, TK_ERR_UNSUPPORTED,
                                             WASM_FEATURE_MISSING("extended-const"));
            extended = true;
            continue;
        case WASM_OP_I32_CONST: {
            int32_t v;
            if (!wasm_read_s32(r, &v)) return false;
            one = (struct wasm_init){WASM_INIT_CONST, WASM_I32, 0, {.i32 = (uint32_t)v}, NULL, 0};
            break;
        }
        case WASM_OP_I64_CONST: {
            int64_t v;
            if (!wasm_read_s64(r, &v)) return false;
            one = (struct wasm_init){WASM_INIT_CONST, WASM_I64, 0, {.i64 = (uint64_t)v}, NULL, 0};
            break;
        }
        case WASM_OP_F32_CONST:
        case WASM_OP_F64_CONST: {
            const uint8_t *b;
            uint32_t n = op == WASM_OP_F32_CONST ? 4 : 8;
            if (!wasm_read_bytes(r, n, &b)) return false;
            one =
                (struct wasm_init){WASM_INIT_CONST, n == 4 ? WASM_F32 : WASM_F64, 0, {0}, NULL, 0};
            memcpy(&one.value.i64, b, n);
            break;
        }
        case WASM_OP_REF_NULL: {
            uint8_t t;
            if (!read_reftype(r, &t)) return false;
            one = (struct wasm_init){WASM_INIT_REF_NULL, t, 0, {0}, NULL, 0};
            break;
        }
        case WASM_OP_REF_FUNC:
        case WASM_OP_GLOBAL_GET: {
            uint32_t idx;
            if (!wasm_read_u32(r, &idx)) return false;
            one = op == WASM_OP_REF_FUNC
                      ? (struct wasm_init){WASM_INIT_REF_FUNC, WASM_FUNCREF, idx, {0}, NULL, 0}
                      : (struct wasm_init){WASM_INIT_GLOBAL_GET, 0, idx, {0}, NULL, 0};
            break;
        }
        default:
            if (!wasm_op_exists(op)) return wasm_reader_fail(r, "illegal opcode");
            return wasm_reader_fail_code(r, TK_ERR_INVALID, "constant expression required");
        }
        if (values++ == 0) *init = one;
    }
}

static bool decode_types(struct wasm_reader *r, struct wasm_module *m)
{
    if (!read_count(r, &m->ntypes) ||
        !alloc_array(r, (void **)&m->types, m->ntypes, sizeof(*m->types)))
        return false;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        struct wasm_functype *t = &m->types[i];
        uint8_t form;
        uint32_t np, nr;
        const uint8_t *ps, *rs;

        if (!wasm_read_u8(r, &form)) return false;
        if (form != 0x60) return wasm_reader_fail(r, "integer representation too long");
        if (!read_count(r, &np) || !wasm_read_bytes(r, np, &ps) || !read_count(r, &nr) ||
            !wasm_read_bytes(r, nr, &rs))
            return false;
        if (!alloc_array(r, (void **)&t->types, np + nr, 1)) return false;
        for (uint32_t k = 0; k < np + nr; k++) {
            t->types[k] = k < np ? ps[k] : rs[k - np];
            if (!is_valtype(t->types[k])) return wasm_reader_fail(r, "malformed value type");
        }
        t->nparams = np;
        t->nresults = nr;
    }
    return true;
}

static bool decode_imports(struct wasm_reader *r, struct wasm_module *m)
{
    if (!read_count(r, &m->nimports) ||
        !alloc_array(r, (void **)&m->imports, m->nimports, sizeof(*m->imports)))
        return false;
    for (uint32_t i = 0; i < m->nimports; i++) {
        struct wasm_import *im = &m->imports[i];

        if (!wasm_read_name(r, &im->module) || !wasm_read_name(r, &im->name) ||
            !wasm_read_u8(r, &im->kind))
            return false;
        switch (im->kind) {
        case WASM_EXTERN_FUNC:
            if (!wasm_read_u32(r, &im->desc.type_index)) return false;
            m->nimported_funcs++;
            break;
        case WASM_EXTERN_TABLE:
            if (!read_tabletype(r, &im->desc.table)) return false;
            m->nimported_tables++;
            break;
        case WASM_EXTERN_MEMORY:
            if (!read_limits(r, &im->desc.memory.limits)) return false;
            m->nimported_memories++;
            break;
        case WASM_EXTERN_GLOBAL:
            if (!read_globaltype(r, &im->desc.global)) return false;
            m->nimported_globals++;
            break;
        case WASM_EXTERN_TAG:
            if (!read_tagtype(r, &im->desc.tag_type)) return false;
            m->nimported_tags++;
            break;
        default: return wasm_reader_fail(r, "malformed import kind");
        }
    }
    return true;
}

static bool decode_functions(struct wasm_reader *r, struct wasm_module *m, uint32_t *ndefined)
{
    uint32_t n;

    if (!read_count(r, &n)) return false;
    if (!alloc_array(r, (void **)&m->func_types, m->nimported_funcs + n, sizeof(uint32_t)))
        return false;
    for (uint32_t i = 0, k = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WASM_EXTERN_FUNC)
            m->func_types[k++] = m->imports[i].desc.type_index;
    for (uint32_t i = 0; i < n; i++)
        if (!wasm_read_u32(r, &m->func_types[m->nimported_funcs + i])) return false;
    *ndefined = n;
    return true;
}

/* Tables, memories and globals: imported ones first in each index space. */
static bool decode_tables(struct wasm_reader *r, struct wasm_module *m)
{
    uint32_t n, k = 0;

    if (!read_count(r, &n) ||
        !alloc_array(r, (void **)&m->tables, m->nimported_tables + n, sizeof(*m->tables)))
        return false;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WASM_EXTERN_TABLE) m->tables[k++] = m->imports[i].desc.table;
    for (uint32_t i = 0; i < n; i++)
        if (!read_tabletype(r, &m->tables[k++])) return false;
    m->ntables = k;
    return true;
}

static bool decode_memories(struct wasm_reader *r, struct wasm_module *m)
{
    uint32_t n, k = 0;

    if (!read_count(r, &n) ||
        !alloc_array(r, (void **)&m->memories, m->nimported_memories + n, sizeof(*m->memories)))
        return false;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WASM_EXTERN_MEMORY) m->memories[k++] = m->imports[i].desc.memory;
    for (uint32_t i = 0; i < n; i++)
        if (!read_limits(r, &m->memories[k++].limits)) return false;
    m->nmemories = k;
    return true;
}

static bool decode_globals(struct wasm_reader *r, struct wasm_module *m)
{
    uint32_t n, k = 0;

    if (!read_count(r, &n) ||
        !alloc_array(r, (void **)&m->globals, m->nimported_globals + n, sizeof(*m->globals)))
        return false;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WASM_EXTERN_GLOBAL)
            m->globals[k++].type = m->imports[i].desc.global;
    for (uint32_t i = 0; i < n; i++, k++)
        if (!read_globaltype(r, &m->globals[k].type) || !read_init(r, &m->globals[k].init))
            return false;
    m->nglobals = k;
    return true;
}

static bool decode_tags(struct wasm_reader *r, struct wasm_module *m)
{
    uint32_t n, k = 0;

    if (!read_count(r, &n) ||
        !alloc_array(r, (void **)&m->tags, m->nimported_tags + n, sizeof(*m->tags)))
        return false;
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WASM_EXTERN_TAG) m->tags[k++] = m->imports[i].desc.tag_type;
    for (uint32_t i = 0; i < n; i++)
        if (!read_tagtype(r, &m->tags[k++])) return false;
    m->ntags = k;
    return true;
}

static bool decode_exports(struct wasm_reader *r, struct wasm_module *m)
{
    if (!read_count(r, &m->nexports) ||
        !alloc_array(r, (void **)&m->exports, m->nexports, sizeof(*m->exports)))
        return false;
    for (uint32_t i = 0; i < m->nexports; i++) {
        struct wasm_export *e = &m->exports[i];
        if (!wasm_read_name(r, &e->name) || !wasm_read_u8(r, &e->kind) ||
            !wasm_read_u32(r, &e->index))
            return false;
        if (e->kind == WASM_EXTERN_TAG && !WASM_FEATURE_EXCEPTIONS) return exceptions_missing(r);
        if (e->kind > WASM_EXTERN_TAG) return wasm_reader_fail(r, "malformed export kind");
    }
    return true;
}

/* Element segment items: function indices (kinds 0-3) or expressions (4-7). */
static bool decode_elem_items(struct wasm_reader *r, struct wasm_elem *e, bool exprs)
{
    if (!read_count(r, &e->count) ||
        !alloc_array(r, (void **)&e->items, e->count, sizeof(*e->items)))
        return false;
    for (uint32_t i = 0; i < e->count; i++) {
        if (exprs) {
            if (!read_init(r, &e->items[i])) return false;
        } else {
            uint32_t f;
            if (!wasm_read_u32(r, &f)) return false;
            e->items[i] = (struct wasm_init){WASM_INIT_REF_FUNC, WASM_FUNCREF, f, {0}, NULL, 0};
        }
    }
    return true;
}

static bool decode_elements(struct wasm_reader *r, struct wasm_module *m)
{
    if (!read_count(r, &m->nelems) ||
        !alloc_array(r, (void **)&m->elems, m->nelems, sizeof(*m->elems)))
        return false;
    for (uint32_t i = 0; i < m->nelems; i++) {
        struct wasm_elem *e = &m->elems[i];
        uint32_t kind;
        bool exprs, has_table, has_type;
        uint8_t elemkind;

        if (!wasm_read_u32(r, &kind)) return false;
        if (kind > 7) return wasm_reader_fail(r, "malformed elements segment kind");
        exprs = kind & 4;
        e->mode = (kind & 1) ? ((kind & 2) ? WASM_SEGMENT_DECLARATIVE : WASM_SEGMENT_PASSIVE)
                             : WASM_SEGMENT_ACTIVE;
        has_table = (kind & 3) == 2;
        has_type = kind & 3; /* every kind but 0 and 4 spells its element type */
        e->type = WASM_FUNCREF;
        if (has_table && !wasm_read_u32(r, &e->table)) return false;
        if (e->mode == WASM_SEGMENT_ACTIVE && !read_init(r, &e->offset)) return false;
        if (has_type) {
            if (exprs) {
                if (!read_reftype(r, &e->type)) return false;
            } else {
                if (!wasm_read_u8(r, &elemkind)) return false;
                if (elemkind != 0) return wasm_reader_fail(r, "malformed element kind");
            }
        }
        if (!decode_elem_items(r, e, exprs)) return false;
    }
    return true;
}

static bool decode_code(struct wasm_reader *r, struct wasm_module *m, uint32_t ndefined)
{
    uint32_t n;

    if (!read_count(r, &n)) return false;
    if (n != ndefined)
        return wasm_reader_fail(r, "function and code section have inconsistent lengths");
    if (!alloc_array(r, (void **)&m->codes, n, sizeof(*m->codes))) return false;
    m->ncodes = n;
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_code *c = &m->codes[i];
        struct wasm_reader body = *r;
        uint32_t size, nruns;
        uint64_t total = 0;
        const uint8_t *start;

        if (!wasm_read_u32(r, &size) || !wasm_read_bytes(r, size, &start)) return false;
        body.p = start;
        body.end = start + size;
        if (!read_count(&body, &nruns) ||
            !alloc_array(&body, (void **)&c->local_runs, nruns, sizeof(*c->local_runs)))
            return false;
        c->nlocal_runs = nruns;
        for (uint32_t k = 0; k < nruns; k++) {
            if (!wasm_read_u32(&body, &c->local_runs[k].count) ||
                !wasm_decode_valtype(&body, &c->local_runs[k].type))
                return false;
            total += c->local_runs[k].count;
            if (total > WASM_MAX_LOCALS) return wasm_reader_fail(&body, "too many locals");
        }
        c->nlocals = (uint32_t)total;
        /* a body that stops short of its `end` while the section goes on */
        if (body.end < r->end && (body.end == body.p || body.end[-1] != WASM_OP_END))
            return wasm_reader_fail(&body, "END opcode expected");
        c->body = body.p;
        c->body_len = (uint32_t)(body.end - body.p);
        c->body_offset = wasm_reader_offset(&body);
    }
    return true;
}

static bool decode_data(struct wasm_reader *r, struct wasm_module *m)
{
    uint32_t n;

    if (!read_count(r, &n)) return false;
    if (m->has_datacount && n != m->ndatas)
        return wasm_reader_fail(r, "data count and data section have inconsistent lengths");
    m->ndatas = n;
    if (!alloc_array(r, (void **)&m->datas, n, sizeof(*m->datas))) return false;
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_data *d = &m->datas[i];
        uint32_t kind;

        if (!wasm_read_u32(r, &kind)) return false;
        if (kind > 2) return wasm_reader_fail(r, "malformed data segment kind");
        d->mode = kind == 1 ? WASM_SEGMENT_PASSIVE : WASM_SEGMENT_ACTIVE;
        if (kind == 2 && !wasm_read_u32(r, &d->memory)) return false;
        if (d->mode == WASM_SEGMENT_ACTIVE && !read_init(r, &d->offset)) return false;
        if (!wasm_read_u32(r, &d->len)) return false;
        if (d->len > wasm_reader_left(r))
            return wasm_reader_fail(r, "unexpected end of section or function");
        if (!wasm_read_bytes(r, d->len, &d->bytes)) return false;
    }
    return true;
}

/* The "name" custom section: only function names; damage there is ignored (the spec
 * says custom sections never make a module malformed). */
static void decode_names(struct wasm_reader r, struct wasm_module *m)
{
    while (wasm_reader_left(&r) > 0) {
        uint8_t id;
        uint32_t size, n;
        struct wasm_reader sub;

        if (!wasm_read_u8(&r, &id) || !wasm_read_u32(&r, &size) || size > wasm_reader_left(&r))
            return;
        sub = r;
        sub.end = r.p + size;
        r.p += size;
        if (id != 1 || m->func_names) continue;
        m->func_names = wasm_calloc(m->nfuncs ? m->nfuncs : 1, sizeof(*m->func_names));
        if (!m->func_names || !wasm_read_u32(&sub, &n)) return;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t idx;
            struct wasm_name name;
            if (!wasm_read_u32(&sub, &idx) || !wasm_read_name(&sub, &name)) return;
            if (idx < m->nfuncs) m->func_names[idx] = name;
        }
    }
}

static bool decode_section(struct wasm_reader *r, struct wasm_module *m, uint8_t id,
                           uint32_t *ndefined)
{
    switch (id) {
    case SEC_TYPE: return decode_types(r, m);
    case SEC_IMPORT: return decode_imports(r, m);
    case SEC_FUNCTION: return decode_functions(r, m, ndefined);
    case SEC_TABLE: return decode_tables(r, m);
    case SEC_MEMORY: return decode_memories(r, m);
    case SEC_GLOBAL: return decode_globals(r, m);
    case SEC_EXPORT: return decode_exports(r, m);
    case SEC_START: m->has_start = true; return wasm_read_u32(r, &m->start);
    case SEC_ELEMENT: return decode_elements(r, m);
    case SEC_CODE: return decode_code(r, m, *ndefined);
    case SEC_DATA: return decode_data(r, m);
    case SEC_DATACOUNT: m->has_datacount = true; return wasm_read_u32(r, &m->ndatas);
    case SEC_TAG: return WASM_FEATURE_EXCEPTIONS ? decode_tags(r, m) : exceptions_missing(r);
    default: return wasm_reader_fail(r, "malformed section id");
    }
}

/* Index spaces not given by a section still need their arrays (imports only). */
static bool decode_finish(struct wasm_reader *r, struct wasm_module *m, uint32_t ndefined,
                          bool seen_code)
{
    if (!m->func_types) {
        /* no function section: the index space holds the imports only */
        if (!alloc_array(r, (void **)&m->func_types, m->nimported_funcs, sizeof(uint32_t)))
            return false;
        for (uint32_t i = 0, k = 0; i < m->nimports; i++)
            if (m->imports[i].kind == WASM_EXTERN_FUNC)
                m->func_types[k++] = m->imports[i].desc.type_index;
    }
    if (ndefined && !seen_code)
        return wasm_reader_fail(r, "function and code section have inconsistent lengths");
    m->nfuncs = m->nimported_funcs + ndefined;
    if (!m->tables) {
        uint32_t k = 0;
        if (!alloc_array(r, (void **)&m->tables, m->nimported_tables, sizeof(*m->tables)))
            return false;
        for (uint32_t i = 0; i < m->nimports; i++)
            if (m->imports[i].kind == WASM_EXTERN_TABLE) m->tables[k++] = m->imports[i].desc.table;
        m->ntables = k;
    }
    if (!m->memories) {
        uint32_t k = 0;
        if (!alloc_array(r, (void **)&m->memories, m->nimported_memories, sizeof(*m->memories)))
            return false;
        for (uint32_t i = 0; i < m->nimports; i++)
            if (m->imports[i].kind == WASM_EXTERN_MEMORY)
                m->memories[k++] = m->imports[i].desc.memory;
        m->nmemories = k;
    }
    if (!m->globals) {
        uint32_t k = 0;
        if (!alloc_array(r, (void **)&m->globals, m->nimported_globals, sizeof(*m->globals)))
            return false;
        for (uint32_t i = 0; i < m->nimports; i++)
            if (m->imports[i].kind == WASM_EXTERN_GLOBAL)
                m->globals[k++].type = m->imports[i].desc.global;
        m->nglobals = k;
    }
    if (!m->tags) {
        uint32_t k = 0;
        if (!alloc_array(r, (void **)&m->tags, m->nimported_tags, sizeof(*m->tags))) return false;
        for (uint32_t i = 0; i < m->nimports; i++)
            if (m->imports[i].kind == WASM_EXTERN_TAG) m->tags[k++] = m->imports[i].desc.tag_type;
        m->ntags = k;
    }
    if (!m->datas && m->has_datacount && m->ndatas)
        return wasm_reader_fail(r, "data count and data section have inconsistent lengths");
    return true;
}

bool wasm_decode_module(struct wasm_module *m, struct wasm_error *err)
{
    struct wasm_reader r = {m->bytes, m->bytes + m->len, m->bytes, 0, err};
    const uint8_t *hdr;
    uint32_t ndefined = 0;
    uint8_t last_rank = 0;
    bool seen_code = false;
    struct wasm_reader names = {0};

    if (!wasm_read_bytes(&r, 4, &hdr)) return wasm_reader_fail(&r, "unexpected end");
    if ((uint32_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24) != WASM_MAGIC)
        return wasm_reader_fail(&r, "magic header not detected");
    if (!wasm_read_bytes(&r, 4, &hdr)) return wasm_reader_fail(&r, "unexpected end");
    if ((uint32_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24) != WASM_VERSION)
        return wasm_reader_fail(&r, "unknown binary version");

    while (wasm_reader_left(&r) > 0) {
        uint8_t id;
        uint32_t size;
        struct wasm_reader sec;

        if (!wasm_read_u8(&r, &id)) return false;
        r.section = id;
        if (id > SEC_TAG) return wasm_reader_fail(&r, "malformed section id");
        if (!wasm_read_u32(&r, &size)) return false;
        if (size > wasm_reader_left(&r)) return wasm_reader_fail(&r, "length out of bounds");
        sec = r;
        sec.end = r.p + size;
        r.p += size;
        if (id == SEC_CUSTOM) {
            struct wasm_name name;
            if (!wasm_read_name(&sec, &name)) return false;
            if (name.len == 4 && !memcmp(name.str, "name", 4)) names = sec;
            continue;
        }
        if (section_rank[id] <= last_rank)
            return wasm_reader_fail(&sec, "unexpected content after last section");
        last_rank = section_rank[id];
        if (id == SEC_CODE) seen_code = true;
        if (id == SEC_CODE && !m->func_types && !decode_finish(&sec, m, 0, true)) return false;
        if (!decode_section(&sec, m, id, &ndefined)) return false;
        if (sec.p != sec.end) return wasm_reader_fail(&sec, "section size mismatch");
    }
    if (!decode_finish(&r, m, ndefined, seen_code)) return false;
    if (names.base) decode_names(names, m);
    return true;
}
