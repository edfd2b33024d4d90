/*
 * Processes: spawn, the life of a process's thread (instantiate, check the ABI version,
 * run `_start`), the end of a process whichever way it comes, wait and kill, and the
 * hand-off of orphans to the reaper. The process list and every field other threads
 * read (state, parent, exit) change only with interrupts off.
 */
#include "kernel/proc.h"

#include <takara/caps.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/abi.h"
#include "kernel/bootfs.h"
#include "kernel/clock.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define PROC_STACK_SIZE  (32u << 10) /* the kernel stack its thread runs the engine on */
#define PROC_WASM_STACK  (64u << 10) /* the interpreter's value stack */
#define PROC_WASM_FRAMES 1024u

static struct process *procs;
static int32_t next_pid = 1;
static uint32_t nprocs;
/* The supervisor of orphans (init) and the kernel's end of the channel it hears of them
 * on; NULL: none (in-kernel tests), orphans are ended by the kernel. */
static struct process *reaper;
static struct object *reaper_channel;

struct process *proc_current(void)
{
    struct thread *t = sched_current();
    return t ? t->proc : NULL;
}

static struct process *proc_find(int32_t pid)
{
    for (struct process *p = procs; p; p = p->next)
        if (p->pid == pid) return p;
    return NULL;
}

static void proc_free(struct process *p)
{
    struct quota *payer = p->parent_quota;
    uint32_t charged = p->record_charged;

    for (struct process **q = &procs; *q; q = &(*q)->next) {
        if (*q == p) {
            *q = p->next;
            break;
        }
    }
    nprocs--;
    proc_object_release(p);
    kfree(p);
    quota_release(payer, charged);
}

static uint64_t proc_tsc_ns(uint64_t tsc)
{
    uint64_t hz = clock_tsc_hz();

    return hz ? tsc / hz * 1000000000ull + tsc % hz * 1000000000ull / hz : 0;
}

uint64_t proc_cpu_ns(const struct process *p)
{
    struct thread *t = p->thread;

    return proc_tsc_ns(t ? t->cpu_tsc +
                               (t == sched_current() ? arch_read_cycles() - t->ran_since : 0)
                         : p->cpu_tsc);
}

uint8_t proc_state(const struct process *p)
{
    if (p->thread && p->state == TK_PROC_RUNNING && p->thread->state == THREAD_BLOCKED)
        return TK_PROC_BLOCKED;
    return p->state;
}

const char *proc_exit_text(const struct tk_exit_info *info, char *buf, size_t len)
{
    switch (info->reason) {
    case TK_EXIT_NORMAL: fmt_snprintf(buf, len, "exited with code %d", info->code); break;
    case TK_EXIT_TRAP:
        fmt_snprintf(buf, len, "trapped: %s in function %u <%s> at offset %#x",
                     wasm_trap_message(info->code), info->func_index,
                     info->func_name[0] ? info->func_name : "?", info->code_offset);
        break;
    case TK_EXIT_KILLED: fmt_snprintf(buf, len, "killed"); break;
    default: fmt_snprintf(buf, len, "failed to start: %s", tk_strerror(info->code)); break;
    }
    return buf;
}

/* p's next live child, taken from it: re-parented to the reaper (or to no one) and
 * reaped as soon as it ends; its note filled in and a reference to its process object
 * taken. NULL when p has no live child left. */
static struct process *proc_orphan_take(struct process *p, struct tk_orphan_note *note,
                                        struct object **obj)
{
    uint64_t flags = arch_irq_save();
    struct process *c;

    for (c = procs; c && (c->parent != p || c->state == TK_PROC_ZOMBIE); c = c->next) {
    }
    if (c) {
        c->parent = reaper_channel && reaper != p ? reaper : NULL;
        c->autoreap = true; /* nobody waits for an orphan: freed when it ends */
        *note = (struct tk_orphan_note){.pid = c->pid, .parent = p->pid, .service = c->service};
        memcpy(note->name, c->name, TK_NAME_MAX);
        *obj = c->obj;
        object_ref(*obj);
    }
    arch_irq_restore(flags);
    return c;
}

/*
 * p is ending: each of its live children goes to the reaper, which hears of it (a note
 * and a process handle, one message each) and applies its policy. An orphan the reaper
 * cannot hear of (no reaper, its queue full, no memory) is ended here, so no process
 * outlives everyone able to end it. One child at a time, with interrupts on between:
 * the work is a loop over p's children, never a walk down the tree (grandchildren are
 * their own parents' business, when those end).
 */
static void proc_orphans_hand_off(struct process *p)
{
    static const uint32_t rights = TK_RIGHTS_ALL;
    struct tk_orphan_note note;
    struct object *obj, *sent;

    while (proc_orphan_take(p, &note, &obj)) {
        const char *why = "no reaper";
        int r = TK_ERR_NOENT;

        if (reaper_channel && reaper != p) {
            sent = obj;
            object_ref(sent); /* the message's reference: consumed whatever happens */
            r = channel_write(reaper_channel, &note, sizeof(note), &sent, &rights, 1);
            why = r == TK_ERR_AGAIN ? "the reaper's queue is full" : tk_strerror(r);
        }
        if (r < 0) {
            log_info("proc: %d '%s' orphaned by %d: ended (%s)", note.pid, note.name, note.parent,
                     why);
            proc_object_kill(obj);
        }
        object_unref(obj);
    }
}

struct mapping *proc_mapping_new(struct process *p, int *err)
{
    struct mapping *m;

    if ((*err = quota_charge(p->quota, heap_block_bytes(sizeof(*m)))) < 0) return NULL;
    if (!(m = kzalloc(sizeof(*m)))) {
        quota_uncharge(p->quota, heap_block_bytes(sizeof(*m)));
        *err = TK_ERR_NOMEM;
    }
    return m;
}

void proc_mapping_free(struct process *p, struct mapping *m)
{
    if (!m) return;
    if (m->obj) object_unref(m->obj);
    kfree(m);
    quota_uncharge(p->quota, heap_block_bytes(sizeof(*m)));
}

/* Everything of an ended process but its exit record goes; the parent is told. */
static void proc_end(struct process *p, const struct tk_exit_info *info)
{
    struct thread *t = sched_current();
    char text[128];
    uint64_t flags;

    proc_exit_text(info, text, sizeof(text));
    if (info->reason == TK_EXIT_NORMAL)
        log_debug("proc: %d '%s' (%s) %s", p->pid, p->name, p->module_name, text);
    else
        log_info("proc: %d '%s' (%s) %s", p->pid, p->name, p->module_name, text);
    proc_orphans_hand_off(p); /* while p can still pay for the messages */
    flags = arch_irq_save();
    p->memory = NULL; /* proc_list must not read it once the store goes */
    arch_irq_restore(flags);
    handle_table_destroy(&p->handles);          /* peers see PEER_CLOSED now */
    proc_startup_drop(p->startup, p->nstartup); /* the ones it never took */
    kfree(p->startup);
    if (p->bootstrap) object_unref(p->bootstrap);
    p->bootstrap = NULL;
    wasm_store_free(p->store); /* mapped pages are borrowed: the release leaves them */
    while (p->mappings) {
        struct mapping *m = p->mappings;
        p->mappings = m->next;
        proc_mapping_free(p, m);
    }
    /* its objects still alive, and messages it sent still queued, keep the quota;
     * proc_list stops reading it first */
    struct quota *q = p->quota;
    quota_uncharge(q, p->fixed_charged);
    flags = arch_irq_save();
    p->quota = NULL;
    t->quota = NULL;
    arch_irq_restore(flags);
    quota_unref(q);
    bootfs_module_put(p->module);
    kfree(p->args);
    kfree(p->env);
    kfree(p->stdin_buf);
    for (int i = 0; i < 3; i++)
        if (p->stdio[i]) object_unref(p->stdio[i]); /* readers of its output see PEER_CLOSED */
    flags = arch_irq_save();
    p->store = NULL;
    p->module = NULL;
    p->args = p->env = NULL;
    p->stdin_buf = NULL;
    for (int i = 0; i < 3; i++) p->stdio[i] = NULL;
    p->startup = NULL;
    p->nstartup = 0;
    p->exit = *info;
    p->exit.pid = p->pid;
    p->cpu_tsc = t->cpu_tsc + (arch_read_cycles() - t->ran_since);
    p->thread = NULL;
    p->state = TK_PROC_ZOMBIE;
    proc_object_ended(p);
    for (struct process *c = procs, *next; c; c = next) {
        next = c->next;
        if (c->parent != p) continue;
        c->parent = NULL; /* zombies nobody will wait for; the live ones are handed off */
        if (c->state == TK_PROC_ZOMBIE) proc_free(c);
    }
    if (p == reaper) { /* later orphans are the kernel's to end */
        object_unref(reaper_channel);
        reaper = NULL;
        reaper_channel = NULL;
    }
    if (p->parent && !p->autoreap)
        waitq_wake_all(&p->parent->child_exit);
    else
        proc_free(p);
    t->proc = NULL;
    arch_irq_restore(flags);
    thread_exit();
}

static int proc_call(struct process *p, const char *name, union wasm_value *result,
                     uint32_t nresults, struct wasm_instance *in, struct wasm_trap *trap)
{
    struct wasm_extern e;
    struct wasm_functype_desc ft;

    if (wasm_instance_export(in, (struct wasm_name){(uint32_t)strlen(name), name}, &e) < 0 ||
        e.kind != WASM_EXTERN_FUNC)
        return TK_ERR_NOENT;
    wasm_func_type(e.of.func, &ft);
    if (ft.nparams != 0 || ft.nresults != nresults || (nresults && ft.results[0] != WASM_I32))
        return TK_ERR_UNLINKABLE;
    return wasm_func_call(p->store, e.of.func, NULL, 0, result, nresults, trap);
}

static bool proc_imports_takara(const struct wasm_module *m)
{
    for (uint32_t i = 0; i < wasm_module_import_count(m); i++) {
        struct wasm_import_desc d;
        wasm_module_import(m, i, &d);
        if (d.module.len == 6 && !memcmp(d.module.str, "takara", 6)) return true;
    }
    return false;
}

/* A kernel fault inside an import names the import instead of the module's function
 * that called it (whose index and offset stay). */
static void proc_trap_info(const struct wasm_trap *trap, struct tk_exit_info *info)
{
    const char *import = trap->kind == WASM_TRAP_HOST_FAULT ? sched_current()->import_fault : NULL;
    uint32_t n = trap->func_name.len < TK_NAME_MAX - 1 ? trap->func_name.len : TK_NAME_MAX - 1;

    info->reason = TK_EXIT_TRAP;
    info->code = trap->kind;
    info->func_index = trap->func_index;
    info->code_offset = trap->code_offset;
    memcpy(info->func_name, trap->func_name.str, n);
    info->func_name[n] = 0;
    if (import) strlcpy(info->func_name, import, TK_NAME_MAX);
}

/* Instantiates and runs the process; fills *info with how it ended. */
static void proc_run(struct process *p, struct tk_exit_info *info)
{
    const struct wasm_module *m = p->module->module;
    uint32_t nimports = wasm_module_import_count(m);
    struct wasm_extern *imports = NULL, mem;
    struct wasm_instance *in;
    struct wasm_error err;
    struct wasm_trap trap = {0};
    union wasm_value version;
    int r;

    if (nimports && !(imports = kzalloc(nimports * sizeof(*imports)))) {
        r = TK_ERR_NOMEM;
        goto failed;
    }
    if ((r = abi_link(p, p->module->imports, nimports, imports)) < 0) goto failed;
    r = wasm_instance_new(p->store, m, imports, nimports, &in, &err, &trap);
    kfree(imports);
    if (r < 0) {
        log_info("proc: %d '%s': instantiation failed: %s %s", p->pid, p->name, err.reason,
                 err.detail);
        if (r == TK_ERR_TRAP) goto trapped;
        goto failed;
    }
    if (wasm_instance_export(in, (struct wasm_name){6, "memory"}, &mem) == 0 &&
        mem.kind == WASM_EXTERN_MEMORY)
        p->memory = mem.of.memory;
    if (proc_imports_takara(m)) {
        r = proc_call(p, "takara_abi", &version, 1, in, &trap);
        if (r == TK_ERR_TRAP) goto trapped;
        if (r < 0 && r != TK_ERR_NOENT && r != TK_ERR_UNLINKABLE) {
            /* the call itself could not run (its stacks do not fit the quota, say) */
            log_info("proc: %d '%s': cannot call takara_abi: %s", p->pid, p->name, tk_strerror(r));
            goto failed;
        }
        if (r < 0 || version.i32 != TAKARA_ABI_VERSION) {
            log_info("proc: %d '%s': %s (kernel speaks takara ABI v%d)", p->pid, p->name,
                     r < 0 ? "no takara_abi export declaring the ABI version"
                           : "built for another takara ABI version",
                     TAKARA_ABI_VERSION);
            r = TK_ERR_UNSUPPORTED;
            goto failed;
        }
    }
    p->state = TK_PROC_RUNNING;
    r = proc_call(p, "_start", NULL, 0, in, &trap);
    if (r == TK_ERR_TRAP) goto trapped;
    if (r < 0) goto failed;
    *info = (struct tk_exit_info){.reason = TK_EXIT_NORMAL};
    return;
trapped:
    if (sched_current()->killed)
        *info = (struct tk_exit_info){.reason = TK_EXIT_KILLED};
    else if (trap.kind == WASM_TRAP_HOST && p->exiting)
        *info = (struct tk_exit_info){.reason = TK_EXIT_NORMAL, .code = p->exit_code};
    else
        proc_trap_info(&trap, info);
    return;
failed:
    *info = (struct tk_exit_info){.reason = TK_EXIT_FAILED, .code = r};
}

static void proc_main(void *arg)
{
    struct process *p = arg;
    struct thread *t = sched_current();
    struct tk_exit_info info = {0};
    struct arch_jmpbuf landing;

    if (arch_setjmp(&landing) == 0) {
        t->abort_landing = &landing;
        proc_run(p, &info);
    } else {
        info = (struct tk_exit_info){.reason = TK_EXIT_KILLED};
    }
    t->abort_landing = NULL;
    t->wasm_guard = NULL; /* guarded calls abandoned with the interpreter */
    proc_end(p, &info);
}

static void proc_set_name(struct process *p, const char *module, size_t module_len)
{
    size_t n = p->args_len ? strlen(p->args) : 0;
    const char *src = n ? p->args : module;

    if (!n) n = module_len;
    if (n >= TK_NAME_MAX) n = TK_NAME_MAX - 1;
    memcpy(p->name, src, n);
    n = module_len < TK_NAME_MAX - 1 ? module_len : TK_NAME_MAX - 1;
    memcpy(p->module_name, module, n);
}

/* Environment strings must each be NAME=value with a non-empty NAME. */
static bool proc_env_ok(const char *env, size_t len)
{
    if (len == 0) return true;
    if (len > PROC_MAX_ENV || env[len - 1] != 0) return false;
    for (size_t at = 0; at < len;) {
        size_t n = strlen(env + at);
        const char *eq = memchr(env + at, '=', n);
        if (!eq || eq == env + at) return false;
        at += n + 1;
    }
    return true;
}

int proc_spawn(struct process *parent, const char *module, size_t module_len, const char *args,
               size_t args_len, uint64_t memory_limit, uint32_t caps, struct object *bootstrap)
{
    struct proc_spawn_req req = {.module = module,
                                 .module_len = module_len,
                                 .args = args,
                                 .args_len = args_len,
                                 .memory_limit = memory_limit,
                                 .caps = caps,
                                 .bootstrap = bootstrap};

    return proc_spawn_req(parent, &req, NULL);
}

int proc_spawn_req(struct process *parent, const struct proc_spawn_req *req, struct object **obj)
{
    struct wasm_store_limits limits = {PROC_WASM_STACK, PROC_WASM_FRAMES, 0, NULL};
    const char *module = req->module, *args = req->args;
    size_t module_len = req->module_len, args_len = req->args_len;
    uint32_t caps = req->caps;
    struct bootfs_module *bm = NULL;
    struct quota *payer = parent ? parent->quota : NULL, *q = NULL;
    struct process *p = NULL;
    struct wasm_error err;
    uint32_t record = 0;
    uint64_t flags, fixed = 0;
    size_t startup_bytes = 0;
    bool reserve;
    int r;

    if (parent && (caps & ~parent->caps)) {
        r = TK_ERR_DENIED;
        goto fail;
    }
    r = TK_ERR_INVAL;
    if ((caps & ~TK_CAP_ALL) || (req->flags & ~(TK_SPAWN_AUTOREAP | TK_SPAWN_RESERVE)) ||
        !proc_env_ok(req->env, req->env_len))
        goto fail;
    if ((r = proc_startup_check(req->handles, req->nhandles)) < 0) goto fail;
    /* the reserve is for what the kernel starts (init) and what a process holding it
     * passes on (init, for the services the manifest marks) */
    if ((req->flags & TK_SPAWN_RESERVE) && !quota_has_reserve(payer)) {
        r = TK_ERR_DENIED;
        goto fail;
    }
    reserve = !payer || (req->flags & TK_SPAWN_RESERVE);
    r = TK_ERR_RANGE;
    if (module_len == 0 || module_len >= 64 || args_len > PROC_MAX_ARGS ||
        (args_len && args[args_len - 1] != 0) || req->memory_limit > (4ull << 30))
        goto fail;
    limits.memory_bytes = req->memory_limit ? req->memory_limit : PROC_DEFAULT_MEMORY;
    if ((r = bootfs_module_get(module, module_len, &bm, &err)) < 0) {
        if (r == TK_ERR_UNLINKABLE)
            log_info("proc: %.*s: %s", (int)module_len, module, err.detail);
        else if (r != TK_ERR_NOENT && r != TK_ERR_NOMEM)
            log_info("proc: %.*s: %s: %s at offset %u", (int)module_len, module, tk_strerror(r),
                     err.reason, err.offset);
        goto fail;
    }
    /* the parent pays for the record, which its wait frees; the child for the rest */
    if ((r = quota_hold(payer, sizeof(*p), &record)) < 0) goto fail;
    r = TK_ERR_NOMEM;
    /* an ordinary process's children join its tree's budget; what a reserve holder (init,
     * the services it marks) starts is the root of a tree of its own */
    if (!(q = quota_new(quota_has_reserve(payer) ? NULL : payer,
                        limits.memory_bytes + PROC_KERNEL_BASE, limits.memory_bytes / PAGE_SIZE,
                        reserve)))
        goto fail;
    startup_bytes = req->nhandles * sizeof(*req->handles);
    fixed = heap_block_bytes(args_len) + heap_block_bytes(req->env_len) + PROC_STACK_SIZE +
            heap_block_bytes(sizeof(struct thread)) + heap_block_bytes(startup_bytes);
    if ((r = quota_charge(q, fixed)) < 0) goto fail;
    r = TK_ERR_NOMEM;
    if (!(p = kzalloc(sizeof(*p)))) goto fail_charged;
    p->quota = q;
    p->fixed_charged = (uint32_t)fixed;
    p->parent_quota = payer;
    p->record_charged = record;
    q = NULL;
    limits.account = p->quota; /* the engine's instance data and tables */
    if (args_len && !(p->args = kmalloc(args_len))) goto fail;
    if (req->env_len && !(p->env = kmalloc(req->env_len))) goto fail;
    if (startup_bytes && !(p->startup = kmalloc(startup_bytes))) goto fail;
    if (!(p->store = wasm_store_new_limited(&limits))) goto fail;
    if ((r = proc_object_create(p)) < 0) goto fail;
    r = TK_ERR_NOMEM;
    memcpy(p->args, args, args_len);
    p->args_len = (uint32_t)args_len;
    memcpy(p->env, req->env, req->env_len);
    p->env_len = (uint32_t)req->env_len;
    p->autoreap = req->flags & TK_SPAWN_AUTOREAP;
    p->module = bm;
    p->caps = caps;
    p->parent = parent;
    p->bootstrap = req->bootstrap;
    for (int i = 0; i < 3; i++) p->stdio[i] = req->stdio[i];
    memcpy(p->startup, req->handles, startup_bytes); /* the references move with them */
    p->nstartup = req->nhandles;
    p->memory_limit = limits.memory_bytes;
    p->state = TK_PROC_STARTING;
    waitq_init(&p->child_exit);
    handle_table_init(&p->handles);
    p->handles.quota = p->quota;
    if (caps & TK_CAP_BOOTFS) p->wasi_files[0].kind = WASI_FILE_DIR; /* WASI's /boot */
    proc_set_name(p, module, module_len);
    flags = arch_irq_save();
    p->pid = next_pid++;
    p->next = procs;
    procs = p;
    nprocs++;
    /* created with interrupts off, so it cannot run (and end) before it is filled in */
    p->thread = thread_create(p->name, SCHED_PRIO_NORMAL, proc_main, p, PROC_STACK_SIZE);
    if (!p->thread) {
        procs = p->next;
        nprocs--;
        arch_irq_restore(flags);
        goto fail_owned;
    }
    p->thread->proc = p;
    p->thread->quota = p->quota;
    p->service = parent && parent != reaper && parent->service ? parent->service : p->pid;
    if (req->orphans) { /* before it can start anything that could be orphaned */
        reaper = p;
        reaper_channel = req->orphans;
    }
    if (obj) {
        *obj = p->obj;
        object_ref(p->obj);
    }
    r = p->pid;
    arch_irq_restore(flags);
    return r;
fail_owned: /* p took the references: give them back for the common path below */
    p->bootstrap = NULL;
    for (int i = 0; i < 3; i++) p->stdio[i] = NULL;
    p->nstartup = 0;
fail_charged:
    if (q) quota_uncharge(q, fixed);
fail:
    if (p) {
        flags = arch_irq_save();
        proc_object_release(p);
        arch_irq_restore(flags);
        wasm_store_free(p->store);
        kfree(p->args);
        kfree(p->env);
        kfree(p->startup);
        quota_uncharge(p->quota, p->fixed_charged);
        q = p->quota;
        kfree(p);
    }
    if (q) quota_unref(q);
    if (record) quota_release(payer, record);
    if (bm) bootfs_module_put(bm);
    if (req->bootstrap) object_unref(req->bootstrap);
    if (req->orphans) object_unref(req->orphans);
    for (int i = 0; i < 3; i++)
        if (req->stdio[i]) object_unref(req->stdio[i]);
    for (uint32_t i = 0; i < req->nhandles; i++)
        if (req->handles[i].obj) object_unref(req->handles[i].obj);
    return r;
}

int proc_wait(struct process *parent, int32_t pid, struct tk_exit_info *info, uint64_t deadline_ns)
{
    uint64_t flags = arch_irq_save();
    int r;

    for (;;) {
        struct process *found = NULL;
        bool any = false;
        for (struct process *c = procs; c; c = c->next) {
            if (c->parent != parent || c->autoreap || (pid != -1 && c->pid != pid)) continue;
            any = true;
            if (c->state == TK_PROC_ZOMBIE) {
                found = c;
                break;
            }
        }
        if (found) {
            *info = found->exit;
            r = found->pid;
            proc_free(found);
            break;
        }
        if (!any) {
            r = TK_ERR_NOENT;
            break;
        }
        if ((r = waitq_wait(&parent->child_exit, deadline_ns)) < 0) break;
    }
    arch_irq_restore(flags);
    return r;
}

int proc_kill(struct process *caller, int32_t pid)
{
    uint64_t flags = arch_irq_save();
    struct process *p = proc_find(pid), *a;
    int r = 0;

    if (!p) {
        r = TK_ERR_NOENT;
        goto out;
    }
    for (a = p->parent; caller && a && a != caller; a = a->parent) {
    }
    if (caller && a != caller) {
        r = TK_ERR_DENIED;
        goto out;
    }
    if (p->thread) thread_kill(p->thread);
out:
    arch_irq_restore(flags);
    return r;
}

uint32_t proc_list(struct tk_proc_info *out, uint32_t max)
{
    uint64_t flags = arch_irq_save();
    uint32_t n = 0;

    for (struct process *p = procs; p; p = p->next, n++) {
        if (n >= max) continue;
        out[n] = (struct tk_proc_info){
            .pid = p->pid,
            .ppid = p->parent ? p->parent->pid : 0,
            .state = proc_state(p),
            .caps = p->caps,
            .memory_bytes = p->memory ? wasm_memory_size(p->memory) : 0,
            .memory_limit = p->memory_limit,
            .kernel_bytes = quota_used_bytes(p->quota) + quota_used_pages(p->quota) * PAGE_SIZE,
            .cpu_ns = proc_cpu_ns(p),
        };
        memcpy(out[n].name, p->name, TK_NAME_MAX);
        memcpy(out[n].module, p->module_name, TK_NAME_MAX);
    }
    arch_irq_restore(flags);
    return n;
}

int proc_handles(int32_t pid, struct tk_handle_entry *out, uint32_t max)
{
    uint64_t flags = arch_irq_save();
    struct process *p = proc_find(pid);
    int r =
        p && p->state != TK_PROC_ZOMBIE ? (int)handle_list(&p->handles, out, max) : TK_ERR_NOENT;

    arch_irq_restore(flags);
    return r;
}

uint32_t proc_count(void)
{
    return nprocs;
}

uint64_t proc_memory_total(uint64_t *kernel_bytes)
{
    uint64_t flags = arch_irq_save(), total = 0, kernel = 0;

    for (struct process *p = procs; p; p = p->next) {
        if (p->memory) total += wasm_memory_size(p->memory);
        kernel += quota_used_bytes(p->quota) + quota_used_pages(p->quota) * PAGE_SIZE;
    }
    arch_irq_restore(flags);
    if (kernel_bytes) *kernel_bytes = kernel;
    return total;
}
