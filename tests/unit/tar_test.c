/* lib/tar against archives made by GNU tar (the oracle), and damaged copies of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <takara/error.h>

#include "lib/tar.h"
#include "tests/unit/unit.h"
#include "tools/host/read_file.h"

static uint8_t *make_archive(size_t *len)
{
    char dir[] = "/tmp/takara-tar-XXXXXX", cmd[512];
    uint8_t *ar = NULL;

    if (!mkdtemp(dir)) return NULL;
    snprintf(cmd, sizeof(cmd),
             "cd %s && mkdir -p sub && printf 'hello' > a.txt && : > empty && "
             "head -c 1300 /dev/zero | tr '\\0' x > sub/big.bin && "
             "tar --format=ustar -cf t.tar a.txt empty sub",
             dir);
    if (system(cmd) == 0) {
        snprintf(cmd, sizeof(cmd), "%s/t.tar", dir);
        ar = host_read_file(cmd, len);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir); /* leave no temporary files behind */
    if (system(cmd) != 0) fprintf(stderr, "tar_test: could not remove %s\n", dir);
    return ar;
}

TEST(tar_finds_files)
{
    size_t len;
    uint8_t *ar = make_archive(&len);
    struct tar_entry e;

    CHECK(ar != NULL);
    CHECK_EQ(tar_find(ar, len, "a.txt", &e), 0);
    CHECK_EQ(e.size, 5);
    CHECK(memcmp(e.data, "hello", 5) == 0);
    CHECK_EQ(tar_find(ar, len, "empty", &e), 0);
    CHECK_EQ(e.size, 0);
    CHECK_EQ(tar_find(ar, len, "sub/big.bin", &e), 0);
    CHECK_EQ(e.size, 1300);
    CHECK(e.data[0] == 'x' && e.data[1299] == 'x');
    CHECK_EQ(tar_find(ar, len, "sub", &e), TK_ERR_NOENT); /* directories are not files */
    CHECK_EQ(tar_find(ar, len, "missing", &e), TK_ERR_NOENT);
    free(ar);
}

TEST(tar_damage_is_reported_not_overrun)
{
    size_t len;
    uint8_t *ar = make_archive(&len);
    struct tar_entry e;

    CHECK(ar != NULL);
    /* every truncation is either a clean miss or MALFORMED; ASan catches any overrun */
    for (size_t cut = 0; cut < len; cut += 97) {
        uint8_t *copy = malloc(cut ? cut : 1);
        int r;
        memcpy(copy, ar, cut);
        r = tar_find(copy, cut, "sub/big.bin", &e);
        CHECK(r == TK_ERR_MALFORMED || r == TK_ERR_NOENT ||
              (r == 0 && e.data + e.size <= copy + cut));
        free(copy);
    }
    ar[124] = '9'; /* not octal: the checksum and the size field both reject it */
    CHECK_EQ(tar_find(ar, len, "a.txt", &e), TK_ERR_MALFORMED);
    free(ar);
}
