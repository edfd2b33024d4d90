/*
 * The boot manifest: the text file `manifest` in the boot image that names each service,
 * its module and what it may do. One parser for every reader: init (a Wasm module) starts
 * services from it, tools/mkimage refuses a bad one when the image is built. Portable,
 * freestanding, no allocation: the result goes into the caller's fixed structures.
 *
 *     # Takara OS boot manifest. Services start in the order written.
 *     [service shell]
 *     module   = shell.wasm            # a file of the boot image
 *     args     = -p "takara> " x       # optional; words split on spaces and tabs
 *     memory   = 4M                    # linear-memory limit (default 1M)
 *     caps     = console spawn sysinfo # capability words (default: none)
 *     restart  = on-trap               # never | on-trap | always (default on-trap)
 *     restarts = 3                     # restarts before giving up (default 3)
 *     uses     = echo kv               # services it may connect to (default: none)
 *     env      = HOME=/boot LANG=C     # its environment (default: empty)
 *     reserve  = yes                   # may use the kernel's reserve (default no)
 *     orphans  = end                   # end | adopt (default end)
 *     irq      = 4                     # device grants (default: none), each a
 *     ioport   = 0x3f8-0x3ff           #   resource derived from init's root of the
 *     mmio     = 0xfebf0000+0x1000     #   kind, given as startup handles "irq0",
 *     dma      = 64K                   #   "ioport0", "mmio0", "dma0", ...
 *
 * Rules:
 *   - `#` outside double quotes starts a comment to the end of the line; blank lines and
 *     leading or trailing spaces and tabs are ignored; lines end in LF (a CR before it is
 *     ignored) and hold at most MANIFEST_MAX_LINE bytes; a NUL byte is an error.
 *   - `[service NAME]` opens a block; NAME is 1 to 31 of a-z 0-9 _ -, unique; at most
 *     MANIFEST_MAX_SERVICES blocks. Every `key = value` line belongs to the block above it.
 *   - module: required; a file name of at most 63 of A-Z a-z 0-9 . _ - ending in `.wasm`.
 *   - args: split by manifest_split_args; they do not include argv[0].
 *   - memory: decimal bytes, or a number with suffix K, M or G (powers of 1024); a
 *     multiple of 64K (the Wasm page), from 64K to 4G.
 *   - caps: words of include/takara/caps.def (console, spawn, sysinfo, bootfs), each once.
 *   - restarts: decimal, 0 to 4294967295.
 *   - uses: names of services of this manifest (before or after this block), at most
 *     MANIFEST_MAX_USES: init's name service connects this one to those only.
 *   - env: split like args; each word is NAME=value, NAME 1 or more of A-Z a-z 0-9 _
 *     not starting with a digit; a name at most once. The service's whole environment:
 *     nothing else is inherited.
 *   - reserve: yes or no. A service that may use the kernel's memory reserve
 *     (docs/memory.md): drivers, the shell, what must start and answer when memory is low.
 *     What such a service starts is the root of a budget of its own (its `memory` or
 *     the limit the service asked for), shared with everything it starts in turn.
 *   - orphans: what init does with an orphan of this service (a process the service
 *     started, directly or not, whose parent ended while it ran): `end` kills it (the
 *     default: a service's helpers rarely outlive what started them), `adopt` lets it
 *     run under init, which keeps its process handle and so can always end it
 *     (docs/processes.md).
 *   - irq, ioport, mmio: words, each a range of the kind: N (one), FIRST-LAST
 *     (inclusive) or BASE+COUNT; numbers decimal or 0x hex, with an optional K, M or G.
 *     irq: interrupt sources below TK_IRQ_MSI_BASE + TK_IRQ_MSI_SLOTS (lines, then MSI
 *     slots: include/takara/handle.h); ioport: ports below 0x10000; mmio: physical
 *     addresses in whole 4K pages. dma: words, each a size in bytes (whole 4K pages, at
 *     most 4G), the DMA memory the service may pin. At most MANIFEST_MAX_GRANTS in all.
 *     The service gets each as a startup handle named by its key and its place among
 *     that key's words: "irq0", "irq1", "ioport0", ... (manifest_grant_name).
 *   - Unknown keys, a key given twice and anything else not described here are errors.
 */
#ifndef TAKARA_LIB_MANIFEST_H
#define TAKARA_LIB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MANIFEST_MAX_SERVICES 16
#define MANIFEST_MAX_USES     8    /* services one service may connect to */
#define MANIFEST_MAX_ARGS     32   /* arguments per service */
#define MANIFEST_ARGS_BYTES   256  /* their bytes, each NUL included */
#define MANIFEST_MAX_ENV      32   /* environment variables per service */
#define MANIFEST_ENV_BYTES    256  /* their bytes, each NUL included */
#define MANIFEST_MAX_LINE     1024 /* bytes per line, comment included */
#define MANIFEST_MAX_GRANTS   8    /* device grants (irq, ioport, mmio, dma) per service */

#define MANIFEST_DEFAULT_MEMORY   (1024 * 1024)
#define MANIFEST_DEFAULT_RESTARTS 3

enum manifest_orphans {
    MANIFEST_ORPHANS_END,   /* init kills them */
    MANIFEST_ORPHANS_ADOPT, /* init keeps them, holding their process handles */
};

enum manifest_restart {
    MANIFEST_RESTART_NEVER,   /* a service that ends stays ended */
    MANIFEST_RESTART_ON_TRAP, /* restarted after a trap, not after a normal exit */
    MANIFEST_RESTART_ALWAYS,  /* restarted whenever it ends */
};

/* A device grant: a resource of `kind` (enum tk_resource_kind) for [base, base + size). */
struct manifest_grant {
    uint32_t kind;
    uint64_t base, size;
};

struct manifest_service {
    char name[32];                  /* NUL-terminated */
    char module[64];                /* NUL-terminated file name in the boot image */
    char args[MANIFEST_ARGS_BYTES]; /* argv[1..] as consecutive NUL-terminated strings */
    uint32_t args_len;              /* bytes used in args */
    uint32_t argc;                  /* strings in args */
    char env[MANIFEST_ENV_BYTES];   /* NAME=value strings, each NUL-terminated */
    uint32_t env_len;               /* bytes used in env */
    uint32_t envc;                  /* strings in env */
    uint64_t memory;                /* linear-memory limit in bytes */
    uint32_t caps;                  /* TK_CAP_* bits */
    bool reserve;                   /* started with TK_SPAWN_RESERVE */
    uint8_t restart;                /* enum manifest_restart */
    uint8_t orphans;                /* enum manifest_orphans */
    uint32_t max_restarts;
    uint32_t uses;  /* services it may connect to: bit i = services[i] */
    uint32_t nuses; /* names in uses_names, resolved into `uses` */
    char uses_names[MANIFEST_MAX_USES][32];
    uint32_t uses_line; /* where `uses` was written, for errors */
    uint32_t ngrants;   /* device grants, in the order written */
    struct manifest_grant grants[MANIFEST_MAX_GRANTS];
};

struct manifest {
    uint32_t nservices;
    struct manifest_service services[MANIFEST_MAX_SERVICES]; /* in the order written */
};

struct manifest_error {
    uint32_t line;    /* 1-based line of the problem */
    char message[96]; /* e.g. "unknown key 'memroy'"; NUL-terminated */
};

/*
 * Parses `len` bytes of manifest text into *out. Returns 0; TK_ERR_LIMIT for too many
 * services or arguments, or args too long; TK_ERR_INVAL for anything else wrong. On
 * error *err says where and what (only the first problem), and *out is unspecified.
 */
int manifest_parse(const char *text, size_t len, struct manifest *out, struct manifest_error *err);

/*
 * Splits a command line into words, written to `out` as consecutive NUL-terminated
 * strings. Words are separated by spaces and tabs; double quotes group (an empty "" is
 * an empty word); \" and \\ stand for " and \ inside and outside quotes. `#` is not
 * special here. Returns 0 with *out_len bytes and *argc words; TK_ERR_INVAL for an
 * unterminated quote or another backslash sequence; TK_ERR_LIMIT for more than
 * `max_argc` words or more than `cap` bytes. *reason, if not NULL, gets a static message
 * on error.
 */
int manifest_split_args(const char *line, size_t len, char *out, size_t cap, uint32_t max_argc,
                        uint32_t *out_len, uint32_t *argc, const char **reason);

/* Is the NUL-terminated `s` a NAME=value word (NAME: A-Z a-z 0-9 _, not starting with a
 * digit)? Its name's length in *name_len. Shared with the shell's `run NAME=value`. */
int manifest_env_word(const char *s, size_t *name_len);

/* The TK_CAP_* bit of a capability word (`len` bytes, no NUL needed), or TK_ERR_NOENT. */
int manifest_cap_from_word(const char *word, size_t len);

/* The word of one TK_CAP_* bit, or NULL if `bit` is not exactly one known capability. */
const char *manifest_cap_word(uint32_t bit);

/* The manifest key of a device resource kind ("irq", "ioport", "mmio", "dma"), or NULL. */
const char *manifest_grant_word(uint32_t kind);

/* The startup-handle name of svc's grant i ("ioport0"): its key and its place among
 * that key's grants, NUL-terminated in out (cap bytes; 16 is enough). */
void manifest_grant_name(const struct manifest_service *svc, uint32_t i, char *out, size_t cap);

/* The word of an enum manifest_restart value ("never", "on-trap", "always"), or NULL. */
const char *manifest_restart_word(uint8_t restart);

/* The word of an enum manifest_orphans value ("end", "adopt"), or NULL. */
const char *manifest_orphans_word(uint8_t orphans);

#endif
