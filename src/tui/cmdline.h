/* cmdline.h - the bottom line's editor, for `:` commands and the `/`
 * filter: GNU readline's callback interface fed the keys the console's
 * loop read. Curses owns the terminal: readline never reads it (its getc
 * takes the bytes of one key at a time), never writes it (its output goes
 * to /dev/null, its terminal preparation does nothing, it catches no
 * signal) and the line is drawn by curses from rl_line_buffer and
 * rl_point, through the one sanitiser.
 *
 * Each kind of line has its own history (Up, Down, C-r), kept in
 * $XDG_STATE_HOME/ccon/history (commands) and .../filter-history (filters),
 * CMDLINE_HISTORY_MAX lines each, read at start and appended on exit.
 * Readline is one global state, so there is one line at a time. */
#ifndef CCON_TUI_CMDLINE_H
#define CCON_TUI_CMDLINE_H

#include <ccon/error.h>
#include <ccon/keyspec.h>

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

struct app;

#define CMDLINE_HISTORY_MAX 500

enum cmdline_kind { CMDLINE_COMMAND, CMDLINE_FILTER, CMDLINE_KINDS };

/* Candidates for completing a whole line (cmdline_match adds one). */
struct cmdline_matches;
void cmdline_match(struct cmdline_matches *m, const char *line);

struct cmdline_ops {
	/* after every edit, the whole line (NULL: not wanted) */
	void (*changed)(void *ctx, const char *text);
	/* the line ended: Enter gives it, Esc, C-g or C-d on an empty line
	 * give NULL. The callback may open another line. */
	void (*done)(void *ctx, const char *text);
	/* Tab: every whole line that completes line, the text before the
	 * cursor (NULL: no completion). The list of matches Tab Tab shows
	 * leaves out a candidate's first word when it has more than one. */
	void (*complete)(void *ctx, const char *line, struct cmdline_matches *out);
};

/* Sets readline up (before curses starts) and reads the histories from
 * state_dir (NULL: none kept). */
void cmdline_init(const char *state_dir);
/* Appends the lines of this run to the history files: 0, or -1 with err. */
int cmdline_save(struct ccon_error *err);
/* Drops the histories and an open line. */
void cmdline_free(void);

/* Opens a line of that kind after label (":", "/"), holding text. */
void cmdline_open(enum cmdline_kind kind, const char *label, const char *text,
                  const struct cmdline_ops *ops, void *ctx);
bool cmdline_active(void);
/* One key for the open line. */
void cmdline_key(struct ccon_key key);
/* Whether the line or its hint changed since the last call. */
bool cmdline_changed(void);
/* The line at y, width columns. */
void cmdline_draw(WINDOW *w, int y, int width);
/* The matches Tab listed (shown over the line above), "" when none. */
const char *cmdline_hint(void);

/* The `:` commands: a table for the help overlay and the completion. */
struct cmdline_command {
	const char *name;
	const char *alias;           /* NULL: none */
	const char *args;            /* usage of the arguments, NULL: none */
	const char *help;
	const char *pane;            /* taken by this pane (its command op); NULL: global */
};
const struct cmdline_command *cmdline_commands(size_t *n);
/* Opens the `:` line of the console. */
void cmdline_command_open(struct app *app);
/* Runs one command line (what follows the ':'): what it says, if anything,
 * goes to app_message. */
void cmdline_run(struct app *app, const char *line);
/* A command's FILE argument as a path: surrounding blanks dropped, a
 * leading "~/" under $HOME. */
void cmdline_path(const char *args, char *buf, size_t size);

#endif
