/* commands_full.c - set /campaign/full: a campaign, its audience and its
 * send in one command; and the pieces /campaign/v2 builds its steps from
 * (the campaign row, its insertion in the send's transaction, audiences as
 * recipients, the commit and its answer). */
#include "config.h"

#include "commands.h"

#include "idempotency.h"

#include <ccon/json_util.h>
#include <ccon/phone.h>
#include <ccon/timing.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
int cmd_add_audience(struct cmd *x, struct sendjob *job, const struct ccon_audience *a,
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
		return cmd_fail(x, &e);
	}
	if (extras_of(&a->message_params, e164, &extras) < 0 || context_json(a, &ctx) < 0) {
		ccon_fields_free(&extras);
		return cmd_nomem(x);
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
	return rc < 0 ? cmd_fail(x, &e) : 0;
}

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
                     struct cmd_new_campaign *nc)
{
	struct campaign *r = &nc->row;

	memset(nc, 0, sizeof(*nc));
	nc->params_json = strings_json(msg->params, msg->n_params);
	nc->tags_json = strings_json(def->tags, def->n_tags);
	if ((msg->n_params && !nc->params_json) || (def->n_tags && !nc->tags_json))
		return cmd_nomem(x);
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

void cmd_new_campaign_free(struct cmd_new_campaign *nc)
{
	cJSON_free(nc->params_json);
	cJSON_free(nc->tags_json);
}

/* Inside the send's transaction: the campaign first, so a refused send
 * leaves no campaign behind. */
static int insert_campaign(void *ctx, sqlite3 *db, struct sendjob *job, struct ccon_error *err)
{
	struct cmd_new_campaign *nc = ctx;

	if (campaigns_insert(db, &nc->row, err) < 0)
		return -1;
	job->campaign_id = nc->row.id;
	return 0;
}

static int scheduled_timing(struct cmd *x, const char *scheduled, struct ccon_timing *t)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (ccon_timing_resolve_scheduled(x->c->now_us, scheduled, t, &e) < 0) {
		ccon_error_at_path(&e, "scheduled");
		ccon_error_prefix_path(&e, "resource.campaign");
		return cmd_fail(x, &e);
	}
	return 0;
}

int cmd_new_campaign_job(struct cmd *x, const struct ccon_campaign_def *def,
                         const struct ccon_campaign_message *msg, const char *origin,
                         struct cmd_new_campaign *nc, struct sendjob *job)
{
	sendjob_init(job, x->c->app_id, NULL, origin, x->c->now_us);
	if (row_build(x, def, msg, origin, nc) < 0 ||
	    scheduled_timing(x, def->scheduled, &job->timing) < 0)
		return -1;
	job->before_commit = insert_campaign;
	job->before_ctx = nc;
	job->channel = nc->row.channel;
	return 0;
}

/* The request's fingerprint for its Idempotency-Key: the uri and the
 * resource as JSON text. -1 after cmd_nomem: a fingerprint of anything
 * else (of no resource, for want of memory) would record the key with
 * another request's hash, and the retry would be refused 422. */
static int request_hash(struct cmd *x, char hash[CCON_SHA256_HEX_SIZE])
{
	char *resource = NULL;

	if (x->cmd.resource && !(resource = cJSON_PrintUnformatted(x->cmd.resource)))
		return cmd_nomem(x);
	idempotency_hash("set", x->cmd.uri, NULL, resource ? resource : "",
	                 resource ? strlen(resource) : 0, hash);
	cJSON_free(resource);
	return 0;
}

/* A replayed Idempotency-Key: the first answer again, from the campaign
 * as stored and the send's first answer (nothing was committed now). */
static int answer_replay(struct cmd *x, const struct sendjob *job, const char *answer)
{
	const int64_t *sched = job->timing.form == CCON_TIMING_SCHEDULE ? &job->timing.send_us : NULL;
	int64_t id = cmd_answer_campaign_id(answer);
	struct campaign camp;
	struct cmd_ready r;
	struct ccon_error e;
	int rc;

	ccon_error_clear(&e);
	memset(&camp, 0, sizeof(camp));
	rc = id ? campaigns_get(x->c->db, x->c->app_id, id, &camp, &e) : 0;
	if (rc <= 0)
		return rc < 0 ? cmd_fail(x, &e) : cmd_no_campaign(x, "", "");
	rc = cmd_ready_begin(x, &r, &camp);
	if (rc == 0)
		rc = cmd_ready_answer(x, &r, &camp, sched, answer);
	cmd_ready_free(&r);
	campaign_free(&camp);
	return rc;
}

/* Commits the job (the campaign is inserted by before_commit) and answers
 * the campaign: the answer's room is made before the commit and filled
 * after it from nc's row and the send's answer, with no allocation and no
 * read of the store, so a campaign that was stored is never answered
 * "failure" (tests/faultinj: ccond /commands set /campaign/full). */
int cmd_commit_and_answer(struct cmd *x, struct cmd_new_campaign *nc, struct sendjob *job)
{
	const char *key = x->c->req->idempotency_key;
	const int64_t *sched = job->timing.form == CCON_TIMING_SCHEDULE ? &job->timing.send_us : NULL;
	char hash[CCON_SHA256_HEX_SIZE];
	char *answer = NULL;
	struct cmd_ready r;
	unsigned status;
	struct ccon_error e;
	int rc;

	ccon_error_clear(&e);
	memset(&r, 0, sizeof(r));
	if ((key && request_hash(x, hash) < 0) || cmd_ready_begin(x, &r, &nc->row) < 0) {
		cmd_ready_free(&r);
		return -1;
	}
	nc->row.id = 0;
	rc = sendjob_commit(job, x->c->db, key, key ? hash : NULL, &status, &answer, &e);
	if (rc < 0)
		rc = e.code == CCON_E_CONFLICT ? cmd_fail_reason(x, 422, &e) : cmd_fail(x, &e);
	/* cppcheck-suppress knownConditionTrueFalse ; set by the job's before_commit */
	else if (nc->row.id)   /* inserted by before_commit, committed */
		rc = cmd_ready_answer(x, &r, &nc->row, sched, answer);
	cmd_ready_free(&r);
	if (rc == 0 && !nc->row.id)
		rc = answer_replay(x, job, answer);
	free(answer);
	return rc;
}

int cmd_campaign_full(struct cmd *x)
{
	struct ccon_full_campaign fc;
	struct cmd_new_campaign nc;
	struct sendjob job;
	struct ccon_error e;
	bool individual;
	int rc = -1;

	if (cmd_need_resource(x) < 0)
		return -1;
	ccon_error_clear(&e);
	if (ccon_full_campaign_decode(x->cmd.resource, &fc, &e) < 0)
		return cmd_fail_resource(x, &e);
	individual = fc.campaign.type == CCON_CAMPAIGN_INDIVIDUAL;
	if (cmd_new_campaign_job(x, &fc.campaign, &fc.message, "full", &nc, &job) < 0)
		goto out;
	for (size_t i = 0; i < fc.n_audiences; i++) {
		char path[48];

		if (individual)
			snprintf(path, sizeof(path), "resource.audience");
		else
			snprintf(path, sizeof(path), "resource.audiences[%zu]", i);
		if (cmd_add_audience(x, &job, &fc.audiences[i], ccon_channel_name(fc.message.channel),
		                     path) < 0)
			goto out;
	}
	rc = cmd_commit_and_answer(x, &nc, &job);
out:
	sendjob_free(&job);
	cmd_new_campaign_free(&nc);
	ccon_full_campaign_free(&fc);
	return rc;
}
