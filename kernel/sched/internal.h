/* What the files of kernel/sched/ share and nobody else needs. All with interrupts off. */
#ifndef TAKARA_KERNEL_SCHED_INTERNAL_H
#define TAKARA_KERNEL_SCHED_INTERNAL_H

#include "kernel/sched.h"

/* Gives the CPU away; the caller has set current's state (READY: it goes back on its
 * run queue; BLOCKED or DEAD: it does not). Returns when the caller runs again. */
void sched_switch(void);
/* Wakes sleepers whose deadline passed (wait.c). */
void sleep_expire(uint64_t now_ns);
/* Takes a woken thread off its wait queue and the sleep list and makes it ready. */
void wait_cancel(struct thread *t, int result);

#endif
