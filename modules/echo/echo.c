/*
 * echo: a service that answers every request with the request itself. Used by the IPC
 * tests (flood, ordering) and as the smallest example of tk_service_serve.
 */
#include <takara.h>
#include <tk_service.h>
#include <tk_stdio.h>

#include "lib/string.h"

static int32_t echo_serve(void *ctx, tk_handle client, const void *req, uint32_t len,
                          const tk_handle *handles, uint32_t nhandles, void *reply, uint32_t cap,
                          uint32_t *reply_len)
{
    for (uint32_t i = 0; i < nhandles; i++) tk_handle_close(handles[i]);
    memcpy(reply, req, len); /* len <= TK_SERVICE_MAX_MSG == cap */
    *reply_len = len;
    return 0;
}

int main(int argc, char **argv)
{
    int32_t r = tk_service_serve(echo_serve, NULL);

    tk_printf("echo: cannot serve: %s\n", tk_error_name(r));
    return 1;
}
