/* What the WASI handlers (kernel/abi/wasi_*.c) share: errno values of WASI preview 1. */
#ifndef TAKARA_KERNEL_ABI_WASI_H
#define TAKARA_KERNEL_ABI_WASI_H

#include <stdbool.h>
#include <stdint.h>

enum wasi_errno {
    WASI_ESUCCESS = 0,
    WASI_EBADF = 8,
    WASI_EINTR = 27,
    WASI_EFAULT = 21,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_ENOMEM = 48,
    WASI_ENOSYS = 52,
    WASI_ENOTSUP = 58,
    WASI_EPIPE = 64,
    WASI_ESPIPE = 70,
    WASI_ENOTCAPABLE = 76,
};

struct process;
struct wasi_file;

/* fd_read and fd_write take at most this many iovecs per call (wasi_fd.c). */
#define WASI_IOV_MAX 32

/* One iovec as the kernel took it: a checked range of the caller's memory. */
struct wasi_iov {
    uint8_t *buf;
    uint32_t len;
};

/* fd 0-2 is there: a channel the parent passed, or the console (wasi_fd.c). */
bool wasi_stdio(struct process *p, uint32_t fd);
struct object;
/* Takes the next message of stdin channel o into p->stdin_buf (handles it carries are
 * dropped), waiting for one if `wait`: WASI_ESUCCESS (stdin_len 0: end of file, or
 * nothing yet) or an errno. */
int wasi_stdin_fetch(struct process *p, struct object *o, bool wait);

/* The preopened /boot and its files (wasi_boot.c); each returns a WASI errno. */
struct wasi_file *wasi_file_get(struct process *p, uint32_t fd);
int wasi_boot_prestat_get(struct process *p, uint32_t fd, uint32_t out_ptr);
int wasi_boot_prestat_dir_name(struct process *p, uint32_t fd, uint32_t ptr, uint32_t len);
int wasi_boot_open(struct process *p, const uint64_t *s);
int wasi_boot_path_filestat(struct process *p, const uint64_t *s);
int wasi_boot_read(struct wasi_file *f, const struct wasi_iov *v, uint32_t n, uint32_t *got);
int wasi_boot_readdir(struct process *p, struct wasi_file *f, uint32_t buf, uint32_t len,
                      uint64_t cookie, uint32_t *used);
int wasi_boot_seek(struct wasi_file *f, int64_t offset, uint8_t whence, uint64_t *out);
int wasi_boot_filestat(struct wasi_file *f, uint8_t *out);
int wasi_boot_fdstat(struct wasi_file *f, uint8_t *out);

/* Sets the handler's i32 result to a WASI errno. */
static inline int wasi_return(uint64_t *s, int err)
{
    s[0] = (uint32_t)err;
    return 0;
}

#endif
