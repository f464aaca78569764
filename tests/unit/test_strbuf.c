#include "config.h"

#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/strbuf.h>

#include "suites.h"
#include "testutil.h"

START_TEST(empty_is_empty_string)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "");
	ck_assert_uint_eq(sb.len, 0);
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(append_grows_and_terminates)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(ccon_strbuf_puts(&sb, "ab"), 0);
	ck_assert_uint_eq(sb.len, 2000);
	ck_assert_int_eq(sb.buf[2000], '\0');
	ck_assert_int_eq(sb.buf[1998], 'a');
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(printf_truncate_reset_detach)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char *s;

	ck_assert_int_eq(ccon_strbuf_printf(&sb, "%s=%d", "age", 30), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "age=30");
	ccon_strbuf_truncate(&sb, 3);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "age");
	ccon_strbuf_truncate(&sb, 10);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "age");
	ccon_strbuf_putc(&sb, '!');
	s = ccon_strbuf_detach(&sb);
	ck_assert_str_eq(s, "age!");
	ck_assert_ptr_null(sb.buf);
	free(s);
	ccon_strbuf_puts(&sb, "x");
	ccon_strbuf_reset(&sb);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(detach_of_empty_gives_empty_string)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char *s = ccon_strbuf_detach(&sb);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(error_codes_have_stable_names)
{
	ck_assert_str_eq(ccon_errc_name(CCON_E_OK), "ok");
	ck_assert_str_eq(ccon_errc_name(CCON_E_DURATION_SYNTAX), "invalid_duration");
	ck_assert_str_eq(ccon_errc_name(CCON_E_CSV_QUOTE), "csv_unbalanced_quote");
	ck_assert_str_eq(ccon_errc_name((enum ccon_errc)9999), "unknown");
}
END_TEST

START_TEST(error_format_says_where)
{
	struct ccon_error err;
	char buf[256];

	ccon_error_clear(&err);
	ccon_error_set(&err, CCON_E_JSON_TYPE, "expected %s, got %s", "string", "number");
	ccon_error_at_path(&err, "age");
	ccon_error_prefix_path(&err, "customFields");
	ccon_error_prefix_path(&err, "[3]");
	ccon_error_prefix_path(&err, "contacts");
	ccon_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "contacts[3].customFields.age: expected string, got number");

	ccon_error_clear(&err);
	ccon_error_set(&err, CCON_E_CSV_FIELD_COUNT, "3 fields, the header has 5");
	ccon_error_at_line(&err, 12, 3);
	ccon_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "line 12, column 3: 3 fields, the header has 5");

	ccon_error_clear(&err);
	ccon_error_set(&err, CCON_E_DURATION_SYNTAX, "bad");
	ccon_error_at_column(&err, 4);
	ccon_error_format(&err, buf, sizeof(buf));
	ck_assert_str_eq(buf, "at 4: bad");
	ck_assert_int_eq(ccon_error_set(NULL, CCON_E_IO, "dropped"), -1);
}
END_TEST

START_TEST(error_path_never_overflows)
{
	struct ccon_error err;
	char longkey[400];

	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	ccon_error_clear(&err);
	ccon_error_at_path(&err, longkey);
	ccon_error_prefix_path(&err, longkey);
	ck_assert_uint_eq(strlen(err.path), CCON_ERROR_PATH_MAX - 1);
}
END_TEST

START_TEST(fields_add_get_free)
{
	struct ccon_fields f = CCON_FIELDS_INIT;

	for (int i = 0; i < 10; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		ck_assert_int_eq(ccon_fields_add(&f, name, "value-xyz", 5), 0);
	}
	ck_assert_uint_eq(f.count, 10);
	ck_assert_str_eq(ccon_fields_get(&f, "f7"), "value");
	ck_assert_ptr_null(ccon_fields_get(&f, "f10"));
	ccon_fields_free(&f);
	ck_assert_uint_eq(f.count, 0);
}
END_TEST

Suite *ccon_suite_strbuf(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("strbuf");

	tcase_add_test(tc, empty_is_empty_string);
	tcase_add_test(tc, append_grows_and_terminates);
	tcase_add_test(tc, printf_truncate_reset_detach);
	tcase_add_test(tc, detach_of_empty_gives_empty_string);
	suite_add_tcase(s, tc);
	tc = tcase_create("error");
	tcase_add_test(tc, error_codes_have_stable_names);
	tcase_add_test(tc, error_format_says_where);
	tcase_add_test(tc, error_path_never_overflows);
	suite_add_tcase(s, tc);
	tc = tcase_create("fields");
	tcase_add_test(tc, fields_add_get_free);
	suite_add_tcase(s, tc);
	return s;
}
