/*
 * Startup handles: the named handles a process is given at spawn ("console", "log", ...),
 * held by the kernel in the process's table of them until the process takes each, once,
 * with startup_handle_take. This is how authority reaches a process: the kernel gives
 * init its roots this way, init gives each service what the manifest names, a shell what
 * a program needs (docs/authority.md). The table is charged to the child with its
 * arguments (process.c); entries not taken are dropped when the process ends.
 */
#include <takara/error.h>

#include "kernel/proc.h"
#include "lib/string.h"

/* The length of a valid name (1 to TK_STARTUP_NAME_MAX - 1 bytes, NUL-padded), or 0. */
static size_t startup_name_len(const char name[TK_STARTUP_NAME_MAX])
{
    size_t n = 0;

    while (n < TK_STARTUP_NAME_MAX && name[n]) n++;
    if (n == 0 || n == TK_STARTUP_NAME_MAX) return 0;
    for (size_t i = n; i < TK_STARTUP_NAME_MAX; i++)
        if (name[i]) return 0; /* bytes after the NUL would make two names look alike */
    return n;
}

int proc_startup_check(const struct proc_startup_handle *h, uint32_t n)
{
    if (n > TK_STARTUP_MAX_HANDLES) return TK_ERR_RANGE;
    for (uint32_t i = 0; i < n; i++) {
        if (!startup_name_len(h[i].name) || !h[i].obj) return TK_ERR_INVAL;
        for (uint32_t j = 0; j < i; j++)
            if (!memcmp(h[i].name, h[j].name, TK_STARTUP_NAME_MAX)) return TK_ERR_INVAL;
    }
    return 0;
}

void proc_startup_drop(struct proc_startup_handle *h, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (h[i].obj) object_unref(h[i].obj);
        h[i].obj = NULL;
    }
}

int proc_startup_take(struct process *p, const char *name, size_t len, tk_handle *out)
{
    for (uint32_t i = 0; i < p->nstartup; i++) {
        struct proc_startup_handle *e = &p->startup[i];
        int r;

        if (!e->obj || startup_name_len(e->name) != len || memcmp(e->name, name, len)) continue;
        if ((r = handle_install(&p->handles, e->obj, e->rights, out)) < 0) return r;
        object_unref(e->obj); /* the handle holds it now */
        e->obj = NULL;
        return 0;
    }
    return TK_ERR_NOENT;
}
