/*
 * takara-wasm: runs a module's export on the host with the Takara engine.
 *
 *   takara-wasm [--time] FILE.wasm --invoke NAME [ARG...]
 *       prints each result as TYPE:VALUE; --time prints time_ns=N of the call on stderr
 *   takara-wasm --load-only [--repeat N] FILE.wasm
 *       decodes, validates and lowers N times; prints load_ns=N bytes=B (the best run)
 *
 * Exit status: 0 ok, 1 load or link error, 2 trap, 3 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/host/read_file.h"
#include "wasm/platform.h"
#include "wasm/wasm.h"

static int usage(void)
{
    fprintf(stderr, "usage: takara-wasm [--time] FILE.wasm --invoke NAME [ARG...]\n"
                    "       takara-wasm --load-only [--repeat N] FILE.wasm\n");
    return 3;
}

static int load_only(const unsigned char *bytes, size_t len, long repeat)
{
    uint64_t best = UINT64_MAX;

    for (long i = 0; i < repeat; i++) {
        struct wasm_module *m;
        struct wasm_error err;
        uint64_t t0 = wasm_platform_clock_ns(), t;
        if (wasm_module_load(bytes, len, &m, &err) < 0) {
            fprintf(stderr, "takara-wasm: %s at offset %u\n", err.reason, err.offset);
            return 1;
        }
        t = wasm_platform_clock_ns() - t0;
        best = t < best ? t : best;
        wasm_module_free(m);
    }
    printf("load_ns=%" PRIu64 " bytes=%zu\n", best, len);
    return 0;
}

static void print_value(uint8_t type, const union wasm_value *v)
{
    switch (type) {
    case WASM_I32: printf("i32:%" PRIu32 "\n", v->i32); break;
    case WASM_I64: printf("i64:%" PRIu64 "\n", v->i64); break;
    case WASM_F32: printf("f32:%.9g\n", (double)v->f32); break;
    case WASM_F64: printf("f64:%.17g\n", v->f64); break;
    default: printf("ref:%p\n", v->ref); break;
    }
}

int main(int argc, char **argv)
{
    const char *file = NULL, *name = NULL;
    int timed = 0, load = 0, nargs = 0, status = 1;
    long repeat = 1;
    char **argvals = NULL;
    size_t len;
    unsigned char *bytes;
    struct wasm_module *m = NULL;
    struct wasm_store *store = NULL;
    struct wasm_instance *in;
    struct wasm_error err;
    struct wasm_trap trap;
    struct wasm_extern ext;
    struct wasm_functype_desc ft;
    union wasm_value args[16], results[16];

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--time"))
            timed = 1;
        else if (!strcmp(argv[i], "--load-only"))
            load = 1;
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atol(argv[++i]);
        else if (!strcmp(argv[i], "--invoke") && i + 1 < argc) {
            name = argv[++i];
            argvals = argv + i + 1;
            nargs = argc - i - 1;
            break;
        } else if (!file)
            file = argv[i];
        else
            return usage();
    }
    if (!file || (!load && !name) || nargs > 16) return usage();
    if (!(bytes = host_read_file(file, &len))) {
        fprintf(stderr, "takara-wasm: cannot read %s\n", file);
        return 1;
    }
    if (load) {
        status = load_only(bytes, len, repeat < 1 ? 1 : repeat);
        goto out;
    }
    if (wasm_module_load(bytes, len, &m, &err) < 0) {
        fprintf(stderr, "takara-wasm: %s: %s at offset %u\n", file, err.reason, err.offset);
        goto out;
    }
    store = wasm_store_new();
    if (!store || wasm_module_import_count(m) != 0 ||
        wasm_instance_new(store, m, NULL, 0, &in, &err, &trap) < 0) {
        fprintf(stderr, "takara-wasm: %s: cannot instantiate (%s)\n", file,
                wasm_module_import_count(m) ? "modules with imports are not supported here"
                                            : err.reason);
        goto out;
    }
    if (wasm_instance_export(in, (struct wasm_name){(uint32_t)strlen(name), name}, &ext) < 0 ||
        ext.kind != WASM_EXTERN_FUNC) {
        fprintf(stderr, "takara-wasm: no exported function '%s'\n", name);
        goto out;
    }
    wasm_func_type(ext.of.func, &ft);
    if (ft.nparams != (uint32_t)nargs || ft.nresults > 16) {
        fprintf(stderr, "takara-wasm: '%s' takes %u arguments\n", name, ft.nparams);
        status = 3;
        goto out;
    }
    for (int i = 0; i < nargs; i++) {
        memset(&args[i], 0, sizeof(args[i]));
        switch (ft.params[i]) {
        case WASM_I32: args[i].i32 = (uint32_t)strtoll(argvals[i], NULL, 0); break;
        case WASM_I64: args[i].i64 = (uint64_t)strtoll(argvals[i], NULL, 0); break;
        case WASM_F32: args[i].f32 = strtof(argvals[i], NULL); break;
        default: args[i].f64 = strtod(argvals[i], NULL); break;
        }
    }
    uint64_t t0 = wasm_platform_clock_ns();
    int r = wasm_func_call(store, ext.of.func, args, (uint32_t)nargs, results, ft.nresults, &trap);
    uint64_t t1 = wasm_platform_clock_ns();
    if (r < 0) {
        fprintf(stderr, "takara-wasm: trap: %s in function %u%s%.*s at offset %u\n",
                wasm_trap_message(trap.kind), trap.func_index, trap.func_name.len ? " " : "",
                (int)trap.func_name.len, trap.func_name.str, trap.code_offset);
        status = 2;
        goto out;
    }
    for (uint32_t i = 0; i < ft.nresults; i++) print_value(ft.results[i], &results[i]);
    if (timed) fprintf(stderr, "time_ns=%" PRIu64 "\n", t1 - t0);
    status = 0;
out:
    wasm_store_free(store);
    wasm_module_free(m);
    free(bytes);
    return status;
}
