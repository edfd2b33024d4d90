/*
 * wasipipe: an ordinary C program (wasi-libc) that its parent runs with stdin, stdout and
 * stderr on channels (modules/ipccheck). Modes:
 *   wasipipe           each stdin line back as "got: LINE", then "wasipipe: N lines" on
 *                      stderr at end of file; exits with N
 *   wasipipe flood N   N lines "line I", one write each (the reader's queue fills up:
 *                      the writes wait for room); exits 0
 *   wasipipe epipe     writes until a write fails; exits 32 if it failed with EPIPE
 *   wasipipe spin      loops forever (the shell's Ctrl-C test)
 *   wasipipe poll      poll_oneoff on stdin next to a clock: says which fired, echoes
 *                      what it reads, then reports end of file (hang-up), stdout writable
 *                      and fd 2 (not given) as an error; one write per line
 *   wasipipe close     writes a line, closes stdout, then says on stderr what a second
 *                      write and a second close answered; waits for end of file on stdin
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static void say(const char *s)
{
    write(1, s, strlen(s));
}

/* Polls fd for reading or writing next to a clock of `ms`: the first event. */
static __wasi_event_t poll_one(int fd, __wasi_eventtype_t type, unsigned ms)
{
    __wasi_subscription_t sub[2] = {0};
    __wasi_event_t ev[2] = {0};
    __wasi_size_t n = 0;

    sub[0].userdata = 1;
    sub[0].u.tag = type;
    sub[0].u.u.fd_read.file_descriptor = (__wasi_fd_t)fd;
    sub[1].userdata = 2;
    sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub[1].u.u.clock.timeout = ms * 1000000ull;
    if (__wasi_poll_oneoff(sub, ev, 2, &n) != 0 || n == 0) ev[0].userdata = 0;
    return ev[0];
}

static int poll_mode(void)
{
    char line[160], buf[64];
    __wasi_event_t ev = poll_one(0, __WASI_EVENTTYPE_FD_READ, 50);
    ssize_t got;

    say(ev.userdata == 2 ? "poll: clock first\n" : "poll: stdin first?\n");
    ev = poll_one(0, __WASI_EVENTTYPE_FD_READ, 5000);
    snprintf(line, sizeof line, "poll: stdin %s error %d nbytes %llu\n",
             ev.userdata == 1 ? "readable" : "silent", ev.error,
             (unsigned long long)ev.fd_readwrite.nbytes);
    say(line);
    got = read(0, buf, sizeof buf - 1);
    snprintf(line, sizeof line, "poll: read '%.*s'\n", got > 0 ? (int)got - 1 : 0, buf);
    say(line);
    ev = poll_one(0, __WASI_EVENTTYPE_FD_READ, 5000);
    snprintf(line, sizeof line, "poll: stdin %s hang-up %d read %d\n",
             ev.userdata == 1 ? "readable" : "silent", ev.fd_readwrite.flags & 1,
             (int)read(0, buf, sizeof buf));
    say(line);
    ev = poll_one(1, __WASI_EVENTTYPE_FD_WRITE, 5000);
    snprintf(line, sizeof line, "poll: stdout %s\n", ev.userdata == 1 ? "writable" : "silent");
    say(line);
    ev = poll_one(2, __WASI_EVENTTYPE_FD_WRITE, 5000);
    snprintf(line, sizeof line, "poll: fd 2 error %d\n", ev.userdata == 1 ? ev.error : -1);
    say(line);
    return 0;
}

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
    if (argc > 1 && !strcmp(argv[1], "poll")) return poll_mode();
    if (argc > 1 && !strcmp(argv[1], "close")) {
        int w, c;
        say("before close\n");
        close(1);
        w = (int)write(1, "x\n", 2) < 0 ? errno : 0;
        c = close(1) < 0 ? errno : 0;
        snprintf(line, sizeof line, "write: %s, close: %s\n", w == EBADF ? "EBADF" : "?",
                 c == EBADF ? "EBADF" : "?");
        write(2, line, strlen(line));
        while (read(0, line, sizeof line) > 0) {
        }
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "spin")) {
        for (volatile unsigned i = 0;; i++) {
        }
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
