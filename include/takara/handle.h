/*
 * Handles, rights and signals of the `takara` ABI, shared by the kernel and modules.
 * A handle is a process-local 32-bit value naming a kernel object with a set of rights;
 * 0 is never a handle.
 */
#ifndef TAKARA_HANDLE_H
#define TAKARA_HANDLE_H

#include <stdint.h>

typedef uint32_t tk_handle;
#define TK_HANDLE_INVALID 0u

enum tk_right {
#define TK_RIGHT(name, bit, word) TK_RIGHT_##name = 1u << (bit),
#include <takara/rights.def>
#undef TK_RIGHT
};
#define TK_RIGHTS_ALL  0x7fu
#define TK_RIGHTS_SAME 0x80000000u /* duplicate/replace: keep the rights */

/* Signals an object asserts; waits name the ones they want. */
enum tk_signal {
    TK_SIGNAL_READABLE = 1u << 0,       /* a message is queued */
    TK_SIGNAL_WRITABLE = 1u << 1,       /* the peer's queue has room */
    TK_SIGNAL_PEER_CLOSED = 1u << 2,    /* the other end is gone (after its messages) */
    TK_SIGNAL_SIGNALED = 1u << 3,       /* an event's user signal */
    TK_SIGNAL_TIMER_FIRED = 1u << 4,    /* a timer's deadline passed */
    TK_SIGNAL_PROCESS_EXITED = 1u << 5, /* a process ended (process_status tells how) */
    TK_SIGNAL_THREAD_EXITED = 1u << 6,  /* a thread ended */
    TK_SIGNAL_IRQ = 1u << 7,            /* an IRQ object's source fired (masked until irq_ack) */
};

enum tk_object_type {
    TK_OBJ_NONE = 0,
    TK_OBJ_EVENT = 1,
    TK_OBJ_CHANNEL = 2,
    TK_OBJ_TIMER = 3,
    TK_OBJ_PORT = 4,
    TK_OBJ_MEMORY = 5,
    TK_OBJ_PROCESS = 6,
    TK_OBJ_THREAD = 7,
    TK_OBJ_MODULE = 8,    /* validated code, shared by the processes started from it */
    TK_OBJ_BOOTFS = 9,    /* the boot image, a directory of modules and files */
    TK_OBJ_RESOURCE = 10, /* authority over a kind of thing, and a range of it */
    TK_OBJ_IRQ = 11,      /* an interrupt line or vector bound to its holder */
    TK_OBJ_DMA = 12,      /* pinned, physically contiguous memory with a bus address */
};

/*
 * What a resource grants. The kernel mints one root of each kind at boot and gives them
 * to init alone; init derives narrower ones (resource_derive) for the
 * services the manifest names. Kinds with a range (IRQ, IOPORT, MMIO, DMA) grant only
 * [base, base + size); the others have base = size = 0.
 */
enum tk_resource_kind {
    TK_RESOURCE_CONSOLE = 1, /* read and write the console */
    TK_RESOURCE_POWER = 2,   /* power the machine off */
    TK_RESOURCE_SYSINFO = 3, /* list processes, read kernel counters */
    TK_RESOURCE_CODE = 4,    /* turn bytes into module objects */
    TK_RESOURCE_IRQ = 5,     /* interrupt lines [base, base + size) */
    TK_RESOURCE_IOPORT = 6,  /* I/O ports [base, base + size) */
    TK_RESOURCE_MMIO = 7,    /* physical addresses [base, base + size), never RAM */
    TK_RESOURCE_DMA = 8,     /* size: bytes of DMA memory its holders may pin */
};

/* What resource_info tells. */
struct tk_resource_info {
    uint32_t kind; /* enum tk_resource_kind */
    uint32_t reserved;
    uint64_t base, size;
};
_Static_assert(sizeof(struct tk_resource_info) == 24, "ABI layout");

#define TK_MEMORY_PAGE      4096u /* memory objects are counted and mapped in these */
#define TK_MEMORY_MAX_PAGES 4096u /* 16 MiB per object */

/* What port_wait returns: the key a watch was made with, and the signals that fired. */
struct tk_port_packet {
    uint64_t key;
    uint32_t signals;
    uint32_t reserved;
};
_Static_assert(sizeof(struct tk_port_packet) == 16, "ABI layout");

#define TK_PORT_MAX_WATCHES 256u

struct tk_handle_info {
    uint32_t type;   /* enum tk_object_type */
    uint32_t rights; /* TK_RIGHT_* */
    uint64_t koid;   /* the object's id, unique for the system's life */
};
_Static_assert(sizeof(struct tk_handle_info) == 16, "ABI layout");

/* One handle of a process, as proc_handles lists it. */
struct tk_handle_entry {
    tk_handle handle;
    uint32_t type;   /* enum tk_object_type */
    uint32_t rights; /* TK_RIGHT_* */
    uint32_t reserved;
    uint64_t koid;
};
_Static_assert(sizeof(struct tk_handle_entry) == 24, "ABI layout");

/* channel_read's sizes: what the message needs (and what was read). */
struct tk_channel_sizes {
    uint32_t bytes, handles;
};
_Static_assert(sizeof(struct tk_channel_sizes) == 8, "ABI layout");

/*
 * Device objects (docs/devices.md). Interrupt sources, as IRQ resources and irq_create
 * number them: lines of the interrupt controller from 0 (on PCs, 0-15 are the ISA IRQs,
 * through the firmware's overrides, and 16 on the I/O APIC's further inputs), then MSI
 * slots: TK_IRQ_MSI_BASE + k is slot k, for which the kernel allocates a vector.
 */
#define TK_IRQ_MSI_BASE  0x100u
#define TK_IRQ_MSI_SLOTS 64u

/* What irq_info tells. For an MSI slot, the address/data pair the device must write
 * (its PCI MSI capability is programmed with them); 0 for a line. */
struct tk_irq_info {
    uint32_t source; /* the line, or TK_IRQ_MSI_BASE + slot */
    uint32_t vector; /* the CPU vector it arrives on */
    uint64_t msi_address;
    uint32_t msi_data;
    uint32_t masked; /* 1 while masked (fired and not acked, or irq_mask) */
    uint64_t count;  /* how many times it fired */
};
_Static_assert(sizeof(struct tk_irq_info) == 32, "ABI layout");

#define TK_DMA_MAX_BYTES (4u << 20) /* one buffer: 4 MiB of contiguous pages at most */

/* What dma_info tells: the bus address devices use, and the size. */
struct tk_dma_info {
    uint64_t bus_address;
    uint64_t size; /* bytes, a multiple of TK_MEMORY_PAGE */
};
_Static_assert(sizeof(struct tk_dma_info) == 16, "ABI layout");

#define TK_CHANNEL_MAX_BYTES   65536u
#define TK_CHANNEL_MAX_HANDLES 64u
#define TK_CHANNEL_MAX_QUEUED  64u /* messages waiting at one end */

#endif
