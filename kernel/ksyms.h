/*
 * The kernel's own symbol table, embedded by the build's second link pass
 * (tools/gen-ksyms.py), so backtraces name functions without a debugger.
 */
#ifndef TAKARA_KERNEL_KSYMS_H
#define TAKARA_KERNEL_KSYMS_H

#include <stdint.h>

/* The function containing `addr`: its name and the offset into it; NULL if unknown. */
const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset);

#endif
