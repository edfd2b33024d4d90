/*
 * ustar reader (see tar.h). Only what boot archives need: regular files, the name
 * prefix field, octal sizes; directories and other entry types are skipped.
 */
#include "lib/tar.h"

#include <stdbool.h>
#include <takara/error.h>

#define TAR_BLOCK 512

/* Offsets of the ustar header fields we read. */
#define TAR_NAME       0
#define TAR_NAME_LEN   100
#define TAR_SIZE       124
#define TAR_SIZE_LEN   12
#define TAR_CHKSUM     148
#define TAR_CHKSUM_LEN 8
#define TAR_TYPE       156
#define TAR_MAGIC      257
#define TAR_PREFIX     345
#define TAR_PREFIX_LEN 155

void tar_iter_init(struct tar_iter *it, const uint8_t *archive, size_t len)
{
    it->archive = archive;
    it->len = len;
    it->pos = 0;
}

/* Parses an octal field of `len` bytes (NUL or space terminated); false if malformed. */
static bool tar_parse_octal(const uint8_t *field, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;

    while (i < len && field[i] == ' ') i++;
    if (i == len || field[i] < '0' || field[i] > '7') return false;
    for (; i < len && field[i] >= '0' && field[i] <= '7'; i++) {
        if (v >> 61) return false;
        v = v * 8 + (uint64_t)(field[i] - '0');
    }
    for (; i < len; i++)
        if (field[i] != ' ' && field[i] != 0) return false;
    *out = v;
    return true;
}

static bool tar_block_is_zero(const uint8_t *block)
{
    for (size_t i = 0; i < TAR_BLOCK; i++)
        if (block[i]) return false;
    return true;
}

static bool tar_checksum_ok(const uint8_t *h)
{
    uint64_t want, sum = 0;

    if (!tar_parse_octal(h + TAR_CHKSUM, TAR_CHKSUM_LEN, &want)) return false;
    for (size_t i = 0; i < TAR_BLOCK; i++)
        sum += (i >= TAR_CHKSUM && i < TAR_CHKSUM + TAR_CHKSUM_LEN) ? ' ' : h[i];
    return sum == want;
}

/* Copies a NUL-padded field of at most `len` bytes to `dst`; returns the bytes copied. */
static size_t tar_copy_field(char *dst, const uint8_t *field, size_t len)
{
    size_t n = 0;

    while (n < len && field[n]) {
        dst[n] = (char)field[n];
        n++;
    }
    return n;
}

static void tar_entry_name(const uint8_t *h, char *name)
{
    size_t n = 0;

    if (h[TAR_MAGIC] == 'u' && h[TAR_PREFIX]) {
        n = tar_copy_field(name, h + TAR_PREFIX, TAR_PREFIX_LEN);
        name[n++] = '/';
    }
    n += tar_copy_field(name + n, h + TAR_NAME, TAR_NAME_LEN);
    name[n] = 0;
}

int tar_iter_next(struct tar_iter *it, struct tar_entry *out)
{
    for (;;) {
        const uint8_t *h;
        uint64_t size, padded;
        char type;

        if (it->len - it->pos < TAR_BLOCK) return it->pos == it->len ? 0 : TK_ERR_MALFORMED;
        h = it->archive + it->pos;
        if (tar_block_is_zero(h)) return 0;
        if (!tar_checksum_ok(h) || !tar_parse_octal(h + TAR_SIZE, TAR_SIZE_LEN, &size))
            return TK_ERR_MALFORMED;
        padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        if (padded < size || padded > it->len - it->pos - TAR_BLOCK) return TK_ERR_MALFORMED;
        it->pos += TAR_BLOCK + padded;
        type = (char)h[TAR_TYPE];
        if (type != '0' && type != 0) continue; /* directories, links, pax headers: not files */
        tar_entry_name(h, out->name);
        out->data = h + TAR_BLOCK;
        out->size = size;
        return 1;
    }
}

static bool tar_name_matches(const char *entry, const char *name)
{
    if (entry[0] == '.' && entry[1] == '/') entry += 2;
    while (*entry && *entry == *name) {
        entry++;
        name++;
    }
    return *entry == *name;
}

int tar_find(const uint8_t *archive, size_t len, const char *name, struct tar_entry *out)
{
    struct tar_iter it;
    int r;

    tar_iter_init(&it, archive, len);
    while ((r = tar_iter_next(&it, out)) > 0)
        if (tar_name_matches(out->name, name)) return 0;
    return r < 0 ? r : TK_ERR_NOENT;
}
