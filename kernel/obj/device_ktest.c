/*
 * In-kernel tests of the device objects (irq.c, dma.c) and of what the device imports
 * rely on: resources that only narrow, a real device interrupt (the RTC's periodic
 * interrupt on ISA IRQ 8) reaching an IRQ object, MSI slots, lines freed with their
 * object, DMA buffers charged and given back, and the RAM check of MMIO maps. Each test
 * ends with the kernel's counters where they started.
 */
#include <takara/error.h>

#include "arch/arch.h"
#include "kernel/boot.h"
#include "kernel/clock.h"
#include "kernel/ktest/ktest.h"
#include "kernel/mm.h"
#include "kernel/obj.h"

#define RTC_INDEX 0x70
#define RTC_DATA  0x71
#define WAIT_NS   2000000000ull /* generous: the RTC fires every ~1 ms */

static uint8_t rtc_read(uint8_t reg)
{
    arch_io_out(RTC_INDEX, 1, reg);
    return (uint8_t)arch_io_in(RTC_DATA, 1);
}

static void rtc_write(uint8_t reg, uint8_t v)
{
    arch_io_out(RTC_INDEX, 1, reg);
    arch_io_out(RTC_DATA, 1, v);
}

KTEST(device_resources_only_narrow)
{
    struct object *root, *line8, *wider, *port;
    uint32_t base = object_count();

    KT_ASSERT_EQ(resource_create(TK_RESOURCE_IRQ, 0, 16, &root), 0);
    KT_ASSERT_EQ(resource_derive(root, 8, 1, &line8), 0);
    KT_ASSERT_EQ(resource_derive(line8, 7, 2, &wider), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_derive(line8, 9, 1, &wider), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_derive(root, 15, 2, &wider), TK_ERR_ACCESS);
    KT_ASSERT_EQ(irq_create(line8, 9, &wider), TK_ERR_ACCESS);
    /* an IOPORT resource is no IRQ resource, whatever its range */
    KT_ASSERT_EQ(resource_create(TK_RESOURCE_IOPORT, 0, 16, &port), 0);
    KT_ASSERT_EQ(irq_create(port, 8, &wider), TK_ERR_ACCESS);
    KT_ASSERT_EQ(dma_create(port, 4096, NULL, &wider), TK_ERR_ACCESS);
    object_unref(port);
    object_unref(line8);
    object_unref(root);
    KT_ASSERT_EQ(object_count(), base);
}

/* The RTC's periodic interrupt: the device raises IRQ 8 until register C is read. */
KTEST(device_irq_receives_the_rtc)
{
    struct object *res, *irq, *again;
    struct tk_irq_info info;
    uint32_t base = object_count(), seen = 0, observed;
    uint8_t b;

    KT_ASSERT_EQ(resource_create(TK_RESOURCE_IRQ, 0, 16, &res), 0);
    KT_ASSERT_EQ(irq_create(res, 4, &irq), TK_ERR_BUSY); /* the console's line */
    KT_ASSERT_EQ(irq_create(res, 8, &irq), 0);
    KT_ASSERT_EQ(irq_create(res, 8, &again), TK_ERR_BUSY);
    irq_info(irq, &info);
    KT_ASSERT_EQ(info.source, 8);
    KT_ASSERT_EQ(info.count, 0);
    rtc_write(0x0a, (uint8_t)((rtc_read(0x0a) & 0xf0) | 6)); /* 1024 Hz */
    b = rtc_read(0x0b);
    rtc_write(0x0b, (uint8_t)(b | 0x40)); /* periodic interrupt on */
    rtc_read(0x0c);
    for (int i = 0; i < 3; i++) {
        KT_ASSERT_EQ(object_wait(irq, TK_SIGNAL_IRQ, clock_ns() + WAIT_NS, &observed), 0);
        seen++;
        irq_info(irq, &info);
        KT_ASSERT(info.masked);
        rtc_read(0x0c); /* the device's acknowledgement, then the kernel's */
        irq_ack(irq);
        KT_ASSERT(!(irq->signals & TK_SIGNAL_IRQ) || info.count > seen);
    }
    irq_mask(irq);
    rtc_write(0x0b, b);
    rtc_read(0x0c);
    irq_info(irq, &info);
    KT_ASSERT(info.count >= 3);
    KT_ASSERT(info.vector >= 32);
    object_unref(irq); /* the line is free again */
    KT_ASSERT_EQ(irq_create(res, 8, &again), 0);
    object_unref(again);
    object_unref(res);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(device_irq_msi_slots)
{
    struct object *res, *irq, *again;
    struct tk_irq_info info;
    uint32_t base = object_count(), observed;

    KT_ASSERT_EQ(resource_create(TK_RESOURCE_IRQ, TK_IRQ_MSI_BASE, TK_IRQ_MSI_SLOTS + 1, &res), 0);
    KT_ASSERT_EQ(irq_create(res, TK_IRQ_MSI_BASE + TK_IRQ_MSI_SLOTS, &irq), TK_ERR_RANGE);
    KT_ASSERT_EQ(irq_create(res, TK_IRQ_MSI_BASE + 1, &irq), 0);
    KT_ASSERT_EQ(irq_create(res, TK_IRQ_MSI_BASE + 1, &again), TK_ERR_BUSY);
    irq_info(irq, &info);
    KT_ASSERT_EQ(info.source, TK_IRQ_MSI_BASE + 1);
    KT_ASSERT_EQ(info.msi_address & 0xfff00000u, 0xfee00000u);
    KT_ASSERT_EQ(info.msi_data & 0xff, info.vector);
    arch_irq_msi_raise(1);
    KT_ASSERT_EQ(object_wait(irq, TK_SIGNAL_IRQ, clock_ns() + WAIT_NS, &observed), 0);
    /* a second message while masked is kept, and told at the ack */
    arch_irq_msi_raise(1);
    for (int spin = 0; spin < 1000000; spin++) {
        irq_info(irq, &info);
        if (info.count == 2) break;
    }
    KT_ASSERT_EQ(info.count, 2);
    irq_ack(irq);
    KT_ASSERT(irq->signals & TK_SIGNAL_IRQ);
    irq_ack(irq);
    KT_ASSERT(!(irq->signals & TK_SIGNAL_IRQ));
    irq_info(irq, &info);
    KT_ASSERT(!info.masked);
    object_unref(irq);
    KT_ASSERT_EQ(irq_create(res, TK_IRQ_MSI_BASE + 1, &again), 0);
    object_unref(again);
    object_unref(res);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(device_dma_buffers_are_contiguous_and_charged)
{
    struct object *res, *dma, *big;
    struct quota *q = quota_new(NULL, 1u << 20, 4, false);
    uint64_t free0, phys;
    uint32_t base = object_count(), pages;

    KT_ASSERT(q);
    KT_ASSERT_EQ(resource_create(TK_RESOURCE_DMA, 0, 64 << 10, &res), 0);
    KT_ASSERT_EQ(dma_create(res, (64 << 10) + 1, q, &big), TK_ERR_ACCESS);
    KT_ASSERT_EQ(dma_create(res, 0, q, &big), TK_ERR_RANGE);
    KT_ASSERT_EQ(dma_create(res, 5 * 4096, q, &big), TK_ERR_LIMIT); /* 4 pages allowed */
    KT_ASSERT_EQ(quota_used_pages(q), 0);
    KT_ASSERT_EQ(dma_create(res, 4096, q, &dma), 0); /* warms the heap up for its record */
    object_unref(dma);
    free0 = pmm_free_pages();
    KT_ASSERT_EQ(dma_create(res, 3 * 4096 - 100, q, &dma), 0);
    KT_ASSERT_EQ(quota_used_pages(q), 3);
    phys = dma_phys(dma, &pages);
    KT_ASSERT_EQ(pages, 3);
    KT_ASSERT_EQ(phys % PAGE_SIZE, 0);
    KT_ASSERT(phys + 3 * PAGE_SIZE <= (4ull << 30));
    KT_ASSERT(pmm_range_is_ram(phys, 3 * PAGE_SIZE)); /* never an MMIO map's */
    KT_ASSERT_EQ(pmm_free_pages(), free0 - 3);
    object_unref(dma);
    KT_ASSERT_EQ(quota_used_pages(q), 0);
    KT_ASSERT_EQ(pmm_free_pages(), free0);
    object_unref(res);
    quota_unref(q);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(device_mmio_never_maps_ram)
{
    uint64_t page;

    KT_ASSERT(pmm_range_is_ram(boot_info.kernel_phys_start, PAGE_SIZE));
    KT_ASSERT(pmm_range_is_ram(0x100000, PAGE_SIZE));
    KT_ASSERT_EQ(pmm_alloc_page(&page), 0);
    KT_ASSERT(pmm_range_is_ram(page, PAGE_SIZE));
    KT_ASSERT(pmm_range_is_ram(page - 3 * PAGE_SIZE, 4 * PAGE_SIZE)); /* its last page */
    pmm_free_page(page);
    KT_ASSERT(pmm_range_is_ram(0xfffffffffffff000ull, 0x2000)); /* wrapping */
    KT_ASSERT(!pmm_range_is_ram(0xfed00000, PAGE_SIZE));        /* the HPET's registers */
    KT_ASSERT(!pmm_range_is_ram(0xfebf0000, 0x1000));
}
