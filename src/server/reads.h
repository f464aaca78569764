/* reads.h - the campaign-level and task-level reads of DESIGN §2.1
 * (summaries, audience, messages, report; and ccon's failure groups), as
 * libccon's codec_reports structs, paged with $skip/$take. Used by
 * /commands and the REST reads.
 *
 * One data model: a campaign may have several send tasks. A campaign-level
 * read aggregates all of them (every item carries its taskId); a scope with
 * task_id != 0 narrows the read to that one send.
 *
 * Derived values (ccond(8) documents them):
 *   status       from the campaign's tasks (in the scope): none -> "new";
 *                else the first of running, scheduled, draft, done that any
 *                task has; all canceled -> "canceled".
 *   sendDate     the earliest send time of the tasks that are not drafts.
 *   failedReason the cancel reason of the latest canceled task.
 *   counts       recipients per delivery status (pending, processed,
 *                received, read, failed, canceled), one GROUP BY query;
 *                campaign-wide, each recipient's latest attempt only (rows
 *                superseded by a retry-failed are left out), so they add
 *                up to the audience size; a task's read counts its rows.
 *   retryOf      on the items of a retry task (messages, audience, report):
 *                the task it re-sends. Audience and report list every
 *                attempt (total counts them all), each with its taskId.
 * Campaign types are written upper case ("BATCH", as the seed's answer) and
 * channels as seed 002 spells them ("WhatsApp", "GoogleRcs"; "sms" as is).
 *
 * Every function fills *out (freed by the codec's _free) and returns 1, or 0
 * when the campaign is not the application's (or the task is not the
 * campaign's): the caller answers not_found; -1 with err on a store error.
 */
#ifndef CCOND_READS_H
#define CCOND_READS_H

#include <ccon/codec_command.h>
#include <ccon/codec_reports.h>
#include <ccon/error.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* Which campaign (and send task) a read is about, and the page. */
struct reads_scope {
	int64_t app_id;
	int64_t campaign_id;
	int64_t task_id;          /* 0: every task of the campaign */
	int64_t skip;             /* >= 0 */
	int64_t take;             /* 1..CCON_CMD_TAKE_MAX */
};

/* The recipients the audience and the report list (NULL: all). */
struct reads_filter {
	const char *status;       /* NULL: any; else one of the six (lower case) */
	bool has_reason_code;     /* only failed recipients with this code */
	int64_t reason_code;
};

/* GET /campaigns/summaries. NULL strings and has_created false match all. */
struct reads_summary_filter {
	const char *source_application;
	const char *campaign_sender;
	bool has_created;
	int64_t created_from_us;  /* [from, to): one UTC day for `created` */
	int64_t created_to_us;
	int64_t skip;
	int64_t take;
};

/* Blocks that hold a page's strings: a page costs a few allocations
 * instead of one per string. */
struct reads_arena_block;
struct reads_arena {
	struct reads_arena_block *head;
};

void reads_arena_free(struct reads_arena *a);

/* The application's campaigns matching f, newest first; total counts every
 * match. A page costs five queries whatever its size. Returns 1 (or -1).
 * The page's strings live in *ar (initialised here): free both with
 * reads_summaries_free, never ccon_summary_list_free. */
int reads_summaries(sqlite3 *db, int64_t app_id, const struct reads_summary_filter *f,
                    struct ccon_summary_list *out, struct reads_arena *ar,
                    struct ccon_error *err);
void reads_summaries_free(struct ccon_summary_list *l, struct reads_arena *ar);

/* GET /campaigns/{id}/summaries (skip/take unused). */
int reads_summary(sqlite3 *db, const struct reads_scope *s, struct ccon_campaign_summary *out,
                  struct ccon_error *err);

/* GET /audiences/{id}: recipients in insertion order. With a status or a
 * reason code, only the matching rows (total counts them): campaign-wide
 * among each recipient's latest attempt, as the counts and the failure
 * groups see them; with a task, among all of that task's rows. A reason
 * code selects failed recipients with that stored code (a status other
 * than failed with a code matches nothing). Reads walk only the rows of
 * the status asked for (recipients_campaign_live), never the whole
 * campaign. */
int reads_audience(sqlite3 *db, const struct reads_scope *s, const struct reads_filter *f,
                   struct ccon_audience_page *out, struct ccon_error *err);

/* GET /messages/{id}: one message per send task, in task order. */
int reads_messages(sqlite3 *db, const struct reads_scope *s, struct ccon_message_page *out,
                   struct ccon_error *err);

/* GET /campaigns/{id}/reports: the campaign and one page of statusAudience,
 * filtered as the audience. */
int reads_report(sqlite3 *db, const struct reads_scope *s, const struct reads_filter *f,
                 struct ccon_campaign_report *out, struct ccon_error *err);

/* GET /campaigns/{id}/failures: the failed recipients grouped by reason
 * code, largest group first (then by code, the group without a code
 * last), one page of groups; total is the number of groups. Campaign-wide
 * each recipient's latest attempt counts; with a task, every failed row of
 * it. A code that is not a whole number counts as no code (as the audience
 * shows it); a group's description is its most frequent one (ties: the
 * smallest text). Walks the failed rows only. */
int reads_failures(sqlite3 *db, const struct reads_scope *s, struct ccon_failure_group_list *out,
                   struct ccon_error *err);

/* The campaign's derived status, failedReason (heap or NULL) and sendDate
 * (0 when none) over its tasks, for the answers of set/delete commands. */
struct reads_state {
	char status[16];
	char *failed_reason;
	int64_t send_at_us;
};

int reads_campaign_state(sqlite3 *db, const struct reads_scope *s, struct reads_state *out,
                         struct ccon_error *err);
void reads_state_free(struct reads_state *st);

/* "WhatsApp", "GoogleRcs", or the stored channel itself. */
const char *reads_channel_name(const char *channel);

#endif
