/*
 * wasitest: an ordinary C program built with wasi-libc (no Takara header), run unmodified
 * on Takara and, as a check of the test itself, under node's WASI. Each line it prints
 * is a fact about one WASI function family, the same on any correct WASI host; the test
 * compares the two transcripts line by line.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

int main(int argc, char **argv)
{
    struct timespec a, b, r;
    unsigned char x[16], y[16];
    __wasi_size_t n;

    printf("wasitest: argc %d argv[1] %s argv[2] '%s'\n", argc, argc > 1 ? argv[1] : "-",
           argc > 2 ? argv[2] : "-");
    /* the environment is exactly what the parent passed (the shell: its variables and
     * the run line's NAME=value words) */
    extern char **environ;
    int nenv = 0;
    while (environ[nenv]) nenv++;
    printf("wasitest: HOME '%s' GREETING '%s' PATH %s, %d variables\n",
           getenv("HOME") ? getenv("HOME") : "-", getenv("GREETING") ? getenv("GREETING") : "-",
           getenv("PATH") ? "set" : "unset", nenv);
    clock_gettime(CLOCK_MONOTONIC, &a);
    sched_yield();
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, NULL); /* poll_oneoff with a clock subscription */
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long slept = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("wasitest: monotonic advanced by >= 20 ms: %s\n", slept >= 20000000 ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &r);
    printf("wasitest: realtime after 2020: %s\n", r.tv_sec > 1577836800 ? "yes" : "no");
    printf("wasitest: cputime readable: %s\n",
           clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &r) == 0 ? "yes" : "no");
    int rx = __wasi_random_get(x, sizeof x), ry = __wasi_random_get(y, sizeof y);
    printf("wasitest: random differs: %s\n", !rx && !ry && memcmp(x, y, sizeof x) ? "yes" : "no");
    fprintf(stderr, "wasitest: to stderr\n");
    /* what cannot be done is an errno, never a trap */
    __wasi_ciovec_t bad = {(const uint8_t *)0xfffffff0u, 100};
    /* a bad address is an error (EFAULT here; node answers EOVERFLOW), never a trap */
    printf("wasitest: fd_write bad buffer fails: %s\n",
           __wasi_fd_write(1, &bad, 1, &n) ? "yes" : "no");
    printf("wasitest: fd_write bad iovs fails: %s\n",
           __wasi_fd_write(1, (const __wasi_ciovec_t *)0xfffffff8u, 1, &n) ? "yes" : "no");
    __wasi_ciovec_t ok = {(const uint8_t *)"x", 1};
    printf("wasitest: fd_write fd 9 -> %d\n", __wasi_fd_write(9, &ok, 1, &n));
    printf("wasitest: args_sizes_get bad pointer fails: %s\n",
           __wasi_args_sizes_get((__wasi_size_t *)0xfffffffcu, &n) ? "yes" : "no");
    printf("wasitest: fopen /etc/passwd: %s\n", fopen("/etc/passwd", "r") ? "opened" : "refused");
    /* the preopened /boot: the boot image's files, read-only */
    FILE *f = fopen("/boot/manifest", "r");
    char line[80] = "";
    if (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        fseek(f, 0, SEEK_END);
        printf("wasitest: /boot/manifest: '%s', %ld bytes\n", line, ftell(f));
        fclose(f);
    } else {
        printf("wasitest: /boot/manifest: cannot read\n");
    }
    printf("wasitest: fopen /boot/nosuch: %s\n", fopen("/boot/nosuch", "r") ? "opened" : "refused");
    printf("wasitest: fopen /boot/manifest for writing: %s\n",
           fopen("/boot/manifest", "w") ? "opened" : "refused");
    fflush(stdout);
    return 7;
}
