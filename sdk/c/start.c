/*
 * Module entry for C programs: `_start` fetches the process's arguments from the kernel,
 * builds argv and calls main, then exits with main's result; `takara_abi` tells the kernel
 * which ABI version the module was built against (it refuses a module without it).
 */
#include <takara.h>

int main(int argc, char **argv);

#define START_ARGS_BYTES 1024 /* longer argument blocks are cut (the last word shortened) */
#define START_MAX_ARGS   64

static char start_args[START_ARGS_BYTES];
static char *start_argv[START_MAX_ARGS + 1];

__attribute__((export_name("takara_abi"))) int32_t takara_abi(void)
{
    return TAKARA_ABI_VERSION;
}

__attribute__((export_name("_start"))) void _start(void)
{
    int32_t size = tk_args_get(start_args, sizeof start_args - 1);
    uint32_t len, i, argc = 0;

    /* An error or a block that does not fit: keep what was copied, always terminated. */
    if (size < 0) size = 0;
    len = (uint32_t)size < sizeof start_args - 1 ? (uint32_t)size : sizeof start_args - 1;
    if (len > 0 && start_args[len - 1] != '\0') start_args[len++] = '\0';
    for (i = 0; i < len && argc < START_MAX_ARGS; argc++) {
        start_argv[argc] = &start_args[i];
        while (start_args[i] != '\0') i++;
        i++;
    }
    start_argv[argc] = NULL;
    tk_exit(main((int)argc, start_argv));
}
