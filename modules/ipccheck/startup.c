/*
 * ipccheck's startup-handle steps: a child spawned with named handles takes each once
 * (`ipccheck startup-child`: "ev", an event it signals, and "chan", a channel it answers
 * "hi" on), and the ways a request naming handles is refused — each refusal consumes
 * every handle it named. kernel/proc/proc_ktest.c spawns the same child from the kernel.
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"
#include "modules/ipccheck/ipccheck.h"

int startup_child(void)
{
    tk_handle ev, again, chan;
    struct tk_handle_info info;
    int32_t r;

    r = tk_startup_handle("ev", &ev);
    step("child-take-ev", r);
    if (r == 0 && tk_handle_info(ev, &info) == 0)
        tk_printf("ipccheck: child ev type %u rights %#x\n", (unsigned)info.type,
                  (unsigned)info.rights);
    step("child-take-ev-again", tk_startup_handle("ev", &again));
    step("child-take-unknown", tk_startup_handle("nope", &again));
    step("child-take-long", tk_startup_handle("a-name-too-long-for-it", &again));
    step("child-take-bad-pointer", tk_startup_handle_take((const char *)0xfffffff0u, 4, &again));
    step("child-take-bad-out", tk_startup_handle_take("chan", 4, (tk_handle *)0xfffffffeu));
    if (r == 0) r = tk_startup_handle("chan", &chan);
    if (r == 0) r = tk_channel_write(chan, "hi", 2, NULL, 0);
    if (r == 0) r = tk_object_signal(ev, 0, TK_SIGNAL_SIGNALED);
    return r == 0 ? 0 : 1;
}

/* A spawn of `ipccheck startup-child` naming n handles in hs: its result. */
static int32_t startup_spawn(struct tk_startup_handle *hs, uint32_t n, tk_handle *ph)
{
    static const char args[] = "ipccheck\0startup-child";
    struct tk_spawn_args sa = {.module = (uint32_t)(uintptr_t) "ipccheck.wasm",
                               .module_len = 13,
                               .args = (uint32_t)(uintptr_t)args,
                               .args_len = sizeof args,
                               .caps = TK_CAP_CONSOLE,
                               .flags = TK_SPAWN_AUTOREAP,
                               .handles = (uint32_t)(uintptr_t)hs,
                               .nhandles = n};

    return tk_process_spawn(&sa, ph);
}

/* Handles a refused request named: were they all consumed? */
static void startup_consumed(const char *what, const tk_handle *hs, uint32_t n)
{
    uint32_t left = 0;

    for (uint32_t i = 0; i < n; i++) left += tk_handle_close(hs[i]) == 0;
    tk_printf("ipccheck: %s left %u of %u handles\n", what, (unsigned)left, (unsigned)n);
}

void startup_steps(void)
{
    static struct tk_startup_handle hs[TK_STARTUP_MAX_HANDLES + 1];
    struct tk_process_status st;
    struct tk_channel_sizes sz;
    tk_handle ev, ev_send, c0, c1, ph, got[1], v[2];
    uint32_t seen;
    char buf[8];
    int32_t pid;

    step("startup-event", tk_event_create(&ev));
    step("startup-dup",
         tk_handle_duplicate(ev, TK_RIGHT_SIGNAL | TK_RIGHT_WAIT | TK_RIGHT_TRANSFER, &ev_send));
    step("startup-channel", tk_channel_create(&c0, &c1));
    tk_startup_handle_set(&hs[0], "ev", ev_send);
    tk_startup_handle_set(&hs[1], "chan", c1);
    pid = startup_spawn(hs, 2, &ph);
    step("startup-spawn", pid > 0 ? 0 : pid);
    step("startup-moved", tk_handle_close(ev_send));
    step("startup-signaled", tk_object_wait_one(ev, TK_SIGNAL_SIGNALED, -1, &seen));
    step("startup-child-wrote", tk_object_wait_one(c0, TK_SIGNAL_READABLE, -1, &seen));
    step("startup-read", tk_channel_read(c0, buf, sizeof buf, got, 1, &sz));
    tk_printf("ipccheck: startup child said '%.*s'\n", (int)sz.bytes, buf);
    step("startup-exit", tk_object_wait_one(ph, TK_SIGNAL_PROCESS_EXITED, -1, &seen));
    step("startup-status", tk_process_status(ph, &st) < 0 ? -1 : st.exit.code);
    tk_handle_close(ph);
    tk_handle_close(c0);

    /* refusals: each consumes what the request named */
    tk_event_create(&v[0]);
    tk_startup_handle_set(&hs[0], "ev", v[0]);
    tk_startup_handle_set(&hs[1], "forged", 0x12345678);
    step("startup-forged", startup_spawn(hs, 2, &ph));
    startup_consumed("startup-forged", v, 1);
    tk_event_create(&v[0]);
    tk_handle_duplicate(v[0], TK_RIGHT_WAIT, &v[1]); /* no TRANSFER */
    tk_startup_handle_set(&hs[0], "ev", v[0]);
    tk_startup_handle_set(&hs[1], "weak", v[1]);
    step("startup-no-transfer", startup_spawn(hs, 2, &ph));
    startup_consumed("startup-no-transfer", v, 2);
    tk_event_create(&v[0]);
    tk_event_create(&v[1]);
    tk_startup_handle_set(&hs[0], "same", v[0]);
    tk_startup_handle_set(&hs[1], "same", v[1]);
    step("startup-same-name", startup_spawn(hs, 2, &ph));
    startup_consumed("startup-same-name", v, 2);
    tk_event_create(&v[0]);
    memset(&hs[0], 0, sizeof hs[0]);
    hs[0].handle = v[0];
    step("startup-empty-name", startup_spawn(hs, 1, &ph));
    startup_consumed("startup-empty-name", v, 1);
    step("startup-too-many", startup_spawn(hs, TK_STARTUP_MAX_HANDLES + 1, &ph));
    step("startup-table-past-memory",
         startup_spawn((struct tk_startup_handle *)0xfffffff0u, 2, &ph));
    tk_handle_close(ev);
}
