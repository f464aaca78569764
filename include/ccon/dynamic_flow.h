/* ccon/dynamic_flow.h - seed 002's dynamic audiences (Beta) over struct
 * ccon_client and the command envelope: create a /campaign/v2 campaign (or
 * open one), add audiences to it in rounds (a list, or a CSV file with a
 * #contextvariables# column), read back the audience the SERVER holds, a
 * page at a time, and end with /dispatch/v2. Like send_flow.h: operations
 * queue requests and return at once, answers land from ccon_client_run()
 * and are kept here with a bitmask of what changed; results are borrowed
 * (valid until the next answer of the same kind). No curses.
 *
 * Requests (POST /commands):
 *   create    set /campaign/v2 with an Idempotency-Key, retried by the
 *             client with the same key. The key is derived from the flow's
 *             own random id and the resource: creating again with the same
 *             campaign after a lost answer reuses it, so ccond answers the
 *             first campaign again instead of making a second one.
 *   open      get /campaigns/{id}/summaries (its status) and, with an
 *             application id, GET /v1/applications/{app}/campaigns/{id}
 *             (its origin and the message's parameter names).
 *   round     set /audiences/v2/{id} with {"audiences": [...]}, or
 *             set /audiences/v2/{id}/file with the CSV text as the
 *             resource (type text/csv). ccond takes no Idempotency-Key on
 *             these (man/ccond.8: only creates and sends) and adds every
 *             round it gets, so a round is NEVER retried automatically:
 *             when no answer came (network failure, time-out) the round's
 *             outcome is unknown, the flow says so and re-reads the
 *             server's audience, and the operator decides from what the
 *             server holds. A refused round (status failure) added nothing
 *             (ccond: all or nothing) and keeps the server's reason, path,
 *             line and column, and for a CSV the refused rows.
 *   audience  get /audiences/{id}?$skip=&$take= (the server's copy).
 *   dispatch  set /dispatch/v2 {"campaignId"}; not retried either (a second
 *             one is refused by ccond): on no answer, the status is re-read.
 * After an accepted round or dispatch the flow re-reads the status and the
 * audience page it showed last.
 *
 * Once the campaign is known to be dispatched (its status is not "draft",
 * or dispatch succeeded, or ccond refused a round because of it), a round
 * is refused here without any request: CCON_E_CONFLICT "campaign ID was
 * dispatched: no audience can be added". A campaign not created with
 * /campaign/v2 (origin "full" or "rest") is refused the same way.
 *
 * CSV rounds: the file (at most CCON_DYN_CSV_MAX bytes) is read as ccond
 * reads it, with audience_csv.h: a column named "recipient" (any letter
 * case) holds the phone number, a column "#contextvariables#" the context
 * variables (a JSON object per row, plain in a quoted cell or
 * backslash-escaped as the seed shows), every other column is a message
 * parameter of its name. Each row is checked as ccond
 * will (the phone, ccon_audience_check against the message); the rows and
 * their errors (line, column) are kept as the preview of what will be sent.
 * A file with any error is not sent (ccond would refuse it whole).
 */
#ifndef CCON_DYNAMIC_FLOW_H
#define CCON_DYNAMIC_FLOW_H

#include <ccon/client.h>
#include <ccon/codec_campaign.h>
#include <ccon/codec_error.h>
#include <ccon/codec_reports.h>
#include <ccon/error.h>
#include <ccon/send_flow.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCON_DYN_CSV_MAX (8u << 20)   /* bytes of a CSV round */
#define CCON_DYN_CSV_ERRORS_MAX 100   /* CSV errors kept (the rest counted) */
#define CCON_DYN_ROW_ERRORS_MAX 20    /* refused rows kept from a server refusal */
#define CCON_DYN_CSV_TYPE "text/csv"

struct ccon_dynamic_flow;

enum {
	CCON_DYN_CAMPAIGN = 1u << 0,     /* created / opened / status re-read (or failed) */
	CCON_DYN_ROUND = 1u << 1,        /* a round answered, was refused or got no answer */
	CCON_DYN_AUDIENCE = 1u << 2,     /* a page of the server's audience (or failed) */
	CCON_DYN_DISPATCH = 1u << 3,     /* dispatch answered (or failed) */
};

/* What the flow knows of its campaign. */
struct ccon_dyn_campaign {
	char *id;                        /* NULL until created / opened */
	char *name;
	char *status;                    /* the server's: "draft", "scheduled", ... */
	char *origin;                    /* "v2", "full", "rest"; NULL when unknown */
	char *channel;                   /* "WhatsApp", "GoogleRcs", ... */
	struct ccon_campaign_message message;   /* template and parameter names */
	bool has_message;                /* message known (created here or read) */
	bool dispatched;                 /* no audience can be added any more */
	bool not_v2;                     /* origin says it is not a /campaign/v2 one */
	int64_t recipients;              /* the summary's counts.total; -1 unknown */
};

/* One round, as sent and as answered. */
struct ccon_dyn_round {
	unsigned number;                 /* 1, 2, ...: rounds this flow sent */
	bool csv;
	char *file;                      /* CSV: the file's path */
	size_t count;                    /* audiences sent */
	enum ccon_flow_state state;      /* RUNNING, DONE (accepted) or FAILED */
	bool unknown;                    /* FAILED without an answer: may have landed */
	int64_t accepted, duplicates, rejected;   /* DONE: the server's counts */
	struct ccon_api_error err;       /* FAILED: the reason (path, line, column) */
	struct ccon_api_error *rows;     /* refused CSV rows (at most
	                                  * CCON_DYN_ROW_ERRORS_MAX) */
	size_t n_rows;
	size_t rows_truncated;
};

/* A CSV file read for a round: the preview of what will be sent. */
struct ccon_dyn_csv {
	char *path;
	char *text;                      /* the file, sent as is */
	size_t len;
	char **columns;                  /* the header */
	size_t n_columns;
	struct ccon_audience_list rows;  /* every good row, as ccond will read it */
	long *lines;                     /* each good row's line */
	struct ccon_error *errors;       /* every problem, by line and column */
	size_t n_errors;
	size_t errors_truncated;
	size_t data_rows;                /* data rows in the file */
};

/* The client is borrowed; app_id 0 when unknown (open then cannot tell a
 * campaign's origin nor read its parameter names). */
int ccon_dynamic_flow_new(struct ccon_client *client, int64_t app_id,
                          struct ccon_dynamic_flow **out, struct ccon_error *err);
/* Cancels whatever is in flight. NULL is ignored. */
void ccon_dynamic_flow_free(struct ccon_dynamic_flow *f);

unsigned ccon_dynamic_flow_changes(struct ccon_dynamic_flow *f);
unsigned ccon_dynamic_flow_in_flight(const struct ccon_dynamic_flow *f);

/* ---- the campaign */

/* set /campaign/v2. dc must have campaignType Batch (the seed's) and a
 * message; it is checked by encoding it (the codec's rules). */
int ccon_dynamic_flow_create(struct ccon_dynamic_flow *f, const struct ccon_dynamic_campaign *dc,
                             struct ccon_error *err);
/* Reads an existing campaign (see the top). */
int ccon_dynamic_flow_open(struct ccon_dynamic_flow *f, const char *campaign_id,
                           struct ccon_error *err);
/* Re-reads its status. */
int ccon_dynamic_flow_read_status(struct ccon_dynamic_flow *f, struct ccon_error *err);
const struct ccon_dyn_campaign *ccon_dynamic_flow_campaign(const struct ccon_dynamic_flow *f);
/* The state of the last create/open/status operation and its error. */
enum ccon_flow_state ccon_dynamic_flow_campaign_state(const struct ccon_dynamic_flow *f,
                                                      struct ccon_error *err);
/* The Idempotency-Key create used (or would use) for dc: "ccon-v2-" and
 * hex. Pure apart from the flow's random id. */
int ccon_dynamic_flow_create_key(const struct ccon_dynamic_flow *f,
                                 const struct ccon_dynamic_campaign *dc, char *buf, size_t size,
                                 struct ccon_error *err);

/* ---- rounds */

/* Checks every audience locally (ccon_audience_check, path
 * "audiences[i]"; the first failure refuses the round without a request),
 * then sends them as one round. A round in flight refuses another. */
int ccon_dynamic_flow_add_list(struct ccon_dynamic_flow *f, const struct ccon_audience *items,
                               size_t count, struct ccon_error *err);
/* Reads path into the CSV preview (replacing the last one): -1 only when
 * the file cannot be read at all or is too large; the rows' problems are
 * in the preview. Needs the campaign's message (to check the rows). */
int ccon_dynamic_flow_csv_load(struct ccon_dynamic_flow *f, const char *path,
                               struct ccon_error *err);
/* NULL before a load or after it was sent or dropped. */
const struct ccon_dyn_csv *ccon_dynamic_flow_csv(const struct ccon_dynamic_flow *f);
void ccon_dynamic_flow_csv_drop(struct ccon_dynamic_flow *f);
/* Sends the loaded CSV as a round; refused (no request) when it has
 * errors or no rows. */
int ccon_dynamic_flow_add_csv(struct ccon_dynamic_flow *f, struct ccon_error *err);
/* Every round sent, oldest first. */
const struct ccon_dyn_round *ccon_dynamic_flow_rounds(const struct ccon_dynamic_flow *f,
                                                      size_t *count);

/* ---- the server's audience */

/* get /audiences/{id}?$skip=skip&$take=take (take 1..CCON_CMD_TAKE_MAX). */
int ccon_dynamic_flow_read_audience(struct ccon_dynamic_flow *f, int64_t skip, int64_t take,
                                    struct ccon_error *err);
/* NULL until a page arrived; *skip gets the page's offset. */
const struct ccon_audience_page *ccon_dynamic_flow_audience(const struct ccon_dynamic_flow *f,
                                                            int64_t *skip);
enum ccon_flow_state ccon_dynamic_flow_audience_state(const struct ccon_dynamic_flow *f,
                                                      struct ccon_error *err);

/* ---- dispatch */

int ccon_dynamic_flow_dispatch(struct ccon_dynamic_flow *f, struct ccon_error *err);
enum ccon_flow_state ccon_dynamic_flow_dispatch_state(const struct ccon_dynamic_flow *f,
                                                      struct ccon_error *err);

/* ---- pure helpers */

/* Decodes a command answer's reason into e (code from reason.error, the
 * description without its "path: " prefix, path, line, column); rows gets
 * reason.errors (NULL ok). A success answer is -1 with nothing set. */
int ccon_dynamic_answer_reason(const cJSON *answer, struct ccon_api_error *e,
                               struct ccon_api_error **rows, size_t *n_rows, size_t *truncated);

#endif
