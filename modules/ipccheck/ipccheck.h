/*
 * ipccheck's pieces shared between its files: the step report, and the startup-handle
 * steps (startup.c).
 */
#ifndef TAKARA_MODULES_IPCCHECK_H
#define TAKARA_MODULES_IPCCHECK_H

#include <stdint.h>

/* Prints `ipccheck: WHAT -> RESULT` (OK, or the error's name). */
void step(const char *what, int32_t r);
/* The parent's steps: a child given named handles, and the refusals. */
void startup_steps(void);
/* `ipccheck startup-child`: takes "ev" and "chan"; 0 if everything went as it should. */
int startup_child(void);

#endif
