/*
 * WASI preview 1, the process side: arguments, environment (what the parent passed at
 * spawn: the manifest's `env`, the shell's variables), clocks, randomness, exit, yield, and
 * poll_oneoff for clock subscriptions. Every pointer is checked against the caller's memory first.
 */
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "kernel/abi.h"
#include "kernel/abi/wasi.h"
#include "kernel/clock.h"
#include "kernel/random.h"
#include "kernel/sched.h"
#include "lib/string.h"

/* The sizes of a block of NUL-terminated strings (argv or the environment). */
static int wasi_strings_sizes(struct process *p, const uint64_t *s, const char *buf, uint32_t len)
{
    uint32_t *count = abi_mem(p, (uint32_t)s[0], 4), *size = abi_mem(p, (uint32_t)s[1], 4), n = 0;

    if (!count || !size) return WASI_EFAULT;
    for (uint32_t i = 0; i < len; i++) n += buf[i] == 0;
    *count = n;
    *size = len;
    return WASI_ESUCCESS;
}

/* The strings copied to s[1] and a pointer to each into the array at s[0]. */
static int wasi_strings_get(struct process *p, const uint64_t *s, const char *src, uint32_t len)
{
    uint32_t vec = (uint32_t)s[0], buf = (uint32_t)s[1], n = 0, *ptrs;
    char *dst;

    for (uint32_t i = 0; i < len; i++) n += src[i] == 0;
    ptrs = abi_mem(p, vec, (uint64_t)n * 4);
    dst = abi_mem(p, buf, len);
    if (!ptrs || !dst) return WASI_EFAULT;
    memcpy(dst, src, len);
    for (uint32_t i = 0, at = 0; i < n; i++) {
        ptrs[i] = buf + at;
        at += (uint32_t)strlen(src + at) + 1;
    }
    return WASI_ESUCCESS;
}

int wasi_args_sizes_get(struct process *p, uint64_t *s)
{
    return wasi_return(s, wasi_strings_sizes(p, s, p->args, p->args_len));
}

int wasi_args_get(struct process *p, uint64_t *s)
{
    return wasi_return(s, wasi_strings_get(p, s, p->args, p->args_len));
}

int wasi_environ_sizes_get(struct process *p, uint64_t *s)
{
    return wasi_return(s, wasi_strings_sizes(p, s, p->env, p->env_len));
}

int wasi_environ_get(struct process *p, uint64_t *s)
{
    return wasi_return(s, wasi_strings_get(p, s, p->env, p->env_len));
}

/* Clock ids: 0 realtime, 1 monotonic, 2 process CPU time, 3 thread CPU time. */
static int wasi_clock_now(struct process *p, uint32_t id, uint64_t *out)
{
    struct thread *t = sched_current();
    uint64_t tsc, hz = clock_tsc_hz();

    switch (id) {
    case 0: *out = clock_realtime_ns(); return WASI_ESUCCESS;
    case 1: *out = clock_ns(); return WASI_ESUCCESS;
    case 2:
    case 3:
        tsc = t->cpu_tsc + (rdtsc() - t->ran_since);
        *out = tsc / hz * 1000000000ull + tsc % hz * 1000000000ull / hz;
        return WASI_ESUCCESS;
    default: return WASI_EINVAL;
    }
}

int wasi_clock_res_get(struct process *p, uint64_t *s)
{
    uint64_t *out = abi_mem(p, (uint32_t)s[1], 8), now;
    int err = wasi_clock_now(p, (uint32_t)s[0], &now);

    if (!out) return wasi_return(s, WASI_EFAULT);
    if (err) return wasi_return(s, err);
    *out = (uint32_t)s[0] == 0 ? 1000000000ull : 1; /* realtime counts from a 1 s RTC */
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_clock_time_get(struct process *p, uint64_t *s)
{
    uint64_t *out = abi_mem(p, (uint32_t)s[2], 8), now;
    int err;

    if (!out) return wasi_return(s, WASI_EFAULT);
    if ((err = wasi_clock_now(p, (uint32_t)s[0], &now))) return wasi_return(s, err);
    *out = now;
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_random_get(struct process *p, uint64_t *s)
{
    void *buf = abi_mem(p, (uint32_t)s[0], (uint32_t)s[1]);

    if (!buf) return wasi_return(s, WASI_EFAULT);
    random_fill(buf, (uint32_t)s[1]);
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_proc_exit(struct process *p, uint64_t *s)
{
    return abi_exit(p, s); /* the same end as takara's exit */
}

int wasi_proc_raise(struct process *p, uint64_t *s)
{
    return wasi_return(s, WASI_ENOSYS);
}

int wasi_sched_yield(struct process *p, uint64_t *s)
{
    sched_yield();
    return wasi_return(s, WASI_ESUCCESS);
}

/*
 * Subscriptions (48 bytes): userdata u64, tag u8 (0 clock, 1 fd_read, 2 fd_write), then
 * for a clock: id u32 at 16, timeout u64 at 24, precision u64 at 32, flags u16 at 40
 * (1: absolute). Events (32 bytes): userdata u64, error u16, type u8, then fd fields.
 * Clock subscriptions sleep until the earliest; fd ones are answered ENOSYS events.
 */
int wasi_poll_oneoff(struct process *p, uint64_t *s)
{
    uint32_t n = (uint32_t)s[2];
    const uint8_t *in = abi_mem_in(p, (uint32_t)s[0], (uint64_t)n * 48);
    uint8_t *out = abi_mem(p, (uint32_t)s[1], (uint64_t)n * 32);
    uint32_t *nevents = abi_mem(p, (uint32_t)s[3], 4), count = 0;
    uint64_t deadline = 0, now = clock_ns();

    if (!in || !out || !nevents) return wasi_return(s, WASI_EFAULT);
    if (n == 0) return wasi_return(s, WASI_EINVAL);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *sub = in + i * 48;
        uint64_t timeout, at;
        uint16_t flags;
        if (sub[8] != 0) continue;
        memcpy(&timeout, sub + 24, 8);
        memcpy(&flags, sub + 40, 2);
        at = (flags & 1) ? timeout : now + timeout; /* absolute is monotonic time */
        if (!deadline || at < deadline) deadline = at;
    }
    if (deadline > now) sched_sleep_until(deadline);
    now = clock_ns();
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *sub = in + i * 48;
        uint8_t *ev = out + count * 32;
        uint16_t err = sub[8] == 0 ? 0 : WASI_ENOSYS;
        if (sub[8] == 0 && deadline > now) continue; /* woken early (a kill) */
        memset(ev, 0, 32);
        memcpy(ev, sub, 8);
        memcpy(ev + 8, &err, 2);
        ev[10] = sub[8];
        count++;
    }
    *nevents = count;
    return wasi_return(s, WASI_ESUCCESS);
}
