/*
 * kv: a key-value service. Requests (text, one per message):
 *
 *   set KEY VALUE   -> "ok"                 get KEY -> the value, or status NOENT
 *                      (VALUE is the rest of the line: it may hold spaces)
 *   del KEY         -> "ok" or NOENT        clients -> how many clients it serves now
 *   sum N + a memory-object handle -> "sum HEX": maps the object read-only and checksums
 *                                      its first N bytes (zero-copy bulk data)
 *   crash           -> traps (the supervision tests restart it)
 */
#include <stdbool.h>
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>
#include <tk_util.h>

#include "lib/fmt.h"
#include "lib/string.h"

#define KV_SLOTS 32
#define KV_TEXT  48

static struct {
    char key[KV_TEXT], value[KV_TEXT];
} kv_table[KV_SLOTS];
static tk_handle kv_clients[64];
static uint32_t kv_nclients;
static char kv_window[64 * 1024] __attribute__((aligned(TK_MEMORY_PAGE)));

static int kv_find(const char *key)
{
    for (int i = 0; i < KV_SLOTS; i++)
        if (kv_table[i].key[0] && !strcmp(kv_table[i].key, key)) return i;
    return -1;
}

/* Counts distinct clients seen and still connected (a closed one no longer answers). */
static uint32_t kv_count_clients(tk_handle client)
{
    uint32_t n = 0, seen;
    bool known = false;

    for (uint32_t i = 0; i < kv_nclients; i++) known |= kv_clients[i] == client;
    if (!known && kv_nclients < 64) kv_clients[kv_nclients++] = client;
    for (uint32_t i = 0; i < kv_nclients; i++)
        if (tk_object_wait_one(kv_clients[i], TK_SIGNAL_PEER_CLOSED, 0, &seen) == TK_ERR_TIMEOUT)
            n++; /* a handle the library closed reads as BAD_HANDLE: gone too */
    return n;
}

static int32_t kv_sum(const char *arg, const tk_handle *handles, uint32_t nhandles, char *reply,
                      uint32_t cap, uint32_t *reply_len)
{
    int64_t n;
    uint32_t h = 2166136261u;
    int32_t r;

    if (nhandles != 1 || !tk_parse_int(arg, &n) || n < 0 || n > (int64_t)sizeof kv_window)
        return TK_ERR_INVAL;
    if ((r = tk_memory_map(handles[0], (uint32_t)(uintptr_t)kv_window)) < 0) return r;
    for (int64_t i = 0; i < n; i++) h = (h ^ (uint8_t)kv_window[i]) * 16777619u;
    tk_memory_unmap((uint32_t)(uintptr_t)kv_window);
    *reply_len = (uint32_t)fmt_snprintf(reply, cap, "sum %08x", (unsigned)h);
    return 0;
}

static int32_t kv_serve(void *ctx, tk_handle client, const void *req, uint32_t len,
                        const tk_handle *handles, uint32_t nhandles, void *reply, uint32_t cap,
                        uint32_t *reply_len)
{
    char line[128], *words[3] = {NULL, NULL, NULL};
    int32_t r = 0;
    uint32_t n = 0;

    if (len >= sizeof line) return TK_ERR_RANGE;
    memcpy(line, req, len);
    line[len] = 0;
    for (char *p = line; *p && n < 3;) { /* words separated by single spaces */
        words[n++] = p;
        if (n == 3) break; /* the value: the rest of the line, spaces included */
        while (*p && *p != ' ') p++;
        if (*p) *p++ = 0;
    }
    if (n == 0)
        r = TK_ERR_INVAL;
    else if (!strcmp(words[0], "sum") && n == 2)
        r = kv_sum(words[1], handles, nhandles, reply, cap, reply_len);
    else if (!strcmp(words[0], "crash"))
        __builtin_trap();
    else if (!strcmp(words[0], "clients"))
        *reply_len = (uint32_t)fmt_snprintf(reply, cap, "%u", (unsigned)kv_count_clients(client));
    else if (!strcmp(words[0], "get") && n == 2) {
        int i = kv_find(words[1]);
        if (i < 0)
            r = TK_ERR_NOENT;
        else
            *reply_len = (uint32_t)fmt_snprintf(reply, cap, "%s", kv_table[i].value);
    } else if (!strcmp(words[0], "del") && n == 2) {
        int i = kv_find(words[1]);
        if (i < 0)
            r = TK_ERR_NOENT;
        else
            kv_table[i].key[0] = 0;
        *reply_len = (uint32_t)fmt_snprintf(reply, cap, "ok");
    } else if (!strcmp(words[0], "set") && n == 3 && strlen(words[1]) < KV_TEXT &&
               strlen(words[2]) < KV_TEXT) {
        int i = kv_find(words[1]);
        for (int k = 0; i < 0 && k < KV_SLOTS; k++)
            if (!kv_table[k].key[0]) i = k;
        if (i < 0)
            r = TK_ERR_LIMIT;
        else {
            strlcpy(kv_table[i].key, words[1], KV_TEXT);
            strlcpy(kv_table[i].value, words[2], KV_TEXT);
            *reply_len = (uint32_t)fmt_snprintf(reply, cap, "ok");
        }
    } else {
        r = TK_ERR_INVAL;
    }
    kv_count_clients(client);
    for (uint32_t i = 0; i < nhandles; i++) tk_handle_close(handles[i]);
    return r;
}

int main(int argc, char **argv)
{
    int32_t r = tk_service_serve(kv_serve, NULL);

    tk_printf("kv: cannot serve: %s\n", tk_error_name(r));
    return 1;
}
