/* The answers of seed 002's campaign-level reads: summaries, audience,
 * messages, report. ccond encodes them, the console decodes them. */
#include "config.h"

#include <ccon/codec_command.h>
#include <ccon/codec_reports.h>
#include <ccon/json_util.h>
#include <ccon/json_writer.h>

#include "suites.h"
#include "testutil.h"

#include <stdio.h>

static cJSON *strict(const char *text)
{
	struct ccon_error err;
	cJSON *j = NULL;

	ck_assert_msg(ccon_json_parse(text, strlen(text), &j, &err) == 0, "%s", err.message);
	return j;
}

static char *print(const cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);

	ck_assert_ptr_nonnull(s);
	return s;
}

static const char *const summary_page =
	"{\"total\":7,\"itemType\":\"x\",\"items\":[{\"id\":\"c1\",\"name\":\"Promo\","
	"\"messageTemplate\":\"promo_1\",\"campaignType\":\"BATCH\",\"channelType\":\"WhatsApp\","
	"\"sendDate\":\"2025-01-02T10:00:00Z\",\"flowId\":\"f\",\"stateId\":\"s\",\"status\":"
	"\"dispatched\",\"created\":\"2025-01-01T09:00:00Z\",\"sourceApplication\":\"API\","
	"\"campaignSender\":\"ana@example.com\",\"failedReason\":null,\"unknown\":{\"a\":1},"
	"\"counts\":{\"total\":10,\"pending\":1,\"processed\":2,\"received\":3,\"read\":2,"
	"\"failed\":1,\"canceled\":1},\"statusAudience\":[{\"status\":\"received\",\"count\":3},"
	"{\"status\":\"failed\",\"count\":1}]},{\"id\":\"c2\"}]}";

START_TEST(test_summary_list_decode)
{
	struct ccon_summary_list l;
	struct ccon_error err;
	cJSON *json = strict(summary_page);

	ck_assert_int_eq(ccon_summary_list_decode(json, &l, &err), 0);
	ck_assert_int_eq(l.total, 7);
	ck_assert_int_eq(l.count, 2);
	ck_assert_str_eq(l.items[0].campaign_sender, "ana@example.com");
	ck_assert_str_eq(l.items[0].send_date, "2025-01-02T10:00:00Z");
	ck_assert_ptr_null(l.items[0].failed_reason);
	ck_assert(l.items[0].has_counts);
	ck_assert_int_eq(l.items[0].counts.total, 10);
	ck_assert_int_eq(l.items[0].counts.read, 2);
	ck_assert_int_eq(l.items[0].counts.canceled, 1);
	ck_assert_int_eq(l.items[0].n_status_audience, 2);
	ck_assert_str_eq(l.items[0].status_audience[1].status, "failed");
	ck_assert_int_eq(l.items[0].status_audience[1].count, 1);
	ck_assert(!l.items[1].has_counts);
	ck_assert_ptr_null(l.items[1].name);
	ccon_summary_list_free(&l);
	cJSON_Delete(json);
}
END_TEST

/* decode, encode, decode, encode: the two texts are the same */
#define ROUND_TRIP(type, text, item_type_check) \
	do { \
		struct type a, b; \
		struct ccon_error err; \
		cJSON *j0 = strict(text), *j1, *j2; \
		char *s1, *s2; \
		ck_assert_int_eq(type##_decode(j0, &a, &err), 0); \
		ck_assert_int_eq(type##_encode(&a, &j1), 0); \
		ck_assert_int_eq(type##_decode(j1, &b, &err), 0); \
		ck_assert_int_eq(type##_encode(&b, &j2), 0); \
		s1 = print(j1); \
		s2 = print(j2); \
		ck_assert_str_eq(s1, s2); \
		item_type_check; \
		free(s1); \
		free(s2); \
		type##_free(&a); \
		type##_free(&b); \
		cJSON_Delete(j0); \
		cJSON_Delete(j1); \
		cJSON_Delete(j2); \
	} while (0)

START_TEST(test_summary_list_round_trip)
{
	ROUND_TRIP(ccon_summary_list, summary_page, {
		ck_assert_ptr_nonnull(strstr(s1, "\"itemType\":\"" CCON_SUMMARY_TYPE "\""));
		ck_assert_ptr_nonnull(strstr(s1, "\"counts\":{\"total\":10,\"pending\":1"));
		ck_assert_ptr_null(strstr(s1, "unknown"));
		ck_assert_int_eq(b.items[0].counts.failed, 1);
	});
}
END_TEST

START_TEST(test_summary_single)
{
	ROUND_TRIP(ccon_campaign_summary,
	           "{\"id\":\"c\",\"status\":\"done\",\"counts\":{\"total\":1,\"read\":1}}", {
		           ck_assert_str_eq(b.status, "done");
		           ck_assert_int_eq(b.counts.read, 1);
		           ck_assert_int_eq(b.counts.pending, 0);
	           });
}
END_TEST

static const char *const audience_page =
	"{\"total\":120,\"items\":[{\"campaignId\":\"c1\",\"taskId\":\"t1\",\"retryOf\":\"t0\","
	"\"recipient\":"
	"\"+5531999990000\",\"recipientType\":\"PhoneNumber\",\"channelType\":\"WhatsApp\","
	"\"messageParams\":{\"1\":\"Ana\",\"2\":3},\"status\":\"failed\",\"audienceStatus\":"
	"\"failed\",\"validatedAccount\":\"5531999990000@wa.gw.msging.net\",\"processed\":"
	"\"2025-01-02T10:00:01Z\",\"failed\":\"2025-01-02T10:00:05Z\",\"reasonCode\":131026,"
	"\"reasonDescription\":\"Message undeliverable\"}]}";

START_TEST(test_audience_page)
{
	ROUND_TRIP(ccon_audience_page, audience_page, {
		ck_assert_int_eq(a.total, 120);
		ck_assert_int_eq(b.count, 1);
		ck_assert_str_eq(b.items[0].task_id, "t1");
		ck_assert_str_eq(b.items[0].retry_of, "t0");
		ck_assert(b.items[0].has_reason_code);
		ck_assert_int_eq(b.items[0].reason_code, 131026);
		ck_assert_str_eq(ccon_fields_get(&b.items[0].message_params, "2"), "3");
		ck_assert_str_eq(b.items[0].failed, "2025-01-02T10:00:05Z");
		ck_assert_ptr_null(b.items[0].read);
	});
}
END_TEST

START_TEST(test_message_page)
{
	ROUND_TRIP(ccon_message_page,
	           "{\"items\":[{\"channelType\":\"WhatsApp\",\"messageTemplate\":\"promo\","
	           "\"messageParams\":[\"1\",\"name\"]},{\"channelType\":\"GoogleRcs\","
	           "\"messageContent\":\"hi\",\"taskId\":\"9\",\"retryOf\":\"4\"}]}", {
		           /* no total: the page's count */
		           ck_assert_int_eq(a.total, 2);
		           ck_assert_int_eq(b.items[0].n_params, 2);
		           ck_assert_str_eq(b.items[0].params[1], "name");
		           ck_assert_str_eq(b.items[1].message_content, "hi");
		           ck_assert_int_eq(b.items[1].n_params, 0);
		           ck_assert_ptr_null(b.items[0].retry_of);
		           ck_assert_str_eq(b.items[1].retry_of, "4");
	           });
}
END_TEST

START_TEST(test_report)
{
	ROUND_TRIP(ccon_campaign_report,
	           "{\"id\":\"c\",\"name\":\"n\",\"messageTemplate\":\"t\",\"masterState\":\"m@x\","
	           "\"flowId\":\"f\",\"stateId\":\"s\",\"stateName\":\"Start\",\"attendanceRedirect\":"
	           "\"agent@x\",\"campaignSender\":\"ana@x\",\"sendDate\":\"2025-01-02\",\"total\":2,"
	           "\"statusAudience\":[{\"recipientIdentity\":\"5531@wa\",\"status\":\"read\","
	           "\"processed\":\"p\",\"received\":\"r\",\"read\":\"d\",\"numberStatus\":\"valid\"},"
	           "{\"recipientIdentity\":\"5532@wa\",\"status\":\"failed\",\"reasonCode\":131047,"
	           "\"reasonDescription\":\"re-engagement\",\"failed\":\"x\",\"taskId\":\"t2\","
	           "\"retryOf\":\"t1\"}]}", {
		           ck_assert(b.has_total);
		           ck_assert_int_eq(b.total, 2);
		           ck_assert_str_eq(b.state_name, "Start");
		           ck_assert_str_eq(b.attendance_redirect, "agent@x");
		           ck_assert_int_eq(b.n_status_audience, 2);
		           ck_assert(!b.status_audience[0].has_reason_code);
		           ck_assert_str_eq(b.status_audience[0].number_status, "valid");
		           ck_assert_int_eq(b.status_audience[1].reason_code, 131047);
		           ck_assert_str_eq(b.status_audience[1].task_id, "t2");
		           ck_assert_str_eq(b.status_audience[1].retry_of, "t1");
		           ck_assert_ptr_null(b.status_audience[0].retry_of);
	           });
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		int which; /* 0 summaries, 1 audience, 2 messages, 3 report */
		const char *text;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ 0, "{\"items\":{}}", CCON_E_JSON_TYPE, "items" },
		{ 0, "{\"total\":-1,\"items\":[]}", CCON_E_JSON_RANGE, "total" },
		{ 0, "{\"items\":[{},{\"counts\":{\"failed\":-2}}]}", CCON_E_JSON_RANGE,
		  "items[1].counts.failed" },
		{ 0, "{\"items\":[{\"statusAudience\":[{\"status\":1}]}]}", CCON_E_JSON_TYPE,
		  "items[0].statusAudience[0].status" },
		{ 0, "{\"items\":[{\"name\":true}]}", CCON_E_JSON_TYPE, "items[0].name" },
		{ 0, "[]", CCON_E_JSON_TYPE, "" },
		{ 1, "{\"items\":[{},{},{},{\"messageParams\":{\"1\":{}}}]}", CCON_E_JSON_TYPE,
		  "items[3].messageParams.1" },
		{ 1, "{\"items\":[{\"reasonCode\":\"131026\"}]}", CCON_E_JSON_TYPE, "items[0].reasonCode" },
		{ 1, "{\"items\":[3]}", CCON_E_JSON_TYPE, "items[0]" },
		{ 2, "{\"items\":[{\"messageParams\":[\"a\",2]}]}", CCON_E_JSON_TYPE,
		  "items[0].messageParams[1]" },
		{ 3, "{\"statusAudience\":[{\"reasonCode\":1.5}]}", CCON_E_JSON_TYPE,
		  "statusAudience[0].reasonCode" },
		{ 3, "{\"total\":\"2\"}", CCON_E_JSON_TYPE, "total" },
		{ 1, "{\"items\":[{},{\"retryOf\":7}]}", CCON_E_JSON_TYPE, "items[1].retryOf" },
		{ 2, "{\"items\":[{\"retryOf\":[]}]}", CCON_E_JSON_TYPE, "items[0].retryOf" },
		{ 3, "{\"statusAudience\":[{\"retryOf\":false}]}", CCON_E_JSON_TYPE,
		  "statusAudience[0].retryOf" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_summary_list sl;
		struct ccon_audience_page ap;
		struct ccon_message_page mp;
		struct ccon_campaign_report r;
		struct ccon_error err;
		cJSON *json = strict(cases[i].text);
		int rc;

		ccon_error_clear(&err);
		switch (cases[i].which) {
		case 0:
			rc = ccon_summary_list_decode(json, &sl, &err);
			ck_assert_ptr_null(sl.items);
			break;
		case 1:
			rc = ccon_audience_page_decode(json, &ap, &err);
			ck_assert_ptr_null(ap.items);
			break;
		case 2:
			rc = ccon_message_page_decode(json, &mp, &err);
			ck_assert_ptr_null(mp.items);
			break;
		default:
			rc = ccon_campaign_report_decode(json, &r, &err);
			ck_assert_ptr_null(r.status_audience);
			break;
		}
		ck_assert_msg(rc == -1, "case %zu", i);
		ck_assert_msg(err.code == cases[i].code, "case %zu: %s", i, err.message);
		ck_assert_msg(strcmp(err.path, cases[i].path) == 0, "case %zu: path %s", i, err.path);
		cJSON_Delete(json);
	}
}
END_TEST

START_TEST(test_hundred_items)
{
	struct ccon_audience_page page = { 0 }, back;
	struct ccon_error err;
	char buf[64];
	cJSON *json;

	page.total = 1000;
	page.count = 100;
	page.items = calloc(100, sizeof(*page.items));
	ck_assert_ptr_nonnull(page.items);
	for (size_t i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "+55319999%05zu", i);
		page.items[i].recipient = strdup(buf);
		page.items[i].status = strdup(i % 10 ? "read" : "failed");
		page.items[i].has_reason_code = i % 10 == 0;
		page.items[i].reason_code = 131026;
		ck_assert_int_eq(ccon_fields_add(&page.items[i].message_params, "1", buf,
		                                 strlen(buf)), 0);
	}
	ck_assert_int_eq(ccon_audience_page_encode(&page, &json), 0);
	ck_assert_int_eq(ccon_audience_page_decode(json, &back, &err), 0);
	ck_assert_int_eq(back.total, 1000);
	ck_assert_int_eq(back.count, 100);
	ck_assert_str_eq(back.items[99].recipient, "+5531999900099");
	ck_assert_str_eq(ccon_fields_get(&back.items[42].message_params, "1"), "+5531999900042");
	ck_assert(back.items[90].has_reason_code);
	ck_assert(!back.items[91].has_reason_code);
	ccon_audience_page_free(&back);
	ccon_audience_page_free(&page);
	ck_assert_ptr_null(page.items);
	cJSON_Delete(json);
}
END_TEST

/* ---- the streaming writers print exactly what the cJSON encoders print */

/* Decodes text as T, then compares T_encode + print with T_write. */
#define SAME_TEXT(T, text) \
	do { \
		struct T v; \
		struct ccon_error e_; \
		cJSON *in_ = strict(text), *tree_ = NULL; \
		struct ccon_strbuf sb_ = CCON_STRBUF_INIT; \
		struct ccon_json_writer w_; \
		char *want_; \
 \
		ck_assert_msg(T##_decode(in_, &v, &e_) == 0, "%s", e_.message); \
		ck_assert_int_eq(T##_encode(&v, &tree_), 0); \
		want_ = print(tree_); \
		ccon_jw_init(&w_, &sb_); \
		ck_assert_int_eq(T##_write(&v, &w_), 0); \
		ck_assert_str_eq(sb_.buf, want_); \
		free(want_); \
		ccon_strbuf_free(&sb_); \
		cJSON_Delete(tree_); \
		cJSON_Delete(in_); \
		T##_free(&v); \
	} while (0)

START_TEST(test_write_same_text)
{
	/* escapes, UTF-8, control characters, empty and absent fields */
	static const char *const odd_summary =
		"{\"id\":\"1\",\"name\":\"Qu\\\"ote\\\\ back\\/slash \\u00e9t\\u00e9 \\ud83d\\ude00\","
		"\"messageTemplate\":\"tab\\there\\nnew\\r\\b\\f\\u0001\\u001f\\u007f\",\"status\":\"\","
		"\"counts\":{\"total\":0,\"pending\":0,\"processed\":0,\"received\":0,\"read\":0,"
		"\"failed\":0,\"canceled\":0},\"statusAudience\":[]}";

	SAME_TEXT(ccon_summary_list, summary_page);
	SAME_TEXT(ccon_summary_list, "{\"total\":0,\"items\":[]}");
	SAME_TEXT(ccon_summary_list, "{\"total\":999999999999,\"items\":[{},{\"id\":\"x\"}]}");
	SAME_TEXT(ccon_campaign_summary, odd_summary);
	SAME_TEXT(ccon_campaign_summary, "{}");
	SAME_TEXT(ccon_campaign_summary,
	          "{\"id\":\"7\",\"counts\":{\"total\":3,\"pending\":3},\"statusAudience\":"
	          "[{\"status\":\"pending\",\"count\":3}]}");
	SAME_TEXT(ccon_audience_page, audience_page);
	SAME_TEXT(ccon_audience_page,
	          "{\"total\":1,\"items\":[{\"recipient\":\"a\\\"b\",\"messageParams\":"
	          "{\"na\\\"me\":\"v\\n\",\"x\":\"\"},\"reasonCode\":-5}]}");
	SAME_TEXT(ccon_message_page,
	          "{\"items\":[{\"channelType\":\"WhatsApp\",\"messageTemplate\":\"promo\","
	          "\"messageParams\":[\"1\",\"na\\\"me\"]},{\"messageContent\":\"hi\\u0002\"}]}");
	SAME_TEXT(ccon_message_page, "{\"total\":5,\"items\":[]}");
	SAME_TEXT(ccon_message_page,
	          "{\"total\":2,\"items\":[{\"taskId\":\"3\"},{\"taskId\":\"5\",\"retryOf\":"
	          "\"3\",\"channelType\":\"sms\"}]}");
	SAME_TEXT(ccon_campaign_report,
	          "{\"id\":\"c\",\"name\":\"n\\\\\",\"total\":2,\"statusAudience\":[{"
	          "\"recipientIdentity\":\"5531@wa\",\"status\":\"read\",\"reasonCode\":0},"
	          "{\"status\":\"failed\",\"reasonCode\":131047,\"taskId\":\"t2\","
	          "\"retryOf\":\"t\\\"1\"}]}");
	SAME_TEXT(ccon_campaign_report, "{}");
}
END_TEST

/* A hundred generated summaries with every field (the size of a page). */
START_TEST(test_write_same_text_built)
{
	struct ccon_summary_list l = { 0 };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;
	cJSON *tree = NULL;
	char buf[64], *want;

	l.total = 12345;
	l.count = 100;
	l.items = calloc(l.count, sizeof(*l.items));
	ck_assert_ptr_nonnull(l.items);
	for (size_t i = 0; i < l.count; i++) {
		struct ccon_campaign_summary *s = &l.items[i];

		snprintf(buf, sizeof(buf), "%zu", i + 1);
		s->id = strdup(buf);
		snprintf(buf, sizeof(buf), "campaign \"%zu\"\t\xc3\xa9", i);
		s->name = strdup(buf);
		s->message_template = strdup("promo_v1");
		s->campaign_type = strdup("BATCH");
		s->channel_type = strdup("WhatsApp");
		s->send_date = i % 3 ? strdup("2025-01-02T10:00:00.250Z") : NULL;
		s->status = strdup("scheduled");
		s->created = strdup("2025-01-01T09:00:00Z");
		s->source_application = i % 2 ? strdup("API") : NULL;
		s->has_counts = true;
		s->counts.total = (int64_t)i * 3;
		s->counts.pending = (int64_t)i * 3;
		if (i) {
			s->status_audience = calloc(1, sizeof(*s->status_audience));
			s->status_audience[0].status = strdup("pending");
			s->status_audience[0].count = (int64_t)i * 3;
			s->n_status_audience = 1;
		}
	}
	ck_assert_int_eq(ccon_summary_list_encode(&l, &tree), 0);
	want = print(tree);
	ccon_jw_init(&w, &sb);
	ck_assert_int_eq(ccon_summary_list_write(&l, &w), 0);
	ck_assert_str_eq(sb.buf, want);
	free(want);
	cJSON_Delete(tree);
	ccon_strbuf_free(&sb);
	ccon_summary_list_free(&l);
}
END_TEST

/* The answer envelope written around a streamed page is the text the
 * cJSON answer (with the page as its resource tree) prints. */
START_TEST(test_answer_envelope_same_text)
{
	struct ccon_command cmd = { 0 };
	struct ccon_command_answer ans;
	struct ccon_summary_list l;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;
	struct ccon_error e;
	cJSON *in = strict(summary_page), *res = NULL, *tree = NULL;
	char *want;

	cmd.id = "c\"1";
	cmd.from = "me@x";
	cmd.method = CCON_CMD_GET;
	cmd.uri = "/campaigns/summaries";
	ck_assert_int_eq(ccon_summary_list_decode(in, &l, &e), 0);
	ck_assert_int_eq(ccon_summary_list_encode(&l, &res), 0);
	ck_assert_int_eq(ccon_command_answer_success(&cmd, CCON_COLLECTION_TYPE, res, &ans), 0);
	ans.metadata = cJSON_CreateObject();
	cJSON_AddStringToObject(ans.metadata, "#command.uri", cmd.uri);
	ck_assert_int_eq(ccon_command_answer_encode(&ans, &tree), 0);
	want = print(tree);

	ccon_jw_init(&w, &sb);      /* begin, the page streamed, end */
	ck_assert_int_eq(ccon_command_answer_write_begin(&ans, true, &w), 0);
	ck_assert_int_eq(ccon_summary_list_write(&l, &w), 0);
	ck_assert_int_eq(ccon_command_answer_write_end(&ans, &w), 0);
	ck_assert_str_eq(sb.buf, want);

	ccon_strbuf_reset(&sb);     /* the whole answer, tree resource */
	ccon_jw_init(&w, &sb);
	ck_assert_int_eq(ccon_command_answer_write(&ans, &w), 0);
	ck_assert_str_eq(sb.buf, want);
	free(want);
	cJSON_Delete(tree);
	ccon_command_answer_free(&ans);

	/* a failure: reason, no resource */
	ck_assert_int_eq(ccon_command_answer_failure(&cmd, 404, "uri: no \"x\"", &ans), 0);
	ck_assert_int_eq(ccon_command_answer_encode(&ans, &tree), 0);
	want = print(tree);
	ccon_strbuf_reset(&sb);
	ccon_jw_init(&w, &sb);
	ck_assert_int_eq(ccon_command_answer_write(&ans, &w), 0);
	ck_assert_str_eq(sb.buf, want);
	free(want);
	cJSON_Delete(tree);
	ccon_command_answer_free(&ans);
	ccon_summary_list_free(&l);
	ccon_strbuf_free(&sb);
	cJSON_Delete(in);
}
END_TEST

/* ---- failure groups (get /campaigns/{id}/failures) */

static const char *const failure_page =
	"{\"total\":4,\"itemType\":\"x\",\"items\":[{\"reasonCode\":131026,"
	"\"reasonDescription\":\"Message undeliverable\",\"count\":12},{\"reasonCode\":131050,"
	"\"reasonDescription\":\"User stopped marketing messages\",\"count\":3,\"extra\":1},"
	"{\"reasonDescription\":\"no code at all\",\"count\":2,\"reasonCode\":null}]}";

START_TEST(test_failure_groups)
{
	ROUND_TRIP(ccon_failure_group_list, failure_page, {
		ck_assert_int_eq(a.total, 4);
		ck_assert_int_eq(b.total, 4);
		ck_assert_int_eq(b.count, 3);
		ck_assert(b.items[0].has_code);
		ck_assert_int_eq(b.items[0].reason_code, 131026);
		ck_assert_str_eq(b.items[0].reason_description, "Message undeliverable");
		ck_assert_int_eq(b.items[0].count, 12);
		ck_assert_int_eq(b.items[1].count, 3);
		ck_assert(!b.items[2].has_code);
		ck_assert_str_eq(b.items[2].reason_description, "no code at all");
		ck_assert_ptr_nonnull(strstr(s1, "\"itemType\":\"" CCON_FAILURE_GROUP_TYPE "\""));
		/* no code: the key is absent, not null */
		ck_assert_ptr_nonnull(strstr(s1, "{\"reasonDescription\":\"no code at all\","
		                                 "\"count\":2}"));
		ck_assert_ptr_null(strstr(s1, "extra"));
	});
	/* empty; no total: the page's count */
	ROUND_TRIP(ccon_failure_group_list, "{\"items\":[]}", {
		ck_assert_int_eq(a.total, 0);
		ck_assert_int_eq(b.count, 0);
		ck_assert_ptr_nonnull(strstr(s1, "\"total\":0,\"items\":[]"));
	});
	ROUND_TRIP(ccon_failure_group_list, "{\"items\":[{},{\"count\":0}]}", {
		ck_assert_int_eq(a.total, 2);
		ck_assert(!b.items[0].has_code);
		ck_assert_ptr_null(b.items[0].reason_description);
	});
}
END_TEST

START_TEST(test_failure_group_errors)
{
	static const struct {
		const char *text;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ "{\"items\":[{},{\"count\":-1}]}", CCON_E_JSON_RANGE, "items[1].count" },
		{ "{\"total\":-3,\"items\":[]}", CCON_E_JSON_RANGE, "total" },
		{ "{\"items\":[{\"reasonCode\":\"131026\"}]}", CCON_E_JSON_TYPE,
		  "items[0].reasonCode" },
		{ "{\"items\":[{\"reasonCode\":1.5}]}", CCON_E_JSON_TYPE, "items[0].reasonCode" },
		{ "{\"items\":[{\"reasonDescription\":7}]}", CCON_E_JSON_TYPE,
		  "items[0].reasonDescription" },
		{ "{\"items\":[{\"count\":\"3\"}]}", CCON_E_JSON_TYPE, "items[0].count" },
		{ "{\"items\":[[]]}", CCON_E_JSON_TYPE, "items[0]" },
		{ "{\"items\":{}}", CCON_E_JSON_TYPE, "items" },
		{ "[]", CCON_E_JSON_TYPE, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_failure_group_list l;
		struct ccon_error err;
		cJSON *json = strict(cases[i].text);

		ccon_error_clear(&err);
		ck_assert_msg(ccon_failure_group_list_decode(json, &l, &err) == -1, "case %zu", i);
		ck_assert_ptr_null(l.items);
		ck_assert_int_eq(l.count, 0);
		ck_assert_msg(err.code == cases[i].code, "case %zu: %s", i, err.message);
		ck_assert_msg(strcmp(err.path, cases[i].path) == 0, "case %zu: path %s", i, err.path);
		cJSON_Delete(json);
	}
}
END_TEST

START_TEST(test_failure_groups_write)
{
	struct ccon_failure_group_list l = { 0 };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;
	char *want;
	cJSON *tree;

	SAME_TEXT(ccon_failure_group_list, failure_page);
	SAME_TEXT(ccon_failure_group_list, "{\"total\":0,\"items\":[]}");
	/* escapes, control characters and UTF-8 in a description */
	SAME_TEXT(ccon_failure_group_list,
	          "{\"total\":999999999999,\"items\":[{\"reasonCode\":-5,\"reasonDescription\":"
	          "\"\\u001b[2J\\u0007 \\\"q\\\" \\u00e9\\ud83d\\ude00\\n\",\"count\":"
	          "123456789}]}");

	/* built by hand (as ccond does): invalid UTF-8 in a description */
	l.total = 1;
	l.count = 1;
	l.items = calloc(1, sizeof(*l.items));
	ck_assert_ptr_nonnull(l.items);
	l.items[0].has_code = true;
	l.items[0].reason_code = 131026;
	l.items[0].reason_description = strdup("bad \xff\xfe byte");
	l.items[0].count = 7;
	ccon_jw_init(&w, &sb);
	ck_assert_int_eq(ccon_failure_group_list_write(&l, &w), 0);
	tree = strict(sb.buf);
	ck_assert_int_eq(cJSON_GetObjectItem(tree, "total")->valueint, 1);
	want = print(cJSON_GetArrayItem(cJSON_GetObjectItem(tree, "items"), 0));
	ck_assert_ptr_nonnull(strstr(want, "\"reasonCode\":131026"));
	ck_assert_ptr_nonnull(strstr(want, "\"count\":7"));
	free(want);
	cJSON_Delete(tree);
	ccon_strbuf_free(&sb);
	ccon_failure_group_list_free(&l);
	ck_assert_ptr_null(l.items);
}
END_TEST

Suite *ccon_suite_codec_reports(void)
{
	Suite *s = suite_create("codec_reports");
	TCase *tc = tcase_create("answers");

	tcase_add_test(tc, test_summary_list_decode);
	tcase_add_test(tc, test_summary_list_round_trip);
	tcase_add_test(tc, test_summary_single);
	tcase_add_test(tc, test_audience_page);
	tcase_add_test(tc, test_message_page);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_hundred_items);
	tcase_add_test(tc, test_write_same_text);
	tcase_add_test(tc, test_write_same_text_built);
	tcase_add_test(tc, test_answer_envelope_same_text);
	tcase_add_test(tc, test_failure_groups);
	tcase_add_test(tc, test_failure_group_errors);
	tcase_add_test(tc, test_failure_groups_write);
	suite_add_tcase(s, tc);
	return s;
}
