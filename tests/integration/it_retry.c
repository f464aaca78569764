/* retry-failed on the manual clock: which failures a retry takes (the sim
 * driver's classification, or all), the new task it creates and dispatches,
 * campaign counts that take each recipient's latest attempt, the link to
 * the original task in the reads, and the refusals (nothing to retry, a
 * campaign still sending, another application's campaign), none of which
 * writes anything. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	server_create_app(&f->s, "retry", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->keyauth, sizeof(f->keyauth), "Key %s", f->key);
	server_clock(&f->s, f->bearer, "{\"set\":\"" T0 "\"}");
}

static int64_t create_campaign(struct fixture *f)
{
	static const char json[] = "{\"name\":\"c\",\"channel\":\"whatsapp\","
	                           "\"templateName\":\"t\",\"templateBody\":\"Hi {{name}}\"}";
	struct reply r;
	char path[96];
	int64_t id;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	http_call(&f->s, "POST", path, f->bearer, NULL, json, strlen(json), NULL, &r);
	ck_assert_msg(r.status == 201, "campaign: %ld %s", r.status, r.body);
	id = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	return id;
}

/* Sends to "+346660iiiNN" (NN from digits); the task id. */
static int64_t send_to(struct fixture *f, int64_t campaign, const int *digits, int n)
{
	char path[128], *body = malloc(64 + 96 * (size_t)n);
	size_t len;
	struct reply r;
	int64_t task;

	ck_assert_ptr_nonnull(body);
	len = (size_t)sprintf(body, "{\"contacts\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%s{\"contactCode\":\"346660%03d%02d\","
		                       "\"channelType\":\"cloud_api\",\"customFields\":"
		                       "{\"name\":\"Ana\"}}", i ? "," : "", i, digits[i]);
	sprintf(body + len, "]}");
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)f->app, (long long)campaign);
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	free(body);
	ck_assert_msg(r.status == 202, "send: %ld %s", r.status, r.body);
	ck_assert_str_eq(reply_str(&r, "status"), "scheduled");
	task = (int64_t)cJSON_GetObjectItem(r.json, "taskId")->valuedouble;
	reply_free(&r);
	return task;
}

static void slot_capacity(struct fixture *f, int capacity)
{
	char path[96], body[128];
	struct reply r;

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f->app);
	snprintf(body, sizeof(body), "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,"
	         "\"capacity\":%d}", capacity);
	http_call(&f->s, "PUT", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 200, "slots: %ld %s", r.status, r.body);
	reply_free(&r);
}

/* POST .../retry-failed with query (may be ""), as app/bearer. */
static void retry_as(struct fixture *f, int64_t app, const char *bearer, int64_t campaign,
                     const char *query, const char *header, struct reply *r)
{
	char path[160];

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/retry-failed%s",
	         (long long)app, (long long)campaign, query);
	http_call(&f->s, "POST", path, bearer, NULL, NULL, 0, header, r);
}

static void retry(struct fixture *f, int64_t campaign, const char *query, struct reply *r)
{
	retry_as(f, f->app, f->bearer, campaign, query, NULL, r);
}

static int64_t num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	ck_assert_msg(cJSON_IsNumber(v), "no number %s", key);
	return (int64_t)v->valuedouble;
}

/* A 202 retry answer: its task id, after checking counts and link. */
static int64_t expect_retry(const struct reply *r, int64_t retry_of, int recipients,
                            int not_retryable)
{
	ck_assert_msg(r->status == 202, "retry: %ld %s", r->status, r->body);
	ck_assert_str_eq(reply_str(r, "status"), "scheduled");
	ck_assert_ptr_nonnull(reply_str(r, "sendAt"));
	ck_assert_int_eq(num(r->json, "retryOf"), retry_of);
	ck_assert_int_eq(num(r->json, "recipients"), recipients);
	ck_assert_int_eq(num(cJSON_GetObjectItem(r->json, "skipped"), "notRetryable"),
	                 not_retryable);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "dryRun")));
	return num(r->json, "taskId");
}

static void expect_refusal(const struct reply *r, long status, const char *code)
{
	ck_assert_msg(r->status == status, "want %ld, got %ld %s", status, r->status, r->body);
	ck_assert_str_eq(reply_str(r, "code"), code);
}

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

/* The summary counts "pending,processed,received,read,failed,canceled" of
 * the campaign, or of one task (task != 0); total checked against them. */
static void expect_counts(struct fixture *f, int64_t campaign, int64_t task, const char *want)
{
	static const char *const names[] = { "pending", "processed", "received", "read",
	                                     "failed", "canceled" };
	char uri[96], got[128];
	size_t len = 0;
	int64_t total = 0;
	const cJSON *counts;
	cJSON *s;

	if (task)
		snprintf(uri, sizeof(uri), "/campaigns/%lld/summaries?taskId=%lld",
		         (long long)campaign, (long long)task);
	else
		snprintf(uri, sizeof(uri), "/campaigns/%lld/summaries", (long long)campaign);
	s = command_get(f, uri);
	counts = cJSON_GetObjectItem(s, "counts");
	for (int i = 0; i < 6; i++) {
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%lld", i ? "," : "",
		                        (long long)num(counts, names[i]));
		total += num(counts, names[i]);
	}
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(num(counts, "total"), total);
	cJSON_Delete(s);
}

/* Everything the store holds about sends, as one number per table, to
 * check that a refusal wrote nothing. */
static void snapshot(struct fixture *f, int64_t out[4])
{
	out[0] = server_db_intf(&f->s, "SELECT COUNT(*) FROM tasks");
	out[1] = server_db_intf(&f->s, "SELECT COUNT(*) FROM recipients");
	out[2] = server_db_intf(&f->s, "SELECT COUNT(*) FROM recipients WHERE retried");
	out[3] = server_db_intf(&f->s, "SELECT COUNT(*) FROM idempotency");
}

static void expect_unchanged(struct fixture *f, const int64_t before[4])
{
	int64_t now[4];

	snapshot(f, now);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(now[i], before[i]);
}

static int64_t ledger_rows(struct fixture *f, int digits)
{
	return server_db_intf(&f->s, "SELECT COUNT(*) FROM sim_ledger WHERE recipient LIKE '%%%02d'", digits);
}

/* The items of the read head + campaign + tail, under the key `list`. */
static cJSON *items_of(struct fixture *f, const char *head, int64_t campaign, const char *tail,
                       const char *list)
{
	char uri[96];
	cJSON *res, *items;

	snprintf(uri, sizeof(uri), "%s%lld%s", head, (long long)campaign, tail);
	res = command_get(f, uri);
	items = cJSON_DetachItemFromObject(res, list);
	ck_assert_ptr_nonnull(items);
	cJSON_Delete(res);
	return items;
}

static const char *str_or(const cJSON *o, const char *key, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static bool ends_with(const char *s, int digits)
{
	char tail[8];

	snprintf(tail, sizeof(tail), "%02d", digits);
	return strlen(s) >= 2 && strcmp(s + strlen(s) - 2, tail) == 0;
}

/* In items (audience: key "recipient"; report: "recipientIdentity"), the
 * attempts of the recipient ending in NN, as "task:retryOf:status" joined by
 * spaces, in list order ("-" for no retryOf). */
static void attempts(const cJSON *items, const char *key, int digits, char *out, size_t size)
{
	const cJSON *it;
	size_t len = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(it, items) {
		if (!ends_with(str_or(it, key, ""), digits))
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%s:%s:%s", len ? " " : "",
		                        str_or(it, "taskId", "?"), str_or(it, "retryOf", "-"),
		                        str_or(it, "status", "?"));
	}
}

/* ---------------------------------------------------------------- tests */

/* 13 (131026) and 49 (131049) are worth a retry, 50 (131050) is not, 01
 * was delivered. */
static const int mix[] = { 13, 50, 49, 1 };

static int64_t finished_mix(struct fixture *f, int64_t *campaign)
{
	int64_t task;

	*campaign = create_campaign(f);
	task = send_to(f, *campaign, mix, 4);
	server_clock_advance(&f->s, f->bearer, "PT1H");
	expect_counts(f, *campaign, 0, "0,0,0,1,3,0");
	return task;
}

START_TEST(default_retries_worthy_failures_only)
{
	struct fixture f;
	int64_t camp, t1, t2;
	struct reply r;
	char want[96], got[160];
	cJSON *items;

	setup(&f);
	t1 = finished_mix(&f, &camp);
	retry(&f, camp, "", &r);
	t2 = expect_retry(&r, t1, 2, 1);
	ck_assert_int_gt(t2, t1);
	reply_free(&r);

	/* one task, linked; the originals superseded, the attempts linked */
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM tasks WHERE id = %lld AND kind = 'retry' "
	                            "AND retry_of = %lld AND status = 'scheduled'",
	                        (long long)t2, (long long)t1), 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients o JOIN recipients n ON "
	                            "n.retry_of = o.id WHERE o.task_id = %lld AND o.retried AND "
	                            "n.task_id = %lld AND n.recipient = o.recipient AND "
	                            "n.params = o.params AND n.status = 'pending' AND "
	                            "(o.recipient LIKE '%%13' OR o.recipient LIKE '%%49')",
	                        (long long)t1, (long long)t2), 2);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE retried"), 2);
	/* latest attempts: 13 and 49 pending again, still 4 in all */
	expect_counts(&f, camp, 0, "2,0,0,1,1,0");
	expect_counts(&f, camp, t1, "0,0,0,1,3,0");
	expect_counts(&f, camp, t2, "2,0,0,0,0,0");

	/* the next clock step dispatches it: new send keys in the ledger */
	server_clock_advance(&f.s, f.bearer, "PT0S");
	ck_assert_int_eq(ledger_rows(&f, 13), 2);
	ck_assert_int_eq(ledger_rows(&f, 49), 2);
	ck_assert_int_eq(ledger_rows(&f, 50), 1);
	ck_assert_int_eq(ledger_rows(&f, 1), 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(DISTINCT send_key) FROM sim_ledger"), 6);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger l JOIN recipients r ON "
	                            "r.id = l.recipient_id WHERE r.task_id = %lld", (long long)t2),
	                 2);
	expect_counts(&f, camp, 0, "0,1,0,1,2,0");
	server_clock_advance(&f.s, f.bearer, "PT1H");
	/* the sim fails them again, deterministically */
	expect_counts(&f, camp, 0, "0,0,0,1,3,0");
	expect_counts(&f, camp, t1, "0,0,0,1,3,0");
	expect_counts(&f, camp, t2, "0,0,0,0,2,0");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM tasks WHERE status = 'done'"), 2);

	/* the link in the reads: one message per task, both attempts listed */
	items = items_of(&f, "/messages/", camp, "", "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 2);
	ck_assert_str_eq(str_or(cJSON_GetArrayItem(items, 0), "retryOf", "-"), "-");
	snprintf(want, sizeof(want), "%lld", (long long)t1);
	ck_assert_str_eq(str_or(cJSON_GetArrayItem(items, 1), "retryOf", "-"), want);
	cJSON_Delete(items);

	items = items_of(&f, "/audiences/", camp, "", "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 6);
	attempts(items, "recipient", 13, got, sizeof(got));
	snprintf(want, sizeof(want), "%lld:-:failed %lld:%lld:failed", (long long)t1,
	         (long long)t2, (long long)t1);
	ck_assert_str_eq(got, want);
	attempts(items, "recipient", 50, got, sizeof(got));
	snprintf(want, sizeof(want), "%lld:-:failed", (long long)t1);
	ck_assert_str_eq(got, want);
	cJSON_Delete(items);

	items = items_of(&f, "/campaigns/", camp, "/reports", "statusAudience");
	ck_assert_int_eq(cJSON_GetArraySize(items), 6);
	attempts(items, "recipientIdentity", 49, got, sizeof(got));
	snprintf(want, sizeof(want), "%lld:-:failed %lld:%lld:failed", (long long)t1,
	         (long long)t2, (long long)t1);
	ck_assert_str_eq(got, want);
	cJSON_Delete(items);

	/* narrowed to the original task: its rows as they were */
	{
		char uri[96];

		snprintf(uri, sizeof(uri), "/audiences/%lld?taskId=%lld", (long long)camp,
		         (long long)t1);
		items = command_get(&f, uri);
		ck_assert_int_eq(num(items, "total"), 4);
		attempts(cJSON_GetObjectItem(items, "items"), "recipient", 13, got, sizeof(got));
		snprintf(want, sizeof(want), "%lld:-:failed", (long long)t1);
		ck_assert_str_eq(got, want);
		cJSON_Delete(items);
	}
	server_destroy(&f.s);
}
END_TEST

START_TEST(all_retries_every_failure)
{
	struct fixture f;
	int64_t camp, t1, t2;
	struct reply r;

	setup(&f);
	t1 = finished_mix(&f, &camp);
	retry(&f, camp, "?all=true", &r);
	t2 = expect_retry(&r, t1, 3, 0);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "all")));
	reply_free(&r);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE task_id = %lld AND "
	                            "(recipient LIKE '%%13' OR recipient LIKE '%%49' OR "
	                            "recipient LIKE '%%50')", (long long)t2), 3);
	expect_counts(&f, camp, 0, "3,0,0,1,0,0");
	server_clock_advance(&f.s, f.bearer, "PT0S");
	ck_assert_int_eq(ledger_rows(&f, 50), 2);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_counts(&f, camp, 0, "0,0,0,1,3,0");
	/* every failure is a latest attempt again: all=true takes them again */
	retry(&f, camp, "?all=true", &r);
	expect_retry(&r, t2, 3, 0);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(retry_of_a_retry)
{
	struct fixture f;
	int64_t camp, t1, t2, t3;
	struct reply r;
	char want[32];
	cJSON *items;

	setup(&f);
	t1 = finished_mix(&f, &camp);
	retry(&f, camp, "", &r);
	t2 = expect_retry(&r, t1, 2, 1);
	reply_free(&r);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	retry(&f, camp, "", &r);
	t3 = expect_retry(&r, t2, 2, 1);   /* 50 of the first task is still skipped */
	reply_free(&r);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients n JOIN recipients o ON "
	                            "o.id = n.retry_of WHERE n.task_id = %lld AND o.task_id = %lld",
	                        (long long)t3, (long long)t2), 2);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE retried"), 4);
	expect_counts(&f, camp, 0, "2,0,0,1,1,0");
	server_clock_advance(&f.s, f.bearer, "PT1H");
	ck_assert_int_eq(ledger_rows(&f, 13), 3);
	ck_assert_int_eq(ledger_rows(&f, 49), 3);
	expect_counts(&f, camp, 0, "0,0,0,1,3,0");
	items = items_of(&f, "/messages/", camp, "", "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 3);
	snprintf(want, sizeof(want), "%lld", (long long)t2);
	ck_assert_str_eq(str_or(cJSON_GetArrayItem(items, 2), "retryOf", "-"), want);
	cJSON_Delete(items);
	server_destroy(&f.s);
}
END_TEST

START_TEST(nothing_to_retry)
{
	static const int ok[] = { 1, 2 }, opted_out[] = { 50 };
	struct fixture f;
	int64_t camp, before[4];
	struct reply r;

	setup(&f);
	camp = create_campaign(&f);
	send_to(&f, camp, ok, 2);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	snapshot(&f, before);
	retry(&f, camp, "", &r);
	expect_refusal(&r, 409, "nothing_to_retry");
	reply_free(&r);
	retry(&f, camp, "?all=true", &r);
	expect_refusal(&r, 409, "nothing_to_retry");
	reply_free(&r);
	expect_unchanged(&f, before);

	/* only a failure not worth it: refused unless all=true */
	camp = create_campaign(&f);
	send_to(&f, camp, opted_out, 1);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	snapshot(&f, before);
	retry(&f, camp, "", &r);
	expect_refusal(&r, 409, "nothing_to_retry");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "all=true"));
	reply_free(&r);
	retry(&f, camp, "?dryRun=true", &r);
	expect_refusal(&r, 409, "nothing_to_retry");
	reply_free(&r);
	expect_unchanged(&f, before);
	retry(&f, camp, "?all=true", &r);
	ck_assert_int_eq(r.status, 202);
	reply_free(&r);

	/* a campaign never sent */
	camp = create_campaign(&f);
	retry(&f, camp, "?all=true", &r);
	expect_refusal(&r, 409, "nothing_to_retry");
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(other_application_is_not_found)
{
	struct fixture f;
	int64_t camp, other_app, before[4];
	char other_key[64], other_bearer[96];
	struct reply r;

	setup(&f);
	finished_mix(&f, &camp);
	server_create_app(&f.s, "other", &other_app, other_key, sizeof(other_key));
	snprintf(other_bearer, sizeof(other_bearer), "Bearer %s", other_key);
	snapshot(&f, before);
	/* the other application's key, its own path: the campaign is not its */
	retry_as(&f, other_app, other_bearer, camp, "?all=true", NULL, &r);
	expect_refusal(&r, 404, "not_found");
	reply_free(&r);
	/* the other key on the owner's path */
	retry_as(&f, f.app, other_bearer, camp, "?all=true", NULL, &r);
	expect_refusal(&r, 404, "not_found");
	reply_free(&r);
	/* no such campaign; no key */
	retry(&f, camp + 100, "", &r);
	expect_refusal(&r, 404, "not_found");
	reply_free(&r);
	retry_as(&f, f.app, NULL, camp, "", NULL, &r);
	ck_assert_int_eq(r.status, 401);
	reply_free(&r);
	expect_unchanged(&f, before);
	server_destroy(&f.s);
}
END_TEST

START_TEST(running_campaign_is_refused)
{
	static const int d[] = { 13, 49, 1 };
	struct fixture f;
	int64_t camp, t1, before[4];
	struct reply r;

	setup(&f);
	camp = create_campaign(&f);
	t1 = send_to(&f, camp, d, 3);
	server_clock_advance(&f.s, f.bearer, "PT0S");
	/* 13 failed at once; 49 and 01 are with the channel: still running */
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM tasks WHERE id = %lld AND "
	                            "status = 'running'", (long long)t1), 1);
	expect_counts(&f, camp, 0, "0,2,0,0,1,0");
	snapshot(&f, before);
	retry(&f, camp, "", &r);
	expect_refusal(&r, 409, "campaign_not_finished");
	reply_free(&r);
	retry(&f, camp, "?all=true&dryRun=true", &r);
	expect_refusal(&r, 409, "campaign_not_finished");
	reply_free(&r);
	expect_unchanged(&f, before);

	/* once done, the same request goes */
	server_clock_advance(&f.s, f.bearer, "PT1H");
	retry(&f, camp, "", &r);
	expect_retry(&r, t1, 2, 0);
	reply_free(&r);
	/* and while the retry itself is sending, another one waits */
	server_clock_advance(&f.s, f.bearer, "PT0S");
	retry(&f, camp, "", &r);
	expect_refusal(&r, 409, "campaign_not_finished");
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(dry_run_writes_nothing)
{
	struct fixture f;
	int64_t camp, t1, before[4];
	struct reply r;

	setup(&f);
	t1 = finished_mix(&f, &camp);
	snapshot(&f, before);
	retry(&f, camp, "?dryRun=true", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r.json, "taskId")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "dryRun")));
	ck_assert_int_eq(num(r.json, "recipients"), 2);
	ck_assert_int_eq(num(r.json, "retryOf"), t1);
	reply_free(&r);
	retry(&f, camp, "?dryRun=true&all=true", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(num(r.json, "recipients"), 3);
	reply_free(&r);
	expect_unchanged(&f, before);
	expect_counts(&f, camp, 0, "0,0,0,1,3,0");
	server_clock_advance(&f.s, f.bearer, "PT1H");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 4);
	server_destroy(&f.s);
}
END_TEST

START_TEST(idempotency_key_replays)
{
	struct fixture f;
	int64_t camp, t1, t2;
	struct reply r, again;

	setup(&f);
	t1 = finished_mix(&f, &camp);
	retry_as(&f, f.app, f.bearer, camp, "", "Idempotency-Key: retry-1", &r);
	t2 = expect_retry(&r, t1, 2, 1);
	retry_as(&f, f.app, f.bearer, camp, "", "Idempotency-Key: retry-1", &again);
	ck_assert_int_eq(again.status, 202);
	ck_assert_str_eq(again.body, r.body);
	reply_free(&again);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM tasks WHERE retry_of = %lld",
	                        (long long)t1), 1);
	/* the same key for another request */
	retry_as(&f, f.app, f.bearer, camp, "?all=true", "Idempotency-Key: retry-1", &again);
	ck_assert_int_eq(again.status, 422);
	reply_free(&again);
	/* without the key: the worthy failures are already being retried */
	retry(&f, camp, "", &again);
	expect_refusal(&again, 409, "nothing_to_retry");
	reply_free(&again);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM tasks"), 2);
	ck_assert_int_gt(t2, 0);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(retry_is_planned_in_slots)
{
	static const int d[] = { 13, 49, 1 };
	struct fixture f;
	int64_t camp, t1, t2;
	struct reply r;

	setup(&f);
	slot_capacity(&f, 1);
	camp = create_campaign(&f);
	t1 = send_to(&f, camp, d, 3);
	server_clock_advance(&f.s, f.bearer, "PT2H");
	expect_counts(&f, camp, 0, "0,0,0,1,2,0");
	retry(&f, camp, "", &r);
	t2 = expect_retry(&r, t1, 2, 0);
	/* two recipients, one a slot: sliced, like a send */
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "slicing"),
	                                           "activated")));
	reply_free(&r);
	server_clock_advance(&f.s, f.bearer, "PT0S");
	/* started: one recipient in each of two slots, capacity reserved */
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(DISTINCT slot_start_us) FROM recipients WHERE "
	                            "task_id = %lld AND slot_start_us IS NOT NULL", (long long)t2), 2);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT plan IS NOT NULL FROM tasks WHERE id = %lld",
	                        (long long)t2), 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger l JOIN recipients r ON "
	                            "r.id = l.recipient_id WHERE r.task_id = %lld", (long long)t2),
	                 1);
	server_clock_advance(&f.s, f.bearer, "PT15M");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger l JOIN recipients r ON "
	                            "r.id = l.recipient_id WHERE r.task_id = %lld", (long long)t2),
	                 2);
	server_destroy(&f.s);
}
END_TEST

/* Every slot of the next 48 h is taken: the retry is refused with the
 * planner's reason, and nothing is superseded. */
START_TEST(retry_that_cannot_be_placed_is_refused)
{
	static const int failing[] = { 13 };
	struct fixture f;
	int64_t camp, other, before[4];
	int digits[100];
	struct reply r;

	setup(&f);
	camp = create_campaign(&f);
	send_to(&f, camp, failing, 1);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	slot_capacity(&f, 1);
	other = create_campaign(&f);
	for (int i = 0; i < 100; i++)
		digits[i] = 1;
	send_to(&f, other, digits, 100);
	send_to(&f, other, digits, 92);   /* 192 slots of 15 min: 48 h */
	snapshot(&f, before);
	retry(&f, camp, "", &r);
	expect_refusal(&r, 409, "no_slot_capacity");
	reply_free(&r);
	expect_unchanged(&f, before);
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_retry(void)
{
	Suite *s = suite_create("retry");
	TCase *tc = tcase_create("retry-failed");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, default_retries_worthy_failures_only);
	tcase_add_test(tc, all_retries_every_failure);
	tcase_add_test(tc, retry_of_a_retry);
	tcase_add_test(tc, nothing_to_retry);
	tcase_add_test(tc, other_application_is_not_found);
	tcase_add_test(tc, running_campaign_is_refused);
	tcase_add_test(tc, dry_run_writes_nothing);
	tcase_add_test(tc, idempotency_key_replays);
	tcase_add_test(tc, retry_is_planned_in_slots);
	tcase_add_test(tc, retry_that_cannot_be_placed_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
