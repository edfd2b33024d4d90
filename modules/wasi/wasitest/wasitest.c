/*
 * wasitest: an ordinary C program built with wasi-libc (no Takara header), run unmodified
 * on Takara and, as a check of the test itself, under node's WASI. Each line it prints
 * is a fact about one WASI function family, the same on any correct WASI host; the test
 * compares the two transcripts line by line.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

/* The boot image as a directory: readdir through wasi-libc, then fd_readdir by hand with
 * a buffer too small for one entry (a full buffer means: there is more). */
static void wasitest_readdir(void)
{
    DIR *d = opendir("/boot");
    struct dirent *e;
    int files = 0, manifest_type = -1, self = 0;
    unsigned char small[30];
    __wasi_size_t used = 0;

    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        files++;
        if (!strcmp(e->d_name, "manifest")) manifest_type = e->d_type;
        self += !strcmp(e->d_name, "wasitest.wasm");
    }
    if (d) closedir(d);
    printf("wasitest: /boot lists %d files, manifest %s, wasitest.wasm %s\n", files,
           manifest_type == DT_REG ? "regular" : "missing", self ? "listed" : "missing");
    int fd = open("/boot", O_RDONLY | O_DIRECTORY), file = open("/boot/manifest", O_RDONLY);
    int r = __wasi_fd_readdir(fd, small, sizeof small, 0, &used);
    printf("wasitest: fd_readdir into 30 bytes -> %d, used %u\n", r, (unsigned)used);
    printf("wasitest: fd_readdir on a file -> %d, on fd 99 -> %d\n",
           __wasi_fd_readdir(file, small, sizeof small, 0, &used),
           __wasi_fd_readdir(99, small, sizeof small, 0, &used));
    printf("wasitest: fd_readdir bad buffer fails: %s\n",
           __wasi_fd_readdir(fd, (uint8_t *)0xfffffff0u, 64, 0, &used) ? "yes" : "no");
    close(file);
    close(fd);
}

/* poll_oneoff with fd subscriptions next to a clock. (node's WASI refuses to poll a
 * file, EPERM: boot.sh leaves these lines out of the comparison.) */
static void wasitest_poll(void)
{
    int file = open("/boot/manifest", O_RDONLY);
    __wasi_subscription_t sub[3] = {0};
    __wasi_event_t ev[3];
    __wasi_size_t n = 0;

    sub[0].userdata = 10;
    sub[0].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    sub[0].u.u.fd_write.file_descriptor = 1;
    sub[1].userdata = 11;
    sub[1].u.tag = __WASI_EVENTTYPE_FD_READ;
    sub[1].u.u.fd_read.file_descriptor = file;
    sub[2].userdata = 12;
    sub[2].u.tag = __WASI_EVENTTYPE_CLOCK;
    sub[2].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub[2].u.u.clock.timeout = 5000000000ull;
    int r = __wasi_poll_oneoff(sub, ev, 3, &n);
    printf("wasitest: poll stdout+file+clock -> %d, %u events:", r, (unsigned)n);
    for (unsigned i = 0; i < n; i++)
        printf(" %llu/%d/%d/%llu", (unsigned long long)ev[i].userdata, ev[i].error, ev[i].type,
               (unsigned long long)ev[i].fd_readwrite.nbytes);
    printf("\n");
    sub[0].u.u.fd_write.file_descriptor = 99;
    r = __wasi_poll_oneoff(sub, ev, 1, &n);
    printf("wasitest: poll fd 99 -> %d, %u event error %d\n", r, (unsigned)n, ev[0].error);
    sub[0].u.tag = 7;
    printf("wasitest: poll bad tag -> %d\n", __wasi_poll_oneoff(sub, ev, 1, &n));
    printf("wasitest: poll bad pointers fail: %s %s\n",
           __wasi_poll_oneoff((const __wasi_subscription_t *)0xfffffff0u, ev, 1, &n) ? "yes" : "no",
           __wasi_poll_oneoff(sub + 2, ev, 1, (__wasi_size_t *)0xfffffffeu) ? "yes" : "no");
    close(file);
}

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
    /* node's timers may wake a little early on the host: 18 ms, as wasisuite allows */
    printf("wasitest: monotonic advanced by >= 18 ms across a 20 ms sleep: %s\n",
           slept >= 18000000 ? "yes" : "no");
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
    wasitest_readdir();
    wasitest_poll();
    printf("wasitest: environ_get bad pointers fail: %s\n",
           __wasi_environ_get((uint8_t **)0xfffffff0u, (uint8_t *)0xfffffff0u) ? "yes" : "no");
    fflush(stdout);
    return 7;
}
