/*
 * Read-only view of a POSIX ustar archive held in memory: how boot-time file sets (the
 * spec testsuite for the in-kernel runner, later the module archive of the boot image)
 * reach the kernel as one boot module. Portable: no allocation, no kernel headers.
 *
 *   +--------------------+-----------------+--------------------+-----
 *   | header (512 bytes) | data, padded to | header (512 bytes) | ...  two zero blocks end
 *   | name, size (octal) | 512 bytes       |                    |
 *   +--------------------+-----------------+--------------------+-----
 *
 * Every field is checked against the archive's length: a truncated or hostile archive
 * yields TK_ERR_MALFORMED, never a read past the end.
 */
#ifndef TAKARA_LIB_TAR_H
#define TAKARA_LIB_TAR_H

#include <stddef.h>
#include <stdint.h>

struct tar_entry {
    char name[257]; /* prefix "/" name, NUL-terminated */
    const uint8_t *data;
    size_t size;
};

struct tar_iter {
    const uint8_t *archive;
    size_t len, pos;
};

void tar_iter_init(struct tar_iter *it, const uint8_t *archive, size_t len);

/* Next regular file: 1 with *out filled, 0 at the end, TK_ERR_MALFORMED on damage. */
int tar_iter_next(struct tar_iter *it, struct tar_entry *out);

/* Finds the regular file `name` (exact match, a leading "./" in the archive ignored):
 * 0 with *out filled, TK_ERR_NOENT, or TK_ERR_MALFORMED. */
int tar_find(const uint8_t *archive, size_t len, const char *name, struct tar_entry *out);

#endif
