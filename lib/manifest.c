/*
 * Boot manifest parser (format and rules in manifest.h). One pass over the text, line by
 * line; each line is checked whole (length, NUL bytes, quotes) before it is read, so the
 * first problem stops the parse with its line number. Freestanding: no libc, no
 * allocation; the few string helpers are local so the file builds alone for the kernel,
 * the host and wasm32.
 */
#include "lib/manifest.h"

#include <stdbool.h>
#include <takara/caps.h>
#include <takara/error.h>
#include <takara/handle.h>

#include "lib/string.h"

/* The result's cap field is an int: every capability bit must stay below the sign bit. */
#define TK_CAP(name, bit, word) _Static_assert((bit) < 31, "capability " word " too high");
#include <takara/caps.def>
#undef TK_CAP

static const struct {
    const char *word;
    uint32_t bit;
} manifest_caps[] = {
#define TK_CAP(name, bit, word) {word, TK_CAP_##name},
#include <takara/caps.def>
#undef TK_CAP
};

static const char *const manifest_restarts[] = {
    [MANIFEST_RESTART_NEVER] = "never",
    [MANIFEST_RESTART_ON_TRAP] = "on-trap",
    [MANIFEST_RESTART_ALWAYS] = "always",
};

static const char *const manifest_orphan_words[] = {
    [MANIFEST_ORPHANS_END] = "end",
    [MANIFEST_ORPHANS_ADOPT] = "adopt",
};

/* Keys of a service block; `seen` in the parser keeps one bit per key to refuse repeats. */
enum manifest_key {
    MANIFEST_KEY_MODULE,
    MANIFEST_KEY_ARGS,
    MANIFEST_KEY_MEMORY,
    MANIFEST_KEY_CAPS,
    MANIFEST_KEY_RESTART,
    MANIFEST_KEY_RESTARTS,
    MANIFEST_KEY_USES,
    MANIFEST_KEY_ENV,
    MANIFEST_KEY_RESERVE,
    MANIFEST_KEY_ORPHANS,
    MANIFEST_KEY_IRQ, /* the device grants, in the order of enum tk_resource_kind */
    MANIFEST_KEY_IOPORT,
    MANIFEST_KEY_MMIO,
    MANIFEST_KEY_DMA,
    MANIFEST_KEY_COUNT,
};

static const char *const manifest_keys[MANIFEST_KEY_COUNT] = {
    [MANIFEST_KEY_MODULE] = "module",   [MANIFEST_KEY_ARGS] = "args",
    [MANIFEST_KEY_MEMORY] = "memory",   [MANIFEST_KEY_CAPS] = "caps",
    [MANIFEST_KEY_RESTART] = "restart", [MANIFEST_KEY_RESTARTS] = "restarts",
    [MANIFEST_KEY_USES] = "uses",       [MANIFEST_KEY_ENV] = "env",
    [MANIFEST_KEY_RESERVE] = "reserve", [MANIFEST_KEY_ORPHANS] = "orphans",
    [MANIFEST_KEY_IRQ] = "irq",         [MANIFEST_KEY_IOPORT] = "ioport",
    [MANIFEST_KEY_MMIO] = "mmio",       [MANIFEST_KEY_DMA] = "dma",
};

#define MANIFEST_PAGE     65536ull
#define MANIFEST_MAX_MEM  (65536ull * MANIFEST_PAGE) /* 4G: the whole 32-bit address space */
#define MANIFEST_QUOTE_AT 40                         /* user text quoted in messages, bytes */

struct manifest_parser {
    struct manifest *out;
    struct manifest_error *err;
    uint32_t line;                /* the line being read, 1-based */
    struct manifest_service *svc; /* the open block, NULL before the first */
    uint32_t svc_line;            /* line of its header, for "has no module" */
    uint32_t seen;                /* keys given in the open block, 1 << enum manifest_key */
};

static bool manifest_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static size_t manifest_strlen(const char *s)
{
    size_t n = 0;

    while (s[n]) n++;
    return n;
}

/* Does the `n`-byte string `s` equal the NUL-terminated `word`? */
static bool manifest_equals(const char *s, size_t n, const char *word)
{
    size_t i = 0;

    for (; i < n; i++)
        if (word[i] == 0 || word[i] != s[i]) return false;
    return word[i] == 0;
}

/* Appends NUL-terminated `s` to the message at *n, truncating at the buffer's end. */
static void manifest_msg_add(struct manifest_error *err, size_t *n, const char *s, size_t len)
{
    for (size_t i = 0; i < len && s[i] && *n + 1 < sizeof(err->message); i++)
        err->message[(*n)++] = s[i];
    err->message[*n] = 0;
}

/*
 * Records an error: the message is `before` 'quoted' `after` (the quoted part left out
 * when `quoted` is NULL). Quoted user text is cut short and made printable, so hostile
 * input cannot make a message long or put control bytes on a terminal.
 */
static int manifest_fail(struct manifest_parser *p, int code, const char *before,
                         const char *quoted, size_t qlen, const char *after)
{
    struct manifest_error *err = p->err;
    size_t n = 0;

    err->line = p->line;
    err->message[0] = 0;
    manifest_msg_add(err, &n, before, SIZE_MAX);
    if (quoted) {
        manifest_msg_add(err, &n, "'", 1);
        for (size_t i = 0; i < qlen && i < MANIFEST_QUOTE_AT; i++) {
            char c = (quoted[i] >= 0x20 && quoted[i] < 0x7f) ? quoted[i] : '?';
            manifest_msg_add(err, &n, &c, 1);
        }
        if (qlen > MANIFEST_QUOTE_AT) manifest_msg_add(err, &n, "...", 3);
        manifest_msg_add(err, &n, "'", 1);
    }
    manifest_msg_add(err, &n, after, SIZE_MAX);
    return code;
}

int manifest_cap_from_word(const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof(manifest_caps) / sizeof(manifest_caps[0]); i++)
        if (manifest_equals(word, len, manifest_caps[i].word)) return (int)manifest_caps[i].bit;
    return TK_ERR_NOENT;
}

const char *manifest_cap_word(uint32_t bit)
{
    for (size_t i = 0; i < sizeof(manifest_caps) / sizeof(manifest_caps[0]); i++)
        if (manifest_caps[i].bit == bit) return manifest_caps[i].word;
    return NULL;
}

const char *manifest_restart_word(uint8_t restart)
{
    return restart <= MANIFEST_RESTART_ALWAYS ? manifest_restarts[restart] : NULL;
}

const char *manifest_orphans_word(uint8_t orphans)
{
    return orphans <= MANIFEST_ORPHANS_ADOPT ? manifest_orphan_words[orphans] : NULL;
}

/* Records why manifest_split_args gave up, for callers that want to say it. */
static int manifest_split_fail(const char **reason, int code, const char *why)
{
    if (reason) *reason = why;
    return code;
}

int manifest_split_args(const char *line, size_t len, char *out, size_t cap, uint32_t max_argc,
                        uint32_t *out_len, uint32_t *argc, const char **reason)
{
    size_t i = 0, n = 0;
    uint32_t count = 0;

    if (cap > UINT32_MAX) cap = UINT32_MAX; /* *out_len must be able to say how much */
    for (;;) {
        bool quoted = false;

        while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
        if (i == len) break;
        if (count == max_argc) return manifest_split_fail(reason, TK_ERR_LIMIT, "too many words");
        while (i < len && (quoted || (line[i] != ' ' && line[i] != '\t'))) {
            char c = line[i++];

            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (c == 0) return manifest_split_fail(reason, TK_ERR_INVAL, "NUL byte");
            if (c == '\\') {
                if (i == len || (line[i] != '"' && line[i] != '\\'))
                    return manifest_split_fail(reason, TK_ERR_INVAL,
                                               "bad escape (only \\\" and \\\\)");
                c = line[i++];
            }
            if (n == cap) return manifest_split_fail(reason, TK_ERR_LIMIT, "words too long");
            out[n++] = c;
        }
        if (quoted) return manifest_split_fail(reason, TK_ERR_INVAL, "unterminated quote");
        if (n == cap) return manifest_split_fail(reason, TK_ERR_LIMIT, "words too long");
        out[n++] = 0;
        count++;
    }
    *out_len = (uint32_t)n;
    *argc = count;
    return 0;
}

/* Ends the open block: a service without a module cannot start. */
static int manifest_close_service(struct manifest_parser *p)
{
    struct manifest_service *s = p->svc;
    uint32_t line = p->line;
    int r = 0;

    if (s && !(p->seen & (1u << MANIFEST_KEY_MODULE))) {
        p->line = p->svc_line; /* point at the block, not at where it ended */
        r = manifest_fail(p, TK_ERR_INVAL, "service ", s->name, manifest_strlen(s->name),
                          " has no module");
        p->line = line;
    }
    return r;
}

static bool manifest_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > 31) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* `[service NAME]`, surrounding spaces and comment already gone. */
static int manifest_parse_header(struct manifest_parser *p, const char *s, size_t n)
{
    static const char expected[] = "expected '[service NAME]'";
    struct manifest *m = p->out;
    struct manifest_service *svc;
    const char *name;
    size_t i = 1, len;
    int r;

    if (n < 2 || s[n - 1] != ']') return manifest_fail(p, TK_ERR_INVAL, expected, NULL, 0, "");
    n--;
    while (i < n && manifest_is_space(s[i])) i++;
    if (n - i < 8 || !manifest_equals(s + i, 7, "service") || !manifest_is_space(s[i + 7]))
        return manifest_fail(p, TK_ERR_INVAL, expected, NULL, 0, "");
    i += 7;
    while (i < n && manifest_is_space(s[i])) i++;
    while (n > i && manifest_is_space(s[n - 1])) n--;
    name = s + i;
    len = n - i;
    if (!manifest_name_ok(name, len))
        return manifest_fail(p, TK_ERR_INVAL, "bad service name ", name, len,
                             " (1 to 31 of a-z 0-9 _ -)");
    r = manifest_close_service(p);
    if (r < 0) return r;
    for (uint32_t k = 0; k < m->nservices; k++)
        if (manifest_equals(name, len, m->services[k].name))
            return manifest_fail(p, TK_ERR_INVAL, "duplicate service ", name, len, "");
    if (m->nservices == MANIFEST_MAX_SERVICES)
        return manifest_fail(p, TK_ERR_LIMIT, "too many services (at most 16)", NULL, 0, "");
    _Static_assert(MANIFEST_MAX_SERVICES == 16, "the message above names the limit");

    svc = &m->services[m->nservices++];
    for (size_t k = 0; k < len; k++) svc->name[k] = name[k];
    svc->name[len] = 0;
    svc->memory = MANIFEST_DEFAULT_MEMORY;
    svc->restart = MANIFEST_RESTART_ON_TRAP;
    svc->max_restarts = MANIFEST_DEFAULT_RESTARTS;
    svc->orphans = MANIFEST_ORPHANS_END;
    p->svc = svc;
    p->svc_line = p->line;
    p->seen = 0;
    return 0;
}

static int manifest_set_module(struct manifest_parser *p, const char *v, size_t n)
{
    struct manifest_service *svc = p->svc;

    bool ok = n < sizeof(svc->module);

    for (size_t i = 0; i < n && ok; i++) {
        char c = v[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    }
    if (!ok)
        return manifest_fail(p, TK_ERR_INVAL, "bad module name ", v, n,
                             " (A-Z a-z 0-9 . _ -, at most 63)");
    if (n <= 5 || !manifest_equals(v + n - 5, 5, ".wasm"))
        return manifest_fail(p, TK_ERR_INVAL, "module ", v, n, " does not end in .wasm");
    for (size_t i = 0; i < n; i++) svc->module[i] = v[i];
    svc->module[n] = 0;
    return 0;
}

static int manifest_set_args(struct manifest_parser *p, const char *v, size_t n)
{
    struct manifest_service *svc = p->svc;
    const char *why = "";
    int r;

    r = manifest_split_args(v, n, svc->args, sizeof(svc->args), MANIFEST_MAX_ARGS, &svc->args_len,
                            &svc->argc, &why);
    if (r < 0) return manifest_fail(p, r, "args: ", NULL, 0, why);
    return 0;
}

int manifest_env_word(const char *s, size_t *name_len)
{
    size_t n = 0;

    if (s[0] >= '0' && s[0] <= '9') return 0;
    for (; s[n] && s[n] != '='; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    if (n == 0 || s[n] != '=') return 0;
    *name_len = n;
    return 1;
}

/* `env = A=1 B="two words"`: split like args, each word NAME=value, each name once. */
static int manifest_set_env(struct manifest_parser *p, const char *v, size_t n)
{
    struct manifest_service *svc = p->svc;
    const char *why = "";
    size_t name_len, other_len;
    int r;

    r = manifest_split_args(v, n, svc->env, sizeof(svc->env), MANIFEST_MAX_ENV, &svc->env_len,
                            &svc->envc, &why);
    if (r < 0) return manifest_fail(p, r, "env: ", NULL, 0, why);
    for (uint32_t at = 0; at < svc->env_len; at += (uint32_t)manifest_strlen(svc->env + at) + 1) {
        const char *w = svc->env + at;
        if (!manifest_env_word(w, &name_len))
            return manifest_fail(p, TK_ERR_INVAL, "env: ", w, manifest_strlen(w),
                                 " is not NAME=value");
        for (uint32_t o = 0; o < at; o += (uint32_t)manifest_strlen(svc->env + o) + 1) {
            manifest_env_word(svc->env + o, &other_len);
            if (other_len == name_len && !memcmp(svc->env + o, w, name_len))
                return manifest_fail(p, TK_ERR_INVAL, "env: ", w, name_len, " given twice");
        }
    }
    return 0;
}

/* Decimal digits into *out; false if empty, not digits or above `max`. */
static bool manifest_parse_decimal(const char *v, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t x = 0;

    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') return false;
        x = x * 10 + (uint64_t)(v[i] - '0');
        if (x > max) return false; /* checked each digit, so x * 10 never overflows */
    }
    *out = x;
    return true;
}

static int manifest_set_memory(struct manifest_parser *p, const char *v, size_t n)
{
    uint64_t x, unit = 1;
    size_t digits = n;

    if (n > 0) {
        switch (v[n - 1]) {
        case 'K':
        case 'k': unit = 1024, digits--; break;
        case 'M':
        case 'm': unit = 1024 * 1024, digits--; break;
        case 'G':
        case 'g': unit = 1024 * 1024 * 1024, digits--; break;
        }
    }
    for (size_t i = 0; i < digits; i++)
        if (v[i] < '0' || v[i] > '9')
            return manifest_fail(p, TK_ERR_INVAL, "bad memory size ", v, n,
                                 " (bytes, or a number with K, M or G)");
    if (!manifest_parse_decimal(v, digits, MANIFEST_MAX_MEM / unit, &x)) {
        if (digits == 0)
            return manifest_fail(p, TK_ERR_INVAL, "bad memory size ", v, n,
                                 " (bytes, or a number with K, M or G)");
        return manifest_fail(p, TK_ERR_INVAL, "memory ", v, n, " is over 4G");
    }
    x *= unit;
    if (x == 0 || x % MANIFEST_PAGE)
        return manifest_fail(p, TK_ERR_INVAL, "memory ", v, n,
                             " is not a positive multiple of 64K");
    p->svc->memory = x;
    return 0;
}

static int manifest_set_caps(struct manifest_parser *p, const char *v, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t start;
        int bit;

        while (i < n && manifest_is_space(v[i])) i++;
        start = i;
        while (i < n && !manifest_is_space(v[i])) i++;
        if (i == start) break;
        bit = manifest_cap_from_word(v + start, i - start);
        if (bit < 0)
            return manifest_fail(p, TK_ERR_INVAL, "unknown capability ", v + start, i - start, "");
        if (p->svc->caps & (uint32_t)bit)
            return manifest_fail(p, TK_ERR_INVAL, "capability ", v + start, i - start,
                                 " given twice");
        p->svc->caps |= (uint32_t)bit;
    }
    return 0;
}

static int manifest_set_restart(struct manifest_parser *p, const char *v, size_t n)
{
    for (uint8_t k = 0; k <= MANIFEST_RESTART_ALWAYS; k++) {
        if (manifest_equals(v, n, manifest_restarts[k])) {
            p->svc->restart = k;
            return 0;
        }
    }
    return manifest_fail(p, TK_ERR_INVAL, "unknown restart policy ", v, n,
                         " (never, on-trap or always)");
}

static int manifest_set_orphans(struct manifest_parser *p, const char *v, size_t n)
{
    for (uint8_t k = 0; k <= MANIFEST_ORPHANS_ADOPT; k++) {
        if (manifest_equals(v, n, manifest_orphan_words[k])) {
            p->svc->orphans = k;
            return 0;
        }
    }
    return manifest_fail(p, TK_ERR_INVAL, "unknown orphans policy ", v, n, " (end or adopt)");
}

static int manifest_set_restarts(struct manifest_parser *p, const char *v, size_t n)
{
    uint64_t x;

    if (!manifest_parse_decimal(v, n, UINT32_MAX, &x))
        return manifest_fail(p, TK_ERR_INVAL, "bad restart count ", v, n, " (0 to 4294967295)");
    p->svc->max_restarts = (uint32_t)x;
    return 0;
}

/* `reserve = yes | no` */
static int manifest_set_reserve(struct manifest_parser *p, const char *v, size_t n)
{
    if (manifest_equals(v, n, "yes") || manifest_equals(v, n, "no")) {
        p->svc->reserve = v[0] == 'y';
        return 0;
    }
    return manifest_fail(p, TK_ERR_INVAL, "reserve must be yes or no, not ", v, n, "");
}

/* `uses = a b`: names of services this one may connect to, resolved once all are read. */
static int manifest_set_uses(struct manifest_parser *p, const char *v, size_t n)
{
    size_t i = 0;

    p->svc->uses_line = p->line;
    while (i < n) {
        size_t start;

        while (i < n && manifest_is_space(v[i])) i++;
        start = i;
        while (i < n && !manifest_is_space(v[i])) i++;
        if (i == start) break;
        if (p->svc->nuses == MANIFEST_MAX_USES)
            return manifest_fail(p, TK_ERR_LIMIT, "too many services in uses (at most 8)", NULL, 0,
                                 "");
        if (i - start >= sizeof(p->svc->uses_names[0]))
            return manifest_fail(p, TK_ERR_INVAL, "service name too long: ", v + start, i - start,
                                 "");
        memcpy(p->svc->uses_names[p->svc->nuses], v + start, i - start);
        p->svc->uses_names[p->svc->nuses++][i - start] = 0;
    }
    return 0;
}

/* Every `uses` name must be a service of the manifest. */
static int manifest_resolve_uses(struct manifest_parser *p)
{
    for (uint32_t s = 0; s < p->out->nservices; s++) {
        struct manifest_service *svc = &p->out->services[s];
        for (uint32_t u = 0; u < svc->nuses; u++) {
            uint32_t t = 0;
            while (t < p->out->nservices && strcmp(p->out->services[t].name, svc->uses_names[u]))
                t++;
            if (t == p->out->nservices) {
                p->line = svc->uses_line;
                return manifest_fail(p, TK_ERR_INVAL, "uses unknown service ", svc->uses_names[u],
                                     strlen(svc->uses_names[u]), "");
            }
            svc->uses |= 1u << t;
        }
    }
    return 0;
}

/* ---- device grants: irq, ioport, mmio, dma ---- */

/* The limits of each kind's numbers (one past the last), and its unit of alignment. */
static uint64_t manifest_grant_end(uint32_t kind)
{
    switch (kind) {
    case TK_RESOURCE_IRQ: return TK_IRQ_MSI_BASE + TK_IRQ_MSI_SLOTS;
    case TK_RESOURCE_IOPORT: return 0x10000;
    case TK_RESOURCE_MMIO: return 1ull << 52;
    default: return 4ull << 30; /* dma: bytes */
    }
}

const char *manifest_grant_word(uint32_t kind)
{
    switch (kind) {
    case TK_RESOURCE_IRQ: return "irq";
    case TK_RESOURCE_IOPORT: return "ioport";
    case TK_RESOURCE_MMIO: return "mmio";
    case TK_RESOURCE_DMA: return "dma";
    default: return NULL;
    }
}

/* A number: decimal or 0x hex, with an optional K, M or G; false if malformed or past
 * 2^52 (every limit is below). */
static bool manifest_parse_number(const char *v, size_t n, uint64_t *out)
{
    uint64_t x = 0, unit = 1, base = 10;
    size_t i = 0;

    if (n > 0 && (v[n - 1] == 'K' || v[n - 1] == 'M' || v[n - 1] == 'G')) {
        unit = v[n - 1] == 'K' ? 1ull << 10 : v[n - 1] == 'M' ? 1ull << 20 : 1ull << 30;
        n--;
    }
    if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) base = 16, i = 2;
    if (i == n) return false;
    for (; i < n; i++) {
        char c = v[i];
        uint64_t d = c >= '0' && c <= '9'   ? (uint64_t)(c - '0')
                     : c >= 'a' && c <= 'f' ? (uint64_t)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (uint64_t)(c - 'A' + 10)
                                            : 99;
        if (d >= base) return false;
        x = x * base + d;
        if (x > (1ull << 52)) return false; /* checked each digit: no overflow */
    }
    if (x > (1ull << 52) / unit) return false;
    *out = x * unit;
    return true;
}

/* One word of a grant: N, FIRST-LAST (inclusive) or BASE+SIZE; for dma, a SIZE. */
static int manifest_parse_grant(struct manifest_parser *p, uint32_t kind, const char *v, size_t n)
{
    static const char *const forms[] = {
        [TK_RESOURCE_IRQ] = " (a line N, FIRST-LAST or BASE+COUNT)",
        [TK_RESOURCE_IOPORT] = " (a port N, FIRST-LAST or BASE+COUNT, below 0x10000)",
        [TK_RESOURCE_MMIO] = " (BASE+SIZE or FIRST-LAST, whole 4K pages)",
        [TK_RESOURCE_DMA] = " (a size in bytes, whole 4K pages, at most 4G)",
    };
    struct manifest_service *svc = p->svc;
    uint64_t a, b = 1, end = manifest_grant_end(kind);
    size_t cut = 0;
    bool ok;

    while (cut < n && v[cut] != '-' && v[cut] != '+') cut++;
    ok = manifest_parse_number(v, cut, &a);
    if (ok && cut < n) ok = manifest_parse_number(v + cut + 1, n - cut - 1, &b);
    if (ok && cut < n && v[cut] == '-') { /* FIRST-LAST: a count of LAST - FIRST + 1 */
        ok = b >= a;
        b = b - a + 1;
    }
    if (kind == TK_RESOURCE_DMA) { /* a size alone: bytes [0, SIZE) */
        ok = ok && cut == n;
        b = a;
        a = 0;
    }
    ok = ok && b > 0 && a < end && b <= end - a;
    if (ok && (kind == TK_RESOURCE_MMIO || kind == TK_RESOURCE_DMA))
        ok = !(a % 4096) && !(b % 4096);
    if (!ok) return manifest_fail(p, TK_ERR_INVAL, "bad grant ", v, n, forms[kind]);
    if (svc->ngrants == MANIFEST_MAX_GRANTS)
        return manifest_fail(p, TK_ERR_LIMIT, "too many device grants (at most 8)", NULL, 0, "");
    _Static_assert(MANIFEST_MAX_GRANTS == 8, "the message above names the limit");
    svc->grants[svc->ngrants++] = (struct manifest_grant){kind, a, b};
    return 0;
}

/* `irq = 4 8`, `ioport = 0x3f8-0x3ff`, `mmio = 0xfebf0000+0x1000`, `dma = 64K`: words. */
static int manifest_set_grants(struct manifest_parser *p, uint32_t kind, const char *v, size_t n)
{
    size_t i = 0;
    int r;

    while (i < n) {
        size_t start;

        while (i < n && manifest_is_space(v[i])) i++;
        start = i;
        while (i < n && !manifest_is_space(v[i])) i++;
        if (i > start && (r = manifest_parse_grant(p, kind, v + start, i - start)) < 0) return r;
    }
    return 0;
}

void manifest_grant_name(const struct manifest_service *svc, uint32_t i, char *out, size_t cap)
{
    const char *word = manifest_grant_word(svc->grants[i].kind);
    uint32_t nth = 0;
    size_t n = 0;
    char digits[4];
    int nd = 0;

    for (uint32_t k = 0; k < i; k++) nth += svc->grants[k].kind == svc->grants[i].kind;
    do digits[nd++] = (char)('0' + nth % 10);
    while ((nth /= 10) && nd < 4);
    for (; word[n] && n + 1 < cap; n++) out[n] = word[n];
    while (nd && n + 1 < cap) out[n++] = digits[--nd];
    out[n] = 0;
}

/* `key = value`, surrounding spaces and comment already gone. */
static int manifest_parse_pair(struct manifest_parser *p, const char *s, size_t n)
{
    size_t i = 0, klen, vstart;
    int key = -1;

    while (i < n && s[i] != '=' && !manifest_is_space(s[i])) i++;
    klen = i;
    while (i < n && manifest_is_space(s[i])) i++;
    if (klen == 0 || i == n || s[i] != '=')
        return manifest_fail(p, TK_ERR_INVAL, "expected 'key = value' or '[service NAME]'", NULL, 0,
                             "");
    i++;
    while (i < n && manifest_is_space(s[i])) i++;
    vstart = i;

    for (int k = 0; k < MANIFEST_KEY_COUNT; k++)
        if (manifest_equals(s, klen, manifest_keys[k])) key = k;
    if (key < 0) return manifest_fail(p, TK_ERR_INVAL, "unknown key ", s, klen, "");
    if (!p->svc)
        return manifest_fail(p, TK_ERR_INVAL, "key ", s, klen, " outside a [service NAME] block");
    if (p->seen & (1u << key)) return manifest_fail(p, TK_ERR_INVAL, "duplicate key ", s, klen, "");
    p->seen |= 1u << key;

    s += vstart;
    n -= vstart;
    if (n == 0 && key != MANIFEST_KEY_ARGS && key != MANIFEST_KEY_CAPS &&
        key != MANIFEST_KEY_USES && key != MANIFEST_KEY_ENV)
        return manifest_fail(p, TK_ERR_INVAL, "missing value for ", manifest_keys[key],
                             manifest_strlen(manifest_keys[key]), "");
    switch (key) {
    case MANIFEST_KEY_MODULE: return manifest_set_module(p, s, n);
    case MANIFEST_KEY_ARGS: return manifest_set_args(p, s, n);
    case MANIFEST_KEY_MEMORY: return manifest_set_memory(p, s, n);
    case MANIFEST_KEY_CAPS: return manifest_set_caps(p, s, n);
    case MANIFEST_KEY_RESTART: return manifest_set_restart(p, s, n);
    case MANIFEST_KEY_USES: return manifest_set_uses(p, s, n);
    case MANIFEST_KEY_ENV: return manifest_set_env(p, s, n);
    case MANIFEST_KEY_RESERVE: return manifest_set_reserve(p, s, n);
    case MANIFEST_KEY_ORPHANS: return manifest_set_orphans(p, s, n);
    case MANIFEST_KEY_IRQ:
    case MANIFEST_KEY_IOPORT:
    case MANIFEST_KEY_MMIO:
    case MANIFEST_KEY_DMA:
        return manifest_set_grants(p, TK_RESOURCE_IRQ + (uint32_t)(key - MANIFEST_KEY_IRQ), s, n);
    default: return manifest_set_restarts(p, s, n);
    }
}

/*
 * One line without its LF. The comment is found with the quoting rules of args, so a
 * `#` inside quotes stays, and an unterminated quote is reported here for any key.
 */
static int manifest_parse_line(struct manifest_parser *p, const char *s, size_t n)
{
    bool quoted = false;
    size_t i, start = 0;

    if (n > MANIFEST_MAX_LINE)
        return manifest_fail(p, TK_ERR_INVAL, "line too long (at most 1024 bytes)", NULL, 0, "");
    _Static_assert(MANIFEST_MAX_LINE == 1024, "the message above names the limit");
    for (i = 0; i < n; i++)
        if (s[i] == 0) return manifest_fail(p, TK_ERR_INVAL, "NUL byte in line", NULL, 0, "");
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\'))
            i++;
        else if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == '#' && !quoted)
            break;
    }
    if (quoted) return manifest_fail(p, TK_ERR_INVAL, "unterminated quote", NULL, 0, "");
    n = i;
    while (start < n && manifest_is_space(s[start])) start++;
    while (n > start && manifest_is_space(s[n - 1])) n--;
    if (start == n) return 0;
    if (s[start] == '[') return manifest_parse_header(p, s + start, n - start);
    return manifest_parse_pair(p, s + start, n - start);
}

int manifest_parse(const char *text, size_t len, struct manifest *out, struct manifest_error *err)
{
    struct manifest_parser p = {.out = out, .err = err};
    size_t pos = 0;
    int r;

    *out = (struct manifest){0};
    err->line = 0;
    err->message[0] = 0;
    while (pos < len) {
        size_t end = pos;

        while (end < len && text[end] != '\n') end++;
        p.line++;
        r = manifest_parse_line(&p, text + pos, end - pos);
        if (r < 0) return r;
        pos = end < len ? end + 1 : end;
    }
    if ((r = manifest_close_service(&p)) < 0) return r;
    return manifest_resolve_uses(&p);
}
