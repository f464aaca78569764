/* term.h - the terminal: curses set-up and restore, and signals.
 *
 * Signals reach the event loop through a self-pipe: SIGWINCH, SIGTERM,
 * SIGHUP and SIGINT write their number to it, the loop polls its read end
 * (term_signal_fd) and asks term_signals() what came. A crash signal
 * (SIGSEGV, SIGABRT, SIGBUS, SIGFPE) restores the terminal with write(2)
 * and raises the signal again, so a crash never leaves the terminal raw. */
#ifndef CCON_TUI_TERM_H
#define CCON_TUI_TERM_H

#include <ccon/error.h>

#include <stdbool.h>

enum {
	TERM_SIG_RESIZE = 1u << 0,
	TERM_SIG_STOP = 1u << 1,    /* SIGTERM, SIGHUP or SIGINT */
};

/* Installs the handlers (before anything starts threads, so they inherit
 * the handlers). */
int term_signals_init(struct ccon_error *err);
int term_signal_fd(void);
/* The TERM_SIG_* bits that arrived since the last call; empties the pipe. */
unsigned term_signals(void);

/* Starts curses on the terminal. stderr_log: while curses runs, stderr goes
 * to this file (the embedded engine must not write on the screen); NULL
 * leaves it. */
int term_start(const char *stderr_log, struct ccon_error *err);
/* Restores the terminal (and stderr); safe to call twice. */
void term_stop(void);
/* Takes the terminal's new size after SIGWINCH. */
void term_resize(void);
bool term_colors(void);

#endif
