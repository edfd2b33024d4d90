/*
 * greetwasi: the WASI half of docs/guide-c.md, an ordinary C program built with wasi-libc
 * that knows nothing of Takara (it runs under any WASI host as well).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello, %s (C, WASI)\n", argc > 1 ? argv[1] : "world");
    return 0;
}
