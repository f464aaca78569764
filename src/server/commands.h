/* commands.h - inside seed 002's command envelope (POST /commands).
 *
 * routes_commands.c decodes the envelope, routes its uri through a table to
 * one handler and writes the answer envelope. A handler (commands_full.c,
 * commands_v2.c, commands_reads.c, commands_delete.c) returns 0 with
 * x->resource and x->type set, or -1 after a cmd_fail* call recorded why
 * (reason code, error, CSV rows). commands_common.c holds those failures and
 * the campaign answer every set and delete gives.
 */
#ifndef CCOND_COMMANDS_H
#define CCOND_COMMANDS_H

#include "api.h"
#include "campaigns.h"
#include "sendjob.h"

#include <ccon/codec_campaign.h>
#include <ccon/codec_command.h>
#include <ccon/codec_error.h>
#include <ccon/datetime.h>
#include <ccon/error.h>
#include <ccon/json_writer.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

/* One command being answered. */
struct cmd {
	struct api_call *c;
	struct ccon_command cmd;
	bool decoded;                 /* cmd holds the envelope */
	char *raw_id;                 /* the id of an envelope too broken to decode */
	struct ccon_cmd_uri uri;
	char *csv;                    /* a string resource: CSV text */
	/* the answer: a tree, or the resource already written as JSON text */
	cJSON *resource;
	struct ccon_strbuf raw;
	const char *type;
	/* A success whose whole answer (envelope and all) the handler wrote
	 * into c->resp itself: made before its commit, so that nothing after
	 * the commit can fail for want of memory (cmd_ready_*). The envelope
	 * is then left as it is; x->raw holds the resource as well. */
	bool answered;
	bool failed;
	unsigned reason;
	struct ccon_error err;
	struct ccon_error_list *errors;   /* CSV rows refused */
};

typedef int cmd_handler(struct cmd *x);

/* ------------------------------------------- commands_common.c: failures */

/* Records the failure (reason.code from the error's code: 404, 405, 409,
 * 415, 500 or 400); all return -1. */
int cmd_fail(struct cmd *x, const struct ccon_error *e);
int cmd_fail_reason(struct cmd *x, unsigned reason, const struct ccon_error *e);
int cmd_failf(struct cmd *x, enum ccon_errc code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same at a CSV line and column. */
int cmd_failf_at(struct cmd *x, enum ccon_errc code, const char *path, long line, long column,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* e at path, its message behind why ("why: message"), its line and column
 * kept; reason 0 is the one of e's code. */
int cmd_fail_why(struct cmd *x, unsigned reason, const char *path, const char *why,
                 const struct ccon_error *e);
/* A resource decoder's error, its path put under "resource". */
int cmd_fail_resource(struct cmd *x, struct ccon_error *e);
int cmd_nomem(struct cmd *x);
/* "no campaign \"ID\"" (404) at path. */
int cmd_no_campaign(struct cmd *x, const char *id, const char *path);
/* The resource is required and must be JSON (not CSV text). */
int cmd_need_resource(struct cmd *x);

/* The answer's resource (owned) and type; res NULL is out of memory. */
int cmd_answer(struct cmd *x, cJSON *res, const char *type);
/* The answer's resource is the JSON text w wrote into x->raw (w failed:
 * out of memory). No tree: the reads stream their pages this way. */
int cmd_answer_written(struct cmd *x, const struct ccon_json_writer *w, const char *type);

/* ------------------------------------------- commands_common.c: campaigns */

/* The application's campaign named by id (the uri's, or a resource's
 * campaignId), or a 404 failure at path. out is campaign_free()able. */
int cmd_campaign_of(struct cmd *x, const char *id, const char *path, struct campaign *out);

/* The first send task of a campaign (a seed-002 campaign has exactly one);
 * id 0 when it has none. options is owned (free()). */
struct cmd_task {
	int64_t id;
	char status[16];
	char timing[16];
	int64_t send_at_us;
	char *options;
};

int cmd_first_task(struct cmd *x, int64_t campaign_id, struct cmd_task *t);
/* The date-time text of us in buf, or NULL. */
char *cmd_time_text(int64_t us, char buf[CCON_DATETIME_FORMAT_MAX]);
/* Answers the campaign as the store has it now, with the send's recipient
 * counts when send_answer (a sendjob answer) is given. Inside a
 * transaction it reads what the transaction wrote: delete answers so
 * before its commit. */
int cmd_campaign_answer(struct cmd *x, int64_t campaign_id, const char *send_answer);

/* The answer of a command that commits a send (set /campaign/full,
 * /campaign/v2, /audiences/v2, /dispatch/v2), made in two steps around
 * sendjob's commit:
 *
 *   cmd_ready_begin(x, &r, camp)    before: everything allocated (the
 *                                   envelope's strings, the room for the
 *                                   resource and the whole envelope)
 *   sendjob_commit/append/dispatch
 *   cmd_ready_answer(x, &r, ...)    after: the campaign (camp's row and
 *                                   the send's answer text) written into
 *                                   that room, nothing allocated, nothing
 *                                   read from the store: a campaign that
 *                                   was stored is never answered "failure"
 *   cmd_ready_free(&r)              always
 *
 * The resource is the one cmd_campaign_answer reads back from the store
 * (byte for byte), so a replayed Idempotency-Key answers the same. */
struct cmd_ready {
	struct ccon_command_answer ans;
	size_t resource_room;
	bool begun;
};

/* 0, or -1 after cmd_nomem. */
int cmd_ready_begin(struct cmd *x, struct cmd_ready *r, const struct campaign *camp);
/* From camp's row as stored (id set), the task's scheduled time when its
 * timing is "schedule" (scheduled_us NULL otherwise) and the send's answer
 * (sendjob.h: taskId, status, sendAt, cancelReason, recipients). 0, or -1
 * after a cmd_fail (only when the text is not a send's answer). Called
 * without cmd_ready_begin (a replay: nothing was committed) it answers
 * the same, allocating. */
int cmd_ready_answer(struct cmd *x, struct cmd_ready *r, const struct campaign *camp,
                     const int64_t *scheduled_us, const char *send_answer);
void cmd_ready_free(struct cmd_ready *r);
/* The whole envelope around the resource in x->raw, written into the
 * response now (before a commit: delete). -1 after cmd_nomem. */
int cmd_answer_whole(struct cmd *x);
/* Takes back cmd_answer_whole's answer (the commit failed). */
void cmd_answer_unsend(struct cmd *x);
/* The campaignId of a send's answer (sendjob.h), without allocating; 0
 * when it has none. */
int64_t cmd_answer_campaign_id(const char *send_answer);

/* ------------------------------------- commands_full.c: creating campaigns */

/* The campaign row of a full or v2 campaign; strings borrowed from the
 * decoded resource except the two JSON texts. */
struct cmd_new_campaign {
	struct campaign row;
	char *params_json;
	char *tags_json;
};

/* Starts the send that creates campaign nc (origin "full" or "v2") from
 * def and msg: the row, the scheduled time, the insertion inside the send's
 * transaction. job is initialised even on failure: sendjob_free it, and
 * cmd_new_campaign_free nc. */
int cmd_new_campaign_job(struct cmd *x, const struct ccon_campaign_def *def,
                         const struct ccon_campaign_message *msg, const char *origin,
                         struct cmd_new_campaign *nc, struct sendjob *job);
void cmd_new_campaign_free(struct cmd_new_campaign *nc);
/* Commits the job that creates nc (Idempotency-Key honoured) and answers
 * the campaign (cmd_ready_*). */
int cmd_commit_and_answer(struct cmd *x, struct cmd_new_campaign *nc, struct sendjob *job);
/* Adds one audience to the job; path names it ("resource.audiences[3]"). */
int cmd_add_audience(struct cmd *x, struct sendjob *job, const struct ccon_audience *a,
                     const char *channel_type, const char *path);

/* ------------------------------------------------------------- handlers */

int cmd_campaign_full(struct cmd *x);     /* commands_full.c */
int cmd_campaign_v2(struct cmd *x);       /* commands_v2.c */
int cmd_audiences_v2(struct cmd *x);
int cmd_dispatch_v2(struct cmd *x);
int cmd_summaries(struct cmd *x);         /* commands_reads.c */
int cmd_summary(struct cmd *x);
int cmd_audience(struct cmd *x);
int cmd_messages(struct cmd *x);
int cmd_report(struct cmd *x);
int cmd_failures(struct cmd *x);
int cmd_delete(struct cmd *x);            /* commands_delete.c */

#endif
