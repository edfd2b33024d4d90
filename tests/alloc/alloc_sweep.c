/*
 * Allocation-failure sweep: for N = 0, 1, 2, ... make the N-th engine allocation fail
 * while loading and instantiating a module, until a run needs fewer than N allocations.
 * Every run must end in a clean error (or success), and with ASan's leak check nothing
 * may be left allocated.
 *
 *   alloc-sweep FILE.wasm...
 */
#include <stdio.h>
#include <stdlib.h>

#include "tools/host/read_file.h"
#include "wasm/platform_linux.h"
#include "wasm/wasm.h"

/* One load + instantiate (modules without imports); 0 on success, else the error. */
static int attempt(const unsigned char *bytes, size_t len)
{
    struct wasm_module *m;
    struct wasm_error err;
    struct wasm_store *store;
    struct wasm_instance *in;
    struct wasm_trap trap;
    int r = wasm_module_load(bytes, len, &m, &err);

    if (r < 0) return r;
    store = wasm_store_new();
    r = store ? wasm_instance_new(store, m, NULL, 0, &in, &err, &trap) : -1;
    wasm_store_free(store);
    wasm_module_free(m);
    return r;
}

int main(int argc, char **argv)
{
    int failed = 0;

    for (int i = 1; i < argc; i++) {
        size_t len;
        unsigned char *bytes = host_read_file(argv[i], &len);
        long n;
        int clean = 1;

        if (!bytes || attempt(bytes, len) != 0) {
            printf("FAIL alloc/%s: does not load and instantiate without faults\n", argv[i]);
            failed++;
            free(bytes);
            continue;
        }
        for (n = 0;; n++) {
            int r;
            wasm_platform_linux_fail_alloc_after(n);
            r = attempt(bytes, len);
            wasm_platform_linux_fail_alloc_after(-1);
            if (r == 0) break; /* the N-th allocation was never reached: every step covered */
            if (r > 0) {
                clean = 0;
                break;
            }
        }
        if (clean)
            printf("PASS alloc/%s (%ld failure points)\n", argv[i], n);
        else
            printf("FAIL alloc/%s: allocation %ld failed without an error\n", argv[i], n);
        failed += !clean;
        free(bytes);
    }
    return failed ? 1 : 0;
}
