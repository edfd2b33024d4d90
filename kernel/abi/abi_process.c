/*
 * Process-object imports: process_spawn (one request structure: environment, stdio
 * channels, bootstrap channel, flags) and what a process or thread handle allows —
 * status, kill (MANAGE), the main thread — plus a handle to oneself, one's
 * environment and one's startup handles. Handles named in a spawn request are moved, like those
 * sent through a channel: they leave the caller's table first and are consumed whatever happens.
 */
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/mm.h"
#include "lib/string.h"

#define PROC_SELF_RIGHTS (TK_RIGHT_READ | TK_RIGHT_WAIT | TK_RIGHT_DUPLICATE | TK_RIGHT_TRANSFER)

static int32_t abi_result(uint64_t *s, int r)
{
    s[0] = (uint32_t)r;
    return 0;
}

/* Takes the four handles of a request (stdio, bootstrap) out of p's table. The same
 * value may name several stdio slots (stdout and stderr on one channel). Every named
 * handle goes, whatever the result: 0, BAD_HANDLE, WRONG_TYPE, DENIED. */
static int spawn_take_handles(struct process *p, const struct tk_spawn_args *a,
                              struct object *objs[4])
{
    static const uint32_t need[4] = {TK_RIGHT_READ, TK_RIGHT_WRITE, TK_RIGHT_WRITE, 0};
    const uint32_t values[4] = {a->stdio[0], a->stdio[1], a->stdio[2], a->bootstrap};
    uint32_t rights[4] = {0};
    int r = 0;

    for (int i = 0; i < 4; i++) {
        int j, e;
        objs[i] = NULL;
        if (!values[i]) continue;
        for (j = 0; j < i && values[j] != values[i]; j++) {
        }
        if (j < i) { /* the same value again: the same object, its rights checked anew */
            if (!objs[j]) continue;
            objs[i] = objs[j];
            rights[i] = rights[j];
            object_ref(objs[i]);
        } else if ((e = handle_take(&p->handles, values[i], &objs[i], &rights[i])) < 0) {
            if (r == 0) r = e;
            continue;
        }
        if (r == 0 && objs[i]->ops->type != TK_OBJ_CHANNEL) r = TK_ERR_WRONG_TYPE;
        if (r == 0 && (rights[i] & (need[i] | TK_RIGHT_TRANSFER)) != (need[i] | TK_RIGHT_TRANSFER))
            r = TK_ERR_DENIED;
    }
    if (r < 0) {
        for (int i = 0; i < 4; i++) {
            if (objs[i]) object_unref(objs[i]);
            objs[i] = NULL; /* the caller's failure path drops what is left in objs */
        }
    }
    return r;
}

/* Is request a's table of startup handles inside p's memory and of a size allowed? */
static bool spawn_startup_ok(struct process *p, const struct tk_spawn_args *a)
{
    return a->nhandles <= TK_STARTUP_MAX_HANDLES &&
           abi_mem_in(p, a->handles, (uint64_t)a->nhandles * sizeof(struct tk_startup_handle));
}

/* Where the kernel's entries for the startup handles go in the scratch buffer: after the
 * strings, aligned. */
static size_t spawn_startup_at(const struct tk_spawn_args *a)
{
    return ((size_t)a->args_len + a->env_len + 7) & ~(size_t)7;
}

/* The strings of request a copied into the kernel (args and env in one scratch buffer,
 * *strings, which also has room for the startup handles' entries): 0, FAULT, RANGE or
 * NOMEM. */
static int spawn_copy_strings(struct process *p, const struct tk_spawn_args *a, uint32_t out_ptr,
                              char name[64], char **strings)
{
    size_t size = spawn_startup_at(a) + a->nhandles * sizeof(struct proc_startup_handle);

    *strings = NULL;
    if (!abi_mem_in(p, a->module, a->module_len) || !abi_mem_in(p, a->args, a->args_len) ||
        !abi_mem_in(p, a->env, a->env_len) || !abi_mem(p, out_ptr, sizeof(tk_handle)))
        return TK_ERR_FAULT;
    if (a->module_len == 0 || a->module_len >= 64 || a->args_len > PROC_MAX_ARGS ||
        a->env_len > PROC_MAX_ENV || a->nhandles > TK_STARTUP_MAX_HANDLES)
        return TK_ERR_RANGE;
    if (!spawn_startup_ok(p, a)) return TK_ERR_FAULT;
    if (size && !(*strings = abi_scratch_alloc(size))) return TK_ERR_NOMEM;
    abi_copy_in(p, name, a->module, a->module_len);
    abi_copy_in(p, *strings, a->args, a->args_len);
    abi_copy_in(p, *strings + a->args_len, a->env, a->env_len);
    return 0;
}

/* Takes the startup handles of request a out of p's table into the kernel's entries ks
 * (each of p's entries read once). Every one named goes, whatever the result: 0,
 * BAD_HANDLE, DENIED (a handle without TRANSFER). */
static int spawn_take_startup(struct process *p, const struct tk_spawn_args *a,
                              struct proc_startup_handle *ks)
{
    int r = 0;

    for (uint32_t i = 0; i < a->nhandles; i++) {
        struct tk_startup_handle e;
        int x;

        abi_copy_in(p, &e, a->handles + i * (uint32_t)sizeof(e), sizeof(e));
        memcpy(ks[i].name, e.name, sizeof(e.name));
        ks[i].obj = NULL;
        if ((x = handle_take(&p->handles, e.handle, &ks[i].obj, &ks[i].rights)) < 0) {
            if (r == 0) r = x;
        } else if (!(ks[i].rights & TK_RIGHT_TRANSFER) && r == 0) {
            r = TK_ERR_DENIED;
        }
    }
    if (r < 0) proc_startup_drop(ks, a->nhandles);
    return r;
}

/* Closes the startup handles request a names (a refused request's, when nothing was
 * copied). */
static void spawn_close_startup(struct process *p, const struct tk_spawn_args *a)
{
    for (uint32_t i = 0; i < a->nhandles; i++) {
        struct tk_startup_handle e;

        abi_copy_in(p, &e, a->handles + i * (uint32_t)sizeof(e), sizeof(e));
        handle_close(&p->handles, e.handle);
    }
}

/* process_spawn(args, *process): decode, copy, spawn, install the process handle. The
 * module's memory is read before any handle is taken (but the startup handles' entries,
 * each read once as it is taken), and each byte of it once. The handles go even when the
 * request is refused; only a table of startup handles outside the memory is left alone
 * (FAULT: nothing can be read of it), or one longer than allowed (RANGE). */
static int process_spawn(struct process *p, uint32_t args_ptr, uint32_t out_ptr)
{
    struct tk_spawn_args a;
    struct object *objs[4] = {0}, *po = NULL;
    struct proc_startup_handle *ks = NULL;
    char name[64], *strings;
    struct proc_spawn_req req;
    tk_handle h;
    int r, c, taken, pid;

    if (abi_copy_in(p, &a, args_ptr, sizeof(a)) < 0) return TK_ERR_FAULT;
    c = spawn_copy_strings(p, &a, out_ptr, name, &strings);
    r = spawn_take_handles(p, &a, objs);
    taken = 0;
    if (spawn_startup_ok(p, &a) && a.nhandles) {
        ks = strings ? (struct proc_startup_handle *)(strings + spawn_startup_at(&a)) : NULL;
        if (ks)
            taken = spawn_take_startup(p, &a, ks);
        else /* refused before the buffer was made: the handles go all the same */
            spawn_close_startup(p, &a);
    }
    if (r < 0 || (r = c) < 0 || (r = taken) < 0) {
        if (ks && taken == 0) proc_startup_drop(ks, a.nhandles);
        goto fail;
    }
    req = (struct proc_spawn_req){
        .module = name,
        .module_len = a.module_len,
        .args = a.args_len ? strings : NULL,
        .args_len = a.args_len,
        .env = a.env_len ? strings + a.args_len : NULL,
        .env_len = a.env_len,
        .memory_limit = a.memory_limit,
        .caps = a.caps,
        .flags = a.flags,
        .bootstrap = objs[3],
        .stdio = {objs[0], objs[1], objs[2]},
        .handles = ks,
        .nhandles = ks ? a.nhandles : 0,
    };
    pid = proc_spawn_req(p, &req, &po); /* consumes objs[] */
    for (int i = 0; i < 4; i++) objs[i] = NULL;
    if ((r = pid) < 0) goto fail;
    abi_scratch_free(strings);
    if ((r = handle_install(&p->handles, po, TK_RIGHTS_ALL, &h)) < 0) {
        proc_object_kill(po); /* nobody could ever see it end */
        object_unref(po);
        return r;
    }
    object_unref(po);
    memcpy(abi_mem(p, out_ptr, sizeof(h)), &h, sizeof(h));
    return pid;
fail:
    abi_scratch_free(strings);
    for (int i = 0; i < 4; i++)
        if (objs[i]) object_unref(objs[i]);
    return r;
}

int abi_process_spawn(struct process *p, uint64_t *s)
{
    return abi_result(s, process_spawn(p, (uint32_t)s[0], (uint32_t)s[1]));
}

int32_t abi_process_status(struct process *p, struct object *process, uint32_t process_rights,
                           struct tk_process_status *out)
{
    struct tk_process_status st;

    proc_object_status(process, &st);
    *out = st;
    return 0;
}

int32_t abi_process_kill(struct process *p, struct object *process, uint32_t process_rights)
{
    return proc_object_kill(process);
}

int32_t abi_process_thread(struct process *p, struct object *process, uint32_t process_rights,
                           tk_handle *thread)
{
    struct object *t = proc_object_thread(process);
    int r = abi_handle_install(p, t, process_rights, thread);

    object_unref(t);
    return r;
}

int32_t abi_thread_status(struct process *p, struct object *thread, uint32_t thread_rights,
                          struct tk_thread_status *out)
{
    struct tk_thread_status st;

    thread_object_status(thread, &st);
    *out = st;
    return 0;
}

int32_t abi_process_self(struct process *p, tk_handle *out)
{
    return abi_handle_install(p, p->obj, PROC_SELF_RIGHTS, out);
}

int32_t abi_env_get(struct process *p, void *buf, uint32_t len)
{
    memcpy(buf, p->env, len < p->env_len ? len : p->env_len);
    return (int32_t)p->env_len;
}

int abi_startup_handle_take(struct process *p, uint64_t *s)
{
    uint32_t len = (uint32_t)s[1], out = (uint32_t)s[2];
    char name[TK_STARTUP_NAME_MAX];
    tk_handle h;
    int r;

    if (!abi_mem_in(p, (uint32_t)s[0], len) || !abi_mem(p, out, sizeof(h)))
        return abi_result(s, TK_ERR_FAULT);
    if (len == 0 || len >= TK_STARTUP_NAME_MAX) return abi_result(s, TK_ERR_NOENT);
    abi_copy_in(p, name, (uint32_t)s[0], len);
    if ((r = proc_startup_take(p, name, len, &h)) == 0)
        memcpy(abi_mem(p, out, sizeof(h)), &h, sizeof(h));
    return abi_result(s, r);
}
