/* model.c - the console's polling cache: the campaign list (paged, replaced
 * whole, changed rows marked), the status the status bar shows, the
 * actions; the focused campaign is in model_focus.c, the view in
 * model_view.c. */
#include "config.h"

#include <ccon/model.h>

#include "model_internal.h"

#include <ccon/codec_command.h>
#include <ccon/sanitize.h>
#include <ccon/strbuf.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ccon_model_action {
	struct ccon_model *m;
	struct ccon_model_action *next;
	int64_t req;
	char *campaign_id;
	ccon_model_done done;
	void *ctx;
};

/* -------------------------------------------------------------- errors */

void ccon_model_poll_result(struct ccon_model *m, enum ccon_model_poll kind, const char *what,
                            const struct ccon_error *err)
{
	char msg[CCON_ERROR_MESSAGE_MAX + CCON_ERROR_PATH_MAX + 32];
	char *out = m->errors[kind];
	size_t n;

	m->changes |= CCON_MODEL_STATUS;
	m->polls_ended[kind]++;
	if (!err || err->code == CCON_E_OK) {
		m->polled_ms[kind] = ccon_monotonic_ms();
		out[0] = '\0';
		return;
	}
	n = (size_t)snprintf(msg, sizeof(msg), "%s: ", what);
	ccon_error_format(err, msg + n, sizeof(msg) - n);
	/* part of it came from the server; cut at a character, never inside one */
	ccon_sanitize(msg, strlen(msg), 0, out, sizeof(m->errors[kind]));
	m->error_ms[kind] = ccon_monotonic_ms();
}

static enum ccon_errc errc_from_name(const char *name)
{
	for (int c = 0; name && c < CCON_E__COUNT; c++)
		if (strcmp(ccon_errc_name((enum ccon_errc)c), name) == 0)
			return (enum ccon_errc)c;
	return CCON_E__COUNT;
}

/* A failure answer: reason {code, description} and ccond's own error and
 * path. */
static void failure_error(const cJSON *json, const struct ccon_command_answer *ans,
                          struct ccon_error *err)
{
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(json, "reason");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(reason, "error");
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(reason, "path");
	enum ccon_errc code = errc_from_name(cJSON_IsString(name) ? name->valuestring : NULL);

	if (code == CCON_E__COUNT || code == CCON_E_OK) {
		switch (ans->has_reason ? ans->reason_code : 0) {
		case 401:
		case 403:
			code = CCON_E_AUTH;
			break;
		case 404:
			code = CCON_E_NOT_FOUND;
			break;
		case 409:
			code = CCON_E_CONFLICT;
			break;
		default:
			code = CCON_E_REMOTE_UNKNOWN;
			break;
		}
	}
	ccon_error_clear(err);
	if (ans->reason_description)
		ccon_error_set(err, code, "%s (reason %lld)", ans->reason_description,
		               (long long)ans->reason_code);
	else
		ccon_error_set(err, code, "the command failed (reason %lld)",
		               (long long)ans->reason_code);
	/* ccond's descriptions already begin with their path */
	if (cJSON_IsString(path) && path->valuestring[0] &&
	    !(ans->reason_description &&
	      strncmp(ans->reason_description, path->valuestring, strlen(path->valuestring)) == 0))
		ccon_error_at_path(err, path->valuestring);
}

int ccon_model_answer(const struct ccon_response *r, bool need_resource, cJSON **json,
                      const cJSON **resource, struct ccon_error *err)
{
	struct ccon_command_answer ans;
	cJSON *tree;

	*json = NULL;
	*resource = NULL;
	if (r->err.code != CCON_E_OK) {
		*err = r->err;
		return -1;
	}
	tree = cJSON_ParseWithLength(r->body ? r->body : "", r->len);
	if (!tree)
		return ccon_error_set(err, CCON_E_JSON_SYNTAX, "the answer is not JSON");
	if (ccon_command_answer_decode(tree, &ans, err)) {
		cJSON_Delete(tree);
		return -1;
	}
	if (ans.status == CCON_CMD_FAILURE) {
		failure_error(tree, &ans, err);
		ccon_command_answer_free(&ans);
		cJSON_Delete(tree);
		return -1;
	}
	ccon_command_answer_free(&ans);
	*resource = cJSON_GetObjectItemCaseSensitive(tree, "resource");
	if (need_resource && !*resource) {
		cJSON_Delete(tree);
		*resource = NULL;
		ccon_error_set(err, CCON_E_JSON_REQUIRED, "the answer has no resource");
		ccon_error_at_path(err, "resource");
		return -1;
	}
	*json = tree;
	return 0;
}

int64_t ccon_model_get(struct ccon_model *m, enum ccon_model_poll kind, const char *uri,
                       ccon_client_cb cb, void *ctx)
{
	struct ccon_error err;
	int64_t id;

	ccon_error_clear(&err);
	id = ccon_client_command(m->client, "get", uri, NULL, NULL, NULL, cb, ctx, &err);
	if (id > 0)
		return id;
	ccon_model_poll_result(m, kind, uri, &err);
	return 0;
}

/* ----------------------------------------------------- the campaign list */

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

#define SUMMARY_STR(f) offsetof(struct ccon_campaign_summary, f)
static const size_t summary_strings[] = {
	SUMMARY_STR(id), SUMMARY_STR(name), SUMMARY_STR(message_template),
	SUMMARY_STR(campaign_type), SUMMARY_STR(channel_type), SUMMARY_STR(send_date),
	SUMMARY_STR(flow_id), SUMMARY_STR(state_id), SUMMARY_STR(status), SUMMARY_STR(created),
	SUMMARY_STR(source_application), SUMMARY_STR(campaign_sender), SUMMARY_STR(failed_reason),
};

static bool summary_equal(const struct ccon_campaign_summary *a,
                          const struct ccon_campaign_summary *b)
{
	for (size_t i = 0; i < sizeof(summary_strings) / sizeof(summary_strings[0]); i++)
		if (!str_eq(*(char *const *)((const char *)a + summary_strings[i]),
		            *(char *const *)((const char *)b + summary_strings[i])))
			return false;
	if (a->has_counts != b->has_counts ||
	    (a->has_counts && memcmp(&a->counts, &b->counts, sizeof(a->counts)) != 0) ||
	    a->n_status_audience != b->n_status_audience)
		return false;
	for (size_t i = 0; i < a->n_status_audience; i++)
		if (!str_eq(a->status_audience[i].status, b->status_audience[i].status) ||
		    a->status_audience[i].count != b->status_audience[i].count)
			return false;
	return true;
}

static void free_summaries(struct ccon_campaign_summary *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ccon_campaign_summary_free(&s[i]);
	free(s);
}

static void list_drop_pages(struct ccon_model *m)
{
	free_summaries(m->acc, m->n_acc);
	m->acc = NULL;
	m->n_acc = m->cap_acc = 0;
}

static void list_done(struct ccon_model *m)
{
	m->list_due_ms = m->list_again ? 0 : m->list_started_ms + m->cfg.campaigns_every_ms;
	m->list_again = false;
}

static void list_failed(struct ccon_model *m, const struct ccon_error *err)
{
	list_drop_pages(m);
	ccon_model_poll_result(m, CCON_POLL_LIST, "campaign list", err);
	list_done(m);
}

/* The whole list arrived: mark the rows whose content changed (new rows
 * too), and replace the rows. */
static void list_finish(struct ccon_model *m)
{
	size_t n = ccon_view_dedupe(m->acc, m->n_acc);
	bool *changed = calloc(n ? n : 1, sizeof(*changed));
	bool any = false;
	struct ccon_error err;

	m->n_acc = n;
	if (!changed) {
		ccon_error_set(&err, CCON_E_NOMEM, "out of memory for %zu campaigns", n);
		list_failed(m, &err);
		return;
	}
	/* against the old rows, before the view lets them go */
	for (size_t i = 0; i < n; i++) {
		size_t old = ccon_view_lookup(&m->view, m->acc[i].id);

		changed[i] = old == (size_t)-1 || !summary_equal(&m->rows[old], &m->acc[i]);
		any |= changed[i];
	}
	if (ccon_view_set_rows(&m->view, m->acc, n)) {
		free(changed);
		ccon_error_set(&err, CCON_E_NOMEM, "out of memory for %zu campaigns", n);
		list_failed(m, &err);
		return;
	}
	if (any || m->any_changed || n != m->n_rows)
		m->changes |= CCON_MODEL_CAMPAIGNS;
	free_summaries(m->rows, m->n_rows);
	free(m->changed);
	m->rows = m->acc;
	m->n_rows = n;
	m->changed = changed;
	m->any_changed = any;
	m->acc = NULL;
	m->n_acc = m->cap_acc = 0;
	ccon_model_poll_result(m, CCON_POLL_LIST, NULL, NULL);
	list_done(m);
}

static void list_request(struct ccon_model *m);

static int list_append(struct ccon_model *m, struct ccon_summary_list *page)
{
	if (m->n_acc + page->count > m->cap_acc) {
		size_t cap = m->cap_acc ? m->cap_acc : 256;
		struct ccon_campaign_summary *p;

		while (cap < m->n_acc + page->count)
			cap *= 2;
		p = realloc(m->acc, cap * sizeof(*p));
		if (!p)
			return -1;
		m->acc = p;
		m->cap_acc = cap;
	}
	if (page->count)
		memcpy(m->acc + m->n_acc, page->items, page->count * sizeof(*page->items));
	m->n_acc += page->count;
	free(page->items);   /* the items moved; their strings now belong to acc */
	page->items = NULL;
	page->count = 0;
	return 0;
}

static void list_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model *m = ctx;
	struct ccon_summary_list page;
	struct ccon_error err;
	const cJSON *res;
	cJSON *json;
	bool more;

	m->list_req = 0;
	ccon_error_clear(&err);
	if (ccon_model_answer(r, true, &json, &res, &err)) {
		list_failed(m, &err);
		return;
	}
	if (ccon_summary_list_decode(res, &page, &err)) {
		ccon_cmd_resource_error_path(&err);
		cJSON_Delete(json);
		list_failed(m, &err);
		return;
	}
	cJSON_Delete(json);
	more = page.count > 0 && m->n_acc + page.count < (size_t)page.total;
	if (list_append(m, &page)) {
		ccon_summary_list_free(&page);
		ccon_error_set(&err, CCON_E_NOMEM, "out of memory");
		list_failed(m, &err);
		return;
	}
	if (more)
		list_request(m);
	else
		list_finish(m);
}

static char *summaries_uri(size_t skip)
{
	struct ccon_cmd_uri u;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	memset(&u, 0, sizeof(u));
	u.route = CCON_ROUTE_SUMMARIES;
	u.has_skip = u.has_take = true;
	u.skip = (int64_t)skip;
	u.take = CCON_CMD_TAKE_MAX;
	if (ccon_cmd_uri_format(&u, &sb)) {
		ccon_strbuf_free(&sb);
		return NULL;
	}
	return ccon_strbuf_detach(&sb);
}

static void list_request(struct ccon_model *m)
{
	char *uri = summaries_uri(m->n_acc);
	struct ccon_error err;

	if (!uri) {
		ccon_error_set(&err, CCON_E_NOMEM, "out of memory");
		list_failed(m, &err);
		return;
	}
	m->list_req = ccon_model_get(m, CCON_POLL_LIST, uri, list_cb, m);
	free(uri);
	if (!m->list_req) {
		list_drop_pages(m);
		list_done(m);
	}
}

static void list_start(struct ccon_model *m, int64_t now_ms)
{
	m->list_started_ms = now_ms;
	m->list_again = false;
	list_drop_pages(m);
	list_request(m);
}

/* ------------------------------------------------------------- lifecycle */

int ccon_model_new(struct ccon_client *client, const struct ccon_model_config *cfg,
                   struct ccon_model **out, struct ccon_error *err)
{
	struct ccon_model *m;

	*out = NULL;
	if (!client)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a model needs a client");
	m = calloc(1, sizeof(*m));
	if (!m)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	m->client = client;
	if (cfg)
		m->cfg = *cfg;
	if (m->cfg.campaigns_every_ms <= 0)
		m->cfg.campaigns_every_ms = 5000;
	if (m->cfg.focus_every_ms <= 0)
		m->cfg.focus_every_ms = 2000;
	if (!m->cfg.audience_page)
		m->cfg.audience_page = 100;
	if (m->cfg.audience_page > CCON_CMD_TAKE_MAX)
		m->cfg.audience_page = CCON_CMD_TAKE_MAX;
	if (!m->cfg.audience_pages_kept)
		m->cfg.audience_pages_kept = 20;
	ccon_view_init(&m->view);
	m->conn_seen = CCON_CONN_IDLE;
	if (ccon_model_focus_init(m)) {
		free(m);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	*out = m;
	return 0;
}

void ccon_model_free(struct ccon_model *m)
{
	struct ccon_model_action *a, *next;

	if (!m)
		return;
	if (m->list_req)
		ccon_client_cancel(m->client, m->list_req);
	for (a = m->actions; a; a = next) {
		next = a->next;
		ccon_client_cancel(m->client, a->req);
		free(a->campaign_id);
		free(a);
	}
	ccon_model_focus_free(m);
	list_drop_pages(m);
	ccon_view_free(&m->view);
	free_summaries(m->rows, m->n_rows);
	free(m->changed);
	free(m);
}

/* --------------------------------------------------------------- polling */

void ccon_model_tick(struct ccon_model *m, int64_t now_ms)
{
	struct ccon_conn_info ci;

	ccon_client_conn(m->client, &ci);
	if (ci.state != m->conn_seen) {
		m->conn_seen = ci.state;
		m->changes |= CCON_MODEL_STATUS;
	}
	if (!m->list_req && now_ms >= m->list_due_ms)
		list_start(m, now_ms);
	ccon_model_focus_tick(m, now_ms);
}

static long until(int64_t due, int64_t now_ms, long cap)
{
	if (due <= now_ms)
		return 0;
	return due - now_ms < cap ? (long)(due - now_ms) : cap;
}

long ccon_model_next_ms(const struct ccon_model *m, int64_t now_ms)
{
	/* a poll in flight is not due: at most a period away */
	long next = m->cfg.campaigns_every_ms;

	if (!m->list_req)
		next = until(m->list_due_ms, now_ms, next);
	if (m->focus.id && !m->focus.summary_req && !m->focus.failures_req) {
		long f = until(m->focus.due_ms, now_ms, m->cfg.focus_every_ms);

		next = f < next ? f : next;
	}
	return next;
}

void ccon_model_refresh(struct ccon_model *m)
{
	if (m->list_req)
		m->list_again = true;
	else
		m->list_due_ms = 0;
	ccon_model_focus_due(m);
}

unsigned ccon_model_changes(struct ccon_model *m)
{
	unsigned c = m->changes;

	m->changes = 0;
	return c;
}

void ccon_model_status(const struct ccon_model *m, struct ccon_model_status *out)
{
	int latest = -1;

	memset(out, 0, sizeof(*out));
	ccon_client_conn(m->client, &out->conn);
	out->campaigns_polled_ms = m->polled_ms[CCON_POLL_LIST];
	out->focus_polled_ms = m->polled_ms[CCON_POLL_FOCUS];
	for (int k = 0; k < CCON_POLL__COUNT; k++)
		if (m->errors[k][0] && (latest < 0 || m->error_ms[k] > m->error_ms[latest]))
			latest = k;
	if (latest >= 0)
		memcpy(out->last_error, m->errors[latest], sizeof(out->last_error));
}

/* ------------------------------------------------------------------ view */

size_t ccon_model_rows(const struct ccon_model *m)
{
	return m->view.n;
}

size_t ccon_model_rows_total(const struct ccon_model *m)
{
	return m->n_rows;
}

const struct ccon_campaign_summary *ccon_model_row(const struct ccon_model *m, size_t i)
{
	size_t r = ccon_view_row_index(&m->view, i);

	return r == (size_t)-1 ? NULL : &m->rows[r];
}

bool ccon_model_row_changed(const struct ccon_model *m, size_t i)
{
	size_t r = ccon_view_row_index(&m->view, i);

	return r != (size_t)-1 && m->changed[r];
}

void ccon_model_sort(struct ccon_model *m, enum ccon_campaign_column col, bool descending)
{
	ccon_view_sort(&m->view, col, descending);
	m->changes |= CCON_MODEL_CAMPAIGNS;
}

void ccon_model_sort_get(const struct ccon_model *m, enum ccon_campaign_column *col,
                         bool *descending)
{
	if (col)
		*col = m->view.col;
	if (descending)
		*descending = m->view.desc;
}

void ccon_model_filter(struct ccon_model *m, const char *text)
{
	if (ccon_view_filter(&m->view, text) == 0)
		m->changes |= CCON_MODEL_CAMPAIGNS;
}

const char *ccon_model_filter_get(const struct ccon_model *m)
{
	return m->view.filter_text ? m->view.filter_text : "";
}

void ccon_model_select(struct ccon_model *m, long row)
{
	ccon_view_select(&m->view, row);
	m->changes |= CCON_MODEL_CAMPAIGNS;
}

long ccon_model_selected(const struct ccon_model *m)
{
	return m->view.sel;
}

const char *ccon_model_selected_id(const struct ccon_model *m)
{
	return m->view.sel >= 0 ? m->view.sel_id : NULL;
}

long ccon_model_find(const struct ccon_model *m, const char *campaign_id)
{
	return ccon_view_find(&m->view, campaign_id);
}

/* --------------------------------------------------------------- actions */

static void action_unlink(struct ccon_model *m, struct ccon_model_action *a)
{
	for (struct ccon_model_action **p = &m->actions; *p; p = &(*p)->next) {
		if (*p == a) {
			*p = a->next;
			return;
		}
	}
}

static void cancel_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model_action *a = ctx;
	struct ccon_model *m = a->m;
	struct ccon_error err;
	const cJSON *res;
	cJSON *json;

	action_unlink(m, a);
	ccon_error_clear(&err);
	if (ccon_model_answer(r, false, &json, &res, &err) == 0) {
		cJSON_Delete(json);
		ccon_error_clear(&err);
	}
	/* its status changed (or someone else's did): poll again */
	if (m->list_req)
		m->list_again = true;
	else
		m->list_due_ms = 0;
	if (m->focus.id && str_eq(m->focus.id, a->campaign_id))
		ccon_model_focus_due(m);
	if (a->done)
		a->done(a->ctx, &err);
	free(a->campaign_id);
	free(a);
}

int ccon_model_cancel_campaign(struct ccon_model *m, const char *campaign_id,
                               ccon_model_done done, void *ctx, struct ccon_error *err)
{
	struct ccon_cmd_uri u;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_model_action *a;

	if (!campaign_id || !*campaign_id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no campaign to cancel");
	memset(&u, 0, sizeof(u));
	u.route = CCON_ROUTE_CAMPAIGN;
	u.campaign_id = (char *)campaign_id;
	a = calloc(1, sizeof(*a));
	if (!a || ccon_cmd_uri_format(&u, &sb) || !(a->campaign_id = strdup(campaign_id))) {
		free(a);
		ccon_strbuf_free(&sb);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	a->m = m;
	a->done = done;
	a->ctx = ctx;
	a->req = ccon_client_command(m->client, "delete", ccon_strbuf_cstr(&sb), NULL, NULL, NULL,
	                             cancel_cb, a, err);
	ccon_strbuf_free(&sb);
	if (a->req <= 0) {
		free(a->campaign_id);
		free(a);
		return -1;
	}
	a->next = m->actions;
	m->actions = a;
	return 0;
}
