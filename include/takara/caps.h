/*
 * Process capabilities (caps.def): a bit mask per process. Shared by the kernel, the
 * boot-image tool and modules, so the manifest's words and the kernel's checks agree.
 */
#ifndef TAKARA_CAPS_H
#define TAKARA_CAPS_H

enum tk_cap {
    TK_CAP_NONE = 0, /* imports any process may call */
#define TK_CAP(name, bit, word) TK_CAP_##name = 1u << (bit),
#include <takara/caps.def>
#undef TK_CAP
};

#define TK_CAP_ALL (TK_CAP_CONSOLE | TK_CAP_SPAWN | TK_CAP_SYSINFO | TK_CAP_BOOTFS | TK_CAP_POWER)

#endif
