/*
 * hello: the smallest module, used by tests to see that a process starts, gets its
 * arguments and exits with the code asked for. `hello [ARGS...] [exit=N]`: prints a
 * greeting and each argument, then exits with N (default 0).
 */
#include <takara.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/string.h"

int main(int argc, char **argv)
{
    int64_t code = 0;

    tk_puts("hello from Takara");
    for (int i = 1; i < argc; i++) {
        tk_printf("hello: argv[%d] = '%s'\n", i, argv[i]);
        if (strncmp(argv[i], "exit=", 5) == 0 && !tk_parse_int(argv[i] + 5, &code))
            tk_printf("hello: bad exit code '%s'\n", argv[i] + 5);
    }
    return (int)code;
}
