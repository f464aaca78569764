/* cmd.h - what the subcommands share: their arguments, the connection,
 * blocking exchanges over the console's asynchronous client, and output
 * (tables, --json, errors on stderr). */
#ifndef CCON_CLI_CMD_H
#define CCON_CLI_CMD_H

#include "../tui/connection.h"
#include "exit.h"

#include <ccon/client.h>
#include <ccon/codec_command.h>
#include <ccon/error.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_MAX_ARGS 4

struct cli_args {
	bool json;
	const char *status;          /* audience --status */
	const char *csv;             /* send --csv */
	const char *layout;          /* send, validate --layout */
	int64_t campaign;            /* send --campaign */
	const char *schedule_at;
	const char *delay;
	const char *slicing;
	bool dry_run;
	const char *idempotency_key;
	bool all;                    /* retry-failed --all */
	bool progress;               /* validate: the bar (default: stderr is a terminal) */
	bool no_progress;
	long timeout_s;              /* 0: 15 */
	long retries;                /* 0: 3 */
	const char *args[CLI_MAX_ARGS];
	int n_args;
};

struct cli {
	const char *name;            /* the subcommand */
	struct cli_args a;
	struct conn_options conn_opts;
	struct connection conn;
	bool conn_open;
	struct ccon_client *client;
	bool color;                  /* stdout is a terminal and NO_COLOR is unset */
	size_t width;                /* stdout's columns; 0: no limit (not a terminal) */
};

/* ---- net.c */

/* The configuration, the server or the embedded engine, the client. The
 * exit status (0 ok), the reason on stderr. */
int cli_connect(struct cli *cli);
void cli_disconnect(struct cli *cli);
/* Runs the client until *done is set (by a callback). */
void cli_wait(struct cli *cli, const bool *done);

struct cli_answer {
	long status;                 /* 0: no answer */
	char *body;                  /* heap, NUL-terminated; NULL without one */
	size_t len;
	unsigned attempts;
	struct ccon_error err;
};

/* One request, waited for. The exit status for its outcome: 0 when it was
 * answered below 400, else the reason is on stderr (and in out->err). */
int cli_call(struct cli *cli, const struct ccon_request *rq, struct cli_answer *out);
void cli_answer_free(struct cli_answer *a);
/* A seed 002 command (method "get" or "delete"), waited for and decoded;
 * a "failure" answer is an error with its reason (its code is the HTTP
 * status the failure stands for). 0, or the exit status with the reason
 * on stderr. */
int cli_command(struct cli *cli, const char *method, const char *uri,
                struct ccon_command_answer *out);

/* A list read through seed 002's paging: uri ("/audiences/3?status=failed")
 * with $skip/$take (CCON_CMD_TAKE_MAX) added, page after page until
 * `total` rows came (or a page is empty). page decodes a resource: sets
 * *total and *count (its rows); -1 after reporting a decoding error. */
typedef int (*cli_page_fn)(void *ctx, const cJSON *resource, int64_t *total, size_t *count);
int cli_pages(struct cli *cli, const char *uri, cli_page_fn page, void *ctx);

/* ---- out.c */

/* "ccon NAME: WHAT: WHERE: MESSAGE" on stderr, sanitised (what may be
 * NULL); with --json also {"error": {...}} on stdout. Returns code. */
int cli_error(struct cli *cli, int code, long status, const char *what,
              const struct ccon_error *err);
/* A usage error: the message, then the subcommand's usage line. Returns 2. */
int cli_usage_error(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the JSON document on stdout (cJSON's layout, tab indents), every control,
 * DEL, C1, bidi or format character inside strings as \uXXXX, and frees
 * it. 0, or 1 when out of memory or stdout failed. */
int cli_print_json(cJSON *doc);
/* Writes the text on stdout. 0, or 1 when stdout failed. */
int cli_print_text(const struct ccon_strbuf *sb);
/* A string from outside, sanitised, as a table cell or a line: into sb. */
int cli_put_safe(struct ccon_strbuf *sb, const char *s);
/* {"code","message","path","line","column"} of an error (fields absent
 * when empty), or NULL when out of memory. */
cJSON *cli_error_json(const struct ccon_error *err);

/* ---- the subcommands */
int sub_campaigns(struct cli *cli);
int sub_report(struct cli *cli);
int sub_audience(struct cli *cli);
int sub_cancel(struct cli *cli);
int sub_retry_failed(struct cli *cli);
int sub_validate(struct cli *cli);
int sub_send(struct cli *cli);

/* Reads and parses a layout file (cmd_validate.c). 0, or the exit status
 * (2: unreadable, 3: invalid) with the reason on stderr. */
struct ccon_layout;
int cli_load_layout(struct cli *cli, const char *path, struct ccon_layout *out);

/* A campaign id argument: 1..INT64_MAX digits. -1 when it is not one. */
int cli_parse_id(const char *s, int64_t *out);

#endif
