/*
 * Small helpers every module needs: number parsing for arguments, the words for how a
 * process ended, shared by init and the shell so their reports read the same, the
 * leak checks' comparison of the kernel's counters, and startup handles by name.
 */
#ifndef TAKARA_SDK_UTIL_H
#define TAKARA_SDK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <takara/abi.h>
#include <takara/handle.h>

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

/* The counters a leak check requires back: objects, heap blocks, free memory, processes
 * and threads (heap pages may stay with the heap's slabs). */
bool tk_kernel_stats_equal(const struct tk_kernel_stats *a, const struct tk_kernel_stats *b);

/* The counters once they stop moving (two samples 100 ms apart agree, or timeout_ns
 * passed): a warm-up's clean-up may still be under way when it returns. */
void tk_kernel_stats_quiet(struct tk_kernel_stats *out, int64_t timeout_ns);

/* Polls kernel_stats (needs sysinfo) into *now every 10 ms until the counters equal
 * `want` (true) or timeout_ns have passed (false): servers and the shell let go of
 * what a scenario used asynchronously. */
bool tk_kernel_stats_settle(const struct tk_kernel_stats *want, struct tk_kernel_stats *now,
                            int64_t timeout_ns);

/* Takes the startup handle `name` (NUL-terminated) the process was given at spawn, once:
 * 0 and *out, TK_ERR_NOENT (not given, or already taken). */
int32_t tk_startup_handle(const char *name, tk_handle *out);

/* Fills a spawn request's entry: `name` (at most TK_STARTUP_NAME_MAX - 1 bytes, NUL-padded)
 * and the handle to give under it. False if the name does not fit. */
bool tk_startup_handle_set(struct tk_startup_handle *e, const char *name, tk_handle h);

#endif
