/* The dynamic flow against the real ccond: a /campaign/v2 campaign created
 * (twice with the same key: one campaign), two rounds (a list, then a CSV
 * with #contextvariables#), the server's audience equal to their union
 * (paged), dispatch, a third round refused here without a request and by
 * ccond for a flow that did not know, a bad audience's path, a CSV's bad
 * rows by line, and nothing accepted lost. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/client.h>
#include <ccon/dynamic_flow.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fx {
	struct server s;
	int64_t app;
	char key[64];
	char bearer[96];
	char dir[300];
	struct ccon_client *client;
	struct ccon_dynamic_flow *flow;
};

static const char *const manual[] = { "--clock", "manual", NULL };

static void pump(struct fx *f, struct ccon_dynamic_flow *flow)
{
	int64_t end = ccon_monotonic_ms() + 20000;

	ccon_client_run(f->client);
	while (ccon_dynamic_flow_in_flight(flow) > 0) {
		ck_assert_msg(ccon_monotonic_ms() < end, "the flow did not finish");
		ccon_client_wait(f->client, NULL, 0, 100, NULL);
		ccon_client_run(f->client);
	}
}

static void fx_start(struct fx *f)
{
	struct ccon_client_config cfg = { 0 };
	struct ccon_error err;

	memset(f, 0, sizeof(*f));
	server_start(&f->s, manual);
	server_create_app(&f->s, "dyn", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	server_clock(&f->s, f->bearer, "{\"set\":\"2027-01-04T09:00:00Z\"}");
	snprintf(f->dir, sizeof(f->dir), "%s", f->s.data_dir);
	cfg.base_url = f->s.base_url;
	cfg.token = f->key;
	cfg.max_retries = 1;
	cfg.backoff_ms = 20;
	ck_assert_int_eq(ccon_client_new(&cfg, &f->client, &err), 0);
	ck_assert_int_eq(ccon_dynamic_flow_new(f->client, f->app, &f->flow, &err), 0);
}

static void fx_stop(struct fx *f)
{
	ccon_dynamic_flow_free(f->flow);
	ccon_client_free(f->client);
	server_destroy(&f->s);
}

/* The seed's campaign: Batch, WhatsApp, template "welcome" with {name}. */
static void campaign_def(struct ccon_dynamic_campaign *dc, char **params)
{
	memset(dc, 0, sizeof(*dc));
	dc->campaign.name = "dyn";
	dc->campaign.type = CCON_CAMPAIGN_BATCH;
	dc->campaign.channel = CCON_CHANNEL_WHATSAPP;
	dc->campaign.has_channel = true;
	dc->message.message_template = "welcome";
	params[0] = "name";
	dc->message.params = params;
	dc->message.n_params = 1;
}

static void create(struct fx *f)
{
	struct ccon_dynamic_campaign dc;
	struct ccon_error err;
	char *params[1];

	campaign_def(&dc, params);
	ck_assert_msg(ccon_dynamic_flow_create(f->flow, &dc, &err) == 0, "%s", err.message);
	pump(f, f->flow);
	ck_assert_int_eq(ccon_dynamic_flow_campaign_state(f->flow, &err), CCON_FLOW_DONE);
	ck_assert_ptr_nonnull(ccon_dynamic_flow_campaign(f->flow)->id);
	ck_assert_str_eq(ccon_dynamic_flow_campaign(f->flow)->status, "draft");
}

static void audience(struct ccon_audience *a, const char *phone, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->recipient = strdup(phone);
	if (name)
		ck_assert_int_eq(ccon_fields_add(&a->message_params, "name", name, strlen(name)), 0);
}

static void add_list(struct fx *f, struct ccon_dynamic_flow *flow, const char *const *phones,
                     size_t n, struct ccon_error *err, int want_rc)
{
	struct ccon_audience a[8] = { { 0 } };

	for (size_t i = 0; i < n; i++)
		audience(&a[i], phones[i], "Ana");
	ck_assert_int_eq(ccon_dynamic_flow_add_list(flow, a, n, err), want_rc);
	for (size_t i = 0; i < n; i++)
		ccon_audience_free(&a[i]);
	pump(f, flow);
}

static const struct ccon_dyn_round *last_round(struct ccon_dynamic_flow *flow)
{
	size_t n;
	const struct ccon_dyn_round *r = ccon_dynamic_flow_rounds(flow, &n);

	ck_assert_uint_gt(n, 0);
	return &r[n - 1];
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static int64_t task_rows(struct fx *f)
{
	return server_db_intf(&f->s, "SELECT count(*) FROM recipients WHERE campaign_id = %s",
	                      ccon_dynamic_flow_campaign(f->flow)->id);
}

/* The server's audience read through the flow, a page of 2 at a time:
 * recipients in order. */
static size_t server_audience(struct fx *f, char out[][20], size_t max)
{
	const struct ccon_audience_page *p;
	struct ccon_error err;
	int64_t skip = 0, at;
	size_t n = 0;

	do {
		ck_assert_int_eq(ccon_dynamic_flow_read_audience(f->flow, skip, 2, &err), 0);
		pump(f, f->flow);
		p = ccon_dynamic_flow_audience(f->flow, &at);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(at, skip);
		for (size_t i = 0; i < p->count && n < max; i++)
			snprintf(out[n++], 20, "%s", p->items[i].recipient);
		skip += (int64_t)p->count;
	} while (p->count && skip < p->total);
	return n;
}

START_TEST(two_rounds_union_dispatch_then_refused)
{
	static const char *const r1[] = { "+5531999990001", "+5531999990002" };
	static const char *const r3[] = { "+5531999990009" };
	struct ccon_dynamic_flow *other;
	const struct ccon_dyn_csv *csv;
	const struct ccon_dyn_round *rd;
	struct ccon_error err;
	char path[400], held[8][20];
	int64_t before;
	size_t n;
	struct fx f;

	fx_start(&f);
	create(&f);
	/* a second flow that opens the campaign while it is a draft */
	ck_assert_int_eq(ccon_dynamic_flow_new(f.client, f.app, &other, &err), 0);
	ck_assert_int_eq(ccon_dynamic_flow_open(other, ccon_dynamic_flow_campaign(f.flow)->id,
	                                        &err), 0);
	pump(&f, other);
	ck_assert_int_eq(ccon_dynamic_flow_campaign_state(other, &err), CCON_FLOW_DONE);
	ck_assert_str_eq(ccon_dynamic_flow_campaign(other)->origin, "v2");
	ck_assert(!ccon_dynamic_flow_campaign(other)->dispatched);
	ck_assert_uint_eq(ccon_dynamic_flow_campaign(other)->message.n_params, 1);

	/* round 1: a list of two */
	add_list(&f, f.flow, r1, 2, &err, 0);
	rd = last_round(f.flow);
	ck_assert_int_eq(rd->state, CCON_FLOW_DONE);
	ck_assert_int_eq(rd->accepted, 2);
	ck_assert_uint_eq(rd->number, 1);
	/* the flow re-read the server's audience after the round */
	ck_assert_ptr_nonnull(ccon_dynamic_flow_audience(f.flow, NULL));
	ck_assert_int_eq(ccon_dynamic_flow_audience(f.flow, NULL)->total, 2);

	/* round 2: a CSV with #contextvariables# (both spellings) */
	snprintf(path, sizeof(path), "%s/round2.csv", f.dir);
	write_file(path, "recipient,name,#contextvariables#\n"
	                 "+5531999990003,Cy,\"{\"\"cpf\"\":\"\"123\"\"}\"\n"
	                 /* the seed's escaped form, in a quoted cell (quotes doubled) */
	                 "+5531999990004,Di,\"{\\\"\"cpf\\\"\":\\\"\"456\\\"\","
	                 "\\\"\"vip\\\"\":true}\"\n"
	                 "5531999990005,Ed,\n");
	ck_assert_msg(ccon_dynamic_flow_csv_load(f.flow, path, &err) == 0, "%s", err.message);
	csv = ccon_dynamic_flow_csv(f.flow);
	ck_assert_ptr_nonnull(csv);
	ck_assert_msg(csv->n_errors == 0, "%s %s line %ld col %ld", csv->errors[0].message, csv->errors[0].path, csv->errors[0].line, csv->errors[0].column);
	ck_assert_uint_eq(csv->rows.count, 3);
	ck_assert_str_eq(csv->rows.items[1].recipient, "+5531999990004");
	ck_assert_str_eq(ccon_fields_get(&csv->rows.items[1].context_variables, "cpf"), "456");
	ck_assert_str_eq(ccon_fields_get(&csv->rows.items[1].context_variables, "vip"), "true");
	ck_assert_int_eq(csv->lines[2], 4);
	ck_assert_int_eq(ccon_dynamic_flow_add_csv(f.flow, &err), 0);
	ck_assert_ptr_null(ccon_dynamic_flow_csv(f.flow));
	pump(&f, f.flow);
	rd = last_round(f.flow);
	ck_assert_msg(rd->state == CCON_FLOW_DONE, "%s", rd->err.error.message);
	ck_assert(rd->csv);
	ck_assert_int_eq(rd->accepted, 3);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT count(*) FROM contacts WHERE phone = "
	                                "'+5531999990004' AND context LIKE '%%456%%'"), 1);

	/* the server holds the union, read back page by page */
	n = server_audience(&f, held, 8);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(task_rows(&f), 5);
	ck_assert_str_eq(held[0], "+5531999990001");
	ck_assert_str_eq(held[4], "+5531999990005");

	/* dispatch */
	ck_assert_int_eq(ccon_dynamic_flow_dispatch(f.flow, &err), 0);
	pump(&f, f.flow);
	ck_assert_int_eq(ccon_dynamic_flow_dispatch_state(f.flow, &err), CCON_FLOW_DONE);
	ck_assert(ccon_dynamic_flow_campaign(f.flow)->dispatched);
	ck_assert_str_eq(ccon_dynamic_flow_campaign(f.flow)->status, "scheduled");

	/* a third round: refused here, no request */
	before = server_db_int(&f.s, "SELECT count(*) FROM recipients");
	ck_assert_int_eq(ccon_dynamic_flow_add_list(f.flow, NULL, 0, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_CONFLICT);
	ck_assert_ptr_nonnull(strstr(err.message, "no audience can be added"));
	ck_assert_uint_eq(ccon_dynamic_flow_in_flight(f.flow), 0);
	ck_assert_int_eq(ccon_dynamic_flow_dispatch(f.flow, &err), -1);
	ck_assert_uint_eq(ccon_dynamic_flow_in_flight(f.flow), 0);

	/* ...and by ccond for the flow that still thought it a draft */
	ck_assert(!ccon_dynamic_flow_campaign(other)->dispatched);
	add_list(&f, other, r3, 1, &err, 0);
	rd = last_round(other);
	ck_assert_int_eq(rd->state, CCON_FLOW_FAILED);
	ck_assert(!rd->unknown);
	ck_assert_int_eq(rd->err.error.code, CCON_E_CONFLICT);
	ck_assert_ptr_nonnull(strstr(rd->err.error.message, "no audience can be added"));
	ck_assert(ccon_dynamic_flow_campaign(other)->dispatched);
	ck_assert_int_eq(ccon_dynamic_flow_add_list(other, NULL, 0, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_CONFLICT);

	/* nothing accepted was lost, nothing added */
	ck_assert_int_eq(server_db_int(&f.s, "SELECT count(*) FROM recipients"), before);
	ck_assert_int_eq(task_rows(&f), 5);
	ccon_dynamic_flow_free(other);
	fx_stop(&f);
}
END_TEST

START_TEST(bad_audience_path_and_nothing_lost)
{
	static const char *const good[] = { "+5531999990001" };
	static const char *const bad[] = { "+5531999990002", "031 99999 0003" };
	const struct ccon_dyn_round *rd;
	const struct ccon_dyn_csv *csv;
	struct ccon_audience a;
	struct ccon_error err;
	char path[400];
	struct fx f;

	fx_start(&f);
	create(&f);
	add_list(&f, f.flow, good, 1, &err, 0);
	ck_assert_int_eq(last_round(f.flow)->state, CCON_FLOW_DONE);

	/* the server refuses a bad phone with its path; nothing of the round added */
	add_list(&f, f.flow, bad, 2, &err, 0);
	rd = last_round(f.flow);
	ck_assert_int_eq(rd->state, CCON_FLOW_FAILED);
	ck_assert_int_eq(rd->err.error.code, CCON_E_PHONE_NO_COUNTRY_CODE);
	ck_assert_str_eq(rd->err.error.path, "resource.audiences[1].recipient");
	ck_assert_ptr_null(strstr(rd->err.error.message, "resource.audiences"));
	ck_assert_int_eq(task_rows(&f), 1);
	ck_assert_int_eq(ccon_dynamic_flow_audience(f.flow, NULL)->total, 1);

	/* a missing message parameter is caught here, no request */
	audience(&a, "+5531999990004", NULL);
	ck_assert_int_eq(ccon_dynamic_flow_add_list(f.flow, &a, 1, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_JSON_REQUIRED);
	ck_assert_str_eq(err.path, "audiences[0].messageParams.name");
	ck_assert_uint_eq(ccon_dynamic_flow_in_flight(f.flow), 0);
	ccon_audience_free(&a);

	/* a CSV with bad rows: each by line and column, not sent */
	snprintf(path, sizeof(path), "%s/bad.csv", f.dir);
	write_file(path, "recipient,name,#contextvariables#\n"
	                 "+5531999990005,Ok,\n"
	                 "12,Short,\n"
	                 "+5531999990006,,\n"
	                 "+5531999990007,Cv,{not json}\n");
	ck_assert_int_eq(ccon_dynamic_flow_csv_load(f.flow, path, &err), 0);
	csv = ccon_dynamic_flow_csv(f.flow);
	ck_assert_uint_eq(csv->rows.count, 2);    /* row 4: an empty name is still a value */
	ck_assert_uint_eq(csv->n_errors, 2);
	ck_assert_int_eq(csv->errors[0].line, 3);
	ck_assert_str_eq(csv->errors[0].path, "recipient");
	ck_assert_int_eq(csv->errors[1].line, 5);
	ck_assert_int_eq(csv->errors[1].code, CCON_E_CSV_CONTEXT_VARIABLES);
	ck_assert_int_eq(ccon_dynamic_flow_add_csv(f.flow, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "2 errors"));
	ck_assert_uint_eq(ccon_dynamic_flow_in_flight(f.flow), 0);

	/* a header without recipient */
	write_file(path, "phone,name\n+5531999990008,G\n");
	ck_assert_int_eq(ccon_dynamic_flow_csv_load(f.flow, path, &err), 0);
	csv = ccon_dynamic_flow_csv(f.flow);
	ck_assert_uint_eq(csv->n_errors, 1);
	ck_assert_int_eq(csv->errors[0].code, CCON_E_CSV_HEADER);
	ck_assert_int_eq(csv->errors[0].line, 1);

	ck_assert_int_eq(task_rows(&f), 1);
	fx_stop(&f);
}
END_TEST

START_TEST(create_twice_same_key_one_campaign)
{
	struct ccon_dynamic_flow *again;
	struct ccon_dynamic_campaign dc;
	struct ccon_error err;
	char k1[96], k2[96], *params[1];
	struct fx f;

	fx_start(&f);
	create(&f);
	campaign_def(&dc, params);
	ck_assert_int_eq(ccon_dynamic_flow_create_key(f.flow, &dc, k1, sizeof(k1), &err), 0);
	ck_assert_int_eq(ccon_dynamic_flow_create_key(f.flow, &dc, k2, sizeof(k2), &err), 0);
	ck_assert_str_eq(k1, k2);
	ck_assert_int_eq(strncmp(k1, "ccon-v2-", 8), 0);
	/* this flow has its campaign: a second create is refused */
	ck_assert_int_eq(ccon_dynamic_flow_create(f.flow, &dc, &err), -1);
	/* the same key sent again (a retry after a lost answer) answers the
	 * same campaign from ccond's idempotency store */
	{
		cJSON *env = cJSON_CreateObject(), *res = NULL;
		char hdr[160], auth[96], *body;
		const char *id;
		struct reply r;

		ck_assert_int_eq(ccon_dynamic_campaign_encode(&dc, &res), 0);
		cJSON_AddStringToObject(env, "id", "retry");
		cJSON_AddStringToObject(env, "method", "set");
		cJSON_AddStringToObject(env, "uri", "/campaign/v2");
		cJSON_AddItemToObject(env, "resource", res);
		body = cJSON_PrintUnformatted(env);
		cJSON_Delete(env);
		ck_assert_int_eq(server_db_int(&f.s, "SELECT count(*) FROM campaigns"), 1);
		snprintf(auth, sizeof(auth), "Key %s", f.key);
		snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", k1);
		http_call(&f.s, "POST", "/commands", auth, NULL, body, strlen(body), hdr, &r);
		cJSON_free(body);
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(reply_str(&r, "status"), "success");
		id = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "resource"),
		                                              "id"));
		ck_assert_str_eq(id, ccon_dynamic_flow_campaign(f.flow)->id);
		reply_free(&r);
		ck_assert_int_eq(server_db_int(&f.s, "SELECT count(*) FROM campaigns"), 1);
	}
	/* another flow: another key, another campaign */
	ck_assert_int_eq(ccon_dynamic_flow_new(f.client, f.app, &again, &err), 0);
	ck_assert_int_eq(ccon_dynamic_flow_create_key(again, &dc, k2, sizeof(k2), &err), 0);
	ck_assert_str_ne(k1, k2);
	ccon_dynamic_flow_free(again);
	fx_stop(&f);
}
END_TEST

START_TEST(open_a_full_campaign_and_an_unknown_one)
{
	struct ccon_dynamic_flow *g;
	struct ccon_error err;
	struct reply r;
	char auth[96], id[32];
	const char *body = "{\"id\":\"f\",\"method\":\"set\",\"uri\":\"/campaign/full\","
	                   "\"resource\":{\"campaign\":{\"name\":\"full\",\"campaignType\":\"Batch\"},"
	                   "\"audiences\":[{\"recipient\":\"+5531999990001\"}],"
	                   "\"message\":{\"messageTemplate\":\"t\"}}}";
	static const char *const one[] = { "+5531999990002" };
	struct fx f;

	fx_start(&f);
	snprintf(auth, sizeof(auth), "Key %s", f.key);
	http_call(&f.s, "POST", "/commands", auth, NULL, body, strlen(body), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(id, sizeof(id), "%s",
	         cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "resource"),
	                                                  "id")));
	reply_free(&r);
	ck_assert_int_eq(ccon_dynamic_flow_open(f.flow, id, &err), 0);
	pump(&f, f.flow);
	ck_assert_int_eq(ccon_dynamic_flow_campaign_state(f.flow, &err), CCON_FLOW_DONE);
	ck_assert_str_eq(ccon_dynamic_flow_campaign(f.flow)->origin, "full");
	ck_assert(ccon_dynamic_flow_campaign(f.flow)->not_v2);
	add_list(&f, f.flow, one, 1, &err, -1);
	ck_assert_int_eq(err.code, CCON_E_CONFLICT);
	ck_assert_ptr_nonnull(strstr(err.message, "/campaign/full"));

	ck_assert_int_eq(ccon_dynamic_flow_new(f.client, f.app, &g, &err), 0);
	ck_assert_int_eq(ccon_dynamic_flow_open(g, "999", &err), 0);
	pump(&f, g);
	ck_assert_int_eq(ccon_dynamic_flow_campaign_state(g, &err), CCON_FLOW_FAILED);
	ck_assert_int_eq(err.code, CCON_E_NOT_FOUND);
	ccon_dynamic_flow_free(g);
	fx_stop(&f);
}
END_TEST

Suite *ccon_it_suite_dynamic_flow(void)
{
	Suite *s = suite_create("dynamic_flow");
	TCase *tc = tcase_create("dynamic_flow");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, two_rounds_union_dispatch_then_refused);
	tcase_add_test(tc, bad_audience_path_and_nothing_lost);
	tcase_add_test(tc, create_twice_same_key_one_campaign);
	tcase_add_test(tc, open_a_full_campaign_and_an_unknown_one);
	suite_add_tcase(s, tc);
	return s;
}
