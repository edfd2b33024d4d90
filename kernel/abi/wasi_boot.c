/*
 * WASI's view of the boot image: a read-only directory preopened as /boot (fd 3) for a
 * process holding TK_CAP_BOOTFS. path_open finds a file of boot.tar by its name and
 * gives a descriptor that reads, seeks and stats it in place; "." opens the directory
 * again, whose fd_readdir lists the image's files; path_filestat_get stats either.
 * Nothing can be created, written or removed (EROFS, ENOTCAPABLE).
 */
#include <takara/caps.h>

#include "kernel/abi.h"
#include "kernel/abi/wasi.h"
#include "kernel/bootfs.h"
#include "lib/string.h"

#define WASI_ENOENT             44
#define WASI_EMFILE             33
#define WASI_EISDIR             31
#define WASI_ENOTDIR            54
#define WASI_EROFS              69
#define WASI_FILETYPE_DIRECTORY 3
#define WASI_FILETYPE_REGULAR   4
#define WASI_RIGHTS_DIR         0x1fffffffull /* all of preview 1's rights bits */
#define WASI_RIGHT_FD_WRITE     (1ull << 6)
#define WASI_RIGHT_FD_READDIR   (1ull << 14)
#define WASI_RIGHTS_FILE        (WASI_RIGHTS_DIR & ~WASI_RIGHT_FD_READDIR)

struct wasi_file *wasi_file_get(struct process *p, uint32_t fd)
{
    if (fd < WASI_FIRST_FD || fd >= WASI_FIRST_FD + WASI_FILES) return NULL;
    struct wasi_file *f = &p->wasi_files[fd - WASI_FIRST_FD];
    return f->kind == WASI_FILE_FREE ? NULL : f;
}

int wasi_boot_prestat_get(struct process *p, uint32_t fd, uint32_t out_ptr)
{
    struct wasi_file *f = wasi_file_get(p, fd);
    uint32_t *out = abi_mem(p, out_ptr, 8);

    if (!out) return WASI_EFAULT;
    if (!f || f->kind != WASI_FILE_DIR) return WASI_EBADF;
    out[0] = 0; /* tag: directory */
    out[1] = 5; /* strlen("/boot") */
    return WASI_ESUCCESS;
}

int wasi_boot_prestat_dir_name(struct process *p, uint32_t fd, uint32_t ptr, uint32_t len)
{
    struct wasi_file *f = wasi_file_get(p, fd);
    char *out = abi_mem(p, ptr, len);

    if (!out) return WASI_EFAULT;
    if (!f || f->kind != WASI_FILE_DIR) return WASI_EBADF;
    if (len < 5) return WASI_EINVAL;
    memcpy(out, "/boot", 5);
    return WASI_ESUCCESS;
}

/* What `path` names under the directory fd `dirfd`: "." the directory itself, else a
 * file of the image. */
static int wasi_boot_lookup(struct process *p, uint32_t dirfd, uint32_t path_ptr, uint32_t len,
                            struct wasi_file *out)
{
    struct wasi_file *dir = wasi_file_get(p, dirfd);
    char path[sizeof(((struct tar_entry *)0)->name) - 1]; /* read once, then looked up */
    const uint8_t *data;
    size_t size;

    if (!abi_mem_in(p, path_ptr, len)) return WASI_EFAULT;
    if (!dir) return WASI_EBADF;
    if (dir->kind != WASI_FILE_DIR) return WASI_ENOTDIR;
    if (len > sizeof path) return WASI_ENOENT; /* longer than any name the image holds */
    abi_copy_in(p, path, path_ptr, len);
    if (len == 1 && path[0] == '.') { /* /boot itself: opendir("/boot"), stat("/boot") */
        *out = (struct wasi_file){WASI_FILE_DIR, NULL, 0, 0};
        return WASI_ESUCCESS;
    }
    if (bootfs_find(path, len, &data, &size) < 0) return WASI_ENOENT;
    *out = (struct wasi_file){WASI_FILE_REGULAR, data, size, 0};
    return WASI_ESUCCESS;
}

/* path_open(dirfd, dirflags, path, len, oflags, rights, rights_inh, fdflags, fd_out) */
int wasi_boot_open(struct process *p, const uint64_t *s)
{
    uint32_t *fd_out = abi_mem(p, (uint32_t)s[8], 4);
    uint16_t oflags = (uint16_t)s[4];
    struct wasi_file f;
    int r;

    if (!fd_out) return WASI_EFAULT;
    if ((r = wasi_boot_lookup(p, (uint32_t)s[0], (uint32_t)s[2], (uint32_t)s[3], &f)) != 0 &&
        r != WASI_ENOENT)
        return r;
    /* creat, excl, trunc; or the right to write, or appending: /boot is read-only */
    if ((oflags & (1 | 4 | 8)) || (s[5] & WASI_RIGHT_FD_WRITE) || ((uint16_t)s[7] & 1))
        return WASI_EROFS;
    if (r) return r;
    if (f.kind == WASI_FILE_REGULAR && (oflags & 2)) return WASI_ENOTDIR; /* a directory wanted */
    for (uint32_t i = 0; i < WASI_FILES; i++) {
        if (p->wasi_files[i].kind != WASI_FILE_FREE) continue;
        p->wasi_files[i] = f;
        *fd_out = WASI_FIRST_FD + i;
        return WASI_ESUCCESS;
    }
    return WASI_EMFILE;
}

/* path_filestat_get(dirfd, lookupflags, path, len, filestat_out) */
int wasi_boot_path_filestat(struct process *p, const uint64_t *s)
{
    uint8_t *out = abi_mem(p, (uint32_t)s[4], 64);
    struct wasi_file f;
    int r;

    if (!out) return WASI_EFAULT;
    if ((r = wasi_boot_lookup(p, (uint32_t)s[0], (uint32_t)s[2], (uint32_t)s[3], &f)) != 0)
        return r;
    return wasi_boot_filestat(&f, out);
}

/*
 * fd_readdir(fd, buf, len, cookie, *used): entries from the cookie-th on, each a 24-byte
 * dirent (d_next u64 = the next cookie, d_ino u64, d_namlen u32, d_type u8) and its
 * name, packed; the last one cut off where the buffer ends. A full buffer (used == len)
 * tells the caller there may be more: it asks again from the last whole entry's d_next.
 */
int wasi_boot_readdir(struct process *p, struct wasi_file *f, uint32_t buf, uint32_t len,
                      uint64_t cookie, uint32_t *used)
{
    uint8_t *out = abi_mem(p, buf, len), ent[24];
    struct tar_entry e;
    uint32_t at = 0;

    if (!out) return WASI_EFAULT;
    if (f->kind != WASI_FILE_DIR) return WASI_ENOTCAPABLE; /* a file lacks fd_readdir */
    for (uint64_t i = cookie; i < UINT32_MAX && at < len && bootfs_entry((uint32_t)i, &e) == 0;
         i++) {
        uint64_t next = i + 1, ino = i + 1;
        uint32_t namlen = (uint32_t)strlen(e.name), k;
        memset(ent, 0, sizeof ent);
        memcpy(ent, &next, 8);
        memcpy(ent + 8, &ino, 8);
        memcpy(ent + 16, &namlen, 4);
        ent[20] = WASI_FILETYPE_REGULAR;
        k = len - at < sizeof ent ? len - at : (uint32_t)sizeof ent;
        memcpy(out + at, ent, k);
        at += k;
        k = len - at < namlen ? len - at : namlen;
        memcpy(out + at, e.name, k);
        at += k;
    }
    *used = at;
    return WASI_ESUCCESS;
}

int wasi_boot_read(struct wasi_file *f, const struct wasi_iov *v, uint32_t n, uint32_t *got)
{
    uint32_t total = 0;

    if (f->kind != WASI_FILE_REGULAR) return WASI_EISDIR;
    for (uint32_t i = 0; i < n && f->pos < f->size; i++) {
        uint64_t k = f->size - f->pos;
        if (k > v[i].len) k = v[i].len;
        memcpy(v[i].buf, f->data + f->pos, k);
        f->pos += k;
        total += (uint32_t)k;
    }
    *got = total;
    return WASI_ESUCCESS;
}

int wasi_boot_seek(struct wasi_file *f, int64_t offset, uint8_t whence, uint64_t *out)
{
    int64_t base = whence == 0 ? 0 : whence == 1 ? (int64_t)f->pos : (int64_t)f->size;

    if (f->kind != WASI_FILE_REGULAR) return WASI_EISDIR;
    if (whence > 2 || base + offset < 0) return WASI_EINVAL;
    f->pos = (uint64_t)(base + offset);
    if (out) *out = f->pos;
    return WASI_ESUCCESS;
}

/* filestat: dev, ino, filetype (u8 at 16), nlink, size (at 32), atim, mtim, ctim */
int wasi_boot_filestat(struct wasi_file *f, uint8_t *out)
{
    uint64_t size = f->kind == WASI_FILE_REGULAR ? f->size : 0, one = 1;

    memset(out, 0, 64);
    out[16] = f->kind == WASI_FILE_REGULAR ? WASI_FILETYPE_REGULAR : WASI_FILETYPE_DIRECTORY;
    memcpy(out + 24, &one, 8);
    memcpy(out + 32, &size, 8);
    return WASI_ESUCCESS;
}

/* fdstat: filetype u8, flags u16 at 2, rights_base u64 at 8, rights_inheriting at 16 */
int wasi_boot_fdstat(struct wasi_file *f, uint8_t *out)
{
    uint64_t rights = f->kind == WASI_FILE_REGULAR ? WASI_RIGHTS_FILE : WASI_RIGHTS_DIR;

    memset(out, 0, 24);
    out[0] = f->kind == WASI_FILE_REGULAR ? WASI_FILETYPE_REGULAR : WASI_FILETYPE_DIRECTORY;
    memcpy(out + 8, &rights, 8);
    memcpy(out + 16, &rights, 8);
    return WASI_ESUCCESS;
}
