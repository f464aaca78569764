#include "config.h"

#include <ccon/send_flow.h>

#include <ccon/json_util.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct op {
	enum ccon_flow_state state;
	struct ccon_error err;
	int64_t rq;                     /* the request in flight, 0 when none */
};

struct ccon_send_flow {
	struct ccon_client *client;
	int64_t app_id;
	unsigned changes;

	struct op list_op;
	struct ccon_rest_campaign_info *campaigns;
	size_t n_campaigns;

	struct op camp_op;
	struct ccon_rest_campaign_info campaign;
	bool has_campaign;

	struct op time_op;
	bool has_time, manual;
	int64_t time_us, time_mono_ms;

	struct op slots_op;
	struct ccon_slots_view slots;
	bool has_slots;

	struct op dry_op;
	struct ccon_send_reqs dry_reqs;
	size_t dry_next;
	struct ccon_send_answer *dry_answers;
	size_t n_dry;
	char dry_channel[16];
	bool dry_wants_slots;           /* the slots read belongs to the dry run */
	struct ccon_timeline timeline;
	bool has_timeline;

	struct op disp_op;
	struct ccon_send_reqs disp_reqs;
	enum ccon_send_kind disp_kind;
	struct ccon_send_dispatch res;
	struct ccon_send_answer *disp_answers;
};

const char *ccon_flow_state_name(enum ccon_flow_state s)
{
	static const char *const names[] = { "idle", "running", "done", "failed" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

int ccon_send_flow_new(struct ccon_client *client, int64_t app_id, struct ccon_send_flow **out,
                       struct ccon_error *err)
{
	struct ccon_send_flow *f;

	*out = NULL;
	if (!client || app_id < 1) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a send flow needs a client and an "
		               "application id");
		return -1;
	}
	if (!(f = calloc(1, sizeof(*f))))
		return nomem(err);
	f->client = client;
	f->app_id = app_id;
	*out = f;
	return 0;
}

static void op_cancel(struct ccon_send_flow *f, struct op *o)
{
	if (o->rq > 0)
		ccon_client_cancel(f->client, o->rq);
	o->rq = 0;
}

static void campaigns_clear(struct ccon_send_flow *f)
{
	for (size_t i = 0; i < f->n_campaigns; i++)
		ccon_rest_campaign_info_free(&f->campaigns[i]);
	free(f->campaigns);
	f->campaigns = NULL;
	f->n_campaigns = 0;
}

static void dry_clear(struct ccon_send_flow *f)
{
	ccon_send_reqs_free(&f->dry_reqs);
	for (size_t i = 0; i < f->n_dry; i++)
		ccon_send_answer_free(&f->dry_answers[i]);
	free(f->dry_answers);
	f->dry_answers = NULL;
	f->n_dry = 0;
	f->dry_next = 0;
	if (f->has_timeline)
		ccon_timeline_free(&f->timeline);
	f->has_timeline = false;
}

static void disp_clear(struct ccon_send_flow *f)
{
	ccon_send_reqs_free(&f->disp_reqs);
	for (size_t i = 0; i < f->res.done && f->disp_answers; i++)
		ccon_send_answer_free(&f->disp_answers[i]);
	free(f->disp_answers);
	f->disp_answers = NULL;
	free(f->res.task_ids);
	free(f->res.envelope_campaign_id);
	free(f->res.envelope_status);
	ccon_whatsapp_answer_free(&f->res.whatsapp);
	memset(&f->res, 0, sizeof(f->res));
}

void ccon_send_flow_free(struct ccon_send_flow *f)
{
	if (!f)
		return;
	op_cancel(f, &f->list_op);
	op_cancel(f, &f->camp_op);
	op_cancel(f, &f->time_op);
	op_cancel(f, &f->slots_op);
	op_cancel(f, &f->dry_op);
	op_cancel(f, &f->disp_op);
	campaigns_clear(f);
	if (f->has_campaign)
		ccon_rest_campaign_info_free(&f->campaign);
	ccon_slots_view_free(&f->slots);
	dry_clear(f);
	disp_clear(f);
	free(f);
}

unsigned ccon_send_flow_changes(struct ccon_send_flow *f)
{
	unsigned c = f->changes;

	f->changes = 0;
	return c;
}

unsigned ccon_send_flow_in_flight(const struct ccon_send_flow *f)
{
	return (f->list_op.rq > 0) + (f->camp_op.rq > 0) + (f->time_op.rq > 0) +
	       (f->slots_op.rq > 0) + (f->dry_op.rq > 0) + (f->disp_op.rq > 0);
}

static enum ccon_flow_state op_state(const struct op *o, struct ccon_error *err)
{
	if (err)
		*err = o->err;
	return o->state;
}

/* Starts a GET for op o (replacing what it had in flight). */
static int op_get(struct ccon_send_flow *f, struct op *o, const char *path, ccon_client_cb cb,
                  struct ccon_error *err)
{
	struct ccon_request rq = { .method = "GET", .path = path, .auth = CCON_AUTH_BEARER,
	                           .retry = true };

	op_cancel(f, o);
	ccon_error_clear(&o->err);
	o->rq = ccon_client_send(f->client, &rq, cb, f, err);
	if (o->rq < 0) {
		o->rq = 0;
		return -1;
	}
	o->state = CCON_FLOW_RUNNING;
	return 0;
}

/* Ends op o: DONE when the answer was good and decoded (dec_rc 0), else
 * FAILED with the transport/API error or the decoding one. */
static void op_end(struct op *o, const struct ccon_response *r, int dec_rc,
                   const struct ccon_error *dec_err)
{
	o->rq = 0;
	if (r->err.code != CCON_E_OK) {
		o->err = r->err;
		o->state = CCON_FLOW_FAILED;
	} else if (dec_rc < 0) {
		o->err = *dec_err;
		o->state = CCON_FLOW_FAILED;
	} else {
		o->state = CCON_FLOW_DONE;
	}
}

/* ---- campaigns */

static int campaigns_decode(struct ccon_send_flow *f, const char *text, size_t len,
                            struct ccon_error *err)
{
	const cJSON *items = NULL, *it;
	struct ccon_json_path path;
	cJSON *j = NULL;
	size_t n;
	int rc = -1;

	ccon_json_path_init(&path, "");
	if (ccon_json_parse(text, len, &j, err) < 0 ||
	    ccon_json_get_array(j, "items", CCON_JSON_REQUIRED, &path, &items, err) < 0)
		goto out;
	n = (size_t)cJSON_GetArraySize(items);
	if (n && !(f->campaigns = calloc(n, sizeof(*f->campaigns)))) {
		nomem(err);
		goto out;
	}
	cJSON_ArrayForEach(it, items) {
		struct ccon_error skip;

		/* a campaign the codec cannot read is left out, not the whole list */
		if (ccon_rest_campaign_info_decode(it, &f->campaigns[f->n_campaigns], &skip) == 0)
			f->n_campaigns++;
	}
	rc = 0;
out:
	cJSON_Delete(j);
	return rc;
}

static void on_campaigns(void *ctx, const struct ccon_response *r)
{
	struct ccon_send_flow *f = ctx;
	struct ccon_error e;
	int rc = 0;

	ccon_error_clear(&e);
	campaigns_clear(f);
	if (r->err.code == CCON_E_OK)
		rc = campaigns_decode(f, r->body, r->len, &e);
	op_end(&f->list_op, r, rc, &e);
	f->changes |= CCON_FLOW_CAMPAIGNS;
}

int ccon_send_flow_list_campaigns(struct ccon_send_flow *f, struct ccon_error *err)
{
	char path[96];

	snprintf(path, sizeof(path), "/v1/applications/%" PRId64 "/campaigns?$take=100", f->app_id);
	return op_get(f, &f->list_op, path, on_campaigns, err);
}

const struct ccon_rest_campaign_info *ccon_send_flow_campaigns(const struct ccon_send_flow *f,
                                                              size_t *count)
{
	*count = f->n_campaigns;
	return f->campaigns;
}

enum ccon_flow_state ccon_send_flow_campaigns_state(const struct ccon_send_flow *f,
                                                    struct ccon_error *err)
{
	return op_state(&f->list_op, err);
}

static void on_campaign(void *ctx, const struct ccon_response *r)
{
	struct ccon_send_flow *f = ctx;
	struct ccon_error e;
	int rc = 0;

	ccon_error_clear(&e);
	if (f->has_campaign)
		ccon_rest_campaign_info_free(&f->campaign);
	f->has_campaign = false;
	if (r->err.code == CCON_E_OK) {
		rc = ccon_rest_campaign_info_parse(r->body, r->len, &f->campaign, &e);
		f->has_campaign = rc == 0;
	}
	op_end(&f->camp_op, r, rc, &e);
	f->changes |= CCON_FLOW_CAMPAIGN;
}

int ccon_send_flow_load_campaign(struct ccon_send_flow *f, int64_t campaign_id,
                                 struct ccon_error *err)
{
	char path[96];

	snprintf(path, sizeof(path), "/v1/applications/%" PRId64 "/campaigns/%" PRId64, f->app_id,
	         campaign_id);
	return op_get(f, &f->camp_op, path, on_campaign, err);
}

const struct ccon_rest_campaign_info *ccon_send_flow_campaign(const struct ccon_send_flow *f)
{
	return f->has_campaign ? &f->campaign : NULL;
}

enum ccon_flow_state ccon_send_flow_campaign_state(const struct ccon_send_flow *f,
                                                   struct ccon_error *err)
{
	return op_state(&f->camp_op, err);
}

/* ---- the server's now */

static int time_decode(struct ccon_send_flow *f, const char *text, size_t len,
                       struct ccon_error *err)
{
	struct ccon_json_path path;
	const char *t = NULL, *clock = NULL;
	cJSON *j = NULL;
	int rc = -1;

	ccon_json_path_init(&path, "");
	if (ccon_json_parse(text, len, &j, err) < 0 ||
	    ccon_json_get_string(j, "time", CCON_JSON_REQUIRED, &path, &t, err) < 0 ||
	    ccon_json_get_string(j, "clock", CCON_JSON_OPTIONAL, &path, &clock, err) < 0)
		goto out;
	if (ccon_datetime_parse(t, &f->time_us, err) < 0) {
		ccon_error_at_path(err, "time");
		goto out;
	}
	f->manual = clock && strcmp(clock, "manual") == 0;
	f->time_mono_ms = ccon_monotonic_ms();
	f->has_time = true;
	rc = 0;
out:
	cJSON_Delete(j);
	return rc;
}

static void on_time(void *ctx, const struct ccon_response *r)
{
	struct ccon_send_flow *f = ctx;
	struct ccon_error e;
	int rc = 0;

	ccon_error_clear(&e);
	if (r->err.code == CCON_E_OK)
		rc = time_decode(f, r->body, r->len, &e);
	op_end(&f->time_op, r, rc, &e);
	f->changes |= CCON_FLOW_TIME;
}

int ccon_send_flow_read_time(struct ccon_send_flow *f, struct ccon_error *err)
{
	return op_get(f, &f->time_op, "/v1/health", on_time, err);
}

bool ccon_send_flow_server_now(const struct ccon_send_flow *f, int64_t *now_us)
{
	if (!f->has_time)
		return false;
	*now_us = f->time_us;
	if (!f->manual)
		*now_us += (ccon_monotonic_ms() - f->time_mono_ms) * 1000;
	return true;
}

bool ccon_send_flow_clock_manual(const struct ccon_send_flow *f)
{
	return f->has_time && f->manual;
}

/* ---- slots */

static void dry_finish(struct ccon_send_flow *f);

static void on_slots(void *ctx, const struct ccon_response *r)
{
	struct ccon_send_flow *f = ctx;
	struct ccon_error e;
	int rc = 0;

	ccon_error_clear(&e);
	ccon_slots_view_free(&f->slots);
	f->has_slots = false;
	if (r->err.code == CCON_E_OK) {
		rc = ccon_slots_view_parse(r->body, r->len, &f->slots, &e);
		f->has_slots = rc == 0;
	}
	op_end(&f->slots_op, r, rc, &e);
	f->changes |= CCON_FLOW_SLOTS;
	if (f->dry_wants_slots) {
		f->dry_wants_slots = false;
		dry_finish(f);
	}
}

int ccon_send_flow_read_slots(struct ccon_send_flow *f, const char *channel, int64_t from_us,
                              struct ccon_error *err)
{
	char path[160], when[CCON_DATETIME_FORMAT_MAX];
	int n;

	n = snprintf(path, sizeof(path), "/v1/applications/%" PRId64 "/slots?channel=%s", f->app_id,
	             channel && *channel ? channel : "whatsapp");
	if (n < 0 || (size_t)n >= sizeof(path) - 40 ||
	    (from_us && ccon_datetime_format(from_us, when, sizeof(when), err) < 0)) {
		if (n >= 0)
			ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "bad slot channel or time");
		return -1;
	}
	if (from_us)
		snprintf(path + n, sizeof(path) - (size_t)n, "&from=%s", when);
	f->dry_wants_slots = false;
	return op_get(f, &f->slots_op, path, on_slots, err);
}

const struct ccon_slots_view *ccon_send_flow_slots(const struct ccon_send_flow *f)
{
	return f->has_slots ? &f->slots : NULL;
}

enum ccon_flow_state ccon_send_flow_slots_state(const struct ccon_send_flow *f,
                                                struct ccon_error *err)
{
	return op_state(&f->slots_op, err);
}

/* ---- sending one prepared request */

static int64_t send_req(struct ccon_send_flow *f, const struct ccon_send_req *q, ccon_client_cb cb,
                        struct ccon_error *err)
{
	struct ccon_request rq = { 0 };

	if (q->command)
		return ccon_client_command(f->client, "set", q->path, q->content_type, q->body,
		                           q->key[0] ? q->key : NULL, cb, f, err);
	rq.method = q->method;
	rq.path = q->path;
	rq.body = q->body;
	rq.len = q->len;
	rq.file_path = q->file_path;
	rq.tail = q->tail;
	rq.tail_len = q->tail_len;
	rq.content_type = q->content_type;
	rq.idempotency_key = q->key[0] ? q->key : NULL;
	rq.auth = CCON_AUTH_BEARER;
	rq.retry = true;
	return ccon_client_send(f->client, &rq, cb, f, err);
}

/* Checks the draft against the server's now and builds its requests. */
static int prepare(struct ccon_send_flow *f, const struct ccon_send_draft *d, bool dry_run,
                   struct ccon_send_reqs *reqs, struct ccon_error *err)
{
	int64_t now;

	if (!ccon_send_flow_server_now(f, &now)) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the server's time is not known yet "
		               "(read it first)");
		return -1;
	}
	return ccon_send_draft_requests(d, now, dry_run, reqs, err);
}

/* ---- dry run */

static void on_dry(void *ctx, const struct ccon_response *r);

static void dry_fail(struct ccon_send_flow *f, const struct ccon_error *e)
{
	f->dry_op.err = *e;
	f->dry_op.state = CCON_FLOW_FAILED;
	f->dry_op.rq = 0;
	f->changes |= CCON_FLOW_DRY_RUN;
}

static void dry_send_next(struct ccon_send_flow *f)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	f->dry_op.rq = send_req(f, &f->dry_reqs.items[f->dry_next], on_dry, &e);
	if (f->dry_op.rq < 0)
		dry_fail(f, &e);
}

static void dry_finish(struct ccon_send_flow *f)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (f->has_timeline)
		ccon_timeline_free(&f->timeline);
	f->has_timeline = false;
	if (f->n_dry && f->dry_answers[0].has_slicing) {
		if (ccon_timeline_build(f->has_slots ? &f->slots : NULL, f->dry_answers, f->n_dry,
		                        &f->timeline, &e) < 0) {
			dry_fail(f, &e);
			return;
		}
		f->has_timeline = true;
	}
	f->dry_op.state = CCON_FLOW_DONE;
	f->changes |= CCON_FLOW_DRY_RUN;
}

static void on_dry(void *ctx, const struct ccon_response *r)
{
	struct ccon_send_flow *f = ctx;
	struct ccon_send_answer *a = &f->dry_answers[f->dry_next];
	struct ccon_error e;

	f->dry_op.rq = 0;
	ccon_error_clear(&e);
	if (r->err.code != CCON_E_OK) {
		dry_fail(f, &r->err);
		return;
	}
	if (ccon_send_answer_parse(r->body, r->len, a, &e) < 0) {
		dry_fail(f, &e);
		return;
	}
	f->n_dry++;
	f->changes |= CCON_FLOW_DRY_RUN;
	if (++f->dry_next < f->dry_reqs.count) {
		dry_send_next(f);
		return;
	}
	if (!a->has_slicing || !f->dry_answers[0].has_send_at) {
		dry_finish(f);
		return;
	}
	/* the timeline needs the slots of the window the plan used */
	if (ccon_send_flow_read_slots(f, f->dry_channel, f->dry_answers[0].send_at_us, &e) < 0) {
		dry_fail(f, &e);
		return;
	}
	f->dry_wants_slots = true;
}

int ccon_send_flow_dry_run(struct ccon_send_flow *f, const struct ccon_send_draft *d,
                           struct ccon_error *err)
{
	if (d->kind == CCON_SEND_KIND_ENVELOPE || d->kind == CCON_SEND_KIND_WHATSAPP) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a %s has no slot plan to preview",
		               ccon_send_kind_name(d->kind));
		return -1;
	}
	op_cancel(f, &f->dry_op);
	if (f->dry_wants_slots)
		op_cancel(f, &f->slots_op);
	f->dry_wants_slots = false;
	dry_clear(f);
	ccon_error_clear(&f->dry_op.err);
	if (prepare(f, d, true, &f->dry_reqs, err) < 0) {
		f->dry_op.state = CCON_FLOW_FAILED;
		f->dry_op.err = *err;
		return -1;
	}
	if (!(f->dry_answers = calloc(f->dry_reqs.count, sizeof(*f->dry_answers)))) {
		ccon_send_reqs_free(&f->dry_reqs);
		return nomem(err);
	}
	snprintf(f->dry_channel, sizeof(f->dry_channel), "%s", ccon_send_draft_slot_channel(d));
	f->dry_op.state = CCON_FLOW_RUNNING;
	dry_send_next(f);
	if (f->dry_op.state == CCON_FLOW_FAILED) {
		*err = f->dry_op.err;
		return -1;
	}
	return 0;
}

enum ccon_flow_state ccon_send_flow_dry_run_state(const struct ccon_send_flow *f,
                                                  struct ccon_error *err)
{
	return op_state(&f->dry_op, err);
}

const struct ccon_send_answer *ccon_send_flow_dry_answers(const struct ccon_send_flow *f,
                                                          size_t *count)
{
	*count = f->n_dry;
	return f->dry_answers;
}

const struct ccon_timeline *ccon_send_flow_timeline(const struct ccon_send_flow *f)
{
	return f->has_timeline ? &f->timeline : NULL;
}

/* ---- dispatch */

static void on_disp(void *ctx, const struct ccon_response *r);

static void disp_fail(struct ccon_send_flow *f, const struct ccon_error *e)
{
	f->res.state = CCON_FLOW_FAILED;
	f->res.failed_at = f->res.done;
	f->res.err = *e;
	f->disp_op.rq = 0;
	f->disp_op.state = CCON_FLOW_FAILED;
	f->disp_op.err = *e;
	f->changes |= CCON_FLOW_DISPATCH;
}

static void disp_send_next(struct ccon_send_flow *f)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	f->disp_op.rq = send_req(f, &f->disp_reqs.items[f->res.done], on_disp, &e);
	if (f->disp_op.rq < 0)
		disp_fail(f, &e);
}

/* The seed 002 answer: status success with the campaign, or failure with
 * the reason. */
static int envelope_answer(struct ccon_send_flow *f, const char *text, size_t len,
                           struct ccon_error *err)
{
	const cJSON *res, *reason, *desc, *code;
	struct ccon_campaign_info ci;
	const char *status;
	cJSON *j = NULL;
	int rc = -1;

	if (ccon_json_parse(text, len, &j, err) < 0)
		return -1;
	status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "status"));
	if (!status || strcmp(status, "success") != 0) {
		reason = cJSON_GetObjectItemCaseSensitive(j, "reason");
		desc = cJSON_GetObjectItemCaseSensitive(reason, "description");
		code = cJSON_GetObjectItemCaseSensitive(reason, "path");
		ccon_error_set(err, CCON_E_JSON_VALUE, "the command failed: %.200s",
		               cJSON_IsString(desc) ? desc->valuestring : "no reason given");
		if (cJSON_IsString(code))
			ccon_error_at_path(err, code->valuestring);
		goto out;
	}
	res = cJSON_GetObjectItemCaseSensitive(j, "resource");
	if (ccon_campaign_info_decode(res, &ci, err) < 0)
		goto out;
	f->res.envelope_campaign_id = ci.id;
	f->res.envelope_status = ci.status;
	ci.id = NULL;
	ci.status = NULL;
	ccon_campaign_info_free(&ci);
	rc = 0;
out:
	cJSON_Delete(j);
	return rc;
}

static int rest_answer(struct ccon_send_flow *f, const char *text, size_t len,
                       struct ccon_error *err)
{
	struct ccon_send_answer *a = &f->disp_answers[f->res.done];

	if (ccon_send_answer_parse(text, len, a, err) < 0)
		return -1;
	f->res.campaign_id = a->campaign_id;
	if (a->has_task_id)
		f->res.task_ids[f->res.n_task_ids++] = a->task_id;
	return 0;
}

static void on_disp(void *ctx, const struct ccon_response *r)
{
	struct ccon_send_flow *f = ctx;
	struct ccon_error e;
	int rc;

	f->disp_op.rq = 0;
	f->res.attempts = r->attempts;
	ccon_error_clear(&e);
	if (r->err.code != CCON_E_OK) {
		disp_fail(f, &r->err);
		return;
	}
	if (f->disp_kind == CCON_SEND_KIND_ENVELOPE)
		rc = envelope_answer(f, r->body, r->len, &e);
	else if (f->disp_kind == CCON_SEND_KIND_WHATSAPP)
		rc = ccon_whatsapp_answer_parse(r->body, r->len, &f->res.whatsapp, &e);
	else
		rc = rest_answer(f, r->body, r->len, &e);
	if (rc < 0) {
		disp_fail(f, &e);
		return;
	}
	f->res.done++;
	f->res.answers = f->disp_answers;
	f->changes |= CCON_FLOW_DISPATCH;
	if (f->res.done < f->res.total) {
		disp_send_next(f);
		return;
	}
	f->res.state = CCON_FLOW_DONE;
	f->disp_op.state = CCON_FLOW_DONE;
}

int ccon_send_flow_dispatch(struct ccon_send_flow *f, const struct ccon_send_draft *d,
                            struct ccon_error *err)
{
	if (f->disp_op.rq > 0) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a dispatch is running");
		return -1;
	}
	disp_clear(f);
	ccon_error_clear(&f->disp_op.err);
	if (prepare(f, d, false, &f->disp_reqs, err) < 0) {
		f->res.state = CCON_FLOW_FAILED;
		f->res.err = *err;
		f->disp_op.state = CCON_FLOW_FAILED;
		f->disp_op.err = *err;
		f->changes |= CCON_FLOW_DISPATCH;
		return -1;
	}
	f->disp_kind = d->kind;
	f->res.total = f->disp_reqs.count;
	if (!(f->disp_answers = calloc(f->res.total, sizeof(*f->disp_answers))) ||
	    !(f->res.task_ids = calloc(f->res.total, sizeof(*f->res.task_ids)))) {
		disp_clear(f);
		return nomem(err);
	}
	f->res.state = CCON_FLOW_RUNNING;
	f->disp_op.state = CCON_FLOW_RUNNING;
	f->changes |= CCON_FLOW_DISPATCH;
	disp_send_next(f);
	if (f->res.state == CCON_FLOW_FAILED) {
		*err = f->res.err;
		return -1;
	}
	return 0;
}

const struct ccon_send_dispatch *ccon_send_flow_dispatch_result(const struct ccon_send_flow *f)
{
	return &f->res;
}
