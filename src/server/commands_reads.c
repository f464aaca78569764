/* commands_reads.c - the reads: get /campaigns/summaries (filters and
 * paging), and per campaign /campaigns/{id}/summaries, /audiences/{id},
 * /messages/{id} and /campaigns/{id}/reports (all its sends, or one with
 * taskId). */
#include "config.h"

#include "commands.h"

#include "reads.h"

#include <ccon/codec_reports.h>

#include <stdio.h>
#include <string.h>

static int read_scope(struct cmd *x, struct reads_scope *s)
{
	memset(s, 0, sizeof(*s));
	s->app_id = x->c->app_id;
	s->campaign_id = cmd_parse_id(x->uri.campaign_id);
	s->skip = x->uri.skip;
	s->take = x->uri.take;
	if (!s->campaign_id)
		return cmd_no_campaign(x, x->uri.campaign_id, "uri");
	if (x->uri.task_id) {
		s->task_id = cmd_parse_id(x->uri.task_id);
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

static int encoded(struct cmd *x, int rc, cJSON *res, const char *type)
{
	if (rc < 0 || !res)
		return cmd_nomem(x);
	x->resource = res;
	x->type = type;
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
	if (rc < 0) {
		ccon_error_set(&e, e.code, "expected a date (yyyy-MM-dd): %s", e.message);
		ccon_error_at_path(&e, "uri.created");
		return cmd_fail(x, &e);
	}
	*from = t - ((t % CCON_US_PER_DAY) + CCON_US_PER_DAY) % CCON_US_PER_DAY;
	*to = *from + CCON_US_PER_DAY;
	return 0;
}

int cmd_summaries(struct cmd *x)
{
	struct reads_summary_filter f;
	struct ccon_summary_list l;
	struct ccon_error e;
	cJSON *res = NULL;
	int rc;

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
	if (reads_summaries(x->c->db, x->c->app_id, &f, &l, &e) < 0)
		return cmd_fail(x, &e);
	rc = ccon_summary_list_encode(&l, &res);
	ccon_summary_list_free(&l);
	return encoded(x, rc, res, CCON_COLLECTION_TYPE);
}

int cmd_summary(struct cmd *x)
{
	struct ccon_campaign_summary sum;
	struct reads_scope s;
	struct ccon_error e;
	cJSON *res = NULL;
	int rc;

	if (read_scope(x, &s) < 0)
		return -1;
	ccon_error_clear(&e);
	rc = reads_summary(x->c->db, &s, &sum, &e);
	if (read_result(x, &s, rc, &e) < 0)
		return -1;
	rc = ccon_campaign_summary_encode(&sum, &res);
	ccon_campaign_summary_free(&sum);
	return encoded(x, rc, res, CCON_SUMMARY_TYPE);
}

int cmd_audience(struct cmd *x)
{
	struct ccon_audience_page p;
	struct reads_scope s;
	struct ccon_error e;
	cJSON *res = NULL;
	int rc;

	if (read_scope(x, &s) < 0)
		return -1;
	ccon_error_clear(&e);
	rc = reads_audience(x->c->db, &s, &p, &e);
	if (read_result(x, &s, rc, &e) < 0)
		return -1;
	rc = ccon_audience_page_encode(&p, &res);
	ccon_audience_page_free(&p);
	return encoded(x, rc, res, CCON_COLLECTION_TYPE);
}

int cmd_messages(struct cmd *x)
{
	struct ccon_message_page p;
	struct reads_scope s;
	struct ccon_error e;
	cJSON *res = NULL;
	int rc;

	if (read_scope(x, &s) < 0)
		return -1;
	ccon_error_clear(&e);
	rc = reads_messages(x->c->db, &s, &p, &e);
	if (read_result(x, &s, rc, &e) < 0)
		return -1;
	rc = ccon_message_page_encode(&p, &res);
	ccon_message_page_free(&p);
	return encoded(x, rc, res, CCON_COLLECTION_TYPE);
}

int cmd_report(struct cmd *x)
{
	struct ccon_campaign_report r;
	struct reads_scope s;
	struct ccon_error e;
	cJSON *res = NULL;
	int rc;

	if (read_scope(x, &s) < 0)
		return -1;
	ccon_error_clear(&e);
	rc = reads_report(x->c->db, &s, &r, &e);
	if (read_result(x, &s, rc, &e) < 0)
		return -1;
	rc = ccon_campaign_report_encode(&r, &res);
	ccon_campaign_report_free(&r);
	return encoded(x, rc, res, CCON_REPORT_TYPE);
}
