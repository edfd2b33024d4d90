/*
 * Shared by the encoder's tests: a list of byte ranges of one buffer, each meant to be
 * one instruction, and llvm-mc (package llvm-14) to disassemble them, with hlt (which the
 * encoder never emits) between ranges so that each range's text can be told apart (and a range that
 * is not exactly one instruction shows up as a group of the wrong size).
 */
#ifndef TAKARA_TESTS_UNIT_X86_CHECK_H
#define TAKARA_TESTS_UNIT_X86_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "wasm/jit/x86_64/x86.h"

#define X86_CHECK_MAX      4096
#define X86_CHECK_TEXT_MAX 96

struct x86_check {
    uint32_t start[X86_CHECK_MAX], end[X86_CHECK_MAX];
    int line[X86_CHECK_MAX];
    const char *want[X86_CHECK_MAX];
    char got[X86_CHECK_MAX][X86_CHECK_TEXT_MAX]; /* the disassembly, instructions "; "-joined */
    int n;
};

/* Disassembles every range (Intel syntax) into c->got; 0, or -1 if llvm-mc failed. */
int x86_check_disassemble(struct x86_check *c, const struct x86_buf *b);

/* Formats range i's bytes as "0x.. 0x.." into out. */
void x86_check_bytes(const struct x86_check *c, const struct x86_buf *b, int i, char *out,
                     size_t cap);

#endif
