/*
 * greet: the first module of docs/guide-c.md, in C against the takara ABI alone (the C
 * SDK's _start, tk_printf). Its twins in other languages print the same line:
 * greetwasi (C, wasi-libc), greetcpp (C++), greetas (AssemblyScript).
 */
#include <takara.h>
#include <tk_stdio.h>

int main(int argc, char **argv)
{
    tk_printf("hello, %s (C, pid %d)\n", argc > 1 ? argv[1] : "world", (int)tk_getpid());
    return 0;
}
