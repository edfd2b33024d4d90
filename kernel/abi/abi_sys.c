/* System imports: the process list and memory figures (TK_CAP_SYSINFO), the boot
 * image's files (TK_CAP_BOOTFS), power (TK_CAP_POWER). */
#include <takara/error.h>

#include "arch/x86_64/cpu.h"
#include "kernel/abi.h"
#include "kernel/bootfs.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "lib/string.h"

int abi_proc_list(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    uint32_t max = a[1].i32;
    struct tk_proc_info *out = abi_mem(p, a[0].i32, (uint64_t)max * sizeof(*out));

    r[0].i32 = out ? proc_list(out, max) : (uint32_t)TK_ERR_FAULT;
    return 0;
}

int abi_mem_info(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    struct tk_mem_info *out = abi_mem(p, a[0].i32, sizeof(*out));

    if (!out) {
        r[0].i32 = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    *out = (struct tk_mem_info){
        .total_bytes = pmm_total_pages() * PAGE_SIZE,
        .free_bytes = pmm_free_pages() * PAGE_SIZE,
        .process_bytes = proc_memory_total(),
        .processes = proc_count(),
    };
    r[0].i32 = 0;
    return 0;
}

int abi_bootfs_read(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    const char *name = abi_mem(p, a[0].i32, a[1].i32);
    uint64_t offset = a[2].i64;
    void *buf = abi_mem(p, a[3].i32, a[4].i32);
    const uint8_t *data;
    size_t size, n;
    int res;

    if (!name || !buf) {
        r[0].i32 = (uint32_t)TK_ERR_FAULT;
        return 0;
    }
    if ((res = bootfs_find(name, a[1].i32, &data, &size)) < 0) {
        r[0].i32 = (uint32_t)res;
        return 0;
    }
    n = offset >= size ? 0 : size - offset;
    if (n > a[4].i32) n = a[4].i32;
    if (n > INT32_MAX) n = INT32_MAX;
    memcpy(buf, data + offset, n);
    r[0].i32 = (uint32_t)n;
    return 0;
}

int abi_poweroff(struct process *p, const union wasm_value *a, union wasm_value *r)
{
    (void)r;
    log_info("poweroff requested by process %d '%s' (code %d)", p->pid, p->name, (int)a[0].i32);
    arch_qemu_exit((uint8_t)a[0].i32); /* halts where there is no QEMU exit device */
}
