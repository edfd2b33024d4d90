/*
 * Small helpers every module needs: number parsing for arguments, and the words for how
 * a process ended, shared by init and the shell so their reports read the same.
 */
#ifndef TAKARA_SDK_UTIL_H
#define TAKARA_SDK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <takara/abi.h>

/* Parses a whole string as a decimal (or 0x-prefixed hex) integer with an optional sign.
 * False for an empty string, other characters or a value outside int64_t. */
bool tk_parse_int(const char *s, int64_t *out);

/* Parses a byte count: decimal, optionally followed by K, M or G (powers of 1024). */
bool tk_parse_size(const char *s, uint64_t *out);

/* The message for a trap kind (enum wasm_trap_kind), the engine's spec-suite wording:
 * "integer divide by zero", "call stack exhausted", ... */
const char *tk_trap_message(uint32_t kind);

/* Formats a trap's description from an exit info of reason TK_EXIT_TRAP:
 * "MESSAGE in FUNC at offset 0xOFF" (FUNC is "func[INDEX]" without a name section). */
void tk_trap_describe(const struct tk_exit_info *info, char *buf, size_t size);

/* How a process ended, for reports: "exited with code N", "trapped: <tk_trap_describe>",
 * "killed", "failed to start: NAME (message)". */
void tk_exit_describe(const struct tk_exit_info *info, char *buf, size_t size);

#endif
