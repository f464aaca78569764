/* Name/value fields and their one-line "name=value; name=value" form. */
#include "config.h"

#include <ccon/field.h>

#include "suites.h"
#include "testutil.h"

static void parse_ok(const char *text, struct ccon_fields *f)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	ck_assert_msg(ccon_fields_parse_pairs(text, f, &e) == 0, "%s: %s", text, e.message);
}

/* The column (1-based character) where text is refused, with code want. */
static long parse_bad(const char *text, enum ccon_errc want)
{
	struct ccon_fields f = CCON_FIELDS_INIT;
	struct ccon_error e;

	ccon_error_clear(&e);
	ck_assert_int_eq(ccon_fields_parse_pairs(text, &f, &e), -1);
	ck_assert_errc(e, want);
	ck_assert_str_ne(e.message, "");
	ccon_fields_free(&f);
	return e.column;
}

START_TEST(test_add_get)
{
	struct ccon_fields f = CCON_FIELDS_INIT;

	ck_assert_ptr_null(ccon_fields_get(&f, "a"));
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(ccon_fields_add(&f, i % 2 ? "odd" : "even", "xyz", (size_t)(i % 4)), 0);
	ck_assert_uint_eq(f.count, 100);
	ck_assert_str_eq(ccon_fields_get(&f, "even"), "");
	ck_assert_str_eq(ccon_fields_get(&f, "odd"), "x");
	ccon_fields_free(&f);
	ck_assert_uint_eq(f.count, 0);
	ck_assert_ptr_null(f.items);
}
END_TEST

START_TEST(test_set_replace_remove)
{
	struct ccon_fields f = CCON_FIELDS_INIT;

	ck_assert_uint_eq(ccon_fields_index(&f, "a"), CCON_FIELDS_NONE);
	ck_assert_int_eq(ccon_fields_set(&f, "a", "1"), 0);
	ck_assert_int_eq(ccon_fields_set(&f, "b", "2"), 0);
	ck_assert_int_eq(ccon_fields_set(&f, "c", "3"), 0);
	/* set replaces in place */
	ck_assert_int_eq(ccon_fields_set(&f, "a", "one"), 0);
	ck_assert_uint_eq(f.count, 3);
	ck_assert_uint_eq(ccon_fields_index(&f, "a"), 0);
	ck_assert_str_eq(f.items[0].value, "one");
	ck_assert_int_eq(ccon_fields_replace(&f, 2, ""), 0);
	ck_assert_str_eq(ccon_fields_get(&f, "c"), "");
	/* NULL removes; the others keep their order */
	ck_assert_int_eq(ccon_fields_set(&f, "b", NULL), 0);
	ck_assert_int_eq(ccon_fields_set(&f, "zz", NULL), 0);
	ck_assert_uint_eq(f.count, 2);
	ck_assert_str_eq(f.items[0].name, "a");
	ck_assert_str_eq(f.items[1].name, "c");
	ccon_fields_remove(&f, 0);
	ck_assert_uint_eq(f.count, 1);
	ck_assert_uint_eq(ccon_fields_index(&f, "c"), 0);
	ccon_fields_remove(&f, 0);
	ck_assert_uint_eq(f.count, 0);
	ck_assert_int_eq(ccon_fields_set(&f, "d", "4"), 0);
	ck_assert_str_eq(ccon_fields_get(&f, "d"), "4");
	ccon_fields_free(&f);
}
END_TEST

START_TEST(test_pairs_empty)
{
	struct ccon_fields f = CCON_FIELDS_INIT;

	parse_ok("", &f);
	parse_ok("  \t ", &f);
	ck_assert_uint_eq(f.count, 0);
}
END_TEST

START_TEST(test_pairs_blanks)
{
	struct ccon_fields f = CCON_FIELDS_INIT;

	parse_ok("  cpf = 123 ;plan=gold plus;  empty= ; ", &f);
	ck_assert_uint_eq(f.count, 3);
	ck_assert_str_eq(f.items[0].name, "cpf");
	ck_assert_str_eq(f.items[0].value, "123");
	ck_assert_str_eq(f.items[1].name, "plan");
	ck_assert_str_eq(f.items[1].value, "gold plus");
	ck_assert_str_eq(f.items[2].name, "empty");
	ck_assert_str_eq(f.items[2].value, "");
	ccon_fields_free(&f);
}
END_TEST

START_TEST(test_pairs_json_with_semicolon)
{
	struct ccon_fields f = CCON_FIELDS_INIT;

	parse_ok("ctx= {\"a\": \"x;y\"} ; list=[1, \"2;3\"]; n=1", &f);
	ck_assert_uint_eq(f.count, 3);
	ck_assert_str_eq(f.items[0].value, "{\"a\": \"x;y\"}");
	ck_assert_str_eq(f.items[1].value, "[1, \"2;3\"]");
	ck_assert_str_eq(f.items[2].value, "1");
	ccon_fields_free(&f);
}
END_TEST

START_TEST(test_pairs_repeated_name)
{
	struct ccon_fields f = CCON_FIELDS_INIT;
	struct ccon_error e;

	/* the second "a" is the 6th character */
	ck_assert_int_eq(parse_bad("a=1; a=2", CCON_E_JSON_VALUE), 6);
	/* a name already held is repeated too */
	ck_assert_int_eq(ccon_fields_add(&f, "cpf", "1", 1), 0);
	ccon_error_clear(&e);
	ck_assert_int_eq(ccon_fields_parse_pairs("x=1;cpf=2", &f, &e), -1);
	ck_assert_int_eq(e.column, 5);
	ck_assert_ptr_nonnull(strstr(e.message, "\"cpf\" is given twice"));
	ccon_fields_free(&f);
	/* names count in characters, not bytes */
	ck_assert_int_eq(parse_bad("ñ=1; ñ=2", CCON_E_JSON_VALUE), 6);
}
END_TEST

START_TEST(test_pairs_bad)
{
	/* bad JSON: where it breaks, inside the value */
	ck_assert_int_eq(parse_bad("x={\"a\":}", CCON_E_JSON_VALUE), 8);
	ck_assert_int_ge(parse_bad("ok=1; x=[1, 2", CCON_E_JSON_VALUE), 9);
	ck_assert_int_eq(parse_bad("abc", CCON_E_JSON_VALUE), 4);
	ck_assert_int_eq(parse_bad("a=1; b", CCON_E_JSON_VALUE), 7);
	ck_assert_int_eq(parse_bad("=1", CCON_E_JSON_VALUE), 1);
	ck_assert_int_eq(parse_bad("a=1;  = 2", CCON_E_JSON_VALUE), 7);
	ck_assert_int_eq(parse_bad("a={} x", CCON_E_JSON_VALUE), 6);
}
END_TEST

START_TEST(test_pairs_bytes)
{
	struct ccon_fields f = CCON_FIELDS_INIT;

	/* control characters and invalid UTF-8 are kept as typed (drawing
	 * sanitises them) */
	parse_ok("a=\x01\x1b[31m; b=\xff\xfe", &f);
	ck_assert_uint_eq(f.count, 2);
	ck_assert_str_eq(f.items[0].value, "\x01\x1b[31m");
	ck_assert_str_eq(f.items[1].value, "\xff\xfe");
	ccon_fields_free(&f);
}
END_TEST

START_TEST(test_pairs_huge_and_round_trip)
{
	struct ccon_fields f = CCON_FIELDS_INIT, g = CCON_FIELDS_INIT;
	struct ccon_strbuf sb = CCON_STRBUF_INIT, sb2 = CCON_STRBUF_INIT;

	for (int i = 0; i < 5000; i++)
		ck_assert_int_eq(ccon_strbuf_printf(&sb, "k%d = v%d;", i, i), 0);
	parse_ok(ccon_strbuf_cstr(&sb), &f);
	ck_assert_uint_eq(f.count, 5000);
	ck_assert_str_eq(f.items[4999].value, "v4999");
	ck_assert_int_eq(ccon_fields_format_pairs(&f, &sb2), 0);
	ck_assert(strncmp(ccon_strbuf_cstr(&sb2), "k0=v0; k1=v1; ", 14) == 0);
	parse_ok(ccon_strbuf_cstr(&sb2), &g);
	ck_assert_uint_eq(g.count, 5000);
	ck_assert_str_eq(g.items[123].name, "k123");
	ck_assert_str_eq(g.items[123].value, "v123");
	ccon_fields_free(&f);
	ccon_fields_free(&g);
	ccon_strbuf_free(&sb);
	ccon_strbuf_free(&sb2);
}
END_TEST

START_TEST(test_format_empty)
{
	struct ccon_fields f = CCON_FIELDS_INIT;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ck_assert_int_eq(ccon_fields_format_pairs(&f, &sb), 0);
	ck_assert_uint_eq(sb.len, 0);
	ccon_strbuf_free(&sb);
}
END_TEST

Suite *ccon_suite_field(void)
{
	Suite *s = suite_create("field");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_add_get);
	tcase_add_test(tc, test_set_replace_remove);
	tcase_add_test(tc, test_pairs_empty);
	tcase_add_test(tc, test_pairs_blanks);
	tcase_add_test(tc, test_pairs_json_with_semicolon);
	tcase_add_test(tc, test_pairs_repeated_name);
	tcase_add_test(tc, test_pairs_bad);
	tcase_add_test(tc, test_pairs_bytes);
	tcase_add_test(tc, test_pairs_huge_and_round_trip);
	tcase_add_test(tc, test_format_empty);
	suite_add_tcase(s, tc);
	return s;
}
