/*
 * Process imports: the ABI version, exit, yield, sleep, clocks, own pid and arguments,
 * and the spawn/wait/kill family that supervisors and shells use.
 */
#include <takara/caps.h>
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/clock.h"
#include "kernel/mm.h"
#include "lib/string.h"

int32_t abi_abi_version(struct process *p)
{
    return TAKARA_ABI_VERSION;
}

int abi_exit(struct process *p, int32_t code)
{
    p->exit_code = code;
    p->exiting = true;
    return WASM_TRAP_HOST; /* unwinds the module; proc_run sees `exiting` */
}

int abi_yield(struct process *p)
{
    sched_yield();
    return 0;
}

int abi_sleep_ns(struct process *p, int64_t ns)
{
    if (ns > 0) sched_sleep_until(abi_deadline(ns));
    return 0;
}

int64_t abi_clock_ns(struct process *p)
{
    return (int64_t)clock_ns();
}

int32_t abi_getpid(struct process *p)
{
    return p->pid;
}

int32_t abi_args_get(struct process *p, void *buf, uint32_t len)
{
    memcpy(buf, p->args, len < p->args_len ? len : p->args_len);
    return (int32_t)p->args_len;
}

/* spawn's first six arguments decoded and copied, then proc_spawn with `bootstrap`
 * (consumed whatever happens): the pid or an error. */
static int spawn_from_args(struct process *p, const uint64_t *s, struct object *bootstrap)
{
    uint32_t name_len = (uint32_t)s[1], args_len = (uint32_t)s[3];
    char name_copy[64], *args_copy = NULL;
    int64_t limit = (int64_t)s[4];
    int res;

    if (!abi_mem_in(p, (uint32_t)s[0], name_len) || !abi_mem_in(p, (uint32_t)s[2], args_len)) {
        res = TK_ERR_FAULT;
        goto out;
    }
    if (name_len == 0 || name_len >= sizeof(name_copy) || args_len > PROC_MAX_ARGS || limit < 0) {
        res = TK_ERR_RANGE;
        goto out;
    }
    /* copied first: the module's memory is its own to change while we work */
    abi_copy_in(p, name_copy, (uint32_t)s[0], name_len);
    if (args_len && !(args_copy = abi_scratch_alloc(args_len))) {
        res = TK_ERR_NOMEM;
        goto out;
    }
    abi_copy_in(p, args_copy, (uint32_t)s[2], args_len);
    res = proc_spawn(p, name_copy, name_len, args_copy, args_len, (uint64_t)limit, (uint32_t)s[5],
                     bootstrap);
    bootstrap = NULL;
    abi_scratch_free(args_copy);
out:
    if (bootstrap) object_unref(bootstrap);
    return res;
}

int abi_spawn(struct process *p, uint64_t *s)
{
    s[0] = (uint32_t)spawn_from_args(p, s, NULL);
    return 0;
}

int abi_spawn_connected(struct process *p, uint64_t *s)
{
    uint32_t out = (uint32_t)s[6];
    struct object *mine, *child;
    tk_handle h;
    int r;

    if (!abi_mem(p, out, sizeof(h))) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if ((r = channel_create(&mine, &child)) < 0) goto done;
    r = handle_install(&p->handles, mine, TK_RIGHTS_ALL, &h);
    object_unref(mine); /* the handle holds it, or nothing does */
    if (r < 0) {
        object_unref(child);
        goto done;
    }
    if ((r = spawn_from_args(p, s, child)) < 0)
        handle_close(&p->handles, h);
    else
        memcpy(abi_mem(p, out, sizeof(h)), &h, sizeof(h));
done:
    s[0] = (uint32_t)r;
    return 0;
}

int32_t abi_bootstrap_take(struct process *p, tk_handle *out)
{
    struct object *o = p->bootstrap;
    int r;

    if (!o) return TK_ERR_NOENT;
    if ((r = abi_handle_install(p, o, TK_RIGHTS_ALL, out)) == 0) {
        p->bootstrap = NULL;
        object_unref(o); /* the handle holds it now */
    }
    return r;
}

int abi_wait(struct process *p, uint64_t *s)
{
    struct tk_exit_info info;
    void *dst = abi_mem(p, (uint32_t)s[1], sizeof(info));
    int res;

    if (!dst) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    res = proc_wait(p, (int32_t)(uint32_t)s[0], &info, abi_deadline((int64_t)s[2]));
    if (res > 0) {
        dst = abi_mem(p, (uint32_t)s[1], sizeof(info)); /* bounds mode: the memory may have moved */
        if (dst) memcpy(dst, &info, sizeof(info));
    }
    s[0] = (uint32_t)res;
    return 0;
}

int abi_kill(struct process *p, uint64_t *s)
{
    s[0] = (uint32_t)proc_kill(p, (int32_t)(uint32_t)s[0]);
    return 0;
}
