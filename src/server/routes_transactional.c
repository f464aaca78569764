/* routes_transactional.c - seed 003: POST /v1/campaigns/transactional/send.
 *
 * The campaign (campaignId) must be one of the key's application's SMS
 * campaigns. The request is refused whole (400) for anything wrong in its
 * text: a bad phone, a bad enum, a schedule outside the window; contacts
 * missing template variables are all listed (as seed 000's send does). What only the store can tell is
 * decided per contact, in the send's transaction: a contact given by an
 * externalCode only that names no contact is reported in the answer's
 * `errors` and counted as rejected while the others go out (duplicates and
 * disabled contacts are removed and counted the same way, as the seed
 * says). When no contact is left, the answer is 400 contacts_count with
 * every refused contact listed under `errors`. originData is kept as the
 * recipient's context {"originData": {...}}; flash, nlsMode and
 * sendTypeOverride as the task's options.
 */
#include "config.h"

#include "routes.h"
#include "idempotency.h"
#include "send_common.h"
#include "sendjob.h"

#include <ccon/codec_transactional.h>
#include <ccon/json_util.h>

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* Every template variable must have a custom field; extra fields are left
 * alone (a template edited later may use them). Each missing one is listed,
 * as seed 000's send does. */
static int check_custom_fields(char **vars, const struct ccon_transactional_request *rq,
                               struct ccon_error_list *problems)
{
	struct ccon_error e;
	char path[64];
	size_t i, v;

	for (i = 0; i < rq->n_contacts; i++)
		for (v = 0; vars && vars[v]; v++) {
			if (ccon_fields_get(&rq->contacts[i].custom_fields, vars[v]))
				continue;
			ccon_error_clear(&e);
			ccon_error_set(&e, CCON_E_TEMPLATE_MISSING_VARIABLE,
			               "the campaign's template needs the custom field '%s'", vars[v]);
			snprintf(path, sizeof(path), "contacts[%zu].customFields", i);
			ccon_error_at_path(&e, path);
			if (ccon_error_list_add(problems, &e) < 0)
				return -1;
		}
	return 0;
}

static char *options_json(const struct ccon_transactional_request *rq)
{
	cJSON *o = cJSON_CreateObject();
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char *out = NULL;

	if (o && cJSON_AddBoolToObject(o, "flash", rq->flash) &&
	    cJSON_AddStringToObject(o, "nlsMode", ccon_nls_mode_name(rq->nls_mode)) &&
	    cJSON_AddStringToObject(o, "sendTypeOverride", ccon_send_type_name(rq->send_type)) &&
	    ccon_json_print(o, &sb) == 0)
		out = ccon_strbuf_detach(&sb);
	ccon_strbuf_free(&sb);
	cJSON_Delete(o);
	return out;
}

/* {"originData": {...}} as the recipient's context, or NULL. */
static char *origin_context(const char *origin_data)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	if (!origin_data)
		return NULL;
	if (ccon_strbuf_printf(&sb, "{\"originData\":%s}", origin_data) < 0) {
		ccon_strbuf_free(&sb);
		return NULL;
	}
	return ccon_strbuf_detach(&sb);
}

/* Adds every contact to the job. A contact given by its external code
 * only is looked up by the pipeline inside its transaction. */
static int add_contacts(struct sendjob *job, const struct ccon_transactional_request *rq,
                        struct ccon_error *err)
{
	size_t i;

	for (i = 0; i < rq->n_contacts; i++) {
		const struct ccon_transactional_contact *tc = &rq->contacts[i];
		struct sendjob_recipient r;
		struct ccon_tx_target t;
		char path[64], *context;
		int rc;

		if (ccon_transactional_contact_target(tc, rq->contact_type, i, &t, err) < 0)
			return -1;
		memset(&r, 0, sizeof(r));
		snprintf(path, sizeof(path), t.has_phone ? "contacts[%zu]" : "contacts[%zu].externalCode",
		         i);
		r.recipient = t.has_phone ? t.e164 : NULL;
		r.recipient_type = "phone";
		r.channel_type = "sms";
		r.external_code = t.external_code;
		r.params = &tc->custom_fields;
		r.external_reference = tc->external_reference;
		r.resolve_contact = true;
		r.path = path;
		context = origin_context(tc->origin_data);
		if (tc->origin_data && !context)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		r.context_json = context;
		rc = sendjob_add(job, &r, err);
		free(context);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Nothing left to send to: the pipeline's error, with every contact it
 * refused (unknown external codes) listed. */
static void reply_nothing_sent(struct api_call *c, const struct ccon_error *err,
                               const struct ccon_error_list *rows)
{
	struct ccon_error_list l;
	size_t i;

	ccon_error_list_init(&l, err);
	for (i = 0; i < rows->count; i++)
		if (ccon_error_list_add(&l, &rows->items[i].error) < 0)
			break;
	l.truncated += rows->truncated;
	send_reply_error_list(c, 400, &l);
	ccon_error_list_free(&l);
}

static int resolve_timing(struct api_call *c, const struct ccon_transactional_request *rq,
                          struct ccon_timing *timing, struct ccon_error *err)
{
	if (ccon_timing_resolve(c->now_us, rq->schedule_date, NULL, timing, err) == 0)
		return 0;
	ccon_error_at_path(err, "scheduleDate");
	return -1;
}

static int load_campaign(struct api_call *c, int64_t id, struct campaign *camp, unsigned *status,
                         struct ccon_error *err)
{
	int rc = campaigns_get(c->db, c->app_id, id, camp, err);

	if (rc < 0) {
		*status = 500;
		return -1;
	}
	if (rc == 0) {
		ccon_error_set(err, CCON_E_NOT_FOUND, "no campaign %lld in this application",
		               (long long)id);
		ccon_error_at_path(err, "campaignId");
		*status = 404;
		return -1;
	}
	if (!camp->channel || strcmp(camp->channel, "sms") != 0) {
		ccon_error_set(err, CCON_E_JSON_VALUE,
		               "campaign %lld is a %s campaign: transactional sends take sms campaigns",
		               (long long)id, camp->channel ? camp->channel : "channel-less");
		ccon_error_at_path(err, "campaignId");
		*status = 400;
		return -1;
	}
	return 0;
}

/* Checks the custom fields; 400 with every problem listed. */
static bool fields_ok(struct api_call *c, const struct campaign *camp,
                      const struct ccon_transactional_request *rq)
{
	struct ccon_error_list problems;
	struct ccon_error head;
	char **vars = campaign_variables(camp);
	bool ok;

	ccon_error_clear(&head);
	ccon_error_set(&head, CCON_E_JSON_VALUE, "some contacts cannot be sent to");
	ccon_error_list_init(&problems, &head);
	ok = false;
	if (check_custom_fields(vars, rq, &problems) < 0)
		api_reply_errorf(c, 500, CCON_E_NOMEM, "out of memory");
	else if (ccon_error_list_total(&problems) > 0)
		send_reply_error_list(c, 400, &problems);
	else
		ok = true;
	ccon_error_list_free(&problems);
	campaign_variables_free(vars);
	return ok;
}

/* Fills and commits the job. On failure err says why. */
static int run_send(struct api_call *c, const struct ccon_transactional_request *rq,
                    const struct campaign *camp, struct sendjob *job, unsigned *status,
                    char **answer, struct ccon_error *err)
{
	char hash[CCON_SHA256_HEX_SIZE];

	if (resolve_timing(c, rq, &job->timing, err) < 0)
		return -1;
	job->dry_run = api_query_true(c, "dryRun");
	job->channel = camp->channel;
	job->options_json = options_json(rq);
	if (!job->options_json)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (add_contacts(job, rq, err) < 0)
		return -1;
	/* the same fingerprint as send_commit() */
	idempotency_hash(c->req->method, c->req->path, job->dry_run ? "dryRun=true" : "",
	                 c->req->body.buf, c->req->body.len, hash);
	return sendjob_commit(job, c->db, c->req->idempotency_key, hash, status, answer, err);
}

void api_send_transactional(struct api_call *c)
{
	struct ccon_transactional_request rq;
	struct ccon_error err;
	struct campaign camp;
	struct sendjob job;
	unsigned status = 400;
	char *answer = NULL;

	ccon_error_clear(&err);
	if (!api_json_body(c))
		return;
	if (ccon_transactional_request_parse(c->req->body.buf, c->req->body.len, &rq, &err) < 0) {
		api_reply_error(c, 400, &err);
		return;
	}
	memset(&camp, 0, sizeof(camp));
	if (load_campaign(c, rq.campaign_id, &camp, &status, &err) < 0) {
		api_reply_error(c, status, &err);
		goto out;
	}
	if (!fields_ok(c, &camp, &rq))
		goto out;
	sendjob_init(&job, c->app_id, &camp, "transactional", c->now_us);
	if (run_send(c, &rq, &camp, &job, &status, &answer, &err) == 0)
		api_reply_text(c, status, answer);
	else if (err.code == CCON_E_CONTACTS_COUNT && job.errors.count > 0)
		reply_nothing_sent(c, &err, &job.errors);
	else
		api_reply_error(c, api_status_for(&err), &err);
	sendjob_free(&job);
out:
	campaign_free(&camp);
	ccon_transactional_request_free(&rq);
}
