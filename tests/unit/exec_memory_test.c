/*
 * Executable memory on Linux (wasm_platform_code_*): code written into a fresh block
 * runs only once sealed, and a sealed block takes no more stores; both violations are
 * faults the guarded call reports at the block's address, and the kernel's view of the
 * mapping (/proc/self/maps) is never writable and executable at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <takara/error.h>

#include "tests/unit/unit.h"
#include "wasm/platform.h"

/* mov eax, 42; ret (bytes from the Intel SDM's encodings of B8+rd id and C3) */
static const uint8_t ret42[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};

/* UBSan's function-type check reads a signature before the callee; generated code has
 * none, so the call into it is exempt. */
__attribute__((no_sanitize("function"))) static int code_call(void *code)
{
    return ((int (*)(void))code)();
}

static int code_run(void *code)
{
    return code_call(code);
}

static int code_poke(void *code)
{
    *(volatile uint8_t *)code = 0xc3;
    return 0;
}

/* The permission string of the mapping at addr in /proc/self/maps ("rw-p"), or "". */
static void mapping_perms(void *addr, char perms[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];

    perms[0] = 0;
    if (!f) return;
    while (fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && (uintptr_t)addr >= lo &&
            (uintptr_t)addr < hi) {
            memcpy(perms, p, 5);
            break;
        }
    }
    fclose(f);
}

TEST(exec_memory_seal_then_run)
{
    void *code;
    uintptr_t fault = 0;
    char perms[5];

    CHECK_EQ(wasm_platform_code_alloc(sizeof(ret42), &code), 0);
    memcpy(code, ret42, sizeof(ret42));
    mapping_perms(code, perms);
    CHECK_STR(perms, "rw-p");
    CHECK_EQ(wasm_platform_guarded_call(code_run, code, &fault), TK_ERR_FAULT);
    CHECK_EQ(fault, (uintptr_t)code); /* unsealed code does not run */

    CHECK_EQ(wasm_platform_code_seal(code, sizeof(ret42)), 0);
    mapping_perms(code, perms);
    CHECK_STR(perms, "r-xp");
    CHECK_EQ(wasm_platform_guarded_call(code_run, code, &fault), 42);
    fault = 0;
    CHECK_EQ(wasm_platform_guarded_call(code_poke, code, &fault), TK_ERR_FAULT);
    CHECK_EQ(fault, (uintptr_t)code); /* sealed code takes no store */
    CHECK_EQ(memcmp(code, ret42, sizeof(ret42)), 0);
    CHECK_EQ(code_call(code), 42);

    CHECK_EQ(wasm_platform_code_free(code, sizeof(ret42)), 0);
    mapping_perms(code, perms);
    CHECK_STR(perms, "");
    CHECK_EQ(wasm_platform_code_free(code, sizeof(ret42)), TK_ERR_NOENT);
    CHECK_EQ(wasm_platform_code_alloc(0, &code), TK_ERR_RANGE);
}
