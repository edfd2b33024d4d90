/* What the WASI handlers (kernel/abi/wasi_*.c) share: errno values of WASI preview 1. */
#ifndef TAKARA_KERNEL_ABI_WASI_H
#define TAKARA_KERNEL_ABI_WASI_H

enum wasi_errno {
    WASI_ESUCCESS = 0,
    WASI_EBADF = 8,
    WASI_EFAULT = 21,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_ENOSYS = 52,
    WASI_ENOTSUP = 58,
    WASI_ESPIPE = 70,
    WASI_ENOTCAPABLE = 76,
};

/* Sets the handler's i32 result to a WASI errno. */
static inline int wasi_return(uint64_t *s, int err)
{
    s[0] = (uint32_t)err;
    return 0;
}

#endif
