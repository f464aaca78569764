#include "config.h"

#include <ccon/json_util.h>

#include "suites.h"
#include "testutil.h"

static cJSON *parse(const char *text)
{
	struct ccon_error err;
	cJSON *j = NULL;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_json_parse(text, strlen(text), &j, &err) == 0, "%s", err.message);
	return j;
}

START_TEST(syntax_error_has_line_and_column)
{
	const char *text = "{\n  \"a\": 1,\n  \"b\": tru\n}";
	struct ccon_error err;
	cJSON *j = NULL;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_json_parse(text, strlen(text), &j, &err), -1);
	ck_assert_ptr_null(j);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_ge(err.column, 8);
}
END_TEST

START_TEST(trailing_garbage_is_an_error)
{
	struct ccon_error err;
	cJSON *j = NULL;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_json_parse("{} x", 4, &j, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.column, 4);
	ck_assert_int_eq(ccon_json_parse("{}  \n", 5, &j, &err), 0);
	cJSON_Delete(j);
}
END_TEST

START_TEST(getters_name_the_path)
{
	cJSON *j = parse("{\"contacts\":[{\"contactCode\":\"1\",\"customFields\":{\"age\":[1]}},"
	                 "{\"contactCode\":5}]}");
	struct ccon_json_path path;
	struct ccon_error err;
	const cJSON *arr, *item;
	const char *s;
	size_t i = 0, old;

	ccon_json_path_init(&path, NULL);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_json_get_array(j, "contacts", CCON_JSON_REQUIRED, &path, &arr, &err), 0);
	old = ccon_json_path_push_key(&path, "contacts");
	cJSON_ArrayForEach(item, arr) {
		size_t o2 = ccon_json_path_push_index(&path, i++);

		if (i == 2) {
			ck_assert_int_eq(ccon_json_get_string(item, "contactCode", CCON_JSON_REQUIRED,
			                                      &path, &s, &err), -1);
			ck_assert_errc(err, CCON_E_JSON_TYPE);
			ck_assert_str_eq(err.path, "contacts[1].contactCode");
			ck_assert_str_eq(err.message, "expected string, got number");
		} else {
			struct ccon_fields f = CCON_FIELDS_INIT;

			ck_assert_int_eq(ccon_json_get_fields(item, "customFields", CCON_JSON_OPTIONAL,
			                                      &path, false, &f, &err), -1);
			ck_assert_str_eq(err.path, "contacts[0].customFields.age");
			ccon_fields_free(&f);
		}
		ccon_json_path_pop(&path, o2);
	}
	ccon_json_path_pop(&path, old);
	ck_assert_str_eq(path.buf, "");
	cJSON_Delete(j);
}
END_TEST

START_TEST(required_null_and_absent)
{
	cJSON *j = parse("{\"a\":null,\"n\":2.5,\"i\":7,\"b\":true}");
	struct ccon_json_path path;
	struct ccon_error err;
	const char *s = "x";
	double d;
	int64_t v;
	bool b, present;

	ccon_json_path_init(&path, "resource");
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_json_get_string(j, "a", CCON_JSON_OPTIONAL, &path, &s, &err), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(ccon_json_get_string(j, "a", CCON_JSON_REQUIRED, &path, &s, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_REQUIRED);
	ck_assert_str_eq(err.path, "resource.a");
	ck_assert_int_eq(ccon_json_get_number(j, "N", CCON_JSON_REQUIRED, &path, &d, &present, &err), 0);
	ck_assert(present);
	ck_assert_double_eq(d, 2.5);
	ck_assert_int_eq(ccon_json_get_int64(j, "n", CCON_JSON_REQUIRED, &path, &v, NULL, &err), -1);
	ck_assert_str_eq(err.path, "resource.n");
	ck_assert_int_eq(ccon_json_get_int64(j, "i", CCON_JSON_REQUIRED, &path, &v, NULL, &err), 0);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(ccon_json_get_bool(j, "b", CCON_JSON_REQUIRED, &path, &b, &present, &err), 0);
	ck_assert(b && present);
	ck_assert_int_eq(ccon_json_get_bool(j, "zz", CCON_JSON_OPTIONAL, &path, &b, &present, &err), 0);
	ck_assert(!present);
	cJSON_Delete(j);
}
END_TEST

START_TEST(fields_from_scalars_and_nested)
{
	cJSON *j = parse("{\"cv\":{\"cpf\":\"123\",\"cpf2\":1000111222,\"ok\":false,"
	                 "\"ratio\":0.5,\"specificContext\":{\"foo\":\"1\"}}}");
	struct ccon_json_path path;
	struct ccon_error err;
	struct ccon_fields f = CCON_FIELDS_INIT;

	ccon_json_path_init(&path, NULL);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_json_get_fields(j, "cv", CCON_JSON_REQUIRED, &path, true, &f, &err), 0);
	ck_assert_uint_eq(f.count, 5);
	ck_assert_str_eq(ccon_fields_get(&f, "cpf"), "123");
	ck_assert_str_eq(ccon_fields_get(&f, "cpf2"), "1000111222");
	ck_assert_str_eq(ccon_fields_get(&f, "ok"), "false");
	ck_assert_str_eq(ccon_fields_get(&f, "ratio"), "0.5");
	ck_assert_str_eq(ccon_fields_get(&f, "specificContext"), "{\"foo\":\"1\"}");
	ccon_fields_free(&f);
	/* a NULL key reads the object itself */
	ck_assert_int_eq(ccon_json_get_fields(cJSON_GetObjectItem(j, "cv"), NULL, CCON_JSON_REQUIRED,
	                                      &path, false, &f, &err), -1);
	ck_assert_str_eq(err.path, "specificContext");
	ccon_fields_free(&f);
	ck_assert_int_eq(ccon_json_get_fields(cJSON_GetObjectItem(j, "cv"), NULL, CCON_JSON_REQUIRED,
	                                      &path, true, &f, &err), 0);
	ck_assert_uint_eq(f.count, 5);
	ccon_fields_free(&f);
	cJSON_Delete(j);
}
END_TEST

START_TEST(print_appends)
{
	cJSON *j = parse("{ \"a\" : [1, 2] }");
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ccon_strbuf_puts(&sb, ">");
	ck_assert_int_eq(ccon_json_print(j, &sb), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), ">{\"a\":[1,2]}");
	ccon_strbuf_free(&sb);
	cJSON_Delete(j);
}
END_TEST

Suite *ccon_suite_json_util(void)
{
	Suite *s = suite_create("json_util");
	TCase *tc = tcase_create("json_util");

	tcase_add_test(tc, syntax_error_has_line_and_column);
	tcase_add_test(tc, trailing_garbage_is_an_error);
	tcase_add_test(tc, getters_name_the_path);
	tcase_add_test(tc, required_null_and_absent);
	tcase_add_test(tc, fields_from_scalars_and_nested);
	tcase_add_test(tc, print_appends);
	suite_add_tcase(s, tc);
	return s;
}
