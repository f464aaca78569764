/* REST campaigns against the real ccond: create, list and read back, the
 * body rules with their codes and paths, auth, isolation between
 * applications, paging, restart and idempotent creation. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/datetime.h>
#include <ccon/strbuf.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct app {
	int64_t id;
	char key[96];
	char auth[128];
	char path[96];          /* /v1/applications/{id}/campaigns */
};

static void app_create(const struct server *s, const char *name, struct app *a)
{
	server_create_app(s, name, &a->id, a->key, sizeof(a->key));
	snprintf(a->auth, sizeof(a->auth), "Bearer %s", a->key);
	snprintf(a->path, sizeof(a->path), "/v1/applications/%lld/campaigns", (long long)a->id);
}

static void post(const struct server *s, const struct app *a, const char *body,
                 const char *header, struct reply *r)
{
	http_call(s, "POST", a->path, a->auth, NULL, body, strlen(body), header, r);
}

static void get(const struct server *s, const char *auth, const char *path, struct reply *r)
{
	http_call(s, "GET", path, auth, NULL, NULL, 0, NULL, r);
}

static int64_t num(const struct reply *r, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(r->json, key);

	ck_assert_msg(cJSON_IsNumber(n), "no number %s in %s", key, r->body);
	return (int64_t)n->valuedouble;
}

static int64_t create(const struct server *s, const struct app *a, const char *body)
{
	struct reply r;
	int64_t id;

	post(s, a, body, NULL, &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	id = num(&r, "id");
	reply_free(&r);
	return id;
}

static void expect_error(const struct reply *r, long status, const char *code, const char *path)
{
	const char *p = reply_str(r, "path");

	ck_assert_msg(r->status == status, "status %ld, expected %ld: %s", r->status, status, r->body);
	ck_assert_msg(reply_str(r, "code") && strcmp(reply_str(r, "code"), code) == 0,
	              "expected %s: %s", code, r->body);
	ck_assert_ptr_nonnull(reply_str(r, "message"));
	if (path)
		ck_assert_msg(p && strcmp(p, path) == 0, "expected path %s: %s", path, r->body);
}

static int64_t list_total(const struct server *s, const struct app *a)
{
	struct reply r;
	int64_t total;

	get(s, a->auth, a->path, &r);
	ck_assert_int_eq(r.status, 200);
	total = num(&r, "total");
	reply_free(&r);
	return total;
}

static const char *item_str(const cJSON *item, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void assert_strings(const cJSON *arr, const char *const *want, size_t n)
{
	ck_assert_msg(cJSON_IsArray(arr), "not an array");
	ck_assert_int_eq(cJSON_GetArraySize(arr), (int)n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(cJSON_GetArrayItem(arr, (int)i)->valuestring, want[i]);
}

#define FULL_BODY \
	"{\"name\":\"Black Friday \xc3\xb1\",\"channel\":\"WhatsApp\",\"campaignType\":\"individual\"," \
	"\"templateName\":\"bf_2025\",\"templateBody\":\"Hola {{name}}, {{discount}}% off {{name}}\"," \
	"\"language\":\"pt_BR\",\"flowId\":\"flow-1\",\"stateId\":\"state-1\"," \
	"\"masterState\":\"master@msging.net\",\"sourceApplication\":\"crm\"," \
	"\"campaignSender\":\"ana@example.com\",\"tags\":[\"promo\",\"q4\"]}"

static void assert_full(const cJSON *c, int64_t id, int64_t before_us)
{
	static const char *const tags[] = { "promo", "q4" };
	static const char *const vars[] = { "name", "discount" };
	int64_t created;

	ck_assert_int_eq((int64_t)cJSON_GetObjectItem(c, "id")->valuedouble, id);
	ck_assert_str_eq(item_str(c, "name"), "Black Friday \xc3\xb1");
	ck_assert_str_eq(item_str(c, "channel"), "whatsapp");
	ck_assert_str_eq(item_str(c, "campaignType"), "Individual");
	ck_assert_str_eq(item_str(c, "templateName"), "bf_2025");
	ck_assert_str_eq(item_str(c, "templateBody"), "Hola {{name}}, {{discount}}% off {{name}}");
	ck_assert_str_eq(item_str(c, "language"), "pt_BR");
	ck_assert_str_eq(item_str(c, "flowId"), "flow-1");
	ck_assert_str_eq(item_str(c, "stateId"), "state-1");
	ck_assert_str_eq(item_str(c, "masterState"), "master@msging.net");
	ck_assert_str_eq(item_str(c, "sourceApplication"), "crm");
	ck_assert_str_eq(item_str(c, "campaignSender"), "ana@example.com");
	assert_strings(cJSON_GetObjectItem(c, "tags"), tags, 2);
	assert_strings(cJSON_GetObjectItem(c, "variables"), vars, 2);
	ck_assert_ptr_null(cJSON_GetObjectItem(c, "templateParams"));
	ck_assert_str_eq(item_str(c, "origin"), "rest");
	ck_assert_int_eq(ccon_datetime_parse(item_str(c, "created"), &created, NULL), 0);
	ck_assert_int_ge(created, before_us);
	ck_assert_int_le(created, before_us + 60 * CCON_US_PER_SECOND);
	ck_assert_ptr_nonnull(strchr(item_str(c, "created"), 'Z'));
}

static int64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

START_TEST(create_list_get_round_trip)
{
	struct server s;
	struct app a;
	struct reply r, one;
	char path[128];
	int64_t id, before = wall_us() / 1000000 * 1000000;
	const cJSON *items;

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	post(&s, &a, FULL_BODY, NULL, &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	id = num(&r, "id");
	ck_assert_int_ge(id, 1);
	assert_full(r.json, id, before);

	snprintf(path, sizeof(path), "%s/%lld", a.path, (long long)id);
	get(&s, a.auth, path, &one);
	ck_assert_int_eq(one.status, 200);
	assert_full(one.json, id, before);
	ck_assert_str_eq(one.body, r.body);   /* the same representation everywhere */

	reply_free(&r);
	get(&s, a.auth, a.path, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(num(&r, "total"), 1);
	ck_assert_int_eq(num(&r, "skip"), 0);
	ck_assert_int_eq(num(&r, "take"), 50);
	items = cJSON_GetObjectItem(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 1);
	assert_full(cJSON_GetArrayItem(items, 0), id, before);
	reply_free(&r);
	reply_free(&one);
	server_destroy(&s);
}
END_TEST

START_TEST(defaults_and_template_params)
{
	static const char *const params[] = { "first_name", "code" };
	static const char *const sms_vars[] = { "code" };
	struct server s;
	struct app a;
	struct reply r;

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	post(&s, &a, "{\"name\":\"otp\",\"channel\":\"SMS\",\"templateBody\":\"Code: {{code}}\"}",
	     NULL, &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(reply_str(&r, "channel"), "sms");
	ck_assert_str_eq(reply_str(&r, "campaignType"), "Batch");
	ck_assert_ptr_null(reply_str(&r, "templateName"));
	ck_assert_ptr_null(reply_str(&r, "language"));
	assert_strings(cJSON_GetObjectItem(r.json, "tags"), NULL, 0);
	assert_strings(cJSON_GetObjectItem(r.json, "variables"), sms_vars, 1);
	reply_free(&r);
	post(&s, &a, "{\"name\":\"wa\",\"channel\":\"whatsapp\",\"templateName\":\"hello_v2\","
	             "\"templateParams\":[\"first_name\",\"code\"]}", NULL, &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	assert_strings(cJSON_GetObjectItem(r.json, "templateParams"), params, 2);
	assert_strings(cJSON_GetObjectItem(r.json, "variables"), params, 2);
	reply_free(&r);
	post(&s, &a, "{\"name\":\"rich\",\"channel\":\"rcs\",\"templateBody\":\"Hi\"}", NULL, &r);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(reply_str(&r, "channel"), "rcs");
	assert_strings(cJSON_GetObjectItem(r.json, "variables"), NULL, 0);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

static const struct bad_case {
	const char *body;
	const char *code;
	const char *path;
	long column;            /* 0: not checked */
} bad_cases[] = {
	{ "{\"channel\":\"sms\",\"templateBody\":\"x\"}", "missing_field", "name", 0 },
	{ "{\"name\":\"\",\"channel\":\"sms\",\"templateBody\":\"x\"}", "invalid_length", "name", 0 },
	{ "{\"name\":42,\"channel\":\"sms\",\"templateBody\":\"x\"}", "wrong_type", "name", 0 },
	{ "{\"name\":\"n\",\"channel\":\"email\",\"templateBody\":\"x\"}", "invalid_value", "channel",
	  0 },
	{ "{\"name\":\"n\",\"templateBody\":\"x\"}", "missing_field", "channel", 0 },
	{ "{\"name\":\"n\",\"channel\":\"sms\"}", "missing_field", "templateBody", 0 },
	{ "{\"name\":\"n\",\"channel\":\"rcs\",\"templateParams\":[\"a\"]}", "missing_field",
	  "templateBody", 0 },
	{ "{\"name\":\"n\",\"channel\":\"whatsapp\"}", "missing_field", "templateName", 0 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"x\",\"templateName\":\"t\"}",
	  "invalid_value", "templateName", 0 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"Hello {{name\"}", "template_syntax",
	  "templateBody", 7 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"Ol\xc3\xa1 {{}}\"}",
	  "template_syntax", "templateBody", 5 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"Hi {{first name}}\"}",
	  "invalid_custom_field_name", "templateBody", 4 },
	{ "{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":\"Bad-Name\"}", "invalid_value",
	  "templateName", 1 },
	{ "{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":\"t\",\"templateParams\":[\"a\",1]}",
	  "wrong_type", "templateParams[1]", 0 },
	{ "{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":\"t\",\"templateBody\":\"{{a}}\","
	  "\"templateParams\":[\"a\"]}", "invalid_value", "templateParams", 0 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"x\",\"campaignType\":\"Massive\"}",
	  "invalid_value", "campaignType", 0 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"x\",\"language\":\"pt-BR\"}",
	  "invalid_value", "language", 0 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"x\",\"tags\":[\"a\",\"\"]}",
	  "invalid_length", "tags[1]", 0 },
	{ "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"x\",\"tags\":[\"a\",\"a\"]}",
	  "invalid_value", "tags[1]", 0 },
	{ "[1,2]", "wrong_type", NULL, 0 },
};

START_TEST(validation_errors_have_codes_and_paths)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct server s;
	struct app a;
	struct reply r;
	const cJSON *col;

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		post(&s, &a, bad_cases[i].body, NULL, &r);
		expect_error(&r, 400, bad_cases[i].code, bad_cases[i].path);
		col = cJSON_GetObjectItem(r.json, "column");
		if (bad_cases[i].column)
			ck_assert_msg(cJSON_IsNumber(col) && col->valueint == bad_cases[i].column,
			              "%s: %s", bad_cases[i].body, r.body);
		reply_free(&r);
	}
	/* 21 tags */
	ccon_strbuf_puts(&sb, "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"x\",\"tags\":[");
	for (int i = 0; i < 21; i++)
		ccon_strbuf_printf(&sb, "%s\"tag%d\"", i ? "," : "", i);
	ccon_strbuf_puts(&sb, "]}");
	post(&s, &a, ccon_strbuf_cstr(&sb), NULL, &r);
	expect_error(&r, 400, "invalid_length", "tags");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "21"));
	reply_free(&r);
	ccon_strbuf_free(&sb);
	/* malformed JSON: line and column */
	post(&s, &a, "{\"name\":\"n\",\n\"channel\" \"sms\"}", NULL, &r);
	expect_error(&r, 400, "invalid_json", NULL);
	ck_assert_int_eq(cJSON_GetObjectItem(r.json, "line")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(r.json, "column")->valueint, 11);
	reply_free(&r);
	http_call(&s, "POST", a.path, a.auth, NULL, "", 0, NULL, &r);
	expect_error(&r, 400, "invalid_json", NULL);
	reply_free(&r);
	http_call(&s, "POST", a.path, a.auth, "text/plain", "{}", 2, NULL, &r);
	expect_error(&r, 415, "unsupported_content_type", NULL);
	reply_free(&r);
	/* nothing refused was stored */
	ck_assert_int_eq(list_total(&s, &a), 0);
	server_destroy(&s);
}
END_TEST

START_TEST(keys_are_required_and_checked)
{
	struct server s;
	struct app a;
	struct reply r;
	char path[128], key_auth[160];
	const char *body = "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"x\"}";
	int64_t id;

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	id = create(&s, &a, body);
	snprintf(path, sizeof(path), "%s/%lld", a.path, (long long)id);
	snprintf(key_auth, sizeof(key_auth), "Key %s", a.key);
	http_call(&s, "POST", a.path, NULL, NULL, body, strlen(body), NULL, &r);
	expect_error(&r, 401, "unauthorized", NULL);
	ck_assert_ptr_null(strstr(r.body, a.key));
	reply_free(&r);
	get(&s, NULL, a.path, &r);
	expect_error(&r, 401, "unauthorized", NULL);
	reply_free(&r);
	get(&s, "Bearer ccon_0000000000000000000000000000000000000000", path, &r);
	expect_error(&r, 401, "unauthorized", NULL);
	reply_free(&r);
	get(&s, key_auth, path, &r);     /* seed 002's scheme is for /commands only */
	expect_error(&r, 401, "unauthorized", NULL);
	ck_assert_ptr_null(strstr(r.body, a.key));
	reply_free(&r);
	ck_assert_int_eq(list_total(&s, &a), 1);
	server_destroy(&s);
}
END_TEST

START_TEST(applications_see_only_their_campaigns)
{
	struct server s;
	struct app a, b;
	struct reply r;
	char a_path[128], b_path[128], b_via_a[128];
	const char *body = "{\"name\":\"secret\",\"channel\":\"sms\",\"templateBody\":\"x\"}";
	int64_t id;

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	app_create(&s, "beta", &b);
	id = create(&s, &a, body);
	snprintf(a_path, sizeof(a_path), "%s/%lld", a.path, (long long)id);
	snprintf(b_path, sizeof(b_path), "%s/%lld", b.path, (long long)id);
	/* B's key with A's appId in the path, on every route */
	get(&s, b.auth, a_path, &r);
	expect_error(&r, 404, "not_found", NULL);
	ck_assert_ptr_null(strstr(r.body, "secret"));
	reply_free(&r);
	get(&s, b.auth, a.path, &r);
	expect_error(&r, 404, "not_found", NULL);
	reply_free(&r);
	http_call(&s, "POST", a.path, b.auth, NULL, body, strlen(body), NULL, &r);
	expect_error(&r, 404, "not_found", NULL);
	reply_free(&r);
	/* B's own path: the campaign is simply not there */
	get(&s, b.auth, b_path, &r);
	expect_error(&r, 404, "not_found", NULL);
	reply_free(&r);
	ck_assert_int_eq(list_total(&s, &b), 0);
	ck_assert_int_eq(list_total(&s, &a), 1);
	/* and A cannot see B's */
	id = create(&s, &b, body);
	snprintf(b_via_a, sizeof(b_via_a), "%s/%lld", a.path, (long long)id);
	get(&s, a.auth, b_via_a, &r);
	expect_error(&r, 404, "not_found", NULL);
	reply_free(&r);
	ck_assert_int_eq(list_total(&s, &a), 1);
	ck_assert_int_eq(list_total(&s, &b), 1);
	/* ids that are not campaigns */
	snprintf(a_path, sizeof(a_path), "%s/999999", a.path);
	get(&s, a.auth, a_path, &r);
	expect_error(&r, 404, "not_found", "campaignId");
	reply_free(&r);
	snprintf(a_path, sizeof(a_path), "%s/abc", a.path);
	get(&s, a.auth, a_path, &r);
	expect_error(&r, 404, "not_found", NULL);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

static void page(const struct server *s, const struct app *a, const char *query, int64_t total,
                 const char *const *names, size_t n)
{
	char path[192];
	struct reply r;
	const cJSON *items;

	snprintf(path, sizeof(path), "%s?%s", a->path, query);
	get(s, a->auth, path, &r);
	ck_assert_msg(r.status == 200, "%s: %ld %s", query, r.status, r.body);
	ck_assert_int_eq(num(&r, "total"), total);
	items = cJSON_GetObjectItem(r.json, "items");
	ck_assert_msg(cJSON_GetArraySize(items) == (int)n, "%s: %s", query, r.body);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(item_str(cJSON_GetArrayItem(items, (int)i), "name"), names[i]);
	reply_free(&r);
}

START_TEST(lists_page_newest_first)
{
	static const char *const first[] = { "c6", "c5", "c4" };
	static const char *const middle[] = { "c3", "c2", "c1" };
	static const char *const last[] = { "c0" };
	static const char *const all[] = { "c6", "c5", "c4", "c3", "c2", "c1", "c0" };
	static const struct {
		const char *query, *code, *path;
	} bad[] = {
		{ "$take=0", "out_of_range", "$take" },
		{ "$take=101", "out_of_range", "$take" },
		{ "$take=abc", "invalid_value", "$take" },
		{ "$take=", "invalid_value", "$take" },
		{ "$skip=-1", "invalid_value", "$skip" },
		{ "$skip=1.5", "invalid_value", "$skip" },
	};
	struct server s;
	struct app a;
	struct reply r;
	char body[128], path[192];

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	for (int i = 0; i < 7; i++) {
		snprintf(body, sizeof(body),
		         "{\"name\":\"c%d\",\"channel\":\"sms\",\"templateBody\":\"x\"}", i);
		create(&s, &a, body);
	}
	page(&s, &a, "$take=3", 7, first, 3);
	page(&s, &a, "$skip=3&$take=3", 7, middle, 3);
	page(&s, &a, "$skip=6&$take=3", 7, last, 1);
	page(&s, &a, "$skip=7", 7, NULL, 0);
	page(&s, &a, "$skip=100&$take=100", 7, NULL, 0);
	page(&s, &a, "$take=100", 7, all, 7);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "%s?%s", a.path, bad[i].query);
		get(&s, a.auth, path, &r);
		expect_error(&r, 400, bad[i].code, bad[i].path);
		reply_free(&r);
	}
	server_destroy(&s);
}
END_TEST

START_TEST(restart_keeps_campaigns)
{
	struct server s;
	struct app a;
	struct reply before, after;
	char path[128];
	int64_t id;

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	id = create(&s, &a, FULL_BODY);
	snprintf(path, sizeof(path), "%s/%lld", a.path, (long long)id);
	get(&s, a.auth, path, &before);
	ck_assert_int_eq(before.status, 200);
	server_restart(&s);
	get(&s, a.auth, path, &after);
	ck_assert_int_eq(after.status, 200);
	ck_assert_str_eq(after.body, before.body);
	ck_assert_int_eq(list_total(&s, &a), 1);
	ck_assert_int_gt(create(&s, &a, FULL_BODY), id);
	reply_free(&before);
	reply_free(&after);
	server_destroy(&s);
}
END_TEST

START_TEST(idempotent_create)
{
	struct server s;
	struct app a, b;
	struct reply r1, r2, r;
	const char *body = "{\"name\":\"once\",\"channel\":\"sms\",\"templateBody\":\"x\"}";
	const char *other = "{\"name\":\"twice\",\"channel\":\"sms\",\"templateBody\":\"x\"}";

	server_start(&s, NULL);
	app_create(&s, "alpha", &a);
	app_create(&s, "beta", &b);
	post(&s, &a, body, "Idempotency-Key: create-1", &r1);
	ck_assert_msg(r1.status == 201, "%ld %s", r1.status, r1.body);
	post(&s, &a, body, "Idempotency-Key: create-1", &r2);
	ck_assert_int_eq(r2.status, 201);
	ck_assert_str_eq(r2.body, r1.body);
	reply_free(&r2);
	ck_assert_int_eq(list_total(&s, &a), 1);
	/* the same key with another body is refused and creates nothing */
	post(&s, &a, other, "Idempotency-Key: create-1", &r);
	expect_error(&r, 422, "conflict", "Idempotency-Key");
	reply_free(&r);
	ck_assert_int_eq(list_total(&s, &a), 1);
	/* another key is another campaign; keys are per application */
	post(&s, &a, body, "Idempotency-Key: create-2", &r);
	ck_assert_int_eq(r.status, 201);
	ck_assert_int_ne(num(&r, "id"), num(&r1, "id"));
	reply_free(&r);
	snprintf(b.path, sizeof(b.path), "/v1/applications/%lld/campaigns", (long long)b.id);
	post(&s, &b, body, "Idempotency-Key: create-1", &r);
	ck_assert_int_eq(r.status, 201);
	ck_assert_int_ne(num(&r, "id"), num(&r1, "id"));
	reply_free(&r);
	ck_assert_int_eq(list_total(&s, &a), 2);
	/* a refused body does not use the key up */
	post(&s, &a, "{\"name\":\"n\"}", "Idempotency-Key: create-3", &r);
	expect_error(&r, 400, "missing_field", "channel");
	reply_free(&r);
	post(&s, &a, body, "Idempotency-Key: create-3", &r);
	ck_assert_int_eq(r.status, 201);
	reply_free(&r);
	/* a bad key */
	post(&s, &a, body, "Idempotency-Key: has space", &r);
	expect_error(&r, 400, "invalid_value", "Idempotency-Key");
	reply_free(&r);
	ck_assert_int_eq(list_total(&s, &a), 3);
	/* the key outlives a restart */
	server_restart(&s);
	post(&s, &a, body, "Idempotency-Key: create-1", &r2);
	ck_assert_int_eq(r2.status, 201);
	ck_assert_str_eq(r2.body, r1.body);
	reply_free(&r2);
	ck_assert_int_eq(list_total(&s, &a), 3);
	reply_free(&r1);
	server_destroy(&s);
}
END_TEST

Suite *ccon_it_suite_campaigns(void)
{
	Suite *s = suite_create("campaigns");
	TCase *tc = tcase_create("rest");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, create_list_get_round_trip);
	tcase_add_test(tc, defaults_and_template_params);
	tcase_add_test(tc, validation_errors_have_codes_and_paths);
	tcase_add_test(tc, keys_are_required_and_checked);
	tcase_add_test(tc, applications_see_only_their_campaigns);
	tcase_add_test(tc, lists_page_newest_first);
	tcase_add_test(tc, restart_keeps_campaigns);
	tcase_add_test(tc, idempotent_create);
	suite_add_tcase(s, tc);
	return s;
}
