/* model_focus.c - the focused campaign: its summary, its failures grouped
 * by reason, the audience pages the pane asks for (a few cached, the
 * farthest evicted), the raw text of the last answer. A focus change
 * cancels every request of the old focus, so no stale answer lands. */
#include "config.h"

#include <ccon/model.h>

#include "model_internal.h"

#include <ccon/codec_command.h>
#include <ccon/strbuf.h>

#include <stdlib.h>
#include <string.h>

/* Failure groups are few (one per reason code): one page of them. */
#define FAILURES_TAKE CCON_CMD_TAKE_MAX

static void keep_raw(struct ccon_model *m, const struct ccon_response *r)
{
	if (!r->body || !r->len)
		return;
	ccon_strbuf_reset(&m->focus.raw);
	ccon_strbuf_append(&m->focus.raw, r->body, r->len);
}

/* uri of one read about the focused campaign; NULL when out of memory. */
static char *focus_uri(const struct ccon_model *m, enum ccon_cmd_route route, int64_t skip,
                       int64_t take)
{
	struct ccon_cmd_uri u;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	memset(&u, 0, sizeof(u));
	u.route = route;
	u.campaign_id = m->focus.id;
	if (route == CCON_ROUTE_AUDIENCE) {
		u.status = m->focus.aud_status;
		u.has_reason_code = m->focus.aud_has_code;
		u.reason_code = m->focus.aud_code;
	}
	u.has_skip = skip > 0;
	u.skip = skip;
	u.has_take = take > 0;
	u.take = take;
	if (ccon_cmd_uri_format(&u, &sb)) {
		ccon_strbuf_free(&sb);
		return NULL;
	}
	return ccon_strbuf_detach(&sb);
}

static int64_t focus_get(struct ccon_model *m, enum ccon_cmd_route route, int64_t skip,
                         int64_t take, ccon_client_cb cb, void *ctx)
{
	char *uri = focus_uri(m, route, skip, take);
	struct ccon_error err;
	int64_t id;

	if (!uri) {
		ccon_error_set(&err, CCON_E_NOMEM, "out of memory");
		ccon_model_poll_result(m, CCON_POLL_FOCUS, "campaign", &err);
		return 0;
	}
	id = ccon_model_get(m, CCON_POLL_FOCUS, uri, cb, ctx);
	free(uri);
	return id;
}

/* ------------------------------------------------ summary and failures */

static void summary_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model *m = ctx;
	struct ccon_campaign_summary s;
	struct ccon_error err;
	const cJSON *res;
	cJSON *json;

	m->focus.summary_req = 0;
	keep_raw(m, r);
	m->changes |= CCON_MODEL_FOCUS;
	ccon_error_clear(&err);
	if (ccon_model_answer(r, true, &json, &res, &err)) {
		ccon_model_poll_result(m, CCON_POLL_FOCUS, "campaign summary", &err);
		return;
	}
	if (ccon_campaign_summary_decode(res, &s, &err)) {
		ccon_cmd_resource_error_path(&err);
		cJSON_Delete(json);
		ccon_model_poll_result(m, CCON_POLL_FOCUS, "campaign summary", &err);
		return;
	}
	cJSON_Delete(json);
	ccon_campaign_summary_free(&m->focus.summary);
	m->focus.summary = s;
	m->focus.has_summary = true;
	ccon_model_poll_result(m, CCON_POLL_FOCUS, NULL, NULL);
}

static void failures_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model *m = ctx;
	struct ccon_failure_group_list l;
	struct ccon_error err;
	const cJSON *res;
	cJSON *json;

	m->focus.failures_req = 0;
	keep_raw(m, r);
	m->changes |= CCON_MODEL_FOCUS;
	ccon_error_clear(&err);
	if (ccon_model_answer(r, true, &json, &res, &err)) {
		ccon_model_poll_result(m, CCON_POLL_FOCUS, "failures", &err);
		return;
	}
	if (ccon_failure_group_list_decode(res, &l, &err)) {
		ccon_cmd_resource_error_path(&err);
		cJSON_Delete(json);
		ccon_model_poll_result(m, CCON_POLL_FOCUS, "failures", &err);
		return;
	}
	cJSON_Delete(json);
	ccon_failure_group_list_free(&m->focus.failures);
	m->focus.failures = l;
}

/* ------------------------------------------------------- audience pages */

static unsigned page_rows(const struct ccon_model *m)
{
	return m->cfg.audience_page;
}

static struct ccon_model_page *page_find(const struct ccon_model *m, int64_t index)
{
	for (unsigned i = 0; i < m->cfg.audience_pages_kept; i++)
		if (m->focus.pages[i].used && m->focus.pages[i].index == index)
			return &m->focus.pages[i];
	return NULL;
}

static void page_drop(struct ccon_model *m, struct ccon_model_page *p)
{
	if (p->req)
		ccon_client_cancel(m->client, p->req);
	ccon_audience_page_free(&p->page);
	p->req = 0;
	p->used = false;
	p->loaded = false;
	p->failed = false;
}

static void page_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model_page *p = ctx;
	struct ccon_model *m = p->m;
	struct ccon_audience_page page;
	struct ccon_error err;
	const cJSON *res;
	cJSON *json;

	p->req = 0;
	keep_raw(m, r);
	ccon_error_clear(&err);
	p->failed = true;
	if (ccon_model_answer(r, true, &json, &res, &err)) {
		ccon_model_poll_result(m, CCON_POLL_FOCUS, "audience", &err);
		return;
	}
	if (ccon_audience_page_decode(res, &page, &err)) {
		ccon_cmd_resource_error_path(&err);
		cJSON_Delete(json);
		ccon_model_poll_result(m, CCON_POLL_FOCUS, "audience", &err);
		return;
	}
	p->failed = false;
	cJSON_Delete(json);
	ccon_audience_page_free(&p->page);
	p->page = page;
	p->loaded = true;
	m->focus.aud_total = page.total;
	m->changes |= CCON_MODEL_AUDIENCE;
}

static void page_request(struct ccon_model *m, struct ccon_model_page *p)
{
	p->req = focus_get(m, CCON_ROUTE_AUDIENCE, p->index * page_rows(m), page_rows(m), page_cb,
	                   p);
	if (p->req)
		m->focus.page_requests++;
}

/* How far a page is from the pages the pane shows. */
static int64_t page_distance(int64_t index, int64_t first, int64_t last)
{
	return index < first ? first - index : index > last ? index - last : 0;
}

/* A slot for page index: a free one, else the farthest from [first, last]
 * outside [lo, hi] (a request it had in flight is canceled); NULL when
 * every slot holds a page that is wanted. */
static struct ccon_model_page *page_slot(struct ccon_model *m, int64_t first, int64_t last,
                                         int64_t lo, int64_t hi)
{
	struct ccon_model_page *far = NULL;
	int64_t far_d = -1;

	for (unsigned i = 0; i < m->cfg.audience_pages_kept; i++) {
		struct ccon_model_page *p = &m->focus.pages[i];
		int64_t d;

		if (!p->used)
			return p;
		if (p->index >= lo && p->index <= hi)
			continue;
		d = page_distance(p->index, first, last);
		if (d > far_d) {
			far = p;
			far_d = d;
		}
	}
	if (far)
		page_drop(m, far);
	return far;
}

/* Asks for the pages covering the wanted rows and one page either side,
 * the shown ones first: the missing ones, and with refresh the loaded
 * ones too. A page in flight is never asked twice. */
static void pages_fetch(struct ccon_model *m, bool refresh)
{
	struct ccon_model_focus *f = &m->focus;
	int64_t rows = page_rows(m), first, last, lo, hi, last_page = INT64_MAX;

	if (!f->id || !f->want_n)
		return;
	first = f->want_first / rows;
	last = (f->want_first + (int64_t)f->want_n - 1) / rows;
	if (f->aud_total >= 0) {
		last_page = f->aud_total ? (f->aud_total - 1) / rows : 0;
		if (first > last_page)
			first = last_page;
		if (last > last_page)
			last = last_page;
	}
	if (last - first + 1 > (int64_t)m->cfg.audience_pages_kept)
		last = first + m->cfg.audience_pages_kept - 1;
	lo = first > 0 ? first - 1 : 0;
	hi = last < last_page ? last + 1 : last;
	if (hi - lo + 1 > (int64_t)m->cfg.audience_pages_kept) {
		lo = first;
		hi = last;
	}
	/* shown pages, then the one after, then the one before */
	for (int pass = 0; pass < 3; pass++) {
		int64_t from = pass == 0 ? first : pass == 1 ? last + 1 : lo;
		int64_t to = pass == 0 ? last : pass == 1 ? hi : first - 1;

		for (int64_t i = from; i <= to; i++) {
			struct ccon_model_page *p = page_find(m, i);

			if (p && (p->req || ((p->loaded || p->failed) && !refresh)))
				continue;
			if (!p) {
				p = page_slot(m, first, last, lo, hi);
				if (!p)
					return;
				p->used = true;
				p->index = i;
			}
			page_request(m, p);
			if (!p->req && !p->loaded)
				p->used = false;
		}
	}
}

static void audience_drop(struct ccon_model *m)
{
	for (unsigned i = 0; i < m->cfg.audience_pages_kept; i++)
		page_drop(m, &m->focus.pages[i]);
	m->focus.aud_total = -1;
	m->changes |= CCON_MODEL_AUDIENCE;
}

/* ---------------------------------------------------------------- focus */

int ccon_model_focus_init(struct ccon_model *m)
{
	struct ccon_model_focus *f = &m->focus;

	memset(f, 0, sizeof(*f));
	f->aud_total = -1;
	ccon_strbuf_init(&f->raw);
	f->pages = calloc(m->cfg.audience_pages_kept, sizeof(*f->pages));
	if (!f->pages)
		return -1;
	for (unsigned i = 0; i < m->cfg.audience_pages_kept; i++)
		f->pages[i].m = m;
	return 0;
}

/* Forgets the focused campaign and cancels its requests. */
static void focus_clear(struct ccon_model *m)
{
	struct ccon_model_focus *f = &m->focus;

	if (f->summary_req)
		ccon_client_cancel(m->client, f->summary_req);
	if (f->failures_req)
		ccon_client_cancel(m->client, f->failures_req);
	f->summary_req = f->failures_req = 0;
	audience_drop(m);
	ccon_campaign_summary_free(&f->summary);
	f->has_summary = false;
	ccon_failure_group_list_free(&f->failures);
	ccon_strbuf_free(&f->raw);
	free(f->aud_status);
	f->aud_status = NULL;
	f->aud_has_code = false;
	f->want_first = 0;
	f->want_n = 0;
	f->page_requests = 0;
	free(f->id);
	f->id = NULL;
}

void ccon_model_focus_free(struct ccon_model *m)
{
	if (!m->focus.pages)
		return;
	focus_clear(m);
	free(m->focus.pages);
	m->focus.pages = NULL;
}

void ccon_model_focus_due(struct ccon_model *m)
{
	m->focus.due_ms = 0;
}

void ccon_model_focus_tick(struct ccon_model *m, int64_t now_ms)
{
	struct ccon_model_focus *f = &m->focus;

	if (!f->id || now_ms < f->due_ms)
		return;
	f->due_ms = now_ms + m->cfg.focus_every_ms;
	if (!f->summary_req)
		f->summary_req = focus_get(m, CCON_ROUTE_SUMMARY, 0, 0, summary_cb, m);
	if (!f->failures_req)
		f->failures_req = focus_get(m, CCON_ROUTE_FAILURES, 0, FAILURES_TAKE, failures_cb, m);
	pages_fetch(m, true);
}

void ccon_model_focus(struct ccon_model *m, const char *campaign_id)
{
	char *id = NULL;

	if (campaign_id && m->focus.id && strcmp(campaign_id, m->focus.id) == 0)
		return;
	if (campaign_id && !(id = strdup(campaign_id)))
		return;   /* out of memory: the focus stays */
	focus_clear(m);
	m->focus.id = id;
	m->focus.due_ms = 0;
	m->changes |= CCON_MODEL_FOCUS | CCON_MODEL_AUDIENCE;
}

const char *ccon_model_focus_id(const struct ccon_model *m)
{
	return m->focus.id;
}

const struct ccon_campaign_summary *ccon_model_focus_summary(const struct ccon_model *m)
{
	return m->focus.has_summary ? &m->focus.summary : NULL;
}

const struct ccon_failure_group *ccon_model_failures(const struct ccon_model *m, size_t *n)
{
	if (n)
		*n = m->focus.failures.count;
	return m->focus.failures.count ? m->focus.failures.items : NULL;
}

void ccon_model_audience_filter(struct ccon_model *m, const char *status, bool has_code,
                                int64_t reason_code)
{
	struct ccon_model_focus *f = &m->focus;
	char *s = NULL;

	if (status && !*status)
		status = NULL;
	if (((!status && !f->aud_status) || (status && f->aud_status &&
	                                     strcmp(status, f->aud_status) == 0)) &&
	    has_code == f->aud_has_code && (!has_code || reason_code == f->aud_code))
		return;
	if (status && !(s = strdup(status)))
		return;   /* out of memory: the filter stays */
	audience_drop(m);
	free(f->aud_status);
	f->aud_status = s;
	f->aud_has_code = has_code;
	f->aud_code = has_code ? reason_code : 0;
	pages_fetch(m, false);
}

void ccon_model_audience_want(struct ccon_model *m, int64_t first, size_t n)
{
	m->focus.want_first = first > 0 ? first : 0;
	m->focus.want_n = n;
	pages_fetch(m, false);
}

int64_t ccon_model_audience_total(const struct ccon_model *m)
{
	return m->focus.aud_total;
}

const struct ccon_audience_item *ccon_model_audience_row(const struct ccon_model *m, int64_t i)
{
	const struct ccon_model_page *p;
	int64_t rows = page_rows(m);

	if (i < 0 || (m->focus.aud_total >= 0 && i >= m->focus.aud_total))
		return NULL;
	p = page_find(m, i / rows);
	if (!p || !p->loaded || (size_t)(i % rows) >= p->page.count)
		return NULL;
	return &p->page.items[i % rows];
}

const char *ccon_model_last_raw(const struct ccon_model *m, size_t *len)
{
	if (len)
		*len = m->focus.raw.len;
	return ccon_strbuf_cstr(&m->focus.raw);
}
