/* Seed 000 JSON sends through the real ccond: validation with paths, the
 * timing rules, duplicates, dry runs, idempotency, slicing plans, limits. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fixture {
	struct server s;
	int64_t app;
	char key[64];
	char auth[80];
	int64_t campaign;
	char send_path[128];
};

static int64_t create_campaign(struct fixture *f, const char *body)
{
	struct reply r;
	char path[96];
	int64_t id;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	http_call(&f->s, "POST", path, f->auth, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 201, "campaign create: %ld %s", r.status, r.body);
	id = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	return id;
}

static void setup(struct fixture *f, const char *const *args)
{
	server_start(&f->s, args);
	server_create_app(&f->s, "sender", &f->app, f->key, sizeof(f->key));
	snprintf(f->auth, sizeof(f->auth), "Bearer %s", f->key);
	f->campaign = create_campaign(f, "{\"name\":\"promo\",\"channel\":\"whatsapp\","
	                                 "\"templateName\":\"promo_v1\","
	                                 "\"templateBody\":\"Hi {{name}}, ticket {{ticketId}}\"}");
	snprintf(f->send_path, sizeof(f->send_path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)f->app, (long long)f->campaign);
}

static void send(struct fixture *f, const char *query, const char *body, const char *header,
                 struct reply *r)
{
	char path[192];

	snprintf(path, sizeof(path), "%s%s", f->send_path, query ? query : "");
	http_call(&f->s, "POST", path, f->auth, NULL, body, strlen(body), header, r);
}

static const char *contact(int i)
{
	static char buf[8][160];
	char *b = buf[i % 8];

	snprintf(b, sizeof(buf[0]), "{\"contactCode\":\"3466600%04d\",\"channelType\":\"cloud_api\","
	         "\"customFields\":{\"name\":\"N%d\",\"ticketId\":\"%d\"}}", i, i, i);
	return b;
}

/* {"contacts":[c0..cn-1] + extra} */
static char *contacts_body(int n, const char *extra)
{
	size_t cap = (size_t)n * 160 + 256 + (extra ? strlen(extra) : 0);
	char *b = malloc(cap);
	size_t len;

	ck_assert_ptr_nonnull(b);
	len = (size_t)snprintf(b, cap, "{\"contacts\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(b + len, cap - len, "%s%s", i ? "," : "", contact(i));
	snprintf(b + len, cap - len, "]%s}", extra ? extra : "");
	return b;
}

static double num(const cJSON *obj, const char *path)
{
	char buf[128], *tok, *save = NULL;
	const cJSON *n = obj;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && n; tok = strtok_r(NULL, ".", &save))
		n = cJSON_GetObjectItemCaseSensitive(n, tok);
	ck_assert_msg(cJSON_IsNumber(n), "no number at %s", path);
	return n->valuedouble;
}

static void expect_error(struct reply *r, long status, const char *code, const char *path)
{
	const char *p = reply_str(r, "path");

	ck_assert_msg(r->status == status, "want %ld, got %ld: %s", status, r->status, r->body);
	ck_assert_msg(reply_str(r, "code") && strcmp(reply_str(r, "code"), code) == 0,
	              "want code %s: %s", code, r->body);
	if (path)
		ck_assert_msg(p && strcmp(p, path) == 0, "want path %s: %s", path, r->body);
}

/* The path of the first item of an error list answer. */
static const char *first_error_path(const struct reply *r)
{
	const cJSON *errs = cJSON_GetObjectItem(r->json, "errors");
	const cJSON *p = cJSON_GetObjectItem(cJSON_GetArrayItem(errs, 0), "path");

	return cJSON_IsString(p) ? p->valuestring : "";
}

START_TEST(send_is_accepted_and_planned)
{
	struct fixture f;
	struct reply r;
	char *body = contacts_body(3, NULL);
	const cJSON *plan;

	setup(&f, NULL);
	send(&f, NULL, body, NULL, &r);
	ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
	ck_assert_int_ge(num(r.json, "taskId"), 1);
	ck_assert_int_eq(num(r.json, "campaignId"), f.campaign);
	ck_assert_str_eq(reply_str(&r, "status"), "scheduled");
	ck_assert_str_eq(reply_str(&r, "timing"), "now");
	ck_assert_int_eq(num(r.json, "recipients.accepted"), 3);
	ck_assert_int_eq(num(r.json, "recipients.duplicates"), 0);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "slicing"), "activated")));
	plan = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "slicing"), "plan");
	ck_assert_int_eq(cJSON_GetArraySize(plan), 1);
	ck_assert_int_eq(num(cJSON_GetArrayItem(plan, 0), "count"), 3);
	reply_free(&r);
	free(body);
	server_destroy(&f.s);
}
END_TEST

START_TEST(contacts_are_validated_with_paths)
{
	struct fixture f;
	struct reply r;
	char *body;

	setup(&f, NULL);
	send(&f, NULL, "{\"contacts\":[]}", NULL, &r);
	expect_error(&r, 400, "contacts_count", "contacts");
	reply_free(&r);
	body = contacts_body(101, NULL);
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 400, "contacts_count", "contacts");
	reply_free(&r);
	free(body);
	send(&f, NULL, "{\"contacts\":[{\"contactCode\":\"34666000001\",\"channelType\":\"sms\"}]}",
	     NULL, &r);
	expect_error(&r, 400, "invalid_channel_type", "contacts[0].channelType");
	reply_free(&r);
	send(&f, NULL, "{\"contacts\":[{\"contactCode\":\"34666000001\",\"channelType\":\"cloud_api\","
	               "\"customFields\":{\"bad-name\":\"x\"}}]}", NULL, &r);
	expect_error(&r, 400, "invalid_custom_field_name", NULL);
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "path"), "contacts[0].customFields"));
	reply_free(&r);
	send(&f, NULL, "{\"contacts\":[{\"contactCode\":\"34666000001\",\"channelType\":\"cloud_api\","
	               "\"customFields\":{\"age\":[1]}}]}", NULL, &r);
	expect_error(&r, 400, "wrong_type", "contacts[0].customFields.age");
	reply_free(&r);
	/* a phone number that is not one, and a missing template variable */
	body = contacts_body(2, NULL);
	memcpy(strstr(body, "34666000001"), "99966600000", 11);
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 400, "phone_unknown_country_code", "contacts[1].contactCode");
	reply_free(&r);
	free(body);
	send(&f, NULL, "{\"contacts\":[{\"contactCode\":\"34666000001\",\"channelType\":\"cloud_api\","
	               "\"customFields\":{\"name\":\"x\"}}]}", NULL, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(first_error_path(&r), "contacts[0].customFields");
	ck_assert_ptr_nonnull(strstr(r.body, "ticketId"));
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

static void iso(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

START_TEST(timing_rules)
{
	struct fixture f;
	struct reply r;
	char extra[256], when[32], *body;

	setup(&f, NULL);
	body = contacts_body(1, ",\"scheduleAt\":\"2030-01-01T00:00:00Z\",\"delay\":\"PT1H\"");
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 400, "schedule_and_delay", "delay");
	reply_free(&r);
	free(body);
	iso(time(NULL) - 3600, when, sizeof(when));
	snprintf(extra, sizeof(extra), ",\"scheduleAt\":\"%s\"", when);
	body = contacts_body(1, extra);
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 400, "send_time_in_past", "scheduleAt");
	reply_free(&r);
	free(body);
	iso(time(NULL) + 100 * 86400, when, sizeof(when));
	snprintf(extra, sizeof(extra), ",\"scheduleAt\":\"%s\"", when);
	body = contacts_body(1, extra);
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 400, "send_time_too_far", "scheduleAt");
	reply_free(&r);
	free(body);
	body = contacts_body(1, ",\"delay\":\"P1W2D\"");
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 400, "duration_week_mixed", "delay");
	reply_free(&r);
	free(body);
	body = contacts_body(1, ",\"slicingCondition\":\"sometimesSlots\"");
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 400, "unknown_slicing_condition", "slicingCondition");
	reply_free(&r);
	free(body);
	body = contacts_body(1, ",\"delay\":\"PT30M50.5S\"");
	send(&f, NULL, body, NULL, &r);
	ck_assert_msg(r.status == 202, "%s", r.body);
	ck_assert_str_eq(reply_str(&r, "timing"), "delay");
	reply_free(&r);
	free(body);
	server_destroy(&f.s);
}
END_TEST

START_TEST(bad_requests_say_what_and_where)
{
	static const char *const small_body[] = { "--max-body", "2048", NULL };
	struct fixture f;
	struct reply r;
	char path[160], *body;
	int64_t other_app;
	char other_key[64], other_auth[80];

	setup(&f, small_body);
	send(&f, NULL, "{\"contacts\": [\n {\"contactCode\": }\n]}", NULL, &r);
	expect_error(&r, 400, "invalid_json", NULL);
	ck_assert_int_eq(num(r.json, "line"), 2);
	reply_free(&r);
	http_call(&f.s, "POST", f.send_path, f.auth, "text/plain", "x", 1, NULL, &r);
	expect_error(&r, 415, "unsupported_content_type", NULL);
	reply_free(&r);
	body = contacts_body(40, NULL);
	send(&f, NULL, body, NULL, &r);
	expect_error(&r, 413, "body_too_large", NULL);
	reply_free(&r);
	free(body);
	http_call(&f.s, "POST", f.send_path, NULL, NULL, "{}", 2, NULL, &r);
	expect_error(&r, 401, "unauthorized", NULL);
	reply_free(&r);
	http_call(&f.s, "POST", f.send_path, "Bearer ccon_0000", NULL, "{}", 2, NULL, &r);
	expect_error(&r, 401, "unauthorized", NULL);
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/999/send", (long long)f.app);
	http_call(&f.s, "POST", path, f.auth, NULL, "{}", 2, NULL, &r);
	expect_error(&r, 404, "not_found", "campaignId");
	reply_free(&r);
	/* another application: its key cannot reach this campaign at all */
	server_create_app(&f.s, "other", &other_app, other_key, sizeof(other_key));
	snprintf(other_auth, sizeof(other_auth), "Bearer %s", other_key);
	body = contacts_body(1, NULL);
	http_call(&f.s, "POST", f.send_path, other_auth, NULL, body, strlen(body), NULL, &r);
	expect_error(&r, 404, "not_found", NULL);
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)other_app, (long long)f.campaign);
	http_call(&f.s, "POST", path, other_auth, NULL, body, strlen(body), NULL, &r);
	expect_error(&r, 404, "not_found", "campaignId");
	reply_free(&r);
	free(body);
	server_destroy(&f.s);
}
END_TEST

START_TEST(duplicates_are_dropped_and_counted)
{
	struct fixture f;
	struct reply r;
	char body[4096];

	setup(&f, NULL);
	snprintf(body, sizeof(body), "{\"contacts\":[%s,%s,%s]}", contact(1), contact(2), contact(3));
	/* the third is the first again */
	memcpy(strstr(body, "34666000003"), "34666000001", 11);
	memcpy(strstr(body, "\"N3\""), "\"N1\"", 4);
	memcpy(strstr(body, "\"3\"}"), "\"1\"}", 3);
	send(&f, NULL, body, NULL, &r);
	ck_assert_msg(r.status == 202, "%s", r.body);
	ck_assert_int_eq(num(r.json, "recipients.accepted"), 2);
	ck_assert_int_eq(num(r.json, "recipients.duplicates"), 1);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

static double reserved_now(struct fixture *f)
{
	struct reply r;
	char path[96];
	double v;

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots", (long long)f->app);
	http_call(&f->s, "GET", path, f->auth, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	v = num(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "slots"), 0), "reserved");
	reply_free(&r);
	return v;
}

START_TEST(dry_run_creates_nothing)
{
	struct fixture f;
	struct reply r;
	char *body = contacts_body(4, NULL);

	setup(&f, NULL);
	send(&f, "?dryRun=true", body, "Idempotency-Key: dry-1", &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r.json, "taskId")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "dryRun")));
	ck_assert_int_eq(num(r.json, "recipients.accepted"), 4);
	reply_free(&r);
	ck_assert_int_eq(reserved_now(&f), 0);
	/* the dry run did not use up the key either */
	send(&f, NULL, body, "Idempotency-Key: dry-1", &r);
	ck_assert_int_eq(r.status, 202);
	reply_free(&r);
	ck_assert_int_eq(reserved_now(&f), 4);
	free(body);
	server_destroy(&f.s);
}
END_TEST

START_TEST(idempotency_key_sends_once)
{
	struct fixture f;
	struct reply a, b;
	char *body = contacts_body(2, NULL), *other = contacts_body(3, NULL);

	setup(&f, NULL);
	send(&f, NULL, body, "Idempotency-Key: order-17", &a);
	ck_assert_int_eq(a.status, 202);
	send(&f, NULL, body, "Idempotency-Key: order-17", &b);
	ck_assert_int_eq(b.status, 202);
	ck_assert_str_eq(a.body, b.body);
	reply_free(&b);
	server_restart(&f.s);
	send(&f, NULL, body, "Idempotency-Key: order-17", &b);
	ck_assert_str_eq(a.body, b.body);
	reply_free(&b);
	ck_assert_int_eq(reserved_now(&f), 2);
	send(&f, NULL, other, "Idempotency-Key: order-17", &b);
	expect_error(&b, 422, "conflict", "Idempotency-Key");
	reply_free(&b);
	send(&f, NULL, body, "Idempotency-Key: order-18", &b);
	ck_assert_int_eq(b.status, 202);
	ck_assert_int_ne(num(a.json, "taskId"), num(b.json, "taskId"));
	reply_free(&b);
	send(&f, NULL, body, "Idempotency-Key: bad key", &b);
	expect_error(&b, 400, "invalid_value", "Idempotency-Key");
	reply_free(&b);
	reply_free(&a);
	free(body);
	free(other);
	server_destroy(&f.s);
}
END_TEST

static void set_capacity(struct fixture *f, int capacity)
{
	struct reply r;
	char path[96], body[128];

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f->app);
	snprintf(body, sizeof(body),
	         /* any letter case; the capacity must then bind the whatsapp campaign */
	         "{\"channel\":\"WhatsApp\",\"slotLengthSeconds\":900,\"capacity\":%d}", capacity);
	http_call(&f->s, "PUT", path, f->auth, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	reply_free(&r);
}

START_TEST(slicing_plans_and_cancels)
{
	struct fixture f;
	struct reply r;
	const cJSON *s, *plan;
	char *body, extra[160], when[32];
	time_t next_slot = (time(NULL) / 900 + 1) * 900;

	setup(&f, NULL);
	set_capacity(&f, 2);
	body = contacts_body(5, NULL);
	send(&f, "?dryRun=true", body, NULL, &r);
	s = cJSON_GetObjectItem(r.json, "slicing");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(s, "activated")));
	plan = cJSON_GetObjectItem(s, "plan");
	ck_assert_int_eq(cJSON_GetArraySize(plan), 3);
	ck_assert_int_eq(num(cJSON_GetArrayItem(plan, 2), "count"), 1);
	reply_free(&r);
	free(body);
	/* fill the next slot, then an immediate-consecutive send cannot run on */
	iso(next_slot + 60, when, sizeof(when));
	snprintf(extra, sizeof(extra), ",\"scheduleAt\":\"%s\"", when);
	body = contacts_body(2, extra);
	send(&f, NULL, body, NULL, &r);
	ck_assert_msg(r.status == 202, "%s", r.body);
	reply_free(&r);
	free(body);
	body = contacts_body(5, ",\"slicingCondition\":\"immediateConsecutiveSlots\"");
	send(&f, NULL, body, NULL, &r);
	ck_assert_msg(r.status == 202, "%s", r.body);
	ck_assert_str_eq(reply_str(&r, "status"), "canceled");
	s = cJSON_GetObjectItem(r.json, "slicing");
	ck_assert_str_eq(cJSON_GetObjectItem(s, "cancelCode")->valuestring, "no_consecutive_slots");
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(s, "cancelReason"));
	reply_free(&r);
	free(body);
	body = contacts_body(5, ",\"slicingCondition\":\"fragmentedSlots\"");
	send(&f, NULL, body, NULL, &r);
	ck_assert_str_eq(reply_str(&r, "status"), "scheduled");
	plan = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "slicing"), "plan");
	ck_assert_int_eq(cJSON_GetArraySize(plan), 3);
	reply_free(&r);
	free(body);
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_send(void)
{
	Suite *s = suite_create("send");
	TCase *tc = tcase_create("json");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, send_is_accepted_and_planned);
	tcase_add_test(tc, contacts_are_validated_with_paths);
	tcase_add_test(tc, timing_rules);
	tcase_add_test(tc, bad_requests_say_what_and_where);
	tcase_add_test(tc, duplicates_are_dropped_and_counted);
	tcase_add_test(tc, dry_run_creates_nothing);
	tcase_add_test(tc, idempotency_key_sends_once);
	tcase_add_test(tc, slicing_plans_and_cancels);
	suite_add_tcase(s, tc);
	return s;
}
