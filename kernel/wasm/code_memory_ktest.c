/*
 * In-kernel tests of the engine's executable memory (wasm_platform_code_*): the page
 * tables say read-write + no-execute before the seal and read-only + executable after
 * (that no-execute is enforced at all: arch_ktest.c), and both violations (running unsealed code,
 * storing into sealed code) are page faults that the guarded call reports at the block's address.
 */
#include <stdint.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/ktest/ktest.h"
#include "lib/string.h"
#include "wasm/platform.h"

/* mov eax, 42; ret */
static const uint8_t ret42[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};

static int code_run(void *code)
{
    return ((int (*)(void))code)();
}

static int code_poke(void *code)
{
    *(volatile uint8_t *)code = 0xc3;
    return 0;
}

KTEST(wasm_code_memory_w_xor_x)
{
    void *code;
    uintptr_t fault = 0;
    uint32_t pte;

    KT_ASSERT_EQ(wasm_platform_code_alloc(sizeof(ret42), &code), 0);
    pte = arch_page_query((uintptr_t)code);
    KT_ASSERT((pte & ARCH_PAGE_PRESENT) && (pte & ARCH_PAGE_WRITE) && !(pte & ARCH_PAGE_EXEC));
    memcpy(code, ret42, sizeof(ret42));
    KT_ASSERT_EQ(wasm_platform_guarded_call(code_run, code, &fault), TK_ERR_FAULT);
    KT_ASSERT_EQ(fault, (uintptr_t)code);

    KT_ASSERT_EQ(wasm_platform_code_seal(code, sizeof(ret42)), 0);
    pte = arch_page_query((uintptr_t)code);
    KT_ASSERT((pte & ARCH_PAGE_PRESENT) && !(pte & ARCH_PAGE_WRITE) && (pte & ARCH_PAGE_EXEC));
    KT_ASSERT_EQ(wasm_platform_guarded_call(code_run, code, &fault), 42);
    fault = 0;
    KT_ASSERT_EQ(wasm_platform_guarded_call(code_poke, code, &fault), TK_ERR_FAULT);
    KT_ASSERT_EQ(fault, (uintptr_t)code);
    KT_ASSERT_EQ(memcmp(code, ret42, sizeof(ret42)), 0);

    KT_ASSERT_EQ(wasm_platform_code_free(code, sizeof(ret42)), 0);
    KT_ASSERT_EQ(arch_page_query((uintptr_t)code), 0);
    KT_ASSERT_EQ(wasm_platform_code_free(code, sizeof(ret42)), TK_ERR_NOENT);
    KT_ASSERT_EQ(wasm_platform_code_alloc(0, &code), TK_ERR_RANGE);
}
