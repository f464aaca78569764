/* exit.h - the exit statuses of ccon's subcommands (ccon(1) EXIT STATUS).
 * 0, 1 and 2 mean what they mean for the console. */
#ifndef CCON_CLI_EXIT_H
#define CCON_CLI_EXIT_H

#include <ccon/error.h>

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,       /* the engine cannot start, a local I/O error, out of memory */
	CLI_EXIT_USAGE = 2,      /* options, the configuration file, the profile, the token */
	CLI_EXIT_INVALID = 3,    /* the input is invalid: a CSV row, the contacts, the
	                          * timing (found here, or the server's 400/422) */
	CLI_EXIT_AUTH = 4,       /* the server refused the token (401, 403) */
	CLI_EXIT_SERVER = 5,     /* the server refused otherwise: not found, conflict,
	                          * nothing to retry, no capacity, 5xx */
	CLI_EXIT_NETWORK = 6,    /* no answer: refused, reset, timed out, cut */
};

/* The status of a failed exchange: HTTP status (0: no answer) and the
 * error decoded from it (or the transport's). */
int cli_exit_for_status(long status, const struct ccon_error *err);
/* The status for an error alone, by its code (a failed dispatch, a local
 * check). */
int cli_exit_for_error(const struct ccon_error *err);
/* "ok", "usage", "invalid", "auth", "server", "network", "failure": the
 * --json error object's "exit" field. */
const char *cli_exit_name(int code);

#endif
