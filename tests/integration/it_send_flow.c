/* The send flow against the real ccond on the manual clock: the server's
 * time from health, the dry-run plan and timeline of every slicing
 * condition equal to what the real dispatch then gets, 250 contacts in 3
 * requests, a second dispatch that doubles nothing, a CSV send of a seed
 * 001 example, transactional and WhatsApp sends, and a refused timing that
 * makes no request. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/client.h>
#include <ccon/datetime.h>
#include <ccon/send_flow.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 "2027-01-04T09:00:00Z"

struct fx {
	struct server s;
	int64_t app;
	char key[64];
	char bearer[96];
	struct ccon_client *client;
	struct ccon_send_flow *flow;
};

static const char *const manual[] = { "--clock", "manual", NULL };

static int64_t us(const char *iso)
{
	int64_t t;

	ck_assert_int_eq(ccon_datetime_parse(iso, &t, NULL), 0);
	return t;
}

static void call_ok(struct fx *f, const char *method, const char *path, const char *body,
                    long want, struct reply *r)
{
	http_call(&f->s, method, path, f->bearer, NULL, body, body ? strlen(body) : 0, NULL, r);
	ck_assert_msg(r->status == want, "%s %s: %ld %s", method, path, r->status, r->body);
}

static void pump(struct fx *f)
{
	int64_t end = ccon_monotonic_ms() + 20000;

	ccon_client_run(f->client);
	while (ccon_send_flow_in_flight(f->flow) > 0) {
		ck_assert_msg(ccon_monotonic_ms() < end, "the flow did not finish");
		ccon_client_wait(f->client, NULL, 0, 100, NULL);
		ccon_client_run(f->client);
	}
}

static void fx_start(struct fx *f)
{
	struct ccon_client_config cfg = { 0 };
	struct ccon_error err;
	struct reply r;

	memset(f, 0, sizeof(*f));
	server_start(&f->s, manual);
	server_create_app(&f->s, "flow", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	call_ok(f, "POST", "/v1/admin/clock", "{\"set\":\"" T0 "\"}", 200, &r);
	reply_free(&r);
	cfg.base_url = f->s.base_url;
	cfg.token = f->key;
	cfg.max_retries = 1;
	cfg.backoff_ms = 20;
	ck_assert_int_eq(ccon_client_new(&cfg, &f->client, &err), 0);
	ck_assert_int_eq(ccon_send_flow_new(f->client, f->app, &f->flow, &err), 0);
	ck_assert_int_eq(ccon_send_flow_read_time(f->flow, &err), 0);
	pump(f);
}

static void fx_stop(struct fx *f)
{
	ccon_send_flow_free(f->flow);
	ccon_client_free(f->client);
	server_destroy(&f->s);
}

static int64_t create_campaign(struct fx *f, const char *json)
{
	char path[96];
	struct reply r;
	int64_t id;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	call_ok(f, "POST", path, json, 201, &r);
	id = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	return id;
}

static int64_t wa_campaign(struct fx *f)
{
	return create_campaign(f, "{\"name\":\"c\",\"channel\":\"whatsapp\",\"templateName\":\"t\","
	                          "\"templateBody\":\"Hi {{name}}\"}");
}

/* Loads the campaign through the flow into the draft. */
static void load_campaign(struct fx *f, struct ccon_send_draft *d, int64_t id)
{
	struct ccon_error err;

	ck_assert_int_eq(ccon_send_flow_load_campaign(f->flow, id, &err), 0);
	pump(f);
	ck_assert_ptr_nonnull(ccon_send_flow_campaign(f->flow));
	ck_assert_int_eq(ccon_send_draft_set_campaign(d, ccon_send_flow_campaign(f->flow), &err), 0);
}

static void roster(struct ccon_send_draft *d, int base, int n)
{
	for (int i = 0; i < n; i++) {
		char num[32];
		size_t row;

		snprintf(num, sizeof(num), "+3466%07d", base + i);
		ck_assert_int_eq(ccon_roster_add(&d->roster, num, NULL, &row), 0);
		ck_assert_int_eq(ccon_roster_field_add(&d->roster, row, "name", "Ana"), 0);
	}
}

static void slot_config(struct fx *f, int length_s, int capacity)
{
	char path[96], body[128];
	struct reply r;

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f->app);
	snprintf(body, sizeof(body), "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":%d,"
	         "\"capacity\":%d}", length_s, capacity);
	call_ok(f, "PUT", path, body, 200, &r);
	reply_free(&r);
}

/* Another send occupying places: n contacts at scheduleAt when. */
static void occupy(struct fx *f, int64_t campaign, int base, int n, const char *when)
{
	struct ccon_send_draft d;
	struct ccon_send_reqs reqs;
	struct ccon_error err;
	char path[128];
	struct reply r;

	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, f->app);
	load_campaign(f, &d, campaign);
	roster(&d, base, n);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, when), 0);
	ck_assert_int_eq(ccon_send_draft_requests(&d, us(T0), false, &reqs, &err), 0);
	snprintf(path, sizeof(path), "%s", reqs.items[0].path);
	call_ok(f, "POST", path, reqs.items[0].body, 202, &r);
	reply_free(&r);
	ccon_send_reqs_free(&reqs);
	ccon_send_draft_free(&d);
}

START_TEST(health_gives_server_time)
{
	struct fx f;
	int64_t now = 0;

	fx_start(&f);
	ck_assert(ccon_send_flow_server_now(f.flow, &now));
	ck_assert(ccon_send_flow_clock_manual(f.flow));
	ck_assert_int_eq(now, us(T0));
	fx_stop(&f);
}
END_TEST

static bool shares_match(const struct ccon_timeline_batch *b, const struct ccon_send_answer *a)
{
	if (b->n_shares != a->n_plan || b->canceled != (a->cancel_code != NULL))
		return false;
	for (size_t i = 0; i < b->n_shares; i++)
		if (b->shares[i].slot_start_us != a->plan[i].slot_start_us ||
		    b->shares[i].count != a->plan[i].count)
			return false;
	return true;
}

/* Slot 0 holds 5 of 10, slot 1 is full: 20 recipients from T0. */
static void plan_case(enum ccon_slicing cond, bool want_cancel, int64_t first_slot_count)
{
	struct ccon_send_draft d;
	const struct ccon_timeline *t;
	const struct ccon_send_dispatch *res;
	struct ccon_error err;
	int64_t camp;
	struct fx f;

	fx_start(&f);
	slot_config(&f, 900, 10);
	camp = wa_campaign(&f);
	occupy(&f, camp, 9000, 5, T0);
	occupy(&f, camp, 9100, 10, "2027-01-04T09:15:00Z");
	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, f.app);
	load_campaign(&f, &d, camp);
	roster(&d, 0, 20);
	d.slicing = cond;
	ck_assert_msg(ccon_send_flow_dry_run(f.flow, &d, &err) == 0, "%s", err.message);
	pump(&f);
	ck_assert_int_eq(ccon_send_flow_dry_run_state(f.flow, &err), CCON_FLOW_DONE);
	t = ccon_send_flow_timeline(f.flow);
	ck_assert_ptr_nonnull(t);
	ck_assert(t->agrees);
	ck_assert(t->activated);
	ck_assert_int_eq(t->canceled, want_cancel);
	ck_assert_int_eq(t->rows[0].others, 5);
	ck_assert_int_eq(t->rows[1].others, 10);
	ck_assert_int_eq(t->rows[0].mine, first_slot_count);
	if (want_cancel)
		ck_assert_str_ne(t->cancel_reason, "");
	ck_assert_int_eq(ccon_send_flow_dispatch(f.flow, &d, &err), 0);
	pump(&f);
	res = ccon_send_flow_dispatch_result(f.flow);
	ck_assert_int_eq(res->state, CCON_FLOW_DONE);
	ck_assert_uint_eq(res->done, 1);
	/* what the screen showed is what ccond applied */
	ck_assert(shares_match(&t->batches[0], &res->answers[0]));
	ck_assert_str_eq(res->answers[0].status, want_cancel ? "canceled" : "scheduled");
	if (want_cancel)
		ck_assert_str_eq(res->answers[0].cancel_reason, t->cancel_reason);
	/* and the slots now hold it */
	ck_assert_int_eq(ccon_send_flow_read_slots(f.flow, "whatsapp", us(T0), &err), 0);
	pump(&f);
	for (size_t k = 0; k < 8; k++)
		ck_assert_int_eq(ccon_send_flow_slots(f.flow)->rows[k].reserved,
		                 t->rows[k].others + t->rows[k].mine);
	ccon_send_draft_free(&d);
	fx_stop(&f);
}

START_TEST(plan_fragmented)
{
	plan_case(CCON_SLICING_FRAGMENTED, false, 5);
}
END_TEST

START_TEST(plan_immediate_cancel)
{
	plan_case(CCON_SLICING_IMMEDIATE_CONSECUTIVE, true, 0);
}
END_TEST

START_TEST(plan_deferred)
{
	plan_case(CCON_SLICING_DEFERRED_CONSECUTIVE, false, 0);
}
END_TEST

START_TEST(batches_250_once_even_dispatched_twice)
{
	struct ccon_send_draft d;
	const struct ccon_timeline *t;
	const struct ccon_send_dispatch *res;
	struct ccon_error err;
	int64_t camp, tasks[3], accepted = 0;
	struct fx f;

	fx_start(&f);
	slot_config(&f, 900, 100);
	camp = wa_campaign(&f);
	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, f.app);
	load_campaign(&f, &d, camp);
	roster(&d, 0, 250);
	ck_assert_int_eq(ccon_send_flow_dry_run(f.flow, &d, &err), 0);
	pump(&f);
	t = ccon_send_flow_timeline(f.flow);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->n_batches, 3);
	ck_assert_int_eq(t->placed, 250);
	ck_assert_int_eq(ccon_send_flow_dispatch(f.flow, &d, &err), 0);
	pump(&f);
	res = ccon_send_flow_dispatch_result(f.flow);
	ck_assert_int_eq(res->state, CCON_FLOW_DONE);
	ck_assert_uint_eq(res->total, 3);
	ck_assert_uint_eq(res->n_task_ids, 3);
	for (size_t i = 0; i < 3; i++) {
		accepted += res->answers[i].accepted;
		tasks[i] = res->task_ids[i];
		/* each batch placed as the timeline planned it, one after another */
		ck_assert_msg(shares_match(&t->batches[i], &res->answers[i]), "batch %zu", i);
	}
	ck_assert_int_eq(accepted, 250);
	/* again with the same draft: the same keys, answered again, nothing new */
	ck_assert_int_eq(ccon_send_flow_dispatch(f.flow, &d, &err), 0);
	pump(&f);
	res = ccon_send_flow_dispatch_result(f.flow);
	ck_assert_int_eq(res->state, CCON_FLOW_DONE);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(res->task_ids[i], tasks[i]);
	ck_assert_int_eq(ccon_send_flow_read_slots(f.flow, "whatsapp", us(T0), &err), 0);
	pump(&f);
	ck_assert_int_eq(ccon_send_flow_slots(f.flow)->rows[0].reserved +
	                 ccon_send_flow_slots(f.flow)->rows[1].reserved +
	                 ccon_send_flow_slots(f.flow)->rows[2].reserved, 250);
	ccon_send_draft_free(&d);
	fx_stop(&f);
}
END_TEST

START_TEST(refused_timing_makes_no_request)
{
	struct ccon_send_draft d;
	struct ccon_error err;
	int64_t camp;
	struct fx f;

	fx_start(&f);
	camp = wa_campaign(&f);
	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, f.app);
	load_campaign(&f, &d, camp);
	roster(&d, 0, 3);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2027-05-04T09:00:00Z"), 0);
	ck_assert_int_eq(ccon_send_flow_dispatch(f.flow, &d, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_TIMING_TOO_FAR);
	ck_assert_uint_eq(ccon_send_flow_in_flight(f.flow), 0);
	ck_assert_int_eq(ccon_send_flow_dispatch_result(f.flow)->state, CCON_FLOW_FAILED);
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "PT1H"), 0);
	ck_assert_int_eq(ccon_send_flow_dry_run(f.flow, &d, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_TIMING_EXCLUSIVE);
	ck_assert_uint_eq(ccon_send_flow_in_flight(f.flow), 0);
	/* the server saw no send: the slots are empty */
	ck_assert_int_eq(ccon_send_flow_read_slots(f.flow, "whatsapp", us(T0), &err), 0);
	pump(&f);
	ck_assert_int_eq(ccon_send_flow_slots(f.flow)->rows[0].reserved, 0);
	ccon_send_draft_free(&d);
	fx_stop(&f);
}
END_TEST

START_TEST(csv_seed_example_1)
{
	const char *csv = "contactCode,channelType,nombre,ticket_id,edad\n"
	                  "34666777888,cloud_api,John,5123,30\n"
	                  "34666555666,cloud_api,Jane,5528,25\n"
	                  "34666111222,cloud_api,Alice,4125,28\n";
	const char *layout = "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":"
	                     "\"{{channelType}}\"},\"customFields\":{\"name\":\"{{nombre}}\","
	                     "\"ticketId\":\"{{ticket_id}}\",\"age\":\"{{edad}}\"}}";
	const struct ccon_send_dispatch *res;
	struct ccon_send_draft d;
	struct ccon_layout l;
	struct ccon_error err;
	char path[300];
	int64_t camp;
	struct fx f;
	FILE *fp;

	fx_start(&f);
	camp = create_campaign(&f, "{\"name\":\"c\",\"channel\":\"whatsapp\",\"templateName\":\"t\","
	                           "\"templateBody\":\"{{name}} {{ticketId}} {{age}}\"}");
	snprintf(path, sizeof(path), "%s/example1.csv", f.s.data_dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(csv, fp);
	fclose(fp);
	ccon_send_draft_init(&d, CCON_SEND_KIND_CSV, f.app);
	load_campaign(&f, &d, camp);
	ck_assert_int_eq(ccon_draft_str_set(&d.csv_path, path), 0);
	ck_assert_int_eq(ccon_layout_parse(layout, strlen(layout), &l, &err), 0);
	ck_assert_int_eq(ccon_send_draft_set_layout(&d, &l, &err), 0);
	ccon_layout_free(&l);
	ck_assert_msg(ccon_send_flow_dry_run(f.flow, &d, &err) == 0, "%s", err.message);
	pump(&f);
	ck_assert_int_eq(ccon_send_flow_dry_run_state(f.flow, &err), CCON_FLOW_DONE);
	ck_assert_int_eq(ccon_send_flow_dispatch(f.flow, &d, &err), 0);
	pump(&f);
	res = ccon_send_flow_dispatch_result(f.flow);
	ck_assert_msg(res->state == CCON_FLOW_DONE, "%s", res->err.message);
	ck_assert_int_eq(res->answers[0].accepted, 3);
	ck_assert_int_eq(res->answers[0].rejected, 0);
	ck_assert_int_eq(res->campaign_id, camp);
	ccon_send_draft_free(&d);
	fx_stop(&f);
}
END_TEST

START_TEST(transactional_and_whatsapp)
{
	const struct ccon_send_dispatch *res;
	struct ccon_send_draft d;
	struct ccon_error err;
	int64_t camp;
	size_t i;
	struct fx f;

	fx_start(&f);
	camp = create_campaign(&f, "{\"name\":\"s\",\"channel\":\"sms\",\"templateBody\":"
	                           "\"Code {{code}}\"}");
	ccon_send_draft_init(&d, CCON_SEND_KIND_TRANSACTIONAL, f.app);
	load_campaign(&f, &d, camp);
	ck_assert_int_eq(ccon_send_draft_tx_add(&d, &i), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.tx.contacts[i].e164, "+34666777888"), 0);
	ck_assert_int_eq(ccon_fields_add(&d.tx.contacts[i].custom_fields, "code", "1", 1), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2027-01-04T10:00:00Z"), 0);
	ck_assert_msg(ccon_send_flow_dispatch(f.flow, &d, &err) == 0, "%s", err.message);
	pump(&f);
	res = ccon_send_flow_dispatch_result(f.flow);
	ck_assert_msg(res->state == CCON_FLOW_DONE, "%s", res->err.message);
	ck_assert_int_eq(res->answers[0].accepted, 1);
	ck_assert_int_eq(res->answers[0].send_at_us, us("2027-01-04T10:00:00Z"));
	ccon_send_draft_free(&d);

	ccon_send_draft_init(&d, CCON_SEND_KIND_WHATSAPP, f.app);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.from, "+34600000000"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.to, "+34666777888"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.text, "hola"), 0);
	ck_assert_int_eq(ccon_send_flow_dispatch(f.flow, &d, &err), 0);
	pump(&f);
	res = ccon_send_flow_dispatch_result(f.flow);
	ck_assert_msg(res->state == CCON_FLOW_DONE, "%s", res->err.message);
	ck_assert_ptr_nonnull(res->whatsapp.tracking_id);
	ck_assert_str_ne(res->whatsapp.tracking_id, "");
	ccon_send_draft_free(&d);

	ccon_send_draft_init(&d, CCON_SEND_KIND_ENVELOPE, f.app);
	ck_assert_int_eq(ccon_draft_str_set(&d.envelope.campaign.name, "env"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.envelope.message.message_template, "promo"), 0);
	ck_assert_int_eq(ccon_send_draft_env_add(&d, "+34666777888", NULL), 0);
	ck_assert_int_eq(ccon_send_draft_env_add(&d, "+34666777889", NULL), 0);
	ck_assert_int_eq(ccon_send_flow_dispatch(f.flow, &d, &err), 0);
	pump(&f);
	res = ccon_send_flow_dispatch_result(f.flow);
	ck_assert_msg(res->state == CCON_FLOW_DONE, "%s", res->err.message);
	ck_assert_ptr_nonnull(res->envelope_campaign_id);
	ccon_send_draft_free(&d);
	fx_stop(&f);
}
END_TEST

Suite *ccon_it_suite_send_flow(void)
{
	Suite *s = suite_create("send_flow");
	TCase *tc = tcase_create("flow");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, health_gives_server_time);
	tcase_add_test(tc, plan_fragmented);
	tcase_add_test(tc, plan_immediate_cancel);
	tcase_add_test(tc, plan_deferred);
	tcase_add_test(tc, batches_250_once_even_dispatched_twice);
	tcase_add_test(tc, refused_timing_makes_no_request);
	tcase_add_test(tc, csv_seed_example_1);
	tcase_add_test(tc, transactional_and_whatsapp);
	suite_add_tcase(s, tc);
	return s;
}
