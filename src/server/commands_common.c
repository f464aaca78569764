/* commands_common.c - what every /commands handler shares: failures (the
 * reason code of an error), the uri's campaign, its first task and the
 * campaign answer of set and delete commands. */
#include "config.h"

#include "commands.h"

#include "reads.h"
#include "store.h"

#include <ccon/json_util.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD_CAMPAIGN_TYPE "application/vnd.iris.activecampaign.campaign+json"

/* reason.code: the status a REST route gives the error, but for a conflict,
 * which here is the campaign's state (409; a reused Idempotency-Key is
 * given 422 by its caller), and the codes REST routes never see. */
static unsigned reason_for(const struct ccon_error *e)
{
	switch (e->code) {
	case CCON_E_CONFLICT: return 409;
	case CCON_E_METHOD: return 405;
	case CCON_E_INVALID_ARGUMENT: case CCON_E_NOT_IMPLEMENTED: return 500;
	default: return api_status_for(e);
	}
}

int cmd_fail(struct cmd *x, const struct ccon_error *e)
{
	x->failed = true;
	x->err = *e;
	x->reason = reason_for(e);
	return -1;
}

int cmd_fail_reason(struct cmd *x, unsigned reason, const struct ccon_error *e)
{
	cmd_fail(x, e);
	x->reason = reason;
	return -1;
}

static int vfail(struct cmd *x, enum ccon_errc code, const char *path, long line, long column,
                 const char *fmt, va_list ap)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	ccon_error_vset(&e, code, fmt, ap);
	ccon_error_at_line(&e, line, column);
	ccon_error_at_path(&e, path);
	return cmd_fail(x, &e);
}

int cmd_failf(struct cmd *x, enum ccon_errc code, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(x, code, path, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int cmd_failf_at(struct cmd *x, enum ccon_errc code, const char *path, long line, long column,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(x, code, path, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

int cmd_fail_why(struct cmd *x, unsigned reason, const char *path, const char *why,
                 const struct ccon_error *e)
{
	struct ccon_error w = *e;

	ccon_error_set(&w, e->code, "%s: %s", why, e->message);
	ccon_error_at_path(&w, path);
	return reason ? cmd_fail_reason(x, reason, &w) : cmd_fail(x, &w);
}

int cmd_fail_resource(struct cmd *x, struct ccon_error *e)
{
	ccon_cmd_resource_error_path(e);
	return cmd_fail(x, e);
}

int cmd_nomem(struct cmd *x)
{
	return cmd_failf(x, CCON_E_NOMEM, NULL, "out of memory");
}

int cmd_answer(struct cmd *x, cJSON *res, const char *type)
{
	if (!res)
		return cmd_nomem(x);
	x->resource = res;
	x->type = type;
	return 0;
}

int cmd_answer_written(struct cmd *x, const struct ccon_json_writer *w, const char *type)
{
	if (ccon_jw_failed(w) || !x->raw.len)
		return cmd_nomem(x);
	x->type = type;
	return 0;
}

int cmd_no_campaign(struct cmd *x, const char *id, const char *path)
{
	return cmd_failf(x, CCON_E_NOT_FOUND, path, "no campaign \"%.60s\"", id ? id : "");
}

int cmd_need_resource(struct cmd *x)
{
	if (x->csv)
		return cmd_failf(x, CCON_E_JSON_TYPE, "resource", "expected an object, got string");
	if (!x->cmd.resource)
		return cmd_failf(x, CCON_E_JSON_REQUIRED, "resource", "this command needs a resource");
	return 0;
}

/* The campaign of the uri or of a resource's campaignId, or a 404. */
int cmd_campaign_of(struct cmd *x, const char *id, const char *path, struct campaign *out)
{
	int64_t n = api_parse_id(id);
	struct ccon_error e;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!n)
		return cmd_no_campaign(x, id, path);
	ccon_error_clear(&e);
	rc = campaigns_get(x->c->db, x->c->app_id, n, out, &e);
	if (rc < 0)
		return cmd_fail(x, &e);
	if (rc == 0)
		return cmd_no_campaign(x, id, path);
	return 0;
}

int cmd_first_task(struct cmd *x, int64_t campaign_id, struct cmd_task *t)
{
	sqlite3_stmt *st;
	struct ccon_error e;
	int rc;
	bool ok = true;

	memset(t, 0, sizeof(*t));
	ccon_error_clear(&e);
	if (sqlite3_prepare_v2(x->c->db,
	                       "SELECT id, status, timing, send_at_us, options FROM tasks "
	                       "WHERE campaign_id = ?1 ORDER BY id LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_fail(x->c->db, &e, "reading a task"), cmd_fail(x, &e);
	sqlite3_bind_int64(st, 1, campaign_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->id = sqlite3_column_int64(st, 0);
		snprintf(t->status, sizeof(t->status), "%s", sqlite3_column_text(st, 1));
		snprintf(t->timing, sizeof(t->timing), "%s", sqlite3_column_text(st, 2));
		t->send_at_us = sqlite3_column_int64(st, 3);
		t->options = ccon_json_strdup((const char *)sqlite3_column_text(st, 4), &ok);
	} else if (rc != SQLITE_DONE) {
		store_fail(x->c->db, &e, "reading a task");
	}
	sqlite3_finalize(st);
	if (e.code)
		return cmd_fail(x, &e);
	return ok ? 0 : cmd_nomem(x);
}

char *cmd_time_text(int64_t us, char buf[CCON_DATETIME_FORMAT_MAX])
{
	ccon_datetime_format_fast(us, buf);
	return buf[0] ? buf : NULL;
}

static char *upper(const char *s, bool *ok)
{
	char *d = ccon_json_strdup(s, ok);

	for (char *p = d; p && *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return d;
}

/* The campaign resource of set and delete answers, read back from the
 * store (so a replayed Idempotency-Key answers the same), with ccon's own
 * taskId and the send's recipient counts (from the send's answer). */
int cmd_campaign_answer(struct cmd *x, int64_t campaign_id, const char *send_answer)
{
	struct reads_scope scope = { x->c->app_id, campaign_id, 0, 0, 1 };
	struct ccon_campaign_info ci;
	struct reads_state state;
	struct campaign camp;
	struct cmd_task task;
	struct ccon_error e;
	char idbuf[24], tbuf[CCON_DATETIME_FORMAT_MAX], sbuf[CCON_DATETIME_FORMAT_MAX];
	cJSON *res = NULL, *sa;
	bool ok = true;
	int rc;

	ccon_error_clear(&e);
	rc = campaigns_get(x->c->db, x->c->app_id, campaign_id, &camp, &e);
	if (rc <= 0)
		return rc < 0 ? cmd_fail(x, &e) : cmd_no_campaign(x, "", "");
	if (cmd_first_task(x, campaign_id, &task) < 0 ||
	    reads_campaign_state(x->c->db, &scope, &state, &e) < 0) {
		campaign_free(&camp);
		free(task.options);
		return x->failed ? -1 : cmd_fail(x, &e);
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)campaign_id);
	memset(&ci, 0, sizeof(ci));
	ci.id = idbuf;
	ci.name = camp.name;
	ci.campaign_type = upper(camp.campaign_type, &ok);
	ci.flow_id = camp.flow_id;
	ci.state_id = camp.state_id;
	ci.master_state = camp.master_state;
	ci.channel_type = (char *)reads_channel_name(camp.channel);
	ci.source_application = camp.source_application;
	ci.status = state.status;
	ci.created = cmd_time_text(camp.created_us, tbuf);
	if (strcmp(task.timing, "schedule") == 0)
		ci.scheduled = cmd_time_text(task.send_at_us, sbuf);
	ci.failed_reason = state.failed_reason;
	if (ok && ccon_campaign_info_encode(&ci, &res) == 0) {
		if (task.id)
			cJSON_AddNumberToObject(res, "taskId", (double)task.id);
		if (state.send_at_us)
			cJSON_AddStringToObject(res, "sendDate", cmd_time_text(state.send_at_us, sbuf));
		sa = send_answer ? cJSON_Parse(send_answer) : NULL;
		if (cJSON_GetObjectItem(sa, "recipients"))
			cJSON_AddItemToObject(res, "recipients",
			                      cJSON_DetachItemFromObject(sa, "recipients"));
		cJSON_Delete(sa);
	}
	free(ci.campaign_type);
	campaign_free(&camp);
	free(task.options);
	reads_state_free(&state);
	return cmd_answer(x, res, CMD_CAMPAIGN_TYPE);
}
