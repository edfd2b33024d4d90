/* Linux-only extras of the platform (platform_linux.c), for tests. */
#ifndef TAKARA_WASM_PLATFORM_LINUX_H
#define TAKARA_WASM_PLATFORM_LINUX_H

#include <stdint.h>

/* Makes the n-th next allocation (counting from 0) fail; n < 0 turns it off. */
void wasm_platform_linux_fail_alloc_after(long n);

/* What a store's limits.account points to here: a byte budget, charged as requested. */
struct wasm_linux_account {
    uint64_t limit, used;
};

#endif
