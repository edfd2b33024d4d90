/* arch_setjmp/arch_longjmp (the kernel's trap landing) run on the host too: same ABI. */
#include "arch/arch.h"
#include "tests/unit/unit.h"

static struct arch_jmpbuf landing;

__attribute__((noinline)) static void jump_back(int v)
{
    arch_longjmp(&landing, v);
}

TEST(setjmp_returns_twice)
{
    volatile int passes = 0;
    int r = arch_setjmp(&landing);

    passes++;
    if (r == 0) {
        jump_back(42);
        CHECK(0);
    }
    CHECK_EQ(r, 42);
    CHECK_EQ(passes, 2);
    if (arch_setjmp(&landing) == 0)
        jump_back(0); /* 0 becomes 1, as with C's longjmp */
    else
        CHECK_EQ(passes, 2);
}
