#include <string.h>

#include "kernel/cmdline.h"
#include "tests/unit/unit.h"

TEST(cmdline_lookup)
{
    const char *c = "loglevel=3  test=all panic=exit test2=x empty=";
    char buf[16];

    CHECK(cmdline_get(c, "test", buf, sizeof(buf)));
    CHECK_STR(buf, "all");
    CHECK(cmdline_get(c, "test2", buf, sizeof(buf)));
    CHECK_STR(buf, "x");
    CHECK(cmdline_get(c, "empty", buf, sizeof(buf)));
    CHECK_STR(buf, "");
    CHECK(!cmdline_get(c, "tes", buf, sizeof(buf)));
    CHECK(!cmdline_get(c, "level", buf, sizeof(buf)));
    CHECK(!cmdline_get("", "test", buf, sizeof(buf)));
}

TEST(cmdline_numbers_and_truncation)
{
    char buf[4];

    CHECK_EQ(cmdline_get_long("loglevel=3", "loglevel", 9), 3);
    CHECK_EQ(cmdline_get_long("n=-12", "n", 9), -12);
    CHECK_EQ(cmdline_get_long("n=1x", "n", 9), 9);
    CHECK_EQ(cmdline_get_long("m=1", "n", 9), 9);
    CHECK(cmdline_get("k=abcdef", "k", buf, sizeof(buf)));
    CHECK_STR(buf, "abc");
}
