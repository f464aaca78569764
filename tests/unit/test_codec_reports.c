/* The answers of seed 002's campaign-level reads: summaries, audience,
 * messages, report. ccond encodes them, the console decodes them. */
#include "config.h"

#include <ccon/codec_reports.h>
#include <ccon/json_util.h>

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
	"{\"total\":120,\"items\":[{\"campaignId\":\"c1\",\"taskId\":\"t1\",\"recipient\":"
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
	           "\"messageContent\":\"hi\"}]}", {
		           /* no total: the page's count */
		           ck_assert_int_eq(a.total, 2);
		           ck_assert_int_eq(b.items[0].n_params, 2);
		           ck_assert_str_eq(b.items[0].params[1], "name");
		           ck_assert_str_eq(b.items[1].message_content, "hi");
		           ck_assert_int_eq(b.items[1].n_params, 0);
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
	           "\"reasonDescription\":\"re-engagement\",\"failed\":\"x\",\"taskId\":\"t2\"}]}", {
		           ck_assert(b.has_total);
		           ck_assert_int_eq(b.total, 2);
		           ck_assert_str_eq(b.state_name, "Start");
		           ck_assert_str_eq(b.attendance_redirect, "agent@x");
		           ck_assert_int_eq(b.n_status_audience, 2);
		           ck_assert(!b.status_audience[0].has_reason_code);
		           ck_assert_str_eq(b.status_audience[0].number_status, "valid");
		           ck_assert_int_eq(b.status_audience[1].reason_code, 131047);
		           ck_assert_str_eq(b.status_audience[1].task_id, "t2");
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
	suite_add_tcase(s, tc);
	return s;
}
