/* Seed 002's command envelope against the real ccond: every example payload
 * of the seed, the v2 flow, the reads, cancel, auth, isolation and bad
 * envelopes. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/datetime.h>
#include <ccon/json_relaxed.h>
#include <ccon/strbuf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The store as the API left it: a manual clock that nobody moves keeps the
 * dispatcher from sending anything while these tests read. */
static const char *const frozen_clock[] = { "--clock", "manual", NULL };

/* ------------------------------------------------------------ fixtures */

/* tests/data, next to this file's directory (the integration runner has no
 * CCON_TEST_DATA of its own); CCON_TEST_DATA in the environment wins. */
static const char *data_dir(void)
{
	static char dir[512];
	const char *env = getenv("CCON_TEST_DATA");
	const char *slash;

	if (env && *env)
		return env;
	if (!dir[0]) {
		slash = strstr(__FILE__, "integration/it_commands.c");
		snprintf(dir, sizeof(dir), "%.*sdata", slash ? (int)(slash - __FILE__) : 0, __FILE__);
	}
	return dir;
}

static char *slurp(const char *name)
{
	char path[768];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot open %s", path);
	return text;
}

/* Real numbers for the seed's placeholders: {{phonenumberN}} and the
 * truncated "+5531999..." / "+55319.." get +55319999900NN in order. */
static char *real_numbers(const char *text, int *count)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	const char *p = text;
	int n = 0;

	while (*p) {
		const char *ph = strstr(p, "{{phonenumber");
		const char *tr = strstr(p, "\"+55319");
		const char *at = ph && (!tr || ph < tr) ? ph : tr;
		const char *end;

		if (!at) {
			ccon_strbuf_puts(&sb, p);
			break;
		}
		if (at == ph) {
			end = strstr(at, "}}") + 2;
			ccon_strbuf_append(&sb, p, (size_t)(at - p));
		} else {
			at++;
			end = at + 1;
			while (*end && *end != '"')
				end++;
			ccon_strbuf_append(&sb, p, (size_t)(at - p));
		}
		ccon_strbuf_printf(&sb, "+55319999900%02d", ++n);
		p = end;
	}
	if (count)
		*count = n;
	return ccon_strbuf_detach(&sb);
}

/* A seed example as strict JSON: comments and slips removed by the
 * relaxed reader (never by the server), placeholders filled. */
static cJSON *fixture(const char *name, int *phones)
{
	struct ccon_error err;
	char *raw = slurp(name), *text = real_numbers(raw, phones);
	cJSON *json = NULL;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_json_relaxed_parse(text, strlen(text), CCON_JSON_RELAXED_CLOSE_OPEN, &json,
	                                      NULL, &err) == 0,
	              "%s: %s", name, err.message);
	free(raw);
	free(text);
	return json;
}

/* ------------------------------------------------------------ commands */

struct app {
	struct server *s;
	int64_t id;
	char key[64];
	char auth[96];
};

static void app_new(struct server *s, const char *name, struct app *a)
{
	a->s = s;
	server_create_app(s, name, &a->id, a->key, sizeof(a->key));
	snprintf(a->auth, sizeof(a->auth), "Key %s", a->key);
}

static void post_envelope(const struct app *a, const cJSON *env, struct reply *r)
{
	char *body = cJSON_PrintUnformatted(env);

	http_call(a->s, "POST", "/commands", a->auth, NULL, body, strlen(body), NULL, r);
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(r->json);
	free(body);
}

/* One command; resource is JSON text or NULL. */
static void command(const struct app *a, const char *method, const char *uri, const char *resource,
                    struct reply *r)
{
	static int seq;
	cJSON *env = cJSON_CreateObject();
	char id[32];

	snprintf(id, sizeof(id), "cmd-%d", ++seq);
	cJSON_AddStringToObject(env, "id", id);
	cJSON_AddStringToObject(env, "to", "postmaster@activecampaign.msging.net");
	cJSON_AddStringToObject(env, "method", method);
	cJSON_AddStringToObject(env, "uri", uri);
	if (resource) {
		cJSON *res = cJSON_Parse(resource);

		ck_assert_msg(res != NULL, "test resource is not JSON: %s", resource);
		cJSON_AddItemToObject(env, "resource", res);
	}
	post_envelope(a, env, r);
	ck_assert_str_eq(reply_str(r, "id"), id);
	cJSON_Delete(env);
}

static const cJSON *res_of(const struct reply *r)
{
	return cJSON_GetObjectItem(r->json, "resource");
}

static void assert_success(const struct reply *r)
{
	const cJSON *reason = cJSON_GetObjectItem(r->json, "reason");
	const cJSON *d = cJSON_GetObjectItem(reason, "description");

	ck_assert_msg(strcmp(reply_str(r, "status"), "success") == 0, "failure: %s",
	              cJSON_IsString(d) ? d->valuestring : r->body);
}

/* A failure with reason.code, ccon's reason.error and reason.path. */
static void assert_failure(const struct reply *r, int code, const char *error, const char *path)
{
	const cJSON *reason = cJSON_GetObjectItem(r->json, "reason");

	ck_assert_msg(strcmp(reply_str(r, "status"), "failure") == 0, "expected a failure: %s",
	              r->body);
	ck_assert_int_eq(cJSON_GetObjectItem(reason, "code")->valueint, code);
	ck_assert_str_eq(cJSON_GetObjectItem(reason, "error")->valuestring, error);
	if (path) {
		ck_assert_msg(cJSON_GetObjectItem(reason, "path") != NULL, "no path in %s", r->body);
		ck_assert_str_eq(cJSON_GetObjectItem(reason, "path")->valuestring, path);
		ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(reason, "description")->valuestring,
		                             path));
	}
}

static const char *reason_text(const struct reply *r)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "reason"), "description")->valuestring;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	ck_assert_msg(cJSON_IsNumber(v), "no number %s", key);
	return v->valuedouble;
}

static const char *campaign_id(const struct reply *r)
{
	const char *id = str_of(res_of(r), "id");

	ck_assert_ptr_nonnull(id);
	return id;
}

/* get PRE ID POST ("/campaigns/%s/summaries" as "/campaigns/", "/summaries"). */
static void get_read(const struct app *a, const char *pre, const char *id, const char *post,
                     struct reply *r)
{
	char uri[256];

	snprintf(uri, sizeof(uri), "%s%s%s", pre, id, post);
	command(a, "get", uri, NULL, r);
	assert_success(r);
}

static double count_of(const cJSON *summary, const char *status)
{
	return num_of(cJSON_GetObjectItem(summary, "counts"), status);
}

static const char *full_batch(void)
{
	return "{\"campaign\":{\"name\":\"b\",\"campaignType\":\"Batch\",\"channelType\":\"WhatsApp\","
	       "\"sourceApplication\":\"Tests\"},"
	       "\"audiences\":[{\"recipient\":\"+5531999990001\",\"messageParams\":{\"1\":\"Ana\"}},"
	       "{\"recipient\":\"+55 31 99999-0002\",\"messageParams\":{\"1\":\"Bia\"}}],"
	       "\"message\":{\"messageTemplate\":\"hello\",\"messageParams\":[\"1\"]}}";
}

/* ------------------------------------------------------------ tests */

static const char *const full_examples[] = {
	"seed002_full_individual_whatsapp.json", "seed002_full_individual_rcs.json",
	"seed002_full_batch_whatsapp.json", "seed002_full_batch_rcs.json",
	"seed002_example_template_no_variables.json", "seed002_example_template_variables.json",
	"seed002_example_reply_with_url.json", "seed002_example_image.json",
	"seed002_example_video.json", "seed002_example_video_batch.json",
	"seed002_example_carousel.json", "seed002_example_carousel_batch.json",
};

START_TEST(every_seed_example_is_accepted_and_read_back)
{
	struct server s;
	struct app a;
	struct reply r;
	size_t n = sizeof(full_examples) / sizeof(full_examples[0]);

	server_start(&s, frozen_clock);
	app_new(&s, "seed", &a);
	for (size_t i = 0; i < n; i++) {
		int phones;
		cJSON *env = fixture(full_examples[i], &phones);
		const cJSON *msg;
		char id[32], expect[32];
		bool rcs = strstr(full_examples[i], "rcs") != NULL;

		post_envelope(&a, env, &r);
		assert_success(&r);
		ck_assert_str_eq(reply_str(&r, "type"), "application/vnd.iris.activecampaign.campaign+json");
		ck_assert_str_eq(str_of(res_of(&r), "status"), "scheduled");
		ck_assert_str_eq(str_of(res_of(&r), "channelType"), rcs ? "GoogleRcs" : "WhatsApp");
		ck_assert_ptr_nonnull(str_of(res_of(&r), "created"));
		ck_assert_str_eq(str_of(cJSON_GetObjectItem(r.json, "metadata"), "#command.uri"),
		                 "/campaign/full");
		snprintf(id, sizeof(id), "%s", campaign_id(&r));
		reply_free(&r);
		cJSON_Delete(env);

		get_read(&a, "/campaigns/", id, "/summaries", &r);
		ck_assert_int_eq((int)count_of(res_of(&r), "total"), phones);
		ck_assert_int_eq((int)count_of(res_of(&r), "pending"), phones);
		ck_assert_str_eq(str_of(res_of(&r), "status"), "scheduled");
		ck_assert_ptr_nonnull(str_of(res_of(&r), "sendDate"));
		reply_free(&r);

		get_read(&a, "/audiences/", id, "", &r);
		ck_assert_int_eq((int)num_of(res_of(&r), "total"), phones);
		for (int k = 0; k < phones; k++) {
			const cJSON *it = cJSON_GetArrayItem(cJSON_GetObjectItem(res_of(&r), "items"), k);

			snprintf(expect, sizeof(expect), "+55319999900%02d", k + 1);
			ck_assert_str_eq(str_of(it, "recipient"), expect);
			ck_assert_str_eq(str_of(it, "status"), "pending");
			ck_assert_str_eq(str_of(it, "campaignId"), id);
			ck_assert_ptr_nonnull(str_of(it, "taskId"));
		}
		reply_free(&r);

		get_read(&a, "/messages/", id, "", &r);
		ck_assert_int_eq((int)num_of(res_of(&r), "total"), 1);
		msg = cJSON_GetArrayItem(cJSON_GetObjectItem(res_of(&r), "items"), 0);
		ck_assert_ptr_nonnull(str_of(msg, rcs ? "messageContent" : "messageTemplate"));
		reply_free(&r);

		get_read(&a, "/campaigns/", id, "/reports", &r);
		ck_assert_str_eq(str_of(res_of(&r), "id"), id);
		ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(res_of(&r), "statusAudience")),
		                 phones);
		reply_free(&r);
	}
	command(&a, "get", "/campaigns/summaries?$take=100", NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), (int)n);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(individual_message_params_and_context_read_back)
{
	struct server s;
	struct app a;
	struct reply r;
	const cJSON *it, *mp;
	char id[32];

	server_start(&s, frozen_clock);
	app_new(&s, "ind", &a);
	command(&a, "set", "/campaign/full",
	        "{\"campaign\":{\"name\":\"one\",\"campaignType\":\"individual\",\"flowId\":\"f1\","
	        "\"stateId\":\"s1\",\"masterstate\":\"m@msging.net\"},"
	        "\"audience\":{\"recipient\":\"0055 31 99999 0009\",\"messageParams\":"
	        "{\"image\":\"https://x/y.jpg\",\"username\":\"Ana\"},"
	        "\"contextVariables\":{\"cpf\":\"1\",\"deep\":{\"a\":1}}},"
	        "\"message\":{\"messageTemplate\":\"with_image\",\"messageParams\":[\"image\","
	        "\"username\"]}}",
	        &r);
	assert_success(&r);
	ck_assert_str_eq(str_of(res_of(&r), "campaignType"), "INDIVIDUAL");
	ck_assert_str_eq(str_of(res_of(&r), "flowId"), "f1");
	ck_assert_str_eq(str_of(res_of(&r), "masterState"), "m@msging.net");
	ck_assert_int_eq((int)num_of(cJSON_GetObjectItem(res_of(&r), "recipients"), "accepted"), 1);
	snprintf(id, sizeof(id), "%s", campaign_id(&r));
	reply_free(&r);
	get_read(&a, "/audiences/", id, "", &r);
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(res_of(&r), "items"), 0);
	ck_assert_str_eq(str_of(it, "recipient"), "+5531999990009");
	ck_assert_str_eq(str_of(it, "channelType"), "WhatsApp");
	mp = cJSON_GetObjectItem(it, "messageParams");
	ck_assert_str_eq(str_of(mp, "username"), "Ana");
	ck_assert_str_eq(str_of(mp, "image"), "https://x/y.jpg");
	reply_free(&r);
	get_read(&a, "/campaigns/", id, "/reports", &r);
	ck_assert_str_eq(str_of(res_of(&r), "flowId"), "f1");
	ck_assert_str_eq(str_of(res_of(&r), "messageTemplate"), "with_image");
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 1);
	reply_free(&r);
	/* seed 002: messageParams other than the phone become the contact's
	 * extras, contextVariables its context */
	{
		char path[128], bearer[96];
		const cJSON *c, *ex, *cx;

		snprintf(path, sizeof(path), "/v1/applications/%lld/contacts?phone=%%2B5531999990009",
		         (long long)a.id);
		snprintf(bearer, sizeof(bearer), "Bearer %s", a.key);
		http_call(&s, "GET", path, bearer, NULL, NULL, 0, NULL, &r);
		ck_assert_msg(r.status == 200, "%s", r.body);
		ck_assert_int_eq((int)num_of(r.json, "total"), 1);
		c = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "items"), 0);
		ex = cJSON_GetObjectItem(c, "extras");
		cx = cJSON_GetObjectItem(c, "context");
		ck_assert_str_eq(str_of(ex, "username"), "Ana");
		ck_assert_str_eq(str_of(ex, "image"), "https://x/y.jpg");
		ck_assert_str_eq(str_of(cx, "cpf"), "1");
		ck_assert_ptr_nonnull(cJSON_GetObjectItem(cx, "deep"));
		reply_free(&r);
	}
	server_destroy(&s);
}
END_TEST

START_TEST(a_bad_recipient_refuses_the_whole_command)
{
	struct server s;
	struct app a;
	struct reply r;

	server_start(&s, frozen_clock);
	app_new(&s, "bad", &a);
	command(&a, "set", "/campaign/full",
	        "{\"campaign\":{\"name\":\"b\",\"campaignType\":\"Batch\"},"
	        "\"audiences\":[{\"recipient\":\"+5531999990001\"},{\"recipient\":\"+5531999990002\"},"
	        "{\"recipient\":\"+5531999990003\"},{\"recipient\":\"031 99999 0004\"}],"
	        "\"message\":{\"messageTemplate\":\"t\"}}",
	        &r);
	assert_failure(&r, 400, "phone_missing_country_code", "resource.audiences[3].recipient");
	reply_free(&r);
	command(&a, "set", "/campaign/full",
	        "{\"campaign\":{\"name\":\"i\",\"campaignType\":\"Individual\"},"
	        "\"audience\":{\"recipient\":\"+55abc\"},\"message\":{\"messageTemplate\":\"t\"}}",
	        &r);
	assert_failure(&r, 400, "phone_invalid_characters", "resource.audience.recipient");
	reply_free(&r);
	/* A parameter the template takes but an audience lacks, by the codec. */
	command(&a, "set", "/campaign/full",
	        "{\"campaign\":{\"name\":\"b\",\"campaignType\":\"Batch\"},"
	        "\"audiences\":[{\"recipient\":\"+5531999990001\",\"messageParams\":{\"1\":\"x\"}},"
	        "{\"recipient\":\"+5531999990002\"}],"
	        "\"message\":{\"messageTemplate\":\"t\",\"messageParams\":[\"1\"]}}",
	        &r);
	assert_failure(&r, 400, "missing_field", "resource.audiences[1].messageParams.1");
	reply_free(&r);
	command(&a, "set", "/campaign/full",
	        "{\"campaign\":{\"name\":\"b\",\"campaignType\":\"Batch\",\"scheduled\":"
	        "\"2001-01-01 10\"},\"audiences\":[{\"recipient\":\"+5531999990001\"}],"
	        "\"message\":{\"messageTemplate\":\"t\"}}",
	        &r);
	assert_failure(&r, 400, "send_time_in_past", "resource.campaign.scheduled");
	reply_free(&r);
	/* Nothing was written by any of them. */
	command(&a, "get", "/campaigns/summaries", NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 0);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(v2_rounds_then_dispatch_then_no_more_audience)
{
	struct server s;
	struct app a;
	struct reply r;
	char id[32], uri[64], res[512];
	cJSON *env, *csv;
	char *text;
	const cJSON *items;

	server_start(&s, frozen_clock);
	app_new(&s, "v2", &a);
	env = fixture("seed002_v2_campaign_whatsapp.json", NULL);
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(cJSON_GetObjectItem(env, "resource"), "message"),
	                          "messageTemplate", cJSON_CreateString("welcome"));
	cJSON_AddItemToObject(cJSON_GetObjectItem(cJSON_GetObjectItem(env, "resource"), "message"),
	                      "messageParams", cJSON_CreateStringArray((const char *[]){ "name" }, 1));
	post_envelope(&a, env, &r);
	cJSON_Delete(env);
	assert_success(&r);
	ck_assert_str_eq(str_of(res_of(&r), "status"), "draft");
	ck_assert_str_eq(str_of(res_of(&r), "campaignType"), "BATCH");
	snprintf(id, sizeof(id), "%s", campaign_id(&r));
	reply_free(&r);
	snprintf(uri, sizeof(uri), "/audiences/v2/%s", id);

	/* Round 1: a bare array; round 2: {"audiences": [...]} with a duplicate. */
	command(&a, "set", uri,
	        "[{\"recipient\":\"+5531999990001\",\"messageParams\":{\"name\":\"Ana\"}},"
	        "{\"recipient\":\"+5531999990002\",\"messageParams\":{\"name\":\"Bia\"}}]",
	        &r);
	assert_success(&r);
	ck_assert_str_eq(str_of(res_of(&r), "status"), "draft");
	reply_free(&r);
	command(&a, "set", uri,
	        "{\"audiences\":[{\"recipient\":\"+5531999990003\",\"messageParams\":{\"name\":\"Cy\"},"
	        "\"contextVariables\":{\"cpf\":\"1\"}}]}",
	        &r);
	assert_success(&r);
	reply_free(&r);
	/* A bad one in a later round: nothing of that round is added. */
	command(&a, "set", uri,
	        "[{\"recipient\":\"+5531999990004\",\"messageParams\":{\"name\":\"D\"}},"
	        "{\"recipient\":\"+5531999990005\"}]",
	        &r);
	assert_failure(&r, 400, "missing_field", "resource[1].messageParams.name");
	reply_free(&r);
	/* Round 3: CSV with #contextvariables#, the seed's escaped form. */
	env = cJSON_CreateObject();
	cJSON_AddStringToObject(env, "id", "csv-1");
	cJSON_AddStringToObject(env, "method", "set");
	cJSON_AddStringToObject(env, "uri", uri);
	cJSON_AddStringToObject(env, "type", "text/csv");
	text = slurp("seed002_csv_context_variables.txt");
	text[strcspn(text, "\r\n")] = '\0';
	snprintf(res, sizeof(res), "recipient,name,#contextvariables#\n+5531999990006,Eva,\"");
	/* In a CSV-quoted cell, quotes doubled; the seed's example lacks its last '}'. */
	for (const char *p = text; *p; p++)
		snprintf(res + strlen(res), sizeof(res) - strlen(res), *p == '"' ? "\"\"" : "%c", *p);
	snprintf(res + strlen(res), sizeof(res) - strlen(res), "}\"\n5531999990007,Fe,\n");
	free(text);
	csv = cJSON_CreateString(res);
	cJSON_AddItemToObject(env, "resource", csv);
	post_envelope(&a, env, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(cJSON_GetObjectItem(res_of(&r), "recipients"), "accepted"), 2);
	reply_free(&r);
	/* A CSV with a bad row adds nothing and says where. */
	cJSON_ReplaceItemInObject(env, "resource",
	                          cJSON_CreateString("recipient,name\n+5531999990008,G\n12,H\n"));
	post_envelope(&a, env, &r);
	assert_failure(&r, 400, "phone_too_short", NULL);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "reason"), "line")->valueint,
	                 3);
	reply_free(&r);
	cJSON_ReplaceItemInObject(env, "resource", cJSON_CreateString("phone,name\n+5531999990008,G\n"));
	post_envelope(&a, env, &r);
	assert_failure(&r, 400, "csv_bad_header", "resource");
	ck_assert_ptr_nonnull(strstr(reason_text(&r), "recipient"));
	reply_free(&r);
	cJSON_Delete(env);

	get_read(&a, "/audiences/", id, "", &r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 5);
	items = cJSON_GetObjectItem(res_of(&r), "items");
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(items, 4), "recipient"), "+5531999990007");
	ck_assert_str_eq(str_of(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 3), "messageParams"),
	                        "name"), "Eva");
	reply_free(&r);

	/* Dispatch, then no more audiences and no second dispatch. */
	snprintf(res, sizeof(res), "{\"campaignId\":\"%s\"}", id);
	command(&a, "set", "/dispatch/v2", res, &r);
	assert_success(&r);
	ck_assert_str_eq(str_of(res_of(&r), "status"), "scheduled");
	reply_free(&r);
	command(&a, "set", uri, "[{\"recipient\":\"+5531999990009\",\"messageParams\":{\"name\":\"I\"}}]",
	        &r);
	assert_failure(&r, 409, "conflict", NULL);
	snprintf(res, sizeof(res), "campaign %s was dispatched: no audience can be added", id);
	ck_assert_str_eq(reason_text(&r), res);
	reply_free(&r);
	snprintf(res, sizeof(res), "{\"campaignId\":\"%s\"}", id);
	command(&a, "set", "/dispatch/v2", res, &r);
	assert_failure(&r, 409, "conflict", NULL);
	reply_free(&r);
	get_read(&a, "/campaigns/", id, "/summaries", &r);
	ck_assert_str_eq(str_of(res_of(&r), "status"), "scheduled");
	ck_assert_int_eq((int)count_of(res_of(&r), "pending"), 5);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(v2_dispatch_needs_an_audience_and_a_v2_campaign)
{
	struct server s;
	struct app a;
	struct reply r;
	char id[32], res[128];

	server_start(&s, frozen_clock);
	app_new(&s, "v2e", &a);
	command(&a, "set", "/campaign/v2",
	        "{\"campaign\":{\"name\":\"d\",\"campaignType\":\"Batch\"},"
	        "\"message\":{\"messageTemplate\":\"t\"}}",
	        &r);
	assert_success(&r);
	snprintf(id, sizeof(id), "%s", campaign_id(&r));
	reply_free(&r);
	snprintf(res, sizeof(res), "{\"campaignId\":\"%s\"}", id);
	command(&a, "set", "/dispatch/v2", res, &r);
	assert_failure(&r, 409, "conflict", "resource.campaignId");
	reply_free(&r);
	command(&a, "set", "/dispatch/v2", "{\"campaignId\":\"999\"}", &r);
	assert_failure(&r, 404, "not_found", "resource.campaignId");
	reply_free(&r);
	command(&a, "set", "/dispatch/v2", "{}", &r);
	assert_failure(&r, 400, "missing_field", "resource.campaignId");
	reply_free(&r);
	command(&a, "set", "/campaign/full", full_batch(), &r);
	assert_success(&r);
	snprintf(id, sizeof(id), "/audiences/v2/%s", campaign_id(&r));
	reply_free(&r);
	command(&a, "set", id, "[{\"recipient\":\"+5531999990001\"}]", &r);
	assert_failure(&r, 409, "conflict", NULL);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(summaries_filters_and_paging)
{
	struct server s;
	struct app a;
	struct reply r;
	char today[16], uri[128];
	time_t now = time(NULL);
	const cJSON *items;

	server_start(&s, frozen_clock);
	app_new(&s, "sum", &a);
	for (int i = 0; i < 5; i++) {
		char res[512];

		snprintf(res, sizeof(res),
		         "{\"campaign\":{\"name\":\"c%d\",\"campaignType\":\"Batch\","
		         "\"sourceApplication\":\"%s\"},\"audiences\":[{\"recipient\":"
		         "\"+55319999900%02d\"}],\"message\":{\"messageTemplate\":\"t\"}}",
		         i, i < 3 ? "Portal" : "Desk", i + 1);
		command(&a, "set", "/campaign/full", res, &r);
		assert_success(&r);
		reply_free(&r);
	}
	command(&a, "get", "/campaigns/summaries", NULL, &r);
	assert_success(&r);
	ck_assert_str_eq(reply_str(&r, "type"), "application/vnd.lime.collection+json");
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 5);
	items = cJSON_GetObjectItem(res_of(&r), "items");
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(items, 0), "name"), "c4");  /* newest first */
	ck_assert_int_eq((int)count_of(cJSON_GetArrayItem(items, 0), "total"), 1);
	reply_free(&r);
	command(&a, "get", "/campaigns/summaries?sourceApplication=Portal", NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 3);
	reply_free(&r);
	command(&a, "get", "/campaigns/summaries?sourceApplication=Portal&$skip=2&$take=2", NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 3);
	items = cJSON_GetObjectItem(res_of(&r), "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 1);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(items, 0), "name"), "c0");
	reply_free(&r);
	command(&a, "get", "/campaigns/summaries?campaignSender=nobody@x", NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 0);
	reply_free(&r);
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&now));
	snprintf(uri, sizeof(uri), "/campaigns/summaries?created=%s", today);
	command(&a, "get", uri, NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 5);
	reply_free(&r);
	command(&a, "get", "/campaigns/summaries?created=2020-01-01", NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 0);
	reply_free(&r);
	command(&a, "get", "/campaigns/summaries?created=yesterday", NULL, &r);
	assert_failure(&r, 400, "invalid_datetime", "uri.created");
	reply_free(&r);
	command(&a, "get", "/campaigns/summaries?$take=101", NULL, &r);
	assert_failure(&r, 400, "out_of_range", "uri.$take");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(task_id_narrows_and_reads_aggregate_sends)
{
	struct server s;
	struct app a;
	struct reply r;
	char id[32], task[32], uri[160], path[160], body[512];
	int64_t first_task;

	server_start(&s, frozen_clock);
	app_new(&s, "tasks", &a);
	command(&a, "set", "/campaign/full", full_batch(), &r);
	assert_success(&r);
	snprintf(id, sizeof(id), "%s", campaign_id(&r));
	first_task = (int64_t)num_of(res_of(&r), "taskId");
	reply_free(&r);
	/* A second send of the same campaign through the REST route. */
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%s/send", (long long)a.id, id);
	snprintf(body, sizeof(body),
	         "{\"contacts\":[{\"contactCode\":\"+5531999990077\",\"channelType\":\"cloud_api\","
	         "\"customFields\":{\"1\":\"Zé\"}}]}");
	snprintf(uri, sizeof(uri), "Bearer %s", a.key);
	http_call(&s, "POST", path, uri, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 202, "REST send: %ld %s", r.status, r.body);
	reply_free(&r);

	get_read(&a, "/audiences/", id, "", &r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 3);
	reply_free(&r);
	get_read(&a, "/messages/", id, "", &r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 2);
	reply_free(&r);
	snprintf(task, sizeof(task), "%lld", (long long)first_task);
	snprintf(uri, sizeof(uri), "/audiences/%s?taskId=%s", id, task);
	command(&a, "get", uri, NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 2);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(cJSON_GetObjectItem(res_of(&r), "items"), 0),
	                        "taskId"), task);
	reply_free(&r);
	snprintf(uri, sizeof(uri), "/campaigns/%s/summaries?taskId=%s", id, task);
	command(&a, "get", uri, NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)count_of(res_of(&r), "total"), 2);
	reply_free(&r);
	snprintf(uri, sizeof(uri), "/campaigns/%s/reports?taskId=%s&$take=1&$skip=1", id, task);
	command(&a, "get", uri, NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 2);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(res_of(&r), "statusAudience")), 1);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(cJSON_GetObjectItem(res_of(&r), "statusAudience"),
	                                           0), "recipientIdentity"), "+5531999990002");
	reply_free(&r);
	snprintf(uri, sizeof(uri), "/audiences/%s?taskId=999999", id);
	command(&a, "get", uri, NULL, &r);
	assert_failure(&r, 404, "not_found", "uri.taskId");
	reply_free(&r);
	snprintf(uri, sizeof(uri), "/audiences/%s?taskId=x", id);
	command(&a, "get", uri, NULL, &r);
	assert_failure(&r, 400, "invalid_value", "uri.taskId");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

/* Places reserved in the slot holding the whole hour of t (REST slots). */
static int slot_reserved(const struct app *a, time_t t)
{
	char path[160], from[32], bearer[96];
	struct reply r;
	int n;

	strftime(from, sizeof(from), "%Y-%m-%dT%H:00:00Z", gmtime(&t));
	snprintf(path, sizeof(path), "/v1/applications/%lld/slots?from=%s", (long long)a->id, from);
	snprintf(bearer, sizeof(bearer), "Bearer %s", a->key);
	http_call(a->s, "GET", path, bearer, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "slots: %ld %s", r.status, r.body);
	n = (int)num_of(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "slots"), 0), "reserved");
	reply_free(&r);
	return n;
}

START_TEST(delete_cancels_a_scheduled_campaign)
{
	struct server s;
	struct app a;
	struct reply r;
	char id[32], uri[64], when[32], res[512];
	time_t t = time(NULL) + 2 * 86400;
	const cJSON *items;

	server_start(&s, frozen_clock);
	app_new(&s, "del", &a);
	strftime(when, sizeof(when), "%Y-%m-%d %H", gmtime(&t));
	snprintf(res, sizeof(res),
	         "{\"campaign\":{\"name\":\"later\",\"campaignType\":\"Batch\",\"scheduled\":\"%s\"},"
	         "\"audiences\":[{\"recipient\":\"+5531999990001\"},{\"recipient\":\"+5531999990002\"}],"
	         "\"message\":{\"messageTemplate\":\"t\"}}", when);
	command(&a, "set", "/campaign/full", res, &r);
	assert_success(&r);
	ck_assert_ptr_nonnull(str_of(res_of(&r), "scheduled"));
	snprintf(id, sizeof(id), "%s", campaign_id(&r));
	reply_free(&r);
	ck_assert_int_eq(slot_reserved(&a, t), 2);
	snprintf(uri, sizeof(uri), "/campaigns/%s", id);
	command(&a, "delete", uri, NULL, &r);
	assert_success(&r);
	ck_assert_int_eq(slot_reserved(&a, t), 0);   /* the places were given back */
	ck_assert_str_eq(str_of(res_of(&r), "status"), "canceled");
	ck_assert_ptr_nonnull(strstr(str_of(res_of(&r), "failedReason"), "canceled"));
	reply_free(&r);
	get_read(&a, "/audiences/", id, "", &r);
	items = cJSON_GetObjectItem(res_of(&r), "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 2);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(items, 0), "status"), "canceled");
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(items, 1), "status"), "canceled");
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(items, 1), "audienceStatus"), "canceled");
	reply_free(&r);
	get_read(&a, "/campaigns/", id, "/summaries", &r);
	ck_assert_int_eq((int)count_of(res_of(&r), "canceled"), 2);
	ck_assert_int_eq((int)count_of(res_of(&r), "pending"), 0);
	ck_assert_str_eq(str_of(res_of(&r), "status"), "canceled");
	reply_free(&r);
	command(&a, "delete", uri, NULL, &r);
	assert_failure(&r, 409, "conflict", "uri");
	ck_assert_ptr_nonnull(strstr(reason_text(&r), "already canceled"));
	reply_free(&r);
	command(&a, "delete", "/campaigns/424242", NULL, &r);
	assert_failure(&r, 404, "not_found", "uri");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(auth_is_key_and_apps_are_isolated)
{
	struct server s;
	struct app a, b;
	struct reply r;
	char id[32], uri[64], bearer[96];
	const char *env = "{\"id\":\"1\",\"method\":\"get\",\"uri\":\"/campaigns/summaries\"}";

	server_start(&s, frozen_clock);
	app_new(&s, "a", &a);
	app_new(&s, "b", &b);
	snprintf(bearer, sizeof(bearer), "Bearer %s", a.key);
	http_call(&s, "POST", "/commands", bearer, NULL, env, strlen(env), NULL, &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(reply_str(&r, "code"), "unauthorized");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "Authorization: Key"));
	reply_free(&r);
	http_call(&s, "POST", "/commands", "Key ccon_0000000000000000000000000000000000000000", NULL,
	          env, strlen(env), NULL, &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(reply_str(&r, "code"), "unauthorized");
	reply_free(&r);
	http_call(&s, "POST", "/commands", NULL, NULL, env, strlen(env), NULL, &r);
	ck_assert_int_eq(r.status, 401);
	reply_free(&r);

	command(&a, "set", "/campaign/full", full_batch(), &r);
	assert_success(&r);
	snprintf(id, sizeof(id), "%s", campaign_id(&r));
	reply_free(&r);
	{
		static const char *const reads[][2] = { { "/campaigns/", "/summaries" },
		                                        { "/audiences/", "" }, { "/messages/", "" },
		                                        { "/campaigns/", "/reports" } };

		for (size_t i = 0; i < 4; i++) {
			snprintf(uri, sizeof(uri), "%s%s%s", reads[i][0], id, reads[i][1]);
			command(&b, "get", uri, NULL, &r);
			assert_failure(&r, 404, "not_found", "uri");
			reply_free(&r);
		}
	}
	snprintf(uri, sizeof(uri), "/campaigns/%s", id);
	command(&b, "delete", uri, NULL, &r);
	assert_failure(&r, 404, "not_found", "uri");
	reply_free(&r);
	snprintf(uri, sizeof(uri), "/audiences/v2/%s", id);
	command(&b, "set", uri, "[{\"recipient\":\"+5531999990001\"}]", &r);
	assert_failure(&r, 404, "not_found", "uri");
	reply_free(&r);
	command(&b, "get", "/campaigns/summaries", NULL, &r);
	assert_success(&r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 0);
	reply_free(&r);
	/* Still there for its owner. */
	get_read(&a, "/campaigns/", id, "/summaries", &r);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

static void raw(const struct app *a, const char *body, const char *ctype, struct reply *r)
{
	http_call(a->s, "POST", "/commands", a->auth, ctype, body, strlen(body), NULL, r);
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(r->json);
}

START_TEST(malformed_envelopes_fail_clearly)
{
	struct server s;
	struct app a;
	struct reply r;
	const cJSON *reason;

	server_start(&s, frozen_clock);
	app_new(&s, "bad", &a);
	raw(&a, "{\"id\":\"1\",\n\"method\":\"get\",,}", NULL, &r);
	assert_failure(&r, 400, "invalid_json", NULL);
	reason = cJSON_GetObjectItem(r.json, "reason");
	ck_assert_int_eq(cJSON_GetObjectItem(reason, "line")->valueint, 2);
	ck_assert_ptr_null(cJSON_GetObjectItem(r.json, "method"));
	reply_free(&r);
	raw(&a, "", NULL, &r);
	assert_failure(&r, 400, "invalid_json", NULL);
	reply_free(&r);
	raw(&a, "{\"id\":\"7\",\"method\":\"observe\",\"uri\":\"/campaigns/summaries\"}", NULL, &r);
	assert_failure(&r, 400, "invalid_value", "method");
	ck_assert_str_eq(reply_str(&r, "id"), "7");
	reply_free(&r);
	raw(&a, "{\"method\":\"get\",\"uri\":\"/campaigns/summaries\"}", NULL, &r);
	assert_failure(&r, 400, "missing_field", "id");
	reply_free(&r);
	raw(&a, "{\"id\":\"8\",\"method\":\"get\",\"uri\":\"/campaigns/nothing/here\"}", NULL, &r);
	assert_failure(&r, 404, "invalid_value", "uri");
	ck_assert_str_eq(reply_str(&r, "id"), "8");
	ck_assert_str_eq(reply_str(&r, "method"), "get");
	reply_free(&r);
	raw(&a, "{\"id\":\"9\",\"method\":\"set\",\"uri\":\"/campaigns/summaries\"}", NULL, &r);
	assert_failure(&r, 405, "method_not_allowed", "method");
	reply_free(&r);
	raw(&a, "{\"id\":\"10\",\"method\":\"set\",\"uri\":\"/campaign/full\"}", NULL, &r);
	assert_failure(&r, 400, "missing_field", "resource");
	reply_free(&r);
	raw(&a, "{\"id\":\"11\",\"method\":\"set\",\"uri\":\"/campaign/full\",\"resource\":"
	        "{\"campaign\":{\"name\":\"x\",\"campaignType\":\"Bulk\"}}}", NULL, &r);
	assert_failure(&r, 400, "invalid_value", "resource.campaign.campaignType");
	reply_free(&r);
	raw(&a, "{\"id\":\"12\",\"method\":\"get\",\"uri\":\"/campaigns/summaries\"}", "text/plain",
	    &r);
	assert_failure(&r, 415, "unsupported_content_type", NULL);
	reply_free(&r);
	raw(&a, "[1,2]", NULL, &r);
	assert_failure(&r, 400, "wrong_type", NULL);
	reply_free(&r);
	raw(&a, "{\"id\":\"13\",\"method\":\"get\",\"uri\":\"/audiences/abc\"}", NULL, &r);
	assert_failure(&r, 404, "not_found", "uri");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(idempotency_key_replays_a_full_campaign)
{
	struct server s;
	struct app a;
	struct reply r;
	const char *body = "{\"id\":\"i1\",\"method\":\"set\",\"uri\":\"/campaign/full\","
	                   "\"resource\":{\"campaign\":{\"name\":\"n\",\"campaignType\":\"Batch\"},"
	                   "\"audiences\":[{\"recipient\":\"+5531999990001\"}],"
	                   "\"message\":{\"messageTemplate\":\"t\"}}}";
	char first[32];

	server_start(&s, frozen_clock);
	app_new(&s, "idem", &a);
	http_call(&s, "POST", "/commands", a.auth, NULL, body, strlen(body), "Idempotency-Key: k1", &r);
	assert_success(&r);
	snprintf(first, sizeof(first), "%s", campaign_id(&r));
	reply_free(&r);
	http_call(&s, "POST", "/commands", a.auth, NULL, body, strlen(body), "Idempotency-Key: k1", &r);
	assert_success(&r);
	ck_assert_str_eq(campaign_id(&r), first);
	reply_free(&r);
	command(&a, "get", "/campaigns/summaries", NULL, &r);
	ck_assert_int_eq((int)num_of(res_of(&r), "total"), 1);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

Suite *ccon_it_suite_commands(void)
{
	Suite *s = suite_create("commands");
	TCase *tc = tcase_create("envelope");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_seed_example_is_accepted_and_read_back);
	tcase_add_test(tc, individual_message_params_and_context_read_back);
	tcase_add_test(tc, a_bad_recipient_refuses_the_whole_command);
	tcase_add_test(tc, v2_rounds_then_dispatch_then_no_more_audience);
	tcase_add_test(tc, v2_dispatch_needs_an_audience_and_a_v2_campaign);
	tcase_add_test(tc, summaries_filters_and_paging);
	tcase_add_test(tc, task_id_narrows_and_reads_aggregate_sends);
	tcase_add_test(tc, delete_cancels_a_scheduled_campaign);
	tcase_add_test(tc, auth_is_key_and_apps_are_isolated);
	tcase_add_test(tc, malformed_envelopes_fail_clearly);
	tcase_add_test(tc, idempotency_key_replays_a_full_campaign);
	suite_add_tcase(s, tc);
	return s;
}
