/*
 * The boot image (kernel/proc/bootfs.c): one ustar archive, the Multiboot module
 * `boot.tar`, holding the system's .wasm modules and the manifest. Read-only. Loaded
 * modules (decoded, validated, lowered) are cached and shared by every process running
 * them; the last process to let go frees its module.
 */
#ifndef TAKARA_KERNEL_BOOTFS_H
#define TAKARA_KERNEL_BOOTFS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/tar.h"
#include "wasm/wasm.h"

struct abi_import;

struct bootfs_module {
    char name[64];
    struct wasm_module *module;
    const struct abi_import **imports; /* the kernel's function for each import */
    uint32_t refs;
    struct bootfs_module *next;
};

/* Finds boot.tar among the boot modules: 0, or TK_ERR_NOENT / TK_ERR_MALFORMED. */
int bootfs_init(void);
/* A file of the image by name: 0 with *data and *size, or TK_ERR_NOENT. */
int bootfs_find(const char *name, size_t name_len, const uint8_t **data, size_t *size);
/* The index-th file of the image (0-based, in archive order): 0 with *out (a leading
 * "./" dropped from its name), or TK_ERR_NOENT past the last. */
int bootfs_entry(uint32_t index, struct tar_entry *out);
/* The loaded module `name` with its imports resolved against the kernel's (a reference
 * taken): 0, TK_ERR_NOENT, or a load error with *err (TK_ERR_UNLINKABLE: err->detail
 * names the import the kernel does not provide). */
int bootfs_module_get(const char *name, size_t name_len, struct bootfs_module **out,
                      struct wasm_error *err);
void bootfs_module_put(struct bootfs_module *m);
/* Modules currently loaded (for tests). */
uint32_t bootfs_module_count(void);

#endif
