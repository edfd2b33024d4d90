/*
 * The kernel's device roots, minted once at boot for init alone (its startup handles
 * "irq", "ioport", "mmio", "dma"; docs/devices.md): every interrupt source, every I/O
 * port, the whole physical address space (mmio_map refuses RAM whatever a resource
 * says) and as much DMA memory as the machine has. Init derives from them what the
 * manifest grants each service; nothing else mints device authority.
 */
#include <takara/error.h>

#include "kernel/mm.h"
#include "kernel/proc.h"
#include "lib/string.h"

int device_roots_mint(struct proc_startup_handle *roots, uint32_t *n)
{
    static const struct {
        const char *name;
        uint32_t kind;
        uint64_t size; /* 0: from the machine's RAM */
    } rows[] = {
        {"irq", TK_RESOURCE_IRQ, TK_IRQ_MSI_BASE + TK_IRQ_MSI_SLOTS},
        {"ioport", TK_RESOURCE_IOPORT, 0x10000},
        {"mmio", TK_RESOURCE_MMIO, 1ull << 52},
        {"dma", TK_RESOURCE_DMA, 0},
    };
    int r;

    for (uint32_t i = 0; i < DEVICE_ROOTS; i++) {
        uint64_t size = rows[i].size ? rows[i].size : pmm_total_pages() * PAGE_SIZE;
        struct object *o;

        if ((r = resource_create(rows[i].kind, 0, size, &o)) < 0) {
            proc_startup_drop(roots, *n);
            return r;
        }
        memset(&roots[*n], 0, sizeof(roots[*n]));
        memcpy(roots[*n].name, rows[i].name, strlen(rows[i].name));
        roots[*n].obj = o;
        roots[*n].rights = TK_RIGHTS_ALL;
        (*n)++;
    }
    return 0;
}
