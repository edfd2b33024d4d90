/*
 * Module entry for C++ programs built with wasi-libc (linked with -nostartfiles in place
 * of wasi-libc's crt1-command.o): `_start` runs the static constructors once, main (with
 * its arguments from WASI args_get), the destructors and atexit handlers, then exits with
 * main's result. `takara_abi` declares the ABI version the kernel checks in modules that
 * import "takara".
 *
 * Why not crt1: in a command module wasm-ld wraps every other exported function in
 * constructors-and-destructors calls, and the kernel calls `takara_abi` before `_start`,
 * so C++ globals would be constructed twice and stdio shut down before main.
 */
#include <stdint.h>
#include <takara/abi.h>

extern "C" {
void __wasm_call_ctors(void);
void __wasm_call_dtors(void);
int __main_void(void); /* wasi-libc: fetches argv, calls main */
[[noreturn]] void __wasi_proc_exit(uint32_t code);

__attribute__((export_name("takara_abi"))) int32_t takara_abi(void)
{
    return TAKARA_ABI_VERSION;
}

__attribute__((export_name("_start"))) void _start(void)
{
    __wasm_call_ctors();
    int code = __main_void();
    __wasm_call_dtors();
    if (code != 0) __wasi_proc_exit(static_cast<uint32_t>(code));
}
}
