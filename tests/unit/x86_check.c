/*
 * The llvm-mc side of the encoder tests (x86_check.h): writes each range's bytes as text,
 * a hlt after each, runs `llvm-mc-14 --disassemble` once over all of them, and splits the
 * output back into one text per range.
 */
#include "tests/unit/x86_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void x86_check_bytes(const struct x86_check *c, const struct x86_buf *b, int i, char *out,
                     size_t cap)
{
    size_t at = 0;

    out[0] = 0;
    for (uint32_t k = c->start[i]; k < c->end[i] && at + 6 < cap; k++)
        at += (size_t)snprintf(out + at, cap - at, "%s0x%02x", at ? " " : "", b->code[k]);
}

/* "\tmov\teax, ecx   # comment\n" -> "mov eax, ecx" */
static void normalise(char *line)
{
    char *p = line, *q = line, *hash = strchr(line, '#');

    if (hash) *hash = 0;
    while (*p == ' ' || *p == '\t') p++;
    for (; *p; p++) *q++ = *p == '\t' ? ' ' : *p;
    while (q > line && (q[-1] == ' ' || q[-1] == '\n')) q--;
    *q = 0;
}

int x86_check_disassemble(struct x86_check *c, const struct x86_buf *b)
{
    char in_path[] = "/tmp/x86-check-XXXXXX", cmd[128], line[256], bytes[128];
    int fd = mkstemp(in_path), i = 0, r = -1;
    FILE *in, *out;

    if (fd < 0) return -1;
    in = fdopen(fd, "w");
    for (int k = 0; k < c->n; k++) {
        x86_check_bytes(c, b, k, bytes, sizeof(bytes));
        fprintf(in, "%s 0xf4\n", bytes);
        c->got[k][0] = 0;
    }
    fclose(in);
    snprintf(cmd, sizeof(cmd),
             "llvm-mc-14 --disassemble -triple=x86_64 --output-asm-variant=1 < %s 2>&1", in_path);
    out = popen(cmd, "r");
    if (!out) goto out;
    while (fgets(line, sizeof(line), out)) {
        normalise(line);
        if (!line[0] || !strcmp(line, ".text")) continue;
        if (!strcmp(line, "hlt")) {
            i++;
            continue;
        }
        if (i >= c->n) break;
        if (c->got[i][0]) strncat(c->got[i], "; ", X86_CHECK_TEXT_MAX - strlen(c->got[i]) - 1);
        strncat(c->got[i], line, X86_CHECK_TEXT_MAX - strlen(c->got[i]) - 1);
    }
    r = pclose(out) == 0 ? 0 : -1; /* a swallowed hlt shows as a mismatch */
out:
    unlink(in_path);
    return r;
}
