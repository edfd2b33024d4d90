/*
 * The C SDK: the `takara` imports as C functions, generated from the one ABI table
 * (include/takara/abi.def) so they cannot drift from the kernel's dispatch. A module
 * includes this header and defines `int main(int argc, char **argv)`; sdk/c/start.c
 * provides `_start` (arguments from args_get, exit with main's result) and the
 * `takara_abi` export that declares the ABI version the module was built for.
 */
#ifndef TAKARA_SDK_H
#define TAKARA_SDK_H

#include <stddef.h>
#include <stdint.h>
#include <takara/abi.h>
#include <takara/abi_kinds.h>
#include <takara/caps.h>
#include <takara/error.h>
#include <takara/handle.h>

#define TK_ABI(name, cap, sig, ret, params)                                                        \
    __attribute__((import_module("takara"), import_name(#name))) ret tk_##name params;
#define TK_CALL(name, cap, flags, ret, params) TK_ABI(name, cap, "", ret, params)
#include <takara/abi.def>
#undef TK_CALL
#undef TK_ABI

#endif
