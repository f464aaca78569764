#include "config.h"

#include <ccon/export.h>

#include <cjson/cJSON.h>
#include <errno.h>

#include "suites.h"
#include "testutil.h"

/* The CSV text of one row of cells. */
static void expect_row(const char *const *cells, size_t n, const char *want)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_export_sink sink;
	struct ccon_csv_writer w;

	ccon_export_sink_strbuf(&sink, &sb);
	ccon_csv_init(&w, &sink);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(ccon_csv_cell(&w, cells[i]), 0);
	ck_assert_int_eq(ccon_csv_end_row(&w), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), want);
	ccon_strbuf_free(&sb);
}

static void expect_cell(const char *cell, const char *want)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s\r\n", want);
	expect_row(&cell, 1, buf);
}

START_TEST(rfc4180_cells)
{
	const char *row[] = { "a", NULL, "", "b c", "x,y", "say \"hi\"", "two\nlines", "cr\r" };

	expect_row(row, 8, "a,,,b c,\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n");
	expect_cell("\"", "\"\"\"\"");
	expect_cell("\"\"", "\"\"\"\"\"\"");
	expect_cell("caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5");
	/* data is written raw: no sanitising, no UTF-8 repair */
	expect_cell("\x1b[2J\xff", "\x1b[2J\xff");
	expect_row(NULL, 0, "\r\n");
}
END_TEST

START_TEST(formulas_neutralised)
{
	expect_cell("=SUM(A1:A9)", "'=SUM(A1:A9)");
	expect_cell("=1+1", "'=1+1");
	expect_cell("+1+1", "'+1+1");
	expect_cell("-1+1", "'-1+1");
	expect_cell("@SUM(A1)", "'@SUM(A1)");
	expect_cell("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	expect_cell("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0");
	expect_cell("\t=1", "'\t=1");
	expect_cell("\r=1", "\"'\r=1\"");
	expect_cell("-", "'-");
	expect_cell("+", "'+");
	expect_cell("+34 666 000 001", "'+34 666 000 001");
	expect_cell("+34-666", "'+34-666");
	expect_cell("-1.", "'-1.");
	expect_cell("+.5", "'+.5");
	expect_cell("+1e5", "'+1e5");
	expect_cell("\xef\xbc\x9d" "1+1", "'\xef\xbc\x9d" "1+1");   /* fullwidth = */
	expect_cell("\xef\xbc\x8b" "1", "'\xef\xbc\x8b" "1");
	expect_cell("\xef\xbc\x8d" "1", "'\xef\xbc\x8d" "1");
	expect_cell("\xef\xbc\xa0" "x", "'\xef\xbc\xa0" "x");
	/* numbers and phone numbers are not formulas */
	expect_cell("+34666000001", "+34666000001");
	expect_cell("-12", "-12");
	expect_cell("-12.5", "-12.5");
	expect_cell("+0.25", "+0.25");
	expect_cell("34666000001", "34666000001");
	/* only the first character counts */
	expect_cell("a=1", "a=1");
	expect_cell(" =1", " =1");
	expect_cell("'=1", "'=1");
	ck_assert(ccon_csv_is_formula("=", 1));
	ck_assert(!ccon_csv_is_formula("", 0));
	ck_assert(!ccon_csv_is_formula("+1", 2));
	ck_assert(ccon_csv_is_formula("+1", 0) == false);
	ck_assert(ccon_csv_is_formula("+1 ", 3));
	ck_assert(ccon_csv_is_formula("\xef\xbc", 2) == false);
}
END_TEST

START_TEST(cells_with_nul_and_huge)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_export_sink sink;
	struct ccon_csv_writer w;
	size_t n = 1 << 20;
	char *big = malloc(n);

	memset(big, 'q', n);
	big[100] = '"';
	big[0] = '=';
	ccon_export_sink_strbuf(&sink, &sb);
	ccon_csv_init(&w, &sink);
	ck_assert_int_eq(ccon_csv_cell_n(&w, "a\0b", 3), 0);
	ck_assert_int_eq(ccon_csv_cell_n(&w, big, n), 0);
	ck_assert_int_eq(ccon_csv_cell_int(&w, INT64_MIN), 0);
	ck_assert_int_eq(ccon_csv_end_row(&w), 0);
	ck_assert_uint_eq(sb.len, 3 + 1 + (n + 4) + 1 + 20 + 2);
	ck_assert(memcmp(sb.buf, "a\0b,\"'=", 7) == 0);
	ck_assert(memcmp(sb.buf + sb.len - 23, ",-9223372036854775808\r\n", 23) == 0);
	free(big);
	ccon_strbuf_free(&sb);
}
END_TEST

static struct ccon_audience_item audience_item(char *recipient, char *status, char *failed,
                                               bool has_code, int64_t code, char *desc)
{
	struct ccon_audience_item it;

	memset(&it, 0, sizeof(it));
	it.recipient = recipient;
	it.status = status;
	it.processed = (char *)"2026-11-23T10:00:00Z";
	it.failed = failed;
	it.has_reason_code = has_code;
	it.reason_code = code;
	it.reason_description = desc;
	return it;
}

START_TEST(report_tables)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_export_sink sink;
	struct ccon_csv_writer w;
	struct ccon_campaign_summary s;
	struct ccon_failure_group g[2] = {
		{ true, 131026, (char *)"Message undeliverable", 12 },
		{ false, 0, (char *)"=evil()", 3 },
	};
	struct ccon_audience_item items[2] = {
		audience_item((char *)"+34666000001", (char *)"failed", (char *)"2026-11-23T10:00:05Z",
		              true, 131026, (char *)"Message undeliverable, \"permanent\""),
		audience_item((char *)"@attacker", (char *)"read", NULL, false, 0, NULL),
	};

	memset(&s, 0, sizeof(s));
	s.id = (char *)"c-1";
	s.name = (char *)"-2+3 promo, \"Nov\"";
	s.channel_type = (char *)"cloud_api";
	s.status = (char *)"done";
	s.has_counts = true;
	s.counts = (struct ccon_recipient_counts){ 15, 0, 0, 0, 0, 3, 0 };
	ccon_export_sink_strbuf(&sink, &sb);
	ccon_csv_init(&w, &sink);
	ck_assert_int_eq(ccon_export_csv_summary_header(&w), 0);
	ck_assert_int_eq(ccon_export_csv_summary(&w, &s), 0);
	s.has_counts = false;
	s.name = NULL;
	ck_assert_int_eq(ccon_export_csv_summary(&w, &s), 0);
	ck_assert_int_eq(ccon_export_csv_failures_header(&w), 0);
	ck_assert_int_eq(ccon_export_csv_failure(&w, &g[0]), 0);
	ck_assert_int_eq(ccon_export_csv_failure(&w, &g[1]), 0);
	ck_assert_int_eq(ccon_export_csv_audience_header(&w), 0);
	ck_assert_int_eq(ccon_export_csv_audience(&w, &items[0]), 0);
	ck_assert_int_eq(ccon_export_csv_audience(&w, &items[1]), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb),
		"campaignId,name,channelType,status,sendDate,total,pending,processed,received,read,"
		"failed,canceled\r\n"
		"c-1,\"'-2+3 promo, \"\"Nov\"\"\",cloud_api,done,,15,0,0,0,0,3,0\r\n"
		"c-1,,cloud_api,done,,,,,,,,\r\n"
		"reasonCode,reasonDescription,count\r\n"
		"131026,Message undeliverable,12\r\n"
		",'=evil(),3\r\n"
		"recipient,status,processed,received,read,failed,reasonCode,reasonDescription\r\n"
		"+34666000001,failed,2026-11-23T10:00:00Z,,,2026-11-23T10:00:05Z,131026,"
		"\"Message undeliverable, \"\"permanent\"\"\"\r\n"
		"'@attacker,read,2026-11-23T10:00:00Z,,,,,\r\n");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(json_audience_array)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_export_sink sink;
	struct ccon_export_json j;
	struct ccon_audience_item a = audience_item((char *)"+34666000001", (char *)"failed",
	                                            (char *)"2026-11-23T10:00:05Z", true, 131026,
	                                            (char *)"bad \"\x1b\xff");
	struct ccon_audience_item b = audience_item((char *)"=x", NULL, NULL, false, 0, NULL);

	ccon_export_sink_strbuf(&sink, &sb);
	ck_assert_int_eq(ccon_export_json_audience_begin(&j, &sink), 0);
	ck_assert_int_eq(ccon_export_json_audience(&j, &a), 0);
	ck_assert_int_eq(ccon_export_json_audience(&j, &b), 0);
	ck_assert_int_eq(ccon_export_json_end(&j), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb),
		"[{\"recipient\":\"+34666000001\",\"status\":\"failed\",\"processed\":"
		"\"2026-11-23T10:00:00Z\",\"received\":null,\"read\":null,\"failed\":"
		"\"2026-11-23T10:00:05Z\",\"reasonCode\":131026,\"reasonDescription\":"
		"\"bad \\\"\\u001b\xef\xbf\xbd\"},"
		"{\"recipient\":\"=x\",\"status\":null,\"processed\":\"2026-11-23T10:00:00Z\","
		"\"received\":null,\"read\":null,\"failed\":null,\"reasonCode\":null,"
		"\"reasonDescription\":null}]\n");
	ccon_strbuf_reset(&sb);
	ck_assert_int_eq(ccon_export_json_audience_begin(&j, &sink), 0);
	ck_assert_int_eq(ccon_export_json_end(&j), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "[]\n");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(json_report_object_streams_to_a_file)
{
	FILE *f = tmpfile();
	struct ccon_export_sink sink;
	struct ccon_export_json j;
	struct ccon_campaign_summary s;
	struct ccon_failure_group g = { true, 131047, (char *)"Re-engagement", 2 };
	struct ccon_audience_item it = audience_item((char *)"+1", (char *)"read", NULL, false, 0,
	                                             NULL);
	char *text;
	long len;
	cJSON *root, *aud;
	size_t rows = 20000;

	memset(&s, 0, sizeof(s));
	s.id = (char *)"c-9";
	s.name = (char *)"Big";
	ccon_export_sink_file(&sink, f);
	ck_assert_int_eq(ccon_export_json_report_begin(&j, &sink, &s, &g, 1), 0);
	for (size_t i = 0; i < rows; i++) {
		ck_assert_int_eq(ccon_export_json_audience(&j, &it), 0);
		ck_assert_uint_lt(j.buf.len, (64 << 10) + 512);    /* flushed as it goes */
	}
	ck_assert_int_eq(ccon_export_json_end(&j), 0);
	len = ftell(f);
	text = malloc((size_t)len + 1);
	rewind(f);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	text[len] = '\0';
	fclose(f);
	root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "summary"), "id")->valuestring,
	                 "c-9");
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "failures"), "total")->valueint,
	                 1);
	aud = cJSON_GetObjectItem(root, "audience");
	ck_assert_int_eq(cJSON_GetArraySize(aud), (int)rows);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(aud, 7), "status")->valuestring,
	                 "read");
	cJSON_Delete(root);
	free(text);
}
END_TEST

START_TEST(json_report_without_summary)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_export_sink sink;
	struct ccon_export_json j;

	ccon_export_sink_strbuf(&sink, &sb);
	ck_assert_int_eq(ccon_export_json_report_begin(&j, &sink, NULL, NULL, 0), 0);
	ck_assert_int_eq(ccon_export_json_end(&j), 0);
	ck_assert_ptr_nonnull(strstr(ccon_strbuf_cstr(&sb), "{\"summary\":null,\"failures\":{\"total\":0"));
	ck_assert_ptr_nonnull(strstr(ccon_strbuf_cstr(&sb), ",\"audience\":[]}\n"));
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(write_errors_stick)
{
	FILE *f = fopen("/dev/full", "w");
	struct ccon_export_sink sink;
	struct ccon_csv_writer w;
	struct ccon_export_json j;
	struct ccon_audience_item it = audience_item((char *)"+1", (char *)"read", NULL, false, 0,
	                                             NULL);
	int rc = 0;

	if (!f)
		return;   /* no /dev/full here */
	setvbuf(f, NULL, _IONBF, 0);
	ccon_export_sink_file(&sink, f);
	ccon_csv_init(&w, &sink);
	ck_assert_int_eq(ccon_csv_cell(&w, "x"), -1);
	ck_assert(sink.failed);
	ck_assert_int_eq(ccon_csv_end_row(&w), -1);
	ccon_export_sink_file(&sink, f);
	ck_assert_int_eq(ccon_export_json_audience_begin(&j, &sink), 0);
	for (int i = 0; i < 2000 && rc == 0; i++)
		rc = ccon_export_json_audience(&j, &it);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(ccon_export_json_end(&j), -1);
	fclose(f);
}
END_TEST

Suite *ccon_suite_export(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, rfc4180_cells);
	tcase_add_test(tc, formulas_neutralised);
	tcase_add_test(tc, cells_with_nul_and_huge);
	tcase_add_test(tc, report_tables);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_add_test(tc, json_audience_array);
	tcase_add_test(tc, json_report_object_streams_to_a_file);
	tcase_add_test(tc, json_report_without_summary);
	tcase_add_test(tc, write_errors_stick);
	suite_add_tcase(s, tc);
	return s;
}
