/* The console's model (model.h) against the real ccond on the manual
 * clock: the campaign list paged and replaced whole, counts moving after a
 * clock advance within one poll, changed rows marked, the focused
 * campaign's summary, failure groups and audience pages loaded on demand
 * (a 20,000-recipient campaign is never loaded whole), a focus change that
 * lets no stale answer in, a failed poll that keeps the data, a stopped and
 * resumed ccond, and the cancel action. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include "../../src/core/model_internal.h"

#include <ccon/client.h>
#include <ccon/model.h>

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 "2027-01-04T09:00:00Z"

struct fixture {
	struct server s;
	int64_t app;
	char key[64];
	char bearer[96];
	struct ccon_client *c;
	struct ccon_model *m;
};

static const char *const manual[] = { "--clock", "manual", NULL };

/* A model on a client with short timeouts; polls only when asked
 * (ccon_model_refresh), unless cfg says otherwise. */
static void open_model(struct fixture *f, const struct ccon_model_config *cfg)
{
	struct ccon_client_config cc = { 0 };
	struct ccon_model_config mc = { 0 };
	struct ccon_error err;

	cc.base_url = f->s.base_url;
	cc.token = f->key;
	cc.timeout_ms = 700;
	cc.connect_timeout_ms = 500;
	cc.max_retries = 1;
	cc.backoff_ms = 20;
	cc.backoff_max_ms = 50;
	ck_assert_msg(ccon_client_new(&cc, &f->c, &err) == 0, "%s", err.message);
	mc.campaigns_every_ms = 3600000;
	mc.focus_every_ms = 3600000;
	if (cfg)
		mc = *cfg;
	ck_assert_msg(ccon_model_new(f->c, &mc, &f->m, &err) == 0, "%s", err.message);
}

static void setup(struct fixture *f, const struct ccon_model_config *cfg)
{
	memset(f, 0, sizeof(*f));
	server_start(&f->s, manual);
	server_create_app(&f->s, "model", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	server_clock(&f->s, f->bearer, "{\"set\":\"" T0 "\"}");
	open_model(f, cfg);
}

static void teardown(struct fixture *f)
{
	ccon_model_free(f->m);
	ccon_client_free(f->c);
	server_destroy(&f->s);
}

/* ------------------------------------------------------------- the loop */

typedef bool (*until_fn)(struct fixture *f, void *arg);

/* The console's loop: tick, wait, run, until done says so (false after
 * ms milliseconds). */
static bool pump(struct fixture *f, until_fn done, void *arg, long ms)
{
	int64_t end = ccon_monotonic_ms() + ms;
	struct ccon_error err;

	for (;;) {
		int64_t now = ccon_monotonic_ms();
		long wait;

		ccon_model_tick(f->m, now);
		if (done(f, arg))
			return true;
		if (now >= end)
			return false;
		wait = ccon_model_next_ms(f->m, now);
		wait = wait > 20 ? 20 : wait;
		ck_assert_int_eq(ccon_client_wait(f->c, NULL, 0, (int)wait, &err), 0);
		ccon_client_run(f->c);
	}
}

/* How many list polls ended, and how many of them failed (a count, not a
 * time: at -O2 two polls of a small list end within one millisecond). */
struct poll_mark {
	unsigned long ended;
	char error[200];
};

static void mark(struct fixture *f, struct poll_mark *pm)
{
	pm->ended = f->m->polls_ended[CCON_POLL_LIST];
	snprintf(pm->error, sizeof(pm->error), "%s", f->m->errors[CCON_POLL_LIST]);
}

/* A list poll ended since the mark. */
static bool list_polled(struct fixture *f, void *arg)
{
	const struct poll_mark *pm = arg;

	return f->m->polls_ended[CCON_POLL_LIST] != pm->ended;
}

/* One list poll, now; whether it succeeded. A poll already in flight when
 * asked for ends first (with the rows before the ask): wait for the one
 * after it too. */
static bool poll_list(struct fixture *f)
{
	struct poll_mark pm;
	bool in_flight = f->m->list_req != 0;

	ccon_model_refresh(f->m);
	for (int i = 0; i < (in_flight ? 2 : 1); i++) {
		mark(f, &pm);
		ck_assert_msg(pump(f, list_polled, &pm, 10000), "no list poll");
	}
	return f->m->errors[CCON_POLL_LIST][0] == '\0';
}

/* ------------------------------------------------------------- the data */

static int64_t create_campaign(struct fixture *f, const char *name)
{
	char json[256], path[96];
	struct reply r;
	int64_t id;

	snprintf(json, sizeof(json), "{\"name\":\"%s\",\"channel\":\"whatsapp\","
	         "\"templateName\":\"t\",\"templateBody\":\"Hi {{name}}\"}", name);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	http_call(&f->s, "POST", path, f->bearer, NULL, json, strlen(json), NULL, &r);
	ck_assert_msg(r.status == 201, "campaign: %ld %s", r.status, r.body);
	id = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	return id;
}

/* Sends to "+346660iiiNN" (NN from digits); extra is more JSON members. */
static void send_to(struct fixture *f, int64_t campaign, const int *digits, int n,
                    const char *extra)
{
	char path[128], *body = malloc(128 + 96 * (size_t)n);
	size_t len;
	struct reply r;

	ck_assert_ptr_nonnull(body);
	len = (size_t)sprintf(body, "{\"contacts\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%s{\"contactCode\":\"346660%03d%02d\","
		                       "\"channelType\":\"cloud_api\",\"customFields\":"
		                       "{\"name\":\"Ana\"}}", i ? "," : "", i, digits[i]);
	sprintf(body + len, "]%s}", extra ? extra : "");
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)f->app, (long long)campaign);
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	free(body);
	ck_assert_msg(r.status == 202, "send: %ld %s", r.status, r.body);
	reply_free(&r);
}

/* A CSV send (seed 001) of n recipients "+346NNNNNNNN". */
static void send_csv(struct fixture *f, int64_t campaign, int n)
{
	static const char layout[] =
		"{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"},"
		"\"customFields\":{\"name\":\"Ana\"}}";
	static const char b[] = "model-boundary-7";
	size_t cap = 512 + (size_t)n * 16, len = 0;
	char *body = malloc(cap), path[160], ct[96];
	struct reply r;

	ck_assert_ptr_nonnull(body);
	len += (size_t)sprintf(body + len, "--%s\r\nContent-Disposition: form-data; "
	                       "name=\"layout\"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: "
	                       "form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: "
	                       "text/csv\r\n\r\nphone\n", b, layout, b);
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "+346%08d\n", i);
	len += (size_t)sprintf(body + len, "\r\n--%s--\r\n", b);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send/csv",
	         (long long)f->app, (long long)campaign);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b);
	http_call(&f->s, "POST", path, f->bearer, ct, body, len, NULL, &r);
	free(body);
	ck_assert_msg(r.status == 202, "csv send: %ld %.300s", r.status, r.body);
	reply_free(&r);
}

/* 13: 131026 at send (x4); 49: 131049 after processed (x2); 50: 131050
 * (x2); 47: 131047; 01, 02 read; 65 received (the sim driver's outcomes,
 * as it_failures). */
static const int mix[] = { 13, 49, 50, 1, 13, 47, 13, 65, 50, 2, 49, 13 };
#define N_MIX ((int)(sizeof(mix) / sizeof(mix[0])))

static const struct ccon_campaign_summary *row_of(struct fixture *f, int64_t campaign,
                                                  long *at)
{
	char id[24];
	long i;

	snprintf(id, sizeof(id), "%lld", (long long)campaign);
	i = ccon_model_find(f->m, id);
	if (at)
		*at = i;
	return i < 0 ? NULL : ccon_model_row(f->m, (size_t)i);
}

/* ---------------------------------------------------------------- tests */

/* 230 campaigns: three pages of 100, and the view never holds part of
 * them. */
static bool list_whole(struct fixture *f, void *arg)
{
	size_t n = ccon_model_rows_total(f->m);

	ck_assert_msg(n == 0 || n == *(size_t *)arg, "a part of the list: %zu", n);
	return n == *(size_t *)arg;
}

START_TEST(list_arrives_paged_and_whole)
{
	struct fixture f;
	size_t want = 230;
	char name[32], seen[231] = { 0 };
	struct ccon_model_status st;

	setup(&f, NULL);
	for (size_t i = 0; i < want; i++) {
		snprintf(name, sizeof(name), "camp %03zu", i);
		create_campaign(&f, name);
	}
	ck_assert(pump(&f, list_whole, &want, 20000));
	ck_assert_uint_eq(ccon_model_rows(f.m), want);
	for (size_t i = 0; i < want; i++) {
		const struct ccon_campaign_summary *s = ccon_model_row(f.m, i);
		unsigned k;

		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(sscanf(s->name, "camp %u", &k), 1);
		ck_assert_msg(k < want && !seen[k], "campaign %u twice or unknown", k);
		seen[k] = 1;
		ck_assert(ccon_model_row_changed(f.m, i));   /* every row is new */
	}
	ck_assert_ptr_null(ccon_model_row(f.m, want));
	ccon_model_status(f.m, &st);
	ck_assert_int_eq(st.conn.state, CCON_CONN_OK);
	ck_assert_str_eq(st.last_error, "");
	ck_assert(st.campaigns_polled_ms > 0);
	ck_assert(ccon_model_changes(f.m) & CCON_MODEL_CAMPAIGNS);

	/* the filter, the sort and the selection over the polled rows */
	ccon_model_sort(f.m, CCON_COL_NAME, false);
	ck_assert_str_eq(ccon_model_row(f.m, 0)->name, "camp 000");
	ccon_model_filter(f.m, "CAMP 12");
	ck_assert_str_eq(ccon_model_filter_get(f.m), "CAMP 12");
	ck_assert_uint_eq(ccon_model_rows(f.m), 10);
	ccon_model_select(f.m, 4);
	ck_assert_str_eq(ccon_model_row(f.m, 4)->name, "camp 124");
	ck_assert_str_eq(ccon_model_selected_id(f.m), ccon_model_row(f.m, 4)->id);
	/* a new poll: nothing changed, the selection stays */
	ck_assert(poll_list(&f));
	ck_assert_uint_eq(ccon_model_rows_total(f.m), want);
	ck_assert_int_eq(ccon_model_selected(f.m), 4);
	for (size_t i = 0; i < ccon_model_rows(f.m); i++)
		ck_assert(!ccon_model_row_changed(f.m, i));
	teardown(&f);
}
END_TEST

/* A send moved by the clock: its counts move within one poll, and only
 * its row is marked changed. */
START_TEST(counts_move_within_one_poll)
{
	struct fixture f;
	const struct ccon_campaign_summary *s;
	int64_t sent, idle;
	long at;

	setup(&f, NULL);
	idle = create_campaign(&f, "idle");
	sent = create_campaign(&f, "sent");
	send_to(&f, sent, mix, N_MIX, NULL);
	ck_assert(poll_list(&f));
	s = row_of(&f, sent, &at);
	ck_assert_ptr_nonnull(s);
	ck_assert(s->has_counts);
	ck_assert_int_eq(s->counts.total, N_MIX);
	ck_assert_int_eq(s->counts.failed + s->counts.read + s->counts.received, 0);
	ccon_model_changes(f.m);

	server_clock_advance(&f.s, f.bearer, "PT1H");
	ck_assert(poll_list(&f));
	ck_assert(ccon_model_changes(f.m) & CCON_MODEL_CAMPAIGNS);
	s = row_of(&f, sent, &at);
	ck_assert_int_eq(s->counts.failed, 9);
	ck_assert_int_eq(s->counts.read, 2);
	ck_assert_int_eq(s->counts.received, 1);
	ck_assert_int_eq(s->counts.pending, 0);
	ck_assert(ccon_model_row_changed(f.m, (size_t)at));
	row_of(&f, idle, &at);
	ck_assert(at >= 0);
	ck_assert(!ccon_model_row_changed(f.m, (size_t)at));

	/* nothing moves: no row changed, and the marks are gone */
	ck_assert(poll_list(&f));
	row_of(&f, sent, &at);
	ck_assert(!ccon_model_row_changed(f.m, (size_t)at));
	teardown(&f);
}
END_TEST

struct want_rows {
	int64_t first;
	size_t n;
};

/* The pane's frame: asks for the rows it shows, every turn; true once
 * they are here (those below the total). */
static bool rows_here(struct fixture *f, void *arg)
{
	struct want_rows *w = arg;
	int64_t total = ccon_model_audience_total(f->m);

	ccon_model_audience_want(f->m, w->first, w->n);
	if (total < 0)
		return false;
	for (size_t i = 0; i < w->n && w->first + (int64_t)i < total; i++)
		if (!ccon_model_audience_row(f->m, w->first + (int64_t)i))
			return false;
	return true;
}

static size_t rows_held(struct fixture *f)
{
	size_t n = 0;

	for (int64_t i = 0; i < ccon_model_audience_total(f->m); i++)
		n += ccon_model_audience_row(f->m, i) != NULL;
	return n;
}

static bool focus_ready(struct fixture *f, void *arg)
{
	(void)arg;
	return ccon_model_focus_summary(f->m) != NULL && !f->m->focus.failures_req;
}

/* 20,000 recipients: pages come as the pane scrolls, at most
 * audience_pages_kept of them stay, a page in flight is never asked
 * twice. */
START_TEST(audience_pages_on_demand)
{
	struct ccon_model_config mc = { 3600000, 3600000, 100, 6 };
	struct fixture f;
	struct want_rows w = { 0, 40 };
	char id[24];
	int64_t camp;
	unsigned asked;
	size_t held;
	const struct ccon_audience_item *it;

	setup(&f, &mc);
	camp = create_campaign(&f, "big");
	send_csv(&f, camp, 20000);
	snprintf(id, sizeof(id), "%lld", (long long)camp);
	ccon_model_focus(f.m, id);
	ck_assert_str_eq(ccon_model_focus_id(f.m), id);
	ck_assert_int_eq(ccon_model_audience_total(f.m), -1);
	ck_assert_ptr_null(ccon_model_audience_row(f.m, 0));
	ck_assert(pump(&f, rows_here, &w, 20000));
	ck_assert(pump(&f, focus_ready, NULL, 20000));
	ck_assert_int_eq(ccon_model_audience_total(f.m), 20000);
	ck_assert_int_eq(ccon_model_focus_summary(f.m)->counts.total, 20000);
	it = ccon_model_audience_row(f.m, 0);
	ck_assert_str_eq(it->campaign_id, id);
	ck_assert_str_eq(it->status, "pending");
	/* rows 0..39 are page 0; page 1 comes along, and nothing else */
	asked = f.m->focus.page_requests;
	ck_assert_msg(asked == 2, "%u page requests", asked);

	/* scrolling through the middle, a frame at a time */
	for (int64_t first = 9000; first < 9600; first += 40) {
		w.first = first;
		ck_assert(pump(&f, rows_here, &w, 20000));
	}
	asked = f.m->focus.page_requests;
	held = rows_held(&f);
	fprintf(stderr, "model: 20,000 recipients, 100-row pages: rows 0-39 then 9000-9639 "
	        "scrolled: %u page requests, %zu rows held\n", asked, held);
	ck_assert_msg(asked <= 2 + 9, "%u page requests", asked);
	ck_assert_uint_le(held, 6 * 100);
	/* the first page was evicted, the rows shown are here */
	ck_assert_ptr_null(ccon_model_audience_row(f.m, 0));
	ck_assert_ptr_nonnull(ccon_model_audience_row(f.m, 9599));
	/* the last row */
	w.first = 19990;
	w.n = 10;
	ck_assert(pump(&f, rows_here, &w, 20000));
	ck_assert_ptr_nonnull(ccon_model_audience_row(f.m, 19999));
	ck_assert_ptr_null(ccon_model_audience_row(f.m, 20000));
	ck_assert_uint_le(rows_held(&f), 6 * 100);
	teardown(&f);
}
END_TEST

/* Summary, failure groups by count, the audience narrowed to one group,
 * the raw last answer. */
static bool filtered_total(struct fixture *f, void *arg)
{
	ccon_model_audience_want(f->m, 0, 20);
	return ccon_model_audience_total(f->m) == *(int64_t *)arg &&
	       ccon_model_audience_row(f->m, 0) != NULL;
}

START_TEST(failures_grouped)
{
	struct fixture f;
	const struct ccon_failure_group *g;
	const char *raw;
	size_t n, len;
	char id[24];
	int64_t camp, want;

	setup(&f, NULL);
	camp = create_campaign(&f, "mix");
	send_to(&f, camp, mix, N_MIX, NULL);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	snprintf(id, sizeof(id), "%lld", (long long)camp);
	ccon_model_focus(f.m, id);
	ck_assert(pump(&f, focus_ready, NULL, 10000));
	g = ccon_model_failures(f.m, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(g[0].reason_code, 131026);
	ck_assert_int_eq(g[0].count, 4);
	ck_assert_str_eq(g[0].reason_description, "Message undeliverable");
	for (size_t i = 1; i < n; i++)
		ck_assert(g[i].count <= g[i - 1].count);
	ck_assert_int_eq(g[3].reason_code, 131047);
	ck_assert_int_eq(ccon_model_focus_summary(f.m)->counts.failed, 9);
	raw = ccon_model_last_raw(f.m, &len);
	ck_assert_uint_eq(strlen(raw), len);
	ck_assert_ptr_nonnull(strstr(raw, "\"status\":\"success\""));

	/* Enter on a group: its recipients */
	want = 4;
	ccon_model_audience_filter(f.m, "failed", true, 131026);
	ck_assert_int_eq(ccon_model_audience_total(f.m), -1);
	ck_assert(pump(&f, filtered_total, &want, 10000));
	for (int64_t i = 0; i < 4; i++) {
		const struct ccon_audience_item *it = ccon_model_audience_row(f.m, i);

		ck_assert_ptr_nonnull(it);
		ck_assert_str_eq(it->status, "failed");
		ck_assert_int_eq(it->reason_code, 131026);
	}
	ck_assert_ptr_null(ccon_model_audience_row(f.m, 4));
	want = 9;
	ccon_model_audience_filter(f.m, "failed", false, 0);
	ck_assert(pump(&f, filtered_total, &want, 10000));
	want = N_MIX;
	ccon_model_audience_filter(f.m, NULL, false, 0);
	ck_assert(pump(&f, filtered_total, &want, 10000));
	teardown(&f);
}
END_TEST

/* Focus A, ask for its rows, focus B at once: nothing of A lands in B. */
static bool b_ready(struct fixture *f, void *arg)
{
	struct want_rows w = { 0, 10 };

	return focus_ready(f, arg) && rows_here(f, &w);
}

START_TEST(focus_change_drops_stale_answers)
{
	struct fixture f;
	char a[24], b[24];
	struct ccon_conn_info ci;
	int64_t ca, cb;
	const int one[] = { 1, 2, 65 };

	setup(&f, NULL);
	ca = create_campaign(&f, "a");
	cb = create_campaign(&f, "b");
	send_to(&f, ca, mix, N_MIX, NULL);
	send_to(&f, cb, one, 3, NULL);
	snprintf(a, sizeof(a), "%lld", (long long)ca);
	snprintf(b, sizeof(b), "%lld", (long long)cb);
	ccon_model_focus(f.m, a);
	ccon_model_audience_want(f.m, 0, 10);
	ccon_model_tick(f.m, ccon_monotonic_ms());   /* A's requests are in flight */
	ck_assert(f.m->focus.summary_req && f.m->focus.failures_req);
	ccon_client_conn(f.c, &ci);
	/* the list, A's summary, failures and two audience pages */
	ck_assert_uint_eq(ci.in_flight, 5);
	ccon_model_focus(f.m, b);
	ccon_client_conn(f.c, &ci);
	ck_assert_uint_eq(ci.in_flight, 1);   /* A's are canceled */
	ck_assert_ptr_null(ccon_model_focus_summary(f.m));
	ck_assert(pump(&f, b_ready, NULL, 10000));
	ck_assert_str_eq(ccon_model_focus_summary(f.m)->id, b);
	ck_assert_int_eq(ccon_model_audience_total(f.m), 3);
	for (int64_t i = 0; i < 3; i++)
		ck_assert_str_eq(ccon_model_audience_row(f.m, i)->campaign_id, b);
	/* A's answers would have come by now: let the loop run a while */
	for (int k = 0; k < 10; k++) {
		struct ccon_error err;

		ccon_client_wait(f.c, NULL, 0, 20, &err);
		ccon_client_run(f.c);
	}
	ck_assert_str_eq(ccon_model_focus_summary(f.m)->id, b);
	ck_assert_int_eq(ccon_model_audience_total(f.m), 3);
	ck_assert_ptr_null(ccon_model_audience_row(f.m, 3));
	/* no focus */
	ccon_model_focus(f.m, NULL);
	ck_assert_ptr_null(ccon_model_focus_id(f.m));
	ck_assert_ptr_null(ccon_model_focus_summary(f.m));
	ck_assert_int_eq(ccon_model_audience_total(f.m), -1);
	teardown(&f);
}
END_TEST

/* ccond stopped: the poll fails, the rows stay, the error is told; ccond
 * resumed: the next poll works and the status recovers. */
START_TEST(stopped_server_then_recovery)
{
	struct fixture f;
	struct ccon_model_status st;
	size_t rows;

	setup(&f, NULL);
	create_campaign(&f, "one");
	create_campaign(&f, "two");
	ck_assert(poll_list(&f));
	rows = ccon_model_rows_total(f.m);
	ck_assert_uint_eq(rows, 2);
	ccon_model_changes(f.m);

	server_freeze(&f.s);
	/* an answer ccond wrote just before it stopped may still arrive */
	{
		int k = 0;

		while (k < 3 && poll_list(&f))
			k++;
		ck_assert_msg(k < 3, "list polls still worked with ccond stopped");
	}
	ccon_model_status(f.m, &st);
	ck_assert_msg(strncmp(st.last_error, "campaign list: ", 15) == 0, "%s", st.last_error);
	ck_assert(st.conn.state == CCON_CONN_DOWN || st.conn.state == CCON_CONN_RETRYING);
	ck_assert(ccon_model_changes(f.m) & CCON_MODEL_STATUS);
	ck_assert_uint_eq(ccon_model_rows_total(f.m), rows);
	ck_assert_ptr_nonnull(ccon_model_row(f.m, 1));

	server_thaw(&f.s);
	/* the stopped request may still be answered first: poll until one works */
	for (int k = 0; k < 5 && !poll_list(&f); k++)
		;
	ccon_model_status(f.m, &st);
	ck_assert_int_eq(st.conn.state, CCON_CONN_OK);
	ck_assert_str_eq(st.last_error, "");
	ck_assert_uint_eq(ccon_model_rows_total(f.m), rows);
	teardown(&f);
}
END_TEST

/* ccond gone: the error names the poll, the data stays. */
START_TEST(failed_poll_keeps_data)
{
	struct fixture f;
	struct ccon_model_status st;

	setup(&f, NULL);
	create_campaign(&f, "kept");
	ck_assert(poll_list(&f));
	server_stop(&f.s);
	ck_assert(!poll_list(&f));
	ccon_model_status(f.m, &st);
	ck_assert_msg(strncmp(st.last_error, "campaign list: ", 15) == 0, "%s", st.last_error);
	ck_assert_int_eq(st.conn.state, CCON_CONN_DOWN);
	ck_assert_uint_eq(ccon_model_rows_total(f.m), 1);
	ck_assert_str_eq(ccon_model_row(f.m, 0)->name, "kept");
	ck_assert(st.campaigns_polled_ms > 0);
	ccon_model_free(f.m);
	ccon_client_free(f.c);
	server_destroy(&f.s);
}
END_TEST

/* A focus the server does not know, named with escape sequences: the
 * poll's error says so, with nothing a terminal would act on. */
static bool focus_failed(struct fixture *f, void *arg)
{
	(void)arg;
	return f->m->errors[CCON_POLL_FOCUS][0] && !f->m->focus.summary_req &&
	       !f->m->focus.failures_req;
}

START_TEST(last_error_is_sanitised)
{
	static const char evil[] = "77\x1b[2J\x07\x1b]52;c;aGk=\x07\xc2\x85\xe2\x80\xae\xff";
	struct fixture f;
	struct ccon_model_status st;

	setup(&f, NULL);
	ccon_model_focus(f.m, evil);
	ck_assert(pump(&f, focus_failed, NULL, 10000));
	ccon_model_status(f.m, &st);
	ck_assert_msg(st.last_error[0], "no error");
	for (const unsigned char *p = (const unsigned char *)st.last_error; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f && *p != 0xff, "byte %02x in: %s", *p,
		              st.last_error);
	ck_assert_ptr_nonnull(strstr(st.last_error, "^[[2J^G"));   /* shown, harmless */
	ck_assert_ptr_null(strstr(st.last_error, "\xc2\x85"));
	ck_assert_ptr_null(strstr(st.last_error, "\xe2\x80\xae"));
	ck_assert_ptr_null(ccon_model_focus_summary(f.m));
	fprintf(stderr, "model: sanitised last error: %s\n", st.last_error);
	teardown(&f);
}
END_TEST

struct done_box {
	bool called;
	struct ccon_error err;
};

static void on_done(void *ctx, const struct ccon_error *err)
{
	struct done_box *d = ctx;

	d->called = true;
	d->err = *err;
}

static bool done_called(struct fixture *f, void *arg)
{
	(void)f;
	return ((struct done_box *)arg)->called;
}

static bool status_is(struct fixture *f, void *arg)
{
	const char *const *want = arg;
	long at;
	const struct ccon_campaign_summary *s;

	s = row_of(f, strtoll(want[0], NULL, 10), &at);
	return s && s->status && strcmp(s->status, want[1]) == 0;
}

START_TEST(cancel_scheduled_campaign)
{
	struct fixture f;
	struct done_box d = { 0 };
	struct ccon_error err;
	const int one[] = { 1, 2 };
	char id[24];
	const char *want[2] = { id, "scheduled" };
	int64_t camp;

	setup(&f, NULL);
	camp = create_campaign(&f, "later");
	send_to(&f, camp, one, 2, ",\"scheduleAt\":\"2027-01-05T09:00:00Z\"");
	snprintf(id, sizeof(id), "%lld", (long long)camp);
	ck_assert(pump(&f, status_is, want, 10000));

	ck_assert_int_eq(ccon_model_cancel_campaign(f.m, id, on_done, &d, &err), 0);
	ck_assert(pump(&f, done_called, &d, 10000));
	ck_assert_msg(d.err.code == CCON_E_OK, "%s", d.err.message);
	/* the list is polled again by itself */
	want[1] = "canceled";
	ck_assert(pump(&f, status_is, want, 10000));

	/* twice: the reason comes back */
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(ccon_model_cancel_campaign(f.m, id, on_done, &d, &err), 0);
	ck_assert(pump(&f, done_called, &d, 10000));
	ck_assert(d.err.code != CCON_E_OK);
	ck_assert(d.err.message[0]);
	/* an unknown campaign */
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(ccon_model_cancel_campaign(f.m, "999999", on_done, &d, &err), 0);
	ck_assert(pump(&f, done_called, &d, 10000));
	ck_assert_msg(d.err.code == CCON_E_NOT_FOUND, "%s: %s", ccon_errc_name(d.err.code),
	              d.err.message);
	ck_assert_int_eq(ccon_model_cancel_campaign(f.m, "", on_done, &d, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_INVALID_ARGUMENT);
	/* an action in flight when the model goes: no call back, nothing leaks */
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(ccon_model_cancel_campaign(f.m, id, on_done, &d, &err), 0);
	teardown(&f);
	ck_assert(!d.called);
}
END_TEST

/* Polls on their own periods, never two of a kind at once. */
struct period_count {
	int64_t list_ms, focus_ms;
	unsigned lists, focuses, max_in_flight;
	long max_next;
	int64_t end;
};

static bool count_polls(struct fixture *f, void *arg)
{
	struct period_count *pc = arg;
	struct ccon_model_status st;
	long next = ccon_model_next_ms(f->m, ccon_monotonic_ms());

	ccon_model_status(f->m, &st);
	if (st.campaigns_polled_ms != pc->list_ms) {
		pc->list_ms = st.campaigns_polled_ms;
		pc->lists++;
	}
	if (st.focus_polled_ms != pc->focus_ms) {
		pc->focus_ms = st.focus_polled_ms;
		pc->focuses++;
	}
	if (st.conn.in_flight > pc->max_in_flight)
		pc->max_in_flight = st.conn.in_flight;
	ck_assert(next >= 0);
	if (next > pc->max_next)
		pc->max_next = next;
	return ccon_monotonic_ms() >= pc->end;
}

START_TEST(polls_every_period)
{
	struct ccon_model_config mc = { 300, 200, 0, 0 };
	struct period_count pc = { 0 };
	struct fixture f;
	char id[24];

	setup(&f, &mc);
	snprintf(id, sizeof(id), "%lld", (long long)create_campaign(&f, "p"));
	ccon_model_focus(f.m, id);
	pc.end = ccon_monotonic_ms() + 1500;
	pump(&f, count_polls, &pc, 5000);
	fprintf(stderr, "model: 1.5 s at 300/200 ms: %u list polls, %u focus polls\n", pc.lists,
	        pc.focuses);
	ck_assert_msg(pc.lists >= 3 && pc.lists <= 6, "%u list polls", pc.lists);
	ck_assert_msg(pc.focuses >= 4 && pc.focuses <= 9, "%u focus polls", pc.focuses);
	ck_assert_int_le(pc.max_next, 300);

	/* stalled: the polls in flight wait for their end, none is sent twice
	 * (the list, the summary and the failures) */
	server_freeze(&f.s);
	pc.max_in_flight = 0;
	pc.end = ccon_monotonic_ms() + 1200;
	pump(&f, count_polls, &pc, 5000);
	server_thaw(&f.s);
	ck_assert_msg(pc.max_in_flight <= 3, "%u requests in flight", pc.max_in_flight);
	teardown(&f);
}
END_TEST

/* ---------------------------------------------------- the report export */

struct export_box {
	bool called;
	struct ccon_error err;
	struct ccon_model_export *x;
	struct ccon_export_progress at_done;
};

static void export_done(void *ctx, const struct ccon_error *err)
{
	struct export_box *b = ctx;

	b->called = true;
	b->err = *err;
	ccon_model_export_progress(b->x, &b->at_done);
	/* done may free the export */
	ccon_model_export_free(b->x);
	b->x = NULL;
}

static bool export_called(struct fixture *f, void *arg)
{
	(void)f;
	return ((struct export_box *)arg)->called;
}

/* Files in dir other than . and .. (a temporary file left behind shows). */
static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int count_of(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void run_export(struct fixture *f, const char *path, struct export_box *b)
{
	struct ccon_error err;

	memset(b, 0, sizeof(*b));
	ck_assert_msg(ccon_model_export(f->m, path, ccon_export_format_of(path), export_done, b,
	                                &b->x, &err) == 0, "%s", err.message);
	ck_assert_ptr_nonnull(b->x);
	ck_assert(pump(f, export_called, b, 20000));
	ck_assert_msg(b->err.code == CCON_E_OK, "%s", b->err.message);
	ck_assert(b->at_done.finished);
	ck_assert(!b->at_done.failed);
}

/* CSV and JSON: summary, failure groups, every recipient (the pane's
 * filter does not narrow it), formulas neutralised, E.164 kept. */
START_TEST(export_csv_and_json)
{
	struct fixture f;
	struct export_box b;
	char dir[] = "/tmp/ccon-export-XXXXXX", csv[96], json[96], id[24];
	char *text;
	cJSON *doc, *aud;
	int64_t camp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(csv, sizeof(csv), "%s/report.csv", dir);
	snprintf(json, sizeof(json), "%s/report.JSON", dir);
	setup(&f, NULL);
	camp = create_campaign(&f, "=HYPERLINK(1) mix");
	send_to(&f, camp, mix, N_MIX, NULL);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	snprintf(id, sizeof(id), "%lld", (long long)camp);
	ck_assert_int_eq(ccon_export_format_of("a.csv"), CCON_EXPORT_CSV);
	ck_assert_int_eq(ccon_export_format_of("a.Json"), CCON_EXPORT_JSON);
	ck_assert_int_eq(ccon_export_format_of("json"), CCON_EXPORT_CSV);
	ccon_model_focus(f.m, id);
	ck_assert(pump(&f, focus_ready, NULL, 10000));
	ccon_model_audience_filter(f.m, "failed", true, 131026);

	run_export(&f, csv, &b);
	ck_assert_int_eq(b.at_done.rows, N_MIX);
	ck_assert_int_eq(b.at_done.total, N_MIX);
	text = read_file(csv, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strncmp(text, "campaignId,name,channelType,status,sendDate,total,", 50) == 0,
	              "%.80s", text);
	ck_assert_ptr_nonnull(strstr(text, ",'=HYPERLINK(1) mix,"));
	ck_assert_ptr_nonnull(strstr(text, ",12,0,0,1,2,9,0\r\n\r\nreasonCode,reasonDescription,"
	                                   "count\r\n131026,Message undeliverable,4\r\n"));
	ck_assert_ptr_nonnull(strstr(text, "\r\n\r\nrecipient,status,processed,"));
	ck_assert_ptr_nonnull(strstr(text, "\r\n+34666000013,failed,"));
	ck_assert_int_eq(count_of(text, "\r\n+346660"), N_MIX);
	ck_assert_int_eq(count_of(text, ",131026,Message undeliverable\r\n"), 4);
	free(text);

	run_export(&f, json, &b);
	text = read_file(json, NULL);
	doc = cJSON_Parse(text);
	ck_assert_msg(doc != NULL, "not JSON: %.200s", text);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "name")
	                 ->valuestring, "=HYPERLINK(1) mix");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(doc,
	                 "failures"), "items")), 4);
	aud = cJSON_GetObjectItem(doc, "audience");
	ck_assert_int_eq(cJSON_GetArraySize(aud), N_MIX);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(aud, 0), "recipient")->valuestring,
	                 "+34666000013");
	ck_assert_int_eq((int)cJSON_GetObjectItem(cJSON_GetArrayItem(aud, 0), "reasonCode")
	                 ->valuedouble, 131026);
	cJSON_Delete(doc);
	free(text);
	ck_assert_int_eq(files_in(dir), 2);
	teardown(&f);
	unlink(csv);
	unlink(json);
	rmdir(dir);
}
END_TEST

/* 250 recipients: three pages, every row once, in order. */
START_TEST(export_pages)
{
	struct fixture f;
	struct export_box b;
	char dir[] = "/tmp/ccon-export-XXXXXX", path[96], id[24], row[40];
	char *text;
	int64_t camp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.csv", dir);
	setup(&f, NULL);
	camp = create_campaign(&f, "big");
	send_csv(&f, camp, 250);
	snprintf(id, sizeof(id), "%lld", (long long)camp);
	ccon_model_focus(f.m, id);
	run_export(&f, path, &b);
	ck_assert_int_eq(b.at_done.rows, 250);
	text = read_file(path, NULL);
	ck_assert_int_eq(count_of(text, "\r\n+346"), 250);
	for (int i = 0; i < 250; i += 83) {
		snprintf(row, sizeof(row), "\r\n+346%08d,pending,", i);
		ck_assert_msg(strstr(text, row), "row %d missing", i);
	}
	ck_assert_ptr_nonnull(strstr(text, "\r\n+34600000249,pending,,,,,,\r\n"));
	free(text);
	teardown(&f);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A failed export leaves no file (nor a temporary one) and the old file
 * as it was; one freed while it runs, the same, without a call back. */
START_TEST(export_failures_leave_no_file)
{
	struct fixture f;
	struct export_box b;
	struct ccon_error err;
	struct ccon_export_progress ep;
	struct ccon_model_export *x = NULL;
	char dir[] = "/tmp/ccon-export-XXXXXX", path[96], bad[128], id[24];
	char *text;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/old.csv", dir);
	snprintf(bad, sizeof(bad), "%s/no/such/dir.csv", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("old\n", fp);
	fclose(fp);
	setup(&f, NULL);
	/* no focus */
	ck_assert_int_eq(ccon_model_export(f.m, path, CCON_EXPORT_CSV, export_done, &b, &x, &err),
	                 -1);
	ck_assert_int_eq(err.code, CCON_E_INVALID_ARGUMENT);
	ck_assert_ptr_null(x);
	snprintf(id, sizeof(id), "%lld", (long long)create_campaign(&f, "f"));
	ccon_model_focus(f.m, id);
	ck_assert_int_eq(ccon_model_export(f.m, "", CCON_EXPORT_CSV, export_done, &b, &x, &err), -1);
	/* a directory that is not there: said at once, with the path */
	ck_assert_int_eq(ccon_model_export(f.m, bad, CCON_EXPORT_CSV, export_done, &b, &x, &err),
	                 -1);
	ck_assert_int_eq(err.code, CCON_E_IO);
	ck_assert_ptr_nonnull(strstr(err.message, "no/such/dir.csv"));

	/* the server stops answering: the read fails, nothing is left */
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(ccon_model_export(f.m, path, CCON_EXPORT_CSV, export_done, &b, &b.x,
	                                   &err), 0);
	ck_assert_int_eq(files_in(dir), 2);   /* old.csv and the temporary file */
	server_freeze(&f.s);
	ck_assert(pump(&f, export_called, &b, 20000));
	server_thaw(&f.s);
	ck_assert(b.err.code != CCON_E_OK);
	ck_assert(b.at_done.failed);
	ck_assert_msg(strstr(b.err.message, "old.csv"), "%s", b.err.message);
	ck_assert_int_eq(files_in(dir), 1);
	text = read_file(path, NULL);
	ck_assert_str_eq(text, "old\n");
	free(text);

	/* freed while it runs */
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(ccon_model_export(f.m, path, CCON_EXPORT_JSON, export_done, &b, &x, &err),
	                 0);
	ccon_model_export_progress(x, &ep);
	ck_assert(!ep.finished);
	ck_assert_int_eq(ep.total, -1);
	ck_assert_str_eq(ccon_model_export_path(x), path);
	ck_assert_int_eq(files_in(dir), 2);
	ccon_model_export_free(x);
	ck_assert_int_eq(files_in(dir), 1);
	pump(&f, export_called, &b, 300);
	ck_assert(!b.called);
	ccon_model_export_free(NULL);
	teardown(&f);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *ccon_it_suite_model(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, list_arrives_paged_and_whole);
	tcase_add_test(tc, counts_move_within_one_poll);
	tcase_add_test(tc, audience_pages_on_demand);
	tcase_add_test(tc, failures_grouped);
	tcase_add_test(tc, focus_change_drops_stale_answers);
	tcase_add_test(tc, stopped_server_then_recovery);
	tcase_add_test(tc, failed_poll_keeps_data);
	tcase_add_test(tc, cancel_scheduled_campaign);
	tcase_add_test(tc, polls_every_period);
	tcase_add_test(tc, last_error_is_sanitised);
	tcase_add_test(tc, export_csv_and_json);
	tcase_add_test(tc, export_pages);
	tcase_add_test(tc, export_failures_leave_no_file);
	suite_add_tcase(s, tc);
	return s;
}
