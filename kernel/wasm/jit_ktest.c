/*
 * The JIT's encoder inside the kernel: a function built by wasm/jit/x86_64 (a loop with a
 * forward and a backward branch, a call out to C through a register) is copied into
 * sealed code memory and run at ring 0, so the freestanding build of the encoder and
 * the kernel's executable memory are proven together, not only each on the host.
 */
#include <stdint.h>
#include <takara/error.h>

#include "kernel/ktest/ktest.h"
#include "lib/string.h"
#include "wasm/jit/x86_64/x86.h"
#include "wasm/platform.h"

static int64_t jit_ktest_helper(int64_t x)
{
    return x * 2 + 1;
}

/* int64_t f(int32_t n) { return jit_ktest_helper(n * (n + 1) / 2), by a loop } */
static void jit_ktest_emit(struct x86_buf *b)
{
    struct x86_label loop, done;

    x86_label_init(&loop);
    x86_label_init(&done);
    x86_push_r(b, X86_RBX); /* keeps the stack 16-byte aligned for the call */
    x86_alu_rr(b, X86_XOR, X86_S32, X86_RAX, X86_RAX);
    x86_test_rr(b, X86_S32, X86_RDI, X86_RDI);
    x86_jcc(b, X86_CC_LE, &done);
    x86_label_bind(b, &loop);
    x86_alu_rr(b, X86_ADD, X86_S32, X86_RAX, X86_RDI);
    x86_alu_ri(b, X86_SUB, X86_S32, X86_RDI, 1);
    x86_jcc(b, X86_CC_NE, &loop);
    x86_label_bind(b, &done);
    x86_mov_rr(b, X86_S64, X86_RDI, X86_RAX);
    x86_mov_ri(b, X86_S64, X86_RAX, (int64_t)(intptr_t)jit_ktest_helper);
    x86_call_r(b, X86_RAX);
    x86_pop_r(b, X86_RBX);
    x86_ret(b);
}

struct jit_ktest_call {
    void *code;
    int32_t n;
    int64_t result;
};

static int jit_ktest_run(void *ctx)
{
    struct jit_ktest_call *c = ctx;

    c->result = ((int64_t(*)(int32_t))c->code)(c->n);
    return 0;
}

KTEST(jit_encoded_function_runs_sealed)
{
    struct x86_buf b;
    struct jit_ktest_call call = {0};
    uintptr_t fault;
    void *code;

    KT_ASSERT_EQ(x86_buf_init(&b, 16), 0);
    jit_ktest_emit(&b);
    KT_ASSERT_EQ(x86_buf_error(&b), 0);
    KT_ASSERT_EQ(wasm_platform_code_alloc(b.len, &code), 0);
    memcpy(code, b.code, b.len);
    KT_ASSERT_EQ(wasm_platform_code_seal(code, b.len), 0);
    call.code = code;
    call.n = 10;
    KT_ASSERT_EQ(wasm_platform_guarded_call(jit_ktest_run, &call, &fault), 0);
    KT_ASSERT_EQ(call.result, 111);
    call.n = 0;
    KT_ASSERT_EQ(wasm_platform_guarded_call(jit_ktest_run, &call, &fault), 0);
    KT_ASSERT_EQ(call.result, 1);
    KT_ASSERT_EQ(wasm_platform_code_free(code, b.len), 0);
    x86_buf_free(&b);
}
