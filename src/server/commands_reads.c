/* commands_reads.c - the reads: get /campaigns/summaries (filters and
 * paging), and per campaign /campaigns/{id}/summaries, /audiences/{id},
 * /messages/{id}, /campaigns/{id}/reports and /campaigns/{id}/failures (all
 * its sends, or one with taskId; audience and report filtered by status and
 * reasonCode). */
#include "config.h"

#include "commands.h"

#include "reads.h"

#include <ccon/codec_reports.h>

#include <stdio.h>
#include <string.h>

static int read_scope(struct cmd *x, struct reads_scope *s, struct reads_filter *f)
{
	memset(s, 0, sizeof(*s));
	f->status = x->uri.status;
	f->has_reason_code = x->uri.has_reason_code;
	f->reason_code = x->uri.reason_code;
	s->app_id = x->c->app_id;
	s->campaign_id = api_parse_id(x->uri.campaign_id);
	s->skip = x->uri.skip;
	s->take = x->uri.take;
	if (!s->campaign_id)
		return cmd_no_campaign(x, x->uri.campaign_id, "uri");
	if (x->uri.task_id) {
		s->task_id = api_parse_id(x->uri.task_id);
		if (!s->task_id)
			return cmd_failf(x, CCON_E_JSON_VALUE, "uri.taskId",
			                 "expected a task id (a whole number from 1), got \"%.40s\"",
			                 x->uri.task_id);
	}
	return 0;
}

static int read_result(struct cmd *x, const struct reads_scope *s, int rc,
                       const struct ccon_error *e)
{
	if (rc < 0)
		return cmd_fail(x, e);
	if (rc == 0 && s->task_id)
		return cmd_failf(x, CCON_E_NOT_FOUND, "uri.taskId",
		                 "campaign %lld has no send task %lld", (long long)s->campaign_id,
		                 (long long)s->task_id);
	if (rc == 0)
		return cmd_no_campaign(x, x->uri.campaign_id, "uri");
	return 0;
}

/* `created`: a date (yyyy-MM-dd, that UTC day) or a date-time (its UTC day). */
static int created_day(struct cmd *x, const char *text, int64_t *from, int64_t *to)
{
	struct ccon_error e;
	char buf[40];
	int64_t t;
	int rc;

	ccon_error_clear(&e);
	if (strlen(text) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", text);
		rc = ccon_datetime_parse(buf, &t, &e);
	} else {
		rc = ccon_datetime_parse(text, &t, &e);
	}
	if (rc < 0)
		return cmd_fail_why(x, 0, "uri.created", "expected a date (yyyy-MM-dd)", &e);
	*from = t - ((t % CCON_US_PER_DAY) + CCON_US_PER_DAY) % CCON_US_PER_DAY;
	*to = *from + CCON_US_PER_DAY;
	return 0;
}

int cmd_summaries(struct cmd *x)
{
	struct reads_summary_filter f;
	struct ccon_summary_list l;
	struct reads_arena ar;
	struct ccon_json_writer w;
	struct ccon_error e;

	memset(&f, 0, sizeof(f));
	f.source_application = x->uri.source_application;
	f.campaign_sender = x->uri.campaign_sender;
	f.skip = x->uri.skip;
	f.take = x->uri.take;
	if (x->uri.created) {
		if (created_day(x, x->uri.created, &f.created_from_us, &f.created_to_us) < 0)
			return -1;
		f.has_created = true;
	}
	ccon_error_clear(&e);
	if (reads_summaries(x->c->db, x->c->app_id, &f, &l, &ar, &e) < 0)
		return cmd_fail(x, &e);
	ccon_jw_init(&w, &x->raw);
	ccon_summary_list_write(&l, &w);
	reads_summaries_free(&l, &ar);
	return cmd_answer_written(x, &w, CCON_COLLECTION_TYPE);
}

/* The reads of one campaign (or one of its sends) differ only in their
 * types: read in the uri's scope (s, filtered by f: the reads that take
 * one), answer the value written. */
#define SCOPED_READ(handler, value_type, read_call, write, release, media_type) \
	int handler(struct cmd *x) \
	{ \
		value_type v; \
		struct reads_scope s; \
		struct reads_filter f; \
		struct ccon_json_writer w; \
		struct ccon_error e; \
 \
		if (read_scope(x, &s, &f) < 0) \
			return -1; \
		ccon_error_clear(&e); \
		if (read_result(x, &s, read_call, &e) < 0) \
			return -1; \
		ccon_jw_init(&w, &x->raw); \
		write(&v, &w); \
		release(&v); \
		return cmd_answer_written(x, &w, media_type); \
	}

SCOPED_READ(cmd_summary, struct ccon_campaign_summary, reads_summary(x->c->db, &s, &v, &e),
            ccon_campaign_summary_write, ccon_campaign_summary_free, CCON_SUMMARY_TYPE)
SCOPED_READ(cmd_audience, struct ccon_audience_page, reads_audience(x->c->db, &s, &f, &v, &e),
            ccon_audience_page_write, ccon_audience_page_free, CCON_COLLECTION_TYPE)
SCOPED_READ(cmd_messages, struct ccon_message_page, reads_messages(x->c->db, &s, &v, &e),
            ccon_message_page_write, ccon_message_page_free, CCON_COLLECTION_TYPE)
SCOPED_READ(cmd_report, struct ccon_campaign_report, reads_report(x->c->db, &s, &f, &v, &e),
            ccon_campaign_report_write, ccon_campaign_report_free, CCON_REPORT_TYPE)
SCOPED_READ(cmd_failures, struct ccon_failure_group_list,
            reads_failures(x->c->db, &s, &v, &e), ccon_failure_group_list_write,
            ccon_failure_group_list_free, CCON_COLLECTION_TYPE)
