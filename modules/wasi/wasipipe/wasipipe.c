/*
 * wasipipe: an ordinary C program (wasi-libc) that its parent runs with stdin, stdout and
 * stderr on channels (modules/ipccheck). Modes:
 *   wasipipe           each stdin line back as "got: LINE", then "wasipipe: N lines" on
 *                      stderr at end of file; exits with N
 *   wasipipe flood N   N lines "line I", one write each (the reader's queue fills up:
 *                      the writes wait for room); exits 0
 *   wasipipe epipe     writes until a write fails; exits 32 if it failed with EPIPE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char line[128];
    int n = 0;

    if (argc > 2 && !strcmp(argv[1], "flood")) {
        int count = atoi(argv[2]);
        for (int i = 0; i < count; i++) {
            int len = snprintf(line, sizeof line, "line %d\n", i);
            if (write(1, line, (size_t)len) != len) return 1;
        }
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "epipe")) {
        for (int i = 0; i < 1000; i++)
            if (write(1, "x\n", 2) < 0) return errno == EPIPE ? 32 : 1;
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        printf("got: %s\n", line);
        n++;
    }
    fflush(stdout);
    fprintf(stderr, "wasipipe: %d lines\n", n);
    return n;
}
