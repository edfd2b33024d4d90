/*
 * assistant: misbehaves on request, so tests can check that every kind of trap and every
 * abuse of the ABI ends or fails only this process, with the right report. `assistant
 * MODE` prints `assistant: MODE`, then:
 *
 *   unreachable  overflow  div0  convert  oob  table  null-call  sig  recurse
 *                 trap with the matching kind (table: call_indirect past the table ->
 *                 "undefined element"; null-call: an unset slot -> "uninitialized element")
 *   grow         grows memory a page at a time until refused:
 *                 `assistant: grow stopped at N pages`, exit 0
 *   hoard        creates 64 KiB memory objects until refused (its quota is its memory
 *                 limit): `assistant: hoard stopped at N KiB: ERROR`, exit 0
 *   bad-args     imports given pointers or lengths outside memory; spawn-absurd: spawn and
 *                 kill with absurd arguments. Each prints `assistant: MODE CALL -> RESULT`
 *                 (an error name such as FAULT, or a number), then exit 0
 *   ok           exit 0;  exit N: exit with N
 *   poweroff N [MS]  after MS milliseconds (default 0), power off with code N (ends a
 *                 test boot once the other services have had their turn)
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"

#define ASSISTANT_BAD_PTR 0xfffffff0u

/* Operands the compiler cannot see through, so each trap happens at run time. */
static volatile int32_t assistant_zero = 0, assistant_minus_one = -1;
static volatile int32_t assistant_int_min = INT32_MIN;
static volatile float assistant_nan = __builtin_nanf("");
static volatile uintptr_t assistant_far_address = ASSISTANT_BAD_PTR;
static volatile uintptr_t assistant_far_index = 100000; /* past any table this module has */
static volatile uintptr_t assistant_null_index = 0;     /* slot 0: never set by wasm-ld */
static volatile int32_t assistant_depth;

static int32_t assistant_add_one(int32_t x)
{
    return x + 1;
}

/* Called through a volatile pointer: the optimiser cannot inline or turn it into a loop,
 * and it uses no shadow-stack memory, so only the engine's call depth stops it. */
static int32_t assistant_recurse(int32_t n);
static int32_t (*volatile assistant_recurse_ptr)(int32_t) = assistant_recurse;

static int32_t assistant_recurse(int32_t n)
{
    assistant_depth = n;
    return assistant_recurse_ptr(n + 1) + n;
}

static void assistant_result(const char *mode, const char *call, int32_t r)
{
    if (r < 0)
        tk_printf("assistant: %s %s -> %s\n", mode, call, tk_error_name(r));
    else
        tk_printf("assistant: %s %s -> %d\n", mode, call, (int)r);
}

static void assistant_bad_args(void)
{
    static char buf[16];
    uintptr_t bad = assistant_far_address;
    const char *m = "bad-args";

    assistant_result(m, "console_write", tk_console_write((const void *)bad, 100));
    assistant_result(m, "console_write-len", tk_console_write(buf, 0x7fffffff));
    assistant_result(m, "args_get", tk_args_get((void *)(uintptr_t)0xffffff00u, 1000));
    assistant_result(m, "wait", tk_wait(-1, (struct tk_exit_info *)bad, 0));
    assistant_result(m, "proc_list", tk_proc_list((struct tk_proc_info *)bad, 1000));
    assistant_result(m, "mem_info", tk_mem_info((struct tk_mem_info *)bad));
    assistant_result(m, "kernel_stats", tk_kernel_stats((struct tk_kernel_stats *)bad));
    assistant_result(m, "bootfs_read", tk_bootfs_read((const char *)bad, 100, 0, buf, 16));
}

/* A spawn that unexpectedly succeeded: reap the child so it does not linger. */
static void assistant_spawn_result(const char *call, int32_t r)
{
    struct tk_exit_info info;

    assistant_result("spawn-absurd", call, r);
    if (r > 0) tk_wait(r, &info, -1);
}

static void assistant_spawn_absurd(void)
{
    static const char hello[] = "hello.wasm", nope[] = "nope.wasm", args[] = "hello";
    uint32_t n = sizeof hello - 1;

    assistant_spawn_result("name-len", tk_spawn(hello, 0x7fffffff, args, sizeof args, 0, 0));
    assistant_spawn_result("nonexistent", tk_spawn(nope, sizeof nope - 1, args, sizeof args, 0, 0));
    assistant_spawn_result("caps", tk_spawn(hello, n, args, sizeof args, 0, 0xffffffffu));
    assistant_spawn_result("memory", tk_spawn(hello, n, args, sizeof args, 1LL << 62, 0));
    assistant_spawn_result("args-ptr",
                           tk_spawn(hello, n, (const void *)assistant_far_address, 100, 0, 0));
    assistant_result("spawn-absurd", "kill-1", tk_kill(1));
    assistant_result("spawn-absurd", "kill-99999", tk_kill(99999));
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    tk_printf("assistant: %s\n", mode);
    if (strcmp(mode, "unreachable") == 0) {
        __builtin_trap();
    } else if (strcmp(mode, "div0") == 0) {
        return assistant_int_min / assistant_zero;
    } else if (strcmp(mode, "overflow") == 0) {
        return assistant_int_min / assistant_minus_one;
    } else if (strcmp(mode, "convert") == 0) {
        /* The builtin is the trapping i32.trunc_f32_s; a plain cast may be guarded. */
        return __builtin_wasm_trunc_s_i32_f32(assistant_nan);
    } else if (strcmp(mode, "oob") == 0) {
        return *(volatile int32_t *)assistant_far_address;
    } else if (strcmp(mode, "table") == 0) {
        return ((int32_t(*)(int32_t))assistant_far_index)(1);
    } else if (strcmp(mode, "null-call") == 0) {
        return ((int32_t(*)(int32_t))assistant_null_index)(1);
    } else if (strcmp(mode, "sig") == 0) {
        volatile uintptr_t slot = (uintptr_t)assistant_add_one;

        /* A real function's slot, called with the wrong type: call_indirect checks it. */
        return ((int64_t(*)(int64_t, int64_t))slot)(1, 2) != 0;
    } else if (strcmp(mode, "recurse") == 0) {
        return assistant_recurse(0);
    } else if (strcmp(mode, "grow") == 0) {
        while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) continue;
        tk_printf("assistant: grow stopped at %u pages\n", (unsigned)__builtin_wasm_memory_size(0));
        return 0;
    } else if (strcmp(mode, "hoard") == 0) {
        tk_handle h;
        int32_t r;
        uint32_t kib = 0;
        while ((r = tk_memory_create(16, &h)) == 0) kib += 64; /* handles kept: held */
        tk_printf("assistant: hoard stopped at %u KiB: %s\n", (unsigned)kib, tk_error_name(r));
        return 0;
    } else if (strcmp(mode, "bad-args") == 0) {
        assistant_bad_args();
        return 0;
    } else if (strcmp(mode, "spawn-absurd") == 0) {
        assistant_spawn_absurd();
        return 0;
    } else if (strcmp(mode, "poweroff") == 0) {
        int64_t code = 0, ms = 0;

        if ((argc > 2 && !tk_parse_int(argv[2], &code)) ||
            (argc > 3 && !tk_parse_int(argv[3], &ms)))
            tk_printf("assistant: bad number\n");
        tk_sleep_ns(ms * 1000000);
        tk_poweroff((int32_t)code);
        tk_printf("assistant: poweroff refused\n");
        return 1;
    } else if (strcmp(mode, "ok") == 0) {
        return 0;
    } else if (strcmp(mode, "exit") == 0) {
        int64_t code = 0;

        if (argc > 2 && !tk_parse_int(argv[2], &code)) tk_printf("assistant: bad code\n");
        return (int)code;
    }
    tk_printf("assistant: unknown mode '%s'\n", mode);
    return 2;
}
