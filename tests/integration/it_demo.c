/* it_demo.c - `ccond --demo` against the real ccond: the key it prints,
 * campaigns on every channel, sends in every state read back through the
 * REST and seed 002 reads, paging of the big campaign, recipients in every
 * status with reasons, slots, a second run, and the same data every time. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/datetime.h>

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

/* The store as the API left it: a manual clock that nobody moves keeps the
 * dispatcher from sending anything while these tests read. */
static const char *const frozen_clock[] = { "--clock", "manual", NULL };

#define BIG_CAMPAIGN "Black Friday reminder"
#define BIG_TOTAL 2000
#define DEMO_CAMPAIGNS 12

struct demo_app {
	struct server *s;
	int64_t id;
	char key[64];
	char bearer[96];
	char keyauth[96];
};

/* ------------------------------------------------------------ helpers */

static const char *bin(void)
{
	const char *b = getenv("CCOND_BIN");

	ck_assert_msg(b && *b, "CCOND_BIN must name the ccond binary");
	return b;
}

/* `ccond --data-dir DIR --demo`: its one line of output, parsed. */
static void run_demo(struct server *s, struct demo_app *a)
{
	char cmd[512], out[256];
	cJSON *j, *id, *key;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --demo 2>/dev/null", bin(), s->data_dir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	ck_assert_int_eq(pclose(p), 0);
	j = cJSON_Parse(out);
	ck_assert_msg(j != NULL, "--demo printed: %s", out);
	ck_assert_int_eq(cJSON_GetArraySize(j), 2);
	id = cJSON_GetObjectItem(j, "appId");
	key = cJSON_GetObjectItem(j, "apiKey");
	ck_assert(cJSON_IsNumber(id) && id->valuedouble >= 1);
	ck_assert(cJSON_IsString(key) && strncmp(key->valuestring, "ccon_", 5) == 0);
	a->s = s;
	a->id = (int64_t)id->valuedouble;
	snprintf(a->key, sizeof(a->key), "%s", key->valuestring);
	snprintf(a->bearer, sizeof(a->bearer), "Bearer %s", a->key);
	snprintf(a->keyauth, sizeof(a->keyauth), "Key %s", a->key);
	cJSON_Delete(j);
}

/* GET /v1/applications/{app}TAIL with the application's bearer key. */
static void rest_get(const struct demo_app *a, long long app, const char *tail, struct reply *r)
{
	char path[256];

	snprintf(path, sizeof(path), "/v1/applications/%lld%s", app, tail);
	http_call(a->s, "GET", path, a->bearer, NULL, NULL, 0, NULL, r);
}

/* `get URI` through POST /commands; asserts a success. */
static const cJSON *get_cmd(const struct demo_app *a, const char *uri, struct reply *r)
{
	static int seq;
	char body[512];
	const char *status;

	snprintf(body, sizeof(body),
	         "{\"id\":\"demo-%d\",\"to\":\"postmaster@activecampaign.msging.net\","
	         "\"method\":\"get\",\"uri\":\"%s\"}",
	         ++seq, uri);
	http_call(a->s, "POST", "/commands", a->keyauth, NULL, body, strlen(body), NULL, r);
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(r->json);
	status = reply_str(r, "status");
	ck_assert_msg(status && strcmp(status, "success") == 0, "%s: %s", uri, r->body);
	return cJSON_GetObjectItem(r->json, "resource");
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	ck_assert_msg(cJSON_IsNumber(v), "no number '%s'", key);
	return v->valuedouble;
}

/* An ISO 8601 time of the answer in µs; 0 when absent. */
static int64_t time_of(const cJSON *o, const char *key)
{
	const char *s = str_of(o, key);
	struct ccon_error err;
	int64_t us;

	if (!s)
		return 0;
	ccon_error_clear(&err);
	ck_assert_msg(ccon_datetime_parse(s, &us, &err) == 0, "%s: %s", key, s);
	return us;
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The summaries of every campaign (one page holds them all). */
static const cJSON *summaries(const struct demo_app *a, struct reply *r)
{
	const cJSON *res = get_cmd(a, "/campaigns/summaries?$take=100", r);

	ck_assert_int_eq((int)num_of(res, "total"), DEMO_CAMPAIGNS);
	return cJSON_GetObjectItem(res, "items");
}

static const cJSON *by_name(const cJSON *items, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, items)
		if (str_of(it, "name") && strcmp(str_of(it, "name"), name) == 0)
			return it;
	ck_abort_msg("no campaign named '%s'", name);
	return NULL;
}

static const char *id_by_name(const cJSON *items, const char *name)
{
	const char *id = str_of(by_name(items, name), "id");

	ck_assert_ptr_nonnull(id);
	return id;
}

/* ------------------------------------------------------------ tests */

START_TEST(prints_a_working_key_and_campaigns_on_every_channel)
{
	struct server s;
	struct demo_app a;
	struct reply r;
	const cJSON *it, *vars;
	int whatsapp = 0, sms = 0, rcs = 0, with_vars = 0;
	char cmd[512];

	server_start(&s, frozen_clock);
	run_demo(&s, &a);
	rest_get(&a, (long long)a.id, "/campaigns?$take=100", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq((int)num_of(r.json, "total"), DEMO_CAMPAIGNS);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r.json, "items")) {
		const char *ch = str_of(it, "channel");

		ck_assert_ptr_nonnull(ch);
		whatsapp += strcmp(ch, "whatsapp") == 0;
		sms += strcmp(ch, "sms") == 0;
		rcs += strcmp(ch, "rcs") == 0;
		vars = cJSON_GetObjectItem(it, "variables");
		with_vars += cJSON_GetArraySize(vars) > 0;
	}
	ck_assert_int_ge(whatsapp + sms + rcs, 8);
	ck_assert_int_ge(whatsapp, 3);
	ck_assert_int_ge(sms, 2);
	ck_assert_int_ge(rcs, 2);
	ck_assert_int_eq(with_vars, DEMO_CAMPAIGNS);
	reply_free(&r);

	/* a REST WhatsApp template with its variables, and each origin */
	rest_get(&a, (long long)a.id, "/campaigns/2", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(str_of(r.json, "name"), "Delivery updates");
	ck_assert_str_eq(str_of(r.json, "templateName"), "delivery_update");
	ck_assert_ptr_nonnull(strstr(str_of(r.json, "templateBody"), "{{orderId}}"));
	vars = cJSON_GetObjectItem(r.json, "variables");
	ck_assert_int_eq(cJSON_GetArraySize(vars), 4);
	ck_assert_str_eq(cJSON_GetArrayItem(vars, 0)->valuestring, "name");
	ck_assert_str_eq(cJSON_GetArrayItem(vars, 1)->valuestring, "orderId");
	ck_assert_str_eq(str_of(r.json, "origin"), "rest");
	reply_free(&r);

	/* the key belongs to this application only */
	rest_get(&a, (long long)a.id + 1, "/campaigns", &r);
	ck_assert_int_eq(r.status, 404);
	reply_free(&r);

	/* --demo with --create-app is a usage error and creates nothing */
	snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --demo --create-app x >/dev/null 2>&1",
	         bin(), s.data_dir);
	{
		int st = system(cmd);

		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	}
	server_destroy(&s);
}
END_TEST

START_TEST(summaries_show_every_state)
{
	struct server s;
	struct demo_app a;
	struct reply r;
	const cJSON *items, *it, *c;
	const char *want[] = { "scheduled", "running", "done", "canceled", "draft", "new" };
	int64_t now = now_us();
	int64_t total = 0;

	server_start(&s, frozen_clock);
	run_demo(&s, &a);
	items = summaries(&a, &r);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		bool seen = false;

		cJSON_ArrayForEach(it, items)
			seen = seen || strcmp(str_of(it, "status"), want[i]) == 0;
		ck_assert_msg(seen, "no campaign is %s", want[i]);
	}
	cJSON_ArrayForEach(it, items) {
		const char *st = str_of(it, "status");
		int64_t send = time_of(it, "sendDate");

		total += (int64_t)num_of(cJSON_GetObjectItem(it, "counts"), "total");
		if (strcmp(st, "done") == 0 || strcmp(st, "running") == 0)
			ck_assert_msg(send && send < now, "%s: sendDate", str_of(it, "name"));
		if (strcmp(st, "scheduled") == 0) {
			ck_assert_msg(send > now && send < now + 12 * INT64_C(3600000000),
			              "%s: a scheduled send in the next hours", str_of(it, "name"));
			ck_assert_int_eq((int)num_of(cJSON_GetObjectItem(it, "counts"), "pending"),
			                 (int)num_of(cJSON_GetObjectItem(it, "counts"), "total"));
		}
		if (strcmp(st, "canceled") == 0)
			ck_assert_ptr_nonnull(str_of(it, "failedReason"));
		if (strcmp(st, "draft") == 0)
			ck_assert_ptr_null(str_of(it, "sendDate"));
	}
	ck_assert_int_ge(total, BIG_TOTAL + 300);
	ck_assert_int_le(total, BIG_TOTAL + 1500);

	/* the planner's cancel, and the operator's */
	c = by_name(items, "Weekend flash sale");
	ck_assert_str_eq(str_of(c, "status"), "canceled");
	ck_assert_ptr_nonnull(strstr(str_of(c, "failedReason"), "no consecutive slots"));
	ck_assert_int_eq((int)num_of(cJSON_GetObjectItem(c, "counts"), "canceled"), 60);
	c = by_name(items, "Payment overdue notice");
	ck_assert_ptr_nonnull(strstr(str_of(c, "failedReason"), "canceled by delete /campaigns/"));
	/* seed 002 fields and channel names */
	c = by_name(items, "Support ticket follow-up");
	ck_assert_str_eq(str_of(c, "campaignType"), "INDIVIDUAL");
	ck_assert_str_eq(str_of(c, "sourceApplication"), "Desk");
	ck_assert_str_eq(str_of(c, "stateId"), "ticket-followup");
	ck_assert_ptr_nonnull(str_of(c, "flowId"));
	ck_assert_str_eq(str_of(by_name(items, "Store opening \u2014 RCS"), "channelType"),
	                 "GoogleRcs");
	ck_assert_str_eq(str_of(by_name(items, "Delivery updates"), "status"), "running");
	ck_assert_str_eq(str_of(by_name(items, "Dynamic audience (draft)"), "status"), "draft");
	reply_free(&r);

	/* filters work on the demo's data */
	items = cJSON_GetObjectItem(get_cmd(&a, "/campaigns/summaries?sourceApplication=Portal", &r),
	                            "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 2);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(the_big_campaign_pages)
{
	struct server s;
	struct demo_app a;
	struct reply r;
	const cJSON *res, *page;
	char uri[128], first[32], id[32];

	server_start(&s, frozen_clock);
	run_demo(&s, &a);
	snprintf(id, sizeof(id), "%s", id_by_name(summaries(&a, &r), BIG_CAMPAIGN));
	reply_free(&r);

	snprintf(uri, sizeof(uri), "/audiences/%s?$take=100", id);
	res = get_cmd(&a, uri, &r);
	ck_assert_int_eq((int)num_of(res, "total"), BIG_TOTAL);
	page = cJSON_GetObjectItem(res, "items");
	ck_assert_int_eq(cJSON_GetArraySize(page), 100);
	snprintf(first, sizeof(first), "%s", str_of(cJSON_GetArrayItem(page, 0), "recipient"));
	reply_free(&r);

	snprintf(uri, sizeof(uri), "/audiences/%s?$skip=100&$take=100", id);
	page = cJSON_GetObjectItem(get_cmd(&a, uri, &r), "items");
	ck_assert_int_eq(cJSON_GetArraySize(page), 100);
	ck_assert_str_ne(str_of(cJSON_GetArrayItem(page, 0), "recipient"), first);
	reply_free(&r);

	snprintf(uri, sizeof(uri), "/audiences/%s?$skip=1950&$take=100", id);
	res = get_cmd(&a, uri, &r);
	ck_assert_int_eq((int)num_of(res, "total"), BIG_TOTAL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(res, "items")), 50);
	reply_free(&r);

	snprintf(uri, sizeof(uri), "/campaigns/%s/reports?$skip=1900&$take=100", id);
	res = get_cmd(&a, uri, &r);
	ck_assert_int_eq((int)num_of(res, "total"), BIG_TOTAL);
	ck_assert_str_eq(str_of(res, "name"), BIG_CAMPAIGN);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(res, "statusAudience")), 100);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

struct tally {
	int status[6];
	int wa_codes[5];
	int sms_failed, rcs_failed;
};

static const char *const statuses[6] = { "pending", "processed", "received", "read", "failed",
	                                 "canceled" };

static const struct {
	int code;
	const char *description;
} wa_reasons[5] = {
	{ 131026, "Message undeliverable" },
	{ 131047, "Re-engagement message" },
	{ 131049, "Meta chose not to deliver" },
	{ 130429, "Rate limit hit" },
	{ 131050, "User stopped marketing messages" },
};

/* One recipient: its status known, times in order and in the past, the
 * reason on a failure. */
static void check_recipient(const cJSON *it, int64_t now, struct tally *t)
{
	const char *st = str_of(it, "status"), *ch = str_of(it, "channelType");
	int64_t processed = time_of(it, "processed"), received = time_of(it, "received");
	int64_t read = time_of(it, "read"), failed = time_of(it, "failed");
	int i;

	for (i = 0; i < 6 && strcmp(statuses[i], st) != 0; i++)
		;
	ck_assert_msg(i < 6, "unknown status %s", st);
	t->status[i]++;
	ck_assert(processed <= now && received <= now && read <= now && failed <= now);
	if (received)
		ck_assert(processed && processed <= received);
	if (read)
		ck_assert(received && received <= read);
	if (strcmp(st, "pending") == 0 || strcmp(st, "canceled") == 0)
		ck_assert(!processed && !received && !read && !failed);
	if (strcmp(st, "processed") == 0)
		ck_assert(processed && !received && !read && !failed);
	if (strcmp(st, "received") == 0)
		ck_assert(received && !read);
	if (strcmp(st, "read") == 0)
		ck_assert(read);
	if (strcmp(st, "failed") != 0) {
		ck_assert_ptr_null(cJSON_GetObjectItem(it, "reasonCode"));
		return;
	}
	ck_assert(processed && failed && processed <= failed && !received && !read);
	ck_assert_ptr_nonnull(str_of(it, "reasonDescription"));
	if (strcmp(ch, "sms") == 0 || strcmp(ch, "GoogleRcs") == 0) {
		num_of(it, "reasonCode");
		*(strcmp(ch, "sms") == 0 ? &t->sms_failed : &t->rcs_failed) += 1;
		return;
	}
	for (i = 0; i < 5 && wa_reasons[i].code != (int)num_of(it, "reasonCode"); i++)
		;
	ck_assert_msg(i < 5, "unexpected WhatsApp code %d", (int)num_of(it, "reasonCode"));
	ck_assert_str_eq(str_of(it, "reasonDescription"), wa_reasons[i].description);
	t->wa_codes[i]++;
}

START_TEST(recipients_in_every_status_with_reasons)
{
	struct server s;
	struct demo_app a;
	struct reply r, p;
	struct tally t;
	const cJSON *camp, *it, *items;
	int64_t now;

	memset(&t, 0, sizeof(t));
	server_start(&s, frozen_clock);
	run_demo(&s, &a);
	now = now_us();
	items = summaries(&a, &r);
	cJSON_ArrayForEach(camp, items) {
		int total = (int)num_of(cJSON_GetObjectItem(camp, "counts"), "total"), seen = 0;

		for (int skip = 0; skip < total; skip += 100) {
			char uri[128];
			const cJSON *res;

			snprintf(uri, sizeof(uri), "/audiences/%s?$skip=%d&$take=100",
			         str_of(camp, "id"), skip);
			res = get_cmd(&a, uri, &p);
			ck_assert_int_eq((int)num_of(res, "total"), total);
			cJSON_ArrayForEach(it, cJSON_GetObjectItem(res, "items")) {
				check_recipient(it, now, &t);
				seen++;
			}
			reply_free(&p);
		}
		ck_assert_int_eq(seen, total);
	}
	reply_free(&r);
	for (int i = 0; i < 6; i++)
		ck_assert_msg(t.status[i] > 0, "no recipient is %s", statuses[i]);
	for (int i = 0; i < 5; i++)
		ck_assert_msg(t.wa_codes[i] > 0, "no WhatsApp failure %d", wa_reasons[i].code);
	ck_assert_int_gt(t.sms_failed, 0);
	ck_assert_int_gt(t.rcs_failed, 0);
	server_destroy(&s);
}
END_TEST

START_TEST(a_second_run_adds_nothing_and_replaces_the_key)
{
	struct server s;
	struct demo_app a, b;
	struct reply r;
	int64_t other;
	char other_key[64], uri[64];
	const cJSON *items;

	server_start(&s, frozen_clock);
	run_demo(&s, &a);
	run_demo(&s, &b);
	ck_assert_int_eq(a.id, b.id);
	ck_assert_str_ne(a.key, b.key);

	/* the old key is refused on both faces, the new one works */
	rest_get(&a, (long long)a.id, "/campaigns", &r);
	ck_assert_int_eq(r.status, 401);
	reply_free(&r);
	{
		const char *body = "{\"id\":\"1\",\"method\":\"get\",\"uri\":\"/campaigns/summaries\"}";

		http_call(&s, "POST", "/commands", a.keyauth, NULL, body, strlen(body), NULL, &r);
	}
	ck_assert_int_eq(r.status, 401);
	reply_free(&r);
	rest_get(&b, (long long)b.id, "/campaigns", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq((int)num_of(r.json, "total"), DEMO_CAMPAIGNS);
	reply_free(&r);
	items = summaries(&b, &r);
	ck_assert_int_eq((int)num_of(cJSON_GetObjectItem(by_name(items, BIG_CAMPAIGN), "counts"),
	                             "total"),
	                 BIG_TOTAL);
	snprintf(uri, sizeof(uri), "/audiences/%s", id_by_name(items, "Delivery updates"));
	reply_free(&r);

	/* one demo application: another application is a new id and sees none of it */
	server_create_app(&s, "other", &other, other_key, sizeof(other_key));
	ck_assert_int_eq(other, b.id + 1);
	{
		struct demo_app o = { &s, other, "", "", "" };

		snprintf(o.bearer, sizeof(o.bearer), "Bearer %s", other_key);
		snprintf(o.keyauth, sizeof(o.keyauth), "Key %s", other_key);
		rest_get(&o, (long long)other, "/campaigns", &r);
		ck_assert_int_eq((int)num_of(r.json, "total"), 0);
		reply_free(&r);
		{
			char body[256];

			snprintf(body, sizeof(body), "{\"id\":\"2\",\"method\":\"get\",\"uri\":\"%s\"}",
			         uri);
			http_call(&s, "POST", "/commands", o.keyauth, NULL, body, strlen(body), NULL,
			          &r);
			ck_assert_str_eq(reply_str(&r, "status"), "failure");
			reply_free(&r);
		}
	}
	/* and a restart keeps it all */
	server_restart(&s);
	items = summaries(&b, &r);
	ck_assert_str_eq(str_of(by_name(items, "Delivery updates"), "status"), "running");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

/* The slot of the first share of the scheduled send, and its reserved count. */
static void slot_use(const struct demo_app *a, const char *channel, int64_t at, int64_t *reserved,
                     int64_t *sent)
{
	char path[256], when[CCON_DATETIME_FORMAT_MAX];
	const cJSON *slot;
	struct reply r;

	ck_assert_int_gt(ccon_datetime_format(at, when, sizeof(when), NULL), 0);
	snprintf(path, sizeof(path), "/v1/applications/%lld/slots?channel=%s&from=%s",
	         (long long)a->id, channel, when);
	http_call(a->s, "GET", path, a->bearer, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	slot = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "slots"), 0);
	ck_assert_ptr_nonnull(slot);
	*reserved = (int64_t)num_of(slot, "reserved");
	*sent = (int64_t)num_of(slot, "sent");
	reply_free(&r);
}

START_TEST(slots_are_held_and_a_scheduled_demo_send_cancels)
{
	struct server s;
	struct demo_app a;
	struct reply r;
	const cJSON *items, *c;
	int64_t at, reserved, sent;
	char appt[32], running[32], uri[64];

	server_start(&s, frozen_clock);
	run_demo(&s, &a);
	items = summaries(&a, &r);
	/* Black Friday's 2,000 filled two slots of 1,000, all handed over */
	at = time_of(by_name(items, BIG_CAMPAIGN), "sendDate");
	slot_use(&a, "whatsapp", at, &reserved, &sent);
	ck_assert_int_eq(reserved, 1000);
	ck_assert_int_eq(sent, 1000);
	slot_use(&a, "whatsapp", at + 15 * INT64_C(60000000), &reserved, &sent);
	ck_assert_int_eq(reserved, 1000);
	c = by_name(items, "Appointment reminder \u2014 Clinic");
	at = time_of(c, "sendDate");
	snprintf(appt, sizeof(appt), "%s", str_of(c, "id"));
	snprintf(running, sizeof(running), "%s", id_by_name(items, "Delivery updates"));
	reply_free(&r);
	slot_use(&a, "sms", at, &reserved, &sent);
	ck_assert_int_eq(reserved, 45);
	ck_assert_int_eq(sent, 0);

	/* the scheduled send cancels like any other and gives its slot back */
	{
		char body[256];
		const cJSON *res;

		snprintf(body, sizeof(body),
		         "{\"id\":\"d1\",\"method\":\"delete\",\"uri\":\"/campaigns/%s\"}", appt);
		http_call(&s, "POST", "/commands", a.keyauth, NULL, body, strlen(body), NULL, &r);
		ck_assert_str_eq(reply_str(&r, "status"), "success");
		reply_free(&r);
		slot_use(&a, "sms", at, &reserved, &sent);
		ck_assert_int_eq(reserved, 0);
		snprintf(uri, sizeof(uri), "/campaigns/%s/summaries", appt);
		res = get_cmd(&a, uri, &r);
		ck_assert_str_eq(str_of(res, "status"), "canceled");
		ck_assert_int_eq((int)num_of(cJSON_GetObjectItem(res, "counts"), "canceled"), 45);
		reply_free(&r);
		/* a running one cannot be canceled */
		snprintf(body, sizeof(body),
		         "{\"id\":\"d2\",\"method\":\"delete\",\"uri\":\"/campaigns/%s\"}", running);
		http_call(&s, "POST", "/commands", a.keyauth, NULL, body, strlen(body), NULL, &r);
		ck_assert_str_eq(reply_str(&r, "status"), "failure");
		reply_free(&r);
	}
	server_destroy(&s);
}
END_TEST

/* Each campaign's name, status and counts, as one text. */
static char *fingerprint(const struct demo_app *a)
{
	struct reply r;
	const cJSON *it, *items;
	size_t size = 8192, used = 0;
	char *buf = calloc(1, size);

	ck_assert_ptr_nonnull(buf);
	items = summaries(a, &r);
	cJSON_ArrayForEach(it, items) {
		char *counts = cJSON_PrintUnformatted(cJSON_GetObjectItem(it, "counts"));

		used += (size_t)snprintf(buf + used, size - used, "%s|%s|%s\n", str_of(it, "name"),
		                         str_of(it, "status"), counts);
		ck_assert_uint_lt(used, size);
		free(counts);
	}
	reply_free(&r);
	return buf;
}

START_TEST(the_same_data_every_time)
{
	struct server s1, s2;
	struct demo_app a1, a2;
	char *f1, *f2;

	server_start(&s1, frozen_clock);
	server_start(&s2, frozen_clock);
	run_demo(&s1, &a1);
	run_demo(&s2, &a2);
	f1 = fingerprint(&a1);
	f2 = fingerprint(&a2);
	ck_assert_str_eq(f1, f2);
	free(f1);
	free(f2);
	server_destroy(&s1);
	server_destroy(&s2);
}
END_TEST

static sqlite3 *open_store(const struct server *s)
{
	char path[320];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/ccond.db", s->data_dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static int64_t rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

START_TEST(a_failure_half_way_leaves_nothing)
{
	static const char *const tables[] = { "applications", "campaigns", "contacts", "tasks",
		                              "recipients", "slot_use" };
	struct server s;
	struct demo_app a;
	char cmd[512], sql[64];
	sqlite3 *db;
	int st;

	server_start(&s, frozen_clock);
	db = open_store(&s);
	/* the store refuses the 1,500th recipient: the demo is half written then */
	ck_assert_int_eq(sqlite3_exec(db,
	                              "CREATE TRIGGER demo_crash BEFORE INSERT ON recipients WHEN "
	                              "(SELECT COUNT(*) FROM recipients) >= 1499 BEGIN "
	                              "SELECT RAISE(ABORT, 'simulated failure'); END",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --demo >/dev/null 2>&1", bin(), s.data_dir);
	st = system(cmd);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", tables[i]);
		ck_assert_msg(rows(db, sql) == 0, "%s has rows", tables[i]);
	}
	/* once the store takes it, the demo is whole */
	ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER demo_crash", NULL, NULL, NULL), SQLITE_OK);
	run_demo(&s, &a);
	ck_assert_int_eq(rows(db, "SELECT COUNT(*) FROM applications"), 1);
	ck_assert_int_eq(rows(db, "SELECT COUNT(*) FROM campaigns"), DEMO_CAMPAIGNS);
	ck_assert_int_gt(rows(db, "SELECT COUNT(*) FROM recipients"), BIG_TOTAL + 300);
	sqlite3_close(db);
	server_destroy(&s);
}
END_TEST

Suite *ccon_it_suite_demo(void)
{
	Suite *s = suite_create("demo");
	TCase *tc = tcase_create("demo");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, prints_a_working_key_and_campaigns_on_every_channel);
	tcase_add_test(tc, summaries_show_every_state);
	tcase_add_test(tc, the_big_campaign_pages);
	tcase_add_test(tc, recipients_in_every_status_with_reasons);
	tcase_add_test(tc, a_second_run_adds_nothing_and_replaces_the_key);
	tcase_add_test(tc, slots_are_held_and_a_scheduled_demo_send_cancels);
	tcase_add_test(tc, the_same_data_every_time);
	tcase_add_test(tc, a_failure_half_way_leaves_nothing);
	suite_add_tcase(s, tc);
	return s;
}
