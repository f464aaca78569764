#include "config.h"

#include "send_common.h"

#include "engine.h"
#include "idempotency.h"

#include <ccon/timing.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool send_load_campaign(struct api_call *c, int param, struct campaign *out)
{
	struct ccon_error err;
	int64_t id = api_param_id(c, param);
	int found;

	ccon_error_clear(&err);
	found = id ? campaigns_get(c->db, c->app_id, id, out, &err) : 0;
	if (found > 0)
		return true;
	if (found < 0) {
		api_reply_error(c, 500, &err);
		return false;
	}
	ccon_error_set(&err, CCON_E_NOT_FOUND, "no campaign %s in this application",
	               c->params[param]);
	ccon_error_at_path(&err, "campaignId");
	api_reply_error(c, 404, &err);
	return false;
}

int send_resolve_timing(struct api_call *c, const char *schedule_at, const char *delay,
                        struct sendjob *job)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	if (ccon_timing_resolve(c->now_us, schedule_at, delay, &job->timing, &err) < 0) {
		api_reply_error(c, 400, &err);
		return -1;
	}
	return 0;
}

void send_commit(struct api_call *c, struct sendjob *job)
{
	char hash[CCON_SHA256_HEX_SIZE] = "";

	/* the fingerprint is only needed to compare with an earlier request */
	if (c->req->idempotency_key)
		idempotency_hash(c->req->method, c->req->path, job->dry_run ? "dryRun=true" : "",
		                 c->req->body.buf, c->req->body.len, hash);
	send_commit_hashed(c, job, hash);
}

void send_commit_hashed(struct api_call *c, struct sendjob *job, const char *request_hash)
{
	struct ccon_error err;
	unsigned status = 0;
	char *answer = NULL;
	const char *key = c->req->idempotency_key;

	ccon_error_clear(&err);
	if (sendjob_commit(job, c->db, key, request_hash, &status, &answer, &err) < 0) {
		api_reply_error(c, api_status_for(&err), &err);
		return;
	}
	api_reply_text(c, status, answer);
}

void send_reply_error_list(struct api_call *c, unsigned status, const struct ccon_error_list *l)
{
	cJSON *body = NULL;

	if (ccon_error_list_encode(l, &body) < 0)
		body = NULL;
	api_reply_json(c, status, body);
}
