/*
 * abifuzz: calls the kernel's imports with random arguments — handles valid, closed,
 * forged and of the wrong type, pointers inside and past its memory, sizes from zero to
 * huge — to show that nothing a module passes can harm the kernel: every call comes
 * back, with a result or an error, and the process goes on. `abifuzz SEED N` makes N
 * calls drawn from SEED. The call table is generated from abi.def
 * (tools/gen-abi-fuzz.py): an import the table gains is fuzzed with no change here.
 *
 * The kernel must never be able to write over what the fuzzer keeps (its generator and
 * its handle pool): the pointers it passes lead into `inputs` or into `scratch` (a page
 * of linear memory grown at the start, the memory's last), or past the memory's end;
 * memory objects map only over `scratch`, which the fuzzer itself only reads. Times are
 * kept under 2 ms so that no wait lasts; `exit` is not called but to end. Exits 0 after
 * N calls; leakcheck (scenario `fuzz`) checks that what it made is given back.
 *
 * `abifuzz checks` tries the kernel's generated handle checks instead: for every handle
 * parameter that abi.def types (abifuzz_handles[]), in every row, a handle of the wrong
 * type must get TK_ERR_WRONG_TYPE, one lacking each of the rights it needs
 * TK_ERR_DENIED, a closed or forged one TK_ERR_BAD_HANDLE — the other arguments being
 * good (pointers into scratch, zero sizes, fitting handles), so that the answer is the
 * check's. Prints each failure and a summary; exits with the number of failures.
 *
 * Device resources, if the first message on its bootstrap channel carries some (the
 * in-kernel test kernel/proc/device_proc_ktest.c grants an unused port range, IRQ line,
 * MMIO page and a DMA budget), join the pool, IRQ objects and DMA buffers are made from
 * them at each sweep, and tame calls aim ports, interrupt sources and physical
 * addresses inside them, so that the device imports get past their checks too.
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include <stdbool.h>

#include "lib/string.h"

struct abifuzz_row {
    const char *name;
    const char *kinds; /* per parameter: h handle, p pointer, t time, w 64-bit, o mapping
                        * offset, n 32-bit */
};

struct abifuzz_handle {
    uint32_t row, operand;
    uint32_t type, rights; /* TK_OBJ_*, TK_RIGHT_* the import needs */
};

#include "abifuzz_rows.h"

#define POOL_SIZE 64

static uint64_t rng_state;
static tk_handle pool[POOL_SIZE]; /* handles made (or harvested) by the calls */
static uint32_t npool;
static tk_handle stale;  /* the last one closed */
static uint8_t *scratch; /* the grown page: the kernel may write here */
static uint32_t memory_end;

/* What the kernel reads from (and may write into): requests, names, handle arrays. */
static struct {
    char module[16];
    char argv[16];
    struct tk_spawn_args spawn;
    tk_handle handles[8];
} inputs;

/* Granted device resources (resource_info of each), by kind; handle 0 if none. */
static struct {
    tk_handle h;
    struct tk_resource_info info;
} grants[TK_RESOURCE_DMA + 1];

static uint32_t row_exit;
/* Half the calls are tame: live handles, pointers into inputs or scratch, small sizes,
 * so that they get past the argument checks to the work behind them. */
static bool tame;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint32_t rng_below(uint32_t n)
{
    return (uint32_t)(rng_next() % n);
}

static tk_handle pick_handle(void)
{
    tk_handle h = npool ? pool[rng_below(npool)] : 0;

    if (tame) return h;
    switch (rng_below(10)) {
    case 0: return stale;
    case 1: return rng_below(2) ? 0 : 0xffffffffu;
    case 2: return h ^ (1u << rng_below(16)); /* a neighbour: another slot or generation */
    case 3: return (tk_handle)rng_next();
    default: return h;
    }
}

static uint32_t pick_pointer(void)
{
    const void *tamed[] = {inputs.module, &inputs.spawn, inputs.handles};

    if (tame)
        return rng_below(2) ? (uint32_t)(uintptr_t)tamed[rng_below(3)]
                            : (uint32_t)(uintptr_t)scratch + rng_below(TK_MEMORY_PAGE * 15);
    switch (rng_below(10)) {
    case 0:
    case 1: return (uint32_t)(uintptr_t)&inputs + rng_below(sizeof inputs);
    case 2: return memory_end - rng_below(64); /* straddling the end */
    case 3: return memory_end + rng_below(1u << 20);
    case 4: return 0xffffffffu - rng_below(256);
    default: return (uint32_t)(uintptr_t)scratch + (rng_below(TK_MEMORY_PAGE * 16) & ~7u);
    }
}

static uint32_t pick_number(void)
{
    static const uint32_t edges[] = {64, 4096, 65536, 65537, 0x7fffffffu, 0x80000000u, 0xffffffffu};

    if (tame) return rng_below(3) == 0 ? 0 : rng_below(2) ? 1 + rng_below(8) : 10u << rng_below(3);
    switch (rng_below(10)) {
    case 0:
    case 1:
    case 2: return rng_below(17);
    case 3:
    case 4: return edges[rng_below(sizeof edges / sizeof edges[0])];
    case 5:
    case 6: return rng_below(1u << 17);
    default: return (uint32_t)rng_next();
    }
}

/* Where memory_map and memory_unmap may point: a page of scratch, or nowhere valid. */
static uint32_t pick_map_offset(void)
{
    uint32_t page = (uint32_t)(uintptr_t)scratch + rng_below(16) * TK_MEMORY_PAGE;

    switch (rng_below(10)) {
    case 0: return page + 8;
    case 1: return memory_end + rng_below(16) * TK_MEMORY_PAGE;
    default: return page;
    }
}

/* A number inside the grant of `kind` when tame (and there is one), else `wild`. */
static uint64_t pick_granted(uint32_t kind, uint64_t wild)
{
    const struct tk_resource_info *g = &grants[kind].info;

    if (!tame || !grants[kind].h) return wild;
    if (kind == TK_RESOURCE_MMIO)
        return g->base + (rng_below((uint32_t)(g->size / TK_MEMORY_PAGE)) * TK_MEMORY_PAGE);
    return g->base + rng_below((uint32_t)g->size);
}

static uint64_t pick(char kind)
{
    switch (kind) {
    case 'a': return pick_granted(TK_RESOURCE_MMIO, rng_below(2) ? rng_next() : 0xfec00000u);
    case 'r':
        return pick_granted(TK_RESOURCE_IOPORT, rng_below(2) ? rng_below(0x10000) : pick_number());
    case 'q': return pick_granted(TK_RESOURCE_IRQ, pick_number());
    case 'h': return pick_handle();
    case 'p': return pick_pointer();
    case 't': return rng_below(4) ? rng_below(2000001) : 0;
    case 'w': return rng_below(2) ? rng_next() : rng_below(1u << 22);
    case 'o': return pick_map_offset();
    default: return pick_number();
    }
}

/* A spawn request whose handles come from the pool and whose module is real or not. */
static void inputs_refresh(void)
{
    memcpy(inputs.module, rng_below(2) ? "hello.wasm" : "nope.wasm!", 10);
    memcpy(inputs.argv, "hello\0x", 8);
    inputs.spawn = (struct tk_spawn_args){
        .module = (uint32_t)(uintptr_t)inputs.module,
        .module_len = tame ? 10 : rng_below(12),
        .args = rng_below(2) ? (uint32_t)(uintptr_t)inputs.argv : pick_pointer(),
        .args_len = rng_below(10),
        .env = pick_pointer(),
        .env_len = rng_below(3) ? 0 : pick_number(),
        .caps = pick_number(),
        .flags = rng_below(3),
        .memory_limit = rng_below(2) ? 0 : rng_next(),
        .stdio = {rng_below(2) ? 0 : pick_handle(), rng_below(2) ? 0 : pick_handle(),
                  rng_below(2) ? 0 : pick_handle()},
        .bootstrap = rng_below(2) ? 0 : pick_handle(),
    };
    for (uint32_t i = 0; i < 8; i++) inputs.handles[i] = pick_handle();
}

/* A value a call may have left at `ptr` joins the pool if it is a live handle; the
 * handle it displaces is closed, so the table stays small. */
static void pool_harvest(uint32_t ptr)
{
    struct tk_handle_info info;
    uint32_t slot = npool < POOL_SIZE ? npool : rng_below(POOL_SIZE), value;
    uintptr_t lo = (uintptr_t)scratch, hi = lo + TK_MEMORY_PAGE * 16;

    if (ptr < lo || ptr > hi - 4) return;
    memcpy(&value, (const void *)(uintptr_t)ptr, 4);
    if (tk_handle_info(value, &info) < 0) return;
    for (uint32_t i = 0; i < npool; i++)
        if (pool[i] == value) return;
    if (slot < npool && tk_handle_close(pool[slot]) == 0) stale = pool[slot];
    if (slot == npool) npool++;
    pool[slot] = value;
}

/* Calls close, move and replace handles: the dead leave the pool, and when few are left
 * a new one of every kind comes in. */
static void pool_sweep(void)
{
    struct tk_handle_info info;
    uint32_t kept = 0;

    for (uint32_t i = 0; i < npool; i++)
        if (tk_handle_info(pool[i], &info) == 0)
            pool[kept++] = pool[i];
        else
            stale = pool[i];
    npool = kept;
    if (npool > POOL_SIZE - 9) return;
    memset(&pool[npool], 0, 9 * sizeof(pool[0])); /* a failed creation leaves a 0 */
    tk_event_create(&pool[npool++]);
    tk_channel_create(&pool[npool], &pool[npool + 1]);
    npool += 2;
    tk_port_create(&pool[npool++]);
    tk_timer_create(&pool[npool++]);
    tk_memory_create(1 + rng_below(2), &pool[npool++]);
    tk_process_self(&pool[npool++]);
    if (grants[TK_RESOURCE_IRQ].h) /* BUSY while an older one lives */
        tk_irq_create(grants[TK_RESOURCE_IRQ].h, (uint32_t)grants[TK_RESOURCE_IRQ].info.base,
                      &pool[npool++]);
    if (grants[TK_RESOURCE_DMA].h)
        tk_dma_create(grants[TK_RESOURCE_DMA].h, TK_MEMORY_PAGE * (1 + rng_below(2)),
                      &pool[npool++]);
}

/* The device resources on the bootstrap channel, if any: into grants and the pool. */
static void grants_take(void)
{
    tk_handle ch, got[4];
    struct tk_channel_sizes sz;
    struct tk_resource_info info;
    char names[64];

    if (tk_bootstrap_take(&ch) < 0) return;
    if (tk_channel_read(ch, names, sizeof names, got, 4, &sz) == 0) {
        for (uint32_t i = 0; i < sz.handles; i++) {
            if (tk_resource_info(got[i], &info) < 0 || info.kind > TK_RESOURCE_DMA) continue;
            grants[info.kind].h = got[i];
            grants[info.kind].info = info;
            pool[npool++] = got[i];
        }
    }
    tk_handle_close(ch);
}

static uint32_t row_find(const char *name)
{
    for (uint32_t i = 0; i < ABIFUZZ_NROWS; i++)
        if (!strcmp(abifuzz_rows[i].name, name)) return i;
    return ABIFUZZ_NROWS;
}

/* One call of a random import (never exit). */
static void fuzz_one(void)
{
    uint64_t a[16] = {0};
    uint32_t row;
    const char *kinds;

    do {
        row = rng_below(ABIFUZZ_NROWS);
    } while (row == row_exit);
    tame = rng_below(2);
    kinds = abifuzz_rows[row].kinds;
    inputs_refresh();
    for (uint32_t i = 0; kinds[i]; i++) a[i] = pick(kinds[i]);
    abifuzz_call(row, a);
    for (uint32_t i = 0; kinds[i]; i++)
        if (kinds[i] == 'p') pool_harvest((uint32_t)a[i]);
}

/* A new object of `type` (TK_OBJ_NONE: an event) behind a handle with every right the
 * fuzzer can have to it; 0 when it cannot make one of that type. */
static tk_handle checks_make(uint32_t type)
{
    tk_handle h = 0, other = 0;

    switch (type) {
    case TK_OBJ_NONE:
    case TK_OBJ_EVENT: tk_event_create(&h); break;
    case TK_OBJ_CHANNEL:
        tk_channel_create(&h, &other);
        tk_handle_close(other);
        break;
    case TK_OBJ_TIMER: tk_timer_create(&h); break;
    case TK_OBJ_PORT: tk_port_create(&h); break;
    case TK_OBJ_MEMORY: tk_memory_create(1, &h); break;
    case TK_OBJ_PROCESS: tk_process_self(&h); break;
    case TK_OBJ_THREAD:
        if (tk_process_self(&other) == 0) tk_process_thread(other, &h);
        tk_handle_close(other);
        break;
    default: break;
    }
    return h;
}

static uint32_t checks_failed, checks_made;

/* Calls e's import with `bad` as e's handle and good values elsewhere: it must answer
 * `want`. The handles it made are closed again. */
static void checks_call(const struct abifuzz_handle *e, tk_handle bad, int32_t want,
                        const char *what)
{
    const char *kinds = abifuzz_rows[e->row].kinds;
    tk_handle made[16] = {0};
    uint64_t a[16] = {0};
    int64_t r;

    for (uint32_t i = 0; kinds[i]; i++) {
        if (kinds[i] == 'p') a[i] = (uint32_t)(uintptr_t)scratch;
        if (kinds[i] != 'h' || i == e->operand) continue;
        for (uint32_t k = 0; k < ABIFUZZ_NHANDLES; k++)
            if (abifuzz_handles[k].row == e->row && abifuzz_handles[k].operand == i)
                a[i] = made[i] = checks_make(abifuzz_handles[k].type);
    }
    a[e->operand] = bad;
    r = abifuzz_call(e->row, a);
    checks_made++;
    if (r != want) {
        checks_failed++;
        tk_printf("abifuzz checks: %s operand %u, %s: %s, not %s\n", abifuzz_rows[e->row].name,
                  e->operand, what, tk_error_name((int32_t)r), tk_error_name(want));
    }
    for (uint32_t i = 0; i < 16; i++)
        if (made[i]) tk_handle_close(made[i]);
}

static int checks_run(void)
{
    uint32_t unmade = 0;

    for (uint32_t k = 0; k < ABIFUZZ_NHANDLES; k++) {
        const struct abifuzz_handle *e = &abifuzz_handles[k];
        struct tk_handle_info info;
        tk_handle h;

        checks_call(e, 0, TK_ERR_BAD_HANDLE, "handle 0");
        if ((h = checks_make(e->type)) != 0) {
            tk_handle_close(h);
            checks_call(e, h, TK_ERR_BAD_HANDLE, "a closed handle");
        }
        if (e->type != TK_OBJ_NONE) {
            h = checks_make(e->type == TK_OBJ_EVENT ? TK_OBJ_TIMER : TK_OBJ_EVENT);
            checks_call(e, h, TK_ERR_WRONG_TYPE, "the wrong type");
            tk_handle_close(h);
        }
        for (uint32_t bit = 1; bit <= e->rights; bit <<= 1) {
            tk_handle fewer;
            if (!(e->rights & bit)) continue;
            if (!(h = checks_make(e->type)) || tk_handle_info(h, &info) < 0) {
                unmade++;
                tk_printf("abifuzz checks: %s operand %u: cannot make a handle of type %u\n",
                          abifuzz_rows[e->row].name, e->operand, e->type);
                continue;
            }
            if (tk_handle_replace(h, info.rights & ~bit, &fewer) < 0) {
                checks_failed++;
                continue;
            }
            checks_call(e, fewer, TK_ERR_DENIED, "a right missing");
            tk_handle_close(fewer);
        }
    }
    tk_printf("abifuzz checks: %u handle parameters, %u calls, %u failed, %u rights not tried\n",
              (unsigned)ABIFUZZ_NHANDLES, checks_made, checks_failed, unmade);
    return (int)(checks_failed > 100 ? 100 : checks_failed);
}

int main(int argc, char **argv)
{
    int64_t seed = 0, n = 0;
    long grown;

    if ((grown = __builtin_wasm_memory_grow(0, 1)) < 0) return 3;
    scratch = (uint8_t *)(uintptr_t)((uint32_t)grown * 65536u);
    memory_end = (uint32_t)(grown + 1) * 65536u;
    if (argc == 2 && !strcmp(argv[1], "checks")) return checks_run();
    if (argc < 3 || !tk_parse_int(argv[1], &seed) || !tk_parse_int(argv[2], &n)) return 2;
    rng_state = (uint64_t)seed * 0x9e3779b97f4a7c15ull + 1;
    row_exit = row_find("exit");
    if (row_exit == ABIFUZZ_NROWS) return 3;
    grants_take();
    for (int64_t i = 0; i < n; i++) {
        if (i % 16 == 0) pool_sweep();
        fuzz_one();
    }
    return 0;
}
