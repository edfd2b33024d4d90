/*
 * Trap kinds and locations: each trap must name its kind, the function (index and
 * name-section name) and the module offset of the trapping instruction. The expected
 * offsets come from wabt's disassembler (passed in by tests/engine/run.sh), not from us.
 *
 *   trap-test FILE.wasm DIV_S_OFFSET LOAD_OFFSET LOAD16_U_OFFSET LOAD8_S_OFFSET \
 *             F64_LOAD_OFFSET STORE8_OFFSET STORE16_OFFSET
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <takara/error.h>

#include "tools/host/read_file.h"
#include "wasm/platform_linux.h"
#include "wasm/wasm.h"

static int failures;

static void check(int ok, const char *name, const char *why)
{
    printf(ok ? "PASS engine/%s\n" : "FAIL engine/%s: %s\n", name, why);
    failures += !ok;
}

static int call(struct wasm_instance *in, struct wasm_store *st, const char *name, uint32_t arg,
                uint32_t nargs, struct wasm_trap *trap)
{
    struct wasm_extern e;
    union wasm_value a = {.i32 = arg}, r;

    if (wasm_instance_export(in, (struct wasm_name){(uint32_t)strlen(name), name}, &e) < 0)
        return -1;
    return wasm_func_call(st, e.of.func, &a, nargs, &r, 1, trap);
}

static int named(const struct wasm_trap *t, const char *want)
{
    return t->func_name.len == strlen(want) && !memcmp(t->func_name.str, want, t->func_name.len);
}

int main(int argc, char **argv)
{
    size_t len = 0;
    unsigned char *buf = argc == 9 ? host_read_file(argv[1], &len) : NULL;
    unsigned div_off = argc == 9 ? (unsigned)strtoul(argv[2], NULL, 0) : 0;
    unsigned load_off = argc == 9 ? (unsigned)strtoul(argv[3], NULL, 0) : 0;
    /* the load and stores that the lowering fuses with their operands */
    unsigned fused_off[5] = {0};
    const char *fused[5] = {"oob_load_fused", "oob_load_addr", "oob_load_operand",
                            "oob_store_fused", "oob_store_const"};
    const char *fused_name[5] = {"load_fused", "load_addr", "load_operand", "store_fused",
                                 "store_const"};
    struct wasm_module *m;
    struct wasm_error err;
    struct wasm_store *st;
    struct wasm_instance *in;
    struct wasm_trap t;

    if (!buf || wasm_module_load(buf, len, &m, &err) < 0) {
        printf("FAIL engine/load: cannot load %s\n", argc > 1 ? argv[1] : "(none)");
        return 1;
    }
    /* the tier seam: each defined function names the tier holding it (the interpreter,
     * the only one so far); past the last function there is none */
    int tiered = 0;
    while (wasm_module_func_tier(m, (uint32_t)tiered) &&
           !strcmp(wasm_module_func_tier(m, (uint32_t)tiered), "interp"))
        tiered++;
    check(tiered > 2 && !wasm_module_func_tier(m, (uint32_t)tiered) &&
              !wasm_module_func_tier(m, UINT32_MAX),
          "tier-every-function-held", "want every function held by the interp tier");
    st = wasm_store_new();
    if (wasm_instance_new(st, m, NULL, 0, &in, &err, &t) < 0) {
        printf("FAIL engine/instantiate: %s\n", err.reason);
        return 1;
    }
    memset(&t, 0, sizeof(t));
    check(call(in, st, "divide", 0, 1, &t) < 0 && t.kind == WASM_TRAP_DIV_BY_ZERO &&
              t.func_index == 0 && named(&t, "helper") && t.code_offset == div_off,
          "trap-divide-location", "want integer divide by zero in $helper at the i32.div_s");
    memset(&t, 0, sizeof(t));
    check(call(in, st, "oob", 0, 0, &t) < 0 && t.kind == WASM_TRAP_MEMORY_OOB &&
              t.func_index == 2 && named(&t, "load_far") && t.code_offset == load_off,
          "trap-memory-location", "want out of bounds memory access at the i32.load");
    for (int i = 0; i < 5; i++) {
        char what[64];
        fused_off[i] = argc == 9 ? (unsigned)strtoul(argv[4 + i], NULL, 0) : 0;
        memset(&t, 0, sizeof(t));
        snprintf(what, sizeof(what), "trap-%s-location", fused[i]);
        check(call(in, st, fused[i], 65535, 1, &t) < 0 && t.kind == WASM_TRAP_MEMORY_OOB &&
                  named(&t, fused_name[i]) && t.code_offset == fused_off[i],
              what, "want out of bounds memory access at the fused load or store");
    }
    memset(&t, 0, sizeof(t));
    check(call(in, st, "deep", 0, 1, &t) < 0 && t.kind == WASM_TRAP_STACK_EXHAUSTED &&
              named(&t, "deep"),
          "trap-recursion-exhausts", "want call stack exhausted in $deep");
    /* the store is usable after every trap */
    check(call(in, st, "divide", 1, 1, &t) == 0, "call-after-traps", "a call after traps failed");
    wasm_store_free(st);

    /* limits: memory.grow stops at the store's memory limit; a small value stack makes
     * recursion trap sooner; a module whose minimum memory is over the limit is refused */
    struct wasm_store_limits lim = {
        .stack_bytes = 64 << 10, .max_frames = 100, .memory_bytes = 2 * 65536};
    st = wasm_store_new_limited(&lim);
    check(st && wasm_instance_new(st, m, NULL, 0, &in, &err, &t) == 0, "limits-instantiate",
          "instantiation under a 2-page limit failed");
    check(call(in, st, "grow", 1, 1, &t) == 0, "limits-grow-within", "grow to 2 pages failed");
    union wasm_value a = {.i32 = 1}, r = {0};
    struct wasm_extern e;
    wasm_instance_export(in, (struct wasm_name){4, "grow"}, &e);
    wasm_func_call(st, e.of.func, &a, 1, &r, 1, &t);
    check(r.i32 == 0xffffffffu, "limits-grow-beyond",
          "memory.grow past the limit did not return -1");
    check(call(in, st, "deep", 0, 1, &t) < 0 && t.kind == WASM_TRAP_STACK_EXHAUSTED,
          "limits-recursion", "want call stack exhausted with 100 frames");
    wasm_store_free(st);
    lim.memory_bytes = 0;
    st = wasm_store_new_limited(&lim);
    check(wasm_instance_new(st, m, NULL, 0, &in, &err, &t) == TK_ERR_LIMIT, "limits-min-over",
          "a module whose minimum exceeds the limit instantiated");
    wasm_store_free(st);
    /* accounting: the store's data and its tables' growth count against its account
     * (platform.h); a grow past it returns -1, and freeing the store gives all back */
    struct wasm_linux_account acct = {.limit = 256 << 10};
    lim.memory_bytes = 2 * 65536;
    lim.account = &acct;
    st = wasm_store_new_limited(&lim);
    check(st && wasm_instance_new(st, m, NULL, 0, &in, &err, &t) == 0 && acct.used > 0,
          "account-instantiate", "instantiation charged nothing to its account");
    uint64_t base = acct.used;
    check(call(in, st, "table_grow", 1000, 1, &t) == 0 && acct.used >= base + 8000,
          "account-table-grow", "table.grow by 1000 was not charged (or failed)");
    a.i32 = 1u << 20;
    wasm_instance_export(in, (struct wasm_name){10, "table_grow"}, &e);
    wasm_func_call(st, e.of.func, &a, 1, &r, 1, &t);
    check(r.i32 == 0xffffffffu && acct.used <= acct.limit, "account-table-grow-beyond",
          "table.grow past the account did not return -1");
    wasm_store_free(st);
    check(acct.used == 0, "account-given-back", "freeing the store left bytes charged");
    lim.account = NULL;
    lim.stack_bytes = 100;
    check(wasm_store_new_limited(&lim) == NULL, "limits-refused", "a 100-byte stack was accepted");
    wasm_module_free(m);
    free(buf);
    printf("engine: memory mode %s\n", wasm_memory_mode());
    return failures ? 1 : 0;
}
