/* Command-line lookup (cmdline.h). Portable: also built for the host unit tests. */
#include "kernel/cmdline.h"

static bool cmdline_word_has_key(const char *w, const char *key, const char **value)
{
    while (*key && *w == *key) {
        w++;
        key++;
    }
    if (*key || *w != '=') return false;
    *value = w + 1;
    return true;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
    const char *p = cmdline;

    while (*p) {
        const char *value;

        while (*p == ' ') p++;
        if (cmdline_word_has_key(p, key, &value)) {
            size_t n = 0;
            while (value[n] && value[n] != ' ' && n + 1 < size) {
                buf[n] = value[n];
                n++;
            }
            if (size) buf[n] = 0;
            return true;
        }
        while (*p && *p != ' ') p++;
    }
    return false;
}

long cmdline_get_long(const char *cmdline, const char *key, long fallback)
{
    char buf[24];
    long v = 0;
    const char *p = buf;
    bool neg = false;

    if (!cmdline_get(cmdline, key, buf, sizeof(buf)) || !*buf) return fallback;
    if (*p == '-') {
        neg = true;
        p++;
    }
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return fallback;
        v = v * 10 + (*p - '0');
    }
    return neg ? -v : v;
}
