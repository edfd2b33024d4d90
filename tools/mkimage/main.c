/*
 * mkimage: builds the boot image's module archive (boot.tar) on the host.
 *
 *   mkimage -o OUT.tar -m MANIFEST FILE...
 *
 * Refuses, before writing anything, a manifest lib/manifest.c rejects (MANIFEST:LINE:
 * message), a service whose module is not among the files, a .wasm file the engine
 * cannot load, and names that would collide in the archive. Then writes a POSIX ustar
 * archive: `manifest` first, then each file under its base name in the order given
 * (files not ending in .wasm are stored unchecked, as data for the bootfs). The archive
 * is read back with lib/tar.c before it replaces OUT, so the kernel's reader agrees.
 *
 * Exit status: 0 written, 1 refused or I/O error, 2 usage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <takara/error.h>

#include "lib/manifest.h"
#include "lib/tar.h"
#include "tools/host/read_file.h"
#include "wasm/wasm.h"

#define TAR_BLOCK             512
#define TAR_NAME_MAX          99           /* the name field is 100 bytes; keep a NUL */
#define TAR_SIZE_MAX          (1ull << 33) /* 11 octal digits in the size field */
#define MANIFEST_ARCHIVE_NAME "manifest"

struct image_file {
    const char *path;
    const char *name; /* base name: the name in the archive */
    unsigned char *bytes;
    size_t len;
};

static int usage(void)
{
    fprintf(stderr, "usage: mkimage -o OUT.tar -m MANIFEST FILE...\n");
    return 2;
}

static const char *image_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static int image_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && !strcmp(s + n - k, suffix);
}

/* Reads a file, checks its name, and checks a .wasm file with the engine's loader. */
static int image_load_file(struct image_file *f)
{
    struct wasm_module *module;
    struct wasm_error err;

    f->name = image_basename(f->path);
    if (!*f->name || strlen(f->name) > TAR_NAME_MAX || !strcmp(f->name, MANIFEST_ARCHIVE_NAME)) {
        fprintf(stderr,
                "mkimage: %s: name unusable in the archive (empty, over %d bytes, or "
                "'" MANIFEST_ARCHIVE_NAME "')\n",
                f->path, TAR_NAME_MAX);
        return -1;
    }
    f->bytes = host_read_file(f->path, &f->len);
    if (!f->bytes) {
        fprintf(stderr, "mkimage: %s: cannot read: %s\n", f->path, strerror(errno));
        return -1;
    }
    if (f->len >= TAR_SIZE_MAX) {
        fprintf(stderr, "mkimage: %s: too large for a ustar entry\n", f->path);
        return -1;
    }
    if (!image_ends_with(f->name, ".wasm")) return 0;
    if (wasm_module_load(f->bytes, f->len, &module, &err) < 0) {
        /* tk_strerror gives "malformed module" or "invalid module" */
        fprintf(stderr, "%s: %s: %s at offset %u%s%s%s\n", f->path, tk_strerror(err.code),
                err.reason ? err.reason : "unknown reason", err.offset, err.detail[0] ? " (" : "",
                err.detail, err.detail[0] ? ")" : "");
        return -1;
    }
    wasm_module_free(module);
    return 0;
}

/* Writes `v` as len-1 zero-padded octal digits and a NUL, the usual ustar number form. */
static void image_put_octal(uint8_t *field, size_t len, uint64_t v)
{
    field[len - 1] = 0;
    for (size_t i = len - 1; i-- > 0; v >>= 3) field[i] = (uint8_t)('0' + (v & 7));
}

/* One ustar header: regular file, mode 0644, owner 0, mtime 0 (images are reproducible). */
static void image_put_header(uint8_t *h, const char *name, uint64_t size)
{
    uint32_t sum = 0;

    memset(h, 0, TAR_BLOCK);
    memcpy(h, name, strlen(name));
    image_put_octal(h + 100, 8, 0644); /* mode */
    image_put_octal(h + 108, 8, 0);    /* uid */
    image_put_octal(h + 116, 8, 0);    /* gid */
    image_put_octal(h + 124, 12, size);
    image_put_octal(h + 136, 12, 0); /* mtime */
    h[156] = '0';                    /* typeflag: regular file */
    memcpy(h + 257, "ustar", 6);     /* magic, NUL included */
    memcpy(h + 263, "00", 2);        /* version */
    memset(h + 148, ' ', 8);         /* the checksum counts its own field as spaces */
    for (size_t i = 0; i < TAR_BLOCK; i++) sum += h[i];
    image_put_octal(h + 148, 7, sum); /* six digits, NUL, and the space already there */
}

static size_t image_padded(size_t n)
{
    return (n + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
}

/* Appends one entry at *pos of `ar` (sized by the caller). */
static void image_put_entry(uint8_t *ar, size_t *pos, const char *name, const void *data,
                            size_t len)
{
    image_put_header(ar + *pos, name, len);
    memcpy(ar + *pos + TAR_BLOCK, data, len);
    *pos += TAR_BLOCK + image_padded(len); /* padding already zero: calloc */
}

/* Reads the archive back with the kernel's reader: every entry, in order, byte-exact. */
static int image_check_archive(const uint8_t *ar, size_t len, const struct image_file *files,
                               int nfiles, const unsigned char *manifest, size_t mlen)
{
    struct tar_iter it;
    struct tar_entry e;

    tar_iter_init(&it, ar, len);
    for (int i = -1; i < nfiles; i++) {
        const char *name = i < 0 ? MANIFEST_ARCHIVE_NAME : files[i].name;
        const unsigned char *data = i < 0 ? manifest : files[i].bytes;
        size_t size = i < 0 ? mlen : files[i].len;

        if (tar_iter_next(&it, &e) != 1 || strcmp(e.name, name) || e.size != size ||
            (size && memcmp(e.data, data, size)))
            return -1;
    }
    return tar_iter_next(&it, &e) == 0 ? 0 : -1;
}

/* Writes the archive to OUT through a temporary file, so OUT is never half written. */
static int image_write(const char *out, const uint8_t *ar, size_t len)
{
    size_t tlen = strlen(out) + 5;
    char *tmp = malloc(tlen);
    FILE *f = NULL;
    int status = -1;

    if (!tmp) goto out;
    snprintf(tmp, tlen, "%s.tmp", out);
    f = fopen(tmp, "wb");
    if (!f) goto out_error;
    if (fwrite(ar, 1, len, f) != len) goto out_error;
    if (fclose(f) != 0) {
        f = NULL;
        goto out_error;
    }
    f = NULL;
    if (rename(tmp, out) != 0) goto out_error;
    status = 0;
    goto out;

out_error:
    fprintf(stderr, "mkimage: %s: %s\n", out, strerror(errno));
    if (f) fclose(f);
    remove(tmp);
out:
    free(tmp);
    return status;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *manifest_path = NULL;
    struct image_file *files;
    int nfiles = 0, status = 1;
    unsigned char *text = NULL;
    size_t text_len, ar_len, pos = 0;
    uint8_t *ar = NULL;
    static struct manifest m; /* ~6 KiB: kept off the stack */
    struct manifest_error merr;

    files = calloc((size_t)argc, sizeof(*files));
    if (!files) return 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "-m") && i + 1 < argc)
            manifest_path = argv[++i];
        else if (argv[i][0] == '-')
            goto out_usage;
        else
            files[nfiles++].path = argv[i];
    }
    if (!out || !manifest_path) goto out_usage;

    text = host_read_file(manifest_path, &text_len);
    if (!text) {
        fprintf(stderr, "mkimage: %s: cannot read: %s\n", manifest_path, strerror(errno));
        goto out;
    }
    if (manifest_parse((const char *)text, text_len, &m, &merr) < 0) {
        fprintf(stderr, "%s:%u: %s\n", manifest_path, merr.line, merr.message);
        goto out;
    }
    for (int i = 0; i < nfiles; i++) {
        if (image_load_file(&files[i]) < 0) goto out;
        for (int j = 0; j < i; j++) {
            if (!strcmp(files[i].name, files[j].name)) {
                fprintf(stderr, "mkimage: %s and %s would both be '%s' in the archive\n",
                        files[j].path, files[i].path, files[i].name);
                goto out;
            }
        }
    }
    for (uint32_t s = 0; s < m.nservices; s++) {
        int found = 0;
        for (int i = 0; i < nfiles && !found; i++)
            found = !strcmp(files[i].name, m.services[s].module);
        if (!found) {
            fprintf(stderr, "%s: service '%s': module '%s' is not among the files given\n",
                    manifest_path, m.services[s].name, m.services[s].module);
            goto out;
        }
    }

    ar_len = TAR_BLOCK + image_padded(text_len) + 2 * TAR_BLOCK; /* manifest, end marker */
    for (int i = 0; i < nfiles; i++) ar_len += TAR_BLOCK + image_padded(files[i].len);
    ar = calloc(1, ar_len);
    if (!ar) {
        fprintf(stderr, "mkimage: out of memory for a %zu-byte archive\n", ar_len);
        goto out;
    }
    image_put_entry(ar, &pos, MANIFEST_ARCHIVE_NAME, text, text_len);
    for (int i = 0; i < nfiles; i++)
        image_put_entry(ar, &pos, files[i].name, files[i].bytes, files[i].len);
    if (image_check_archive(ar, ar_len, files, nfiles, text, text_len) < 0) {
        fprintf(stderr, "mkimage: internal error: the archive does not read back\n");
        goto out;
    }
    if (image_write(out, ar, ar_len) < 0) goto out;
    status = 0;
    goto out;

out_usage:
    status = usage();
out:
    free(ar);
    for (int i = 0; i < nfiles; i++) free(files[i].bytes);
    free(files);
    free(text);
    return status;
}
