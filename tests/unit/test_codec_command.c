/* The seed 002 command envelope, its routes, the campaign resources, and the
 * relaxed-JSON reader that reads the seed's own example payloads. */
#include "config.h"

#include <ccon/codec_campaign.h>
#include <ccon/codec_command.h>
#include <ccon/json_relaxed.h>
#include <ccon/json_util.h>

#include "suites.h"
#include "testutil.h"

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

/* ------------------------------------------------------------ envelope */

START_TEST(test_command_decode)
{
	const char *text = "{\"id\":\"c1\",\"to\":\"postmaster@activecampaign.msging.net\","
	                   "\"method\":\"SET\",\"uri\":\"/dispatch/v2\",\"type\":\"t\","
	                   "\"resource\":{\"campaignId\":\"abc\"},\"extra\":1}";
	struct ccon_command cmd;
	struct ccon_error err;

	ck_assert_int_eq(ccon_command_parse(text, strlen(text), &cmd, &err), 0);
	ck_assert_str_eq(cmd.id, "c1");
	ck_assert_str_eq(cmd.to, "postmaster@activecampaign.msging.net");
	ck_assert_ptr_null(cmd.from);
	ck_assert_int_eq(cmd.method, CCON_CMD_SET);
	ck_assert_str_eq(cmd.uri, "/dispatch/v2");
	ck_assert_str_eq(cJSON_GetObjectItem(cmd.resource, "campaignId")->valuestring, "abc");
	ccon_command_free(&cmd);
}
END_TEST

START_TEST(test_command_errors)
{
	static const struct {
		const char *text;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ "{\"method\":\"get\",\"uri\":\"/x\"}", CCON_E_JSON_REQUIRED, "id" },
		{ "{\"id\":\"1\",\"uri\":\"/x\"}", CCON_E_JSON_REQUIRED, "method" },
		{ "{\"id\":\"1\",\"method\":\"merge\",\"uri\":\"/x\"}", CCON_E_JSON_VALUE, "method" },
		{ "{\"id\":\"1\",\"method\":\"get\"}", CCON_E_JSON_REQUIRED, "uri" },
		{ "{\"id\":2,\"method\":\"get\",\"uri\":\"/x\"}", CCON_E_JSON_TYPE, "id" },
		{ "{\"id\":\"1\",\"method\":\"set\",\"uri\":\"/x\",\"resource\":\"s\"}", CCON_E_JSON_TYPE,
		  "resource" },
		{ "[1]", CCON_E_JSON_TYPE, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_command cmd;
		struct ccon_error err;

		ccon_error_clear(&err);
		ck_assert_int_eq(ccon_command_parse(cases[i].text, strlen(cases[i].text), &cmd, &err),
		                 -1);
		ck_assert_errc(err, cases[i].code);
		ck_assert_str_eq(err.path, cases[i].path);
		ck_assert_ptr_null(cmd.id);
	}
}
END_TEST

START_TEST(test_command_syntax_position)
{
	const char *text = "{\"id\":\"1\",\n \"method\" \"get\"}";
	struct ccon_command cmd;
	struct ccon_error err;

	ck_assert_int_eq(ccon_command_parse(text, strlen(text), &cmd, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_gt(err.column, 1);
}
END_TEST

START_TEST(test_command_round_trip)
{
	const char *text = "{\"id\":\"c\",\"from\":\"a@b\",\"to\":\"p@q\",\"method\":\"delete\","
	                   "\"uri\":\"/campaigns/x\",\"resource\":[1,{\"a\":null}]}";
	struct ccon_command cmd, again;
	struct ccon_error err;
	cJSON *json;
	char *s;

	ck_assert_int_eq(ccon_command_parse(text, strlen(text), &cmd, &err), 0);
	ck_assert_int_eq(ccon_command_encode(&cmd, &json), 0);
	s = print(json);
	ck_assert_str_eq(s, text);
	ck_assert_int_eq(ccon_command_decode(json, &again, &err), 0);
	ck_assert_int_eq(again.method, CCON_CMD_DELETE);
	ck_assert_str_eq(again.from, "a@b");
	free(s);
	cJSON_Delete(json);
	ccon_command_free(&cmd);
	ccon_command_free(&again);
}
END_TEST

START_TEST(test_answer_seed_example)
{
	char *text = test_read_data("seed002_answer_campaign.json", NULL);
	struct ccon_command_answer ans;
	struct ccon_campaign_info info;
	struct ccon_error err;

	ck_assert_int_eq(ccon_command_answer_parse(text, strlen(text), &ans, &err), 0);
	ck_assert_int_eq(ans.status, CCON_CMD_SUCCESS);
	ck_assert(ans.has_method);
	ck_assert_int_eq(ans.method, CCON_CMD_SET);
	ck_assert_str_eq(ans.type, "application/vnd.iris.activecampaign.campaign+json");
	ck_assert_str_eq(cJSON_GetObjectItem(ans.metadata, "traceparent")->valuestring, "...");
	ck_assert_int_eq(ccon_campaign_info_decode(ans.resource, &info, &err), 0);
	ck_assert_str_eq(info.id, "ffc99160-5182...");
	ck_assert_str_eq(info.campaign_type, "BATCH");
	ck_assert_str_eq(info.status, "new");
	ck_assert_str_eq(info.created, "2024-06-03T17:21:05.577Z");
	ck_assert_ptr_null(info.failed_reason);
	ccon_campaign_info_free(&info);
	ccon_command_answer_free(&ans);
	free(text);
}
END_TEST

START_TEST(test_answer_failure_round_trip)
{
	struct ccon_command cmd = { .id = "c9", .from = "me@x", .to = "pm@y", .method = CCON_CMD_GET,
	                            .uri = "/messages/1" };
	struct ccon_command_answer ans, back;
	struct ccon_error err;
	cJSON *json;

	ck_assert_int_eq(ccon_command_answer_failure(&cmd, 67, "campaign not found", &ans), 0);
	ck_assert_int_eq(ccon_command_answer_encode(&ans, &json), 0);
	ck_assert_int_eq(ccon_command_answer_decode(json, &back, &err), 0);
	ck_assert_int_eq(back.status, CCON_CMD_FAILURE);
	ck_assert(back.has_reason);
	ck_assert_int_eq(back.reason_code, 67);
	ck_assert_str_eq(back.reason_description, "campaign not found");
	ck_assert_str_eq(back.to, "me@x");
	ck_assert_str_eq(back.from, "pm@y");
	ck_assert_str_eq(back.id, "c9");
	cJSON_Delete(json);
	ccon_command_answer_free(&ans);
	ccon_command_answer_free(&back);
}
END_TEST

START_TEST(test_answer_errors)
{
	static const struct {
		const char *text;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ "{\"id\":\"1\"}", CCON_E_JSON_REQUIRED, "status" },
		{ "{\"status\":\"ok\"}", CCON_E_JSON_VALUE, "status" },
		{ "{\"status\":\"failure\",\"reason\":{\"code\":\"x\"}}", CCON_E_JSON_TYPE, "reason.code" },
		{ "{\"status\":\"failure\",\"reason\":{\"code\":1.5}}", CCON_E_JSON_TYPE, "reason.code" },
		{ "{\"status\":\"failure\",\"reason\":{}}", CCON_E_JSON_REQUIRED, "reason.code" },
		{ "{\"status\":\"success\",\"metadata\":[]}", CCON_E_JSON_TYPE, "metadata" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_command_answer ans;
		struct ccon_error err;

		ck_assert_int_eq(ccon_command_answer_parse(cases[i].text, strlen(cases[i].text), &ans,
		                                           &err), -1);
		ck_assert_errc(err, cases[i].code);
		ck_assert_str_eq(err.path, cases[i].path);
	}
}
END_TEST

START_TEST(test_resource_error_path)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	ccon_error_at_path(&err, "audiences[3].messageParams.1");
	ccon_cmd_resource_error_path(&err);
	ck_assert_str_eq(err.path, "resource.audiences[3].messageParams.1");
}
END_TEST

/* --------------------------------------------------------------- routes */

START_TEST(test_uri_routes)
{
	static const struct {
		const char *uri;
		enum ccon_cmd_route route;
		const char *id;
	} cases[] = {
		{ "/campaign/full", CCON_ROUTE_CAMPAIGN_FULL, NULL },
		{ "/campaign/v2", CCON_ROUTE_CAMPAIGN_V2, NULL },
		{ "/Campaign/V2/", CCON_ROUTE_CAMPAIGN_V2, NULL },
		{ "/audiences/v2/abc-1", CCON_ROUTE_AUDIENCES_V2, "abc-1" },
		{ "/audiences/v2/abc-1/file", CCON_ROUTE_AUDIENCES_V2_FILE, "abc-1" },
		{ "/dispatch/v2", CCON_ROUTE_DISPATCH_V2, NULL },
		{ "/campaigns/summaries", CCON_ROUTE_SUMMARIES, NULL },
		{ "/campaigns/c%20d/summaries", CCON_ROUTE_SUMMARY, "c d" },
		{ "/campaigns/c7/reports", CCON_ROUTE_REPORT, "c7" },
		{ "/campaigns/c7", CCON_ROUTE_CAMPAIGN, "c7" },
		{ "/audiences/c7?$skip=10", CCON_ROUTE_AUDIENCE, "c7" },
		{ "/messages/c7", CCON_ROUTE_MESSAGES, "c7" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_cmd_uri u;
		struct ccon_error err;

		ck_assert_msg(ccon_cmd_uri_parse(cases[i].uri, &u, &err) == 0, "%s: %s", cases[i].uri,
		              err.message);
		ck_assert_int_eq(u.route, cases[i].route);
		if (cases[i].id)
			ck_assert_str_eq(u.campaign_id, cases[i].id);
		else
			ck_assert_ptr_null(u.campaign_id);
		ck_assert_int_eq(ccon_cmd_route_has_id(u.route), cases[i].id != NULL);
		ccon_cmd_uri_free(&u);
	}
	ck_assert_int_eq(ccon_cmd_route_method(CCON_ROUTE_CAMPAIGN), CCON_CMD_DELETE);
	ck_assert_int_eq(ccon_cmd_route_method(CCON_ROUTE_SUMMARY), CCON_CMD_GET);
	ck_assert_int_eq(ccon_cmd_route_method(CCON_ROUTE_CAMPAIGN_FULL), CCON_CMD_SET);
}
END_TEST

START_TEST(test_uri_filters)
{
	const char *uri = "/campaigns/summaries?sourceApplication=Broadcast%2DPlugin&campaignSender="
	                  "ana%40example.com&created=2025-01-01&$skip=0&$take=50&foo=a+b&";
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_cmd_uri u, again;
	struct ccon_error err;

	ck_assert_int_eq(ccon_cmd_uri_parse(uri, &u, &err), 0);
	ck_assert_int_eq(u.route, CCON_ROUTE_SUMMARIES);
	ck_assert_str_eq(u.source_application, "Broadcast-Plugin");
	ck_assert_str_eq(u.campaign_sender, "ana@example.com");
	ck_assert_str_eq(u.created, "2025-01-01");
	ck_assert(u.has_skip && u.has_take);
	ck_assert_int_eq(u.skip, 0);
	ck_assert_int_eq(u.take, 50);
	ck_assert_int_eq(u.others.count, 1);
	ck_assert_str_eq(ccon_fields_get(&u.others, "foo"), "a b");
	ck_assert_int_eq(ccon_cmd_uri_format(&u, &sb), 0);
	ck_assert_int_eq(ccon_cmd_uri_parse(ccon_strbuf_cstr(&sb), &again, &err), 0);
	ck_assert_str_eq(again.campaign_sender, "ana@example.com");
	ck_assert_str_eq(ccon_fields_get(&again.others, "foo"), "a b");
	ck_assert_int_eq(again.take, 50);
	ccon_cmd_uri_free(&u);
	ccon_cmd_uri_free(&again);
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(test_uri_defaults_and_task)
{
	struct ccon_cmd_uri u;
	struct ccon_error err;

	ck_assert_int_eq(ccon_cmd_uri_parse("/audiences/c1?taskId=t%2F2", &u, &err), 0);
	ck_assert(!u.has_skip && !u.has_take);
	ck_assert_int_eq(u.take, CCON_CMD_TAKE_DEFAULT);
	ck_assert_str_eq(u.task_id, "t/2");
	ccon_cmd_uri_free(&u);
}
END_TEST

START_TEST(test_uri_errors)
{
	static const struct {
		const char *uri;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ "/campaigns", CCON_E_JSON_VALUE, "" },
		{ "/unknown/route", CCON_E_JSON_VALUE, "" },
		{ "campaign/full", CCON_E_JSON_VALUE, "" },
		{ "/audiences/v2", CCON_E_JSON_VALUE, "" },
		{ "/campaigns//summaries", CCON_E_JSON_VALUE, "" },
		{ "/campaigns/a/b/c/d/e", CCON_E_JSON_VALUE, "" },
		{ "/messages/%zz", CCON_E_JSON_VALUE, "" },
		{ "/messages/a%00b", CCON_E_JSON_VALUE, "" },
		{ "/messages/a%4", CCON_E_JSON_VALUE, "" },
		{ "/messages/a?$take=0", CCON_E_JSON_RANGE, "$take" },
		{ "/messages/a?$take=101", CCON_E_JSON_RANGE, "$take" },
		{ "/messages/a?$skip=-1", CCON_E_JSON_VALUE, "$skip" },
		{ "/messages/a?$skip=", CCON_E_JSON_VALUE, "$skip" },
		{ "/messages/a?$skip=1&$SKIP=2", CCON_E_JSON_VALUE, "$skip" },
		{ "/campaigns/summaries?created=1&created=2", CCON_E_JSON_VALUE, "created" },
		{ "/campaigns/summaries?created=%G1", CCON_E_JSON_VALUE, "created" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_cmd_uri u;
		struct ccon_error err;

		ccon_error_clear(&err);
		ck_assert_msg(ccon_cmd_uri_parse(cases[i].uri, &u, &err) == -1, "%s", cases[i].uri);
		ck_assert_errc(err, cases[i].code);
		ck_assert_msg(strcmp(err.path, cases[i].path) == 0, "%s: path %s", cases[i].uri,
		              err.path);
		ck_assert_ptr_null(u.campaign_id);
	}
}
END_TEST

START_TEST(test_paging_values)
{
	struct ccon_paging p = { -1, -1 };
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_paging_parse(NULL, NULL, &p, &err), 0);
	ck_assert_int_eq(p.skip, 0);
	ck_assert_int_eq(p.take, CCON_CMD_TAKE_DEFAULT);
	ck_assert_int_eq(ccon_paging_parse("0", "1", &p, &err), 0);
	ck_assert_int_eq(p.skip, 0);
	ck_assert_int_eq(p.take, 1);
	ck_assert_int_eq(ccon_paging_parse("999999999999", "100", &p, &err), 0);
	ck_assert_int_eq(p.skip, CCON_CMD_SKIP_MAX);
	ck_assert_int_eq(p.take, CCON_CMD_TAKE_MAX);
	ck_assert_int_eq(ccon_paging_parse("007", NULL, &p, &err), 0);
	ck_assert_int_eq(p.skip, 7);
	ck_assert_int_eq(p.take, CCON_CMD_TAKE_DEFAULT);
	ck_assert_int_eq(ccon_paging_parse(NULL, "05", &p, &err), 0);
	ck_assert_int_eq(p.skip, 0);
	ck_assert_int_eq(p.take, 5);
	ck_assert_int_eq(err.code, CCON_E_OK);
}
END_TEST

START_TEST(test_paging_errors)
{
	static const struct {
		const char *skip, *take;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ "-1", NULL, CCON_E_JSON_VALUE, "$skip" },
		{ "", NULL, CCON_E_JSON_VALUE, "$skip" },
		{ "1.5", NULL, CCON_E_JSON_VALUE, "$skip" },
		{ "+5", NULL, CCON_E_JSON_VALUE, "$skip" },
		{ " 5", NULL, CCON_E_JSON_VALUE, "$skip" },
		{ "5 ", NULL, CCON_E_JSON_VALUE, "$skip" },
		{ "abc", NULL, CCON_E_JSON_VALUE, "$skip" },
		{ "1000000000000", NULL, CCON_E_JSON_RANGE, "$skip" },
		{ "99999999999999999999999999", NULL, CCON_E_JSON_RANGE, "$skip" },
		{ NULL, "0", CCON_E_JSON_RANGE, "$take" },
		{ NULL, "101", CCON_E_JSON_RANGE, "$take" },
		{ NULL, "00", CCON_E_JSON_RANGE, "$take" },
		{ NULL, "abc", CCON_E_JSON_VALUE, "$take" },
		{ NULL, "", CCON_E_JSON_VALUE, "$take" },
		{ NULL, "-5", CCON_E_JSON_VALUE, "$take" },
		{ "x", "0", CCON_E_JSON_VALUE, "$skip" },   /* $skip is read first */
		{ "1", "0", CCON_E_JSON_RANGE, "$take" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_paging p = { -1, -1 };
		struct ccon_error err;

		ccon_error_clear(&err);
		ck_assert_msg(ccon_paging_parse(cases[i].skip, cases[i].take, &p, &err) == -1,
		              "case %zu", i);
		ck_assert_errc(err, cases[i].code);
		ck_assert_str_eq(err.path, cases[i].path);
		ck_assert_ptr_nonnull(strstr(err.message, "expected a whole number from"));
		ck_assert_int_eq(p.skip, -1);   /* untouched */
		ck_assert_int_eq(p.take, -1);
	}
}
END_TEST

START_TEST(test_uri_paging_limits)
{
	struct ccon_cmd_uri u;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_cmd_uri_parse("/messages/a?$SKIP=999999999999&$Take=100", &u, &err), 0);
	ck_assert(u.has_skip && u.has_take);
	ck_assert_int_eq(u.skip, CCON_CMD_SKIP_MAX);
	ck_assert_int_eq(u.take, CCON_CMD_TAKE_MAX);
	ccon_cmd_uri_free(&u);
	ck_assert_int_eq(ccon_cmd_uri_parse("/messages/a?$skip=1000000000000", &u, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_RANGE);
	ck_assert_str_eq(err.path, "$skip");
	ck_assert_int_eq(ccon_cmd_uri_parse("/messages/a?$take=2&$take=3", &u, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_VALUE);
	ck_assert_str_eq(err.path, "$take");
}
END_TEST

START_TEST(test_uri_unknown_message)
{
	struct ccon_cmd_uri u;
	struct ccon_error err;

	ck_assert_int_eq(ccon_cmd_uri_parse("/campaing/full?x=1", &u, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "unknown route \"/campaing/full\""));
}
END_TEST

/* ---------------------------------------------------------- relaxed JSON */

static cJSON *relaxed(const char *text, unsigned flags, struct ccon_json_relaxed_notes *notes)
{
	struct ccon_error err;
	cJSON *j = NULL;

	ck_assert_msg(ccon_json_relaxed_parse(text, strlen(text), flags, &j, notes, &err) == 0,
	              "%ld:%ld %s", err.line, err.column, err.message);
	return j;
}

START_TEST(test_relaxed_fixes)
{
	struct ccon_json_relaxed_notes notes;
	cJSON *j = relaxed("{\n\"a\": 1 // one\n\"b\": [1, 2,],\n/* c, } */ \"c\": \"x,}\"\n,}",
	                   0, &notes);
	char *s = print(j);

	ck_assert_str_eq(s, "{\"a\":1,\"b\":[1,2],\"c\":\"x,}\"}");
	ck_assert_int_eq(notes.comments, 2);
	ck_assert_int_eq(notes.trailing_commas, 2);
	ck_assert_int_eq(notes.inserted_commas, 1);
	ck_assert_int_eq(notes.first_line, 2);
	ck_assert_int_eq(notes.first_column, 7);
	free(s);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_relaxed_strings_untouched)
{
	cJSON *j = relaxed("{\"u\": \"http://x/y // not a comment\", \"q\": \"a\\\"//b\"}", 0, NULL);

	ck_assert_str_eq(cJSON_GetObjectItem(j, "u")->valuestring, "http://x/y // not a comment");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "q")->valuestring, "a\"//b");
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_relaxed_no_insert_in_arrays)
{
	struct ccon_error err;
	cJSON *j;

	/* a missing comma between array items is not guessed: error at "b" */
	ck_assert_int_eq(ccon_json_relaxed_parse("[\"a\"\n \"b\"]", 10, 0, &j, NULL, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 2);
	ck_assert_ptr_null(j);
}
END_TEST

START_TEST(test_relaxed_error_position_original)
{
	/* the comments before the error would shift nothing; the line counts them */
	const char *text = "// header\n/* two\nlines */ {\"a\": 1,\n  \"b\": tru }";
	struct ccon_error err;
	cJSON *j;

	ck_assert_int_eq(ccon_json_relaxed_parse(text, strlen(text), 0, &j, NULL, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 4);
	ck_assert_int_eq(err.column, 8);
}
END_TEST

START_TEST(test_relaxed_unclosed)
{
	const char *text = "{\"a\": {\"b\": [1,\n";
	struct ccon_json_relaxed_notes notes;
	struct ccon_error err;
	cJSON *j;
	char *s;

	ck_assert_int_eq(ccon_json_relaxed_parse(text, strlen(text), 0, &j, NULL, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 1);
	ck_assert_ptr_nonnull(strstr(err.message, "3 containers still open"));
	ck_assert_ptr_nonnull(strstr(err.message, "array was opened at line 1, column 13"));
	j = relaxed(text, CCON_JSON_RELAXED_CLOSE_OPEN, &notes);
	s = print(j);
	ck_assert_str_eq(s, "{\"a\":{\"b\":[1]}}");
	ck_assert_int_eq(notes.closed_at_end, 3);
	free(s);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_relaxed_unterminated_comment)
{
	const char *text = "{\"a\": 1}\n  /* open";
	struct ccon_error err;
	cJSON *j;

	ck_assert_int_eq(ccon_json_relaxed_parse(text, strlen(text), 0, &j, NULL, &err), -1);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 3);
	ck_assert_ptr_nonnull(strstr(err.message, "comment"));
}
END_TEST

START_TEST(test_relaxed_lone_commas_stay_errors)
{
	static const char *const bad[] = { "[,]", "{,}", "[1,,]", "{\"a\":,}" };
	struct ccon_error err;
	cJSON *j;

	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(ccon_json_relaxed_parse(bad[i], strlen(bad[i]), 0, &j, NULL, &err), -1);
		ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	}
	j = relaxed("[1,]", 0, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(j), 1);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_relaxed_trailing_garbage_and_empty)
{
	struct ccon_error err;
	cJSON *j;

	ck_assert_int_eq(ccon_json_relaxed_parse("{} x", 4, 0, &j, NULL, &err), -1);
	ck_assert_int_eq(err.column, 4);
	ck_assert_int_eq(ccon_json_relaxed_parse("// nothing", 10, 0, &j, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "too early"));
	j = relaxed("\xEF\xBB\xBF[1]", 0, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(j), 1);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_relaxed_csv_context_variables)
{
	/* the seed's CSV #contextvariables# example, unescaped, lacks its last } */
	char *text = test_read_data("seed002_csv_context_variables.txt", NULL);
	struct ccon_error err;
	char *r = text, *w = text;
	cJSON *j;

	for (; *r; r++)
		if (!(r[0] == '\\' && r[1] == '"'))
			*w++ = *r;
	*w = '\0';
	ck_assert_int_eq(ccon_json_relaxed_parse(text, strlen(text), 0, &j, NULL, &err), -1);
	j = relaxed(text, CCON_JSON_RELAXED_CLOSE_OPEN, NULL);
	ck_assert_double_eq(cJSON_GetObjectItem(j, "cpf2")->valuedouble, 1000111222);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "specificContext"), "bar")
	                         ->valuestring,
	                 "222specififForBar55512");
	cJSON_Delete(j);
	free(text);
}
END_TEST

/* ------------------------------------------------- the seed's examples */

struct seed_case {
	const char *file;
	bool strict_ok;          /* valid JSON as printed */
	unsigned flags;
	enum ccon_cmd_route route;
	const char *name;
	enum ccon_campaign_type type;
	enum ccon_channel channel;
	size_t n_audiences;
	const char *recipient0;
	const char *param0;       /* first name in message.messageParams, NULL when none */
	const char *param0_value; /* audience[0]'s value of it */
	const char *template_or_content;
	bool slip;
};

static const struct seed_case seed_cases[] = {
	{ "seed002_full_individual_whatsapp.json", false, CCON_JSON_RELAXED_CLOSE_OPEN,
	  CCON_ROUTE_CAMPAIGN_FULL, "Campanha individual completo e sem disparo",
	  CCON_CAMPAIGN_INDIVIDUAL, CCON_CHANNEL_WHATSAPP, 1, "+5531999...", "1",
	  "Repasse do novo Broadcast", "email_commerce_resposta", true },
	{ "seed002_full_individual_rcs.json", false, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual completo e sem disparo", CCON_CAMPAIGN_INDIVIDUAL,
	  CCON_CHANNEL_GOOGLE_RCS, 1, "+5531999...", "1", "Repasse do novo Broadcast",
	  "Exemplo de mensagem", false },
	{ "seed002_full_batch_whatsapp.json", false, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha batch completo e sem disparo", CCON_CAMPAIGN_BATCH, CCON_CHANNEL_WHATSAPP, 2,
	  "+55319...", "1", "Repasse do novo Broadcast", "email_commerce_resposta", false },
	{ "seed002_full_batch_rcs.json", false, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha batch completo e sem disparo", CCON_CAMPAIGN_BATCH, CCON_CHANNEL_GOOGLE_RCS, 2,
	  "+55319...", "1", "Repasse do novo Broadcast", "Mensagem de teste", false },
	{ "seed002_v2_campaign_whatsapp.json", false, 0, CCON_ROUTE_CAMPAIGN_V2,
	  "Campanha em Massa postman {{$guid}}", CCON_CAMPAIGN_BATCH, CCON_CHANNEL_WHATSAPP, 0, NULL,
	  NULL, NULL, "{{messageTemplate}}", false },
	{ "seed002_v2_campaign_rcs.json", false, 0, CCON_ROUTE_CAMPAIGN_V2,
	  "Campanha em Massa postman {{$guid}}", CCON_CAMPAIGN_BATCH, CCON_CHANNEL_GOOGLE_RCS, 0, NULL,
	  NULL, NULL, "Exemplo de mensagem", false },
	{ "seed002_example_template_no_variables.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual completo - Template Sem variavel 7", CCON_CAMPAIGN_INDIVIDUAL,
	  CCON_CHANNEL_WHATSAPP, 1, "{{phonenumber1}}", NULL, NULL, "{{templateWIthoutVariable}}",
	  false },
	{ "seed002_example_template_variables.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual completo - Template Com variavel 10", CCON_CAMPAIGN_INDIVIDUAL,
	  CCON_CHANNEL_WHATSAPP, 1, "{{phonenumber1}}", "1", "{{username1}}",
	  "{{templateWithVariable}}", false },
	{ "seed002_example_reply_with_url.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual - Quicky reply", CCON_CAMPAIGN_INDIVIDUAL, CCON_CHANNEL_WHATSAPP, 1,
	  "{{phonenumber1}}", "1",
	  "https://blipmediastore.blob.core.windows.net/public-medias/"
	  "Media_4709f14b-55b4-474e-9e0c-75264349df82",
	  "{{nomedotemplate}}", false },
	{ "seed002_example_image.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual completo - Template Com Imagem 1", CCON_CAMPAIGN_INDIVIDUAL,
	  CCON_CHANNEL_WHATSAPP, 1, "{{phonenumber1}}", "image",
	  "https://images3.alphacoders.com/107/thumb-1920-1070509.jpg", "{{templateWithImage}}",
	  false },
	{ "seed002_example_video.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual completo - Template Com Video 10", CCON_CAMPAIGN_INDIVIDUAL,
	  CCON_CHANNEL_WHATSAPP, 1, "{{phonenumber1}}", "video",
	  "https://v.ftcdn.net/17/86/49/30/240_F_1786493040_OGqTFtyomFdsGwkoRbYkUSsWKINLbirM_ST.mp4",
	  "{{templateWithVideo}}", false },
	{ "seed002_example_video_batch.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual completo - Template Com Video 2", CCON_CAMPAIGN_BATCH,
	  CCON_CHANNEL_WHATSAPP, 2, "{{phonenumber1}}", "video",
	  "https://v.ftcdn.net/17/86/49/30/240_F_1786493040_OGqTFtyomFdsGwkoRbYkUSsWKINLbirM_ST.mp4",
	  "{{templateWithVideo}}", false },
	{ "seed002_example_carousel.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha individual completo - Template Com Carousel 2", CCON_CAMPAIGN_INDIVIDUAL,
	  CCON_CHANNEL_WHATSAPP, 1, "{{phonenumber1}}", "url1",
	  "https://images3.alphacoders.com/107/thumb-1920-1070509.jpg", "{{templateWithCarousel}}",
	  false },
	{ "seed002_example_carousel_batch.json", true, 0, CCON_ROUTE_CAMPAIGN_FULL,
	  "Campanha Batch completo - Template Com Carousel 3", CCON_CAMPAIGN_BATCH,
	  CCON_CHANNEL_WHATSAPP, 2, "{{phonenumber1}}", "url1",
	  "https://images3.alphacoders.com/107/thumb-1920-1070509.jpg", "{{templateWithCarousel}}",
	  false },
};

static void check_message(const struct seed_case *c, const struct ccon_campaign_message *m)
{
	ck_assert_int_eq(m->channel, c->channel);
	ck_assert_str_eq(c->channel == CCON_CHANNEL_WHATSAPP ? m->message_template
	                                                     : m->message_content,
	                 c->template_or_content);
	if (c->param0)
		ck_assert_str_eq(m->params[0], c->param0);
	else if (c->route == CCON_ROUTE_CAMPAIGN_FULL)
		ck_assert_int_eq(m->n_params, 0);
}

START_TEST(test_seed_examples)
{
	const struct seed_case *c = &seed_cases[_i];
	char *text = test_read_data(c->file, NULL);
	struct ccon_json_relaxed_notes notes;
	struct ccon_command cmd;
	struct ccon_cmd_uri u;
	struct ccon_error err;
	cJSON *json = NULL;

	ck_assert_msg(ccon_json_relaxed_parse(text, strlen(text), c->flags, &json, &notes, &err) == 0,
	              "%s %ld:%ld %s", c->file, err.line, err.column, err.message);
	ck_assert_int_eq(notes.first_line != 0, !c->strict_ok);
	ck_assert_int_eq(ccon_command_decode(json, &cmd, &err), 0);
	ck_assert_int_eq(cmd.method, CCON_CMD_SET);
	ck_assert_str_eq(cmd.to, "postmaster@activecampaign.msging.net");
	ck_assert_int_eq(ccon_cmd_uri_parse(cmd.uri, &u, &err), 0);
	ck_assert_int_eq(u.route, c->route);
	if (c->route == CCON_ROUTE_CAMPAIGN_FULL) {
		struct ccon_full_campaign fc;

		ck_assert_msg(ccon_full_campaign_decode(cmd.resource, &fc, &err) == 0, "%s: %s: %s",
		              c->file, err.path, err.message);
		ck_assert_str_eq(fc.campaign.name, c->name);
		ck_assert_int_eq(fc.campaign.type, c->type);
		ck_assert_int_eq(fc.campaign.channel, c->channel);
		ck_assert_int_eq(fc.n_audiences, c->n_audiences);
		ck_assert_str_eq(fc.audiences[0].recipient, c->recipient0);
		if (c->param0)
			ck_assert_str_eq(ccon_fields_get(&fc.audiences[0].message_params, c->param0),
			                 c->param0_value);
		ck_assert_int_eq(fc.message_in_audience, c->slip);
		check_message(c, &fc.message);
		ccon_full_campaign_free(&fc);
	} else {
		struct ccon_dynamic_campaign dc;

		ck_assert_int_eq(ccon_dynamic_campaign_decode(cmd.resource, &dc, &err), 0);
		ck_assert_str_eq(dc.campaign.name, c->name);
		ck_assert_int_eq(dc.campaign.type, c->type);
		ck_assert_str_eq(dc.campaign.master_state, "masterstate@msging.net");
		ck_assert_int_eq(dc.campaign.n_tags, 3);
		ck_assert_str_eq(dc.campaign.tags[1], "valeu2");
		check_message(c, &dc.message);
		ccon_dynamic_campaign_free(&dc);
	}
	ccon_cmd_uri_free(&u);
	ccon_command_free(&cmd);
	cJSON_Delete(json);

	/* and the strict parser says where the hand-written ones break */
	ck_assert_int_eq(ccon_json_parse(text, strlen(text), &json, &err) == 0, c->strict_ok);
	if (!c->strict_ok) {
		/* each of them first breaks at its `//only for router` comment */
		ck_assert_errc(err, CCON_E_JSON_SYNTAX);
		ck_assert_int_eq(err.line, 13);
		ck_assert_int_ge(err.column, 1);
	}
	cJSON_Delete(c->strict_ok ? json : NULL);
	free(text);
}
END_TEST

START_TEST(test_seed_first_example_details)
{
	char *text = test_read_data("seed002_full_individual_whatsapp.json", NULL);
	struct ccon_full_campaign fc;
	struct ccon_error err;
	cJSON *json;

	/* without the flag the missing } is an error at the end of the text */
	ck_assert_int_eq(ccon_json_relaxed_parse(text, strlen(text), 0, &json, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "opened at line 1, column 1"));
	json = relaxed(text, CCON_JSON_RELAXED_CLOSE_OPEN, NULL);
	ck_assert_int_eq(ccon_full_campaign_decode(cJSON_GetObjectItem(json, "resource"), &fc, &err), 0);
	ck_assert_str_eq(fc.campaign.master_state, "masterstate@msging.net");
	ck_assert_str_eq(fc.campaign.source_application, "Postman");
	ck_assert_str_eq(ccon_fields_get(&fc.audiences[0].context_variables, "cpf"), "123456789001");
	ck_assert_str_eq(ccon_fields_get(&fc.audiences[0].context_variables, "cpf2"), "1000111222");
	ck_assert_str_eq(ccon_fields_get(&fc.audiences[0].context_variables, "canUseTheseValues"),
	                 "false");
	ck_assert_str_eq(ccon_fields_get(&fc.audiences[0].context_variables, "specificContext"),
	                 "{\"foo\":\"111specififForFoo44431\",\"bar\":\"222specififForBar55512\"}");
	ccon_full_campaign_free(&fc);
	cJSON_Delete(json);
	free(text);
}
END_TEST

/* ------------------------------------------------- campaign resources */

/* message extras come first: with a duplicate key the first one counts */
static const char *const full_base =
	"{\"campaign\":{\"name\":\"n\",\"campaignType\":\"%s\"%s},%s,"
	"\"message\":{\"messageTemplate\":\"t\"%s,\"messageParams\":[\"1\",\"2\"]}}";

static int decode_full(const char *type, const char *campaign_extra, const char *audience,
                       const char *message_extra, struct ccon_full_campaign *fc,
                       struct ccon_error *err)
{
	char text[4096];
	cJSON *json;
	int rc;

	snprintf(text, sizeof(text), full_base, type, campaign_extra, audience, message_extra);
	json = strict(text);
	rc = ccon_full_campaign_decode(json, fc, err);
	cJSON_Delete(json);
	return rc;
}

START_TEST(test_full_rules)
{
	static const struct {
		const char *type, *campaign, *audience, *message;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		/* Individual needs `audience` */
		{ "Individual", "", "\"x\":1", "", CCON_E_JSON_REQUIRED, "audience" },
		{ "Individual", "", "\"audiences\":[]", "", CCON_E_JSON_VALUE, "audiences" },
		/* Batch needs `audiences`, at least one */
		{ "Batch", "", "\"audience\":{\"recipient\":\"1\"}", "", CCON_E_JSON_VALUE, "audience" },
		{ "Batch", "", "\"audiences\":[]", "", CCON_E_JSON_LENGTH, "audiences" },
		{ "Batch", "", "\"x\":1", "", CCON_E_JSON_REQUIRED, "audiences" },
		{ "batch", "", "\"audiences\":[{\"recipient\":\"1\",\"messageParams\":{\"1\":\"a\",\"2\":"
		  "\"b\"}},{\"recipient\":\"2\",\"messageParams\":{\"2\":\"b\"}}]", "",
		  CCON_E_JSON_REQUIRED, "audiences[1].messageParams.1" },
		{ "Batch", "", "\"audiences\":[{\"recipient\":\"\"}]", "", CCON_E_JSON_VALUE,
		  "audiences[0].recipient" },
		{ "Batch", "", "\"audiences\":[5]", "", CCON_E_JSON_TYPE, "audiences[0]" },
		{ "Batch", "", "\"audiences\":[{\"recipient\":\"1\",\"messageParams\":{\"1\":[]}}]", "",
		  CCON_E_JSON_TYPE, "audiences[0].messageParams.1" },
		/* message.messageParams names must be present in each audience */
		{ "Individual", "", "\"audience\":{\"recipient\":\"1\",\"messageParams\":{\"1\":\"a\"}}",
		  "", CCON_E_JSON_REQUIRED, "audience.messageParams.2" },
		/* WhatsApp needs messageTemplate, RCS messageContent */
		{ "Individual", ",\"channelType\":\"GoogleRcs\"",
		  "\"audience\":{\"recipient\":\"1\",\"messageParams\":{\"1\":\"a\",\"2\":\"b\"}}", "",
		  CCON_E_JSON_REQUIRED, "message.messageContent" },
		{ "Individual", "", "\"audience\":{\"recipient\":\"1\",\"messageParams\":{\"1\":\"a\","
		  "\"2\":\"b\"}}", ",\"channelType\":\"Telegram\"", CCON_E_JSON_VALUE,
		  "message.channelType" },
		{ "Individual", ",\"channelType\":\"WhatsApp\"", "\"audience\":{\"recipient\":\"1\","
		  "\"messageParams\":{\"1\":\"a\",\"2\":\"b\"}}", ",\"channelType\":\"GoogleRcs\"",
		  CCON_E_JSON_VALUE, "message.channelType" },
		{ "Mass", "", "\"audience\":{}", "", CCON_E_JSON_VALUE, "campaign.campaignType" },
		{ "Individual", ",\"tags\":[\"a\",1]", "\"audience\":{}", "", CCON_E_JSON_TYPE,
		  "campaign.tags[1]" },
		{ "Individual", "", "\"audience\":{\"recipient\":\"1\",\"messageParams\":{\"1\":\"a\","
		  "\"2\":\"b\"}}", ",\"messageParams\":[\"1\",\"1\"]", CCON_E_JSON_VALUE,
		  "message.messageParams[1]" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_full_campaign fc;
		struct ccon_error err;
		char msg[256];

		ccon_error_clear(&err);
		ck_assert_msg(decode_full(cases[i].type, cases[i].campaign, cases[i].audience,
		                          cases[i].message, &fc, &err) == -1, "case %zu", i);
		ccon_error_format(&err, msg, sizeof(msg));
		ck_assert_msg(err.code == cases[i].code, "case %zu: %s", i, msg);
		ck_assert_msg(strcmp(err.path, cases[i].path) == 0, "case %zu: %s", i, msg);
		ck_assert_ptr_null(fc.audiences);
	}
}
END_TEST

START_TEST(test_full_message_param_length)
{
	char audience[800], value[600];
	struct ccon_full_campaign fc;
	struct ccon_error err;

	/* 250 characters (two bytes each) pass, 251 do not */
	for (int n = 250; n <= 251; n++) {
		value[0] = '\0';
		for (int i = 0; i < n; i++)
			strcat(value, i < 125 ? "\xC3\xA9" : "e");
		snprintf(audience, sizeof(audience),
		         "\"audience\":{\"recipient\":\"1\",\"messageParams\":{\"1\":\"%s\",\"2\":\"b\"}}",
		         value);
		if (n == 250) {
			ck_assert_int_eq(decode_full("Individual", "", audience, "", &fc, &err), 0);
			ccon_full_campaign_free(&fc);
		} else {
			ck_assert_int_eq(decode_full("Individual", "", audience, "", &fc, &err), -1);
			ck_assert_errc(err, CCON_E_JSON_LENGTH);
			ck_assert_str_eq(err.path, "audience.messageParams.1");
		}
	}
}
END_TEST

START_TEST(test_full_round_trip)
{
	struct ccon_full_campaign fc, back;
	struct ccon_error err;
	cJSON *json, *json2;
	char *a, *b;

	ck_assert_int_eq(decode_full("BATCH", ",\"flowId\":\"f\",\"scheduled\":\"2025-01-01 10\","
	                             "\"tags\":[\"x\"]",
	                             "\"audiences\":[{\"recipient\":\"+5531\",\"messageParams\":"
	                             "{\"1\":\"a\",\"2\":7,\"extra\":true},\"contextVariables\":"
	                             "{\"n\":1,\"o\":{\"k\":[1]},\"s\":\"{x\"}}]",
	                             ",\"messageTemplateLanguage\":\"pt_BR\"", &fc, &err), 0);
	ck_assert_str_eq(ccon_fields_get(&fc.audiences[0].message_params, "2"), "7");
	ck_assert_int_eq(fc.campaign.channel, CCON_CHANNEL_WHATSAPP);
	ck_assert(!fc.campaign.has_channel);
	ck_assert_int_eq(ccon_full_campaign_encode(&fc, &json), 0);
	a = print(json);
	ck_assert_ptr_nonnull(strstr(a, "\"campaignType\":\"Batch\""));
	ck_assert_ptr_nonnull(strstr(a, "\"o\":{\"k\":[1]}"));
	ck_assert_ptr_nonnull(strstr(a, "\"s\":\"{x\""));
	ck_assert_ptr_nonnull(strstr(a, "\"2\":\"7\""));
	ck_assert_int_eq(ccon_full_campaign_decode(json, &back, &err), 0);
	ck_assert_int_eq(ccon_full_campaign_encode(&back, &json2), 0);
	b = print(json2);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(back.message.template_language, "pt_BR");
	ck_assert_str_eq(back.campaign.scheduled, "2025-01-01 10");
	free(a);
	free(b);
	cJSON_Delete(json);
	cJSON_Delete(json2);
	ccon_full_campaign_free(&fc);
	ccon_full_campaign_free(&back);
}
END_TEST

START_TEST(test_channel_from_message)
{
	const char *text = "{\"campaign\":{\"name\":\"n\",\"campaignType\":\"individual\"},"
	                   "\"audience\":{\"recipient\":\"1\"},\"message\":{\"messageContent\":\"hi\","
	                   "\"channelType\":\"googlercs\"}}";
	struct ccon_full_campaign fc;
	struct ccon_error err;
	cJSON *json = strict(text);

	ck_assert_int_eq(ccon_full_campaign_decode(json, &fc, &err), 0);
	ck_assert_int_eq(fc.campaign.channel, CCON_CHANNEL_GOOGLE_RCS);
	ck_assert_int_eq(fc.message.channel, CCON_CHANNEL_GOOGLE_RCS);
	ccon_full_campaign_free(&fc);
	cJSON_Delete(json);
}
END_TEST

START_TEST(test_dynamic_refuses_audience)
{
	const char *text = "{\"campaign\":{\"name\":\"n\",\"campaignType\":\"Batch\"},"
	                   "\"audiences\":[{\"recipient\":\"1\"}],\"message\":{\"messageTemplate\":\"t\"}}";
	struct ccon_dynamic_campaign dc;
	struct ccon_error err;
	cJSON *json = strict(text);

	ck_assert_int_eq(ccon_dynamic_campaign_decode(json, &dc, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_VALUE);
	ck_assert_str_eq(err.path, "audiences");
	cJSON_Delete(json);
}
END_TEST

START_TEST(test_audience_list_shapes)
{
	static const char *const shapes[] = {
		"[{\"recipient\":\"a\"},{\"recipient\":\"b\",\"messageParams\":{\"1\":\"x\"}}]",
		"{\"audiences\":[{\"recipient\":\"a\"},{\"recipient\":\"b\",\"messageParams\":{\"1\":\"x\"}}]}",
		("{\"total\":2,\"items\":[{\"recipient\":\"a\"},{\"recipient\":\"b\",\"messageParams\":"
		 "{\"1\":\"x\"}}]}"),
	};
	struct ccon_campaign_message msg = { 0 };
	char *names[] = { "1" };

	msg.params = names;
	msg.n_params = 1;
	for (size_t i = 0; i < 3; i++) {
		struct ccon_audience_list al, back;
		struct ccon_error err;
		cJSON *json = strict(shapes[i]), *enc;

		ck_assert_int_eq(ccon_audience_list_decode(json, &al, &err), 0);
		ck_assert_int_eq(al.count, 2);
		ck_assert_str_eq(al.items[1].recipient, "b");
		/* what ccond checks for each audience added to a /campaign/v2 campaign */
		ck_assert_int_eq(ccon_audience_check(&msg, &al.items[1], "audiences[1]", &err), 0);
		ck_assert_int_eq(ccon_audience_check(&msg, &al.items[0], "audiences[0]", &err), -1);
		ck_assert_str_eq(err.path, "audiences[0].messageParams.1");
		ck_assert_int_eq(ccon_audience_list_encode(&al, &enc), 0);
		ck_assert_int_eq(ccon_audience_list_decode(enc, &back, &err), 0);
		ck_assert_int_eq(back.count, 2);
		ccon_audience_list_free(&back);
		ccon_audience_list_free(&al);
		cJSON_Delete(enc);
		cJSON_Delete(json);
	}
}
END_TEST

START_TEST(test_audience_list_errors)
{
	struct ccon_audience_list al;
	struct ccon_error err;
	cJSON *json = strict("{\"audiences\":[{\"recipient\":\"a\"},{}]}");

	ck_assert_int_eq(ccon_audience_list_decode(json, &al, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_REQUIRED);
	ck_assert_str_eq(err.path, "audiences[1].recipient");
	cJSON_Delete(json);
	json = strict("[]");
	ck_assert_int_eq(ccon_audience_list_decode(json, &al, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_LENGTH);
	cJSON_Delete(json);
	json = strict("\"x\"");
	ck_assert_int_eq(ccon_audience_list_decode(json, &al, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_TYPE);
	cJSON_Delete(json);
}
END_TEST

START_TEST(test_dispatch)
{
	struct ccon_dispatch d, back;
	struct ccon_error err;
	cJSON *json = strict("{\"campaignId\":\"c-1\"}"), *enc;

	ck_assert_int_eq(ccon_dispatch_decode(json, &d, &err), 0);
	ck_assert_str_eq(d.campaign_id, "c-1");
	ck_assert_int_eq(ccon_dispatch_encode(&d, &enc), 0);
	ck_assert_int_eq(ccon_dispatch_decode(enc, &back, &err), 0);
	ck_assert_str_eq(back.campaign_id, "c-1");
	ccon_dispatch_free(&d);
	ccon_dispatch_free(&back);
	cJSON_Delete(json);
	cJSON_Delete(enc);
	json = strict("{\"campaignId\":\"\"}");
	ck_assert_int_eq(ccon_dispatch_decode(json, &d, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_VALUE);
	ck_assert_str_eq(err.path, "campaignId");
	cJSON_Delete(json);
}
END_TEST

START_TEST(test_campaign_info_round_trip)
{
	struct ccon_campaign_info ci = { .id = "i", .name = "n", .campaign_type = "BATCH",
	                                 .status = "scheduled", .failed_reason = "none" };
	struct ccon_campaign_info back;
	struct ccon_error err;
	cJSON *json;

	ck_assert_int_eq(ccon_campaign_info_encode(&ci, &json), 0);
	ck_assert_int_eq(ccon_campaign_info_decode(json, &back, &err), 0);
	ck_assert_str_eq(back.campaign_type, "BATCH");
	ck_assert_str_eq(back.failed_reason, "none");
	ck_assert_ptr_null(back.flow_id);
	ccon_campaign_info_free(&back);
	cJSON_Delete(json);
	json = strict("{\"name\":\"n\"}");
	ck_assert_int_eq(ccon_campaign_info_decode(json, &back, &err), -1);
	ck_assert_str_eq(err.path, "id");
	cJSON_Delete(json);
}
END_TEST

/* ------------------------------------------- failures route and filters */

START_TEST(test_uri_failures_route)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_cmd_uri u;
	struct ccon_error err;

	ck_assert_int_eq(ccon_cmd_uri_parse("/Campaigns/c%207/FAILURES/?taskId=3&$take=5", &u,
	                                    &err), 0);
	ck_assert_int_eq(u.route, CCON_ROUTE_FAILURES);
	ck_assert_str_eq(u.campaign_id, "c 7");
	ck_assert_str_eq(u.task_id, "3");
	ck_assert_int_eq(u.take, 5);
	ck_assert(ccon_cmd_route_has_id(u.route));
	ck_assert_int_eq(ccon_cmd_route_method(u.route), CCON_CMD_GET);
	ck_assert_str_eq(ccon_cmd_route_pattern(u.route), "/campaigns/{id}/failures");
	ck_assert_int_eq(ccon_cmd_uri_format(&u, &sb), 0);
	ck_assert_str_eq(sb.buf, "/campaigns/c%207/failures?taskId=3&$take=5");
	ccon_cmd_uri_free(&u);
	ccon_strbuf_free(&sb);
	/* a campaign called "failures" is still one */
	ck_assert_int_eq(ccon_cmd_uri_parse("/campaigns/failures", &u, &err), 0);
	ck_assert_int_eq(u.route, CCON_ROUTE_CAMPAIGN);
	ccon_cmd_uri_free(&u);
	ck_assert_int_eq(ccon_cmd_uri_parse("/campaigns/x/failures/more", &u, &err), -1);
}
END_TEST

START_TEST(test_uri_status_and_code)
{
	static const char *const statuses[] = { "pending", "processed", "received", "read",
	                                        "failed", "canceled" };
	struct ccon_cmd_uri u;
	struct ccon_error err;
	char uri[96];

	ck_assert_int_eq(ccon_cmd_uri_parse("/audiences/9?status=FaIlEd&reasonCode=131026&"
	                                    "taskId=4&$skip=100&$take=100", &u, &err), 0);
	ck_assert_str_eq(u.status, "failed");
	ck_assert(u.has_reason_code);
	ck_assert_int_eq(u.reason_code, 131026);
	ck_assert_str_eq(u.task_id, "4");
	ck_assert_int_eq(u.skip, 100);
	ccon_cmd_uri_free(&u);
	for (size_t i = 0; i < 6; i++) {
		snprintf(uri, sizeof(uri), "/campaigns/1/reports?status=%s", statuses[i]);
		ck_assert_int_eq(ccon_cmd_uri_parse(uri, &u, &err), 0);
		ck_assert_str_eq(u.status, statuses[i]);
		ck_assert(!u.has_reason_code);
		ck_assert(ccon_cmd_recipient_status_valid(u.status));
		ccon_cmd_uri_free(&u);
	}
	/* the edges of reasonCode */
	ck_assert_int_eq(ccon_cmd_uri_parse("/audiences/9?reasonCode=0", &u, &err), 0);
	ck_assert(u.has_reason_code);
	ck_assert_int_eq(u.reason_code, 0);
	ccon_cmd_uri_free(&u);
	ck_assert_int_eq(ccon_cmd_uri_parse("/audiences/9?REASONCODE=999999999999", &u, &err), 0);
	ck_assert_int_eq(u.reason_code, CCON_CMD_REASON_CODE_MAX);
	ccon_cmd_uri_free(&u);
	ck_assert(!ccon_cmd_recipient_status_valid("Failed"));
	ck_assert(!ccon_cmd_recipient_status_valid(""));
	ck_assert(!ccon_cmd_recipient_status_valid(NULL));
}
END_TEST

START_TEST(test_uri_filter_errors)
{
	static const struct {
		const char *uri;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ "/audiences/1?status=sent", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=failed,read", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=failed%2Cread", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=failed+", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=fail%00ed", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=%C3%A9", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=%FF", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?status=read&Status=read", CCON_E_JSON_VALUE, "status" },
		{ "/audiences/1?reasonCode=", CCON_E_JSON_VALUE, "reasonCode" },
		{ "/audiences/1?reasonCode=-1", CCON_E_JSON_VALUE, "reasonCode" },
		{ "/audiences/1?reasonCode=%2B5", CCON_E_JSON_VALUE, "reasonCode" },
		{ "/audiences/1?reasonCode=13x", CCON_E_JSON_VALUE, "reasonCode" },
		{ "/audiences/1?reasonCode=1.5", CCON_E_JSON_VALUE, "reasonCode" },
		{ "/audiences/1?reasonCode=1000000000000", CCON_E_JSON_RANGE, "reasonCode" },
		{ "/audiences/1?reasonCode=99999999999999999999999999", CCON_E_JSON_RANGE,
		  "reasonCode" },
		{ "/audiences/1?reasonCode=1&reasoncode=1", CCON_E_JSON_VALUE, "reasonCode" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_cmd_uri u;
		struct ccon_error err;

		ccon_error_clear(&err);
		ck_assert_msg(ccon_cmd_uri_parse(cases[i].uri, &u, &err) == -1, "%s", cases[i].uri);
		ck_assert_errc(err, cases[i].code);
		ck_assert_msg(strcmp(err.path, cases[i].path) == 0, "%s: path %s", cases[i].uri,
		              err.path);
		ck_assert_ptr_null(u.status);
		ck_assert(!u.has_reason_code);
	}
}
END_TEST

/* The console builds its uris from the struct: every field, escaped, back
 * to the same struct. */
START_TEST(test_uri_format_filters)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_cmd_uri u = { 0 }, back;
	struct ccon_error err;

	u.route = CCON_ROUTE_AUDIENCE;
	u.campaign_id = strdup("a/b?c");
	u.task_id = strdup("12");
	u.status = strdup("failed");
	u.has_reason_code = true;
	u.reason_code = 131026;
	u.has_skip = u.has_take = true;
	u.skip = 200;
	u.take = 100;
	ck_assert_int_eq(ccon_cmd_uri_format(&u, &sb), 0);
	ck_assert_str_eq(sb.buf, "/audiences/a%2Fb%3Fc?taskId=12&status=failed&reasonCode=131026&"
	                         "$skip=200&$take=100");
	ck_assert_int_eq(ccon_cmd_uri_parse(sb.buf, &back, &err), 0);
	ck_assert_int_eq(back.route, CCON_ROUTE_AUDIENCE);
	ck_assert_str_eq(back.campaign_id, "a/b?c");
	ck_assert_str_eq(back.status, "failed");
	ck_assert(back.has_reason_code);
	ck_assert_int_eq(back.reason_code, 131026);
	ck_assert_int_eq(back.skip, 200);
	ccon_cmd_uri_free(&back);

	/* absent filters are left out; a code of 0 is a code */
	free(u.status);
	u.status = NULL;
	u.reason_code = 0;
	u.has_skip = u.has_take = false;
	ccon_strbuf_reset(&sb);
	ck_assert_int_eq(ccon_cmd_uri_format(&u, &sb), 0);
	ck_assert_str_eq(sb.buf, "/audiences/a%2Fb%3Fc?taskId=12&reasonCode=0");
	u.has_reason_code = false;
	ccon_strbuf_reset(&sb);
	ck_assert_int_eq(ccon_cmd_uri_format(&u, &sb), 0);
	ck_assert_str_eq(sb.buf, "/audiences/a%2Fb%3Fc?taskId=12");
	ccon_cmd_uri_free(&u);
	ccon_strbuf_free(&sb);
}
END_TEST

Suite *ccon_suite_codec_command(void)
{
	Suite *s = suite_create("codec_command");
	TCase *tc;

	tc = tcase_create("envelope");
	tcase_add_test(tc, test_command_decode);
	tcase_add_test(tc, test_command_errors);
	tcase_add_test(tc, test_command_syntax_position);
	tcase_add_test(tc, test_command_round_trip);
	tcase_add_test(tc, test_answer_seed_example);
	tcase_add_test(tc, test_answer_failure_round_trip);
	tcase_add_test(tc, test_answer_errors);
	tcase_add_test(tc, test_resource_error_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("uri");
	tcase_add_test(tc, test_uri_routes);
	tcase_add_test(tc, test_uri_filters);
	tcase_add_test(tc, test_uri_defaults_and_task);
	tcase_add_test(tc, test_uri_errors);
	tcase_add_test(tc, test_uri_unknown_message);
	tcase_add_test(tc, test_uri_paging_limits);
	tcase_add_test(tc, test_uri_failures_route);
	tcase_add_test(tc, test_uri_status_and_code);
	tcase_add_test(tc, test_uri_filter_errors);
	tcase_add_test(tc, test_uri_format_filters);
	suite_add_tcase(s, tc);

	tc = tcase_create("paging");
	tcase_add_test(tc, test_paging_values);
	tcase_add_test(tc, test_paging_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_relaxed");
	tcase_add_test(tc, test_relaxed_fixes);
	tcase_add_test(tc, test_relaxed_strings_untouched);
	tcase_add_test(tc, test_relaxed_no_insert_in_arrays);
	tcase_add_test(tc, test_relaxed_error_position_original);
	tcase_add_test(tc, test_relaxed_unclosed);
	tcase_add_test(tc, test_relaxed_unterminated_comment);
	tcase_add_test(tc, test_relaxed_lone_commas_stay_errors);
	tcase_add_test(tc, test_relaxed_trailing_garbage_and_empty);
	tcase_add_test(tc, test_relaxed_csv_context_variables);
	suite_add_tcase(s, tc);

	tc = tcase_create("seed_examples");
	tcase_add_loop_test(tc, test_seed_examples, 0,
	                    (int)(sizeof(seed_cases) / sizeof(seed_cases[0])));
	tcase_add_test(tc, test_seed_first_example_details);
	suite_add_tcase(s, tc);

	tc = tcase_create("campaign");
	tcase_add_test(tc, test_full_rules);
	tcase_add_test(tc, test_full_message_param_length);
	tcase_add_test(tc, test_full_round_trip);
	tcase_add_test(tc, test_channel_from_message);
	tcase_add_test(tc, test_dynamic_refuses_audience);
	tcase_add_test(tc, test_audience_list_shapes);
	tcase_add_test(tc, test_audience_list_errors);
	tcase_add_test(tc, test_dispatch);
	tcase_add_test(tc, test_campaign_info_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
