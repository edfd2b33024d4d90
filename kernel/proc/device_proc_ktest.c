/*
 * The device imports from a real module (modules/devcheck), in the test image with the
 * test boot image. The kernel plays the granting parent: it mints narrow resources and
 * hands them to devcheck on its bootstrap channel, as init hands a service its grants.
 * What reaches the hardware shows on the serial log, which tests/qemu/boot-tests.sh
 * reads ("straight to COM1" present, "LEAKED" absent, the RTC's interrupts counted);
 * here each run must end normally, and after a warm-up each scenario must give back
 * every object, heap block, page and thread it took.
 */
#include <takara/caps.h>
#include <takara/error.h>

#include "kernel/bootfs.h"
#include "kernel/clock.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"
#include "kernel/proc.h"
#include "lib/string.h"

#define DEVCHECK     "devcheck.wasm"
#define MAX_GRANTS   4
#define SETTLE_NS    50000000ull
#define HPET_PAGE    0xfed00000ull
#define ONE_RAM_PAGE 0x100000ull

static struct process device_parent = {.caps = TK_CAP_ALL};

struct grant {
    uint32_t kind;
    uint64_t base, size;
};

struct scenario {
    const char *module; /* NULL: devcheck */
    const char *args;   /* "devcheck\0MODE" */
    size_t args_len;
    const char *names; /* the grants' names, NUL-terminated, in order */
    size_t names_len;
    struct grant grants[MAX_GRANTS];
    uint32_t ngrants;
};

#define NAMES(lit) lit, sizeof(lit)

struct counters {
    uint64_t free_pages;
    size_t heap_blocks;
    uint32_t objects, threads, processes;
};

static void counters_take(struct counters *c)
{
    struct heap_stats heap;

    sched_sleep_until(clock_ns() + SETTLE_NS); /* ended threads are freed by the reaper */
    thread_reap();
    heap_get_stats(&heap);
    *c = (struct counters){pmm_free_pages(), heap.live_objects, object_count(), thread_count(),
                           proc_count()};
}

static bool counters_equal(const struct counters *a, const struct counters *b)
{
    return a->free_pages == b->free_pages && a->heap_blocks == b->heap_blocks &&
           a->objects == b->objects && a->threads == b->threads && a->processes == b->processes;
}

/* Runs devcheck with the scenario's grants: 0 and its exit record, or an error. */
static int devcheck_run(const struct scenario *sc, struct tk_exit_info *info)
{
    struct object *objs[MAX_GRANTS], *mine, *theirs;
    uint32_t rights[MAX_GRANTS];
    int pid, r;

    for (uint32_t i = 0; i < sc->ngrants; i++) {
        if ((r = resource_create(sc->grants[i].kind, sc->grants[i].base, sc->grants[i].size,
                                 &objs[i])) < 0) {
            while (i--) object_unref(objs[i]);
            return r;
        }
        rights[i] = TK_RIGHTS_ALL;
    }
    if ((r = channel_create(&mine, &theirs)) < 0) {
        for (uint32_t i = 0; i < sc->ngrants; i++) object_unref(objs[i]);
        return r;
    }
    const char *module = sc->module ? sc->module : DEVCHECK;
    struct proc_spawn_req req = {.module = module,
                                 .module_len = strlen(module),
                                 .args = sc->args,
                                 .args_len = sc->args_len,
                                 /* the fuzzer, as leakcheck runs it: no console */
                                 .caps = (sc->module ? 0 : TK_CAP_CONSOLE) | TK_CAP_SPAWN |
                                         TK_CAP_SYSINFO,
                                 .bootstrap = theirs};
    pid = proc_spawn_req(&device_parent, &req, NULL);
    r = channel_write(mine, sc->names, (uint32_t)sc->names_len, objs, rights, sc->ngrants);
    object_unref(mine);
    if (pid < 0) return pid;
    if (r < 0) return r;
    return proc_wait(&device_parent, pid, info, 0) < 0 ? TK_ERR_NOENT : 0;
}

/* Runs a scenario once to warm up, then again: it must end with code 0 both times and
 * leave the counters as it found them. */
static void devcheck_scenario(const struct scenario *sc)
{
    static bool ready;
    const char *module = sc->module ? sc->module : DEVCHECK;
    struct bootfs_module *held;
    struct wasm_error err;
    struct tk_exit_info info;
    struct counters before, after;

    if (!ready) {
        waitq_init(&device_parent.child_exit);
        ready = bootfs_init() == 0;
    }
    KT_ASSERT(ready);
    KT_ASSERT_EQ(bootfs_module_get(module, strlen(module), &held, &err), 0);
    for (int round = 0; round < 2; round++) {
        if (round == 1) counters_take(&before);
        KT_ASSERT_EQ(devcheck_run(sc, &info), 0);
        if (info.reason != TK_EXIT_NORMAL || info.code != 0) bootfs_module_put(held);
        KT_ASSERT_EQ(info.reason, TK_EXIT_NORMAL);
        KT_ASSERT_EQ(info.code, 0);
    }
    counters_take(&after);
    bootfs_module_put(held);
    if (!counters_equal(&before, &after))
        ktest_fail(__FILE__, __LINE__,
                   "leak: pages %lu -> %lu, heap blocks %lu -> %lu, objects %u -> %u, threads %u "
                   "-> %u, processes %u -> %u",
                   (unsigned long)before.free_pages, (unsigned long)after.free_pages,
                   (unsigned long)before.heap_blocks, (unsigned long)after.heap_blocks,
                   before.objects, after.objects, before.threads, after.threads, before.processes,
                   after.processes);
}

KTEST(device_module_writes_com1_through_its_ports)
{
    static const struct scenario sc = {
        NULL, NAMES("devcheck\0com1"), NAMES("ioport0"), {{TK_RESOURCE_IOPORT, 0x3f8, 8}}, 1};
    devcheck_scenario(&sc);
}

KTEST(device_module_refused_ports_outside_its_range)
{
    static const struct scenario sc = {
        NULL, NAMES("devcheck\0com2"), NAMES("ioport0"), {{TK_RESOURCE_IOPORT, 0x2f8, 8}}, 1};
    devcheck_scenario(&sc);
}

KTEST(device_module_receives_the_rtc_interrupt)
{
    static const struct scenario sc = {NULL,
                                       NAMES("devcheck\0rtc"),
                                       NAMES("irq0\0ioport0"),
                                       {{TK_RESOURCE_IRQ, 8, 1}, {TK_RESOURCE_IOPORT, 0x70, 2}},
                                       2};
    devcheck_scenario(&sc);
}

KTEST(device_module_killed_holder_releases_its_line)
{
    static const struct scenario sc = {
        NULL, NAMES("devcheck\0release"), NAMES("irq0"), {{TK_RESOURCE_IRQ, 8, 1}}, 1};
    devcheck_scenario(&sc);
}

KTEST(device_module_maps_mmio_never_ram)
{
    static const struct scenario sc = {
        NULL,
        NAMES("devcheck\0mmio"),
        NAMES("mmio0\0mmio1"),
        {{TK_RESOURCE_MMIO, HPET_PAGE, 4096}, {TK_RESOURCE_MMIO, ONE_RAM_PAGE, 4096}},
        2};
    devcheck_scenario(&sc);
}

KTEST(device_module_dma_buffer)
{
    static const struct scenario sc = {
        NULL, NAMES("devcheck\0dma"), NAMES("dma0"), {{TK_RESOURCE_DMA, 0, 64 << 10}}, 1};
    devcheck_scenario(&sc);
}

KTEST(device_module_forged_handles_touch_nothing)
{
    static const struct scenario sc = {NULL,
                                       NAMES("devcheck\0forged"),
                                       NAMES("ioport0\0irq0"),
                                       {{TK_RESOURCE_IOPORT, 0x2f8, 8}, {TK_RESOURCE_IRQ, 8, 1}},
                                       2};
    devcheck_scenario(&sc);
}

/* The ABI fuzzer with device grants (modules/abifuzz): an unused port range (COM2's,
 * no device there), line 3 (COM2's, idle), an empty page of PCI space and a DMA budget.
 * Thousands of calls hit the device imports past their checks; it must end normally
 * and give everything back. (Under heap=debug it once tripped "object modified after
 * free": process_spawn's refusal path dropped named handles twice, fixed since.) */
KTEST(device_module_abifuzz_with_grants)
{
    static const struct scenario sc = {"abifuzz.wasm",
                                       NAMES("abifuzz\0"
                                             "11\0"
                                             "3000"),
                                       NAMES("ioport0\0irq0\0mmio0\0dma0"),
                                       {{TK_RESOURCE_IOPORT, 0x2f8, 8},
                                        {TK_RESOURCE_IRQ, 3, 1},
                                        {TK_RESOURCE_MMIO, 0xfebf0000, 4096},
                                        {TK_RESOURCE_DMA, 0, 64 << 10}},
                                       4};
    devcheck_scenario(&sc);
}
