/*
 * ipccheck: the handle and channel imports exercised from a module, as a process sees
 * them. Prints `ipccheck: STEP -> RESULT` per step (tk_error_name of the result, or OK)
 * and `ipccheck: done` at the end; tests/modules/boot.sh checks the lines.
 * `ipccheck hold` makes a channel and a read-only duplicate of one end, then waits
 * forever, for the shell's `handles` to show. `ipccheck child` is the other side of the
 * bootstrap step: it takes its channel to the parent, signals the event it is sent and
 * answers "pong".
 */
#include <takara.h>
#include <tk_stdio.h>

#include <stdbool.h>

#include "lib/string.h"

/* Page-aligned room in linear memory where memory objects get mapped. */
static char shared[2 * TK_MEMORY_PAGE] __attribute__((aligned(TK_MEMORY_PAGE)));

static uint32_t checksum(const char *p, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

/* A child that maps the memory object it is sent (read-only) and answers its checksum;
 * `write` makes it store into the mapping, which must trap. */
static int memory_child(bool write)
{
    struct tk_channel_sizes sz;
    tk_handle ch, got[1];
    uint32_t seen, sum;
    char buf[8];

    if (tk_bootstrap_take(&ch) < 0 || tk_object_wait_one(ch, TK_SIGNAL_READABLE, -1, &seen) < 0 ||
        tk_channel_read(ch, buf, sizeof buf, got, 1, &sz) < 0 || sz.handles != 1)
        return 2;
    if (tk_memory_map(got[0], (uint32_t)(uintptr_t)shared) < 0) return 3;
    /* the kernel refuses to write into a read-only mapping on our behalf */
    if (tk_args_get(shared, 16) != TK_ERR_FAULT) return 4;
    if (write) ((volatile char *)shared)[100] = 1; /* traps: out of bounds memory access */
    sum = checksum(shared, sizeof shared);
    return tk_channel_write(ch, &sum, sizeof sum, NULL, 0) < 0 ? 5 : 0;
}

static void step(const char *what, int32_t r)
{
    tk_printf("ipccheck: %s -> %s\n", what, r == 0 ? "OK" : tk_error_name(r));
}

int main(int argc, char **argv)
{
    tk_handle a, b, ev, weak, got[2], stale;
    struct tk_channel_sizes sz;
    struct tk_handle_info info;
    uint32_t seen = 0;
    char buf[32];

    if (argc > 1 && !strcmp(argv[1], "memory-child")) return memory_child(false);
    if (argc > 1 && !strcmp(argv[1], "memory-writer")) return memory_child(true);
    if (argc > 1 && !strcmp(argv[1], "child")) {
        int32_t r = tk_bootstrap_take(&a);
        if (r == 0) r = tk_object_wait_one(a, TK_SIGNAL_READABLE, -1, &seen);
        if (r == 0) r = tk_channel_read(a, buf, sizeof buf, got, 2, &sz);
        if (r == 0 && sz.handles == 1) r = tk_object_signal(got[0], 0, TK_SIGNAL_SIGNALED);
        if (r == 0) r = tk_channel_write(a, "pong", 4, NULL, 0);
        step("child-second-take", tk_bootstrap_take(&b));
        return r == 0 ? 0 : 1;
    }
    if (argc > 1 && !strcmp(argv[1], "hold")) {
        tk_channel_create(&a, &b);
        tk_handle_duplicate(a, TK_RIGHT_READ | TK_RIGHT_WAIT, &weak);
        tk_puts("ipccheck: holding");
        tk_object_wait_one(b, TK_SIGNAL_PEER_CLOSED, -1, &seen); /* a is ours: never */
        return 1;
    }
    step("channel_create", tk_channel_create(&a, &b));
    step("write", tk_channel_write(a, "ping", 4, NULL, 0));
    step("wait-readable", tk_object_wait_one(b, TK_SIGNAL_READABLE, 0, &seen));
    step("read-small", tk_channel_read(b, buf, 2, got, 2, &sz));
    tk_printf("ipccheck: needs %u bytes %u handles\n", (unsigned)sz.bytes, (unsigned)sz.handles);
    step("read", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    tk_printf("ipccheck: got '%.*s'\n", (int)sz.bytes, buf);
    step("read-empty", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    /* a handle with fewer rights travels; the sender loses it */
    step("event_create", tk_event_create(&ev));
    step("duplicate", tk_handle_duplicate(ev, TK_RIGHT_WAIT | TK_RIGHT_TRANSFER, &weak));
    step("send-handle", tk_channel_write(a, "ev", 2, &weak, 1));
    step("sent-is-gone", tk_handle_close(weak));
    step("recv-handle", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    step("info", tk_handle_info(got[0], &info));
    tk_printf("ipccheck: type %u rights %#x\n", (unsigned)info.type, (unsigned)info.rights);
    step("signal-without-right", tk_object_signal(got[0], 0, TK_SIGNAL_SIGNALED));
    step("signal", tk_object_signal(ev, 0, TK_SIGNAL_SIGNALED));
    step("wait-signaled", tk_object_wait_one(got[0], TK_SIGNAL_SIGNALED, -1, &seen));
    /* forged, closed, wrong type; an endpoint through itself; a bad pointer */
    step("forged", tk_handle_close(0x12345678));
    stale = got[0];
    step("close", tk_handle_close(got[0]));
    step("stale", tk_handle_info(stale, &info));
    step("wrong-type", tk_channel_write(ev, "x", 1, NULL, 0));
    tk_handle self = a;
    step("send-itself", tk_channel_write(a, "x", 1, &self, 1));
    step("bad-pointer", tk_channel_read(b, (void *)0xfffffff0u, 64, got, 2, &sz));
    /* the endpoint sent itself was consumed: b now sees its peer closed */
    step("peer-closed", tk_object_wait_one(b, TK_SIGNAL_PEER_CLOSED, 0, &seen));
    step("read-closed", tk_channel_read(b, buf, sizeof buf, got, 2, &sz));
    /* a port collects a timer's firing and a channel's message under their keys */
    tk_handle port, timer, c0, c1;
    struct tk_port_packet pk;
    step("port_create", tk_port_create(&port));
    step("timer_create", tk_timer_create(&timer));
    step("channel_create-2", tk_channel_create(&c0, &c1));
    step("watch-timer", tk_port_watch(port, timer, 7, TK_SIGNAL_TIMER_FIRED));
    step("watch-channel", tk_port_watch(port, c1, 8, TK_SIGNAL_READABLE));
    step("timer_set", tk_timer_set(timer, tk_clock_ns() + 20000000));
    step("port-empty", tk_port_wait(port, &pk, 0));
    step("port-wait", tk_port_wait(port, &pk, -1));
    tk_printf("ipccheck: packet key %llu signals %#x\n", (unsigned long long)pk.key,
              (unsigned)pk.signals);
    step("write-2", tk_channel_write(c0, "hi", 2, NULL, 0));
    step("port-wait-2", tk_port_wait(port, &pk, -1));
    tk_printf("ipccheck: packet key %llu signals %#x\n", (unsigned long long)pk.key,
              (unsigned)pk.signals);
    step("watch-itself", tk_port_watch(port, port, 9, TK_SIGNAL_READABLE));
    /* bootstrap: a child connected by a channel gets a handle and answers */
    static const char child_args[] = "ipccheck\0child";
    tk_handle boot, own, ev2, ev2send;
    struct tk_exit_info exit_info;
    step("own-bootstrap", tk_bootstrap_take(&own)); /* the shell's relay channel */
    step("own-bootstrap-again", tk_bootstrap_take(&boot));
    tk_handle_close(own);
    int32_t pid = tk_spawn_connected("ipccheck.wasm", 13, child_args, sizeof child_args, 0,
                                     TK_CAP_CONSOLE, &boot);
    step("spawn_connected", pid > 0 ? 0 : pid);
    step("event_create-2", tk_event_create(&ev2));
    step("duplicate-2", tk_handle_duplicate(ev2, TK_RIGHT_SIGNAL | TK_RIGHT_TRANSFER, &ev2send));
    step("call-child",
         tk_channel_call(boot, "ping", 4, &ev2send, 1, buf, sizeof buf, got, 2, &sz, -1));
    step("child-signaled", tk_object_wait_one(ev2, TK_SIGNAL_SIGNALED, 0, &seen));
    tk_printf("ipccheck: child said '%.*s'\n", (int)sz.bytes, buf);
    step("child-exit", tk_wait(pid, &exit_info, -1) == pid ? exit_info.code : -1);
    /* a memory object: mapped here, filled, shared read-only with a child that sums it */
    static const char mem_args[] = "ipccheck\0memory-child",
                      writer_args[] = "ipccheck\0memory-writer";
    tk_handle mem, ro, mch;
    uint32_t answer = 0;
    step("memory_create", tk_memory_create(2, &mem));
    step("memory_map", tk_memory_map(mem, (uint32_t)(uintptr_t)shared));
    step("map-overlap", tk_memory_map(mem, (uint32_t)(uintptr_t)shared + TK_MEMORY_PAGE));
    step("map-unaligned", tk_memory_map(mem, (uint32_t)(uintptr_t)shared + 8));
    for (uint32_t i = 0; i < sizeof shared; i++) shared[i] = (char)(i * 7 + 3);
    step("duplicate-ro", tk_handle_duplicate(mem, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &ro));
    pid = tk_spawn_connected("ipccheck.wasm", 13, mem_args, sizeof mem_args, 0, 0, &mch);
    step("spawn-memory-child", pid > 0 ? 0 : pid);
    step("share", tk_channel_call(mch, "m", 1, &ro, 1, &answer, sizeof answer, got, 1, &sz, -1));
    tk_printf("ipccheck: child checksum %s\n",
              answer == checksum(shared, sizeof shared) ? "matches" : "differs");
    step("memory-child-exit", tk_wait(pid, &exit_info, -1) == pid ? exit_info.code : -1);
    step("duplicate-ro-2", tk_handle_duplicate(mem, TK_RIGHT_READ | TK_RIGHT_TRANSFER, &ro));
    pid = tk_spawn_connected("ipccheck.wasm", 13, writer_args, sizeof writer_args, 0, 0, &mch);
    step("send-to-writer", tk_channel_write(mch, "m", 1, &ro, 1));
    tk_wait(pid, &exit_info, -1);
    tk_printf("ipccheck: writer ended with reason %u kind %d\n", (unsigned)exit_info.reason,
              (int)exit_info.code);
    step("memory_unmap", tk_memory_unmap((uint32_t)(uintptr_t)shared));
    tk_printf("ipccheck: after unmap %s\n", shared[5] == 0 ? "zeros" : "old data");
    step("unmap-again", tk_memory_unmap((uint32_t)(uintptr_t)shared));
    tk_puts("ipccheck: done");
    return 0;
}
