/* Dispatch and delivery on the manual clock: sends go out at their time and
 * in their slots, the sim driver's outcomes end each recipient in its one
 * final state, retries back off, a canceled campaign never reaches the
 * driver, and a restart with recipients in flight sends nobody twice.
 * Stored state is read back through /commands and, for the sim driver's
 * ledger, from the SQLite file. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An aligned instant after any real "now", so slots are predictable. */
#define T0 "2027-01-04T09:00:00Z"

struct fixture {
	struct server s;
	int64_t app;
	char key[64];
	char bearer[96];
	char keyauth[96];
};

static const char *const manual[] = { "--clock", "manual", NULL };

static void setup(struct fixture *f)
{
	server_start(&f->s, manual);
	server_create_app(&f->s, "dispatch", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->keyauth, sizeof(f->keyauth), "Key %s", f->key);
	server_clock(&f->s, f->bearer, "{\"set\":\"" T0 "\"}");
}

static int64_t create_campaign(struct fixture *f, const char *channel, const char *body)
{
	struct reply r;
	char path[96], json[512];
	int64_t id;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	snprintf(json, sizeof(json), "{\"name\":\"c\",\"channel\":\"%s\",%s"
	         "\"templateBody\":\"%s\"}", channel,
	         strcmp(channel, "whatsapp") == 0 ? "\"templateName\":\"t\"," : "", body);
	http_call(&f->s, "POST", path, f->bearer, NULL, json, strlen(json), NULL, &r);
	ck_assert_msg(r.status == 201, "campaign: %ld %s", r.status, r.body);
	id = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	return id;
}

/* Sends to the numbers "+346660000NN" (NN from digits), name = value. */
static void send_to(struct fixture *f, int64_t campaign, const int *digits, int n,
                    const char *name, const char *extra)
{
	char path[128], *body = malloc(4096 + strlen(name) * (size_t)n);
	size_t len;
	struct reply r;

	ck_assert_ptr_nonnull(body);
	len = (size_t)sprintf(body, "{\"contacts\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%s{\"contactCode\":\"346660%03d%02d\","
		                       "\"channelType\":\"cloud_api\",\"customFields\":"
		                       "{\"name\":\"%s\"}}", i ? "," : "", i, digits[i], name);
	sprintf(body + len, "]%s}", extra ? extra : "");
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)f->app, (long long)campaign);
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 202, "send: %ld %s", r.status, r.body);
	ck_assert_str_eq(reply_str(&r, "status"), "scheduled");
	reply_free(&r);
	free(body);
}

/* One /commands get; the resource. */
static cJSON *command_get(struct fixture *f, const char *uri)
{
	char body[256];
	struct reply r;
	cJSON *res;

	snprintf(body, sizeof(body), "{\"id\":\"1\",\"to\":\"postmaster@activecampaign.msging.net\","
	         "\"method\":\"get\",\"uri\":\"%s\"}", uri);
	http_call(&f->s, "POST", "/commands", f->keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strcmp(reply_str(&r, "status"), "success") == 0, "%s: %s", uri, r.body);
	res = cJSON_DetachItemFromObject(r.json, "resource");
	reply_free(&r);
	return res;
}

static int count(const cJSON *summary, const char *status)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(summary, "counts"), status);

	ck_assert_msg(cJSON_IsNumber(v), "no count %s", status);
	return v->valueint;
}

/* The campaign's summary counts "pending,processed,received,read,failed,canceled". */
static void expect_counts(struct fixture *f, int64_t campaign, const char *want,
                          const char *status)
{
	static const char *const names[] = { "pending", "processed", "received", "read",
	                                     "failed", "canceled" };
	char uri[64], got[128];
	size_t len = 0;
	int total = 0;
	cJSON *s;

	snprintf(uri, sizeof(uri), "/campaigns/%lld/summaries", (long long)campaign);
	s = command_get(f, uri);
	for (int i = 0; i < 6; i++) {
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%d", i ? "," : "",
		                        count(s, names[i]));
		total += count(s, names[i]);
	}
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(count(s, "total"), total);
	if (status)
		ck_assert_str_eq(cJSON_GetObjectItem(s, "status")->valuestring, status);
	cJSON_Delete(s);
}

/* The audience item of the campaign's recipient ending in NN. */
static cJSON *audience_item(struct fixture *f, int64_t campaign, int digits)
{
	char uri[64], tail[8];
	cJSON *a, *it, *found = NULL;

	snprintf(uri, sizeof(uri), "/audiences/%lld", (long long)campaign);
	snprintf(tail, sizeof(tail), "%02d", digits);
	a = command_get(f, uri);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(a, "items")) {
		const char *r = cJSON_GetObjectItem(it, "recipient")->valuestring;

		if (strcmp(r + strlen(r) - 2, tail) == 0)
			found = cJSON_Duplicate(it, 1);
	}
	cJSON_Delete(a);
	ck_assert_msg(found != NULL, "no recipient ending %s", tail);
	return found;
}

static void expect_item(struct fixture *f, int64_t campaign, int digits, const char *status,
                        int code, const char *description)
{
	cJSON *it = audience_item(f, campaign, digits);
	const cJSON *c = cJSON_GetObjectItem(it, "reasonCode");
	const cJSON *d = cJSON_GetObjectItem(it, "reasonDescription");

	ck_assert_msg(strcmp(cJSON_GetObjectItem(it, "status")->valuestring, status) == 0,
	              "recipient %02d: want %s, got %s", digits, status,
	              cJSON_GetObjectItem(it, "status")->valuestring);
	if (code) {
		ck_assert_msg(cJSON_IsNumber(c) && c->valueint == code, "recipient %02d: code", digits);
		ck_assert_str_eq(d->valuestring, description);
	}
	cJSON_Delete(it);
}

static const char *item_time(const cJSON *it, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(it, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* ---------------------------------------------------------------- the store */

static void db_exec(struct fixture *f, const char *sql)
{
	sqlite3 *db = server_db(&f->s, SQLITE_OPEN_READWRITE);

	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* Ledger rows for recipients ending in NN. */
static int64_t ledger_rows(struct fixture *f, int digits)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM sim_ledger WHERE recipient LIKE '%%%02d'",
	         digits);
	return server_db_int(&f->s, sql);
}

/* ---------------------------------------------------------------- tests */

START_TEST(immediate_send_goes_to_read)
{
	struct fixture f;
	static const int d[] = { 1, 2, 65 };
	int64_t camp;
	cJSON *it;

	setup(&f);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	send_to(&f, camp, d, 3, "Ana", NULL);
	expect_counts(&f, camp, "3,0,0,0,0,0", "scheduled");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 0);

	server_clock_advance(&f.s, f.bearer, "PT0S");
	expect_counts(&f, camp, "0,3,0,0,0,0", "running");
	it = audience_item(&f, camp, 1);
	ck_assert_str_eq(item_time(it, "processed"), T0);
	cJSON_Delete(it);
	/* the message as rendered reached the driver, once */
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE text = 'Hi Ana' AND "
	                            "outcome = 'accepted' AND attempt = 1"), 3);

	server_clock_advance(&f.s, f.bearer, "PT10S");
	expect_counts(&f, camp, "0,0,3,0,0,0", "running");

	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_counts(&f, camp, "0,0,1,2,0,0", "done");
	expect_item(&f, camp, 65, "received", 0, NULL);   /* 60..79 never report read */
	it = audience_item(&f, camp, 2);
	ck_assert_str_eq(cJSON_GetObjectItem(it, "status")->valuestring, "read");
	ck_assert_int_gt(strcmp(item_time(it, "received"), T0), 0);
	ck_assert_int_gt(strcmp(item_time(it, "read"), item_time(it, "received")), 0);
	cJSON_Delete(it);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 3);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM recipients WHERE events IS NOT NULL OR "
	                            "next_event_us IS NOT NULL"), 0);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT events_left FROM tasks"), 0);
	server_destroy(&f.s);
}
END_TEST

START_TEST(whatsapp_failures_and_rate_limit)
{
	struct fixture f;
	static const int d[] = { 13, 50, 47, 49, 29 };
	int64_t camp;
	cJSON *it;

	setup(&f);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	send_to(&f, camp, d, 5, "Bo", NULL);
	server_clock_advance(&f.s, f.bearer, "PT0S");
	expect_item(&f, camp, 13, "failed", 131026, "Message undeliverable");
	expect_item(&f, camp, 50, "failed", 131050, "User stopped marketing messages");
	expect_item(&f, camp, 47, "processed", 0, NULL);
	expect_item(&f, camp, 49, "processed", 0, NULL);
	expect_item(&f, camp, 29, "pending", 0, NULL);    /* 130429: tried again later */
	expect_counts(&f, camp, "1,2,0,0,2,0", "running");

	server_clock_advance(&f.s, f.bearer, "PT1M40S");
	expect_item(&f, camp, 47, "failed", 131047, "Re-engagement message");
	expect_item(&f, camp, 49, "failed", 131049, "Meta chose not to deliver");
	it = audience_item(&f, camp, 47);
	ck_assert_str_eq(item_time(it, "processed"), T0);
	ck_assert_str_eq(item_time(it, "failed"), "2027-01-04T09:00:02Z");
	cJSON_Delete(it);
	/* the rate-limited one: refused twice, taken the third time, backing
	 * off 30 s then 60 s */
	expect_item(&f, camp, 29, "received", 0, NULL);
	ck_assert_int_eq(ledger_rows(&f, 29), 3);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE recipient LIKE '%29' "
	                            "AND outcome = 'failed' AND code = '130429' AND retryable"), 2);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT MAX(at_us) - MIN(at_us) FROM sim_ledger "
	                            "WHERE recipient LIKE '%29'"), 90000000);
	it = audience_item(&f, camp, 29);
	ck_assert_str_eq(item_time(it, "processed"), "2027-01-04T09:01:30Z");
	cJSON_Delete(it);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT attempts FROM recipients WHERE recipient LIKE '%29'"), 3);

	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_counts(&f, camp, "0,0,0,1,4,0", "done");
	server_destroy(&f.s);
}
END_TEST

/* Seed 003: the SMS campaign's send, to +346660000NN. */
static void send_sms(struct fixture *f, int64_t campaign, const int *digits, int n,
                     const char *name)
{
	char *body = malloc(4096 + strlen(name) * (size_t)n);
	size_t len;
	struct reply r;

	ck_assert_ptr_nonnull(body);
	len = (size_t)sprintf(body, "{\"campaignId\":%lld,\"nlsMode\":\"standard\",\"contacts\":[",
	                      (long long)campaign);
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%s{\"e164\":\"+34666000%02d\",\"customFields\":"
		                       "{\"name\":\"%s\"}}", i ? "," : "", digits[i], name);
	sprintf(body + len, "]}");
	http_call(&f->s, "POST", "/v1/campaigns/transactional/send", f->bearer, NULL, body,
	          strlen(body), NULL, &r);
	ck_assert_msg(r.status == 202, "sms send: %ld %s", r.status, r.body);
	reply_free(&r);
	free(body);
}

/* Seed 002: an RCS batch campaign to +346660000NN; its id. */
static int64_t send_rcs(struct fixture *f, const int *digits, int n)
{
	char body[2048];
	size_t len;
	struct reply r;
	int64_t id;

	len = (size_t)snprintf(body, sizeof(body), "{\"id\":\"r\",\"method\":\"set\",\"uri\":"
	                       "\"/campaign/full\",\"type\":\"application/vnd.iris.activecampaign."
	                       "full-campaign+json\",\"resource\":{\"campaign\":{\"name\":\"r\","
	                       "\"campaignType\":\"Batch\",\"channelType\":\"GoogleRcs\"},"
	                       "\"audiences\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len, "%s{\"recipient\":"
		                        "\"+34666000%02d\",\"messageParams\":{\"1\":\"Eva\"}}",
		                        i ? "," : "", digits[i]);
	snprintf(body + len, sizeof(body) - len, "],\"message\":{\"messageContent\":"
	         "\"Hola {{1}}\",\"messageParams\":[\"1\"],\"channelType\":\"GoogleRcs\"}}}");
	http_call(&f->s, "POST", "/commands", f->keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 200 && strcmp(reply_str(&r, "status"), "success") == 0, "%s",
	              r.body);
	id = atoll(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "resource"), "id")->valuestring);
	reply_free(&r);
	return id;
}

START_TEST(sms_and_rcs_outcomes)
{
	struct fixture f;
	static const int d[] = { 1, 13, 47 };
	char long_name[201];
	int64_t sms, rcs;

	setup(&f);
	memset(long_name, 'a', 200);
	long_name[200] = '\0';
	sms = create_campaign(&f, "sms", "Hi {{name}}");
	send_sms(&f, sms, d, 3, long_name);
	rcs = send_rcs(&f, d, 3);
	server_clock_advance(&f.s, f.bearer, "PT2H");
	/* SMS: 203 GSM-7 characters take two segments; SMS never reports read */
	expect_item(&f, sms, 1, "received", 0, NULL);
	expect_item(&f, sms, 13, "failed", 30003, "Unreachable destination handset");
	expect_item(&f, sms, 47, "failed", 30007, "Message filtered by carrier");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT segments FROM recipients r JOIN campaigns c ON "
	                            "c.id = r.campaign_id WHERE c.channel = 'sms' AND "
	                            "r.recipient LIKE '%01'"), 2);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT segments FROM sim_ledger WHERE channel = 'sms' AND "
	                            "recipient LIKE '%01'"), 2);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE channel = 'rcs' AND "
	                            "text = 'Hola Eva'"), 3);
	expect_item(&f, rcs, 1, "read", 0, NULL);
	expect_item(&f, rcs, 13, "failed", 41001, "Device not RCS-capable");
	expect_item(&f, rcs, 47, "failed", 41002, "Message expired before delivery");
	expect_counts(&f, sms, "0,0,1,0,2,0", "done");
	expect_counts(&f, rcs, "0,0,0,1,2,0", "done");
	server_destroy(&f.s);
}
END_TEST

START_TEST(schedule_and_delay_wait_for_their_time)
{
	struct fixture f;
	static const int d[] = { 1 };
	int64_t at, later, quick;
	cJSON *it;

	setup(&f);
	at = create_campaign(&f, "whatsapp", "A {{name}}");
	later = create_campaign(&f, "whatsapp", "B {{name}}");
	quick = create_campaign(&f, "whatsapp", "C {{name}}");
	send_to(&f, at, d, 1, "x", ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
	send_to(&f, later, d, 1, "x", ",\"delay\":\"PT30M\"");
	send_to(&f, quick, d, 1, "x", ",\"delay\":\"PT0.25S\"");

	server_clock_advance(&f.s, f.bearer, "PT0.2S");
	expect_counts(&f, quick, "1,0,0,0,0,0", "scheduled");
	server_clock_advance(&f.s, f.bearer, "PT0.05S");
	expect_counts(&f, quick, "0,1,0,0,0,0", "running");
	it = audience_item(&f, quick, 1);
	ck_assert_str_eq(item_time(it, "processed"), "2027-01-04T09:00:00.250Z");
	cJSON_Delete(it);

	server_clock_advance(&f.s, f.bearer, "PT29M");
	expect_counts(&f, later, "1,0,0,0,0,0", "scheduled");
	expect_counts(&f, at, "1,0,0,0,0,0", "scheduled");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 1);
	/* one jump past both: each goes out at its own time */
	server_clock_advance(&f.s, f.bearer, "PT2H");
	it = audience_item(&f, later, 1);
	ck_assert_str_eq(item_time(it, "processed"), "2027-01-04T09:30:00Z");
	cJSON_Delete(it);
	it = audience_item(&f, at, 1);
	ck_assert_str_eq(item_time(it, "processed"), "2027-01-04T10:00:00Z");
	cJSON_Delete(it);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 3);
	server_destroy(&f.s);
}
END_TEST

START_TEST(sliced_send_goes_slot_by_slot)
{
	struct fixture f;
	static const int d[] = { 1, 2, 3, 4, 5 };
	const char *cfg = "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,\"capacity\":2}";
	char path[96];
	struct reply r;
	int64_t camp;

	setup(&f);
	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f.app);
	http_call(&f.s, "PUT", path, f.bearer, NULL, cfg, strlen(cfg), NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	reply_free(&r);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	send_to(&f, camp, d, 5, "S", NULL);

	server_clock_advance(&f.s, f.bearer, "PT0S");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 2);
	server_clock_advance(&f.s, f.bearer, "PT14M59S");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 2);
	server_clock_advance(&f.s, f.bearer, "PT1S");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 4);
	/* each processed at its slot's start */
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = "
	                            "slot_start_us"), 4);
	server_clock_advance(&f.s, f.bearer, "PT15M");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 5);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(DISTINCT processed_us) FROM recipients"), 3);
	server_clock_advance(&f.s, f.bearer, "PT2H");
	expect_counts(&f, camp, "0,0,0,5,0,0", "done");
	server_destroy(&f.s);
}
END_TEST

START_TEST(capacity_cut_cancels_at_send_time)
{
	struct fixture f;
	static const int d[] = { 1, 2, 3 };
	const char *small = "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,\"capacity\":1}";
	char path[96], uri[64];
	struct reply r;
	int64_t camp;
	cJSON *s;

	setup(&f);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	send_to(&f, camp, d, 3, "x",
	        ",\"scheduleAt\":\"2027-01-04T10:00:00Z\",\"slicingCondition\":"
	        "\"immediateConsecutiveSlots\"");
	/* capacity shrinks after the plan was made: at send time the plan no
	 * longer holds, and the three consecutive slots are still free, so it is
	 * placed again... */
	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f.app);
	http_call(&f.s, "PUT", path, f.bearer, NULL, small, strlen(small), NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	reply_free(&r);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(DISTINCT slot_start_us) FROM recipients"), 3);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 1);
	server_clock_advance(&f.s, f.bearer, "PT3H");
	expect_counts(&f, camp, "0,0,0,3,0,0", "done");
	server_destroy(&f.s);

	/* ...unless another send holds a slot in the way: canceled with the
	 * planner's reason, nobody sent */
	setup(&f);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	send_to(&f, camp, d, 3, "x",
	        ",\"scheduleAt\":\"2027-01-04T10:00:00Z\",\"slicingCondition\":"
	        "\"immediateConsecutiveSlots\"");
	send_to(&f, create_campaign(&f, "whatsapp", "B {{name}}"), d, 1, "y",
	        ",\"scheduleAt\":\"2027-01-04T10:15:00Z\"");
	http_call(&f.s, "PUT", path, f.bearer, NULL, small, strlen(small), NULL, &r);
	reply_free(&r);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_counts(&f, camp, "0,0,0,0,0,3", "canceled");
	snprintf(uri, sizeof(uri), "/campaigns/%lld/summaries", (long long)camp);
	s = command_get(&f, uri);
	ck_assert_msg(cJSON_GetObjectItem(s, "failedReason") != NULL, "no reason: %s",
	              cJSON_PrintUnformatted(s));
	cJSON_Delete(s);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE text LIKE 'Hi%'"), 0);
	server_destroy(&f.s);
}
END_TEST

START_TEST(canceled_campaign_never_reaches_the_driver)
{
	struct fixture f;
	static const int d[] = { 1, 2 };
	char body[256];
	struct reply r;
	int64_t camp, other;

	setup(&f);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	other = create_campaign(&f, "whatsapp", "Yo {{name}}");
	send_to(&f, camp, d, 2, "x", ",\"delay\":\"PT1H\"");
	send_to(&f, other, d, 2, "x", ",\"delay\":\"PT1H\"");
	snprintf(body, sizeof(body), "{\"id\":\"9\",\"method\":\"delete\",\"uri\":\"/campaigns/%lld\"}",
	         (long long)camp);
	http_call(&f.s, "POST", "/commands", f.keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(strcmp(reply_str(&r, "status"), "success") == 0, "%s", r.body);
	reply_free(&r);
	server_clock_advance(&f.s, f.bearer, "PT3H");
	expect_counts(&f, camp, "0,0,0,0,0,2", "canceled");
	expect_counts(&f, other, "0,0,0,2,0,0", "done");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE text LIKE 'Hi%'"), 0);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE text LIKE 'Yo%'"), 2);
	/* a running campaign can no longer be canceled */
	snprintf(body, sizeof(body), "{\"id\":\"9\",\"method\":\"delete\",\"uri\":\"/campaigns/%lld\"}",
	         (long long)other);
	http_call(&f.s, "POST", "/commands", f.keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_str_eq(reply_str(&r, "status"), "failure");
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(restart_sends_nobody_twice)
{
	struct fixture f;
	static const int d[] = { 1, 2, 3, 4 };
	int64_t camp, processed;

	setup(&f);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	send_to(&f, camp, d, 4, "R", NULL);
	server_clock_advance(&f.s, f.bearer, "PT0S");
	processed = server_db_int(&f.s, "SELECT processed_us FROM recipients WHERE recipient LIKE '%01'");
	server_stop(&f.s);
	/* the states a crash can leave: 01 taken by the driver but its answer
	 * never recorded; 02 claimed (key committed) but never handed over */
	db_exec(&f, "UPDATE recipients SET status = 'pending', processed_us = NULL, events = NULL, "
	            "next_event_us = NULL WHERE recipient LIKE '%01' OR recipient LIKE '%02';"
	            "UPDATE tasks SET events_left = events_left - 2;"
	            "UPDATE slot_use SET sent = sent - 2;"
	            "DELETE FROM sim_ledger WHERE recipient LIKE '%02';");
	server_restart(&f.s);
	expect_counts(&f, camp, "2,2,0,0,0,0", "running");
	server_clock_advance(&f.s, f.bearer, "PT1S");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(ledger_rows(&f, d[i]), 1);
	/* 01 keeps the outcome and time the driver gave the first time */
	ck_assert_int_eq(server_db_int(&f.s, "SELECT processed_us FROM recipients WHERE recipient LIKE '%01'"),
	                 processed);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT attempts FROM recipients WHERE recipient LIKE '%01'"), 1);
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM recipients WHERE status = 'pending'"), 0);

	server_restart(&f.s);
	server_clock_advance(&f.s, f.bearer, "PT2H");
	expect_counts(&f, camp, "0,0,0,4,0,0", "done");
	ck_assert_int_eq(server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 4);
	server_destroy(&f.s);
}
END_TEST

START_TEST(real_clock_sends_at_once)
{
	struct fixture f;
	static const int d[] = { 1 };
	int64_t camp;
	int tries = 0;

	server_start(&f.s, NULL);
	server_create_app(&f.s, "dispatch", &f.app, f.key, sizeof(f.key));
	snprintf(f.bearer, sizeof(f.bearer), "Bearer %s", f.key);
	snprintf(f.keyauth, sizeof(f.keyauth), "Key %s", f.key);
	camp = create_campaign(&f, "whatsapp", "Hi {{name}}");
	send_to(&f, camp, d, 1, "now", ",\"delay\":\"PT0.25S\"");
	while (server_db_int(&f.s, "SELECT COUNT(*) FROM sim_ledger") == 0 && tries++ < 40) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	ck_assert_int_lt(tries, 40);
	/* not before its time */
	ck_assert_int_ge(server_db_int(&f.s, "SELECT processed_us - t.send_at_us FROM recipients r JOIN "
	                            "tasks t ON t.id = r.task_id"), 0);
	expect_counts(&f, camp, "0,1,0,0,0,0", "running");
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_dispatch(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create("dispatch");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, immediate_send_goes_to_read);
	tcase_add_test(tc, whatsapp_failures_and_rate_limit);
	tcase_add_test(tc, sms_and_rcs_outcomes);
	tcase_add_test(tc, schedule_and_delay_wait_for_their_time);
	tcase_add_test(tc, sliced_send_goes_slot_by_slot);
	tcase_add_test(tc, capacity_cut_cancels_at_send_time);
	tcase_add_test(tc, canceled_campaign_never_reaches_the_driver);
	tcase_add_test(tc, restart_sends_nobody_twice);
	tcase_add_test(tc, real_clock_sends_at_once);
	suite_add_tcase(s, tc);
	return s;
}
