/* Local APIC: the CPU's interrupt controller and timer (lapic.c). */
#ifndef TAKARA_ARCH_LAPIC_H
#define TAKARA_ARCH_LAPIC_H

#include <stdint.h>

/* Masks the legacy PICs and enables the local APIC (mapped through the vmm). */
void lapic_init(void);
void lapic_eoi(void);
/* Sends interrupt `vector` to this CPU. */
void lapic_send_self(uint8_t vector);
/* Periodic timer on `vector`, `count` bus ticks apart (divide by 16). */
void lapic_timer_periodic(uint8_t vector, uint32_t count);
/* One-shot countdown with no interrupt, for calibration; returns the remaining count. */
void lapic_timer_oneshot_masked(uint32_t count);
uint32_t lapic_timer_current(void);

#endif
