/* routes_transactional.c - seed 003: POST /v1/campaigns/transactional/send.
 *
 * The campaign (campaignId) must be one of the key's application's SMS
 * campaigns. The request is refused whole (400) for anything wrong in its
 * text: a bad phone, a bad enum, a schedule outside the window, a contact
 * missing one of the template's variables. What only the store can tell is
 * decided per contact: a contact given by an externalCode that names no
 * contact is reported in the answer's `errors` and counted as rejected
 * while the others go out (duplicates and disabled contacts are removed and
 * counted the same way, as the seed says); when no contact is left to send
 * to, the answer is 404 with every refused contact listed.
 */
#include "config.h"

#include "routes.h"
#include "contacts.h"
#include "idempotency.h"
#include "sendjob.h"

#include <ccon/codec_transactional.h>
#include <ccon/json_util.h>
#include <ccon/template.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TX_PATH "/v1/campaigns/transactional/send"

/* application/json, with or without parameters (charset). */
static bool content_is_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct || strncasecmp(ct, "application/json", n) != 0)
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* The dryRun query parameter: absent, "true" or "false". */
static int dry_run_param(const struct http_request *req, bool *dry_run, struct ccon_error *err)
{
	const char *v = http_query(req, "dryRun");

	*dry_run = false;
	if (!v || strcmp(v, "false") == 0)
		return 0;
	if (strcmp(v, "true") == 0) {
		*dry_run = true;
		return 0;
	}
	ccon_error_set(err, CCON_E_JSON_VALUE, "dryRun must be true or false");
	ccon_error_at_path(err, "dryRun");
	return -1;
}

static unsigned commit_error_status(const struct ccon_error *err)
{
	switch (err->code) {
	case CCON_E_CONFLICT:
		return 422;
	case CCON_E_NOT_FOUND:
		return 404;
	case CCON_E_NOMEM:
	case CCON_E_IO:
	case CCON_E_STORE:
	case CCON_E_INVALID_ARGUMENT:
		return 500;
	default:
		return 400;
	}
}

/* Every template variable must have a custom field; extra fields are left
 * alone (a template edited later may use them). */
static int check_custom_fields(char **vars, const struct ccon_transactional_request *rq,
                               struct ccon_error *err)
{
	struct ccon_template_vars tv = { vars, 0 };
	struct ccon_strbuf missing = CCON_STRBUF_INIT;
	const char **names = NULL;
	size_t i, j, max = 0;
	char path[64];
	int rc = 0;

	while (vars && vars[tv.count])
		tv.count++;
	if (tv.count == 0)
		return 0;
	for (i = 0; i < rq->n_contacts; i++)
		if (rq->contacts[i].custom_fields.count > max)
			max = rq->contacts[i].custom_fields.count;
	names = calloc(max + 1, sizeof(*names));
	if (!names)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	for (i = 0; i < rq->n_contacts && rc == 0; i++) {
		const struct ccon_fields *f = &rq->contacts[i].custom_fields;

		for (j = 0; j < f->count; j++)
			names[j] = f->items[j].name;
		ccon_strbuf_reset(&missing);
		if (ccon_template_compare(&tv, names, f->count, &missing, NULL) == 0)
			continue;
		snprintf(path, sizeof(path), "contacts[%zu].customFields", i);
		ccon_error_set(err, CCON_E_TEMPLATE_MISSING_VARIABLE,
		               "the campaign's template needs the custom fields: %s",
		               ccon_strbuf_cstr(&missing));
		ccon_error_at_path(err, path);
		rc = -1;
	}
	free(names);
	ccon_strbuf_free(&missing);
	return rc;
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

/* A contact named by its external code only: the phone of the stored
 * contact. 1 found (phone set), 0 refused (row error in rej), -1 error. */
static int lookup_external_code(struct api_call *c, const char *code, size_t index,
                                char phone[CCON_E164_BUFSIZE], struct ccon_error *rej,
                                struct ccon_error *err)
{
	struct contact_ref ref;
	char path[64];
	int rc;

	memset(&ref, 0, sizeof(ref));
	rc = contacts_resolve(c->db, c->app_id, NULL, code, c->now_us, &ref, err);
	if (rc < 0)
		return -1;
	snprintf(path, sizeof(path), "contacts[%zu].externalCode", index);
	ccon_error_clear(rej);
	if (rc == 0) {
		ccon_error_set(rej, CCON_E_NOT_FOUND, "no contact has the externalCode '%s'", code);
		ccon_error_at_path(rej, path);
		return 0;
	}
	if (!ref.phone[0]) {
		ccon_error_set(rej, CCON_E_JSON_REQUIRED,
		               "the contact with the externalCode '%s' has no phone number", code);
		ccon_error_at_path(rej, path);
		return 0;
	}
	memcpy(phone, ref.phone, CCON_E164_BUFSIZE);
	return 1;
}

/* Adds every contact to the job; *added counts the recipients kept. */
static int add_contacts(struct api_call *c, struct sendjob *job,
                        const struct ccon_transactional_request *rq,
                        struct ccon_error_list *refused, size_t *added, struct ccon_error *err)
{
	size_t i;

	*added = 0;
	for (i = 0; i < rq->n_contacts; i++) {
		const struct ccon_transactional_contact *tc = &rq->contacts[i];
		struct sendjob_recipient r;
		struct ccon_tx_target t;
		struct ccon_error rej;
		char phone[CCON_E164_BUFSIZE];
		char *context;
		int rc;

		if (ccon_transactional_contact_target(tc, rq->contact_type, i, &t, err) < 0)
			return -1;
		if (t.has_phone) {
			memcpy(phone, t.e164, sizeof(phone));
		} else {
			rc = lookup_external_code(c, t.external_code, i, phone, &rej, err);
			if (rc < 0)
				return -1;
			if (rc == 0) {
				sendjob_reject(job, &rej);
				if (ccon_error_list_add(refused, &rej) < 0)
					return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
				continue;
			}
		}
		memset(&r, 0, sizeof(r));
		r.recipient = phone;
		r.recipient_type = "phone";
		r.channel_type = "sms";
		r.external_code = t.external_code;
		r.params = &tc->custom_fields;
		r.external_reference = tc->external_reference;
		r.resolve_contact = true;
		context = origin_context(tc->origin_data);
		if (tc->origin_data && !context)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		r.context_json = context;
		rc = sendjob_add(job, &r, err);
		free(context);
		if (rc < 0)
			return -1;
		*added += 1;
	}
	return 0;
}

static void reply_raw(struct api_call *c, unsigned status, char *answer)
{
	ccon_strbuf_reset(&c->resp->body);
	if (ccon_strbuf_puts(&c->resp->body, answer) < 0) {
		free(answer);
		api_reply_errorf(c, 500, CCON_E_NOMEM, "out of memory");
		return;
	}
	free(answer);
	c->resp->status = status;
}

/* No contact left to send to: every refused contact, 404. */
static void reply_refused(struct api_call *c, struct ccon_error_list *refused)
{
	cJSON *body = NULL;

	if (ccon_error_list_encode(refused, &body) < 0)
		body = NULL;
	api_reply_json(c, 404, body);
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

/* Checks, fills and commits the job. On failure *status and err say why. */
static int run_send(struct api_call *c, const struct ccon_transactional_request *rq,
                    const struct campaign *camp, bool dry_run, struct sendjob *job,
                    struct ccon_error_list *refused, unsigned *status, char **answer,
                    struct ccon_error *err)
{
	char hash[CCON_SHA256_HEX_SIZE];
	char **vars;
	size_t added;
	int rc;

	vars = campaign_variables(camp);
	rc = check_custom_fields(vars, rq, err);
	campaign_variables_free(vars);
	*status = 400;
	if (rc < 0)
		return -1;
	job->dry_run = dry_run;
	job->channel = camp->channel;
	if (resolve_timing(c, rq, &job->timing, err) < 0)
		return -1;
	job->options_json = options_json(rq);
	if (!job->options_json) {
		*status = 500;
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	if (add_contacts(c, job, rq, refused, &added, err) < 0) {
		*status = commit_error_status(err);
		return -1;
	}
	if (added == 0) {
		*status = 404;
		return 1;
	}
	idempotency_hash("POST", TX_PATH, dry_run ? "dryRun=true" : "", c->req->body.buf,
	                 c->req->body.len, hash);
	if (sendjob_commit(job, c->db, c->req->idempotency_key, hash, status, answer, err) < 0) {
		*status = commit_error_status(err);
		return -1;
	}
	return 0;
}

void api_send_transactional(struct api_call *c)
{
	struct ccon_transactional_request rq;
	struct ccon_error_list refused;
	struct ccon_error err, head;
	struct campaign camp;
	struct sendjob job;
	unsigned status = 400;
	char *answer = NULL;
	bool dry_run;
	int rc;

	ccon_error_clear(&err);
	if (!content_is_json(c->req->content_type)) {
		api_reply_errorf(c, 415, CCON_E_CONTENT_TYPE, "this route takes application/json");
		return;
	}
	if (dry_run_param(c->req, &dry_run, &err) < 0 ||
	    ccon_transactional_request_parse(c->req->body.buf ? c->req->body.buf : "",
	                                     c->req->body.len, &rq, &err) < 0) {
		api_reply_error(c, 400, &err);
		return;
	}
	memset(&camp, 0, sizeof(camp));
	if (load_campaign(c, rq.campaign_id, &camp, &status, &err) < 0) {
		api_reply_error(c, status, &err);
		campaign_free(&camp);
		ccon_transactional_request_free(&rq);
		return;
	}
	ccon_error_clear(&head);
	ccon_error_set(&head, CCON_E_NOT_FOUND, "none of the contacts can be sent to");
	ccon_error_list_init(&refused, &head);
	sendjob_init(&job, c->app_id, &camp, "transactional", c->now_us);
	rc = run_send(c, &rq, &camp, dry_run, &job, &refused, &status, &answer, &err);
	if (rc == 0)
		reply_raw(c, status, answer);
	else if (rc > 0)
		reply_refused(c, &refused);
	else
		api_reply_error(c, status, &err);
	sendjob_free(&job);
	ccon_error_list_free(&refused);
	campaign_free(&camp);
	ccon_transactional_request_free(&rq);
}
