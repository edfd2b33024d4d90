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
 * Device resources, if the first message on its bootstrap channel carries some (the
 * in-kernel test kernel/proc/device_proc_ktest.c grants an unused port range, IRQ line,
 * MMIO page and a DMA budget), join the pool, IRQ objects and DMA buffers are made from
 * them at each sweep, and tame calls aim ports, interrupt sources and physical
 * addresses inside them, so that the device imports get past their checks too.
 */
#include <takara.h>
#include <tk_util.h>

#include <stdbool.h>

#include "lib/string.h"

struct abifuzz_row {
    const char *name;
    const char *kinds; /* per parameter: h handle, p pointer, t time, w 64-bit, o mapping
                        * offset, n 32-bit */
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

int main(int argc, char **argv)
{
    int64_t seed = 0, n = 0;
    long grown;

    if (argc < 3 || !tk_parse_int(argv[1], &seed) || !tk_parse_int(argv[2], &n)) return 2;
    rng_state = (uint64_t)seed * 0x9e3779b97f4a7c15ull + 1;
    row_exit = row_find("exit");
    if (row_exit == ABIFUZZ_NROWS) return 3;
    if ((grown = __builtin_wasm_memory_grow(0, 1)) < 0) return 3;
    scratch = (uint8_t *)(uintptr_t)((uint32_t)grown * 65536u);
    memory_end = (uint32_t)(grown + 1) * 65536u;
    grants_take();
    for (int64_t i = 0; i < n; i++) {
        if (i % 16 == 0) pool_sweep();
        fuzz_one();
    }
    return 0;
}
