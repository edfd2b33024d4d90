/*
 * Argument parsing, the trap-kind table, the kernel counters' leak check and startup handles by
 * name for modules. The trap messages mirror the engine's (wasm_trap_message in wasm/module.c;
 * kinds are enum wasm_trap_kind): modules cannot link the engine, and tk_exit_info carries only the
 * kind number.
 */
#include <takara.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"

bool tk_parse_int(const char *s, int64_t *out)
{
    bool neg = false;
    uint64_t v = 0, base = 10, limit;

    if (*s == '-' || *s == '+') neg = *s++ == '-';
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0') return false;
    /* The magnitude may reach 2^63 only when negative (INT64_MIN). */
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s != '\0'; s++) {
        uint64_t d;

        if (*s >= '0' && *s <= '9')
            d = (uint64_t)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (uint64_t)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (uint64_t)(*s - 'A' + 10);
        else
            return false;
        if (v > (limit - d) / base) return false;
        v = v * base + d;
    }
    /* Negate in unsigned arithmetic: INT64_MIN has no positive counterpart. */
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

bool tk_parse_size(const char *s, uint64_t *out)
{
    char digits[24];
    size_t n = 0;
    uint64_t shift = 0;
    int64_t v;

    while (s[n] >= '0' && s[n] <= '9' && n < sizeof digits - 1) {
        digits[n] = s[n];
        n++;
    }
    digits[n] = '\0';
    switch (s[n]) {
    case '\0': break;
    case 'k':
    case 'K': shift = 10; break;
    case 'm':
    case 'M': shift = 20; break;
    case 'g':
    case 'G': shift = 30; break;
    default: return false;
    }
    if (shift != 0 && s[n + 1] != '\0') return false;
    if (!tk_parse_int(digits, &v) || (uint64_t)v > (UINT64_MAX >> shift)) return false;
    *out = (uint64_t)v << shift;
    return true;
}

const char *tk_trap_message(uint32_t kind)
{
    static const char *const messages[] = {
        [1] = "unreachable",
        [2] = "integer divide by zero",
        [3] = "integer overflow",
        [4] = "invalid conversion to integer",
        [5] = "out of bounds memory access",
        [6] = "out of bounds table access",
        [7] = "undefined element",
        [8] = "uninitialized element",
        [9] = "indirect call type mismatch",
        [10] = "call stack exhausted",
        [11] = "host function trapped",
        [12] = "kernel fault", /* inside an import: tk_exit_info.func_name names it */
        [13] = "uncaught exception",
        [14] = "out of memory",
    };

    if (kind >= sizeof messages / sizeof messages[0] || messages[kind] == NULL)
        return "unknown trap";
    return messages[kind];
}

void tk_trap_describe(const struct tk_exit_info *info, char *buf, size_t size)
{
    char func[TK_NAME_MAX + 1];
    size_t n;

    /* The kernel NUL-terminates func_name, but a module cannot assume it: bound it. */
    for (n = 0; n < TK_NAME_MAX && info->func_name[n] != '\0'; n++) func[n] = info->func_name[n];
    func[n] = '\0';
    if (n == 0) fmt_snprintf(func, sizeof func, "func[%u]", (unsigned)info->func_index);
    fmt_snprintf(buf, size, "%s in %s at offset 0x%x", tk_trap_message((uint32_t)info->code), func,
                 (unsigned)info->code_offset);
}

void tk_exit_describe(const struct tk_exit_info *info, char *buf, size_t size)
{
    char trap[96];

    switch (info->reason) {
    case TK_EXIT_NORMAL: fmt_snprintf(buf, size, "exited with code %d", (int)info->code); break;
    case TK_EXIT_TRAP:
        tk_trap_describe(info, trap, sizeof trap);
        fmt_snprintf(buf, size, "trapped: %s", trap);
        break;
    case TK_EXIT_KILLED: fmt_snprintf(buf, size, "killed"); break;
    case TK_EXIT_FAILED:
        fmt_snprintf(buf, size, "failed to start: %s (%s)", tk_error_name(info->code),
                     tk_strerror(info->code));
        break;
    default: fmt_snprintf(buf, size, "ended (reason %u)", (unsigned)info->reason); break;
    }
}

bool tk_kernel_stats_equal(const struct tk_kernel_stats *a, const struct tk_kernel_stats *b)
{
    return a->objects == b->objects && a->heap_blocks == b->heap_blocks &&
           a->free_bytes == b->free_bytes && a->processes == b->processes &&
           a->threads == b->threads;
}

void tk_kernel_stats_quiet(struct tk_kernel_stats *out, int64_t timeout_ns)
{
    struct tk_kernel_stats now;
    int64_t deadline = tk_clock_ns() + timeout_ns;

    tk_kernel_stats(out);
    do {
        tk_sleep_ns(100000000LL);
        tk_kernel_stats(&now);
        if (tk_kernel_stats_equal(out, &now)) return;
        *out = now;
    } while (tk_clock_ns() < deadline);
}

bool tk_kernel_stats_settle(const struct tk_kernel_stats *want, struct tk_kernel_stats *now,
                            int64_t timeout_ns)
{
    int64_t deadline = tk_clock_ns() + timeout_ns;

    for (;;) {
        tk_kernel_stats(now);
        if (tk_kernel_stats_equal(want, now)) return true;
        if (tk_clock_ns() > deadline) return false;
        tk_sleep_ns(10000000LL);
    }
}

int32_t tk_startup_handle(const char *name, tk_handle *out)
{
    return tk_startup_handle_take(name, (uint32_t)strlen(name), out);
}

bool tk_startup_handle_set(struct tk_startup_handle *e, const char *name, tk_handle h)
{
    size_t n = strlen(name);

    if (n == 0 || n >= TK_STARTUP_NAME_MAX) return false;
    memset(e->name, 0, sizeof e->name);
    memcpy(e->name, name, n);
    e->handle = h;
    return true;
}
