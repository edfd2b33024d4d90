/* System imports: the process list and memory figures (TK_CAP_SYSINFO), the boot
 * image's files (TK_CAP_BOOTFS), power (TK_CAP_POWER). */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/abi.h"
#include "kernel/bootfs.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/mm/heap.h"
#include "kernel/obj.h"
#include "kernel/sched.h"
#include "kernel/panic.h"
#include "lib/string.h"

int abi_proc_list(struct process *p, uint64_t *s)
{
    uint32_t max = (uint32_t)s[1];
    struct tk_proc_info *out = abi_mem(p, (uint32_t)s[0], (uint64_t)max * sizeof(*out));

    s[0] = (uint32_t)(out ? proc_list(out, max) : (uint32_t)TK_ERR_FAULT);
    return 0;
}

int abi_proc_handles(struct process *p, uint64_t *s)
{
    uint32_t max = (uint32_t)s[2];
    struct tk_handle_entry *out = abi_mem(p, (uint32_t)s[1], (uint64_t)max * sizeof(*out));

    s[0] = out ? (uint32_t)proc_handles((int32_t)s[0], out, max) : (uint32_t)TK_ERR_FAULT;
    return 0;
}

int abi_mem_info(struct process *p, uint64_t *s)
{
    struct tk_mem_info *out = abi_mem(p, (uint32_t)s[0], sizeof(*out));

    if (!out) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    uint64_t kernel;
    uint64_t linear = proc_memory_total(&kernel);

    *out = (struct tk_mem_info){
        .total_bytes = pmm_total_pages() * PAGE_SIZE,
        .free_bytes = pmm_free_pages() * PAGE_SIZE,
        .process_bytes = linear,
        .process_kernel_bytes = kernel,
        .reserve_bytes = quota_reserve_pages() * PAGE_SIZE,
        .processes = proc_count(),
    };
    s[0] = (uint32_t)(0);
    return 0;
}

int abi_kernel_stats(struct process *p, uint64_t *s)
{
    struct tk_kernel_stats *out = abi_mem(p, (uint32_t)s[0], sizeof(*out));
    struct heap_stats heap;

    if (!out) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    heap_get_stats(&heap);
    *out = (struct tk_kernel_stats){
        .free_bytes = pmm_free_pages() * PAGE_SIZE,
        .heap_bytes = (heap.slab_pages + heap.large_pages) * PAGE_SIZE,
        .heap_blocks = (uint32_t)heap.live_objects,
        .objects = object_count(),
        .processes = proc_count(),
        .threads = thread_count(),
    };
    s[0] = 0;
    return 0;
}

int abi_bootfs_read(struct process *p, uint64_t *s)
{
    char name[sizeof(((struct tar_entry *)0)->name) - 1]; /* read once, then looked up */
    uint32_t name_len = (uint32_t)s[1];
    uint64_t offset = s[2];
    void *buf = abi_mem(p, (uint32_t)s[3], (uint32_t)s[4]);
    const uint8_t *data;
    size_t size, n;
    int res;

    if (!abi_mem_in(p, (uint32_t)s[0], name_len) || !buf) {
        s[0] = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    res = name_len > sizeof name ? TK_ERR_NOENT : abi_copy_in(p, name, (uint32_t)s[0], name_len);
    if (res < 0 || (res = bootfs_find(name, name_len, &data, &size)) < 0) {
        s[0] = (uint32_t)res;
        return 0;
    }
    n = offset >= size ? 0 : size - offset;
    if (n > (uint32_t)s[4]) n = (uint32_t)s[4];
    if (n > INT32_MAX) n = INT32_MAX;
    memcpy(buf, data + offset, n);
    s[0] = (uint32_t)n;
    return 0;
}

int abi_poweroff(struct process *p, uint64_t *s)
{
    log_info("poweroff requested by process %d '%s' (code %d)", p->pid, p->name,
             (int)(uint32_t)s[0]);
    arch_qemu_exit((uint8_t)(uint32_t)s[0]); /* halts where there is no QEMU exit device */
}
