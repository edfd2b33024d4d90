/*
 * Line editing on a raw serial console: the shell echoes what is typed and redraws the
 * line with ANSI sequences. Keys: printable characters insert at the cursor; Backspace
 * (0x7f or 0x08) and Delete (ESC [ 3 ~) erase; Left/Right (ESC [ D / C) move; Up/Down
 * (ESC [ A / B) walk the history of the last LINE_HISTORY lines; Home/End or Ctrl-A/Ctrl-E
 * jump; Ctrl-U erases the line; Ctrl-C abandons it; Enter (CR, LF or CR LF) ends it.
 *
 * Input is read in blocks and kept between lines, so a pasted script (or a test feeding
 * the serial port) loses nothing.
 */
#include <takara.h>
#include <tk_stdio.h>

#include "lib/string.h"
#include "modules/shell/shell.h"

#define LINE_HISTORY 16

enum line_key {
    LINE_KEY_NONE,
    LINE_KEY_UP = 256,
    LINE_KEY_DOWN,
    LINE_KEY_LEFT,
    LINE_KEY_RIGHT,
    LINE_KEY_HOME,
    LINE_KEY_END,
    LINE_KEY_DELETE,
};

/* Bytes read from the console and not yet used. */
static char line_in[256];
static size_t line_in_pos, line_in_len;
static bool line_after_cr; /* the last Enter was a CR: a following LF is part of it */

/* The history, oldest first in a ring of LINE_HISTORY lines. */
static char line_history[LINE_HISTORY][SHELL_LINE_MAX];
static uint32_t line_history_count, line_history_next;

/* Waits for input and returns the next byte, or a negative error. */
static int line_getc(void)
{
    while (line_in_pos == line_in_len) {
        int32_t r = tk_console_read(line_in, sizeof line_in, -1);

        if (r == TK_ERR_TIMEOUT) continue;
        if (r < 0) return r;
        line_in_pos = 0;
        line_in_len = (size_t)r;
    }
    return (unsigned char)line_in[line_in_pos++];
}

bool line_poll_interrupt(void)
{
    int32_t r;

    /* Compact, then read what fits without waiting. */
    memmove(line_in, line_in + line_in_pos, line_in_len - line_in_pos);
    line_in_len -= line_in_pos;
    line_in_pos = 0;
    if (line_in_len < sizeof line_in) {
        r = tk_console_read(line_in + line_in_len, (uint32_t)(sizeof line_in - line_in_len), 0);
        if (r > 0) line_in_len += (size_t)r;
    }
    /* The first Ctrl-C, typed ahead or just now, is this job's; the rest stays queued.
     * One typed after an Enter belongs to the command that line runs, not to this job
     * (a kill that takes a while must not steal the next job's Ctrl-C). */
    for (size_t i = 0; i < line_in_len; i++) {
        if (line_in[i] == '\r' || line_in[i] == '\n') break;
        if (line_in[i] != 0x03) continue;
        memmove(line_in + i, line_in + i + 1, line_in_len - i - 1);
        line_in_len--;
        return true;
    }
    return false;
}

/* Decodes the rest of an escape sequence after ESC: a LINE_KEY_*, or NONE if unknown. */
static int line_read_escape(void)
{
    int c = line_getc(), param = 0;

    if (c != '[' && c != 'O') return c < 0 ? c : LINE_KEY_NONE;
    for (;;) {
        c = line_getc();
        if (c < 0) return c;
        if (c >= '0' && c <= '9') {
            param = param * 10 + (c - '0');
            if (param > 1000) param = 1000;
            continue;
        }
        break;
    }
    switch (c) {
    case 'A': return LINE_KEY_UP;
    case 'B': return LINE_KEY_DOWN;
    case 'C': return LINE_KEY_RIGHT;
    case 'D': return LINE_KEY_LEFT;
    case 'H': return LINE_KEY_HOME;
    case 'F': return LINE_KEY_END;
    case '~':
        if (param == 1 || param == 7) return LINE_KEY_HOME;
        if (param == 4 || param == 8) return LINE_KEY_END;
        if (param == 3) return LINE_KEY_DELETE;
        return LINE_KEY_NONE;
    default: return LINE_KEY_NONE; /* other final bytes: ignore the sequence */
    }
}

/* The line being edited and where the cursor is in it. */
struct line_state {
    const char *prompt;
    char *buf;
    size_t len, cur;
    int history_pos;            /* -1: the new line; else entries back from the newest */
    char saved[SHELL_LINE_MAX]; /* the new line, kept while walking the history */
};

/* Redraws the whole line: back to column 0, prompt, text, erase the rest, cursor. */
static void line_redraw(const struct line_state *s)
{
    tk_printf("\r%s%.*s\x1b[K", s->prompt, (int)s->len, s->buf);
    if (s->cur < s->len) tk_printf("\x1b[%uD", (unsigned)(s->len - s->cur));
}

static void line_insert(struct line_state *s, char c)
{
    if (s->len >= SHELL_LINE_MAX - 1) return;
    memmove(s->buf + s->cur + 1, s->buf + s->cur, s->len - s->cur);
    s->buf[s->cur++] = c;
    s->len++;
    /* Typing at the end is the common case: echo the byte rather than redraw. */
    if (s->cur == s->len)
        tk_write(&c, 1);
    else
        line_redraw(s);
}

static void line_erase(struct line_state *s, size_t at)
{
    memmove(s->buf + at, s->buf + at + 1, s->len - at - 1);
    s->len--;
    s->cur = at;
    if (s->cur == s->len)
        tk_write("\b \b", 3);
    else
        line_redraw(s);
}

/* Shows history entry `pos` back from the newest (-1: the line being typed). */
static void line_show_history(struct line_state *s, int pos)
{
    const char *text;

    if (pos >= (int)line_history_count || pos < -1) return;
    if (s->history_pos == -1) {
        memcpy(s->saved, s->buf, s->len);
        s->saved[s->len] = '\0';
    }
    s->history_pos = pos;
    if (pos == -1)
        text = s->saved;
    else
        text = line_history[(line_history_next + LINE_HISTORY - 1 - (uint32_t)pos) % LINE_HISTORY];
    s->len = s->cur = strlcpy(s->buf, text, SHELL_LINE_MAX);
    line_redraw(s);
}

static void line_remember(const char *line)
{
    const char *newest = line_history[(line_history_next + LINE_HISTORY - 1) % LINE_HISTORY];

    if (line[0] == '\0' || (line_history_count > 0 && strcmp(newest, line) == 0)) return;
    strlcpy(line_history[line_history_next], line, SHELL_LINE_MAX);
    line_history_next = (line_history_next + 1) % LINE_HISTORY;
    if (line_history_count < LINE_HISTORY) line_history_count++;
}

/* Applies one key; true when the line is finished. */
static bool line_key(struct line_state *s, int c)
{
    switch (c) {
    case '\r':
    case '\n': return true;
    case 0x7f:
    case 0x08:
        if (s->cur > 0) line_erase(s, s->cur - 1);
        return false;
    case LINE_KEY_DELETE:
        if (s->cur < s->len) line_erase(s, s->cur);
        return false;
    case LINE_KEY_LEFT:
        if (s->cur > 0) {
            s->cur--;
            tk_write("\x1b[D", 3);
        }
        return false;
    case LINE_KEY_RIGHT:
        if (s->cur < s->len) {
            s->cur++;
            tk_write("\x1b[C", 3);
        }
        return false;
    case 0x01:
    case LINE_KEY_HOME: s->cur = 0; break;
    case 0x05:
    case LINE_KEY_END: s->cur = s->len; break;
    case 0x15: s->len = s->cur = 0; break;
    case LINE_KEY_UP: line_show_history(s, s->history_pos + 1); return false;
    case LINE_KEY_DOWN: line_show_history(s, s->history_pos - 1); return false;
    case 0x03:
        /* Abandon the line: show ^C and start over with an empty one. */
        tk_printf("^C\n%s", s->prompt);
        s->len = s->cur = 0;
        s->history_pos = -1;
        return false;
    default:
        if (c >= 0x20 && c < 0x7f) line_insert(s, (char)c);
        return false; /* other control bytes and unknown keys are ignored */
    }
    line_redraw(s);
    return false;
}

int line_read(const char *prompt, char *line)
{
    static struct line_state s;

    s = (struct line_state){.prompt = prompt, .buf = line, .history_pos = -1};
    tk_printf("%s", prompt);
    for (;;) {
        int c = line_getc();

        if (c < 0) return c;
        if (c == '\n' && line_after_cr) {
            line_after_cr = false;
            continue;
        }
        line_after_cr = c == '\r';
        if (c == 0x1b) c = line_read_escape();
        if (c < 0) return c;
        if (line_key(&s, c)) break;
    }
    line[s.len] = '\0';
    tk_write("\n", 1);
    line_remember(line);
    return (int)s.len;
}
