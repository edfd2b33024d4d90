/*
 * The `takara` ABI v0: the structures imports exchange with modules, and the version.
 * Shared by the kernel (x86-64) and modules (wasm32): fixed-width fields only, laid
 * out identically on both (the static asserts hold on every target).
 */
#ifndef TAKARA_ABI_H
#define TAKARA_ABI_H

#include <stdint.h>

/* A module built against this header exports `takara_abi` returning this value; the
 * kernel refuses a module that imports from "takara" without it or with another one. */
#define TAKARA_ABI_VERSION 0

#define TK_NAME_MAX 32

/* How a process ended (tk_exit_info.reason). */
enum tk_exit_reason {
    TK_EXIT_NORMAL = 0, /* returned from _start or called exit: code is its exit code */
    TK_EXIT_TRAP = 1,   /* trapped: code is the trap kind (enum wasm_trap_kind) */
    TK_EXIT_KILLED = 2, /* killed by an ancestor */
    TK_EXIT_FAILED = 3, /* could not start (link, ABI version, start function): code is an error */
};

struct tk_exit_info {
    int32_t pid;
    uint32_t reason; /* enum tk_exit_reason */
    int32_t code;
    uint32_t func_index;         /* TK_EXIT_TRAP: the trapping function */
    uint32_t code_offset;        /* TK_EXIT_TRAP: byte offset in the module */
    char func_name[TK_NAME_MAX]; /* TK_EXIT_TRAP: from the name section, "" if absent */
};
_Static_assert(sizeof(struct tk_exit_info) == 52, "ABI layout");

enum tk_proc_state {
    TK_PROC_STARTING = 0,
    TK_PROC_RUNNING = 1, /* running or ready to run */
    TK_PROC_BLOCKED = 2, /* waiting (sleep, console, child) */
    TK_PROC_ZOMBIE = 3,  /* ended, not yet waited for */
    TK_PROC_ENDED = 4,   /* process_status: it has ended (exit is valid) */
};

struct tk_proc_info {
    int32_t pid, ppid;     /* ppid 0: started by the kernel, or orphaned */
    uint32_t state;        /* enum tk_proc_state */
    uint32_t caps;         /* TK_CAP_* */
    uint64_t memory_bytes; /* linear memory in use */
    uint64_t memory_limit;
    uint64_t kernel_bytes; /* what the kernel holds charged to it (docs/memory.md) */
    uint64_t cpu_ns;
    char name[TK_NAME_MAX];   /* argv[0] */
    char module[TK_NAME_MAX]; /* boot-image file */
};
_Static_assert(sizeof(struct tk_proc_info) == 112, "ABI layout");

struct tk_mem_info {
    uint64_t total_bytes, free_bytes; /* physical memory */
    uint64_t process_bytes;           /* linear memories of all processes */
    uint64_t process_kernel_bytes;    /* kernel memory charged to them */
    uint64_t reserve_bytes;           /* free memory only reserve holders may take */
    uint32_t processes;
    uint32_t reserved;
};
_Static_assert(sizeof(struct tk_mem_info) == 48, "ABI layout");

/* What the kernel itself holds (kernel_stats): a scenario that leaks leaves one of these
 * above where it started once its processes are gone. */
struct tk_kernel_stats {
    uint64_t free_bytes;  /* physical memory not allocated */
    uint64_t heap_bytes;  /* pages the kernel heap holds */
    uint32_t heap_blocks; /* live kernel heap allocations */
    uint32_t objects;     /* live kernel objects (channels, events, ...) */
    uint32_t processes;   /* including zombies */
    uint32_t threads;     /* including the kernel's own */
};
_Static_assert(sizeof(struct tk_kernel_stats) == 32, "ABI layout");
/* process_spawn's request. Pointers are offsets in the caller's linear memory. */
#define TK_SPAWN_AUTOREAP                                                                          \
    1u /* freed as soon as it ends: its exit lives in its process                                  \
        * object (process_status), `wait` never sees it */
#define TK_SPAWN_RESERVE                                                                           \
    2u /* it may use the kernel's reserve (docs/memory.md); only a caller                          \
        * that may, may pass it on (TK_ERR_DENIED) */
struct tk_spawn_args {
    uint32_t module, module_len; /* a boot-image file name */
    uint32_t args, args_len;     /* argv as for spawn (empty: the module name) */
    uint32_t env, env_len;       /* "NAME=value" strings, each NUL-terminated */
    uint32_t caps;               /* at most the caller's */
    uint32_t flags;              /* TK_SPAWN_* */
    uint64_t memory_limit;       /* bytes (0: 1 MiB) */
    uint32_t stdio[3];           /* channel endpoints (moved) for WASI fd 0, 1, 2; 0: the console */
    uint32_t bootstrap;         /* a channel endpoint (moved) the child takes with bootstrap_take */
    uint32_t handles, nhandles; /* its startup handles: nhandles struct tk_startup_handle */
};
_Static_assert(sizeof(struct tk_spawn_args) == 64, "ABI layout");

/* A startup handle: what a process is given at spawn, by name ("console", "log", ...), and
 * takes once with startup_handle_take. In a spawn request the handle is moved (consumed
 * even on failure) and needs TK_RIGHT_TRANSFER; the child gets it with the same rights.
 * A name is 1 to TK_STARTUP_NAME_MAX - 1 bytes, NUL-padded, unique in one request. */
#define TK_STARTUP_NAME_MAX    16
#define TK_STARTUP_MAX_HANDLES 64 /* per request */
struct tk_startup_handle {
    char name[TK_STARTUP_NAME_MAX];
    uint32_t handle; /* tk_handle */
};
_Static_assert(sizeof(struct tk_startup_handle) == 20, "ABI layout");

/* What process_status tells through a process handle. */
struct tk_process_status {
    uint32_t state; /* enum tk_proc_state: STARTING, RUNNING, BLOCKED or ENDED */
    int32_t pid;
    uint64_t cpu_ns;
    struct tk_exit_info exit; /* how it ended, once ENDED */
    uint32_t reserved;
};
_Static_assert(sizeof(struct tk_process_status) == 72, "ABI layout");

enum tk_thread_state {
    TK_THREAD_RUNNING = 0, /* running or ready to run */
    TK_THREAD_BLOCKED = 1, /* waiting */
    TK_THREAD_ENDED = 2,
};

/* What thread_status tells through a thread handle. */
struct tk_thread_status {
    uint32_t state; /* enum tk_thread_state */
    uint32_t reserved;
    uint64_t cpu_ns;
};
_Static_assert(sizeof(struct tk_thread_status) == 16, "ABI layout");

/* What the kernel tells init about an orphan (a process whose parent ended while it
 * ran), one message each on the bootstrap channel the kernel gives init; the message
 * carries a handle to the orphan's process (every right). init applies the manifest's
 * `orphans` policy of the service it came from (docs/processes.md). */
struct tk_orphan_note {
    int32_t pid;
    int32_t parent;  /* the parent that ended */
    int32_t service; /* the orphan's ancestor that init started (the service's pid) */
    uint32_t reserved;
    char name[TK_NAME_MAX]; /* argv[0] */
};
_Static_assert(sizeof(struct tk_orphan_note) == 48, "ABI layout");

#endif
