/* Seed 002's audience CSV (audience_csv.h) and the reasons of refused
 * command answers (ccon_dynamic_answer_reason, dynamic_flow.h). */
#include "config.h"

#include <ccon/audience_csv.h>
#include <ccon/dynamic_flow.h>

#include "suites.h"
#include "testutil.h"

#define MAX_SEEN 16

struct seen {
	struct ccon_audience rows[MAX_SEEN];
	char *context[MAX_SEEN];
	long lines[MAX_SEEN];
	size_t n_rows;
	struct ccon_error errors[MAX_SEEN];
	size_t n_errors;
	int stop_after;                  /* rows; 0 never */
};

static int on_row(void *ctx, struct ccon_audience_csv_row *row)
{
	struct seen *s = ctx;

	ck_assert_uint_lt(s->n_rows, MAX_SEEN);
	/* kept: the reader must not free it */
	s->rows[s->n_rows] = row->audience;
	memset(&row->audience, 0, sizeof(row->audience));
	s->context[s->n_rows] = row->context_json ? strdup(row->context_json) : NULL;
	s->lines[s->n_rows++] = row->line;
	return s->stop_after && (int)s->n_rows >= s->stop_after ? -1 : 0;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	struct seen *s = ctx;

	ck_assert_uint_lt(s->n_errors, MAX_SEEN);
	s->errors[s->n_errors++] = *e;
	return 0;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n_rows; i++) {
		ccon_audience_free(&s->rows[i]);
		free(s->context[i]);
	}
	memset(s, 0, sizeof(*s));
}

static int read_csv(const char *text, const struct ccon_campaign_message *msg, struct seen *s,
                    struct ccon_audience_csv_info *info, struct ccon_error *e)
{
	ccon_error_clear(e);
	return ccon_audience_csv_read(text, strlen(text), msg, on_row, on_error, s, info, e);
}

/* ------------------------------------------------------------ the layout */

START_TEST(test_layout_columns)
{
	const char *cols[] = { "name", "RECIPIENT", "#ContextVariables#", "plan" };
	struct ccon_layout l = CCON_LAYOUT_INIT;
	struct ccon_error e;

	ccon_error_clear(&e);
	ck_assert_int_eq(ccon_audience_csv_layout(cols, 4, &l, &e), 0);
	ck_assert_str_eq(l.contact_code.tmpl, "{{RECIPIENT}}");
	ck_assert_str_eq(l.custom_fields[0].name, "name");
	ck_assert_str_eq(l.custom_fields[1].name, "plan");
	ck_assert_uint_eq(l.n_custom_fields, 2);
	ccon_layout_free(&l);
}
END_TEST

START_TEST(test_layout_faults)
{
	const char *no_recipient[] = { "phone", "name" };
	const char *bad_name[] = { "recipient", "ok", "bad name" };
	struct ccon_layout l = CCON_LAYOUT_INIT;
	struct ccon_error e;

	ccon_error_clear(&e);
	ck_assert_int_eq(ccon_audience_csv_layout(no_recipient, 2, &l, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_HEADER);
	ck_assert_int_eq(e.line, 1);
	ck_assert_int_eq(e.column, 0);
	ck_assert_ptr_nonnull(strstr(e.message, "\"recipient\""));
	ccon_error_clear(&e);
	ck_assert_int_eq(ccon_audience_csv_layout(bad_name, 3, &l, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_HEADER);
	ck_assert_int_eq(e.line, 1);
	ck_assert_int_eq(e.column, 3);
	ck_assert_ptr_nonnull(strstr(e.message, "\"bad name\""));
	ccon_error_clear(&e);
	ck_assert_int_eq(ccon_audience_csv_layout(NULL, 0, &l, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_HEADER);
}
END_TEST

/* ------------------------------------------------------------ header faults */

START_TEST(test_header_faults)
{
	struct ccon_audience_csv_info info;
	struct seen s = { 0 };
	struct ccon_error e;

	ck_assert_int_eq(read_csv("", NULL, &s, &info, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_EMPTY);
	ck_assert_ptr_null(info.columns);
	ck_assert_int_eq(read_csv("\n\n  \n", NULL, &s, &info, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_EMPTY);
	ck_assert_int_eq(read_csv("phone,name\n+34666777888,Ana\n", NULL, &s, &info, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_HEADER);
	ck_assert_int_eq(e.line, 1);
	/* the header was read: the preview can show it */
	ck_assert_uint_eq(info.n_columns, 2);
	ck_assert_str_eq(info.columns[1], "name");
	ccon_audience_csv_info_free(&info);
	ck_assert_int_eq(read_csv("recipient,\"na\"me\n", NULL, &s, &info, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_QUOTE);
	ck_assert_int_eq(read_csv("recipient,a-b\n+34666777888,1\n", NULL, &s, &info, &e), -1);
	ck_assert_errc(e, CCON_E_CSV_HEADER);
	ck_assert_int_eq(e.column, 2);
	ccon_audience_csv_info_free(&info);
	ck_assert_uint_eq(s.n_rows + s.n_errors, 0);
	/* a header alone is no row, no error */
	ck_assert_int_eq(read_csv("recipient;name\r\n", NULL, &s, &info, &e), 0);
	ck_assert_uint_eq(info.data_rows, 0);
	ck_assert_uint_eq(s.n_rows + s.n_errors, 0);
	ccon_audience_csv_info_free(&info);
}
END_TEST

/* ------------------------------------------------------------ rows */

START_TEST(test_rows_and_context_spellings)
{
	const char *csv =
		"recipient,name,#contextvariables#\n"
		"+34 666 777 888,Ana,\"{\"\"cpf\"\":\"\"1\"\",\"\"n\"\":2}\"\n"
		"\n"
		"+34666777889,Bob,\"{\\\"\"cpf\\\"\":\\\"\"2\\\"\"}\"\n"
		"+34666777890,Eva,\n";
	struct ccon_audience_csv_info info;
	struct seen s = { 0 };
	struct ccon_error e;

	ck_assert_int_eq(read_csv(csv, NULL, &s, &info, &e), 0);
	ck_assert_msg(s.n_errors == 0, "%s", s.errors[0].message);
	ck_assert_uint_eq(s.n_rows, 3);
	ck_assert_uint_eq(info.data_rows, 3);
	ck_assert_uint_eq(info.n_columns, 3);
	ck_assert_str_eq(s.rows[0].recipient, "+34666777888");
	ck_assert_str_eq(ccon_fields_get(&s.rows[0].message_params, "name"), "Ana");
	ck_assert_str_eq(s.context[0], "{\"cpf\":\"1\",\"n\":2}");
	ck_assert_str_eq(ccon_fields_get(&s.rows[0].context_variables, "cpf"), "1");
	ck_assert_str_eq(ccon_fields_get(&s.rows[0].context_variables, "n"), "2");
	ck_assert_int_eq(s.lines[0], 2);
	/* the seed's backslash-escaped spelling reads the same */
	ck_assert_str_eq(s.context[1], "{\"cpf\":\"2\"}");
	ck_assert_str_eq(ccon_fields_get(&s.rows[1].context_variables, "cpf"), "2");
	ck_assert_int_eq(s.lines[1], 4);
	ck_assert_ptr_null(s.context[2]);
	ck_assert_uint_eq(s.rows[2].context_variables.count, 0);
	ccon_audience_csv_info_free(&info);
	seen_free(&s);
}
END_TEST

START_TEST(test_refused_rows_paths)
{
	char csv[4096];
	char long_value[CCON_CUSTOM_FIELD_VALUE_MAX + 2];
	struct seen s = { 0 };
	struct ccon_error e;

	memset(long_value, 'x', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	snprintf(csv, sizeof(csv),
	         "name,recipient,#contextvariables#\n"
	         "Ana,12,\n"
	         "%s,+34666777888,\n"
	         "Bob,+34666777889,[1]\n"
	         "Eva,+34666777890\n"
	         "Ivo,+34666777891,\n", long_value);
	ck_assert_int_eq(read_csv(csv, NULL, &s, NULL, &e), 0);
	ck_assert_uint_eq(s.n_rows, 1);
	ck_assert_str_eq(s.rows[0].recipient, "+34666777891");
	ck_assert_int_eq(s.lines[0], 6);
	ck_assert_uint_eq(s.n_errors, 4);
	/* the phone: seed 002's "recipient", its column */
	ck_assert_str_eq(s.errors[0].path, "recipient");
	ck_assert_int_eq(s.errors[0].line, 2);
	ck_assert_int_eq(s.errors[0].column, 2);
	/* a parameter: messageParams.NAME */
	ck_assert_errc(s.errors[1], CCON_E_CUSTOM_FIELD_VALUE);
	ck_assert_str_eq(s.errors[1].path, "messageParams.name");
	ck_assert_int_eq(s.errors[1].line, 3);
	ck_assert_int_eq(s.errors[1].column, 1);
	ck_assert_errc(s.errors[2], CCON_E_CSV_CONTEXT_VARIABLES);
	ck_assert_int_eq(s.errors[2].line, 4);
	ck_assert_int_eq(s.errors[2].column, 3);
	ck_assert_errc(s.errors[3], CCON_E_CSV_FIELD_COUNT);
	ck_assert_int_eq(s.errors[3].line, 5);
	seen_free(&s);
}
END_TEST

START_TEST(test_check_against_message)
{
	char *params[] = { "name", "plan" };
	struct ccon_campaign_message msg = { 0 };
	char csv[1024], big[CCON_MESSAGE_PARAM_MAX_CHARS + 2];
	struct seen s = { 0 };
	struct ccon_error e;

	msg.message_template = "welcome";
	msg.params = params;
	msg.n_params = 2;
	/* no column gives "plan": every row is refused, column 0 */
	ck_assert_int_eq(read_csv("recipient,name\n+34666777888,Ana\n", &msg, &s, NULL, &e), 0);
	ck_assert_uint_eq(s.n_rows, 0);
	ck_assert_uint_eq(s.n_errors, 1);
	ck_assert_errc(s.errors[0], CCON_E_JSON_REQUIRED);
	ck_assert_str_eq(s.errors[0].path, "messageParams.plan");
	ck_assert_int_eq(s.errors[0].line, 2);
	ck_assert_int_eq(s.errors[0].column, 0);
	seen_free(&s);
	/* a value over the message's limit: its column */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(csv, sizeof(csv), "recipient,plan,name\n+34666777888,gold,Ana\n"
	         "+34666777889,%s,Bob\n", big);
	ck_assert_int_eq(read_csv(csv, &msg, &s, NULL, &e), 0);
	ck_assert_uint_eq(s.n_rows, 1);
	ck_assert_uint_eq(s.n_errors, 1);
	ck_assert_errc(s.errors[0], CCON_E_JSON_LENGTH);
	ck_assert_str_eq(s.errors[0].path, "messageParams.plan");
	ck_assert_int_eq(s.errors[0].line, 3);
	ck_assert_int_eq(s.errors[0].column, 2);
	/* without a message, the same row passes */
	seen_free(&s);
	ck_assert_int_eq(read_csv(csv, NULL, &s, NULL, &e), 0);
	ck_assert_uint_eq(s.n_rows, 2);
	seen_free(&s);
}
END_TEST

START_TEST(test_callback_stops)
{
	struct seen s = { 0 };
	struct ccon_error e;

	s.stop_after = 1;
	ck_assert_int_eq(read_csv("recipient\n+34666777888\n+34666777889\n", NULL, &s, NULL, &e), -1);
	ck_assert_uint_eq(s.n_rows, 1);
	seen_free(&s);
	/* no callbacks at all */
	ccon_error_clear(&e);
	ck_assert_int_eq(ccon_audience_csv_read("recipient\n12\n+34666777889\n", 25, NULL, NULL, NULL,
	                                        NULL, NULL, &e), 0);
}
END_TEST

/* ------------------------------------------------------------ answers */

static cJSON *answer(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	ck_assert_ptr_nonnull(j);
	return j;
}

START_TEST(test_answer_success)
{
	cJSON *j = answer("{\"status\":\"success\",\"resource\":{}}");
	struct ccon_api_error ae;
	struct ccon_api_error *rows = (void *)1;
	size_t n = 9, tr = 9;

	ck_assert_int_eq(ccon_dynamic_answer_reason(j, &ae, &rows, &n, &tr), -1);
	ck_assert_ptr_null(rows);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(tr, 0);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_answer_reason)
{
	cJSON *j = answer("{\"status\":\"failure\",\"reason\":{\"error\":\"conflict\","
	                  "\"description\":\"resource.campaignId: campaign 7 was dispatched\","
	                  "\"path\":\"resource.campaignId\",\"line\":0,\"column\":3}}");
	struct ccon_api_error ae;

	ck_assert_int_eq(ccon_dynamic_answer_reason(j, &ae, NULL, NULL, NULL), 0);
	ck_assert_errc(ae.error, CCON_E_CONFLICT);
	ck_assert_str_eq(ae.code, "conflict");
	/* the path is not said twice */
	ck_assert_str_eq(ae.error.message, "campaign 7 was dispatched");
	ck_assert_str_eq(ae.error.path, "resource.campaignId");
	ck_assert_int_eq(ae.error.line, 0);
	ck_assert_int_eq(ae.error.column, 3);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_answer_unknown_and_bare)
{
	cJSON *j = answer("{\"status\":\"failure\",\"reason\":{\"error\":\"from_the_future\","
	                  "\"description\":\"new\"}}");
	struct ccon_api_error ae;

	ck_assert_int_eq(ccon_dynamic_answer_reason(j, &ae, NULL, NULL, NULL), 0);
	ck_assert_errc(ae.error, CCON_E_REMOTE_UNKNOWN);
	ck_assert_str_eq(ae.code, "from_the_future");
	ck_assert_str_eq(ae.error.message, "new");
	cJSON_Delete(j);
	/* no reason at all, no status: still a failure that says so */
	j = answer("{}");
	ck_assert_int_eq(ccon_dynamic_answer_reason(j, &ae, NULL, NULL, NULL), 0);
	ck_assert_str_eq(ae.code, "unknown_remote_error");
	ck_assert_str_eq(ae.error.message, "the server gave no reason");
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_answer_rows)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_api_error ae, *rows;
	size_t n, tr;
	cJSON *j;

	ccon_strbuf_puts(&sb, "{\"status\":\"failure\",\"reason\":{\"error\":\"csv_field_count\","
	                      "\"description\":\"2 errors\",\"path\":\"resource\",\"truncated\":5,"
	                      "\"errors\":[");
	for (int i = 0; i < CCON_DYN_ROW_ERRORS_MAX + 3; i++)
		ccon_strbuf_printf(&sb, "%s{\"code\":\"phone_too_short\",\"message\":\"short\","
		                   "\"path\":\"recipient\",\"line\":%d,\"column\":1}", i ? "," : "",
		                   i + 2);
	ccon_strbuf_puts(&sb, ",{\"no\":\"code\"}]}}");
	j = answer(ccon_strbuf_cstr(&sb));
	ck_assert_int_eq(ccon_dynamic_answer_reason(j, &ae, &rows, &n, &tr), 0);
	ck_assert_errc(ae.error, CCON_E_CSV_FIELD_COUNT);
	ck_assert_uint_eq(n, CCON_DYN_ROW_ERRORS_MAX);
	/* the server's 5 more, the 3 kept out here and the undecodable one */
	ck_assert_uint_eq(tr, 5 + 3 + 1);
	ck_assert_errc(rows[0].error, CCON_E_PHONE_TOO_SHORT);
	ck_assert_str_eq(rows[0].error.path, "recipient");
	ck_assert_int_eq(rows[0].error.line, 2);
	ck_assert_int_eq(rows[n - 1].error.line, CCON_DYN_ROW_ERRORS_MAX + 1);
	free(rows);
	cJSON_Delete(j);
	ccon_strbuf_free(&sb);
}
END_TEST

Suite *ccon_suite_audience_csv(void)
{
	Suite *s = suite_create("audience_csv");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_layout_columns);
	tcase_add_test(tc, test_layout_faults);
	tcase_add_test(tc, test_header_faults);
	tcase_add_test(tc, test_rows_and_context_spellings);
	tcase_add_test(tc, test_refused_rows_paths);
	tcase_add_test(tc, test_check_against_message);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_answer_success);
	tcase_add_test(tc, test_answer_reason);
	tcase_add_test(tc, test_answer_unknown_and_bare);
	tcase_add_test(tc, test_answer_rows);
	suite_add_tcase(s, tc);
	return s;
}
