/*
 * WASI preview 1, the process side: arguments, environment (what the parent passed at
 * spawn: the manifest's `env`, the shell's variables), clocks, randomness, exit, yield, and
 * poll_oneoff (clock and fd subscriptions). Every pointer is checked against the caller's memory
 * first.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/abi.h"
#include "kernel/abi/wasi.h"
#include "kernel/clock.h"
#include "kernel/console.h"
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
        tsc = t->cpu_tsc + (arch_read_cycles() - t->ran_since);
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
    return abi_exit(p, (int32_t)(uint32_t)s[0]); /* the same end as takara's exit */
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
 * Subscriptions (48 bytes): userdata u64, tag u8 at 8 (0 clock, 1 fd_read, 2 fd_write),
 * then for a clock: id u32 at 16, timeout u64 at 24, precision u64 at 32, flags u16 at
 * 40 (1: absolute); for an fd: fd u32 at 16. Events (32 bytes): userdata u64, error u16
 * at 8, type u8 at 10, nbytes u64 at 16, flags u16 at 24 (1: hang-up).
 */
#define WASI_SUB_CLOCK     0
#define WASI_SUB_FD_READ   1
#define WASI_SUB_FD_WRITE  2
#define WASI_EVENT_HANGUP  1
#define WASI_POLL_SLICE_NS 10000000ull /* re-check period when waiting on several sources */

/* What one fd subscription is waiting for, if it is not ready yet. */
struct wasi_poll_wait {
    struct object *obj; /* a channel and the signals that would make it ready */
    uint32_t signals;
    bool console; /* console input */
};

/* Is fd subscription `sub` ready? true with the event's error, nbytes and flags; false
 * with what to wait for in *w. */
static bool wasi_poll_fd(struct process *p, const uint8_t *sub, uint16_t *err, uint64_t *nbytes,
                         uint16_t *flags, struct wasi_poll_wait *w)
{
    uint32_t fd;
    bool reading = sub[8] == WASI_SUB_FD_READ;
    struct wasi_file *f;

    memcpy(&fd, sub + 16, 4);
    *err = WASI_ESUCCESS;
    *nbytes = 0;
    *flags = 0;
    if ((f = wasi_file_get(p, fd))) { /* boot-image files and directories never wait */
        if (reading && f->kind == WASI_FILE_REGULAR) *nbytes = f->size - f->pos;
        return true;
    }
    if (!wasi_stdio(p, fd) || reading != (fd == 0)) {
        *err = WASI_EBADF;
        return true;
    }
    struct object *o = p->stdio[fd];
    if (!o) { /* the console: output never waits; input when a byte is there */
        if (!reading || (*nbytes = console_pending())) return true;
        w->console = true;
        return false;
    }
    /* a message waiting is taken now, so the event can say how many bytes it holds */
    if (reading && p->stdin_pos == p->stdin_len && (o->signals & TK_SIGNAL_READABLE) &&
        (*err = (uint16_t)wasi_stdin_fetch(p, o, false)))
        return true;
    if (reading && p->stdin_pos < p->stdin_len) {
        *nbytes = p->stdin_len - p->stdin_pos;
        return true;
    }
    uint32_t ready = reading ? TK_SIGNAL_READABLE : TK_SIGNAL_WRITABLE;
    if (o->signals & (ready | TK_SIGNAL_PEER_CLOSED)) {
        if (!(o->signals & ready) || (!reading && (o->signals & TK_SIGNAL_PEER_CLOSED))) {
            *flags = WASI_EVENT_HANGUP;
            if (!reading) *err = WASI_EPIPE;
        }
        return true;
    }
    w->obj = o;
    w->signals = ready | TK_SIGNAL_PEER_CLOSED;
    return false;
}

/* A clock subscription's deadline on the monotonic clock, or an errno. */
static int wasi_poll_deadline(const uint8_t *sub, uint64_t now, uint64_t *at)
{
    uint32_t id;
    uint64_t timeout;
    uint16_t flags;

    memcpy(&id, sub + 16, 4);
    memcpy(&timeout, sub + 24, 8);
    memcpy(&flags, sub + 40, 2);
    if (id > 3) return WASI_EINVAL;
    if (!(flags & 1)) {
        *at = now + timeout < now ? UINT64_MAX : now + timeout;
    } else if (id == 0) { /* absolute realtime: as far from now on the monotonic clock */
        uint64_t real = clock_realtime_ns();
        *at = timeout <= real ? now : now + (timeout - real);
    } else {
        *at = timeout; /* absolute monotonic (CPU-time clocks are treated alike) */
    }
    return WASI_ESUCCESS;
}

static void wasi_poll_event(uint8_t *ev, const uint8_t *sub, uint16_t err, uint64_t nbytes,
                            uint16_t flags)
{
    memset(ev, 0, 32);
    memcpy(ev, sub, 8);
    memcpy(ev + 8, &err, 2);
    ev[10] = sub[8];
    memcpy(ev + 16, &nbytes, 8);
    memcpy(ev + 24, &flags, 2);
}

/*
 * Waits until a subscription is ready — a clock's deadline passed, an fd readable or
 * writable (or in error) — and reports every ready one. With one source to wait on
 * (console input or one channel) the wait is exact; with several, it re-checks every
 * 10 ms. Each pass copies each subscription into the kernel and checks that copy alone
 * (another process may rewrite them meanwhile: kernel/abi.h).
 */
int wasi_poll_oneoff(struct process *p, uint64_t *s)
{
    uint32_t n = (uint32_t)s[2];
    const uint8_t *in = abi_mem_in(p, (uint32_t)s[0], (uint64_t)n * 48);
    uint8_t *out = abi_mem(p, (uint32_t)s[1], (uint64_t)n * 32);
    uint32_t *nevents = abi_mem(p, (uint32_t)s[3], 4), count;
    uint64_t start = clock_ns();

    if (!in || !out || !nevents) return wasi_return(s, WASI_EFAULT);
    if (n == 0) return wasi_return(s, WASI_EINVAL);
    for (uint32_t i = 0; i < n; i++)
        if (in[i * 48 + 8] > WASI_SUB_FD_WRITE) return wasi_return(s, WASI_EINVAL);
    for (;;) {
        struct wasi_poll_wait w = {0}, one = {0};
        uint64_t now = clock_ns(), deadline = 0, nbytes;
        uint32_t sources = 0;
        uint16_t err, flags;
        int r;

        count = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint8_t sub[48];
            uint64_t at;
            memcpy(sub, in + i * 48, sizeof sub);
            if (sub[8] > WASI_SUB_FD_WRITE) return wasi_return(s, WASI_EINVAL); /* changed */
            if (sub[8] == WASI_SUB_CLOCK) {
                if ((err = (uint16_t)wasi_poll_deadline(sub, start, &at)) == 0 && at > now) {
                    if (!deadline || at < deadline) deadline = at;
                    continue;
                }
                wasi_poll_event(out + count++ * 32, sub, err, 0, 0);
            } else if (wasi_poll_fd(p, sub, &err, &nbytes, &flags, &w)) {
                wasi_poll_event(out + count++ * 32, sub, err, nbytes, flags);
            } else {
                if (!sources++) one = w;
                w = (struct wasi_poll_wait){0};
            }
        }
        if (count) break;
        if (sources > 1 && (!deadline || deadline > now + WASI_POLL_SLICE_NS))
            deadline = now + WASI_POLL_SLICE_NS;
        if (one.obj) {
            uint32_t seen;
            r = object_wait(one.obj, one.signals, deadline, &seen);
        } else if (one.console) {
            r = console_wait(deadline);
        } else if (deadline) {
            r = sched_sleep_until(deadline);
        } else {
            break; /* nothing could ever become ready (cannot happen: n > 0) */
        }
        if (r == TK_ERR_KILLED) return wasi_return(s, WASI_EINTR); /* the process ends */
    }
    *nevents = count;
    return wasi_return(s, WASI_ESUCCESS);
}
