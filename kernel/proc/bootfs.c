/*
 * The boot image: the ustar archive `boot.tar` handed over by the boot loader, read in
 * place through the direct map, and the cache of modules loaded from it (decoded,
 * validated, lowered and their imports resolved, once for every process running them). Loading
 * (decode, validate, lower) runs with interrupts on; only the cache list is a critical section, so
 * two processes loading the same module at once both load it and the second copy is dropped.
 */
#include "kernel/bootfs.h"

#include <stdbool.h>
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/abi.h"
#include "kernel/boot.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "lib/string.h"
#include "lib/tar.h"

static const uint8_t *image;
static size_t image_len;
static struct bootfs_module *modules;

int bootfs_init(void)
{
    const struct boot_module *bm = boot_find_module("boot.tar");
    struct tar_iter it;
    struct tar_entry e;
    int r, files = 0;

    if (!bm) return TK_ERR_NOENT;
    image = arch_phys_to_virt(bm->start);
    image_len = (size_t)(bm->end - bm->start);
    tar_iter_init(&it, image, image_len);
    while ((r = tar_iter_next(&it, &e)) > 0) files++;
    if (r < 0) {
        log_error("bootfs: boot.tar is damaged after %d files", files);
        image = NULL;
        return r;
    }
    log_info("bootfs: boot.tar, %d files, %lu bytes", files, (unsigned long)image_len);
    return 0;
}

int bootfs_find(const char *name, size_t name_len, const uint8_t **data, size_t *size)
{
    char path[64];
    struct tar_entry e;

    if (!image || name_len == 0 || name_len >= sizeof(path) || memchr(name, 0, name_len))
        return TK_ERR_NOENT;
    memcpy(path, name, name_len);
    path[name_len] = 0;
    if (tar_find(image, image_len, path, &e) < 0) return TK_ERR_NOENT;
    *data = e.data;
    *size = e.size;
    return 0;
}

int bootfs_entry(uint32_t index, struct tar_entry *out)
{
    struct tar_iter it;
    uint32_t i = 0;

    if (!image) return TK_ERR_NOENT;
    tar_iter_init(&it, image, image_len);
    while (tar_iter_next(&it, out) > 0) {
        if (i++ < index) continue;
        if (out->name[0] == '.' && out->name[1] == '/')
            memmove(out->name, out->name + 2, strlen(out->name + 2) + 1);
        return 0;
    }
    return TK_ERR_NOENT;
}

static struct bootfs_module *cache_find(const char *name, size_t name_len)
{
    for (struct bootfs_module *m = modules; m; m = m->next)
        if (strlen(m->name) == name_len && !memcmp(m->name, name, name_len)) return m;
    return NULL;
}

int bootfs_module_get(const char *name, size_t name_len, struct bootfs_module **out,
                      struct wasm_error *err)
{
    struct bootfs_module *m, *fresh;
    const uint8_t *data;
    size_t size;
    uint64_t flags = arch_irq_save();
    int r;

    if ((m = cache_find(name, name_len))) {
        m->refs++;
        arch_irq_restore(flags);
        *out = m;
        return 0;
    }
    arch_irq_restore(flags);
    if ((r = bootfs_find(name, name_len, &data, &size)) < 0) return r;
    if (!(fresh = kzalloc(sizeof(*fresh)))) return TK_ERR_NOMEM;
    memcpy(fresh->name, name, name_len); /* bootfs_find checked name_len < 64 */
    fresh->refs = 1;
    if ((r = wasm_module_load(data, size, &fresh->module, err)) < 0) {
        kfree(fresh);
        return r;
    }
    *err = (struct wasm_error){0};
    if ((r = abi_resolve(fresh->module, &fresh->imports, err->detail, sizeof(err->detail))) < 0) {
        err->code = r;
        err->reason = "unknown import";
        wasm_module_free(fresh->module);
        kfree(fresh);
        return r;
    }
    flags = arch_irq_save();
    if ((m = cache_find(name, name_len))) { /* loaded meanwhile by another process */
        m->refs++;
        arch_irq_restore(flags);
        kfree(fresh->imports);
        wasm_module_free(fresh->module);
        kfree(fresh);
        *out = m;
        return 0;
    }
    fresh->next = modules;
    modules = fresh;
    arch_irq_restore(flags);
    *out = fresh;
    return 0;
}

void bootfs_module_put(struct bootfs_module *m)
{
    uint64_t flags = arch_irq_save();
    bool last = --m->refs == 0;

    if (last) {
        for (struct bootfs_module **p = &modules; *p; p = &(*p)->next) {
            if (*p == m) {
                *p = m->next;
                break;
            }
        }
    }
    arch_irq_restore(flags);
    if (!last) return;
    kfree(m->imports);
    wasm_module_free(m->module);
    kfree(m);
}

uint32_t bootfs_module_count(void)
{
    uint32_t n = 0;
    uint64_t flags = arch_irq_save();

    for (struct bootfs_module *m = modules; m; m = m->next) n++;
    arch_irq_restore(flags);
    return n;
}
