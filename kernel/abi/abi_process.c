/*
 * Process-object imports: process_spawn (one request structure: environment, stdio
 * channels, bootstrap channel, flags) and what a process or thread handle allows —
 * status, kill (MANAGE), the main thread — plus a handle to oneself and one's
 * environment. Handles named in a spawn request are moved, like those sent through a
 * channel: they leave the caller's table first and are consumed whatever happens.
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

/* The strings of request a copied into the kernel (args and env in one scratch buffer,
 * *strings): 0, FAULT, RANGE or NOMEM. */
static int spawn_copy_strings(struct process *p, const struct tk_spawn_args *a, uint32_t out_ptr,
                              char name[64], char **strings)
{
    *strings = NULL;
    if (!abi_mem_in(p, a->module, a->module_len) || !abi_mem_in(p, a->args, a->args_len) ||
        !abi_mem_in(p, a->env, a->env_len) || !abi_mem(p, out_ptr, sizeof(tk_handle)))
        return TK_ERR_FAULT;
    if (a->module_len == 0 || a->module_len >= 64 || a->args_len > PROC_MAX_ARGS ||
        a->env_len > PROC_MAX_ENV)
        return TK_ERR_RANGE;
    if (a->args_len + a->env_len && !(*strings = abi_scratch_alloc(a->args_len + a->env_len)))
        return TK_ERR_NOMEM;
    abi_copy_in(p, name, a->module, a->module_len);
    abi_copy_in(p, *strings, a->args, a->args_len);
    abi_copy_in(p, *strings + a->args_len, a->env, a->env_len);
    return 0;
}

/* process_spawn(args, *process): decode, copy, spawn, install the process handle. The
 * module's memory is read before any handle is taken, and each byte of it once. */
static int process_spawn(struct process *p, uint32_t args_ptr, uint32_t out_ptr)
{
    struct tk_spawn_args a;
    struct object *objs[4] = {0}, *po = NULL;
    char name[64], *strings;
    struct proc_spawn_req req;
    tk_handle h;
    int r, c, pid;

    if (abi_copy_in(p, &a, args_ptr, sizeof(a)) < 0) return TK_ERR_FAULT;
    c = spawn_copy_strings(p, &a, out_ptr, name, &strings);
    if ((r = spawn_take_handles(p, &a, objs)) < 0 || (r = c) < 0) goto fail;
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
