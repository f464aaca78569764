/* POST /v1/applications/{appId}/campaigns/{campaignId}/send - seed 000:
 * a send from JSON contacts. All or nothing: any contact in error refuses
 * the request, listing every problem (at most CCON_ERROR_LIST_MAX). */
#include "config.h"

#include "campaigns.h"
#include "idempotency.h"
#include "routes.h"
#include "send_common.h"
#include "sendjob.h"

#include <ccon/codec_error.h>
#include <ccon/codec_send.h>
#include <ccon/contact.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_contacts(const struct ccon_send_request *req, char **vars,
                          char (*codes)[CCON_E164_BUFSIZE], struct ccon_error_list *problems)
{
	struct ccon_error e;
	char path[64];

	for (size_t i = 0; i < req->n_contacts; i++) {
		const struct ccon_contact *ct = &req->contacts[i];

		ccon_error_clear(&e);
		snprintf(path, sizeof(path), "contacts[%zu]", i);
		if (ccon_contact_code_normalize(ct->contact_code, strlen(ct->contact_code),
		                                CCON_CHANNEL_CLOUD_API, codes[i], &e) < 0) {
			ccon_error_at_path(&e, "contactCode");
			ccon_error_prefix_path(&e, path);
			ccon_error_list_add(problems, &e);
		}
		for (size_t v = 0; vars && vars[v]; v++) {
			if (ccon_fields_get(&ct->custom_fields, vars[v]))
				continue;
			ccon_error_clear(&e);
			ccon_error_set(&e, CCON_E_TEMPLATE_MISSING_VARIABLE,
			               "the campaign's template needs the custom field '%s'", vars[v]);
			snprintf(path, sizeof(path), "contacts[%zu].customFields", i);
			ccon_error_at_path(&e, path);
			ccon_error_list_add(problems, &e);
		}
	}
	return ccon_error_list_total(problems) ? -1 : 0;
}

void api_send_json(struct api_call *c)
{
	char (*codes)[CCON_E164_BUFSIZE] = NULL;
	struct ccon_send_request req;
	struct ccon_error_list problems;
	struct campaign camp;
	struct sendjob job;
	struct ccon_error err, head;
	char **vars = NULL;

	memset(&camp, 0, sizeof(camp));
	memset(&req, 0, sizeof(req));
	ccon_error_clear(&err);
	if (!api_own_app(c) || !send_load_campaign(c, 1, &camp) || !api_json_body(c))
		goto out;
	if (ccon_send_request_parse(c->req->body.buf, c->req->body.len, &req, &err) < 0) {
		api_reply_error(c, 400, &err);
		goto out;
	}
	if (strcmp(camp.channel, "whatsapp") != 0) {
		ccon_error_set(&err, CCON_E_CHANNEL_TYPE,
		               "campaign %lld sends on %s: JSON sends (channelType cloud_api) need a "
		               "WhatsApp campaign", (long long)camp.id, camp.channel);
		ccon_error_at_path(&err, "campaignId");
		api_reply_error(c, 400, &err);
		goto out;
	}
	sendjob_init(&job, c->app_id, &camp, "json", c->now_us);
	if (send_resolve_timing(c, req.schedule_at, req.delay, &job) < 0)
		goto out_job;
	job.slicing = req.slicing;
	job.dry_run = api_query_true(c, "dryRun");
	vars = campaign_variables(&camp);
	codes = calloc(req.n_contacts ? req.n_contacts : 1, sizeof(*codes));
	if (!codes) {
		api_reply_errorf(c, 500, CCON_E_NOMEM, "out of memory");
		goto out_job;
	}
	ccon_error_clear(&head);
	ccon_error_set(&head, CCON_E_JSON_VALUE, "some contacts cannot be sent to");
	ccon_error_list_init(&problems, &head);
	if (check_contacts(&req, vars, codes, &problems) < 0) {
		send_reply_error_list(c, 400, &problems);
		ccon_error_list_free(&problems);
		goto out_job;
	}
	ccon_error_list_free(&problems);
	for (size_t i = 0; i < req.n_contacts; i++) {
		struct sendjob_recipient r = { 0 };
		char path[32];

		snprintf(path, sizeof(path), "contacts[%zu]", i);
		r.recipient = codes[i];
		r.channel_type = "cloud_api";
		r.params = &req.contacts[i].custom_fields;
		r.path = path;
		if (sendjob_add(&job, &r, &err) < 0) {
			api_reply_error(c, api_status_for(&err), &err);
			goto out_job;
		}
	}
	send_commit(c, &job);
out_job:
	sendjob_free(&job);
out:
	free(codes);
	campaign_variables_free(vars);
	ccon_send_request_free(&req);
	campaign_free(&camp);
}
