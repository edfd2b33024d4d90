/*
 * Features beyond Wasm 2.0 in builds that have them and in one that leaves them out
 * (the host-nofeat flavour): each module needs exactly one feature, named by its file
 * (tests/engine/features/FEATURE.wat). With the feature it must load, instantiate and
 * return 1 from its export "run"; without it, loading must fail with TK_ERR_UNSUPPORTED
 * and a reason that names the feature.
 *
 *   features-test with|without FEATURE.wasm...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <takara/error.h>

#include "tools/host/read_file.h"
#include "wasm/wasm.h"

static int run_one(const char *path, const char *feature, int with)
{
    size_t len = 0;
    unsigned char *buf = host_read_file(path, &len);
    struct wasm_module *m = NULL;
    struct wasm_error err = {0};
    struct wasm_store *st;
    struct wasm_instance *in;
    struct wasm_trap t;
    struct wasm_extern e;
    union wasm_value r = {0};
    int rc, ok;

    if (!buf) {
        printf("FAIL engine/feature-%s: cannot read %s\n", feature, path);
        return 0;
    }
    rc = wasm_module_load(buf, len, &m, &err);
    free(buf);
    if (!with) {
        ok = rc == TK_ERR_UNSUPPORTED && err.reason && strstr(err.reason, feature);
        printf(ok ? "PASS engine/feature-%s-left-out\n"
                  : "FAIL engine/feature-%s-left-out: want an unsupported error naming it, got "
                    "%d (%s)\n",
               feature, rc, err.reason ? err.reason : "");
        if (rc == 0) wasm_module_free(m);
        return ok;
    }
    if (rc < 0) {
        printf("FAIL engine/feature-%s: load: %s\n", feature, err.reason);
        return 0;
    }
    st = wasm_store_new();
    ok = st && wasm_instance_new(st, m, NULL, 0, &in, &err, &t) == 0 &&
         wasm_instance_export(in, (struct wasm_name){3, "run"}, &e) == 0 &&
         wasm_func_call(st, e.of.func, NULL, 0, &r, 1, &t) == 0 && r.i32 == 1;
    printf(ok ? "PASS engine/feature-%s\n" : "FAIL engine/feature-%s: run did not return 1\n",
           feature);
    wasm_store_free(st);
    wasm_module_free(m);
    return ok;
}

int main(int argc, char **argv)
{
    int failures = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: features-test with|without FEATURE.wasm...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char feature[64];
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        snprintf(feature, sizeof(feature), "%.*s", (int)strcspn(base, "."), base);
        failures += !run_one(argv[i], feature, !strcmp(argv[1], "with"));
    }
    return failures ? 1 : 0;
}
