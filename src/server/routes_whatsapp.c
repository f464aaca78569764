/* routes_whatsapp.c - seed 004: POST /v1/whatsapp/messages, one message to
 * one recipient.
 *
 * The seed has no campaign; the data model has nothing else. Each
 * application gets one implicit campaign, "WhatsApp messages" (channel
 * whatsapp, origin "whatsapp"), made inside the send's transaction the
 * first time it is needed. Each message is a task of that campaign with one
 * recipient (the phone in E.164, or the group id with recipient_type
 * "group"; channel type cloud_api) whose params hold the message's fields
 * as the seed names them (numbers as text, the template as JSON text). The
 * recipient is sent to as given: no contact is looked up or created.
 *
 * The answer is the seed's: trackingId "wa-<taskId>" (the console finds the
 * message through its task) and createdAt, the task's creation time, so a
 * replayed Idempotency-Key answers the very same body. A dry run answers
 * 200 with an empty trackingId (nothing was created), "dryRun": true and
 * the slicing plan the send would have had.
 */
#include "config.h"

#include "routes.h"
#include "idempotency.h"
#include "send_common.h"
#include "sendjob.h"

#include <ccon/codec_whatsapp.h>
#include <ccon/datetime.h>
#include <ccon/json_util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WA_CAMPAIGN_NAME "WhatsApp messages"
#define WA_ORIGIN "whatsapp"
#define WA_TRACKING_PREFIX "wa-"

static int store_error(sqlite3 *db, struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_STORE, "store: %s", sqlite3_errmsg(db));
}

/* The application's implicit campaign: 1 found (*id set), 0 none, -1 error. */
static int find_wa_campaign(sqlite3 *db, int64_t app_id, int64_t *id, struct ccon_error *err)
{
	static const char sql[] = "SELECT id FROM campaigns WHERE app_id = ?1 AND origin = ?2"
	                          " ORDER BY id LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err);
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, WA_ORIGIN, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_error(db, err);
}

/* before_commit: inside the send's transaction, so two first messages at
 * once cannot make two campaigns. */
static int wa_campaign(void *ctx, sqlite3 *db, struct sendjob *job, struct ccon_error *err)
{
	char name[] = WA_CAMPAIGN_NAME, channel[] = "whatsapp", origin[] = WA_ORIGIN;
	char type[] = "Individual";
	struct campaign camp;
	int rc;

	(void)ctx;
	rc = find_wa_campaign(db, job->app_id, &job->campaign_id, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	memset(&camp, 0, sizeof(camp));
	camp.app_id = job->app_id;
	camp.name = name;
	camp.channel = channel;
	camp.campaign_type = type;
	camp.origin = origin;
	camp.created_us = job->now_us;
	if (campaigns_insert(db, &camp, err) < 0)
		return -1;
	job->campaign_id = camp.id;
	return 0;
}

/* The message's fields as the recipient's params. */
static int message_params(const struct ccon_whatsapp_message *msg, struct ccon_fields *out,
                          struct ccon_error *err)
{
	struct ccon_json_path path;
	cJSON *wrap = cJSON_CreateObject(), *enc = NULL;
	int rc = -1;

	ccon_json_path_init(&path, "");
	if (wrap && ccon_whatsapp_message_encode(msg, &enc) == 0 &&
	    cJSON_AddItemToObject(wrap, "m", enc)) {
		rc = ccon_json_get_fields(wrap, "m", CCON_JSON_REQUIRED, &path, true, out, err);
	} else {
		cJSON_Delete(enc);   /* not in wrap when the key could not be copied */
		ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	cJSON_Delete(wrap);
	return rc;
}

static int64_t task_created_us(sqlite3 *db, int64_t app_id, int64_t task_id, int64_t fallback)
{
	static const char sql[] = "SELECT created_us FROM tasks WHERE id = ?1 AND app_id = ?2";
	sqlite3_stmt *st;
	int64_t v = fallback;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fallback;
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_int64(st, 2, app_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The seed's answer from the pipeline's answer. NULL when out of memory or
 * when the pipeline's answer is not what sendjob.h says. */
static cJSON *seed_answer(struct api_call *c, const char *job_answer)
{
	struct ccon_whatsapp_answer ans;
	cJSON *ja = cJSON_Parse(job_answer), *out = NULL, *task, *dry, *slicing;
	char tracking[40], created[64];
	bool is_dry;
	int64_t task_id;

	if (!ja)
		return NULL;
	task = cJSON_GetObjectItemCaseSensitive(ja, "taskId");
	dry = cJSON_GetObjectItemCaseSensitive(ja, "dryRun");
	is_dry = cJSON_IsTrue(dry);
	task_id = cJSON_IsNumber(task) ? (int64_t)task->valuedouble : 0;
	if (!is_dry && task_id <= 0)
		goto done;
	tracking[0] = '\0';
	if (!is_dry)
		snprintf(tracking, sizeof(tracking), WA_TRACKING_PREFIX "%lld", (long long)task_id);
	if (ccon_datetime_format(is_dry ? c->now_us
	                                : task_created_us(c->db, c->app_id, task_id, c->now_us),
	                         created, sizeof(created), NULL) < 0)
		goto done;
	ans.tracking_id = tracking;
	ans.created_at = created;
	if (ccon_whatsapp_answer_encode(&ans, &out) < 0)
		goto done;
	if (is_dry) {
		slicing = cJSON_DetachItemFromObjectCaseSensitive(ja, "slicing");
		cJSON_AddBoolToObject(out, "dryRun", true);
		if (slicing)
			cJSON_AddItemToObject(out, "slicing", slicing);
	}
done:
	cJSON_Delete(ja);
	return out;
}

/* A stored message's answer, written over the pipeline's answer text (a
 * longer one: taskId, status, recipients, slicing...): nothing is
 * allocated after the commit, so a message that was stored is never
 * answered 500 for want of memory. NULL when the text is not what
 * sendjob.h says (the caller then builds the answer with cJSON). */
static char *stored_answer(struct api_call *c, char *job_answer)
{
	const char *t = strstr(job_answer, "\"taskId\":");
	char created[64], text[160];
	long long task_id;
	int n;

	if (!t || (task_id = strtoll(t + 9, NULL, 10)) <= 0 ||
	    ccon_datetime_format(task_created_us(c->db, c->app_id, task_id, c->now_us), created,
	                         sizeof(created), NULL) < 0)
		return NULL;
	n = snprintf(text, sizeof(text), "{\"trackingId\":\"" WA_TRACKING_PREFIX "%lld\","
	             "\"createdAt\":\"%s\"}", task_id, created);
	if (n < 0 || (size_t)n >= sizeof(text) || (size_t)n > strlen(job_answer))
		return NULL;
	memcpy(job_answer, text, (size_t)n + 1);
	return job_answer;
}

static int add_recipient(struct sendjob *job, const struct ccon_whatsapp_message *msg,
                         struct ccon_error *err)
{
	struct ccon_fields params = CCON_FIELDS_INIT;
	struct sendjob_recipient r;
	int rc;

	if (message_params(msg, &params, err) < 0) {
		ccon_fields_free(&params);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	if (msg->to_kind == CCON_WHATSAPP_TO_GROUP) {
		r.recipient = msg->to;
		r.recipient_type = "group";
	} else {
		r.recipient = msg->to_e164;
		r.recipient_type = "phone";
	}
	r.channel_type = "cloud_api";
	r.params = &params;
	rc = sendjob_add(job, &r, err);
	ccon_fields_free(&params);
	return rc < 0 ? -1 : 0;
}

void api_whatsapp_message(struct api_call *c)
{
	struct ccon_whatsapp_message msg;
	char hash[CCON_SHA256_HEX_SIZE];
	struct ccon_error err;
	struct sendjob job;
	unsigned status = 400;
	char *answer = NULL;
	cJSON *body;

	ccon_error_clear(&err);
	if (!api_json_body(c))
		return;
	if (ccon_whatsapp_message_parse(c->req->body.buf, c->req->body.len, &msg, &err) < 0) {
		api_reply_error(c, 400, &err);
		return;
	}
	sendjob_init(&job, c->app_id, NULL, "whatsapp", c->now_us);
	job.dry_run = api_query_true(c, "dryRun");
	job.channel = "whatsapp";
	job.before_commit = wa_campaign;
	/* the same fingerprint as send_commit() */
	idempotency_hash(c->req->method, c->req->path, job.dry_run ? "dryRun=true" : "",
	                 c->req->body.buf, c->req->body.len, hash);
	if (add_recipient(&job, &msg, &err) < 0 ||
	    sendjob_commit(&job, c->db, c->req->idempotency_key, hash, &status, &answer, &err) < 0) {
		api_reply_error(c, api_status_for(&err), &err);
	} else if (!job.dry_run && stored_answer(c, answer)) {
		api_reply_text(c, status, answer);
		answer = NULL;
	} else {
		body = seed_answer(c, answer);
		if (body)
			api_reply_json(c, status, body);
		else
			api_reply_errorf(c, 500, CCON_E_NOMEM, "cannot build the answer");
	}
	free(answer);
	sendjob_free(&job);
	ccon_whatsapp_message_free(&msg);
}
