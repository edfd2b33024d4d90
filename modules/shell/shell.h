/*
 * The shell's parts: line.c reads and edits a command line on the raw serial console
 * (echo is ours; the kernel passes bytes through), commands.c runs it, log.c talks to
 * the system log.
 */
#ifndef TAKARA_SHELL_H
#define TAKARA_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHELL_LINE_MAX 256

/*
 * Shows `prompt` and reads one edited line into line[SHELL_LINE_MAX] (NUL-terminated,
 * no newline). Returns its length, or a negative error if the console cannot be read.
 */
int line_read(const char *prompt, char *line);

/*
 * Looks at input that arrived while a foreground job runs, without blocking: bytes are
 * kept for the next line_read, except the first Ctrl-C (typed ahead or now, but not
 * after an Enter: that one is the next command's), which is consumed. True if one came. (The kernel
 * never gives a Ctrl-C to a WASI program reading the console, so it reaches the shell even then.)
 */
bool line_poll_interrupt(void);

/* Runs one command line. */
void commands_run(char *line);

/* Reports background jobs that ended since the last call (never blocks). */
void commands_reap(void);

/* Works out the capabilities the shell passes to its children (its own minus power). */
void commands_init(void);

/* Sends one line to the system log (log.c), if logd runs; never waits for it. */
void log_record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The `log` command: `log` prints the system log, `log stat` its figures. */
void log_command(int argc, char *const *argv);

#endif
