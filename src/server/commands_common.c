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

/* ------------------------------------------------ the campaign answer */

/* What the campaign answer says, from the store (cmd_campaign_answer) or
 * from a campaign row and a send's answer text (cmd_ready_answer). */
struct facts {
	const struct campaign *camp;   /* the row, id set */
	int64_t task_id;               /* 0: none */
	const char *status;
	const char *scheduled;         /* date-time texts, or NULL */
	const char *send_date;
	const char *failed_reason;     /* text, or NULL ... */
	const char *failed_reason_json;   /* ... or a JSON string already encoded */
	size_t failed_reason_json_len;
	bool has_recipients;
	int64_t accepted, rejected, duplicates, disabled;
};

static void kv_opt(struct ccon_json_writer *w, const char *key, const char *s)
{
	if (s)
		ccon_jw_kv_string(w, key, s);
}

/* The resource: the campaign info (codec_campaign.h's fields in its
 * order), ccon's taskId, sendDate and the send's recipient counts. Only
 * the writer's buffer grows: nothing else is allocated. */
static int write_campaign(struct ccon_json_writer *w, const struct facts *f)
{
	const struct campaign *c = f->camp;
	const char *type = c->campaign_type ? c->campaign_type : "Batch";
	char idbuf[24], tbuf[CCON_DATETIME_FORMAT_MAX], upper[32];
	size_t i;

	for (i = 0; i < sizeof(upper) - 1 && type[i]; i++)
		upper[i] = type[i] >= 'a' && type[i] <= 'z' ? (char)(type[i] - 'a' + 'A') : type[i];
	upper[i] = '\0';
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)c->id);
	ccon_jw_begin_object(w);
	ccon_jw_kv_string(w, "id", idbuf);
	kv_opt(w, "name", c->name);
	ccon_jw_kv_string(w, "campaignType", upper);
	kv_opt(w, "flowId", c->flow_id);
	kv_opt(w, "stateId", c->state_id);
	kv_opt(w, "masterState", c->master_state);
	kv_opt(w, "channelType", reads_channel_name(c->channel));
	kv_opt(w, "sourceApplication", c->source_application);
	kv_opt(w, "status", f->status);
	kv_opt(w, "created", cmd_time_text(c->created_us, tbuf));
	kv_opt(w, "scheduled", f->scheduled);
	if (f->failed_reason_json) {
		ccon_jw_key(w, "failedReason");
		ccon_jw_raw(w, f->failed_reason_json, f->failed_reason_json_len);
	} else {
		kv_opt(w, "failedReason", f->failed_reason);
	}
	if (f->task_id)
		ccon_jw_kv_int(w, "taskId", f->task_id);
	kv_opt(w, "sendDate", f->send_date);
	if (f->has_recipients) {
		ccon_jw_key(w, "recipients");
		ccon_jw_begin_object(w);
		ccon_jw_kv_int(w, "accepted", f->accepted);
		ccon_jw_kv_int(w, "rejected", f->rejected);
		ccon_jw_kv_int(w, "duplicates", f->duplicates);
		ccon_jw_kv_int(w, "disabled", f->disabled);
		ccon_jw_end_object(w);
	}
	return ccon_jw_end_object(w);
}

/* The value of key in a send's answer (sendjob.h: cJSON's unformatted
 * text, each key once), or NULL. A quote inside a string is escaped
 * there, so '"key":' is only ever a key. Nothing is allocated. */
static const char *member(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text ? strchr(text, '"') : NULL; p; p = strchr(p + 1, '"'))
		if (strncmp(p + 1, key, n) == 0 && p[n + 1] == '"' && p[n + 2] == ':')
			return p + n + 3;
	return NULL;
}

static int64_t member_int(const char *text, const char *key)
{
	const char *v = member(text, key);

	return v && ((*v >= '0' && *v <= '9') || *v == '-') ? strtoll(v, NULL, 10) : 0;
}

/* The JSON string value of key, quotes included: its length, 0 when key
 * has no string value. */
static size_t member_string(const char *text, const char *key, const char **out)
{
	const char *v = member(text, key), *q;

	*out = NULL;
	if (!v || *v != '"')
		return 0;
	for (q = v + 1; *q && *q != '"'; q++)
		if (*q == '\\' && q[1])
			q++;
	if (*q != '"')
		return 0;
	*out = v;
	return (size_t)(q - v) + 1;
}

/* The text of key's string value (one with no escapes: a status, a
 * date-time) in buf, or NULL. */
static const char *member_text(const char *text, const char *key, char *buf, size_t size)
{
	const char *v;
	size_t n = member_string(text, key, &v);

	if (n < 2 || n - 2 >= size || memchr(v + 1, '\\', n - 2))
		return NULL;
	memcpy(buf, v + 1, n - 2);
	buf[n - 2] = '\0';
	return buf;
}

int64_t cmd_answer_campaign_id(const char *send_answer)
{
	return member_int(send_answer, "campaignId");
}

static void recipients_of(const char *send_answer, struct facts *f)
{
	const char *r = member(send_answer, "recipients");

	f->has_recipients = r && *r == '{';
	if (f->has_recipients) {
		f->accepted = member_int(r, "accepted");
		f->rejected = member_int(r, "rejected");
		f->duplicates = member_int(r, "duplicates");
		f->disabled = member_int(r, "disabled");
	}
}

/* The campaign resource of set and delete answers, read back from the
 * store (so a replayed Idempotency-Key answers the same), with ccon's own
 * taskId and the send's recipient counts (from the send's answer). */
int cmd_campaign_answer(struct cmd *x, int64_t campaign_id, const char *send_answer)
{
	struct reads_scope scope = { x->c->app_id, campaign_id, 0, 0, 1 };
	struct reads_state state;
	struct ccon_json_writer w;
	struct campaign camp;
	struct cmd_task task;
	struct ccon_error e;
	struct facts f;
	char sbuf[CCON_DATETIME_FORMAT_MAX], dbuf[CCON_DATETIME_FORMAT_MAX];
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
	memset(&f, 0, sizeof(f));
	f.camp = &camp;
	f.task_id = task.id;
	f.status = state.status;
	if (strcmp(task.timing, "schedule") == 0)
		f.scheduled = cmd_time_text(task.send_at_us, sbuf);
	if (state.send_at_us)
		f.send_date = cmd_time_text(state.send_at_us, dbuf);
	f.failed_reason = state.failed_reason;
	recipients_of(send_answer, &f);
	ccon_strbuf_reset(&x->raw);
	ccon_jw_init(&w, &x->raw);
	write_campaign(&w, &f);
	campaign_free(&camp);
	free(task.options);
	reads_state_free(&state);
	return cmd_answer_written(x, &w, CMD_CAMPAIGN_TYPE);
}

/* ------------------------------------ answers made before their commit */

/* The success envelope's own parts, as routes_commands.c's reply makes
 * them (metadata: the uri). */
static int envelope_prepare(struct cmd *x, struct ccon_command_answer *ans)
{
	if (ccon_command_answer_success(&x->cmd, CMD_CAMPAIGN_TYPE, NULL, ans) < 0)
		return -1;
	if (x->cmd.uri) {
		ans->metadata = cJSON_CreateObject();
		if (!ans->metadata || !cJSON_AddStringToObject(ans->metadata, "#command.uri",
		                                               x->cmd.uri)) {
			ccon_command_answer_free(ans);
			return -1;
		}
	}
	return 0;
}

/* The whole envelope around x->raw into the response (its room made
 * before: then nothing is allocated). -1 leaves the response empty. */
static int envelope_write(struct cmd *x, const struct ccon_command_answer *ans)
{
	struct ccon_strbuf *body = &x->c->resp->body;
	struct ccon_json_writer w;

	ccon_strbuf_reset(body);
	ccon_jw_init(&w, body);
	ccon_command_answer_write_begin(ans, true, &w);
	ccon_jw_raw(&w, x->raw.buf, x->raw.len);
	if (ccon_command_answer_write_end(ans, &w) < 0 || ccon_jw_failed(&w)) {
		ccon_strbuf_reset(body);
		return -1;
	}
	x->c->resp->status = 200;
	x->type = CMD_CAMPAIGN_TYPE;
	x->answered = true;
	return 0;
}

int cmd_answer_whole(struct cmd *x)
{
	struct ccon_command_answer ans;
	int rc;

	if (envelope_prepare(x, &ans) < 0)
		return cmd_nomem(x);
	rc = envelope_write(x, &ans);
	ccon_command_answer_free(&ans);
	return rc < 0 ? cmd_nomem(x) : 0;
}

void cmd_answer_unsend(struct cmd *x)
{
	x->answered = false;
	ccon_strbuf_reset(&x->c->resp->body);
}

/* Room for the resource of camp: the longest the other facts can make it
 * (ids and counts of 20 digits, date-times of the longest form, a cancel
 * reason of CCON_ERROR_MESSAGE_MAX bytes each escaped as \u00XX). */
static size_t resource_room(const struct campaign *camp, struct ccon_strbuf *scratch)
{
	char when[CCON_DATETIME_FORMAT_MAX];
	struct ccon_json_writer w;
	struct campaign c = *camp;
	struct facts f;

	memset(when, '9', sizeof(when) - 1);
	when[sizeof(when) - 1] = '\0';
	memset(&f, 0, sizeof(f));
	c.id = INT64_MAX;
	f.camp = &c;
	f.task_id = INT64_MAX;
	f.status = "scheduled-------";
	f.scheduled = f.send_date = when;
	f.has_recipients = true;
	f.accepted = f.rejected = f.duplicates = f.disabled = INT64_MIN;
	ccon_strbuf_reset(scratch);
	ccon_jw_init(&w, scratch);
	if (write_campaign(&w, &f) < 0)
		return 0;
	return scratch->len + 6 * CCON_ERROR_MESSAGE_MAX + sizeof("\"failedReason\":\"\",") +
	       CCON_DATETIME_FORMAT_MAX;
}

int cmd_ready_begin(struct cmd *x, struct cmd_ready *r, const struct campaign *camp)
{
	struct ccon_strbuf *body = &x->c->resp->body;
	struct ccon_json_writer w;
	size_t head;

	memset(r, 0, sizeof(*r));
	if (envelope_prepare(x, &r->ans) < 0)
		return cmd_nomem(x);
	r->begun = true;
	r->resource_room = resource_room(camp, &x->raw);
	/* the envelope around an empty resource, then its room */
	ccon_strbuf_reset(body);
	ccon_jw_init(&w, body);
	ccon_command_answer_write_begin(&r->ans, true, &w);
	ccon_jw_raw(&w, "{}", 2);
	ccon_command_answer_write_end(&r->ans, &w);
	head = body->len;
	ccon_strbuf_reset(body);
	ccon_strbuf_reset(&x->raw);
	if (!r->resource_room || ccon_jw_failed(&w) ||
	    ccon_strbuf_reserve(&x->raw, r->resource_room) < 0 ||
	    ccon_strbuf_reserve(body, head + r->resource_room) < 0)
		return cmd_nomem(x);
	return 0;
}

int cmd_ready_answer(struct cmd *x, struct cmd_ready *r, const struct campaign *camp,
                     const int64_t *scheduled_us, const char *send_answer)
{
	char status[24], sbuf[CCON_DATETIME_FORMAT_MAX], dbuf[CCON_DATETIME_FORMAT_MAX];
	struct ccon_json_writer w;
	struct facts f;

	memset(&f, 0, sizeof(f));
	f.camp = camp;
	f.task_id = member_int(send_answer, "taskId");
	f.status = member_text(send_answer, "status", status, sizeof(status));
	if (!f.task_id || !f.status)
		return cmd_failf(x, CCON_E_IO, NULL, "the send's answer has no %s",
		                 f.task_id ? "status" : "taskId");
	if (scheduled_us)
		f.scheduled = cmd_time_text(*scheduled_us, sbuf);
	f.send_date = member_text(send_answer, "sendAt", dbuf, sizeof(dbuf));
	if (strcmp(f.status, "canceled") == 0)
		f.failed_reason_json_len = member_string(send_answer, "cancelReason",
		                                         &f.failed_reason_json);
	recipients_of(send_answer, &f);
	ccon_strbuf_reset(&x->raw);
	ccon_jw_init(&w, &x->raw);
	if (write_campaign(&w, &f) < 0 || ccon_jw_failed(&w))
		return cmd_nomem(x);
	x->type = CMD_CAMPAIGN_TYPE;
	/* into the room made before: nothing allocated (else reply makes it) */
	if (r->begun)
		envelope_write(x, &r->ans);
	return 0;
}

void cmd_ready_free(struct cmd_ready *r)
{
	if (r->begun)
		ccon_command_answer_free(&r->ans);
	r->begun = false;
}
