/* The host unit-test runner: runs every registered test in registration order. */
#include <stdarg.h>
#include <stdio.h>

#include "tests/unit/unit.h"

static struct unit_test *first, **last = &first;
static const char *current;
static bool failed;

void unit_register(struct unit_test *t)
{
    *last = t;
    last = &t->next;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (failed) return;
    failed = true;
    printf("FAIL unit/%s: %s:%d: ", current, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

bool unit_failed(void)
{
    return failed;
}

int main(void)
{
    int nfail = 0;

    for (struct unit_test *t = first; t; t = t->next) {
        current = t->name;
        failed = false;
        t->fn();
        if (!failed) printf("PASS unit/%s\n", t->name);
        nfail += failed;
        fflush(stdout);
    }
    return nfail ? 1 : 0;
}
