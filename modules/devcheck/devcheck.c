/*
 * devcheck: the device objects from a module (docs/devices.md), one scenario per run,
 * each step printed as `devcheck: STEP -> RESULT` (OK or the error's name). Its
 * resources are named handles, "ioport0", "irq0", "mmio0", "dma0", ...: startup handles
 * when init starts it from a manifest (`ioport = 0x3f8-0x3ff`; tests/modules/boot.sh),
 * or else in the first message on its bootstrap channel (bytes: the names,
 * NUL-terminated, in the order of the handles), as the in-kernel test
 * kernel/proc/device_proc_ktest.c grants them; the tests read the serial log.
 *
 *   com1     ioport0 = 0x3f8-0x3ff: writes a line straight to the UART's registers
 *   com2     ioport0 = 0x2f8-0x2ff: writing COM1's data port is refused, nothing goes out
 *   rtc      irq0 = 8, ioport0 = 0x70-0x71: the RTC's periodic interrupt through a port
 *            and through object_wait_one, acked each time
 *   release  irq0 = a line: a child binds it and blocks; while it lives the line is
 *            busy, once it is killed this process binds it
 *   hold     (the child of release) binds the line, says so, waits to be killed
 *   mmio     mmio0 = the HPET's page, mmio1 = a page of RAM: maps and reads the HPET's
 *            id, is refused RAM and anything outside
 *   dma      dma0 = 64K: a buffer's bus address, zeroed pages, a map; too big refused
 *   forged   ioport0, irq0: forged, closed, wrong-type handles and missing rights
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include <stdbool.h>

#include "lib/string.h"

#define MAX_GRANTS 4
#define WAIT_NS    2000000000LL
#define COM1       0x3f8
#define RTC_INDEX  0x70
#define RTC_DATA   0x71
#define HPET       0xfed00000ull

static struct {
    char names[64];
    tk_handle handles[MAX_GRANTS];
    uint32_t n;
    tk_handle bootstrap;
} grants;

static uint8_t window[2 * TK_MEMORY_PAGE] __attribute__((aligned(TK_MEMORY_PAGE)));

static void step(const char *what, int64_t r)
{
    tk_printf("devcheck: %s -> %s\n", what, r >= 0 ? "OK" : tk_error_name((int)r));
}

/* The bootstrap message: names and handles. */
static bool grants_take(void)
{
    struct tk_channel_sizes sz;
    uint32_t seen;

    if (tk_bootstrap_take(&grants.bootstrap) < 0) return false;
    tk_object_wait_one(grants.bootstrap, TK_SIGNAL_READABLE, WAIT_NS, &seen);
    if (tk_channel_read(grants.bootstrap, grants.names, sizeof grants.names - 1, grants.handles,
                        MAX_GRANTS, &sz) < 0)
        return false;
    grants.n = sz.handles;
    return true;
}

/* A startup handle, or else one of the bootstrap message's. */
static tk_handle grant(const char *name)
{
    static bool taken;
    const char *s = grants.names;
    tk_handle h;

    if (tk_startup_handle(name, &h) == 0) return h;
    if (!taken) taken = grants_take();
    for (uint32_t i = 0; i < grants.n; i++, s += strlen(s) + 1)
        if (!strcmp(s, name)) return grants.handles[i];
    return TK_HANDLE_INVALID;
}

/* The first interrupt source an IRQ resource covers. */
static uint32_t grant_line(tk_handle res)
{
    struct tk_resource_info info = {0};

    tk_resource_info(res, &info);
    return (uint32_t)info.base;
}

static int check_com1(tk_handle io)
{
    static const char line[] = "\ndevcheck: straight to COM1 through ioport 0x3f8\n";
    int64_t r = 0;

    for (const char *c = line; *c && r >= 0; c++) {
        for (int spin = 0; spin < 100000; spin++) /* the transmitter holding register empty */
            if ((r = tk_ioport_in(io, COM1 + 5, 1)) < 0 || (r & 0x20)) break;
        if (r >= 0) r = tk_ioport_out(io, COM1, 1, (uint8_t)*c);
    }
    step("com1-write", r);
    return r < 0;
}

static int check_com2(tk_handle io)
{
    static const char line[] = "\ndevcheck: LEAKED to COM1\n";
    uint32_t refused = 0;

    for (const char *c = line; *c; c++)
        refused += tk_ioport_out(io, COM1, 1, (uint8_t)*c) == TK_ERR_ACCESS;
    tk_printf("devcheck: com2: %u of %u writes to 0x3f8 refused\n", (unsigned)refused,
              (unsigned)(sizeof line - 1));
    step("com2-read-0x3fd", tk_ioport_in(io, COM1 + 5, 1));
    step("com2-straddling-0x2ff", tk_ioport_out(io, 0x2ff, 2, 0));
    step("com2-size-3", tk_ioport_out(io, 0x2f8, 3, 0));
    step("com2-own-0x2f9", tk_ioport_out(io, 0x2f9, 1, 0)); /* its IER: interrupts off */
    return refused != sizeof line - 1;
}

static void rtc_write(tk_handle io, uint8_t reg, uint8_t v)
{
    tk_ioport_out(io, RTC_INDEX, 1, reg);
    tk_ioport_out(io, RTC_DATA, 1, v);
}

static uint8_t rtc_read(tk_handle io, uint8_t reg)
{
    tk_ioport_out(io, RTC_INDEX, 1, reg);
    return (uint8_t)tk_ioport_in(io, RTC_DATA, 1);
}

static int check_rtc(tk_handle res, tk_handle io)
{
    struct tk_port_packet pkt;
    struct tk_irq_info info;
    tk_handle irq, other, port;
    int packets = 0, waits = 0;
    uint32_t seen;
    uint8_t b;

    step("rtc-irq-9-outside", tk_irq_create(res, 9, &other));
    step("rtc-irq-create", tk_irq_create(res, 8, &irq));
    step("rtc-irq-again", tk_irq_create(res, 8, &other));
    if (tk_port_create(&port) < 0 || tk_port_watch(port, irq, 8, TK_SIGNAL_IRQ) < 0) return 1;
    rtc_write(io, 0x0a, (uint8_t)((rtc_read(io, 0x0a) & 0xf0) | 6)); /* 1024 Hz */
    b = rtc_read(io, 0x0b);
    rtc_write(io, 0x0b, (uint8_t)(b | 0x40));
    rtc_read(io, 0x0c);
    for (int i = 0; i < 5; i++) {
        if (tk_port_wait(port, &pkt, WAIT_NS) < 0 || pkt.key != 8) break;
        packets++;
        rtc_read(io, 0x0c);
        tk_irq_ack(irq);
    }
    tk_port_unwatch(port, 8);
    for (int i = 0; i < 3; i++) {
        if (tk_object_wait_one(irq, TK_SIGNAL_IRQ, WAIT_NS, &seen) < 0) break;
        waits++;
        rtc_read(io, 0x0c);
        tk_irq_ack(irq);
    }
    tk_irq_mask(irq);
    rtc_write(io, 0x0b, b);
    rtc_read(io, 0x0c);
    tk_irq_info(irq, &info);
    tk_printf(
        "devcheck: rtc: %d packets and %d waits on line %u, vector %#x, count at least 8: %s\n",
        packets, waits, (unsigned)info.source, (unsigned)info.vector,
        info.count >= 8 ? "yes" : "no");
    tk_handle_close(port);
    tk_handle_close(irq);
    return packets != 5 || waits != 3;
}

static int check_hold(tk_handle res)
{
    tk_handle irq;
    int32_t r = tk_irq_create(res, grant_line(res), &irq);

    tk_channel_write(grants.bootstrap, r == 0 ? "bound" : "fail", r == 0 ? 5 : 4, NULL, 0);
    for (;;) tk_sleep_ns(WAIT_NS); /* until killed: its death frees the line */
}

static int check_release(tk_handle res)
{
    static const char args[] = "devcheck\0hold";
    static const char names[] = "irq0";
    struct tk_channel_sizes sz;
    struct tk_process_status st;
    tk_handle ours, theirs, child, dup, irq;
    char said[8] = {0};
    uint32_t seen;

    if (tk_channel_create(&ours, &theirs) < 0 || tk_handle_duplicate(res, TK_RIGHTS_SAME, &dup) < 0)
        return 1;
    struct tk_spawn_args sa = {.module = (uint32_t)(uintptr_t) "devcheck.wasm",
                               .module_len = 13,
                               .args = (uint32_t)(uintptr_t)args,
                               .args_len = sizeof args,
                               .bootstrap = theirs};
    step("release-spawn", tk_process_spawn(&sa, &child));
    step("release-grant", tk_channel_write(ours, names, sizeof names, &dup, 1));
    tk_object_wait_one(ours, TK_SIGNAL_READABLE, WAIT_NS, &seen);
    tk_channel_read(ours, said, sizeof said - 1, NULL, 0, &sz);
    tk_printf("devcheck: child says '%s'\n", said);
    step("release-while-held", tk_irq_create(res, grant_line(res), &irq));
    step("release-kill", tk_process_kill(child));
    step("release-exited", tk_object_wait_one(child, TK_SIGNAL_PROCESS_EXITED, WAIT_NS, &seen));
    tk_process_status(child, &st);
    step("release-after-kill", tk_irq_create(res, grant_line(res), &irq));
    tk_handle_close(irq);
    tk_handle_close(child);
    tk_handle_close(ours);
    return 0;
}

static int check_mmio(tk_handle hpet, tk_handle ram)
{
    uint32_t offset = (uint32_t)(uintptr_t)window, id;

    step("mmio-outside", tk_mmio_map(hpet, HPET + TK_MEMORY_PAGE, TK_MEMORY_PAGE, offset));
    step("mmio-unaligned", tk_mmio_map(hpet, HPET + 8, TK_MEMORY_PAGE, offset));
    step("mmio-ram", tk_mmio_map(ram, 0x100000, TK_MEMORY_PAGE, offset));
    int32_t r = tk_mmio_map(hpet, HPET, TK_MEMORY_PAGE, offset);
    step("mmio-map", r);
    if (r == TK_ERR_UNSUPPORTED) return 0; /* a bounds-checked memory */
    id = *(volatile uint32_t *)window; /* one 32-bit load: general capabilities, vendor in 16-31 */
    tk_printf("devcheck: hpet vendor %#x\n", (unsigned)(id >> 16));
    step("mmio-unmap", tk_memory_unmap(offset));
    return 0;
}

static int check_dma(tk_handle res)
{
    uint32_t offset = (uint32_t)(uintptr_t)window;
    struct tk_dma_info info;
    tk_handle dma, big;
    bool zero = true, kept = true;

    step("dma-too-big", tk_dma_create(res, (64 << 10) + 1, &big));
    step("dma-create", tk_dma_create(res, 2 * TK_MEMORY_PAGE, &dma));
    step("dma-info", tk_dma_info(dma, &info));
    tk_printf("devcheck: dma size %u, bus address page-aligned and nonzero: %s\n",
              (unsigned)info.size,
              info.bus_address && !(info.bus_address % TK_MEMORY_PAGE) ? "yes" : "no");
    memset(window, 0x5a, sizeof window);
    int32_t r = tk_dma_map(dma, offset);
    step("dma-map", r);
    if (r == TK_ERR_UNSUPPORTED) { /* a bounds-checked memory: no maps at all */
        tk_handle_close(dma);
        return 0;
    }
    for (uint32_t i = 0; i < sizeof window; i++) zero &= window[i] == 0;
    for (uint32_t i = 0; i < sizeof window; i++) window[i] = (uint8_t)i;
    step("dma-unmap", tk_memory_unmap(offset));
    step("dma-map-again", tk_dma_map(dma, offset));
    for (uint32_t i = 0; i < sizeof window; i++) kept &= window[i] == (uint8_t)i;
    tk_printf("devcheck: dma zeroed %s, kept what was written %s\n", zero ? "yes" : "no",
              kept ? "yes" : "no");
    tk_memory_unmap(offset);
    tk_handle_close(dma);
    return !zero || !kept;
}

static int check_forged(tk_handle io, tk_handle irqres)
{
    tk_handle ev, closed, readonly, irq;

    step("forged-ioport", tk_ioport_out(io ^ 0x40, 0x2f9, 1, 0));
    tk_handle_duplicate(io, TK_RIGHTS_SAME, &closed);
    tk_handle_close(closed);
    step("closed-ioport", tk_ioport_in(closed, 0x2f9, 1));
    tk_event_create(&ev);
    step("event-as-resource", tk_ioport_out(ev, 0x2f9, 1, 0));
    step("irq-resource-as-ioport", tk_ioport_out(irqres, 0x2f9, 1, 0));
    step("event-as-irq", tk_irq_ack(ev));
    step("forged-dma-info", tk_dma_info(ev ^ 0x40, &(struct tk_dma_info){0}));
    tk_handle_duplicate(io, TK_RIGHT_READ, &readonly);
    step("readonly-out", tk_ioport_out(readonly, 0x2f9, 1, 0));
    step("readonly-in", tk_ioport_in(readonly, 0x2f9, 1));
    step("readonly-irq-create", tk_irq_create(readonly, 8, &irq));
    tk_handle_close(readonly);
    tk_handle_close(ev);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    int r = 2;

    if (!strcmp(mode, "com1")) r = check_com1(grant("ioport0"));
    if (!strcmp(mode, "com2")) r = check_com2(grant("ioport0"));
    if (!strcmp(mode, "rtc")) r = check_rtc(grant("irq0"), grant("ioport0"));
    if (!strcmp(mode, "release")) r = check_release(grant("irq0"));
    if (!strcmp(mode, "hold")) r = check_hold(grant("irq0"));
    if (!strcmp(mode, "mmio")) r = check_mmio(grant("mmio0"), grant("mmio1"));
    if (!strcmp(mode, "dma")) r = check_dma(grant("dma0"));
    if (!strcmp(mode, "forged")) r = check_forged(grant("ioport0"), grant("irq0"));
    for (uint32_t i = 0; i < grants.n; i++) tk_handle_close(grants.handles[i]);
    tk_printf("devcheck: %s done%s\n", mode, r ? " (failed)" : "");
    return r;
}
