/*
 * WASI preview 1, descriptors: a program sees only what it was granted. Today that is
 * the console as stdin (fd 0), stdout (1) and stderr (2), for a process holding the
 * console capability, and for one holding the bootfs capability the read-only /boot
 * directory (fd 3, wasi_boot.c) and the files opened in it. Operations a stream cannot
 * do answer ESPIPE or ENOTSUP; nothing can be written, created or removed.
 */
#include <takara/caps.h>

#include "kernel/abi.h"
#include "kernel/abi/wasi.h"
#include "kernel/console.h"
#include "lib/string.h"

#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_RIGHT_FD_READ             (1ull << 1)
#define WASI_RIGHT_FD_WRITE            (1ull << 6)

/* fd 0-2 is the console when the process may use it. */
static bool wasi_stdio(struct process *p, uint32_t fd)
{
    return fd <= 2 && (p->caps & TK_CAP_CONSOLE);
}

/* One iovec array {u32 buf, u32 len}[n] checked as a whole; NULL if any part is outside
 * the memory (or, for reads, inside a read-only mapping). */
static const uint32_t *wasi_iovs(struct process *p, uint32_t ptr, uint32_t n, bool fills)
{
    const uint32_t *iov = abi_mem_in(p, ptr, (uint64_t)n * 8);

    for (uint32_t i = 0; iov && i < n; i++)
        if (!(fills ? abi_mem(p, iov[2 * i], iov[2 * i + 1])
                    : (void *)abi_mem_in(p, iov[2 * i], iov[2 * i + 1])))
            return NULL;
    return iov;
}

int wasi_fd_write(struct process *p, uint64_t *s)
{
    uint32_t fd = (uint32_t)s[0], n = (uint32_t)s[2], total = 0;
    const uint32_t *iov = wasi_iovs(p, (uint32_t)s[1], n, false);
    uint32_t *written = abi_mem(p, (uint32_t)s[3], 4);

    if (!iov || !written) return wasi_return(s, WASI_EFAULT);
    if (!wasi_stdio(p, fd) || fd == 0) return wasi_return(s, WASI_EBADF);
    for (uint32_t i = 0; i < n; i++) {
        console_write(abi_mem_in(p, iov[2 * i], iov[2 * i + 1]), iov[2 * i + 1]);
        total += iov[2 * i + 1];
    }
    *written = total;
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_fd_read(struct process *p, uint64_t *s)
{
    uint32_t fd = (uint32_t)s[0], n = (uint32_t)s[2];
    const uint32_t *iov = wasi_iovs(p, (uint32_t)s[1], n, true);
    uint32_t *got = abi_mem(p, (uint32_t)s[3], 4);
    struct wasi_file *f = wasi_file_get(p, fd);
    int r = 0;

    if (!iov || !got) return wasi_return(s, WASI_EFAULT);
    if (f) return wasi_return(s, wasi_boot_read(p, f, iov, n, got));
    if (fd != 0 || !wasi_stdio(p, fd)) return wasi_return(s, WASI_EBADF);
    for (uint32_t i = 0; i < n && r == 0; i++) /* the first non-empty buffer, once */
        if (iov[2 * i + 1])
            r = console_read(abi_mem(p, iov[2 * i], iov[2 * i + 1]), iov[2 * i + 1], 0);
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
    out[0] = WASI_FILETYPE_CHARACTER_DEVICE;
    memcpy(out + 8, &rights, 8);
    return wasi_return(s, WASI_ESUCCESS);
}

int wasi_fd_close(struct process *p, uint64_t *s)
{
    struct wasi_file *f = wasi_file_get(p, (uint32_t)s[0]);

    if (f && f->kind == WASI_FILE_REGULAR) f->kind = WASI_FILE_FREE;
    return wasi_return(s, f || wasi_stdio(p, (uint32_t)s[0]) ? WASI_ESUCCESS : WASI_EBADF);
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
WASI_STREAM_ANSWER(fd_readdir, WASI_ENOTSUP)
WASI_STREAM_ANSWER(fd_renumber, WASI_ENOTSUP)
/* /boot is read-only, and no descriptor is a socket */
WASI_STREAM_ANSWER(path_create_directory, WASI_ENOTCAPABLE)
WASI_STREAM_ANSWER(path_filestat_get, WASI_ENOTCAPABLE)
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
