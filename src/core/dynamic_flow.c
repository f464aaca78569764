/* dynamic_flow.c - seed 002's dynamic audiences over the command envelope
 * (dynamic_flow.h): the campaign, its rounds, the server's audience and
 * the dispatch. */
#include "config.h"

#include <ccon/dynamic_flow.h>

#include <ccon/audience_csv.h>
#include <ccon/codec_campaign_def.h>
#include <ccon/codec_command.h>
#include <ccon/json_util.h>
#include <ccon/sha256.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct op {
	enum ccon_flow_state state;
	struct ccon_error err;
	int64_t rq;                     /* the request in flight, 0 when none */
};

struct ccon_dynamic_flow {
	struct ccon_client *client;
	int64_t app_id;
	char rand[17];                  /* this flow's random id (idempotency keys) */
	unsigned changes;

	struct ccon_dyn_campaign camp;
	struct op create_op, status_op, def_op;
	struct ccon_campaign_message pending;   /* the message of a create in flight */

	struct op round_op;
	struct ccon_dyn_round *rounds;
	size_t n_rounds;

	struct ccon_dyn_csv csv;
	bool has_csv;

	struct op aud_op;
	struct ccon_audience_page page;
	bool has_page;
	int64_t page_skip, page_take, want_skip;

	struct op disp_op;
};

static int nomem(struct ccon_error *err)
{
	ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return -1;
}

/* ------------------------------------------------------------ messages */

static void message_free(struct ccon_campaign_message *m)
{
	free(m->message_template);
	free(m->message_content);
	free(m->template_language);
	for (size_t i = 0; i < m->n_params; i++)
		free(m->params[i]);
	free(m->params);
	memset(m, 0, sizeof(*m));
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	return src && !(*dst = strdup(src)) ? -1 : 0;
}

static int message_copy(struct ccon_campaign_message *dst, const struct ccon_campaign_message *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->channel = src->channel;
	dst->has_channel = src->has_channel;
	if (dup_opt(&dst->message_template, src->message_template) < 0 ||
	    dup_opt(&dst->message_content, src->message_content) < 0 ||
	    dup_opt(&dst->template_language, src->template_language) < 0 ||
	    (src->n_params && !(dst->params = calloc(src->n_params, sizeof(char *)))))
		goto fail;
	for (; dst->n_params < src->n_params; dst->n_params++)
		if (!(dst->params[dst->n_params] = strdup(src->params[dst->n_params])))
			goto fail;
	return 0;
fail:
	message_free(dst);
	return -1;
}

static void campaign_clear(struct ccon_dyn_campaign *c)
{
	free(c->id);
	free(c->name);
	free(c->status);
	free(c->origin);
	free(c->channel);
	message_free(&c->message);
	memset(c, 0, sizeof(*c));
	c->recipients = -1;
}

/* Replaces *dst by a copy of src (NULL leaves it). -1 when out of memory. */
static int set_str(char **dst, const char *src)
{
	char *d;

	if (!src)
		return 0;
	if (!(d = strdup(src)))
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

/* ------------------------------------------------------------ the flow */

static void random_id(char out[17])
{
	unsigned char b[8] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	uint64_t v;

	if (fd < 0 || read(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
		/* no urandom: the time and the pid are unique enough for one host */
		v = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
		    (uint64_t)ccon_monotonic_ms() << 16;
		memcpy(b, &v, sizeof(b));
	}
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int ccon_dynamic_flow_new(struct ccon_client *client, int64_t app_id,
                          struct ccon_dynamic_flow **out, struct ccon_error *err)
{
	struct ccon_dynamic_flow *f;

	*out = NULL;
	if (!client || app_id < 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a dynamic flow needs a client");
	if (!(f = calloc(1, sizeof(*f))))
		return nomem(err);
	f->client = client;
	f->app_id = app_id;
	f->camp.recipients = -1;
	f->page_take = CCON_CMD_TAKE_DEFAULT;
	random_id(f->rand);
	*out = f;
	return 0;
}

static void op_cancel(struct ccon_dynamic_flow *f, struct op *o)
{
	if (o->rq > 0)
		ccon_client_cancel(f->client, o->rq);
	o->rq = 0;
}

static void round_free(struct ccon_dyn_round *r)
{
	free(r->file);
	free(r->rows);
}

static void csv_clear(struct ccon_dyn_csv *c)
{
	free(c->path);
	free(c->text);
	for (size_t i = 0; i < c->n_columns; i++)
		free(c->columns[i]);
	free(c->columns);
	ccon_audience_list_free(&c->rows);
	free(c->lines);
	free(c->errors);
	memset(c, 0, sizeof(*c));
}

void ccon_dynamic_flow_free(struct ccon_dynamic_flow *f)
{
	if (!f)
		return;
	op_cancel(f, &f->create_op);
	op_cancel(f, &f->status_op);
	op_cancel(f, &f->def_op);
	op_cancel(f, &f->round_op);
	op_cancel(f, &f->aud_op);
	op_cancel(f, &f->disp_op);
	campaign_clear(&f->camp);
	message_free(&f->pending);
	for (size_t i = 0; i < f->n_rounds; i++)
		round_free(&f->rounds[i]);
	free(f->rounds);
	csv_clear(&f->csv);
	ccon_audience_page_free(&f->page);
	free(f);
}

unsigned ccon_dynamic_flow_changes(struct ccon_dynamic_flow *f)
{
	unsigned c = f->changes;

	f->changes = 0;
	return c;
}

unsigned ccon_dynamic_flow_in_flight(const struct ccon_dynamic_flow *f)
{
	return (f->create_op.rq > 0) + (f->status_op.rq > 0) + (f->def_op.rq > 0) +
	       (f->round_op.rq > 0) + (f->aud_op.rq > 0) + (f->disp_op.rq > 0);
}

static void op_fail(struct op *o, const struct ccon_error *e)
{
	o->rq = 0;
	o->err = *e;
	o->state = CCON_FLOW_FAILED;
}

static void op_done(struct op *o)
{
	o->rq = 0;
	ccon_error_clear(&o->err);
	o->state = CCON_FLOW_DONE;
}

/* Queues a command for op o (replacing what it had in flight). */
static int op_command(struct ccon_dynamic_flow *f, struct op *o, const char *method,
                      const char *uri, const char *type, const char *resource, const char *key,
                      ccon_client_cb cb, struct ccon_error *err)
{
	op_cancel(f, o);
	ccon_error_clear(&o->err);
	o->rq = ccon_client_command(f->client, method, uri, type, resource, key, cb, f, err);
	if (o->rq < 0) {
		op_fail(o, err);
		return -1;
	}
	o->state = CCON_FLOW_RUNNING;
	return 0;
}

/* ------------------------------------------------------------ answers */

static const cJSON *member(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

int ccon_dynamic_answer_reason(const cJSON *answer, struct ccon_api_error *e,
                               struct ccon_api_error **rows, size_t *n_rows, size_t *truncated)
{
	const cJSON *reason = member(answer, "reason"), *errs, *it;
	const char *status = cJSON_GetStringValue(member(answer, "status"));
	const char *code = cJSON_GetStringValue(member(reason, "error"));
	const char *desc = cJSON_GetStringValue(member(reason, "description"));
	const char *path = cJSON_GetStringValue(member(reason, "path"));
	const cJSON *line = member(reason, "line"), *col = member(reason, "column");
	const cJSON *tr = member(reason, "truncated");
	struct ccon_error ignored;
	cJSON *o;
	size_t plen;

	if (rows)
		*rows = NULL;
	if (n_rows)
		*n_rows = 0;
	if (truncated)
		*truncated = 0;
	if (status && strcasecmp(status, "success") == 0)
		return -1;
	memset(e, 0, sizeof(*e));
	if (!desc)
		desc = "the server gave no reason";
	plen = path ? strlen(path) : 0;
	if (plen && strncmp(desc, path, plen) == 0 && strncmp(desc + plen, ": ", 2) == 0)
		desc += plen + 2;
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "code", code ? code : "unknown_remote_error") ||
	    !cJSON_AddStringToObject(o, "message", desc) ||
	    (path && *path && !cJSON_AddStringToObject(o, "path", path)) ||
	    (cJSON_IsNumber(line) && line->valuedouble >= 1 &&
	     !cJSON_AddNumberToObject(o, "line", line->valuedouble)) ||
	    (cJSON_IsNumber(col) && col->valuedouble >= 1 &&
	     !cJSON_AddNumberToObject(o, "column", col->valuedouble)) ||
	    ccon_api_error_decode(o, e, &ignored) < 0) {
		snprintf(e->code, sizeof(e->code), "%s", "unknown_remote_error");
		ccon_error_set(&e->error, CCON_E_REMOTE_UNKNOWN, "%.200s", desc);
	}
	cJSON_Delete(o);
	errs = member(reason, "errors");
	if (!rows || !cJSON_IsArray(errs))
		return 0;
	if (truncated && cJSON_IsNumber(tr) && tr->valuedouble > 0)
		*truncated = (size_t)tr->valuedouble;
	*rows = calloc(CCON_DYN_ROW_ERRORS_MAX, sizeof(**rows));
	cJSON_ArrayForEach(it, errs) {
		if (!*rows)
			break;
		if (*n_rows == CCON_DYN_ROW_ERRORS_MAX) {
			if (truncated)
				(*truncated)++;
			continue;
		}
		if (ccon_api_error_decode(it, &(*rows)[*n_rows], &ignored) == 0)
			(*n_rows)++;
	}
	return 0;
}

/* Parses an envelope answer: 0 with *res (owned by *root) on success; -1
 * with e (transport, syntax or the reason) otherwise. */
static int answer_open(const struct ccon_response *r, cJSON **root, const cJSON **res,
                       struct ccon_api_error *e)
{
	struct ccon_error pe;

	*root = NULL;
	*res = NULL;
	memset(e, 0, sizeof(*e));
	if (r->err.code != CCON_E_OK) {
		ccon_api_error_from(e, &r->err);
		return -1;
	}
	ccon_error_clear(&pe);
	if (ccon_json_parse(r->body, r->len, root, &pe) < 0) {
		ccon_api_error_from(e, &pe);
		return -1;
	}
	if (ccon_dynamic_answer_reason(*root, e, NULL, NULL, NULL) == 0)
		return -1;
	*res = member(*root, "resource");
	return 0;
}

/* The campaign answer of create, a round and dispatch: id and status. */
static int take_campaign_info(struct ccon_dynamic_flow *f, const cJSON *res,
                              struct ccon_error *err)
{
	struct ccon_campaign_info ci;

	if (ccon_campaign_info_decode(res, &ci, err) < 0) {
		ccon_error_prefix_path(err, "resource");
		return -1;
	}
	if (set_str(&f->camp.id, ci.id) < 0 || set_str(&f->camp.name, ci.name) < 0 ||
	    set_str(&f->camp.status, ci.status) < 0 ||
	    set_str(&f->camp.channel, ci.channel_type) < 0) {
		ccon_campaign_info_free(&ci);
		return nomem(err);
	}
	if (ci.status && strcmp(ci.status, "draft") != 0 && strcmp(ci.status, "new") != 0)
		f->camp.dispatched = true;
	ccon_campaign_info_free(&ci);
	return 0;
}

/* ------------------------------------------------------------ create */

static int create_resource(const struct ccon_dynamic_campaign *dc, char **text,
                           struct ccon_error *err)
{
	cJSON *j = NULL;

	*text = NULL;
	if (ccon_dynamic_campaign_encode(dc, &j) < 0 || !(*text = cJSON_PrintUnformatted(j))) {
		cJSON_Delete(j);
		return nomem(err);
	}
	cJSON_Delete(j);
	return 0;
}

int ccon_dynamic_flow_create_key(const struct ccon_dynamic_flow *f,
                                 const struct ccon_dynamic_campaign *dc, char *buf, size_t size,
                                 struct ccon_error *err)
{
	char hex[CCON_SHA256_HEX_SIZE];
	char *text;

	if (create_resource(dc, &text, err) < 0)
		return -1;
	ccon_sha256_hex(text, strlen(text), hex);
	cJSON_free(text);
	if ((size_t)snprintf(buf, size, "ccon-v2-%s-%.24s", f->rand, hex) >= size)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the key buffer is too small");
	return 0;
}

static void on_create(void *ctx, const struct ccon_response *r)
{
	struct ccon_dynamic_flow *f = ctx;
	struct ccon_api_error ae;
	const cJSON *res;
	cJSON *root;
	struct ccon_error e;

	ccon_error_clear(&e);
	f->changes |= CCON_DYN_CAMPAIGN;
	if (answer_open(r, &root, &res, &ae) < 0) {
		op_fail(&f->create_op, &ae.error);
		cJSON_Delete(root);
		return;
	}
	campaign_clear(&f->camp);
	if (take_campaign_info(f, res, &e) < 0 || set_str(&f->camp.origin, "v2") < 0) {
		if (!e.code)
			nomem(&e);
		op_fail(&f->create_op, &e);
	} else {
		f->camp.message = f->pending;
		f->camp.has_message = true;
		memset(&f->pending, 0, sizeof(f->pending));
		f->camp.recipients = 0;
		op_done(&f->create_op);
	}
	cJSON_Delete(root);
}

int ccon_dynamic_flow_create(struct ccon_dynamic_flow *f, const struct ccon_dynamic_campaign *dc,
                             struct ccon_error *err)
{
	char key[96];
	char *text = NULL;
	int rc;

	if (f->camp.id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "this flow already has campaign "
		                      "%.40s", f->camp.id);
	if (dc->campaign.type != CCON_CAMPAIGN_BATCH) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "a dynamic audience campaign is a Batch campaign");
		ccon_error_at_path(err, "campaign.campaignType");
		return -1;
	}
	if (ccon_dynamic_flow_create_key(f, dc, key, sizeof(key), err) < 0 ||
	    create_resource(dc, &text, err) < 0)
		return -1;
	message_free(&f->pending);
	if (message_copy(&f->pending, &dc->message) < 0) {
		cJSON_free(text);
		return nomem(err);
	}
	rc = op_command(f, &f->create_op, "set", "/campaign/v2",
	                "application/vnd.iris.activecampaign.campaign-dynamic+json", text, key,
	                on_create, err);
	cJSON_free(text);
	return rc;
}

/* ------------------------------------------------------------ open, status */

/* The campaign's state is known: can audiences still be added? */
static void judge(struct ccon_dyn_campaign *c)
{
	if (c->origin)
		c->not_v2 = strcmp(c->origin, "v2") != 0;
	if (c->status && strcmp(c->status, "draft") != 0 && !c->not_v2)
		c->dispatched = true;
}

static void on_status(void *ctx, const struct ccon_response *r)
{
	struct ccon_dynamic_flow *f = ctx;
	struct ccon_campaign_summary s;
	struct ccon_api_error ae;
	const cJSON *res;
	cJSON *root;
	struct ccon_error e;

	ccon_error_clear(&e);
	f->changes |= CCON_DYN_CAMPAIGN;
	if (answer_open(r, &root, &res, &ae) < 0) {
		op_fail(&f->status_op, &ae.error);
		cJSON_Delete(root);
		return;
	}
	if (ccon_campaign_summary_decode(res, &s, &e) < 0) {
		ccon_error_prefix_path(&e, "resource");
		op_fail(&f->status_op, &e);
	} else {
		if (set_str(&f->camp.name, s.name) < 0 || set_str(&f->camp.status, s.status) < 0 ||
		    set_str(&f->camp.channel, s.channel_type) < 0) {
			nomem(&e);
			op_fail(&f->status_op, &e);
		} else {
			if (s.has_counts)
				f->camp.recipients = s.counts.total;
			judge(&f->camp);
			op_done(&f->status_op);
		}
		ccon_campaign_summary_free(&s);
	}
	cJSON_Delete(root);
}

int ccon_dynamic_flow_read_status(struct ccon_dynamic_flow *f, struct ccon_error *err)
{
	struct ccon_cmd_uri u = { .route = CCON_ROUTE_SUMMARY };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	int rc;

	if (!f->camp.id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no campaign yet");
	u.campaign_id = f->camp.id;
	if (ccon_cmd_uri_format(&u, &sb) < 0)
		return nomem(err);
	rc = op_command(f, &f->status_op, "get", ccon_strbuf_cstr(&sb), NULL, NULL, NULL, on_status,
	                err);
	ccon_strbuf_free(&sb);
	return rc;
}

/* The REST definition: origin and the message's parameter names. */
static int take_definition(struct ccon_dynamic_flow *f, const struct ccon_rest_campaign_info *ci)
{
	struct ccon_campaign_message *m = &f->camp.message;
	const struct ccon_rest_campaign *d = &ci->def;

	message_free(m);
	m->channel = d->channel && strcmp(d->channel, "rcs") == 0 ? CCON_CHANNEL_GOOGLE_RCS
	                                                          : CCON_CHANNEL_WHATSAPP;
	m->has_channel = true;
	if (set_str(&f->camp.origin, ci->origin ? ci->origin : "rest") < 0 ||
	    dup_opt(&m->message_template, d->template_name) < 0 ||
	    dup_opt(&m->message_content, d->template_body) < 0 ||
	    dup_opt(&m->template_language, d->language) < 0 ||
	    (d->n_template_params && !(m->params = calloc(d->n_template_params, sizeof(char *)))))
		return -1;
	for (; m->n_params < d->n_template_params; m->n_params++)
		if (!(m->params[m->n_params] = strdup(d->template_params[m->n_params])))
			return -1;
	f->camp.has_message = true;
	judge(&f->camp);
	return 0;
}

static void on_definition(void *ctx, const struct ccon_response *r)
{
	struct ccon_dynamic_flow *f = ctx;
	struct ccon_rest_campaign_info ci;
	struct ccon_error e;

	ccon_error_clear(&e);
	f->changes |= CCON_DYN_CAMPAIGN;
	if (r->err.code != CCON_E_OK) {
		op_fail(&f->def_op, &r->err);
		return;
	}
	if (ccon_rest_campaign_info_parse(r->body, r->len, &ci, &e) < 0) {
		op_fail(&f->def_op, &e);
		return;
	}
	if (take_definition(f, &ci) < 0) {
		nomem(&e);
		op_fail(&f->def_op, &e);
	} else {
		op_done(&f->def_op);
	}
	ccon_rest_campaign_info_free(&ci);
}

static bool numeric_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 1 || s[0] == '+' || s[0] == ' ')
		return false;
	*out = v;
	return true;
}

int ccon_dynamic_flow_open(struct ccon_dynamic_flow *f, const char *campaign_id,
                           struct ccon_error *err)
{
	struct ccon_request rq = { .method = "GET", .auth = CCON_AUTH_BEARER, .retry = true };
	char path[128];
	int64_t n;

	if (!campaign_id || !*campaign_id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no campaign id");
	op_cancel(f, &f->create_op);
	campaign_clear(&f->camp);
	if (!(f->camp.id = strdup(campaign_id)))
		return nomem(err);
	if (ccon_dynamic_flow_read_status(f, err) < 0)
		return -1;
	op_cancel(f, &f->def_op);
	f->def_op.state = CCON_FLOW_IDLE;
	if (f->app_id < 1 || !numeric_id(campaign_id, &n))
		return 0;
	snprintf(path, sizeof(path), "/v1/applications/%" PRId64 "/campaigns/%" PRId64, f->app_id, n);
	rq.path = path;
	ccon_error_clear(&f->def_op.err);
	f->def_op.rq = ccon_client_send(f->client, &rq, on_definition, f, err);
	if (f->def_op.rq < 0) {
		op_fail(&f->def_op, err);
		return -1;
	}
	f->def_op.state = CCON_FLOW_RUNNING;
	return 0;
}

const struct ccon_dyn_campaign *ccon_dynamic_flow_campaign(const struct ccon_dynamic_flow *f)
{
	return &f->camp;
}

enum ccon_flow_state ccon_dynamic_flow_campaign_state(const struct ccon_dynamic_flow *f,
                                                      struct ccon_error *err)
{
	const struct op *ops[] = { &f->create_op, &f->status_op, &f->def_op };
	enum ccon_flow_state st = CCON_FLOW_IDLE;

	if (err)
		ccon_error_clear(err);
	for (size_t i = 0; i < 3; i++) {
		if (ops[i]->state == CCON_FLOW_RUNNING)
			return CCON_FLOW_RUNNING;
		if (ops[i]->state == CCON_FLOW_FAILED) {
			if (err && !err->code)
				*err = ops[i]->err;
			st = CCON_FLOW_FAILED;
		} else if (ops[i]->state == CCON_FLOW_DONE && st == CCON_FLOW_IDLE) {
			st = CCON_FLOW_DONE;
		}
	}
	return st;
}

/* ------------------------------------------------------------ the audience */

static void on_audience(void *ctx, const struct ccon_response *r)
{
	struct ccon_dynamic_flow *f = ctx;
	struct ccon_api_error ae;
	const cJSON *res;
	cJSON *root;
	struct ccon_error e;

	ccon_error_clear(&e);
	f->changes |= CCON_DYN_AUDIENCE;
	if (answer_open(r, &root, &res, &ae) < 0) {
		op_fail(&f->aud_op, &ae.error);
		cJSON_Delete(root);
		return;
	}
	ccon_audience_page_free(&f->page);
	f->has_page = false;
	if (ccon_audience_page_decode(res, &f->page, &e) < 0) {
		ccon_error_prefix_path(&e, "resource");
		op_fail(&f->aud_op, &e);
	} else {
		f->has_page = true;
		f->page_skip = f->want_skip;
		if (f->camp.recipients < 0 || f->page.total > f->camp.recipients)
			f->camp.recipients = f->page.total;
		op_done(&f->aud_op);
	}
	cJSON_Delete(root);
}

int ccon_dynamic_flow_read_audience(struct ccon_dynamic_flow *f, int64_t skip, int64_t take,
                                    struct ccon_error *err)
{
	struct ccon_cmd_uri u = { .route = CCON_ROUTE_AUDIENCE };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	int rc;

	if (!f->camp.id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no campaign yet");
	if (skip < 0 || skip > CCON_CMD_SKIP_MAX || take < 1 || take > CCON_CMD_TAKE_MAX)
		return ccon_error_set(err, CCON_E_JSON_RANGE, "a page is $skip 0.. and $take 1..%d",
		                      CCON_CMD_TAKE_MAX);
	u.campaign_id = f->camp.id;
	u.skip = skip;
	u.take = take;
	u.has_skip = u.has_take = true;
	if (ccon_cmd_uri_format(&u, &sb) < 0)
		return nomem(err);
	f->want_skip = skip;
	f->page_take = take;
	rc = op_command(f, &f->aud_op, "get", ccon_strbuf_cstr(&sb), NULL, NULL, NULL, on_audience,
	                err);
	ccon_strbuf_free(&sb);
	return rc;
}

const struct ccon_audience_page *ccon_dynamic_flow_audience(const struct ccon_dynamic_flow *f,
                                                            int64_t *skip)
{
	if (skip)
		*skip = f->page_skip;
	return f->has_page ? &f->page : NULL;
}

enum ccon_flow_state ccon_dynamic_flow_audience_state(const struct ccon_dynamic_flow *f,
                                                      struct ccon_error *err)
{
	if (err)
		*err = f->aud_op.err;
	return f->aud_op.state;
}

/* After a change on the server: its status and the page shown last. */
static void reread(struct ccon_dynamic_flow *f)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (ccon_dynamic_flow_read_status(f, &e) < 0)
		f->changes |= CCON_DYN_CAMPAIGN;
	if (ccon_dynamic_flow_read_audience(f, f->has_page ? f->page_skip : 0, f->page_take, &e) < 0)
		f->changes |= CCON_DYN_AUDIENCE;
}

/* ------------------------------------------------------------ rounds */

static int refuse_round(const struct ccon_dynamic_flow *f, struct ccon_error *err)
{
	if (!f->camp.id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no campaign yet: create or open "
		                      "one first");
	if (f->camp.not_v2)
		return ccon_error_set(err, CCON_E_CONFLICT, "campaign %.40s was created with %s: "
		                      "audiences can only be added to a /campaign/v2 campaign",
		                      f->camp.id, strcmp(f->camp.origin, "full") == 0
		                      ? "/campaign/full" : "the REST API");
	if (f->camp.dispatched)
		return ccon_error_set(err, CCON_E_CONFLICT, "campaign %.40s was dispatched: no "
		                      "audience can be added", f->camp.id);
	if (f->round_op.rq > 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a round is being sent: wait for "
		                      "its answer");
	if (f->disp_op.rq > 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the campaign is being dispatched");
	return 0;
}

static struct ccon_dyn_round *round_new(struct ccon_dynamic_flow *f, bool csv, size_t count,
                                        const char *file)
{
	struct ccon_dyn_round *p = realloc(f->rounds, (f->n_rounds + 1) * sizeof(*p)), *r;

	if (!p)
		return NULL;
	f->rounds = p;
	r = &p[f->n_rounds];
	memset(r, 0, sizeof(*r));
	if (file && !(r->file = strdup(file)))
		return NULL;
	f->n_rounds++;
	r->number = (unsigned)f->n_rounds;
	r->csv = csv;
	r->count = count;
	r->state = CCON_FLOW_RUNNING;
	return r;
}

static void take_counts(struct ccon_dyn_round *rd, const cJSON *res)
{
	const cJSON *rc = member(res, "recipients"), *v;

	if ((v = member(rc, "accepted")) && cJSON_IsNumber(v))
		rd->accepted = (int64_t)v->valuedouble;
	if ((v = member(rc, "duplicates")) && cJSON_IsNumber(v))
		rd->duplicates = (int64_t)v->valuedouble;
	if ((v = member(rc, "rejected")) && cJSON_IsNumber(v))
		rd->rejected = (int64_t)v->valuedouble;
}

static void on_round(void *ctx, const struct ccon_response *r)
{
	struct ccon_dynamic_flow *f = ctx;
	struct ccon_dyn_round *rd = &f->rounds[f->n_rounds - 1];
	const cJSON *res;
	cJSON *root = NULL;
	struct ccon_error e;

	ccon_error_clear(&e);
	f->round_op.rq = 0;
	f->changes |= CCON_DYN_ROUND;
	rd->state = CCON_FLOW_FAILED;
	if (r->err.code != CCON_E_OK) {
		/* no answer (or not an envelope): it may have landed */
		rd->unknown = r->status == 0 || r->status >= 500;
		ccon_api_error_from(&rd->err, &r->err);
	} else if (ccon_json_parse(r->body, r->len, &root, &e) < 0) {
		rd->unknown = true;
		ccon_api_error_from(&rd->err, &e);
	} else if (ccon_dynamic_answer_reason(root, &rd->err, &rd->rows, &rd->n_rows,
	                                      &rd->rows_truncated) == 0) {
		/* refused, nothing added; a refusal for the campaign's state is
		 * the server telling us it was dispatched */
		if (rd->err.error.code == CCON_E_CONFLICT && strstr(rd->err.error.message, "dispatched"))
			f->camp.dispatched = true;
	} else {
		res = member(root, "resource");
		take_counts(rd, res);
		if (take_campaign_info(f, res, &e) < 0)
			ccon_api_error_from(&rd->err, &e);
		rd->state = CCON_FLOW_DONE;
	}
	f->round_op.state = rd->state;
	f->round_op.err = rd->err.error;
	cJSON_Delete(root);
	reread(f);
}

static int send_round(struct ccon_dynamic_flow *f, bool csv, const char *resource, size_t count,
                      const char *file, struct ccon_error *err)
{
	struct ccon_cmd_uri u = { .route = csv ? CCON_ROUTE_AUDIENCES_V2_FILE
	                                       : CCON_ROUTE_AUDIENCES_V2 };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_dyn_round *rd;
	int rc;

	u.campaign_id = f->camp.id;
	if (ccon_cmd_uri_format(&u, &sb) < 0 || !(rd = round_new(f, csv, count, file))) {
		ccon_strbuf_free(&sb);
		return nomem(err);
	}
	/* no Idempotency-Key: ccond does not take one here, and without it the
	 * client never sends the round twice (dynamic_flow.h) */
	rc = op_command(f, &f->round_op, "set", ccon_strbuf_cstr(&sb), csv ? CCON_DYN_CSV_TYPE : NULL,
	                resource, NULL, on_round, err);
	ccon_strbuf_free(&sb);
	if (rc < 0) {
		round_free(rd);
		f->n_rounds--;
	}
	return rc;
}

int ccon_dynamic_flow_add_list(struct ccon_dynamic_flow *f, const struct ccon_audience *items,
                               size_t count, struct ccon_error *err)
{
	struct ccon_audience_list al = { (struct ccon_audience *)items, count };
	cJSON *j = NULL;
	char *text;
	int rc;

	if (refuse_round(f, err) < 0)
		return -1;
	if (!count)
		return ccon_error_set(err, CCON_E_JSON_REQUIRED, "the round has no audience");
	for (size_t i = 0; f->camp.has_message && i < count; i++) {
		char path[48];

		snprintf(path, sizeof(path), "audiences[%zu]", i);
		if (ccon_audience_check(&f->camp.message, &items[i], path, err) < 0)
			return -1;
	}
	if (ccon_audience_list_encode(&al, &j) < 0 || !(text = cJSON_PrintUnformatted(j))) {
		cJSON_Delete(j);
		return nomem(err);
	}
	cJSON_Delete(j);
	rc = send_round(f, false, text, count, NULL, err);
	cJSON_free(text);
	return rc;
}

const struct ccon_dyn_round *ccon_dynamic_flow_rounds(const struct ccon_dynamic_flow *f,
                                                      size_t *count)
{
	*count = f->n_rounds;
	return f->rounds;
}

/* ------------------------------------------------------------ CSV rounds */

static int read_text(const char *path, char **buf, size_t *len, struct ccon_error *err)
{
	FILE *fp = fopen(path, "rb");
	char *b;
	size_t n;

	if (!fp)
		return ccon_error_set(err, CCON_E_IO, "cannot open %.200s: %s", path, strerror(errno));
	if (!(b = malloc(CCON_DYN_CSV_MAX + 1))) {
		fclose(fp);
		return nomem(err);
	}
	n = fread(b, 1, CCON_DYN_CSV_MAX + 1, fp);
	if (ferror(fp)) {
		fclose(fp);
		free(b);
		return ccon_error_set(err, CCON_E_IO, "cannot read %.200s: %s", path, strerror(errno));
	}
	fclose(fp);
	if (n > CCON_DYN_CSV_MAX) {
		free(b);
		return ccon_error_set(err, CCON_E_TOO_LARGE, "%.200s is over %u MiB: split it into "
		                      "several rounds", path, CCON_DYN_CSV_MAX >> 20);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

struct csv_run {
	struct ccon_dyn_csv *c;
	size_t cap;
	bool oom;
};

static int csv_on_error(void *ctx, const struct ccon_error *err)
{
	struct csv_run *run = ctx;
	struct ccon_dyn_csv *c = run->c;

	if (c->n_errors == CCON_DYN_CSV_ERRORS_MAX) {
		c->errors_truncated++;
		return 0;
	}
	if (!c->errors && !(c->errors = calloc(CCON_DYN_CSV_ERRORS_MAX, sizeof(*c->errors)))) {
		run->oom = true;
		return -1;
	}
	c->errors[c->n_errors++] = *err;
	return 0;
}

/* Keeps the row's audience (taken from the reader). */
static int csv_on_row(void *ctx, struct ccon_audience_csv_row *row)
{
	struct csv_run *run = ctx;
	struct ccon_dyn_csv *c = run->c;

	if (c->rows.count == run->cap) {
		size_t cap = run->cap ? run->cap * 2 : 64;
		struct ccon_audience *p = realloc(c->rows.items, cap * sizeof(*p));
		long *l = realloc(c->lines, cap * sizeof(*l));

		if (p)
			c->rows.items = p;
		if (l)
			c->lines = l;
		if (!p || !l) {
			run->oom = true;
			return -1;
		}
		run->cap = cap;
	}
	c->lines[c->rows.count] = row->line;
	c->rows.items[c->rows.count++] = row->audience;
	memset(&row->audience, 0, sizeof(row->audience));
	return 0;
}

/* The preview: header, good rows, every problem; a header that gives no
 * layout is one of the problems. */
static int csv_scan(struct ccon_dynamic_flow *f, struct ccon_error *err)
{
	struct ccon_dyn_csv *c = &f->csv;
	struct ccon_audience_csv_info info;
	struct csv_run run = { c, 0, false };
	struct ccon_error e;
	int rc = 0;

	ccon_error_clear(&e);
	if (ccon_audience_csv_read(c->text, c->len, f->camp.has_message ? &f->camp.message : NULL,
	                           csv_on_row, csv_on_error, &run, &info, &e) < 0) {
		if (run.oom || e.code == CCON_E_NOMEM)
			rc = nomem(err);
		else
			rc = csv_on_error(&run, &e);
	}
	c->columns = info.columns;
	c->n_columns = info.n_columns;
	c->data_rows = info.data_rows;
	return rc < 0 ? -1 : 0;
}

int ccon_dynamic_flow_csv_load(struct ccon_dynamic_flow *f, const char *path,
                               struct ccon_error *err)
{
	struct ccon_dyn_csv *c = &f->csv;

	ccon_dynamic_flow_csv_drop(f);
	if (read_text(path, &c->text, &c->len, err) < 0)
		return -1;
	if (!(c->path = strdup(path)) || csv_scan(f, err) < 0) {
		if (!c->path)
			nomem(err);
		csv_clear(c);
		return -1;
	}
	f->has_csv = true;
	return 0;
}

const struct ccon_dyn_csv *ccon_dynamic_flow_csv(const struct ccon_dynamic_flow *f)
{
	return f->has_csv ? &f->csv : NULL;
}

void ccon_dynamic_flow_csv_drop(struct ccon_dynamic_flow *f)
{
	csv_clear(&f->csv);
	f->has_csv = false;
}

int ccon_dynamic_flow_add_csv(struct ccon_dynamic_flow *f, struct ccon_error *err)
{
	const struct ccon_dyn_csv *c = &f->csv;
	cJSON *s;
	char *text;
	int rc;

	if (refuse_round(f, err) < 0)
		return -1;
	if (!f->has_csv)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no CSV file loaded");
	if (c->n_errors) {
		*err = c->errors[0];
		ccon_error_set(err, err->code, "%zu error%s in %.120s (ccond would refuse it whole); "
		               "the first: %.100s", c->n_errors + c->errors_truncated,
		               c->n_errors + c->errors_truncated == 1 ? "" : "s", c->path,
		               c->errors[0].message);
		return -1;
	}
	if (!c->rows.count)
		return ccon_error_set(err, CCON_E_CSV_EMPTY, "%.200s has no rows to add", c->path);
	if (!(s = cJSON_CreateString(c->text)) || !(text = cJSON_PrintUnformatted(s))) {
		cJSON_Delete(s);
		return nomem(err);
	}
	cJSON_Delete(s);
	rc = send_round(f, true, text, c->rows.count, c->path, err);
	cJSON_free(text);
	if (rc == 0)
		ccon_dynamic_flow_csv_drop(f);
	return rc;
}

/* ------------------------------------------------------------ dispatch */

static void on_dispatch(void *ctx, const struct ccon_response *r)
{
	struct ccon_dynamic_flow *f = ctx;
	struct ccon_api_error ae;
	const cJSON *res;
	cJSON *root;
	struct ccon_error e;

	ccon_error_clear(&e);
	f->changes |= CCON_DYN_DISPATCH | CCON_DYN_CAMPAIGN;
	if (answer_open(r, &root, &res, &ae) < 0) {
		op_fail(&f->disp_op, &ae.error);
	} else if (take_campaign_info(f, res, &e) < 0) {
		op_fail(&f->disp_op, &e);
	} else {
		f->camp.dispatched = true;
		op_done(&f->disp_op);
	}
	cJSON_Delete(root);
	reread(f);
}

int ccon_dynamic_flow_dispatch(struct ccon_dynamic_flow *f, struct ccon_error *err)
{
	struct ccon_dispatch d;
	cJSON *j = NULL;
	char *text;
	int rc;

	if (!f->camp.id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no campaign yet");
	if (f->camp.dispatched)
		return ccon_error_set(err, CCON_E_CONFLICT, "campaign %.40s was already dispatched",
		                      f->camp.id);
	if (f->disp_op.rq > 0 || f->round_op.rq > 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "wait for the %s in flight",
		                      f->disp_op.rq > 0 ? "dispatch" : "round");
	d.campaign_id = f->camp.id;
	if (ccon_dispatch_encode(&d, &j) < 0 || !(text = cJSON_PrintUnformatted(j))) {
		cJSON_Delete(j);
		return nomem(err);
	}
	cJSON_Delete(j);
	rc = op_command(f, &f->disp_op, "set", "/dispatch/v2", NULL, text, NULL, on_dispatch, err);
	cJSON_free(text);
	return rc;
}

enum ccon_flow_state ccon_dynamic_flow_dispatch_state(const struct ccon_dynamic_flow *f,
                                                      struct ccon_error *err)
{
	if (err)
		*err = f->disp_op.err;
	return f->disp_op.state;
}
