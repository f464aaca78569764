/* routes_retry.c - POST /v1/applications/{appId}/campaigns/{campaignId}/
 * retry-failed[?all=true][&dryRun=true]: re-sends the campaign's failed
 * recipients as a new task (retry.h). No body is needed; the
 * Idempotency-Key works as on the sends. */
#include "config.h"

#include "routes.h"

#include "campaigns.h"
#include "engine.h"
#include "idempotency.h"
#include "retry.h"
#include "send_common.h"

#include <stdlib.h>

static unsigned status_for(const struct ccon_error *err)
{
	switch (err->code) {
	case CCON_E_NOTHING_TO_RETRY:
	case CCON_E_CAMPAIGN_NOT_FINISHED:
	case CCON_E_SLOTS_NO_CAPACITY:
	case CCON_E_SLOTS_NOT_CONSECUTIVE:
		return 409;
	default:
		return api_status_for(err);
	}
}

void api_campaign_retry_failed(struct api_call *c)
{
	char hash[CCON_SHA256_HEX_SIZE] = "";
	struct retry_request rq = { 0 };
	struct campaign camp = { 0 };
	struct ccon_error err;
	unsigned status = 0;
	char *answer = NULL;

	ccon_error_clear(&err);
	if (!api_own_app(c) || !send_load_campaign(c, 1, &camp))
		goto out;
	rq.app_id = c->app_id;
	rq.campaign_id = camp.id;
	rq.channel = camp.channel;
	rq.all = api_query_true(c, "all");
	rq.dry_run = api_query_true(c, "dryRun");
	rq.now_us = c->now_us;
	rq.worthy = c->eng->driver->retry_worthy;
	rq.idem_key = c->req->idempotency_key;
	if (rq.idem_key) {
		idempotency_hash(c->req->method, c->req->path, rq.all ? "all=true" : "",
		                 c->req->body.buf, c->req->body.len, hash);
		rq.request_hash = hash;
	}
	if (retry_failed(c->db, &rq, &status, &answer, &err) < 0)
		api_reply_error(c, status_for(&err), &err);
	else
		api_reply_text(c, status, answer);
out:
	campaign_free(&camp);
}
