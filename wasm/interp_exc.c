/*
 * Exceptions (the legacy exception-handling design) for the interpreter: the exception
 * objects, and the search for the catch clause that takes one, frame by frame, through
 * each lowered body's handler table (interp.h). Off the dispatch loop's hot path: it
 * runs only when something is thrown.
 *
 * An exception lives from its throw until no catch block holds it. A caught exception is
 * held in the hidden local of the try that caught it (for rethrow), and nothing else can
 * refer to it: so after each catch, every exception not held in a frame at or below the
 * catching one is freed, and everything goes when the outermost call returns.
 */
#include "wasm/interp.h"
#include "wasm/shim.h"

struct wasm_exc {
    struct wasm_exc *next;
    const struct wasm_tag *tag;
    const uint64_t *holder; /* the hidden local that held it when it was last caught */
    uint32_t n;
    uint64_t vals[];
};

struct wasm_exc *wasm_exc_new(struct wasm_exec *exec, const struct wasm_tag *tag,
                              const uint64_t *vals)
{
    struct wasm_exc *x = wasm_platform_alloc(sizeof(*x) + tag->nparams * sizeof(uint64_t));

    if (!x) return NULL;
    x->tag = tag;
    x->holder = NULL;
    x->n = tag->nparams;
    memcpy(x->vals, vals, x->n * sizeof(uint64_t));
    x->next = exec->excs;
    exec->excs = x;
    return x;
}

const struct wasm_tag *wasm_exc_tag(const struct wasm_exc *x)
{
    return x->tag;
}

void wasm_exc_free_all(struct wasm_exec *exec)
{
    while (exec->excs) {
        struct wasm_exc *x = exec->excs;
        exec->excs = x->next;
        wasm_platform_free(x);
    }
}

/* Frees what no live catch block holds: frames above `limit` are gone, and a slot that
 * no longer points at its exception was overwritten by a later catch. A stale slot still
 * pointing at one keeps it until then (bounded by the slots of the live frames). */
static void exc_sweep(struct wasm_exec *exec, const uint64_t *limit)
{
    struct wasm_exc **p = &exec->excs;

    while (*p) {
        struct wasm_exc *x = *p;
        if (x->holder && x->holder < limit && *x->holder == (uint64_t)(uintptr_t)x) {
            p = &x->next;
            continue;
        }
        *p = x->next;
        wasm_platform_free(x);
    }
}

/* The clause of handler `h` that catches `x`, or NULL. */
static const struct wasm_catch *exc_clause(const struct wasm_lowered *l, uint32_t h,
                                           const struct wasm_instance *in, const struct wasm_exc *x)
{
    for (uint32_t i = 0; i < l->ncatches; i++) {
        const struct wasm_catch *c = &l->catches[i];
        if (c->handler == h && (c->tag == WASM_CATCH_ALL || in->tags[c->tag] == x->tag)) return c;
    }
    return NULL;
}

bool wasm_exc_land(struct wasm_exec *exec, uint32_t base_frames, struct wasm_exc *x,
                   struct wasm_landing *at)
{
    for (;;) {
        const struct wasm_lowered *l = at->func->code->lowered;
        uint32_t off = (uint32_t)(at->pc - l->code);
        int32_t h = (int32_t)l->nhandlers - 1;

        /* handlers open in order, so the innermost try around `off` is the last one */
        while (h >= 0) {
            const struct wasm_handler *hd = &l->handlers[h];
            const struct wasm_catch *c;
            if (off < hd->start || off >= hd->end) {
                h--;
                continue;
            }
            if (hd->delegate != WASM_HANDLER_CATCHES) {
                h = hd->delegate; /* an enclosing try (its body holds off too), or -1 */
                continue;
            }
            if ((c = exc_clause(l, (uint32_t)h, at->func->instance, x))) {
                uint64_t *sp = at->fp + hd->height;
                if (c->tag != WASM_CATCH_ALL) {
                    memcpy(sp, x->vals, x->n * sizeof(uint64_t));
                    sp += x->n;
                }
                at->fp[hd->slot] = (uint64_t)(uintptr_t)x;
                x->holder = &at->fp[hd->slot];
                at->sp = sp;
                at->pc = l->code + c->target;
                exc_sweep(exec, at->fp + l->nlocals);
                return true;
            }
            h--;
        }
        if (exec->nframes == base_frames) return false;
        const struct wasm_frame *f = &exec->frames[--exec->nframes];
        at->pc = f->ret_pc;
        at->fp = f->fp;
        at->func = f->func;
    }
}
