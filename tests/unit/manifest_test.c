/*
 * lib/manifest: good manifests parse to the right fields, each mistake is reported with
 * its line and message, and hostile input is refused without a read out of bounds (the
 * unit build runs under ASan and UBSan; inputs are exact-size heap copies for that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <takara/caps.h>
#include <takara/error.h>
#include <takara/handle.h>

#include "lib/manifest.h"
#include "tests/unit/unit.h"

static struct manifest m;
static struct manifest_error e;

/* Parses `len` bytes from an exact-size heap copy, so ASan sees any overrun. */
static int parse_bytes(const char *text, size_t len)
{
    char *copy = malloc(len ? len : 1);
    int r;

    memcpy(copy, text, len);
    r = manifest_parse(copy, len, &m, &e);
    free(copy);
    return r;
}

static int parse(const char *text)
{
    return parse_bytes(text, strlen(text));
}

/* String `i` of the service's args. */
static const char *arg(const struct manifest_service *s, uint32_t i)
{
    const char *a = s->args;

    while (i--) a += strlen(a) + 1;
    return a;
}

TEST(manifest_every_key)
{
    const struct manifest_service *s;

    CHECK_EQ(parse("# Takara OS boot manifest.\n"
                   "[service shell]\n"
                   "module   = shell.wasm           # a file of the boot image\n"
                   "args     = -p \"takara> \" x\n"
                   "memory   = 4M\n"
                   "caps     = console spawn sysinfo\n"
                   "restart  = always\n"
                   "restarts = 7\n"
                   "reserve  = yes\n"
                   "orphans  = adopt\n"),
             0);
    CHECK_EQ(m.nservices, 1);
    s = &m.services[0];
    CHECK_STR(s->name, "shell");
    CHECK_STR(s->module, "shell.wasm");
    CHECK_EQ(s->argc, 3);
    CHECK_STR(arg(s, 0), "-p");
    CHECK_STR(arg(s, 1), "takara> ");
    CHECK_STR(arg(s, 2), "x");
    CHECK_EQ(s->args_len, 3 + 9 + 2);
    CHECK_EQ(s->memory, 4 * 1024 * 1024);
    CHECK_EQ(s->caps, TK_CAP_CONSOLE | TK_CAP_SPAWN | TK_CAP_SYSINFO);
    CHECK_EQ(s->restart, MANIFEST_RESTART_ALWAYS);
    CHECK_EQ(s->max_restarts, 7);
    CHECK_EQ(s->orphans, MANIFEST_ORPHANS_ADOPT);
    CHECK_EQ(s->envc, 0);
    CHECK(s->reserve);
    CHECK_EQ(parse("[service s]\nmodule = s.wasm\n"), 0);
    CHECK(!m.services[0].reserve); /* the default */
}

TEST(manifest_env_words)
{
    const struct manifest_service *s;
    size_t n;

    CHECK_EQ(parse("[service s]\nmodule = s.wasm\nenv = HOME=/boot LANG=C \"GREETING=hi there\" "
                   "EMPTY= _X1=a=b\n"),
             0);
    s = &m.services[0];
    CHECK_EQ(s->envc, 5);
    CHECK_EQ(s->env_len, 11 + 7 + 18 + 7 + 8);
    CHECK_STR(s->env, "HOME=/boot");
    CHECK_STR(s->env + 11 + 7, "GREETING=hi there");
    CHECK_STR(s->env + 11 + 7 + 18 + 7, "_X1=a=b");
    CHECK(manifest_env_word("PATH=/x", &n) && n == 4);
    CHECK(!manifest_env_word("PATH", &n));
    CHECK(!manifest_env_word("=x", &n));
    CHECK(!manifest_env_word("9A=x", &n));
    CHECK(!manifest_env_word("A-B=x", &n));
    CHECK_EQ(parse("[service s]\nmodule = s.wasm\nenv =\n"), 0);
    CHECK_EQ(m.services[0].env_len, 0);
}

TEST(manifest_uses_names_services_before_and_after)
{
    CHECK_EQ(parse("[service client]\nmodule = c.wasm\nuses = kv echo\n"
                   "[service echo]\nmodule = e.wasm\n[service kv]\nmodule = k.wasm\nuses =\n"),
             0);
    CHECK_EQ(m.services[0].uses, (1u << 1) | (1u << 2));
    CHECK_EQ(m.services[0].nuses, 2);
    CHECK_EQ(m.services[1].uses, 0);
    CHECK_EQ(m.services[2].uses, 0);
}

TEST(manifest_defaults_order_and_layout)
{
    CHECK_EQ(parse("\n   \n\t# only comments\n[service a]\nmodule=a.wasm\n"
                   "  [ service  b-2_x ]  # spaces inside the brackets\n"
                   "\tmodule\t=\tB.Wasm-1.wasm\t\r\n"
                   "caps =\nargs =   # nothing\n"
                   "restart = never\r\nrestarts = 0\nmemory = 64k"), /* no final newline */
             0);
    CHECK_EQ(m.nservices, 2);
    CHECK_STR(m.services[0].name, "a");
    CHECK_STR(m.services[0].module, "a.wasm");
    CHECK_EQ(m.services[0].argc, 0);
    CHECK_EQ(m.services[0].args_len, 0);
    CHECK_EQ(m.services[0].memory, MANIFEST_DEFAULT_MEMORY);
    CHECK_EQ(m.services[0].caps, 0);
    CHECK_EQ(m.services[0].restart, MANIFEST_RESTART_ON_TRAP);
    CHECK_EQ(m.services[0].max_restarts, MANIFEST_DEFAULT_RESTARTS);
    CHECK_EQ(m.services[0].orphans, MANIFEST_ORPHANS_END);
    CHECK_STR(m.services[1].name, "b-2_x");
    CHECK_STR(m.services[1].module, "B.Wasm-1.wasm");
    CHECK_EQ(m.services[1].memory, 65536);
    CHECK_EQ(m.services[1].restart, MANIFEST_RESTART_NEVER);
    CHECK_EQ(m.services[1].max_restarts, 0);
    CHECK_EQ(parse(""), 0);
    CHECK_EQ(m.nservices, 0);
}

TEST(manifest_memory_sizes)
{
    static const struct {
        const char *text;
        uint64_t bytes;
    } ok[] = {
        {"65536", 65536},      {"128K", 131072}, {"1m", 1 << 20},          {"4G", 1ull << 32},
        {"4096M", 1ull << 32}, {"0064K", 65536}, {"4194304k", 1ull << 32},
    };
    char buf[128];

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        snprintf(buf, sizeof(buf), "[service s]\nmodule = s.wasm\nmemory = %s\n", ok[i].text);
        CHECK_EQ(parse(buf), 0);
        CHECK_EQ(m.services[0].memory, ok[i].bytes);
    }
}

TEST(manifest_args_quotes_and_escapes)
{
    const struct manifest_service *s;

    CHECK_EQ(parse("[service s]\nmodule = s.wasm\n"
                   "args = \"\" a\"b c\"d \\\"q\\\" \"x\\\\y\" \"# not a comment\" z # comment\n"),
             0);
    s = &m.services[0];
    CHECK_EQ(s->argc, 6);
    CHECK_STR(arg(s, 0), "");
    CHECK_STR(arg(s, 1), "ab cd");
    CHECK_STR(arg(s, 2), "\"q\"");
    CHECK_STR(arg(s, 3), "x\\y");
    CHECK_STR(arg(s, 4), "# not a comment");
    CHECK_STR(arg(s, 5), "z");
    CHECK_EQ(s->args_len, 1 + 6 + 4 + 4 + 16 + 2);
}

TEST(manifest_split_args_alone)
{
    char out[16];
    uint32_t len = 99, argc = 99;
    const char *why = NULL;

    CHECK_EQ(manifest_split_args("  ls  -l\t/x ", 12, out, sizeof(out), 8, &len, &argc, &why), 0);
    CHECK_EQ(argc, 3);
    CHECK_EQ(len, 9);
    CHECK(memcmp(out, "ls\0-l\0/x\0", 9) == 0);
    CHECK_EQ(manifest_split_args("", 0, out, sizeof(out), 8, &len, &argc, &why), 0);
    CHECK_EQ(argc, 0);
    CHECK_EQ(len, 0);
    /* exactly full: 15 bytes and a NUL fit in 16, one more does not */
    CHECK_EQ(manifest_split_args("abcdefghijklmno", 15, out, 16, 8, &len, &argc, &why), 0);
    CHECK_EQ(len, 16);
    CHECK_EQ(manifest_split_args("abcdefghijklmnop", 16, out, 16, 8, &len, &argc, &why),
             TK_ERR_LIMIT);
    CHECK_STR(why, "words too long");
    CHECK_EQ(manifest_split_args("a b c", 5, out, 16, 2, &len, &argc, &why), TK_ERR_LIMIT);
    CHECK_STR(why, "too many words");
    CHECK_EQ(manifest_split_args("\"a b", 4, out, 16, 8, &len, &argc, &why), TK_ERR_INVAL);
    CHECK_STR(why, "unterminated quote");
    CHECK_EQ(manifest_split_args("a\\n", 3, out, 16, 8, &len, &argc, &why), TK_ERR_INVAL);
    CHECK_STR(why, "bad escape (only \\\" and \\\\)");
    CHECK_EQ(manifest_split_args("a\\", 2, out, 16, 8, &len, &argc, NULL), TK_ERR_INVAL);
    CHECK_EQ(manifest_split_args("a\0b", 3, out, 16, 8, &len, &argc, &why), TK_ERR_INVAL);
    CHECK_STR(why, "NUL byte");
}

TEST(manifest_cap_words)
{
    CHECK_EQ(manifest_cap_from_word("console", 7), TK_CAP_CONSOLE);
    CHECK_EQ(manifest_cap_from_word("bootfs", 6), TK_CAP_BOOTFS);
    CHECK_EQ(manifest_cap_from_word("consolex", 7), TK_CAP_CONSOLE); /* len counts */
    CHECK_EQ(manifest_cap_from_word("consol", 6), TK_ERR_NOENT);
    CHECK_EQ(manifest_cap_from_word("console\0", 8), TK_ERR_NOENT);
    CHECK_EQ(manifest_cap_from_word("", 0), TK_ERR_NOENT);
    CHECK_STR(manifest_cap_word(TK_CAP_SPAWN), "spawn");
    CHECK_STR(manifest_cap_word(TK_CAP_SYSINFO), "sysinfo");
    CHECK(manifest_cap_word(TK_CAP_CONSOLE | TK_CAP_SPAWN) == NULL);
    CHECK(manifest_cap_word(0) == NULL);
    CHECK(manifest_cap_word(1u << 30) == NULL);
    /* every bit of TK_CAP_ALL has a word that maps back to it */
    for (uint32_t bit = 1; bit && bit <= TK_CAP_ALL; bit <<= 1) {
        const char *w;
        if (!(TK_CAP_ALL & bit)) continue;
        w = manifest_cap_word(bit);
        CHECK(w != NULL);
        CHECK_EQ(manifest_cap_from_word(w, strlen(w)), bit);
    }
    CHECK_STR(manifest_restart_word(MANIFEST_RESTART_ON_TRAP), "on-trap");
    CHECK(manifest_restart_word(3) == NULL);
    CHECK_STR(manifest_orphans_word(MANIFEST_ORPHANS_ADOPT), "adopt");
    CHECK(manifest_orphans_word(2) == NULL);
}

/* Device grants: each word a resource, named by its key and place among that key's. */
TEST(manifest_device_grants)
{
    const struct manifest_service *s;
    char name[16];

    CHECK_EQ(parse("[service d]\nmodule = d.wasm\nirq = 4 0x100+2\nioport = 0x3f8-0x3ff 0x70+2\n"
                   "mmio = 0xfebf0000+0x1000 0xfed00000-0xfed00fff\ndma = 64K\n"),
             0);
    s = &m.services[0];
    CHECK_EQ(s->ngrants, 7);
    CHECK_EQ(s->grants[0].kind, TK_RESOURCE_IRQ);
    CHECK_EQ(s->grants[0].base, 4);
    CHECK_EQ(s->grants[0].size, 1);
    CHECK_EQ(s->grants[1].base, TK_IRQ_MSI_BASE);
    CHECK_EQ(s->grants[1].size, 2);
    CHECK_EQ(s->grants[2].kind, TK_RESOURCE_IOPORT);
    CHECK_EQ(s->grants[2].base, 0x3f8);
    CHECK_EQ(s->grants[2].size, 8);
    CHECK_EQ(s->grants[3].base, 0x70);
    CHECK_EQ(s->grants[3].size, 2);
    CHECK_EQ(s->grants[4].kind, TK_RESOURCE_MMIO);
    CHECK_EQ(s->grants[4].base, 0xfebf0000);
    CHECK_EQ(s->grants[4].size, 0x1000);
    CHECK_EQ(s->grants[5].base, 0xfed00000);
    CHECK_EQ(s->grants[5].size, 0x1000);
    CHECK_EQ(s->grants[6].kind, TK_RESOURCE_DMA);
    CHECK_EQ(s->grants[6].base, 0);
    CHECK_EQ(s->grants[6].size, 64 << 10);
    manifest_grant_name(s, 0, name, sizeof name);
    CHECK_STR(name, "irq0");
    manifest_grant_name(s, 1, name, sizeof name);
    CHECK_STR(name, "irq1");
    manifest_grant_name(s, 3, name, sizeof name);
    CHECK_STR(name, "ioport1");
    manifest_grant_name(s, 6, name, sizeof name);
    CHECK_STR(name, "dma0");
    manifest_grant_name(s, 2, name, 4); /* cut short, still terminated */
    CHECK_STR(name, "iop");
    CHECK_STR(manifest_grant_word(TK_RESOURCE_MMIO), "mmio");
    CHECK(manifest_grant_word(TK_RESOURCE_CONSOLE) == NULL);
    CHECK_EQ(parse("[service d]\nmodule = d.wasm\n"), 0);
    CHECK_EQ(m.services[0].ngrants, 0);
}

/* Each bad manifest: the code, the line and the message it must give. */
static const struct {
    const char *text;
    int code;
    uint32_t line;
    const char *message;
} bad[] = {
    {"[service s]\nmodule = s.wasm\nmemroy = 4M\n", TK_ERR_INVAL, 3, "unknown key 'memroy'"},
    {"[service s]\nmodule = s.wasm\nioport = 0x3ff-0x3f8\n", TK_ERR_INVAL, 3,
     "bad grant '0x3ff-0x3f8' (a port N, FIRST-LAST or BASE+COUNT, below 0x10000)"},
    {"[service s]\nmodule = s.wasm\nioport = 0xfff8+9\n", TK_ERR_INVAL, 3,
     "bad grant '0xfff8+9' (a port N, FIRST-LAST or BASE+COUNT, below 0x10000)"},
    {"[service s]\nmodule = s.wasm\nirq = 0x140\n", TK_ERR_INVAL, 3,
     "bad grant '0x140' (a line N, FIRST-LAST or BASE+COUNT)"},
    {"[service s]\nmodule = s.wasm\nirq = 4+0\n", TK_ERR_INVAL, 3,
     "bad grant '4+0' (a line N, FIRST-LAST or BASE+COUNT)"},
    {"[service s]\nmodule = s.wasm\nirq = four\n", TK_ERR_INVAL, 3,
     "bad grant 'four' (a line N, FIRST-LAST or BASE+COUNT)"},
    {"[service s]\nmodule = s.wasm\nmmio = 0xfebf0010+0x1000\n", TK_ERR_INVAL, 3,
     "bad grant '0xfebf0010+0x1000' (BASE+SIZE or FIRST-LAST, whole 4K pages)"},
    {"[service s]\nmodule = s.wasm\nmmio = 0xfffffffffffff000+0x2000\n", TK_ERR_INVAL, 3,
     "bad grant '0xfffffffffffff000+0x2000' (BASE+SIZE or FIRST-LAST, whole 4K pages)"},
    {"[service s]\nmodule = s.wasm\ndma = 0x1000+0x1000\n", TK_ERR_INVAL, 3,
     "bad grant '0x1000+0x1000' (a size in bytes, whole 4K pages, at most 4G)"},
    {"[service s]\nmodule = s.wasm\ndma = 100\n", TK_ERR_INVAL, 3,
     "bad grant '100' (a size in bytes, whole 4K pages, at most 4G)"},
    {"[service s]\nmodule = s.wasm\ndma = 8G\n", TK_ERR_INVAL, 3,
     "bad grant '8G' (a size in bytes, whole 4K pages, at most 4G)"},
    {"[service s]\nmodule = s.wasm\nirq = 1 2 3 4 5\nioport = 1 2 3 4\n", TK_ERR_LIMIT, 4,
     "too many device grants (at most 8)"},
    {"[service s]\nmodule = s.wasm\nirq = 4\nirq = 5\n", TK_ERR_INVAL, 4, "duplicate key 'irq'"},
    {"[service s]\nmodule = s.wasm\ndma =\n", TK_ERR_INVAL, 3, "missing value for 'dma'"},
    {"[service s]\nmodule = s.wasm\norphans = keep\n", TK_ERR_INVAL, 3,
     "unknown orphans policy 'keep' (end or adopt)"},
    {"\n[service shell]\nargs = x\n\n", TK_ERR_INVAL, 2, "service 'shell' has no module"},
    {"[service a]\n[service b]\nmodule = b.wasm\n", TK_ERR_INVAL, 1, "service 'a' has no module"},
    {"[service s]\nmodule = s.wasm\ncaps = console consol\n", TK_ERR_INVAL, 3,
     "unknown capability 'consol'"},
    {"[service s]\nmodule = s.wasm\ncaps = spawn spawn\n", TK_ERR_INVAL, 3,
     "capability 'spawn' given twice"},
    {"module = s.wasm\n", TK_ERR_INVAL, 1, "key 'module' outside a [service NAME] block"},
    {"[service s]\nmodule = s.wasm\nmodule = t.wasm\n", TK_ERR_INVAL, 3, "duplicate key 'module'"},
    {"[service s]\nmodule = s.wasm\n[service s]\nmodule = t.wasm\n", TK_ERR_INVAL, 3,
     "duplicate service 's'"},
    {"[service Shell]\n", TK_ERR_INVAL, 1, "bad service name 'Shell' (1 to 31 of a-z 0-9 _ -)"},
    {"[service a b]\n", TK_ERR_INVAL, 1, "bad service name 'a b' (1 to 31 of a-z 0-9 _ -)"},
    {"[service abcdefghijklmnopqrstuvwxyz012345]\n", TK_ERR_INVAL, 1,
     "bad service name 'abcdefghijklmnopqrstuvwxyz012345' (1 to 31 of a-z 0-9 _ -)"},
    {"[service ]\n", TK_ERR_INVAL, 1, "bad service name '' (1 to 31 of a-z 0-9 _ -)"},
    {"[services]\n", TK_ERR_INVAL, 1, "expected '[service NAME]'"},
    {"[driver x]\n", TK_ERR_INVAL, 1, "expected '[service NAME]'"},
    {"[service x\n", TK_ERR_INVAL, 1, "expected '[service NAME]'"},
    {"[service s]\nmodule s.wasm\n", TK_ERR_INVAL, 2, "expected 'key = value' or '[service NAME]'"},
    {"[service s]\n= s.wasm\n", TK_ERR_INVAL, 2, "expected 'key = value' or '[service NAME]'"},
    {"[service s]\nmodule = shell\n", TK_ERR_INVAL, 2, "module 'shell' does not end in .wasm"},
    {"[service s]\nmodule = .wasm\n", TK_ERR_INVAL, 2, "module '.wasm' does not end in .wasm"},
    {"[service s]\nmodule = a/b.wasm\n", TK_ERR_INVAL, 2,
     "bad module name 'a/b.wasm' (A-Z a-z 0-9 . _ -, at most 63)"},
    {"[service s]\nmodule =\n", TK_ERR_INVAL, 2, "missing value for 'module'"},
    {"[service s]\nmodule = s.wasm\nmemory = 4MB\n", TK_ERR_INVAL, 3,
     "bad memory size '4MB' (bytes, or a number with K, M or G)"},
    {"[service s]\nmodule = s.wasm\nmemory = -1\n", TK_ERR_INVAL, 3,
     "bad memory size '-1' (bytes, or a number with K, M or G)"},
    {"[service s]\nmodule = s.wasm\nmemory = K\n", TK_ERR_INVAL, 3,
     "bad memory size 'K' (bytes, or a number with K, M or G)"},
    {"[service s]\nmodule = s.wasm\nmemory = 100K\n", TK_ERR_INVAL, 3,
     "memory '100K' is not a positive multiple of 64K"},
    {"[service s]\nmodule = s.wasm\nmemory = 0\n", TK_ERR_INVAL, 3,
     "memory '0' is not a positive multiple of 64K"},
    {"[service s]\nmodule = s.wasm\nmemory = 4097M\n", TK_ERR_INVAL, 3,
     "memory '4097M' is over 4G"},
    {"[service s]\nmodule = s.wasm\nmemory = 99999999999999999999999G\n", TK_ERR_INVAL, 3,
     "memory '99999999999999999999999G' is over 4G"},
    {"[service s]\nmodule = s.wasm\nrestart = sometimes\n", TK_ERR_INVAL, 3,
     "unknown restart policy 'sometimes' (never, on-trap or always)"},
    {"[service s]\nmodule = s.wasm\nrestarts = 4294967296\n", TK_ERR_INVAL, 3,
     "bad restart count '4294967296' (0 to 4294967295)"},
    {"[service s]\nmodule = s.wasm\nrestarts = 3x\n", TK_ERR_INVAL, 3,
     "bad restart count '3x' (0 to 4294967295)"},
    {"[service s]\nmodule = s.wasm\nreserve = maybe\n", TK_ERR_INVAL, 3,
     "reserve must be yes or no, not 'maybe'"},
    {"[service s]\nmodule = s.wasm\nargs = \"open\n", TK_ERR_INVAL, 3, "unterminated quote"},
    {"[service s]\nmodule = s.wasm\nargs = a\\tb\n", TK_ERR_INVAL, 3,
     "args: bad escape (only \\\" and \\\\)"},
    {"[service s]\nmodule = s.wasm\nargs = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
     "21 22 23 24 25 26 27 28 29 30 31 32 33\n",
     TK_ERR_LIMIT, 3, "args: too many words"},
    {"[service s]\nmodule = s.wasm\nmemory = 1M # \x01\x7f\n[service s]\nmodule = \x1b[31m\n",
     TK_ERR_INVAL, 4, "duplicate service 's'"},
    {"[service s]\nmodule = \x1b[2J.wasm\n", TK_ERR_INVAL, 2,
     "bad module name '?[2J.wasm' (A-Z a-z 0-9 . _ -, at most 63)"},
    {"[service s]\nmodule = s.wasm\ncaps = console_and_a_very_long_word_that_goes_on_and_on\n",
     TK_ERR_INVAL, 3, "unknown capability 'console_and_a_very_long_word_that_goes_o...'"},
    {"[service a]\nmodule = a.wasm\nuses = b c\n[service b]\nmodule = b.wasm\n", TK_ERR_INVAL, 3,
     "uses unknown service 'c'"},
    {"[service a]\nmodule = a.wasm\nuses = a b c d e f g h i\n", TK_ERR_LIMIT, 3,
     "too many services in uses (at most 8)"},
    {"[service s]\nmodule = s.wasm\nenv = HOME\n", TK_ERR_INVAL, 3,
     "env: 'HOME' is not NAME=value"},
    {"[service s]\nmodule = s.wasm\nenv = 1X=2\n", TK_ERR_INVAL, 3,
     "env: '1X=2' is not NAME=value"},
    {"[service s]\nmodule = s.wasm\nenv = A=1 B=2 A=3\n", TK_ERR_INVAL, 3, "env: 'A' given twice"},
    {"[service s]\nmodule = s.wasm\nenv = \"A=1\n", TK_ERR_INVAL, 3, "unterminated quote"},
};

TEST(manifest_errors_name_line_and_cause)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int r = parse(bad[i].text);
        if (r != bad[i].code || e.line != bad[i].line || strcmp(e.message, bad[i].message)) {
            unit_fail(__FILE__, __LINE__, "case %zu: got %d at line %u \"%s\"", i, r, e.line,
                      e.message);
            return;
        }
    }
}

TEST(manifest_args_too_long)
{
    char text[512];
    size_t n = (size_t)snprintf(text, sizeof(text), "[service s]\nmodule = s.wasm\nargs = ");

    /* 25 words of 10 bytes and NUL: 275 bytes, over MANIFEST_ARGS_BYTES */
    for (int i = 0; i < 25; i++) n += (size_t)snprintf(text + n, sizeof(text) - n, "abcdefghij ");
    CHECK_EQ(parse(text), TK_ERR_LIMIT);
    CHECK_EQ(e.line, 3);
    CHECK_STR(e.message, "args: words too long");
}

TEST(manifest_hostile_input)
{
    size_t big = 1 << 20;
    char *text = malloc(big);
    size_t n = 0, full = 0;

    CHECK(text != NULL);
    /* a very long line, with and without a newline after it */
    memset(text, 'a', big);
    CHECK_EQ(parse_bytes(text, big), TK_ERR_INVAL);
    CHECK_EQ(e.line, 1);
    CHECK_STR(e.message, "line too long (at most 1024 bytes)");
    memcpy(text, "[service s]\nmodule = s.wasm\nargs = ", 35);
    text[big - 1] = '\n';
    CHECK_EQ(parse_bytes(text, big), TK_ERR_INVAL);
    CHECK_EQ(e.line, 3);
    /* a line of exactly the limit is read (here: a comment) */
    memset(text, '#', MANIFEST_MAX_LINE);
    CHECK_EQ(parse_bytes(text, MANIFEST_MAX_LINE), 0);
    CHECK_EQ(parse_bytes(text, MANIFEST_MAX_LINE + 1), TK_ERR_INVAL);

    /* NUL bytes anywhere in a line, even in a comment */
    CHECK_EQ(parse_bytes("[service s]\nmodule = s.wa\0sm\n", 29), TK_ERR_INVAL);
    CHECK_EQ(e.line, 2);
    CHECK_STR(e.message, "NUL byte in line");
    CHECK_EQ(parse_bytes("# \0\n", 4), TK_ERR_INVAL);
    CHECK_EQ(parse_bytes("\0", 1), TK_ERR_INVAL);

    /* 1000 services: the 17th header is refused */
    for (int i = 0; i < 1000; i++) {
        if (i == MANIFEST_MAX_SERVICES) full = n;
        n += (size_t)snprintf(text + n, big - n, "[service s%d]\nmodule = s.wasm\n", i);
    }
    CHECK_EQ(parse_bytes(text, n), TK_ERR_LIMIT);
    CHECK_EQ(e.line, 2 * MANIFEST_MAX_SERVICES + 1);
    CHECK_STR(e.message, "too many services (at most 16)");
    CHECK_EQ(parse_bytes(text, full), 0); /* exactly the limit is fine */
    CHECK_EQ(m.nservices, MANIFEST_MAX_SERVICES);
    CHECK_STR(m.services[MANIFEST_MAX_SERVICES - 1].name, "s15");

    /* every prefix of a good manifest parses or fails cleanly, never overruns */
    n = (size_t)snprintf(text, big,
                         "[service a]\nmodule = a.wasm\nargs = \"x y\" \\\\ z\nmemory = 2M\n"
                         "caps = console bootfs\nrestart = never\nrestarts = 9\n");
    for (size_t cut = 0; cut <= n; cut++) {
        int r = parse_bytes(text, cut);
        CHECK(r == 0 || r == TK_ERR_INVAL);
        CHECK(strlen(e.message) < sizeof(e.message));
    }
    /* random bytes: any verdict, but always a terminated message and no overrun */
    srand(1);
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(rand() % 300);
        for (size_t i = 0; i < len; i++) text[i] = "[]= \n\"\\#saz09.wK"[rand() % 16];
        int r = parse_bytes(text, len);
        CHECK(r == 0 || r == TK_ERR_INVAL || r == TK_ERR_LIMIT);
        CHECK(r == 0 || e.line >= 1);
        CHECK(memchr(e.message, 0, sizeof(e.message)) != NULL);
    }
    free(text);
}
