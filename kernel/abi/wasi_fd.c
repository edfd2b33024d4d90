/*
 * WASI preview 1, descriptors: a program sees only what it was granted. stdin (fd 0),
 * stdout (1) and stderr (2) are the channels its parent passed at spawn, or else the
 * console for a process holding the console capability; for one holding the bootfs
 * capability, the read-only /boot directory (fd 3, wasi_boot.c) and the files opened in
 * it. Operations a stream cannot do answer ESPIPE or ENOTSUP; nothing can be written,
 * created or removed.
 *
 * On a channel, each fd_write is one message (split at 64 KiB), written when the
 * reader's queue has room — the writer waits meanwhile, so nothing is lost — and EPIPE
 * once the reader is gone; fd_read takes the next message, keeping what did not fit
 * for the next read, and reads 0 bytes (end of file) once the writer is gone.
 *
 * An iovec array is read once (kernel/abi.h): at most WASI_IOV_MAX entries are copied
 * into the kernel and checked, and only that copy is used, before and after any wait.
 * Entries past the first WASI_IOV_MAX are left alone: the count returned tells the
 * caller where to go on, as a short read or write on any stream does.
 */
#include <takara/caps.h>
#include <takara/error.h>

#include "kernel/abi.h"
#include "kernel/abi/wasi.h"
#include "kernel/console.h"
#include "kernel/mm.h"
#include "lib/string.h"

#define WASI_FILETYPE_UNKNOWN          0 /* a channel: not a terminal, so libc buffers fully */
#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_RIGHT_FD_READ             (1ull << 1)
#define WASI_RIGHT_FD_WRITE            (1ull << 6)

/* fd 0-2 is a channel, or the console when the process may use it, until closed. */
bool wasi_stdio(struct process *p, uint32_t fd)
{
    return fd <= 2 && !(p->stdio_closed & (1u << fd)) &&
           (p->stdio[fd] || (p->caps & TK_CAP_CONSOLE));
}

/* Closing fd 0-2 lets go of its channel — when it was the last reference, the other
 * side sees PEER_CLOSED (end of file) while the program runs on — and the fd is gone:
 * EBADF from then on, the console not taking its place. */
static void wasi_stdio_close(struct process *p, uint32_t fd)
{
    p->stdio_closed |= (uint8_t)(1u << fd);
    if (p->stdio[fd]) object_unref(p->stdio[fd]);
    p->stdio[fd] = NULL;
    if (fd == 0) {
        kfree(p->stdin_buf);
        p->stdin_buf = NULL;
        p->stdin_len = p->stdin_pos = 0;
    }
}

/* Maps a failed wait or allocation to its errno. */
static int wasi_errno(int err)
{
    return err == TK_ERR_KILLED ? WASI_EINTR : err == TK_ERR_NOMEM ? WASI_ENOMEM : WASI_EIO;
}

/* Sends [buf, buf+len) as one message on channel o, waiting while the reader's queue is
 * full: a WASI errno. */
static int wasi_channel_send(struct object *o, const void *buf, uint32_t len)
{
    uint32_t seen;

    for (;;) {
        int r = channel_write(o, buf, len, NULL, NULL, 0);
        if (r == 0) return WASI_ESUCCESS;
        if (r == TK_ERR_PEER_CLOSED) return WASI_EPIPE;
        if (r != TK_ERR_AGAIN) return wasi_errno(r);
        if ((r = object_wait(o, TK_SIGNAL_WRITABLE | TK_SIGNAL_PEER_CLOSED, 0, &seen)) < 0)
            return wasi_errno(r);
    }
}

/* fd_write's iovecs gathered into messages of at most TK_CHANNEL_MAX_BYTES. The message
 * buffer is the import's scratch: a fault while filling it frees it too. */
static int wasi_channel_write(struct object *o, const struct wasi_iov *v, uint32_t n,
                              uint32_t *written)
{
    uint64_t total = 0;
    uint32_t i = 0, off = 0, size;
    uint8_t *msg;
    int err = WASI_ESUCCESS;

    for (uint32_t k = 0; k < n; k++) total += v[k].len;
    size = total < TK_CHANNEL_MAX_BYTES ? (uint32_t)total : TK_CHANNEL_MAX_BYTES;
    *written = 0;
    if (total == 0) return WASI_ESUCCESS;
    if (!(msg = abi_scratch_alloc(size))) return WASI_ENOMEM;
    while (err == WASI_ESUCCESS && i < n) {
        uint32_t fill = 0;
        while (fill < size && i < n) {
            uint32_t k = v[i].len - off;
            if (k > size - fill) k = size - fill;
            memcpy(msg + fill, v[i].buf + off, k);
            fill += k;
            off += k;
            if (off == v[i].len) i++, off = 0;
        }
        if ((err = wasi_channel_send(o, msg, fill)) == WASI_ESUCCESS) *written += fill;
    }
    abi_scratch_free(msg);
    return *written && err != WASI_EINTR ? WASI_ESUCCESS : err; /* a short write, or none */
}

int wasi_stdin_fetch(struct process *p, struct object *o, bool wait)
{
    tk_handle hs[TK_CHANNEL_MAX_HANDLES];
    struct tk_channel_sizes sz;
    uint32_t seen;
    uint8_t none;
    int r;

    kfree(p->stdin_buf);
    p->stdin_buf = NULL;
    p->stdin_len = p->stdin_pos = 0;
    for (;;) {
        r = channel_read(o, &none, 0, hs, TK_CHANNEL_MAX_HANDLES, &p->handles, &sz);
        if (r == TK_ERR_BUFFER_TOO_SMALL) {
            if (!(p->stdin_buf = kmalloc(sz.bytes))) return WASI_ENOMEM;
            r = channel_read(o, p->stdin_buf, sz.bytes, hs, TK_CHANNEL_MAX_HANDLES, &p->handles,
                             &sz);
            if (r == TK_ERR_BUFFER_TOO_SMALL) { /* another reader took it: try again */
                kfree(p->stdin_buf);
                p->stdin_buf = NULL;
                continue;
            }
        }
        if (r == 0) {
            for (uint32_t i = 0; i < sz.handles; i++) handle_close(&p->handles, hs[i]);
            if (sz.bytes == 0) continue; /* an empty message is not an end of file */
            p->stdin_len = sz.bytes;
            return WASI_ESUCCESS;
        }
        kfree(p->stdin_buf);
        p->stdin_buf = NULL;
        if (r == TK_ERR_PEER_CLOSED || (r == TK_ERR_AGAIN && !wait)) return WASI_ESUCCESS;
        if (r != TK_ERR_AGAIN) return wasi_errno(r);
        if ((r = object_wait(o, TK_SIGNAL_READABLE | TK_SIGNAL_PEER_CLOSED, 0, &seen)) < 0)
            return wasi_errno(r);
    }
}

static int wasi_channel_read(struct process *p, struct object *o, const struct wasi_iov *v,
                             uint32_t n, uint32_t *got)
{
    int err;

    *got = 0;
    if (p->stdin_pos == p->stdin_len && (err = wasi_stdin_fetch(p, o, true))) return err;
    for (uint32_t i = 0; i < n && p->stdin_pos < p->stdin_len; i++) {
        uint32_t k = p->stdin_len - p->stdin_pos;
        if (k > v[i].len) k = v[i].len;
        memcpy(v[i].buf, p->stdin_buf + p->stdin_pos, k);
        p->stdin_pos += k;
        *got += k;
    }
    return WASI_ESUCCESS;
}

/* Copies the iovec array {u32 buf, u32 len}[n] at ptr into v (its first WASI_IOV_MAX
 * entries), each range checked (writable when the call `fills` it): the number taken,
 * or -1 if any taken part is outside the memory (or, for reads, in a read-only mapping). */
static int wasi_iovs_take(struct process *p, uint32_t ptr, uint32_t n, bool fills,
                          struct wasi_iov *v)
{
    uint32_t raw[2 * WASI_IOV_MAX];

    if (n > WASI_IOV_MAX) n = WASI_IOV_MAX;
    if (abi_copy_in(p, raw, ptr, n * 8) < 0) return -1;
    for (uint32_t i = 0; i < n; i++) {
        v[i].len = raw[2 * i + 1];
        v[i].buf = fills ? abi_mem(p, raw[2 * i], v[i].len)
                         : (uint8_t *)abi_mem_in(p, raw[2 * i], v[i].len);
        if (!v[i].buf) return -1;
    }
    return (int)n;
}

int wasi_fd_write(struct process *p, uint64_t *s)
{
    struct wasi_iov v[WASI_IOV_MAX];
    uint32_t fd = (uint32_t)s[0], total = 0;
    int n = wasi_iovs_take(p, (uint32_t)s[1], (uint32_t)s[2], false, v);
    uint32_t *written = abi_mem(p, (uint32_t)s[3], 4);

    if (n < 0 || !written) return wasi_return(s, WASI_EFAULT);
    if (!wasi_stdio(p, fd) || fd == 0) return wasi_return(s, WASI_EBADF);
    if (p->stdio[fd]) {
        int err = wasi_channel_write(p->stdio[fd], v, (uint32_t)n, &total);
        *written = total;
        return wasi_return(s, err);
    }
    for (int i = 0; i < n; i++) {
        console_write(v[i].buf, v[i].len);
        total += v[i].len;
    }
    *written = total;
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_fd_read(struct process *p, uint64_t *s)
{
    struct wasi_iov v[WASI_IOV_MAX];
    uint32_t fd = (uint32_t)s[0];
    int n = wasi_iovs_take(p, (uint32_t)s[1], (uint32_t)s[2], true, v);
    uint32_t *got = abi_mem(p, (uint32_t)s[3], 4);
    struct wasi_file *f = wasi_file_get(p, fd);
    int r = 0;

    if (n < 0 || !got) return wasi_return(s, WASI_EFAULT);
    if (f) return wasi_return(s, wasi_boot_read(f, v, (uint32_t)n, got));
    if (fd != 0 || !wasi_stdio(p, fd)) return wasi_return(s, WASI_EBADF);
    if (p->stdio[0]) {
        uint32_t n_got;
        int err = wasi_channel_read(p, p->stdio[0], v, (uint32_t)n, &n_got);
        *got = n_got;
        return wasi_return(s, err);
    }
    for (int i = 0; i < n && r == 0; i++) /* the first non-empty buffer, once */
        if (v[i].len) r = console_read_program(v[i].buf, v[i].len, 0);
    if (r < 0) return wasi_return(s, WASI_EIO);
    *got = (uint32_t)r;
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_fd_fdstat_get(struct process *p, uint64_t *s)
{
    uint32_t fd = (uint32_t)s[0];
    uint8_t *out = abi_mem(p, (uint32_t)s[1], 24);
    uint64_t rights = fd == 0 ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE;
    struct wasi_file *f = wasi_file_get(p, fd);

    if (!out) return wasi_return(s, WASI_EFAULT);
    if (f) return wasi_return(s, wasi_boot_fdstat(f, out));
    if (!wasi_stdio(p, fd)) return wasi_return(s, WASI_EBADF);
    memset(out, 0, 24);
    out[0] = p->stdio[fd] ? WASI_FILETYPE_UNKNOWN : WASI_FILETYPE_CHARACTER_DEVICE;
    memcpy(out + 8, &rights, 8);
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_fd_readdir(struct process *p, uint64_t *s)
{
    struct wasi_file *f = wasi_file_get(p, (uint32_t)s[0]);
    uint32_t *used = abi_mem(p, (uint32_t)s[4], 4), n = 0;
    int err;

    if (!used || !abi_mem(p, (uint32_t)s[1], (uint32_t)s[2])) return wasi_return(s, WASI_EFAULT);
    if (!f) return wasi_return(s, wasi_stdio(p, (uint32_t)s[0]) ? WASI_ENOTCAPABLE : WASI_EBADF);
    err = wasi_boot_readdir(p, f, (uint32_t)s[1], (uint32_t)s[2], s[3], &n);
    if (err == WASI_ESUCCESS) *used = n;
    return wasi_return(s, err);
}

int wasi_fd_close(struct process *p, uint64_t *s)
{
    uint32_t fd = (uint32_t)s[0];
    struct wasi_file *f = wasi_file_get(p, fd);

    if (wasi_stdio(p, fd)) {
        wasi_stdio_close(p, fd);
        return wasi_return(s, WASI_ESUCCESS);
    }
    /* every other descriptor but the preopened /boot itself (fd 3) closes */
    if (f && f != &p->wasi_files[0]) f->kind = WASI_FILE_FREE;
    return wasi_return(s, f ? WASI_ESUCCESS : WASI_EBADF);
}

int wasi_fd_seek(struct process *p, uint64_t *s)
{
    struct wasi_file *f = wasi_file_get(p, (uint32_t)s[0]);
    uint64_t *out = abi_mem(p, (uint32_t)s[3], 8);

    if (!out) return wasi_return(s, WASI_EFAULT);
    if (f) return wasi_return(s, wasi_boot_seek(f, (int64_t)s[1], (uint8_t)s[2], out));
    return wasi_return(s, wasi_stdio(p, (uint32_t)s[0]) ? WASI_ESPIPE : WASI_EBADF);
}

int wasi_fd_tell(struct process *p, uint64_t *s)
{
    struct wasi_file *f = wasi_file_get(p, (uint32_t)s[0]);
    uint64_t *out = abi_mem(p, (uint32_t)s[1], 8);

    if (!out) return wasi_return(s, WASI_EFAULT);
    if (f) return wasi_return(s, wasi_boot_seek(f, 0, 1, out));
    return wasi_return(s, wasi_stdio(p, (uint32_t)s[0]) ? WASI_ESPIPE : WASI_EBADF);
}

int wasi_fd_filestat_get(struct process *p, uint64_t *s)
{
    struct wasi_file *f = wasi_file_get(p, (uint32_t)s[0]);
    uint8_t *out = abi_mem(p, (uint32_t)s[1], 64);

    if (!out) return wasi_return(s, WASI_EFAULT);
    if (f) return wasi_return(s, wasi_boot_filestat(f, out));
    return wasi_return(s, wasi_stdio(p, (uint32_t)s[0]) ? WASI_ENOTSUP : WASI_EBADF);
}

int wasi_fd_prestat_get(struct process *p, uint64_t *s)
{
    return wasi_return(s, wasi_boot_prestat_get(p, (uint32_t)s[0], (uint32_t)s[1]));
}

int wasi_fd_prestat_dir_name(struct process *p, uint64_t *s)
{
    return wasi_return(
        s, wasi_boot_prestat_dir_name(p, (uint32_t)s[0], (uint32_t)s[1], (uint32_t)s[2]));
}

int wasi_path_open(struct process *p, uint64_t *s)
{
    return wasi_return(s, wasi_boot_open(p, s));
}

int wasi_path_filestat_get(struct process *p, uint64_t *s)
{
    return wasi_return(s, wasi_boot_path_filestat(p, s));
}

/* What the remaining descriptor functions answer: EBADF for a descriptor that is not
 * there, otherwise `err` (the console cannot seek or sync; /boot is read-only). */
static int wasi_fd_only_stream(struct process *p, uint64_t *s, int on_stream)
{
    uint32_t fd = (uint32_t)s[0];

    return wasi_return(s, wasi_stdio(p, fd) || wasi_file_get(p, fd) ? on_stream : WASI_EBADF);
}

#define WASI_STREAM_ANSWER(name, err)                                                              \
    int wasi_##name(struct process *p, uint64_t *s)                                                \
    {                                                                                              \
        return wasi_fd_only_stream(p, s, err);                                                     \
    }
WASI_STREAM_ANSWER(fd_pread, WASI_ESPIPE)
WASI_STREAM_ANSWER(fd_pwrite, WASI_ESPIPE)
WASI_STREAM_ANSWER(fd_advise, WASI_ESPIPE)
WASI_STREAM_ANSWER(fd_allocate, WASI_ENOTSUP)
WASI_STREAM_ANSWER(fd_datasync, WASI_EINVAL)
WASI_STREAM_ANSWER(fd_sync, WASI_EINVAL)
WASI_STREAM_ANSWER(fd_fdstat_set_flags, WASI_ENOTSUP)
WASI_STREAM_ANSWER(fd_fdstat_set_rights, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(fd_filestat_set_size, WASI_EINVAL)
WASI_STREAM_ANSWER(fd_filestat_set_times, WASI_ENOTSUP)
WASI_STREAM_ANSWER(fd_renumber, WASI_ENOTSUP)
/* /boot is read-only, and no descriptor is a socket */
WASI_STREAM_ANSWER(path_create_directory, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_filestat_set_times, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_link, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_readlink, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_remove_directory, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_rename, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_symlink, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_unlink_file, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(sock_accept, WASI_ENOTSUP)
WASI_STREAM_ANSWER(sock_recv, WASI_ENOTSUP)
WASI_STREAM_ANSWER(sock_send, WASI_ENOTSUP)
WASI_STREAM_ANSWER(sock_shutdown, WASI_ENOTSUP)
