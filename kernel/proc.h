/*
 * Processes (kernel/proc/): a process is one Wasm instance of a boot-image module, in a
 * store of its own (linear memory in its own guarded reservation, capped at the
 * process's memory limit), one thread running it, its capabilities and its arguments.
 * The lowered module is shared by every process running it (bootfs.c).
 *
 * Life: proc_spawn creates the process and its thread, which instantiates the module
 * and calls `_start`. The process ends by returning, by the `exit` import, by a trap,
 * or by being killed; its store, memory and thread are freed at once and it stays a
 * zombie holding its tk_exit_info until its parent reaps it with proc_wait.
 *
 * Supervision: the children of a process that ends go to the reaper (init), which is
 * told of each on the channel the kernel gave it and decides to end or keep it; they
 * are reaped as soon as they end. Without a reaper to tell, the kernel ends them itself.
 */
#ifndef TAKARA_KERNEL_PROC_H
#define TAKARA_KERNEL_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <takara/abi.h>

#include "kernel/obj.h"
#include "kernel/sched.h"
#include "wasm/wasm.h"

#define PROC_DEFAULT_MEMORY (1u << 20)
/* What a process may hold in the kernel heap beyond its memory limit: room for the
 * costs every process has (its thread's stack, the interpreter's stacks: 130-150 KiB
 * measured; docs/memory.md), which are charged like the rest. */
#define PROC_KERNEL_BASE (256u << 10)
#define PROC_MAX_ARGS    4096
#define PROC_MAX_ENV     4096

struct bootfs_module;

/* A WASI descriptor above the console's 0-2 (kernel/abi/wasi_boot.c): fd 3 is the
 * preopened /boot directory of a process holding TK_CAP_BOOTFS, then open files. */
#define WASI_FIRST_FD 3
#define WASI_FILES    16
enum wasi_file_kind { WASI_FILE_FREE, WASI_FILE_DIR, WASI_FILE_REGULAR };
struct wasi_file {
    uint8_t kind; /* enum wasi_file_kind */
    const uint8_t *data;
    uint64_t size, pos;
};

/* A startup handle held for a process until it takes it (startup.c): a reference to the
 * object and the rights its handle will have. */
struct proc_startup_handle {
    char name[TK_STARTUP_NAME_MAX]; /* NUL-padded */
    struct object *obj;             /* NULL once taken */
    uint32_t rights;
};

/* A memory object mapped into the process's linear memory (kernel/abi/abi_memory.c). */
struct mapping {
    struct mapping *next;
    struct object *obj; /* the reference that keeps its pages alive */
    uint32_t offset, bytes;
    bool writable;
};

struct process {
    int32_t pid;
    uint8_t state;          /* enum tk_proc_state */
    uint32_t caps;          /* TK_CAP_* */
    struct process *parent; /* NULL: started by the kernel, or orphaned with no reaper */
    int32_t service;        /* pid of its ancestor the reaper started (maybe itself) */
    struct process *next;   /* the process list */
    char name[TK_NAME_MAX], module_name[TK_NAME_MAX];
    struct bootfs_module *module;
    struct wasm_store *store;
    struct wasm_memory *memory; /* its export "memory", NULL until instantiated */
    uint64_t memory_limit;
    char *args;
    uint32_t args_len;
    char *env; /* "NAME=value" strings, each NUL-terminated; NULL: none */
    uint32_t env_len;
    bool autoreap;         /* TK_SPAWN_AUTOREAP: freed when it ends, never a zombie */
    struct thread *thread; /* NULL once ended */
    uint64_t cpu_tsc;      /* CPU time of its ended thread */
    bool exiting;          /* the exit import ran: exit_code is the result */
    int32_t exit_code;
    struct tk_exit_info exit;                /* valid in TK_PROC_ZOMBIE */
    struct waitq child_exit;                 /* its own waits for children */
    struct handle_table handles;             /* closed when it ends */
    struct object *bootstrap;                /* its end of the channel to its parent, until taken */
    struct mapping *mappings;                /* memory objects in its linear memory */
    struct quota *quota;                     /* what the kernel holds for it is charged to */
    struct quota *parent_quota;              /* pays for this record until it is freed */
    uint32_t record_charged, fixed_charged;  /* bytes: this record; args, env, thread */
    struct wasi_file wasi_files[WASI_FILES]; /* fds WASI_FIRST_FD.. */
    struct object *stdio[3];                 /* channels for WASI fd 0-2; NULL: the console */
    uint8_t stdio_closed;                    /* WASI fds 0-2 closed by fd_close: bit fd */
    uint8_t *stdin_buf;                      /* the rest of a message read from stdio[0] */
    uint32_t stdin_len, stdin_pos;
    struct object *obj;                  /* its process object (process_obj.c), which outlives it */
    struct proc_startup_handle *startup; /* given at spawn, until taken or it ends */
    uint32_t nstartup;
};

/* A mapping's record is charged to its process (quota.c) from memory_map until it goes:
 * proc_mapping_new charges and allocates (NULL and *err), proc_mapping_free gives both
 * back with the object's reference. */
struct mapping *proc_mapping_new(struct process *p, int *err);
void proc_mapping_free(struct process *p, struct mapping *m);

/* What proc_spawn_req starts. References in bootstrap and stdio are consumed, also on
 * failure; env is NUL-terminated "NAME=value" strings (checked here). */
struct proc_spawn_req {
    const char *module;
    size_t module_len;
    const char *args, *env;
    size_t args_len, env_len;
    uint64_t memory_limit; /* 0: PROC_DEFAULT_MEMORY */
    uint32_t caps, flags;  /* flags: TK_SPAWN_* */
    struct object *bootstrap;
    struct object *stdio[3]; /* channel endpoints; NULL: the console */
    /* startup handles (names checked here: TK_ERR_INVAL, TK_ERR_RANGE past
     * TK_STARTUP_MAX_HANDLES); their references are consumed like the others' */
    const struct proc_startup_handle *handles;
    uint32_t nhandles;
    /* Kernel only: the child becomes the reaper, and orphans are announced (struct
     * tk_orphan_note and a process handle) on this channel end, which it takes. */
    struct object *orphans;
};

/*
 * Starts `module` (a boot-image file name) as a child of `parent` (NULL: of the kernel)
 * with arguments (consecutive NUL-terminated strings), a linear-memory limit in bytes
 * (0: PROC_DEFAULT_MEMORY) and capabilities, which must be a subset of the parent's.
 * The module is loaded and its imports resolved before this returns; instantiation and
 * `_start` run in the new process's thread. Returns the pid or an error: TK_ERR_NOENT
 * (no such module), TK_ERR_MALFORMED/INVALID (with a log line), TK_ERR_UNLINKABLE
 * (an import the kernel does not provide), TK_ERR_DENIED (capabilities), TK_ERR_RANGE,
 * TK_ERR_NOMEM. `bootstrap` (a reference, or NULL) becomes the child's bootstrap channel
 * end; it is consumed on failure too.
 */
int proc_spawn(struct process *parent, const char *module, size_t module_len, const char *args,
               size_t args_len, uint64_t memory_limit, uint32_t caps, struct object *bootstrap);
/* proc_spawn with everything: environment, stdio channels, flags. With `obj` not NULL,
 * a reference to the child's process object goes to *obj on success. */
int proc_spawn_req(struct process *parent, const struct proc_spawn_req *req, struct object **obj);
/*
 * Waits until child `pid` of `parent` (-1: any child) has ended, fills *info and frees
 * it. deadline_ns is absolute (0: forever; a time already past: just look). Returns the
 * pid, TK_ERR_NOENT (no such child), TK_ERR_TIMEOUT or TK_ERR_KILLED.
 */
int proc_wait(struct process *parent, int32_t pid, struct tk_exit_info *info, uint64_t deadline_ns);
/* Kills `pid`, which must be a descendant of `caller` (NULL: the kernel may kill any). */
int proc_kill(struct process *caller, int32_t pid);
/* The process the calling thread runs for, or NULL. */
struct process *proc_current(void);
/* Fills up to max entries; returns the number of live processes. */
uint32_t proc_list(struct tk_proc_info *out, uint32_t max);
uint32_t proc_count(void);
/* Describes the handles of process pid: how many it holds, or TK_ERR_NOENT. */
int proc_handles(int32_t pid, struct tk_handle_entry *out, uint32_t max);
/* Bytes of linear memory held by every process; in *kernel_bytes (if not NULL), what
 * the kernel holds charged to them (quota.c). */
uint64_t proc_memory_total(uint64_t *kernel_bytes);

/* CPU time of a live process's thread or of an ended one (interrupts off). */
uint64_t proc_cpu_ns(const struct process *p);
/* What proc_list and process_status call its state (interrupts off). */
uint8_t proc_state(const struct process *p);

/* Process and thread objects (process_obj.c): what a handle to a process names. They
 * outlive the process record; its end asserts PROCESS_EXITED and THREAD_EXITED. */
int proc_object_create(struct process *p);
/* At the end of p (interrupts off): the objects keep the exit record and CPU time. */
void proc_object_ended(struct process *p);
/* When p's record is freed (interrupts off): the objects stop pointing at it. */
void proc_object_release(struct process *p);
int proc_object_status(struct object *o, struct tk_process_status *out);
int proc_object_kill(struct object *o);
/* The thread object of process object o (a reference). */
struct object *proc_object_thread(struct object *o);
int thread_object_status(struct object *o, struct tk_thread_status *out);

/* The device roots for init (device_roots.c): DEVICE_ROOTS entries appended at roots[*n]
 * ("irq", "ioport", "mmio", "dma", every right), *n counted up: 0, or the error with
 * roots[0 .. *n) dropped. */
#define DEVICE_ROOTS 4
int device_roots_mint(struct proc_startup_handle *roots, uint32_t *n);

/* Startup handles (startup.c). Checks a request's table: 0, TK_ERR_RANGE (too many),
 * TK_ERR_INVAL (an empty, unterminated or repeated name). */
int proc_startup_check(const struct proc_startup_handle *h, uint32_t n);
/* Drops the references of a table's entries not yet taken. */
void proc_startup_drop(struct proc_startup_handle *h, uint32_t n);
/* Installs p's startup handle `name` (len bytes) in its handle table, once: 0 and *out,
 * TK_ERR_NOENT (no such name, or taken), or the table's error (the entry stays). */
int proc_startup_take(struct process *p, const char *name, size_t len, tk_handle *out);

/* The one-line description of a trap kind used in reports ("integer divide by zero"). */
const char *proc_exit_text(const struct tk_exit_info *info, char *buf, size_t len);

#endif
