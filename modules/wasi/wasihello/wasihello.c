/*
 * wasihello: the smallest WASI program of ordinary C (wasi-libc's printf), for the
 * start-up benchmark next to the native modules/hello (make bench-proc).
 */
#include <stdio.h>

int main(void)
{
    printf("hello from WASI\n");
    return 0;
}
