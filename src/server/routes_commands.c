/* routes_commands.c - seed 002's command envelope: POST /commands with
 * `Authorization: Key KEY`.
 *
 * Every authenticated request is answered HTTP 200 with an envelope (as
 * Blip does): {id, from, to, method, status: "success", type, resource,
 * metadata: {"#command.uri"}} or status "failure" with reason {code,
 * description}. reason.code mirrors the HTTP status the failure would have
 * on a REST route (400 invalid, 404 unknown campaign or uri, 405 method not
 * taken by the uri, 409 the campaign's state forbids it, 415 wrong content
 * type, 422 Idempotency-Key reused for another command, 500 store). The
 * description is "path: message" for validation errors; reason also carries
 * ccon's own fields: error (the stable code), path, line, column and, for
 * CSV audiences, errors (every refused row).
 */
#include "config.h"

#include "routes.h"

#include "campaigns.h"
#include "idempotency.h"
#include "reads.h"
#include "sendjob.h"
#include "slot_store.h"
#include "store.h"

#include <ccon/codec_campaign.h>
#include <ccon/codec_command.h>
#include <ccon/codec_error.h>
#include <ccon/codec_reports.h>
#include <ccon/contact.h>
#include <ccon/csv_import.h>
#include <ccon/datetime.h>
#include <ccon/json_util.h>
#include <ccon/layout.h>
#include <ccon/phone.h>
#include <ccon/timing.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CAMPAIGN_TYPE "application/vnd.iris.activecampaign.campaign+json"
#define CSV_RECIPIENT_COLUMN "recipient"
#define CSV_CONTEXT_COLUMN "#contextvariables#"

struct cmd {
	struct api_call *c;
	struct ccon_command cmd;
	bool decoded;                 /* cmd holds the envelope */
	char *raw_id;                 /* the id of an envelope too broken to decode */
	struct ccon_cmd_uri uri;
	char *csv;                    /* a string resource: CSV text */
	/* the answer */
	cJSON *resource;
	const char *type;
	bool failed;
	unsigned reason;
	struct ccon_error err;
	struct ccon_error_list *errors;   /* CSV rows refused */
};

/* ------------------------------------------------------------ failures */

static unsigned reason_for(enum ccon_errc code)
{
	switch (code) {
	case CCON_E_NOT_FOUND: return 404;
	case CCON_E_METHOD: return 405;
	case CCON_E_AUTH: return 401;
	case CCON_E_TOO_LARGE: return 413;
	case CCON_E_CONTENT_TYPE: return 415;
	case CCON_E_CONFLICT: return 409;
	case CCON_E_NOMEM: case CCON_E_IO: case CCON_E_STORE: case CCON_E_INVALID_ARGUMENT:
	case CCON_E_NOT_IMPLEMENTED:
		return 500;
	default: return 400;
	}
}

static int fail(struct cmd *x, const struct ccon_error *e)
{
	x->failed = true;
	x->err = *e;
	x->reason = reason_for(e->code);
	return -1;
}

static int fail_reason(struct cmd *x, unsigned reason, const struct ccon_error *e)
{
	fail(x, e);
	x->reason = reason;
	return -1;
}

static int failf(struct cmd *x, enum ccon_errc code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int failf(struct cmd *x, enum ccon_errc code, const char *path, const char *fmt, ...)
{
	struct ccon_error e;
	va_list ap;

	ccon_error_clear(&e);
	va_start(ap, fmt);
	ccon_error_vset(&e, code, fmt, ap);
	va_end(ap);
	ccon_error_at_path(&e, path);
	return fail(x, &e);
}

static int nomem(struct cmd *x)
{
	return failf(x, CCON_E_NOMEM, NULL, "out of memory");
}

/* ------------------------------------------------------------ answer */

static void reason_extras(cJSON *reason, const struct cmd *x)
{
	cJSON *list = NULL;

	if (!reason)
		return;
	cJSON_AddStringToObject(reason, "error", ccon_errc_name(x->err.code));
	if (x->err.path[0])
		cJSON_AddStringToObject(reason, "path", x->err.path);
	if (x->err.line)
		cJSON_AddNumberToObject(reason, "line", (double)x->err.line);
	if (x->err.column)
		cJSON_AddNumberToObject(reason, "column", (double)x->err.column);
	if (x->errors && ccon_error_list_encode(x->errors, &list) == 0) {
		cJSON *items = cJSON_DetachItemFromObject(list, "errors");

		if (items)
			cJSON_AddItemToObject(reason, "errors", items);
		if (x->errors->truncated)
			cJSON_AddNumberToObject(reason, "truncated", (double)x->errors->truncated);
		cJSON_Delete(list);
	}
}

static void reply(struct cmd *x)
{
	struct ccon_command_answer ans;
	cJSON *body = NULL;
	char desc[CCON_ERROR_PATH_MAX + CCON_ERROR_MESSAGE_MAX + 64];
	int rc;

	if (!x->failed) {
		rc = ccon_command_answer_success(&x->cmd, x->type, x->resource, &ans);
		x->resource = NULL;
	} else {
		ccon_error_format(&x->err, desc, sizeof(desc));
		rc = ccon_command_answer_failure(&x->cmd, x->reason, desc, &ans);
		if (rc == 0 && !x->decoded) {
			ans.has_method = false;
			ans.id = x->raw_id;
			x->raw_id = NULL;
		}
	}
	if (rc < 0) {
		api_reply_errorf(x->c, 500, CCON_E_NOMEM, "out of memory");
		return;
	}
	if (x->decoded && x->cmd.uri) {
		ans.metadata = cJSON_CreateObject();
		if (ans.metadata)
			cJSON_AddStringToObject(ans.metadata, "#command.uri", x->cmd.uri);
	}
	if (ccon_command_answer_encode(&ans, &body) < 0)
		body = NULL;
	if (body && x->failed)
		reason_extras(cJSON_GetObjectItemCaseSensitive(body, "reason"), x);
	ccon_command_answer_free(&ans);
	api_reply_json(x->c, 200, body);
}

/* ------------------------------------------------------------ helpers */

static int64_t parse_id(const char *s)
{
	int64_t v = 0;

	if (!s || !*s || *s == '0')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int no_campaign(struct cmd *x, const char *id, const char *path)
{
	return failf(x, CCON_E_NOT_FOUND, path, "no campaign \"%.60s\"", id ? id : "");
}

/* The uri's campaign id: the application's campaign, or a failure. */
static int uri_campaign(struct cmd *x, struct campaign *out)
{
	int64_t id = parse_id(x->uri.campaign_id);
	struct ccon_error e;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!id)
		return no_campaign(x, x->uri.campaign_id, "uri");
	ccon_error_clear(&e);
	rc = campaigns_get(x->c->db, x->c->app_id, id, out, &e);
	if (rc < 0)
		return fail(x, &e);
	if (rc == 0)
		return no_campaign(x, x->uri.campaign_id, "uri");
	return 0;
}

/* The first task of a campaign (a seed-002 campaign has exactly one). */
struct task_row {
	int64_t id;
	char status[16];
	char timing[16];
	int64_t send_at_us;
	char *options;
};

static int first_task(struct cmd *x, int64_t campaign_id, struct task_row *t)
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
		return store_fail(x->c->db, &e, "reading a task"), fail(x, &e);
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
		return fail(x, &e);
	return ok ? 0 : nomem(x);
}

static char *time_text(int64_t us, char buf[CCON_DATETIME_FORMAT_MAX])
{
	if (ccon_datetime_format(us, buf, CCON_DATETIME_FORMAT_MAX, NULL) < 0)
		buf[0] = '\0';
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
static int campaign_answer(struct cmd *x, int64_t campaign_id, const char *send_answer)
{
	struct reads_scope scope = { x->c->app_id, campaign_id, 0, 0, 1 };
	struct ccon_campaign_info ci;
	struct reads_state state;
	struct campaign camp;
	struct task_row task;
	struct ccon_error e;
	char idbuf[24], tbuf[CCON_DATETIME_FORMAT_MAX], sbuf[CCON_DATETIME_FORMAT_MAX];
	cJSON *res = NULL, *sa;
	bool ok = true;
	int rc;

	ccon_error_clear(&e);
	rc = campaigns_get(x->c->db, x->c->app_id, campaign_id, &camp, &e);
	if (rc <= 0)
		return rc < 0 ? fail(x, &e) : no_campaign(x, "", "");
	if (first_task(x, campaign_id, &task) < 0 ||
	    reads_campaign_state(x->c->db, &scope, &state, &e) < 0) {
		campaign_free(&camp);
		free(task.options);
		return x->failed ? -1 : fail(x, &e);
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
	ci.created = time_text(camp.created_us, tbuf);
	if (strcmp(task.timing, "schedule") == 0)
		ci.scheduled = time_text(task.send_at_us, sbuf);
	ci.failed_reason = state.failed_reason;
	if (ok && ccon_campaign_info_encode(&ci, &res) == 0) {
		if (task.id)
			cJSON_AddNumberToObject(res, "taskId", (double)task.id);
		if (state.send_at_us)
			cJSON_AddStringToObject(res, "sendDate", time_text(state.send_at_us, sbuf));
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
	if (!res)
		return nomem(x);
	x->resource = res;
	x->type = CAMPAIGN_TYPE;
	return 0;
}

/* The campaignId of a send's answer. */
static int64_t answer_campaign_id(const char *answer)
{
	cJSON *a = answer ? cJSON_Parse(answer) : NULL;
	const cJSON *id = cJSON_GetObjectItem(a, "campaignId");
	int64_t v = cJSON_IsNumber(id) ? (int64_t)id->valuedouble : 0;

	cJSON_Delete(a);
	return v;
}

/* ------------------------------------------------------------ recipients */

/* messageParams other than the phone go into the contact's extras: a key
 * naming the phone (phone, phoneNumber, recipient) or a value that is the
 * recipient's number stays out. */
static int extras_of(const struct ccon_fields *params, const char *e164, struct ccon_fields *out)
{
	static const char *const phone_keys[] = { "phone", "phonenumber", "recipient" };

	for (size_t i = 0; i < params->count; i++) {
		const struct ccon_field *f = &params->items[i];
		char num[CCON_E164_BUFSIZE];
		bool skip = false;

		for (size_t k = 0; k < sizeof(phone_keys) / sizeof(phone_keys[0]); k++)
			skip |= strcasecmp(f->name, phone_keys[k]) == 0;
		if (!skip && ccon_phone_normalize(f->value, strlen(f->value), num, NULL) == 0)
			skip = strcmp(num, e164) == 0;
		if (!skip && ccon_fields_add(out, f->name, f->value, strlen(f->value)) < 0)
			return -1;
	}
	return 0;
}

/* Context variables as a JSON object's text, written by the campaign codec
 * (scalars as text, objects and arrays as JSON). NULL when there are none. */
static int context_json(const struct ccon_audience *a, char **out)
{
	struct ccon_audience_list one = { (struct ccon_audience *)a, 1 };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	cJSON *list = NULL, *ctx;

	*out = NULL;
	if (!a->context_variables.count)
		return 0;
	if (ccon_audience_list_encode(&one, &list) < 0)
		return -1;
	ctx = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(list, "audiences"), 0),
	                          "contextVariables");
	if (ctx && ccon_json_print(ctx, &sb) < 0) {
		cJSON_Delete(list);
		ccon_strbuf_free(&sb);
		return -1;
	}
	cJSON_Delete(list);
	*out = ctx ? ccon_strbuf_detach(&sb) : NULL;
	return 0;
}

/* Adds one audience to the job; path names it ("resource.audiences[3]"). */
static int add_audience(struct cmd *x, struct sendjob *job, const struct ccon_audience *a,
                        const char *channel_type, const char *path)
{
	struct ccon_fields extras = CCON_FIELDS_INIT;
	struct sendjob_recipient r;
	struct ccon_error e;
	char e164[CCON_E164_BUFSIZE];
	char *ctx = NULL;
	int rc;

	ccon_error_clear(&e);
	if (ccon_phone_normalize(a->recipient, strlen(a->recipient), e164, &e) < 0) {
		ccon_error_at_path(&e, "recipient");
		ccon_error_prefix_path(&e, path);
		return fail(x, &e);
	}
	if (extras_of(&a->message_params, e164, &extras) < 0 || context_json(a, &ctx) < 0) {
		ccon_fields_free(&extras);
		return nomem(x);
	}
	memset(&r, 0, sizeof(r));
	r.recipient = e164;
	r.recipient_type = "phone";
	r.channel_type = channel_type;
	r.params = &a->message_params;
	r.extras = &extras;
	r.context_json = ctx;
	r.resolve_contact = true;
	rc = sendjob_add(job, &r, &e);
	ccon_fields_free(&extras);
	free(ctx);
	return rc < 0 ? fail(x, &e) : 0;
}

/* ------------------------------------------------------------ creating */

/* The campaign row of a full or v2 campaign; owned strings are freed by
 * row_free (the others are borrowed from the decoded resource). */
struct new_campaign {
	struct campaign row;
	char *params_json;
	char *tags_json;
};

static char *strings_json(char *const *v, size_t n)
{
	cJSON *arr;
	char *s;

	if (!n)
		return NULL;
	arr = cJSON_CreateStringArray((const char *const *)v, (int)n);
	s = arr ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	return s;
}

static int row_build(struct cmd *x, const struct ccon_campaign_def *def,
                     const struct ccon_campaign_message *msg, const char *origin,
                     struct new_campaign *nc)
{
	struct campaign *r = &nc->row;

	memset(nc, 0, sizeof(*nc));
	nc->params_json = strings_json(msg->params, msg->n_params);
	nc->tags_json = strings_json(def->tags, def->n_tags);
	if ((msg->n_params && !nc->params_json) || (def->n_tags && !nc->tags_json))
		return nomem(x);
	r->app_id = x->c->app_id;
	r->name = def->name;
	r->channel = msg->channel == CCON_CHANNEL_GOOGLE_RCS ? "rcs" : "whatsapp";
	r->campaign_type = (char *)ccon_campaign_type_name(def->type);
	r->template_name = msg->message_template;
	r->template_body = msg->message_content;
	r->template_params = nc->params_json;
	r->language = msg->template_language;
	r->flow_id = def->flow_id;
	r->state_id = def->state_id;
	r->master_state = def->master_state;
	r->source_application = def->source_application;
	r->campaign_sender = x->cmd.from;
	r->tags = nc->tags_json;
	r->origin = (char *)origin;
	r->created_us = x->c->now_us;
	return 0;
}

static void row_free(struct new_campaign *nc)
{
	cJSON_free(nc->params_json);
	cJSON_free(nc->tags_json);
}

/* Inside the send's transaction: the campaign first, so a refused send
 * leaves no campaign behind. */
static int insert_campaign(void *ctx, sqlite3 *db, struct sendjob *job, struct ccon_error *err)
{
	struct new_campaign *nc = ctx;

	if (campaigns_insert(db, &nc->row, err) < 0)
		return -1;
	job->campaign_id = nc->row.id;
	return 0;
}

static int need_resource(struct cmd *x)
{
	if (x->csv)
		return failf(x, CCON_E_JSON_TYPE, "resource", "expected an object, got string");
	if (!x->cmd.resource)
		return failf(x, CCON_E_JSON_REQUIRED, "resource", "this command needs a resource");
	return 0;
}

static int scheduled_timing(struct cmd *x, const char *scheduled, struct ccon_timing *t)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (ccon_timing_resolve_scheduled(x->c->now_us, scheduled, t, &e) < 0) {
		ccon_error_at_path(&e, "scheduled");
		ccon_error_prefix_path(&e, "resource.campaign");
		return fail(x, &e);
	}
	return 0;
}

/* Commits the job (the campaign is inserted by before_commit) and answers
 * the campaign. */
static int commit_and_answer(struct cmd *x, struct sendjob *job)
{
	const char *key = x->c->req->idempotency_key;
	char hash[CCON_SHA256_HEX_SIZE];
	char *resource = NULL, *answer = NULL;
	unsigned status;
	struct ccon_error e;
	int rc;

	ccon_error_clear(&e);
	if (key) {
		cJSON *res = x->cmd.resource;

		resource = res ? cJSON_PrintUnformatted(res) : NULL;
		idempotency_hash("set", x->cmd.uri, NULL, resource ? resource : "",
		                 resource ? strlen(resource) : 0, hash);
		cJSON_free(resource);
	}
	rc = sendjob_commit(job, x->c->db, key, key ? hash : NULL, &status, &answer, &e);
	if (rc < 0)
		return e.code == CCON_E_CONFLICT ? fail_reason(x, 422, &e) : fail(x, &e);
	rc = campaign_answer(x, answer_campaign_id(answer), answer);
	free(answer);
	return rc;
}

static int cmd_campaign_full(struct cmd *x)
{
	struct ccon_full_campaign fc;
	struct new_campaign nc;
	struct sendjob job;
	struct ccon_error e;
	bool individual;
	int rc = -1;

	if (need_resource(x) < 0)
		return -1;
	ccon_error_clear(&e);
	if (ccon_full_campaign_decode(x->cmd.resource, &fc, &e) < 0) {
		ccon_cmd_resource_error_path(&e);
		return fail(x, &e);
	}
	individual = fc.campaign.type == CCON_CAMPAIGN_INDIVIDUAL;
	sendjob_init(&job, x->c->app_id, NULL, "full", x->c->now_us);
	if (row_build(x, &fc.campaign, &fc.message, "full", &nc) < 0 ||
	    scheduled_timing(x, fc.campaign.scheduled, &job.timing) < 0)
		goto out;
	job.before_commit = insert_campaign;
	job.before_ctx = &nc;
	job.channel = nc.row.channel;
	for (size_t i = 0; i < fc.n_audiences; i++) {
		char path[48];

		if (individual)
			snprintf(path, sizeof(path), "resource.audience");
		else
			snprintf(path, sizeof(path), "resource.audiences[%zu]", i);
		if (add_audience(x, &job, &fc.audiences[i], ccon_channel_name(fc.message.channel),
		                 path) < 0)
			goto out;
	}
	rc = commit_and_answer(x, &job);
out:
	sendjob_free(&job);
	row_free(&nc);
	ccon_full_campaign_free(&fc);
	return rc;
}

static int cmd_campaign_v2(struct cmd *x)
{
	struct ccon_dynamic_campaign dc;
	struct new_campaign nc;
	struct sendjob job;
	struct ccon_error e;
	cJSON *opts = NULL;
	int rc = -1;

	if (need_resource(x) < 0)
		return -1;
	ccon_error_clear(&e);
	if (ccon_dynamic_campaign_decode(x->cmd.resource, &dc, &e) < 0) {
		ccon_cmd_resource_error_path(&e);
		return fail(x, &e);
	}
	sendjob_init(&job, x->c->app_id, NULL, "v2", x->c->now_us);
	if (row_build(x, &dc.campaign, &dc.message, "v2", &nc) < 0 ||
	    scheduled_timing(x, dc.campaign.scheduled, &job.timing) < 0)
		goto out;
	/* Scheduled is resolved again at dispatch: the window is checked then. */
	if (dc.campaign.scheduled) {
		opts = cJSON_CreateObject();
		if (!opts || !cJSON_AddStringToObject(opts, "scheduled", dc.campaign.scheduled) ||
		    !(job.options_json = cJSON_PrintUnformatted(opts))) {
			nomem(x);
			goto out;
		}
	}
	job.draft = true;
	job.before_commit = insert_campaign;
	job.before_ctx = &nc;
	job.channel = nc.row.channel;
	rc = commit_and_answer(x, &job);
out:
	cJSON_Delete(opts);
	sendjob_free(&job);
	row_free(&nc);
	ccon_dynamic_campaign_free(&dc);
	return rc;
}

/* ------------------------------------------------------------ v2 audiences */

/* The v2 campaign's draft task, or a failure saying why audiences cannot
 * be added (or the campaign dispatched). */
static int v2_draft(struct cmd *x, const struct campaign *camp, struct task_row *task,
                    const char *what)
{
	if (strcmp(camp->origin, "v2") != 0)
		return failf(x, CCON_E_CONFLICT, "", "campaign %lld was created with /campaign/%s: "
		             "%s only a /campaign/v2 campaign", (long long)camp->id,
		             strcmp(camp->origin, "full") == 0 ? "full" : "s (REST)", what);
	if (first_task(x, camp->id, task) < 0)
		return -1;
	if (!task->id)
		return failf(x, CCON_E_CONFLICT, "", "campaign %lld has no send to build",
		             (long long)camp->id);
	if (camp->dispatched || strcmp(task->status, "draft") != 0)
		return failf(x, CCON_E_CONFLICT, "", "campaign %lld was dispatched: %s",
		             (long long)camp->id,
		             strcmp(what, "dispatch") == 0 ? "it cannot be dispatched again"
		                                          : "no audience can be added");
	return 0;
}

/* The campaign's message, rebuilt from its row, to check audiences with. */
struct stored_message {
	struct ccon_campaign_message msg;
	cJSON *params;
};

static int stored_message(const struct campaign *camp, struct stored_message *sm)
{
	const cJSON *it;
	size_t n = 0;

	memset(sm, 0, sizeof(*sm));
	sm->msg.message_template = camp->template_name;
	sm->msg.message_content = camp->template_body;
	sm->msg.template_language = camp->language;
	sm->msg.channel = strcmp(camp->channel, "rcs") == 0 ? CCON_CHANNEL_GOOGLE_RCS
	                                                     : CCON_CHANNEL_WHATSAPP;
	sm->msg.has_channel = true;
	sm->params = camp->template_params ? cJSON_Parse(camp->template_params) : NULL;
	if (!cJSON_IsArray(sm->params))
		return 0;
	sm->msg.params = calloc((size_t)cJSON_GetArraySize(sm->params) + 1, sizeof(char *));
	if (!sm->msg.params)
		return -1;
	cJSON_ArrayForEach(it, sm->params)
		if (cJSON_IsString(it))
			sm->msg.params[n++] = it->valuestring;
	sm->msg.n_params = n;
	return 0;
}

static void stored_message_free(struct stored_message *sm)
{
	free(sm->msg.params);
	cJSON_Delete(sm->params);
}

static int audiences_from_list(struct cmd *x, struct sendjob *job,
                               const struct ccon_campaign_message *msg)
{
	struct ccon_audience_list al;
	struct ccon_error e;
	const char *base;
	int rc = 0;

	ccon_error_clear(&e);
	if (ccon_audience_list_decode(x->cmd.resource, &al, &e) < 0) {
		ccon_cmd_resource_error_path(&e);
		return fail(x, &e);
	}
	/* Paths as the client wrote the list: a bare array, items or audiences. */
	base = cJSON_IsArray(x->cmd.resource)                  ? "resource"
	       : cJSON_GetObjectItem(x->cmd.resource, "items") ? "resource.items"
	                                                       : "resource.audiences";
	for (size_t i = 0; rc == 0 && i < al.count; i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s[%zu]", base, i);
		if (ccon_audience_check(msg, &al.items[i], path, &e) < 0)
			rc = fail(x, &e);
		else
			rc = add_audience(x, job, &al.items[i], ccon_channel_name(msg->channel), path);
	}
	ccon_audience_list_free(&al);
	return rc;
}

/* --- the CSV form */

struct csv_run {
	struct cmd *x;
	struct sendjob *job;
	const struct ccon_campaign_message *msg;
	const char *const *columns;
	size_t n_columns;
	struct ccon_error_list errors;
	bool oom;
};

/* Importer paths in seed 002's words. */
static void csv_error_path(struct ccon_error *e)
{
	char buf[CCON_ERROR_PATH_MAX];

	if (strcmp(e->path, "contact.contactCode") == 0) {
		snprintf(e->path, sizeof(e->path), CSV_RECIPIENT_COLUMN);
	} else if (strncmp(e->path, "customFields.", 13) == 0) {
		snprintf(buf, sizeof(buf), "messageParams.%s", e->path + 13);
		snprintf(e->path, sizeof(e->path), "%s", buf);
	}
}

static int csv_on_error(void *ctx, const struct ccon_error *err)
{
	struct csv_run *run = ctx;
	struct ccon_error e = *err;

	csv_error_path(&e);
	if (ccon_error_list_add(&run->errors, &e) < 0)
		run->oom = true;
	return run->oom ? -1 : 0;
}

static long csv_column_of(const struct csv_run *run, const char *name)
{
	for (size_t i = 0; i < run->n_columns; i++)
		if (strcmp(run->columns[i], name) == 0)
			return (long)i + 1;
	return 0;
}

static int csv_on_contact(void *ctx, const struct ccon_csv_contact *ct)
{
	struct csv_run *run = ctx;
	struct ccon_audience a;
	struct sendjob_recipient r;
	struct ccon_error e;
	char *cv = NULL;
	int rc = 0;

	memset(&a, 0, sizeof(a));
	a.recipient = (char *)ct->contact_code;
	for (size_t i = 0; i < ct->n_custom_fields && rc == 0; i++)
		rc = ccon_fields_add(&a.message_params, ct->custom_fields[i].name,
		                     ct->custom_fields[i].value, ct->custom_fields[i].len);
	if (rc == 0 && ct->context_variables)
		rc = (cv = strndup(ct->context_variables, ct->context_variables_len)) ? 0 : -1;
	if (rc < 0) {
		run->oom = true;
		goto out;
	}
	ccon_error_clear(&e);
	if (ccon_audience_check(run->msg, &a, "", &e) < 0) {
		const char *dot = strchr(e.path, '.');

		ccon_error_at_line(&e, ct->line, dot ? csv_column_of(run, dot + 1) : 0);
		rc = csv_on_error(run, &e);
		goto out;
	}
	if (run->errors.count || run->errors.truncated)
		goto out;  /* all or nothing: no point in spooling more */
	memset(&r, 0, sizeof(r));
	r.recipient = ct->contact_code;
	r.recipient_type = "phone";
	r.channel_type = ccon_channel_name(run->msg->channel);
	r.params = &a.message_params;
	r.extras = &a.message_params;
	r.context_json = cv;
	r.resolve_contact = true;
	if (sendjob_add(run->job, &r, &e) < 0) {
		rc = -1;
		run->oom = true;
	}
out:
	ccon_fields_free(&a.message_params);
	free(cv);
	return rc;
}

/* Reads the header only, to build the layout from its columns. */
static int csv_header(struct cmd *x, char ***cols, size_t *n)
{
	struct ccon_layout probe = CCON_LAYOUT_INIT;
	struct ccon_csv_import *imp = NULL;
	const char *const *c = NULL;
	struct ccon_error e;
	size_t len = strlen(x->csv), off = 0;
	int rc = -1;

	*cols = NULL;
	*n = 0;
	ccon_error_clear(&e);
	if (ccon_layout_build("+15550000000", "cloud_api", NULL, NULL, 0, &probe, &e) < 0 ||
	    ccon_csv_import_new(&probe, NULL, NULL, NULL, NULL, &imp, &e) < 0)
		goto out;
	while (!c && off < len) {
		size_t step = len - off < 4096 ? len - off : 4096;

		if (ccon_csv_import_feed(imp, x->csv + off, step, &e) < 0)
			goto out;
		off += step;
		c = ccon_csv_import_columns(imp, n);
	}
	if (!c) {
		if (ccon_csv_import_finish(imp, &e) < 0 && e.code != CCON_E_LAYOUT_NO_COLUMN)
			goto out;
		c = ccon_csv_import_columns(imp, n);
	}
	if (!c || !*n) {
		ccon_error_set(&e, CCON_E_CSV_EMPTY, "the CSV has no header line");
		ccon_error_at_line(&e, 1, 0);
		goto out;
	}
	*cols = calloc(*n, sizeof(char *));
	for (size_t i = 0; *cols && i < *n; i++)
		if (!((*cols)[i] = strdup(c[i])))
			break;
	if (!*cols || !(*cols)[*n - 1]) {
		ccon_error_set(&e, CCON_E_NOMEM, "out of memory");
		goto out;
	}
	rc = 0;
out:
	ccon_csv_import_free(imp);
	ccon_layout_free(&probe);
	if (rc < 0) {
		for (size_t i = 0; *cols && i < *n; i++)
			free((*cols)[i]);
		free(*cols);
		*cols = NULL;
		*n = 0;
		ccon_error_prefix_path(&e, "resource");
		return fail(x, &e);
	}
	return 0;
}

/* recipient -> contactCode, #contextvariables# as the importer reads it,
 * every other column a message parameter of the same name. */
static int csv_layout(struct cmd *x, char **cols, size_t n, struct ccon_layout *layout)
{
	const char **names = calloc(n ? n : 1, sizeof(char *));
	char **values = calloc(n ? n : 1, sizeof(char *));
	char code[64] = "";
	size_t k = 0;
	struct ccon_error e;
	int rc = -1;

	ccon_error_clear(&e);
	if (!names || !values) {
		nomem(x);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(cols[i], CSV_RECIPIENT_COLUMN) == 0 && !code[0]) {
			snprintf(code, sizeof(code), "{{%s}}", cols[i]);
			continue;
		}
		if (strcasecmp(cols[i], CSV_CONTEXT_COLUMN) == 0)
			continue;
		if (!ccon_custom_field_name_valid(cols[i], strlen(cols[i]))) {
			ccon_error_set(&e, CCON_E_CSV_HEADER,
			               "column \"%.40s\" cannot name a message parameter: use letters, "
			               "digits and _ (or name it " CSV_RECIPIENT_COLUMN " or "
			               CSV_CONTEXT_COLUMN ")", cols[i]);
			ccon_error_at_line(&e, 1, (long)i + 1);
			ccon_error_at_path(&e, "resource");
			fail(x, &e);
			goto out;
		}
		names[k] = cols[i];
		if (!(values[k] = malloc(strlen(cols[i]) + 5))) {
			nomem(x);
			goto out;
		}
		sprintf(values[k++], "{{%s}}", cols[i]);
	}
	if (!code[0]) {
		ccon_error_set(&e, CCON_E_CSV_HEADER,
		               "the CSV needs a column named \"" CSV_RECIPIENT_COLUMN "\" holding "
		               "each phone number");
		ccon_error_at_line(&e, 1, 0);
		ccon_error_at_path(&e, "resource");
		fail(x, &e);
		goto out;
	}
	if (ccon_layout_build(code, "cloud_api", names, (const char *const *)values, k, layout,
	                      &e) < 0) {
		ccon_error_prefix_path(&e, "resource");
		fail(x, &e);
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; values && i < k; i++)
		free(values[i]);
	free(values);
	free(names);
	return rc;
}

static int audiences_from_csv(struct cmd *x, struct sendjob *job,
                              const struct ccon_campaign_message *msg)
{
	struct ccon_layout layout = CCON_LAYOUT_INIT;
	struct ccon_csv_import *imp = NULL;
	struct csv_run run;
	struct ccon_error e, head;
	char **cols;
	size_t n;
	int rc = -1;

	if (csv_header(x, &cols, &n) < 0)
		return -1;
	if (csv_layout(x, cols, n, &layout) < 0)
		goto out;
	memset(&run, 0, sizeof(run));
	run.x = x;
	run.job = job;
	run.msg = msg;
	run.columns = (const char *const *)cols;
	run.n_columns = n;
	ccon_error_clear(&head);
	ccon_error_set(&head, CCON_E_CSV_FIELD_COUNT, "rows refused");
	ccon_error_list_init(&run.errors, &head);
	ccon_error_clear(&e);
	if (ccon_csv_import_new(&layout, NULL, csv_on_contact, csv_on_error, &run, &imp, &e) < 0 ||
	    ccon_csv_import_feed(imp, x->csv, strlen(x->csv), &e) < 0 ||
	    ccon_csv_import_finish(imp, &e) < 0) {
		if (run.oom)
			nomem(x);
		else if (!run.errors.count)
			fail(x, &e);
	}
	if (!x->failed && ccon_error_list_total(&run.errors)) {
		struct ccon_error first = run.errors.items[0].error;
		size_t total = ccon_error_list_total(&run.errors);

		ccon_error_set(&first, first.code, "%zu error%s in the CSV (nothing was added); "
		               "the first: %s", total, total == 1 ? "" : "s",
		               run.errors.items[0].error.message);
		ccon_error_prefix_path(&first, "resource");
		fail(x, &first);
	}
	if (x->failed && ccon_error_list_total(&run.errors)) {
		x->errors = malloc(sizeof(*x->errors));
		if (x->errors) {
			*x->errors = run.errors;
			memset(&run.errors, 0, sizeof(run.errors));
		}
	}
	ccon_error_list_free(&run.errors);
	rc = x->failed ? -1 : 0;
out:
	ccon_csv_import_free(imp);
	ccon_layout_free(&layout);
	for (size_t i = 0; i < n; i++)
		free(cols[i]);
	free(cols);
	return rc;
}

static int cmd_audiences_v2(struct cmd *x)
{
	struct stored_message sm;
	struct campaign camp;
	struct task_row task;
	struct sendjob job;
	struct ccon_error e;
	char *answer = NULL;
	unsigned status;
	int rc;

	if (uri_campaign(x, &camp) < 0)
		return -1;
	memset(&task, 0, sizeof(task));
	if (v2_draft(x, &camp, &task, "audiences can be added to") < 0 ||
	    (!x->csv && need_resource(x) < 0)) {
		campaign_free(&camp);
		free(task.options);
		return -1;
	}
	if (stored_message(&camp, &sm) < 0) {
		campaign_free(&camp);
		free(task.options);
		return nomem(x);
	}
	sendjob_init(&job, x->c->app_id, &camp, "v2", x->c->now_us);
	job.campaign_id = camp.id;
	job.channel = camp.channel;
	job.draft = true;
	rc = x->csv ? audiences_from_csv(x, &job, &sm.msg) : audiences_from_list(x, &job, &sm.msg);
	if (rc == 0) {
		ccon_error_clear(&e);
		rc = sendjob_append(&job, x->c->db, task.id, &status, &answer, &e);
		if (rc < 0)
			fail(x, &e);
		else
			rc = campaign_answer(x, camp.id, answer);
	}
	free(answer);
	sendjob_free(&job);
	stored_message_free(&sm);
	campaign_free(&camp);
	free(task.options);
	return rc;
}

/* ------------------------------------------------------------ dispatch */

static int64_t task_recipients(struct cmd *x, int64_t task_id)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_prepare_v2(x->c->db, "SELECT COUNT(*) FROM recipients WHERE task_id = ?1", -1,
	                       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, task_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int dispatch_timing(struct cmd *x, const struct task_row *task, struct ccon_timing *t)
{
	cJSON *opts = task->options ? cJSON_Parse(task->options) : NULL;
	const cJSON *s = cJSON_GetObjectItem(opts, "scheduled");
	struct ccon_error e;
	int rc = 0;

	ccon_error_clear(&e);
	if (ccon_timing_resolve_scheduled(x->c->now_us, cJSON_IsString(s) ? s->valuestring : NULL,
	                                  t, &e) < 0) {
		ccon_error_set(&e, e.code, "the campaign's scheduled time can no longer be used: %s",
		               e.message);
		ccon_error_at_path(&e, "");
		rc = fail_reason(x, 409, &e);
	}
	cJSON_Delete(opts);
	return rc;
}

static int cmd_dispatch_v2(struct cmd *x)
{
	struct ccon_dispatch d;
	struct campaign camp;
	struct task_row task;
	struct ccon_timing timing;
	struct ccon_error e;
	char *answer = NULL;
	unsigned status;
	int64_t id, n;
	int rc = -1;

	if (need_resource(x) < 0)
		return -1;
	ccon_error_clear(&e);
	if (ccon_dispatch_decode(x->cmd.resource, &d, &e) < 0) {
		ccon_cmd_resource_error_path(&e);
		return fail(x, &e);
	}
	memset(&camp, 0, sizeof(camp));
	memset(&task, 0, sizeof(task));
	id = parse_id(d.campaign_id);
	rc = id ? campaigns_get(x->c->db, x->c->app_id, id, &camp, &e) : 0;
	if (rc <= 0) {
		rc = rc < 0 ? fail(x, &e) : no_campaign(x, d.campaign_id, "resource.campaignId");
		goto out;
	}
	rc = -1;
	if (v2_draft(x, &camp, &task, "dispatch") < 0)
		goto out;
	n = task_recipients(x, task.id);
	if (n == 0) {
		failf(x, CCON_E_CONFLICT, "resource.campaignId", "campaign %lld has no audience yet: "
		      "add some with set /audiences/v2/%lld first", (long long)id, (long long)id);
		goto out;
	}
	if (dispatch_timing(x, &task, &timing) < 0)
		goto out;
	if (sendjob_dispatch(x->c->db, x->c->app_id, task.id, &timing, CCON_SLICING_FRAGMENTED,
	                     x->c->now_us, &status, &answer, &e) < 0) {
		fail(x, &e);
		goto out;
	}
	rc = campaign_answer(x, id, answer);
out:
	free(answer);
	free(task.options);
	campaign_free(&camp);
	ccon_dispatch_free(&d);
	return rc;
}

/* ------------------------------------------------------------ delete */

static int exec_bound(sqlite3 *db, const char *sql, int64_t a, const char *text,
                      struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, err, "canceling a campaign");
	sqlite3_bind_int64(st, 1, a);
	if (text)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "canceling a campaign");
}

/* Gives back the slot places the task's pending recipients held. */
static int release_slots(sqlite3 *db, int64_t app_id, const char *channel, int64_t task_id,
                         struct ccon_error *err)
{
	struct ccon_slot_plan plan;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(&plan, 0, sizeof(plan));
	if (sqlite3_prepare_v2(db,
	                       "SELECT slot_start_us, COUNT(*) FROM recipients WHERE task_id = ?1 "
	                       "AND status = 'pending' AND slot_start_us IS NOT NULL "
	                       "GROUP BY slot_start_us ORDER BY slot_start_us",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, err, "canceling a campaign");
	sqlite3_bind_int64(st, 1, task_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (plan.n_shares == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct ccon_slot_share *s = realloc(plan.shares, ncap * sizeof(*s));

			if (!s) {
				sqlite3_finalize(st);
				free(plan.shares);
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			}
			plan.shares = s;
			cap = ncap;
		}
		plan.shares[plan.n_shares].slot_start_us = sqlite3_column_int64(st, 0);
		plan.shares[plan.n_shares++].count = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(plan.shares);
		return store_fail(db, err, "canceling a campaign");
	}
	rc = plan.n_shares ? slot_store_reserve(db, app_id, channel, &plan, -1, err) : 0;
	free(plan.shares);
	return rc;
}

/* Why the campaign cannot be canceled, or 0 when it can: every task is a
 * draft or scheduled with no recipient handed over yet. */
static int cancel_refusal(sqlite3 *db, int64_t campaign_id, char *why, size_t size,
                          struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc, live = 0, canceled = 0, n = 0;

	if (sqlite3_prepare_v2(db,
	                       "SELECT t.status, EXISTS (SELECT 1 FROM recipients r WHERE "
	                       "r.task_id = t.id AND r.status NOT IN ('pending', 'canceled')) "
	                       "FROM tasks t WHERE t.campaign_id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, err, "canceling a campaign");
	sqlite3_bind_int64(st, 1, campaign_id);
	why[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		n++;
		if (strcmp(s, "canceled") == 0) {
			canceled++;
		} else if ((strcmp(s, "scheduled") == 0 || strcmp(s, "draft") == 0) &&
		           !sqlite3_column_int(st, 1)) {
			live++;
		} else if (!why[0]) {
			snprintf(why, size, "campaign %lld is %s: only a campaign that has not "
			         "started sending can be canceled", (long long)campaign_id,
			         strcmp(s, "scheduled") == 0 ? "running" : s);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "canceling a campaign");
	if (!why[0] && !live)
		snprintf(why, size, n ? "campaign %lld is already canceled"
		                      : "campaign %lld has no send to cancel",
		         (long long)campaign_id);
	return 0;
}

static int cancel_campaign(struct cmd *x, const struct campaign *camp)
{
	sqlite3 *db = x->c->db;
	char why[160], reason[96], when[CCON_DATETIME_FORMAT_MAX];
	sqlite3_stmt *st;
	struct ccon_error e;
	int rc;

	ccon_error_clear(&e);
	if (store_begin(db, &e) < 0)
		return fail(x, &e);
	if (cancel_refusal(db, camp->id, why, sizeof(why), &e) < 0)
		goto fail;
	if (why[0]) {
		store_rollback(db);
		return failf(x, CCON_E_CONFLICT, "uri", "%s", why);
	}
	snprintf(reason, sizeof(reason), "canceled by delete /campaigns/%lld at %s",
	         (long long)camp->id, time_text(x->c->now_us, when) ? when : "?");
	if (sqlite3_prepare_v2(db, "SELECT id FROM tasks WHERE campaign_id = ?1 AND status IN "
	                           "('scheduled', 'draft')", -1, &st, NULL) != SQLITE_OK) {
		store_fail(db, &e, "canceling a campaign");
		goto fail;
	}
	sqlite3_bind_int64(st, 1, camp->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t task = sqlite3_column_int64(st, 0);

		if (release_slots(db, x->c->app_id, camp->channel, task, &e) < 0 ||
		    exec_bound(db, "UPDATE recipients SET status = 'canceled', reason_description = ?2 "
		                   "WHERE task_id = ?1 AND status = 'pending'", task, reason, &e) < 0 ||
		    exec_bound(db, "UPDATE tasks SET status = 'canceled', cancel_code = 'canceled', "
		                   "cancel_reason = ?2 WHERE id = ?1", task, reason, &e) < 0) {
			sqlite3_finalize(st);
			goto fail;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_fail(db, &e, "canceling a campaign");
		goto fail;
	}
	if (store_commit(db, &e) < 0)
		goto fail;
	return campaign_answer(x, camp->id, NULL);
fail:
	store_rollback(db);
	return fail(x, &e);
}

static int cmd_delete(struct cmd *x)
{
	struct campaign camp;
	int rc;

	if (uri_campaign(x, &camp) < 0)
		return -1;
	rc = cancel_campaign(x, &camp);
	campaign_free(&camp);
	return rc;
}

/* ------------------------------------------------------------ reads */

static int read_scope(struct cmd *x, struct reads_scope *s)
{
	memset(s, 0, sizeof(*s));
	s->app_id = x->c->app_id;
	s->campaign_id = parse_id(x->uri.campaign_id);
	s->skip = x->uri.skip;
	s->take = x->uri.take;
	if (!s->campaign_id)
		return no_campaign(x, x->uri.campaign_id, "uri");
	if (x->uri.task_id) {
		s->task_id = parse_id(x->uri.task_id);
		if (!s->task_id)
			return failf(x, CCON_E_JSON_VALUE, "uri.taskId",
			             "expected a task id (a whole number from 1), got \"%.40s\"",
			             x->uri.task_id);
	}
	return 0;
}

static int read_result(struct cmd *x, const struct reads_scope *s, int rc,
                       const struct ccon_error *e)
{
	if (rc < 0)
		return fail(x, e);
	if (rc == 0 && s->task_id)
		return failf(x, CCON_E_NOT_FOUND, "uri.taskId",
		             "campaign %lld has no send task %lld", (long long)s->campaign_id,
		             (long long)s->task_id);
	if (rc == 0)
		return no_campaign(x, x->uri.campaign_id, "uri");
	return 0;
}

static int encoded(struct cmd *x, int rc, cJSON *res, const char *type)
{
	if (rc < 0 || !res)
		return nomem(x);
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
		return fail(x, &e);
	}
	*from = t - ((t % CCON_US_PER_DAY) + CCON_US_PER_DAY) % CCON_US_PER_DAY;
	*to = *from + CCON_US_PER_DAY;
	return 0;
}

static int cmd_summaries(struct cmd *x)
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
		return fail(x, &e);
	rc = ccon_summary_list_encode(&l, &res);
	ccon_summary_list_free(&l);
	return encoded(x, rc, res, CCON_COLLECTION_TYPE);
}

static int cmd_summary(struct cmd *x)
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

static int cmd_audience(struct cmd *x)
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

static int cmd_messages(struct cmd *x)
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

static int cmd_report(struct cmd *x)
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

/* ------------------------------------------------------------ envelope */

static bool json_content_type(const char *ct)
{
	size_t n;

	if (!ct || !*ct)
		return true;
	n = strcspn(ct, ";");
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	       (n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0);
}

/* Parses the body into x->cmd; a string resource is CSV text, kept aside
 * (the envelope codec takes objects and arrays only). */
static int decode_envelope(struct cmd *x)
{
	const struct ccon_strbuf *b = &x->c->req->body;
	struct ccon_error e;
	cJSON *root, *res, *id;
	bool ok = true;

	ccon_error_clear(&e);
	if (!json_content_type(x->c->req->content_type))
		return failf(x, CCON_E_CONTENT_TYPE, NULL,
		             "a command is JSON: send it as application/json, not %.60s",
		             x->c->req->content_type);
	if (!b->len)
		return failf(x, CCON_E_JSON_SYNTAX, NULL, "the body is empty: a command envelope "
		             "{id, to, method, uri, type, resource} was expected");
	if (ccon_json_parse(b->buf, b->len, &root, &e) < 0)
		return fail(x, &e);
	res = cJSON_GetObjectItem(root, "resource");
	if (cJSON_IsString(res)) {
		x->csv = ccon_json_strdup(res->valuestring, &ok);
		cJSON_DeleteItemFromObject(root, "resource");
	}
	if (ok && ccon_command_decode(root, &x->cmd, &e) == 0) {
		x->decoded = true;
	} else if (ok) {
		id = cJSON_GetObjectItem(root, "id");
		if (cJSON_IsString(id))
			x->raw_id = ccon_json_strdup(id->valuestring, &ok);
		fail(x, &e);
	}
	cJSON_Delete(root);
	if (!ok)
		return nomem(x);
	return x->failed ? -1 : 0;
}

static int route_command(struct cmd *x)
{
	struct ccon_error e;
	enum ccon_cmd_method want;

	ccon_error_clear(&e);
	if (ccon_cmd_uri_parse(x->cmd.uri, &x->uri, &e) < 0) {
		if (!e.path[0])   /* the path itself: no such uri */
			return fail_reason(x, 404, (ccon_error_at_path(&e, "uri"), &e));
		ccon_error_prefix_path(&e, "uri");
		return fail(x, &e);
	}
	want = ccon_cmd_route_method(x->uri.route);
	if (want != x->cmd.method)
		return failf(x, CCON_E_METHOD, "method", "%s is not taken by %s: use %s",
		             ccon_cmd_method_name(x->cmd.method),
		             ccon_cmd_route_pattern(x->uri.route), ccon_cmd_method_name(want));
	switch (x->uri.route) {
	case CCON_ROUTE_CAMPAIGN_FULL: return cmd_campaign_full(x);
	case CCON_ROUTE_CAMPAIGN_V2: return cmd_campaign_v2(x);
	case CCON_ROUTE_AUDIENCES_V2:
	case CCON_ROUTE_AUDIENCES_V2_FILE: return cmd_audiences_v2(x);
	case CCON_ROUTE_DISPATCH_V2: return cmd_dispatch_v2(x);
	case CCON_ROUTE_SUMMARIES: return cmd_summaries(x);
	case CCON_ROUTE_SUMMARY: return cmd_summary(x);
	case CCON_ROUTE_REPORT: return cmd_report(x);
	case CCON_ROUTE_CAMPAIGN: return cmd_delete(x);
	case CCON_ROUTE_AUDIENCE: return cmd_audience(x);
	case CCON_ROUTE_MESSAGES: return cmd_messages(x);
	default: return failf(x, CCON_E_NOT_FOUND, "uri", "no such uri");
	}
}

void api_commands(struct api_call *c)
{
	struct cmd x;

	memset(&x, 0, sizeof(x));
	x.c = c;
	if (decode_envelope(&x) == 0)
		route_command(&x);
	reply(&x);
	cJSON_Delete(x.resource);
	free(x.raw_id);
	free(x.csv);
	if (x.errors) {
		ccon_error_list_free(x.errors);
		free(x.errors);
	}
	ccon_cmd_uri_free(&x.uri);
	ccon_command_free(&x.cmd);
}
