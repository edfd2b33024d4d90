/*
 * shell: the interactive shell on the serial console (service `shell` in the boot
 * manifest). Reads a line (line.c), runs it (commands.c), reports background jobs that
 * ended before each prompt. The prompt is `takara> `.
 */
#include <takara.h>
#include <tk_stdio.h>

#include "modules/shell/shell.h"

int main(int argc, char **argv)
{
    static char line[SHELL_LINE_MAX];

    commands_init();
    tk_puts("Takara OS shell; type 'help' for commands");
    for (;;) {
        int r;

        commands_reap();
        r = line_read("takara> ", line);
        if (r < 0) {
            tk_printf("shell: console: %s (%s)\n", tk_error_name(r), tk_strerror(r));
            return 1;
        }
        commands_run(line);
    }
}
