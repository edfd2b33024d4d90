/*
 * lib/manifest.c inside a Wasm module, the way init uses it: tests/image/run.sh builds
 * this with clang --target=wasm32 (no libc: lib/string.c supplies memset) and runs the
 * exports with takara-wasm. The image tests also use the module as a service's .wasm.
 */
#include "lib/manifest.h"

static struct manifest m;
static struct manifest_error err;

static const char good[] = "# a boot manifest\n"
                           "[service shell]\n"
                           "module = shell.wasm\n"
                           "args = -p \"takara> \"\n"
                           "memory = 4M\n"
                           "caps = console spawn\n";
static const char bad[] = "[service shell]\nmodule = shell.wasm\n\nmemroy = 4M\n";

/* Fields of `good` folded into one number: 1 service, 64 pages, 2 args, caps 3. */
int probe_good(void)
{
    int r = manifest_parse(good, sizeof(good) - 1, &m, &err);

    if (r < 0) return r;
    return (int)(m.nservices * 100000 + (uint32_t)(m.services[0].memory >> 16) * 100 +
                 m.services[0].argc * 10 + m.services[0].caps);
}

/* The error code and line of `bad`: -2 (TK_ERR_INVAL) at line 4 gives -24. */
int probe_bad(void)
{
    int r = manifest_parse(bad, sizeof(bad) - 1, &m, &err);

    return r * 10 - (int)err.line;
}
