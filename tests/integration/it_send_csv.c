/* Seed 001 CSV sends through the real ccond: the seed's four layouts and
 * files, bad rows with their lines and columns, field order, line ends,
 * delimiters, context variables, dry runs, idempotency, refusals, and a
 * 200,000-row upload with the server's peak memory. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BOUNDARY "ccon-csv-test-7d1f2a"

struct fixture {
	struct server s;
	int64_t app;
	char key[64];
	char auth[80];
};

/* ------------------------------------------------------------ multipart */

struct form {
	char *buf;
	size_t len, cap;
	const char *boundary;
};

static void form_put(struct form *f, const char *s, size_t n)
{
	if (f->len + n + 1 > f->cap) {
		f->cap = (f->len + n + 1) * 2;
		f->buf = realloc(f->buf, f->cap);
		ck_assert_ptr_nonnull(f->buf);
	}
	memcpy(f->buf + f->len, s, n);
	f->len += n;
	f->buf[f->len] = '\0';
}

static void form_puts(struct form *f, const char *s)
{
	form_put(f, s, strlen(s));
}

static void form_init(struct form *f, const char *boundary)
{
	memset(f, 0, sizeof(*f));
	f->boundary = boundary ? boundary : BOUNDARY;
}

static void form_part(struct form *f, const char *name, const char *filename, const char *data,
                      size_t len)
{
	char head[256];

	snprintf(head, sizeof(head), "--%s\r\nContent-Disposition: form-data; name=\"%s\"%s%s%s\r\n%s\r\n",
	         f->boundary, name, filename ? "; filename=\"" : "", filename ? filename : "",
	         filename ? "\"" : "", filename ? "Content-Type: text/csv\r\n" : "");
	form_puts(f, head);
	form_put(f, data, len);
	form_puts(f, "\r\n");
}

static void form_text(struct form *f, const char *name, const char *value)
{
	form_part(f, name, NULL, value, strlen(value));
}

static void form_file(struct form *f, const char *csv)
{
	form_part(f, "file", "contacts.csv", csv, strlen(csv));
}

static void form_end(struct form *f)
{
	form_puts(f, "--");
	form_puts(f, f->boundary);
	form_puts(f, "--\r\n");
}

/* ------------------------------------------------------------- fixtures */

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

/* A WhatsApp campaign whose template uses the variables in body ("" none). */
static int64_t campaign_with(struct fixture *f, const char *template_body)
{
	char body[512];

	if (!*template_body)
		return create_campaign(f, "{\"name\":\"plain\",\"channel\":\"whatsapp\","
		                          "\"templateName\":\"plain_v1\"}");
	snprintf(body, sizeof(body),
	         "{\"name\":\"csv\",\"channel\":\"whatsapp\",\"templateName\":\"csv_v1\","
	         "\"templateBody\":\"%s\"}", template_body);
	return create_campaign(f, body);
}

static void setup(struct fixture *f)
{
	/* a manual clock: sends stay as they were stored, whatever the dispatcher */
	static const char *const manual[] = { "--clock", "manual", NULL };

	server_start(&f->s, manual);
	server_create_app(&f->s, "csv sender", &f->app, f->key, sizeof(f->key));
	snprintf(f->auth, sizeof(f->auth), "Bearer %s", f->key);
}

static void post_form(struct fixture *f, int64_t app, int64_t campaign, const char *query,
                      const struct form *form, const char *content_type, const char *header,
                      struct reply *r)
{
	char path[192], ct[128];

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send/csv%s",
	         (long long)app, (long long)campaign, query ? query : "");
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", form->boundary);
	http_call(&f->s, "POST", path, f->auth, content_type ? content_type : ct, form->buf,
	          form->len, header, r);
}

/* layout then file, nothing else. */
static void send_csv(struct fixture *f, int64_t campaign, const char *layout, const char *csv,
                     struct reply *r)
{
	struct form form;

	form_init(&form, NULL);
	form_text(&form, "layout", layout);
	form_file(&form, csv);
	form_end(&form);
	post_form(f, f->app, campaign, NULL, &form, NULL, NULL, r);
	free(form.buf);
}

static double num(const cJSON *obj, const char *key)
{
	const cJSON *item = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;

	ck_assert_msg(cJSON_IsNumber(item), "no number '%s'", key);
	return item->valuedouble;
}

static const cJSON *obj(const cJSON *o, const char *key)
{
	const cJSON *item = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	ck_assert_msg(item != NULL, "no member '%s'", key);
	return item;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *item = obj(o, key);

	ck_assert_msg(cJSON_IsString(item), "'%s' is not a string", key);
	return item->valuestring;
}

static void assert_accepted(const struct reply *r, double accepted, double rejected)
{
	const cJSON *rec;

	ck_assert_msg(r->status == 202, "expected 202, got %ld: %.*s", r->status, (int)300, r->body);
	ck_assert_msg(num(r->json, "taskId") >= 1, "taskId: %.*s", (int)300, r->body);
	rec = obj(r->json, "recipients");
	ck_assert_msg(num(rec, "accepted") == accepted, "accepted: %.*s", (int)300, r->body);
	ck_assert_msg(num(rec, "rejected") == rejected, "rejected: %.*s", (int)300, r->body);
}

/* The error i of the answer's "errors": code, line, column. */
static void assert_error(const struct reply *r, int i, const char *code, long line, long column)
{
	const cJSON *errs = obj(r->json, "errors"), *e = cJSON_GetArrayItem(errs, i);

	ck_assert_msg(e != NULL, "no error %d in %.*s", i, (int)300, r->body);
	ck_assert_msg(strcmp(str(e, "code"), code) == 0, "error %d: %.*s", i, (int)300, r->body);
	ck_assert_msg(num(e, "line") == line, "error %d line: %.*s", i, (int)300, r->body);
	if (column)
		ck_assert_msg(num(e, "column") == column, "error %d column: %.*s", i, (int)300, r->body);
}

static void assert_refused(const struct reply *r, long status, const char *code, const char *path)
{
	ck_assert_msg(r->status == status, "expected %ld, got %ld: %.*s", status, r->status,
	              (int)300, r->body);
	ck_assert_msg(reply_str(r, "code") && strcmp(reply_str(r, "code"), code) == 0,
	              "expected code %s: %.*s", code, (int)300, r->body);
	if (path)
		ck_assert_msg(reply_str(r, "path") && strcmp(reply_str(r, "path"), path) == 0,
		              "expected path %s: %.*s", path, (int)300, r->body);
	ck_assert_ptr_nonnull(reply_str(r, "message"));
}

/* The campaign's audience, read back through seed 002's get /audiences/{id}
 * ($take 100): the items array (owned by r). */
static const cJSON *audience(struct fixture *f, int64_t campaign, struct reply *r)
{
	char body[256], auth[96];
	const cJSON *res;

	snprintf(body, sizeof(body), "{\"id\":\"read-1\",\"to\":\"postmaster@activecampaign.msging.net\","
	         "\"method\":\"get\",\"uri\":\"/audiences/%lld?$take=100\"}", (long long)campaign);
	snprintf(auth, sizeof(auth), "Key %s", f->key);
	http_call(&f->s, "POST", "/commands", auth, NULL, body, strlen(body), NULL, r);
	ck_assert_msg(r->status == 200 && reply_str(r, "status") &&
	              strcmp(reply_str(r, "status"), "success") == 0, "audience: %.*s", (int)300,
	              r->body);
	res = obj(r->json, "resource");
	return obj(res, "items");
}

/* Item i of an audience: recipient and, for each of the n name/value
 * pairs, messageParams[name] == value. */
static void assert_recipient(const cJSON *items, int i, const char *phone, int64_t task,
                             const char *const *params, int n)
{
	const cJSON *it = cJSON_GetArrayItem(items, i), *mp;

	ck_assert_msg(it != NULL, "no audience item %d", i);
	ck_assert_str_eq(str(it, "recipient"), phone);
	ck_assert_str_eq(str(it, "channelType"), "cloud_api");
	ck_assert_str_eq(str(it, "status"), "pending");
	if (task) {
		char t[32];

		snprintf(t, sizeof(t), "%lld", (long long)task);
		ck_assert_str_eq(str(it, "taskId"), t);
	}
	mp = cJSON_GetObjectItem(it, "messageParams");
	ck_assert_int_eq(cJSON_GetArraySize(mp), n);
	for (int k = 0; k < n; k++)
		ck_assert_str_eq(str(mp, params[2 * k]), params[2 * k + 1]);
}

/* ------------------------------------------------------ the seed's examples */

static const char *const layout1 =
	"{\n  \"contact\": {\n    \"contactCode\": \"{{contactCode}}\",\n"
	"    \"channelType\": \"{{channelType}}\"\n  },\n  \"customFields\": { \n"
	"      \"name\": \"{{nombre}}\",\n      \"ticketId\": \"{{ticket_id}}\",\n"
	"      \"age\": \"{{edad}}\"\n  }\n}";
static const char *const csv1 =
	"contactCode,channelType,nombre,ticket_id,edad\n"
	"34666777888,cloud_api,John,5123,30\n"
	"34666555666,cloud_api,Jane,5528,25\n"
	"34666111222,cloud_api,Alice,4125,28\n";

START_TEST(seed_example_1_contact_variables_and_custom_fields)
{
	struct fixture f;
	struct reply r;
	const cJSON *items;
	int64_t camp, task;

	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}, ticket {{ticketId}}, age {{age}}");
	send_csv(&f, camp, layout1, csv1, &r);
	assert_accepted(&r, 3, 0);
	ck_assert_str_eq(reply_str(&r, "status"), "scheduled");
	ck_assert_str_eq(reply_str(&r, "timing"), "now");
	ck_assert_int_eq((int)num(r.json, "campaignId"), (int)camp);
	ck_assert_ptr_null(cJSON_GetObjectItem(r.json, "errors"));
	task = (int64_t)num(r.json, "taskId");
	reply_free(&r);
	items = audience(&f, camp, &r);
	ck_assert_int_eq(cJSON_GetArraySize(items), 3);
	{
		const char *const p0[] = { "name", "John", "ticketId", "5123", "age", "30" };
		const char *const p1[] = { "name", "Jane", "ticketId", "5528", "age", "25" };
		const char *const p2[] = { "name", "Alice", "ticketId", "4125", "age", "28" };

		assert_recipient(items, 0, "+34666777888", task, p0, 3);
		assert_recipient(items, 1, "+34666555666", task, p1, 3);
		assert_recipient(items, 2, "+34666111222", task, p2, 3);
	}
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(seed_example_2_fixed_channel_no_custom_fields)
{
	struct fixture f;
	struct reply r;
	const cJSON *items;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "");
	send_csv(&f, camp,
	         "{\n  \"contact\": {\n    \"contactCode\": \"{{contactCode}}\",\n"
	         "    \"channelType\": \"cloud_api\"\n  }\n}",
	         "contactCode\n34666777888\n34666555666\n34666111222\n", &r);
	assert_accepted(&r, 3, 0);
	reply_free(&r);
	items = audience(&f, camp, &r);
	ck_assert_int_eq(cJSON_GetArraySize(items), 3);
	assert_recipient(items, 0, "+34666777888", 0, NULL, 0);
	assert_recipient(items, 1, "+34666555666", 0, NULL, 0);
	assert_recipient(items, 2, "+34666111222", 0, NULL, 0);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(seed_example_3_other_column_names)
{
	struct fixture f;
	struct reply r;
	const cJSON *items;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "Hola {{name}} ({{age}})");
	send_csv(&f, camp,
	         "{\n  \"contact\": {\n    \"contactCode\": \"{{phoneNumber}}\",\n"
	         "    \"channelType\": \"{{channel}}\"\n  },\n  \"customFields\": { \n"
	         "      \"name\": \"{{nombre_cliente}}\",\n      \"age\": \"{{edad_cliente}}\"\n  }\n}",
	         "phoneNumber,channel,nombre_cliente,edad_cliente\n"
	         "34666777888,cloud_api,John,30\n"
	         "34666555666,cloud_api,Jane,25\n"
	         "34666111222,cloud_api,Alice,28\n",
	         &r);
	assert_accepted(&r, 3, 0);
	reply_free(&r);
	items = audience(&f, camp, &r);
	ck_assert_int_eq(cJSON_GetArraySize(items), 3);
	{
		const char *const p0[] = { "name", "John", "age", "30" };
		const char *const p2[] = { "name", "Alice", "age", "28" };

		assert_recipient(items, 0, "+34666777888", 0, p0, 2);
		assert_recipient(items, 2, "+34666111222", 0, p2, 2);
	}
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(seed_example_4_fixed_custom_field_values)
{
	struct fixture f;
	struct reply r;
	const cJSON *items;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "{{name}}: {{discount}} off");
	send_csv(&f, camp,
	         "{\n  \"contact\": {\n    \"contactCode\": \"{{contactCode}}\",\n"
	         "    \"channelType\": \"{{channelType}}\"\n  },\n  \"customFields\": { \n"
	         "      \"name\": \"Dear client\",\n      \"discount\": \"10%\"\n  }\n}",
	         "contactCode,channelType\n34666777888,cloud_api\n34666555666,cloud_api\n"
	         "34666111222,cloud_api\n",
	         &r);
	assert_accepted(&r, 3, 0);
	reply_free(&r);
	items = audience(&f, camp, &r);
	ck_assert_int_eq(cJSON_GetArraySize(items), 3);
	{
		const char *const p[] = { "name", "Dear client", "discount", "10%" };

		for (int i = 0; i < 3; i++)
			assert_recipient(items, i, i == 0 ? "+34666777888" : i == 1 ? "+34666555666"
			                                                          : "+34666111222",
			                 0, p, 2);
	}
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

/* ------------------------------------------------------------- bad rows */

START_TEST(bad_rows_are_reported_and_good_rows_sent)
{
	struct fixture f;
	struct reply r;
	const cJSON *items;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}, ticket {{ticketId}}, age {{age}}");
	send_csv(&f, camp, layout1,
	         "contactCode,channelType,nombre,ticket_id,edad\n"  /* line 1 */
	         "34666777888,cloud_api,John,5123,30\n"             /* 2 good */
	         "34abc,cloud_api,Bad,1,1\n"                        /* 3 contactCode */
	         "34666555666,cloud_api,Jane,5528\n"                /* 4 field count */
	         "34666555667,sms,Jim,5529,40\n"                    /* 5 channelType */
	         "34666555668,cloud_api,,5530,41\n"                 /* 6 empty {{name}} */
	         "34666111222,cloud_api,Alice,4125,28\n",           /* 7 good */
	         &r);
	assert_accepted(&r, 2, 4);
	assert_error(&r, 0, "phone_invalid_characters", 3, 1);
	assert_error(&r, 1, "csv_field_count", 4, 5);
	assert_error(&r, 2, "invalid_channel_type", 5, 2);
	assert_error(&r, 3, "template_missing_variable", 6, 3);
	ck_assert_str_eq(str(cJSON_GetArrayItem(obj(r.json, "errors"), 3), "path"),
	                 "customFields.name");
	ck_assert_int_eq(cJSON_GetArraySize(obj(r.json, "errors")), 4);
	reply_free(&r);
	items = audience(&f, camp, &r);
	ck_assert_int_eq(cJSON_GetArraySize(items), 2);
	{
		const char *const p0[] = { "name", "John", "ticketId", "5123", "age", "30" };
		const char *const p1[] = { "name", "Alice", "ticketId", "4125", "age", "28" };

		assert_recipient(items, 0, "+34666777888", 0, p0, 3);
		assert_recipient(items, 1, "+34666111222", 0, p1, 3);
	}
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(a_file_without_a_valid_row_is_refused_with_every_error)
{
	struct fixture f;
	struct reply r;
	int64_t camp;
	const cJSON *errs;

	setup(&f);
	camp = campaign_with(&f, "");
	send_csv(&f, camp, "{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"}}",
	         "phone\n12\n\"unclosed\n", &r);
	ck_assert_msg(r.status == 400, "%ld %s", r.status, r.body);
	errs = obj(r.json, "errors");
	ck_assert_int_eq(cJSON_GetArraySize(errs), 2);
	ck_assert_int_eq((int)num(cJSON_GetArrayItem(errs, 0), "line"), 2);
	ck_assert_int_eq((int)num(cJSON_GetArrayItem(errs, 1), "line"), 3);
	ck_assert_str_eq(str(cJSON_GetArrayItem(errs, 1), "code"), "csv_unbalanced_quote");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "no row"));
	reply_free(&r);
	/* nothing was created: the next send is task 1 */
	send_csv(&f, camp, "{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"}}",
	         "phone\n34666777888\n", &r);
	assert_accepted(&r, 1, 0);
	ck_assert_int_eq((int)num(r.json, "taskId"), 1);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(many_bad_rows_are_capped_and_counted)
{
	struct fixture f;
	struct reply r;
	struct form form;
	char *csv = malloc(200 * 32);
	size_t len = 0;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "");
	ck_assert_ptr_nonnull(csv);
	len += (size_t)sprintf(csv, "phone\n34666000001\n");
	for (int i = 0; i < 150; i++)
		len += (size_t)sprintf(csv + len, "x%d\n", i);
	form_init(&form, NULL);
	form_text(&form, "layout", "{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"}}");
	form_file(&form, csv);
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_accepted(&r, 1, 150);
	ck_assert_int_eq(cJSON_GetArraySize(obj(r.json, "errors")), 100);
	ck_assert_int_eq((int)num(r.json, "errorsTruncated"), 50);
	assert_error(&r, 99, "phone_invalid_characters", 102, 1);
	reply_free(&r);
	free(form.buf);
	free(csv);
	server_destroy(&f.s);
}
END_TEST

/* ---------------------------------------------------------- file formats */

START_TEST(layout_after_the_file_is_held_and_imported)
{
	struct fixture f;
	struct reply r;
	struct form form;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}, ticket {{ticketId}}, age {{age}}");
	form_init(&form, NULL);
	form_text(&form, "slicingCondition", "fragmentedSlots");
	form_file(&form, csv1);
	form_text(&form, "delay", "PT15M");
	form_text(&form, "layout", layout1);
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_accepted(&r, 3, 0);
	ck_assert_str_eq(reply_str(&r, "timing"), "delay");
	reply_free(&r);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

START_TEST(a_large_file_before_its_layout_is_held_on_disk)
{
	enum { ROWS = 20000 };
	struct fixture f;
	struct reply r;
	struct form form;
	char row[64], cmd[400];
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "");
	form_init(&form, NULL);
	form_puts(&form, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; "
	                 "filename=\"c.csv\"\r\n\r\nphone\n");
	for (int i = 0; i < ROWS; i++) {
		int n = snprintf(row, sizeof(row), "%s346%08d\n", i == 7 ? "x" : "", i);

		form_put(&form, row, (size_t)n);
	}
	form_puts(&form, "\r\n");
	form_text(&form, "layout",
	          "{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"}}");
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_accepted(&r, ROWS - 1, 1);
	assert_error(&r, 0, "phone_invalid_characters", 9, 1);
	reply_free(&r);
	/* the held copy is gone with the request */
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q csv-upload", f.s.data_dir);
	ck_assert_int_ne(system(cmd), 0);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

START_TEST(crlf_bom_and_semicolons)
{
	struct fixture f;
	struct reply r;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}, ticket {{ticketId}}, age {{age}}");
	send_csv(&f, camp, layout1,
	         "\xEF\xBB\xBF" "contactCode,channelType,nombre,ticket_id,edad\r\n"
	         "34666777888,cloud_api,John,5123,30\r\n"
	         "34666555666,cloud_api,\"Jane, Q.\",5528,25\r\n"
	         "34666111222,cloud_api,Alice,4125,28",
	         &r);
	assert_accepted(&r, 3, 0);
	reply_free(&r);
	send_csv(&f, camp, layout1,
	         "contactCode;channelType;nombre;ticket_id;edad\n"
	         "34666777888;cloud_api;John;5123;30\n"
	         "34666555666;cloud_api;Jane, Q.;5528;25\n"
	         "34666111222;cloud_api;Alice;4125;bad\xff\n",
	         &r);
	assert_accepted(&r, 2, 1);
	assert_error(&r, 0, "csv_invalid_utf8", 4, 5);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(context_variables_column)
{
	struct fixture f;
	struct reply r;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "");
	send_csv(&f, camp, "{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"}}",
	         "phone,#contextvariables#\n"
	         "34666777888,\"{\"\"cpf\"\":\"\"1\"\"}\"\n"
	         "34666555666,\"{\\\"\"cpf\\\"\":\\\"\"2\\\"\"}\"\n"
	         "34666111222,\n"
	         "34666111223,not json\n",
	         &r);
	assert_accepted(&r, 3, 1);
	assert_error(&r, 0, "csv_invalid_context_variables", 5, 2);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(duplicates_are_counted)
{
	struct fixture f;
	struct reply r;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "");
	send_csv(&f, camp, "{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"}}",
	         "phone\n34666777888\n+34666777888\n34666555666\n", &r);
	assert_accepted(&r, 2, 0);
	ck_assert_int_eq((int)num(obj(r.json, "recipients"), "duplicates"), 1);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

/* ------------------------------------------------- dry run, idempotency */

START_TEST(dry_run_creates_nothing)
{
	struct fixture f;
	struct reply r;
	struct form form;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}, ticket {{ticketId}}, age {{age}}");
	form_init(&form, NULL);
	form_text(&form, "layout", layout1);
	form_file(&form, csv1);
	form_end(&form);
	post_form(&f, f.app, camp, "?dryRun=true", &form, NULL, NULL, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert(cJSON_IsTrue(obj(r.json, "dryRun")));
	ck_assert(cJSON_IsNull(obj(r.json, "taskId")));
	ck_assert_int_eq((int)num(obj(r.json, "recipients"), "accepted"), 3);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(obj(r.json, "slicing"), "plan"));
	reply_free(&r);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_accepted(&r, 3, 0);
	ck_assert_int_eq((int)num(r.json, "taskId"), 1);
	reply_free(&r);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

START_TEST(idempotency_key_replays_and_refuses_another_body)
{
	struct fixture f;
	struct reply r1, r2;
	struct form a, b, other;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}, ticket {{ticketId}}, age {{age}}");
	/* the same form, two boundaries: the same request */
	form_init(&a, NULL);
	form_text(&a, "layout", layout1);
	form_file(&a, csv1);
	form_end(&a);
	form_init(&b, "another-boundary-42");
	form_text(&b, "layout", layout1);
	form_file(&b, csv1);
	form_end(&b);
	post_form(&f, f.app, camp, NULL, &a, NULL, "Idempotency-Key: csv-1", &r1);
	assert_accepted(&r1, 3, 0);
	post_form(&f, f.app, camp, NULL, &b, NULL, "Idempotency-Key: csv-1", &r2);
	ck_assert_int_eq(r2.status, 202);
	ck_assert_str_eq(r1.body, r2.body);
	reply_free(&r2);
	/* without the key it is a new send */
	post_form(&f, f.app, camp, NULL, &a, NULL, NULL, &r2);
	assert_accepted(&r2, 3, 0);
	ck_assert_int_ne((int)num(r2.json, "taskId"), (int)num(r1.json, "taskId"));
	reply_free(&r2);
	/* the same key with another file */
	form_init(&other, NULL);
	form_text(&other, "layout", layout1);
	form_file(&other, "contactCode,channelType,nombre,ticket_id,edad\n"
	                  "34666777888,cloud_api,John,5123,31\n");
	form_end(&other);
	post_form(&f, f.app, camp, NULL, &other, NULL, "Idempotency-Key: csv-1", &r2);
	assert_refused(&r2, 422, "conflict", NULL);
	reply_free(&r2);
	reply_free(&r1);
	free(a.buf);
	free(b.buf);
	free(other.buf);
	server_destroy(&f.s);
}
END_TEST

/* ------------------------------------------------------------- refusals */

START_TEST(wrong_content_type_is_415)
{
	struct fixture f;
	struct reply r;
	struct form form;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "");
	form_init(&form, NULL);
	form_puts(&form, "{\"layout\":{}}");
	post_form(&f, f.app, camp, NULL, &form, "application/json", NULL, &r);
	assert_refused(&r, 415, "unsupported_content_type", NULL);
	reply_free(&r);
	post_form(&f, f.app, camp, NULL, &form, "multipart/form-data", NULL, &r);
	assert_refused(&r, 415, "unsupported_content_type", NULL);
	reply_free(&r);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

START_TEST(missing_fields_are_400_with_their_names)
{
	struct fixture f;
	struct reply r;
	struct form form;
	int64_t camp;

	setup(&f);
	camp = campaign_with(&f, "");
	form_init(&form, NULL);
	form_file(&form, "contactCode\n34666777888\n");
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 400, "missing_field", "layout");
	reply_free(&r);
	free(form.buf);
	form_init(&form, NULL);
	form_text(&form, "layout", "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}");
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 400, "missing_field", "file");
	reply_free(&r);
	free(form.buf);
	form_init(&form, NULL);
	form_puts(&form, "");
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 400, "missing_field", "layout");
	reply_free(&r);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

START_TEST(bad_layouts_are_400_before_any_row)
{
	struct fixture f;
	struct reply r;
	int64_t camp, plain;
	const char *csv = "contactCode,channelType\n34666777888,cloud_api\n";

	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}");
	plain = campaign_with(&f, "");
	/* JSON syntax: line and column inside the layout */
	send_csv(&f, plain, "{\n  \"contact\": {\n    \"contactCode\" \"x\"\n  }\n}", csv, &r);
	assert_refused(&r, 400, "invalid_json", "layout");
	ck_assert_int_eq((int)num(r.json, "line"), 3);
	ck_assert_int_ge((int)num(r.json, "column"), 18);
	reply_free(&r);
	/* a required field */
	send_csv(&f, plain, "{\"contact\":{\"channelType\":\"cloud_api\"}}", csv, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "path"), "layout.contact.contactCode");
	reply_free(&r);
	/* a placeholder naming no column */
	send_csv(&f, plain, "{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"}}",
	         csv, &r);
	assert_refused(&r, 400, "layout_column_missing", "layout.contact.contactCode");
	ck_assert_ptr_null(cJSON_GetObjectItem(r.json, "errors"));
	reply_free(&r);
	/* the template needs {{name}}: the layout must give it */
	send_csv(&f, camp, "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}",
	         csv, &r);
	assert_refused(&r, 400, "template_missing_variable", "layout.customFields");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "name"));
	reply_free(&r);
	/* header only, and an empty file */
	send_csv(&f, plain, "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}",
	         "contactCode\n", &r);
	assert_refused(&r, 400, "csv_empty", NULL);
	reply_free(&r);
	send_csv(&f, plain, "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}",
	         "", &r);
	assert_refused(&r, 400, "csv_empty", NULL);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(a_field_given_twice_is_refused)
{
	struct fixture f;
	struct reply r;
	struct form form;
	int64_t camp;
	const char *layout =
		"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}";

	setup(&f);
	camp = campaign_with(&f, "");
	form_init(&form, NULL);
	form_text(&form, "layout", layout);
	form_text(&form, "layout", layout);
	form_file(&form, "contactCode\n34666777888\n");
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 400, "invalid_value", "layout");
	reply_free(&r);
	free(form.buf);
	form_init(&form, NULL);
	form_text(&form, "layout", layout);
	form_file(&form, "contactCode\n34666777888\n");
	form_file(&form, "contactCode\n34666777889\n");
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 400, "invalid_value", "file");
	reply_free(&r);
	free(form.buf);
	form_init(&form, NULL);
	form_text(&form, "delay", "PT1H");
	form_text(&form, "layout", layout);
	form_file(&form, "contactCode\n34666777888\n");
	form_text(&form, "delay", "PT2H");
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 400, "invalid_value", "delay");
	reply_free(&r);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

START_TEST(timing_and_slicing_fields_are_checked)
{
	struct fixture f;
	struct reply r;
	struct form form;
	int64_t camp;
	const char *layout =
		"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}";
	/* form fields (name, value pairs) and the refusal each must get */
	static const struct {
		const char *fields[4];
		const char *code, *path;
	} refusals[] = {
		{ { "scheduleAt", "2001-01-01T00:00:00Z" }, "send_time_in_past", "scheduleAt" },
		{ { "delay", "PT1H", "scheduleAt", "2099-01-01T00:00:00Z" }, "schedule_and_delay", "delay" },
		{ { "delay", "PT1X" }, "invalid_duration", "delay" },
		{ { "slicingCondition", "sometimes" }, "unknown_slicing_condition", "slicingCondition" },
	};

	setup(&f);
	camp = campaign_with(&f, "");
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		form_init(&form, NULL);
		form_text(&form, "layout", layout);
		for (int k = 0; k < 4 && refusals[i].fields[k]; k += 2)
			form_text(&form, refusals[i].fields[k], refusals[i].fields[k + 1]);
		form_file(&form, "contactCode\n34666777888\n");
		form_end(&form);
		post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
		assert_refused(&r, 400, refusals[i].code, refusals[i].path);
		reply_free(&r);
		free(form.buf);
	}

	form_init(&form, NULL);
	form_text(&form, "layout", layout);
	form_text(&form, "slicingCondition", "deferredConsecutiveSlots");
	form_text(&form, "delay", "PT2H");
	form_file(&form, "contactCode\n34666777888\n");
	form_end(&form);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_accepted(&r, 1, 0);
	ck_assert_str_eq(reply_str(&r, "timing"), "delay");
	ck_assert_str_eq(str(obj(r.json, "slicing"), "condition"), "deferredConsecutiveSlots");
	reply_free(&r);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

START_TEST(unknown_and_foreign_campaigns_are_404)
{
	struct fixture f;
	struct reply r;
	struct form form;
	char other_key[64], other_auth[80];
	int64_t camp, other_app;
	const char *layout =
		"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}";

	setup(&f);
	camp = campaign_with(&f, "");
	server_create_app(&f.s, "other", &other_app, other_key, sizeof(other_key));
	form_init(&form, NULL);
	form_text(&form, "layout", layout);
	form_file(&form, "contactCode\n34666777888\n");
	form_end(&form);
	post_form(&f, f.app, camp + 100, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 404, "not_found", NULL);
	reply_free(&r);
	/* the other application's key: its own path, our campaign */
	snprintf(other_auth, sizeof(other_auth), "Bearer %s", other_key);
	memcpy(f.auth, other_auth, sizeof(other_auth));
	post_form(&f, other_app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 404, "not_found", NULL);
	reply_free(&r);
	/* ... and our application's path */
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	assert_refused(&r, 404, "not_found", NULL);
	reply_free(&r);
	/* no key at all */
	{
		char path[128], ct[96];

		snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send/csv",
		         (long long)f.app, (long long)camp);
		snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", BOUNDARY);
		http_call(&f.s, "POST", path, NULL, ct, form.buf, form.len, NULL, &r);
		assert_refused(&r, 401, "unauthorized", NULL);
		reply_free(&r);
	}
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

/* ----------------------------------------------------------------- size */

static long vm_hwm_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

/* ASan's quarantine keeps freed blocks (up to 256 MB) and would hide the
 * server's real peak: the server under test runs without it. */
static void no_quarantine(void)
{
	const char *old = getenv("ASAN_OPTIONS");
	char opts[512];

	snprintf(opts, sizeof(opts), "%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0",
	         old ? old : "", old && *old ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
}

START_TEST(two_hundred_thousand_rows_stream_in_bounded_memory)
{
	enum { ROWS = 200000 };
	struct fixture f;
	struct reply r;
	struct form form;
	struct timespec t0, t1;
	char row[400], notes[201], put[160], path[96];
	long before, after;
	int64_t camp;
	double secs;

	no_quarantine();
	setup(&f);
	camp = campaign_with(&f, "Hi {{name}}, ticket {{ticketId}}, age {{age}}");
	/* room for the whole audience in the 48 h */
	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f.app);
	snprintf(put, sizeof(put), "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,"
	                           "\"capacity\":100000}");
	http_call(&f.s, "PUT", path, f.auth, NULL, put, strlen(put), NULL, &r);
	ck_assert_msg(r.status == 200, "slots config: %ld %s", r.status, r.body);
	reply_free(&r);

	/* a wide column the layout does not use makes the upload (about 50 MB)
	 * much larger than what the send keeps of it */
	memset(notes, 'n', sizeof(notes) - 1);
	notes[sizeof(notes) - 1] = '\0';
	form_init(&form, NULL);
	form_text(&form, "layout", layout1);
	form_puts(&form, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; "
	                 "filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n"
	                 "contactCode,channelType,nombre,ticket_id,edad,notes\n");
	for (int i = 0; i < ROWS; i++) {
		int n = snprintf(row, sizeof(row), "346%08d,cloud_api,Name %d,%d,%d,%s\n", i, i, i,
		                 i % 90 + 10, notes);

		form_put(&form, row, (size_t)n);
	}
	form_puts(&form, "\r\n");
	form_end(&form);
	before = vm_hwm_kb(f.s.pid);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	post_form(&f, f.app, camp, NULL, &form, NULL, NULL, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	after = vm_hwm_kb(f.s.pid);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "send_csv: %d rows (%.1f MB) accepted in %.2f s; ccond VmHWM %ld kB "
	        "(%ld kB before the upload)\n", ROWS, (double)form.len / 1e6, secs, after, before);
	assert_accepted(&r, ROWS, 0);
	ck_assert_str_eq(reply_str(&r, "status"), "scheduled");
	/* holding the upload would cost more than this on its own */
	ck_assert_msg((after - before) * 1024 < (long)form.len * 3 / 4,
	              "VmHWM grew by %ld kB for a %zu-byte upload", after - before, form.len);
	reply_free(&r);
	free(form.buf);
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_send_csv(void)
{
	Suite *s = suite_create("send_csv");
	TCase *tc = tcase_create("seed001");
	TCase *big = tcase_create("size");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, seed_example_1_contact_variables_and_custom_fields);
	tcase_add_test(tc, seed_example_2_fixed_channel_no_custom_fields);
	tcase_add_test(tc, seed_example_3_other_column_names);
	tcase_add_test(tc, seed_example_4_fixed_custom_field_values);
	tcase_add_test(tc, bad_rows_are_reported_and_good_rows_sent);
	tcase_add_test(tc, a_file_without_a_valid_row_is_refused_with_every_error);
	tcase_add_test(tc, many_bad_rows_are_capped_and_counted);
	tcase_add_test(tc, layout_after_the_file_is_held_and_imported);
	tcase_add_test(tc, a_large_file_before_its_layout_is_held_on_disk);
	tcase_add_test(tc, crlf_bom_and_semicolons);
	tcase_add_test(tc, context_variables_column);
	tcase_add_test(tc, duplicates_are_counted);
	tcase_add_test(tc, dry_run_creates_nothing);
	tcase_add_test(tc, idempotency_key_replays_and_refuses_another_body);
	tcase_add_test(tc, wrong_content_type_is_415);
	tcase_add_test(tc, missing_fields_are_400_with_their_names);
	tcase_add_test(tc, bad_layouts_are_400_before_any_row);
	tcase_add_test(tc, a_field_given_twice_is_refused);
	tcase_add_test(tc, timing_and_slicing_fields_are_checked);
	tcase_add_test(tc, unknown_and_foreign_campaigns_are_404);
	suite_add_tcase(s, tc);
	tcase_set_timeout(big, 300);
	tcase_add_test(big, two_hundred_thousand_rows_stream_in_bounded_memory);
	suite_add_tcase(s, big);
	return s;
}
