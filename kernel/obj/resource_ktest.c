/*
 * Resources: derivation only narrows, checks see exactly the granted range (its edges
 * and wrapping arithmetic included), and every resource is gone with its last reference.
 */
#include <takara/error.h>

#include "kernel/ktest/ktest.h"
#include "kernel/obj.h"

KTEST(resource_ranges_only_narrow)
{
    uint32_t base = object_count();
    struct object *root, *com1, *o;
    struct tk_resource_info info;

    KT_ASSERT_EQ(resource_create(TK_RESOURCE_IOPORT, 0, 0x10000, &root), 0);
    KT_ASSERT_EQ(resource_derive(root, 0x3f8, 8, &com1), 0);
    resource_info(com1, &info);
    KT_ASSERT(info.kind == TK_RESOURCE_IOPORT && info.base == 0x3f8 && info.size == 8);
    /* the edges of the range, and one past each */
    KT_ASSERT_EQ(resource_check(com1, TK_RESOURCE_IOPORT, 0x3f8, 8), 0);
    KT_ASSERT_EQ(resource_check(com1, TK_RESOURCE_IOPORT, 0x3ff, 1), 0);
    KT_ASSERT_EQ(resource_check(com1, TK_RESOURCE_IOPORT, 0x3f7, 1), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_check(com1, TK_RESOURCE_IOPORT, 0x400, 1), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_check(com1, TK_RESOURCE_IOPORT, 0x3fc, 8), TK_ERR_ACCESS);
    /* a size that wraps around must not pass as small */
    KT_ASSERT_EQ(resource_check(com1, TK_RESOURCE_IOPORT, 0x3f8, ~0ull), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_check(com1, TK_RESOURCE_IRQ, 0x3f8, 1), TK_ERR_ACCESS);
    /* narrowing again works, widening never: not even by one port */
    KT_ASSERT_EQ(resource_derive(com1, 0x3f9, 2, &o), 0);
    object_unref(o);
    KT_ASSERT_EQ(resource_derive(com1, 0x3f8, 9, &o), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_derive(com1, 0x2f8, 8, &o), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_derive(com1, 0x3f8, 0, &o), TK_ERR_RANGE);
    KT_ASSERT_EQ(resource_derive(root, ~0ull - 3, 8, &o), TK_ERR_ACCESS);
    object_unref(com1);
    object_unref(root);
    KT_ASSERT_EQ(object_count(), base);
}

KTEST(resource_kinds_without_range)
{
    uint32_t base = object_count();
    struct object *console, *o, *ev;

    KT_ASSERT_EQ(resource_create(TK_RESOURCE_CONSOLE, 0, 0, &console), 0);
    KT_ASSERT_EQ(resource_check(console, TK_RESOURCE_CONSOLE, 0, 0), 0);
    KT_ASSERT_EQ(resource_check(console, TK_RESOURCE_POWER, 0, 0), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_derive(console, 0, 0, &o), 0); /* a copy, nothing wider exists */
    KT_ASSERT_EQ(resource_check(o, TK_RESOURCE_CONSOLE, 0, 0), 0);
    object_unref(o);
    KT_ASSERT_EQ(resource_derive(console, 0, 1, &o), TK_ERR_RANGE);
    KT_ASSERT_EQ(resource_create(TK_RESOURCE_POWER, 0, 1, &o), TK_ERR_RANGE);
    KT_ASSERT_EQ(resource_create(TK_RESOURCE_IRQ, 0, 0, &o), TK_ERR_RANGE);
    KT_ASSERT_EQ(resource_create(0, 0, 0, &o), TK_ERR_INVAL);
    KT_ASSERT_EQ(resource_create(TK_RESOURCE_DMA + 1, 0, 0, &o), TK_ERR_INVAL);
    /* another object is no resource, whatever it is asked for */
    KT_ASSERT_EQ(event_create(&ev), 0);
    KT_ASSERT_EQ(resource_check(ev, TK_RESOURCE_CONSOLE, 0, 0), TK_ERR_ACCESS);
    KT_ASSERT_EQ(resource_derive(ev, 0, 0, &o), TK_ERR_WRONG_TYPE);
    object_unref(ev);
    object_unref(console);
    KT_ASSERT_EQ(object_count(), base);
}
