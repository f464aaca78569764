/* REST campaigns:
 *   POST /v1/applications/{appId}/campaigns               201 the campaign
 *   GET  /v1/applications/{appId}/campaigns?$skip=&$take= {total,skip,take,items}
 *   GET  /v1/applications/{appId}/campaigns/{campaignId}  the campaign
 * The body and the answer are codec_campaign_def.h's. Another application's
 * campaign, or another application's id in the path, is 404. */
#include "config.h"

#include "routes.h"

#include "campaigns.h"
#include "idempotency.h"
#include "send_common.h"
#include "store.h"

#include <ccon/codec_campaign_def.h>
#include <ccon/codec_command.h>

#include <stdlib.h>
#include <string.h>

/* A JSON array text of the strings, or NULL when there are none to keep. */
static char *array_text(char *const *items, size_t n, bool keep_empty, bool *ok)
{
	cJSON *arr;
	char *text;

	if (n == 0 && !keep_empty)
		return NULL;
	arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < n; i++) {
		if (!cJSON_AddItemToArray(arr, cJSON_CreateString(items[i]))) {
			cJSON_Delete(arr);
			arr = NULL;
		}
	}
	text = arr ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	if (!text)
		*ok = false;
	return text;
}

/* The row from the definition: strings borrowed, except the two arrays'
 * texts (freed by the caller). */
static bool campaign_from_def(const struct api_call *c, const struct ccon_rest_campaign *d,
                              struct campaign *out)
{
	bool ok = true;

	memset(out, 0, sizeof(*out));
	out->app_id = c->app_id;
	out->name = d->name;
	out->channel = d->channel;
	out->campaign_type = (char *)ccon_campaign_type_name(d->type);
	out->template_name = d->template_name;
	out->template_body = d->template_body;
	out->template_params = array_text(d->template_params, d->n_template_params,
	                                  d->has_template_params, &ok);
	out->language = d->language;
	out->flow_id = d->flow_id;
	out->state_id = d->state_id;
	out->master_state = d->master_state;
	out->source_application = d->source_application;
	out->campaign_sender = d->campaign_sender;
	out->tags = array_text(d->tags, d->n_tags, false, &ok);
	out->origin = (char *)"rest";
	out->created_us = c->now_us;
	return ok;
}

/* Inside the transaction: the campaign, its answer and the key's record. */
static int create_in_tx(struct api_call *c, struct campaign *camp, const char *key,
                        const char *hash, char **answer, struct ccon_error *err)
{
	cJSON *json;

	if (campaigns_insert(c->db, camp, err) < 0)
		return -1;
	json = campaign_to_json(camp);
	*answer = json ? cJSON_PrintUnformatted(json) : NULL;
	cJSON_Delete(json);
	if (!*answer)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (key && idempotency_save(c->db, c->app_id, key, hash, 201, *answer, c->now_us, err) < 0)
		return -1;
	return 0;
}

/* Creates the campaign once per Idempotency-Key; answers. */
static void create_once(struct api_call *c, struct campaign *camp)
{
	const char *key = c->req->idempotency_key;
	char hash[CCON_SHA256_HEX_SIZE];
	enum idem_result seen = IDEM_NEW;
	struct ccon_error err;
	unsigned status = 0;
	char *answer = NULL;

	ccon_error_clear(&err);
	idempotency_hash(c->req->method, c->req->path, "", c->req->body.buf, c->req->body.len, hash);
	if (store_begin(c->db, &err) < 0)
		goto fail;
	if (key && idempotency_check(c->db, c->app_id, key, hash, &seen, &status, &answer, &err) < 0)
		goto rollback;
	if (seen == IDEM_CONFLICT) {
		goto rollback;
	} else if (seen == IDEM_REPLAY) {
		store_rollback(c->db);
		api_reply_text(c, status, answer);
		return;
	}
	status = 201;
	if (create_in_tx(c, camp, key, hash, &answer, &err) < 0 || store_commit(c->db, &err) < 0)
		goto rollback;
	api_reply_text(c, status, answer);
	return;
rollback:
	store_rollback(c->db);
	free(answer);
fail:
	api_reply_error(c, api_status_for(&err), &err);
}

void api_campaign_create(struct api_call *c)
{
	struct ccon_rest_campaign def;
	struct campaign camp;
	struct ccon_error err;

	if (!api_own_app(c) || !api_json_body(c))
		return;
	ccon_error_clear(&err);
	if (ccon_rest_campaign_parse(c->req->body.buf, c->req->body.len, &def, &err) < 0) {
		api_reply_error(c, api_status_for(&err), &err);
		return;
	}
	if (campaign_from_def(c, &def, &camp))
		create_once(c, &camp);
	else
		api_reply_errorf(c, 500, CCON_E_NOMEM, "out of memory");
	free(camp.template_params);
	free(camp.tags);
	ccon_rest_campaign_free(&def);
}

static cJSON *page_json(const struct campaign *items, size_t n, int64_t total, int64_t skip,
                        int64_t take)
{
	cJSON *json = cJSON_CreateObject(), *arr = cJSON_CreateArray();

	if (!json || !arr || !cJSON_AddNumberToObject(json, "total", (double)total) ||
	    !cJSON_AddNumberToObject(json, "skip", (double)skip) ||
	    !cJSON_AddNumberToObject(json, "take", (double)take) ||
	    !cJSON_AddItemToObject(json, "items", arr)) {
		cJSON_Delete(arr);
		cJSON_Delete(json);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!cJSON_AddItemToArray(arr, campaign_to_json(&items[i]))) {
			cJSON_Delete(json);
			return NULL;
		}
	}
	return json;
}

void api_campaign_list(struct api_call *c)
{
	struct ccon_paging pg;
	struct campaign *items;
	struct ccon_error err;
	int64_t total;
	size_t n;

	if (!api_own_app(c))
		return;
	ccon_error_clear(&err);
	if (ccon_paging_parse(http_query(c->req, "$skip"), http_query(c->req, "$take"), &pg,
	                      &err) < 0) {
		api_reply_error(c, 400, &err);
		return;
	}
	if (campaigns_list(c->db, c->app_id, pg.skip, pg.take, &items, &n, &total, &err) < 0) {
		api_reply_error(c, api_status_for(&err), &err);
		return;
	}
	api_reply_json(c, 200, page_json(items, n, total, pg.skip, pg.take));
	campaigns_list_free(items, n);
}

void api_campaign_get(struct api_call *c)
{
	struct campaign camp;

	if (!api_own_app(c) || !send_load_campaign(c, 1, &camp))
		return;
	api_reply_json(c, 200, campaign_to_json(&camp));
	campaign_free(&camp);
}
