/* The subcommands' tables (src/cli/table.c) and their JSON escapes
 * (src/cli/jsonesc.c): display widths, shrinking, sanitising. */
#include "config.h"

#include "../../src/cli/jsonesc.h"
#include "../../src/cli/table.h"

#include <ccon/sanitize.h>

#include "suites.h"
#include "testutil.h"

static const char *const heads2[] = { "NAME", "N" };
static const bool right2[] = { false, true };

static char *render(struct cli_table *t, size_t max, bool color)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ck_assert_int_eq(cli_table_render(t, max, color, &sb), 0);
	return sb.buf ? ccon_strbuf_detach(&sb) : strdup("");
}

static void add2(struct cli_table *t, const char *a, const char *b)
{
	const char *cells[2] = { a, b };

	ck_assert_int_eq(cli_table_add(t, cells), 0);
}

START_TEST(test_empty)
{
	struct cli_table t;
	char *out;

	cli_table_init(&t, 2, heads2, right2);
	out = render(&t, 0, false);
	ck_assert_str_eq(out, "NAME  N\n");
	free(out);
	cli_table_free(&t);
}
END_TEST

START_TEST(test_aligned_ascii_and_numbers)
{
	struct cli_table t;
	char *out;

	cli_table_init(&t, 2, heads2, right2);
	add2(&t, "ab", "7");
	add2(&t, "abcdef", "1234");
	add2(&t, NULL, NULL);
	out = render(&t, 0, false);
	ck_assert_str_eq(out, "NAME       N\n"
	                      "ab         7\n"
	                      "abcdef  1234\n"
	                      "\n");
	free(out);
	cli_table_free(&t);
}
END_TEST

/* Wide characters take two cells; combining marks none: columns line up by
 * cells, not bytes or code points. */
START_TEST(test_utf8_widths)
{
	struct cli_table t;
	size_t w[2];
	char *out, *l1, *l2;

	cli_table_init(&t, 2, heads2, right2);
	add2(&t, "日本語", "1");       /* 6 cells, 9 bytes */
	add2(&t, "e\xcc\x81t\xc3\xa9", "22");  /* "ét́é" 3 cells */
	ck_assert_uint_eq(cli_table_widths(&t, 0, w), 6 + 2 + 2);
	ck_assert_uint_eq(w[0], 6);
	out = render(&t, 0, false);
	l1 = strchr(out, '\n') + 1;
	l2 = strchr(l1, '\n') + 1;
	/* both rows put their number's last digit at cell 10 */
	ck_assert_uint_eq(ccon_text_width(l1, (size_t)(strchr(l1, '\n') - l1)), 10);
	ck_assert_uint_eq(ccon_text_width(l2, (size_t)(strchr(l2, '\n') - l2)), 10);
	free(out);
	cli_table_free(&t);
}
END_TEST

/* Controls, escape sequences and bidi overrides never pass: no ESC, no C1,
 * no U+202E in the output, and the cell still lines up. */
START_TEST(test_hostile_cells)
{
	struct cli_table t;
	char *out;

	cli_table_init(&t, 2, heads2, right2);
	add2(&t, "\x1b[2J\x1b]52;c;aGk=\x07x\xc2\x9b" "31m\xe2\x80\xae" "evil\x7f", "1");
	add2(&t, "\xff\xfe bad", "2");
	out = render(&t, 0, false);
	ck_assert_ptr_null(strchr(out, 0x1b));
	ck_assert_ptr_null(strchr(out, 0x07));
	ck_assert_ptr_null(strchr(out, 0x7f));
	ck_assert_ptr_null(strstr(out, "\xc2\x9b"));
	ck_assert_ptr_null(strstr(out, "\xe2\x80\xae"));
	ck_assert_ptr_nonnull(strstr(out, "^[[2J"));
	ck_assert_ptr_nonnull(strstr(out, "<U+202E>"));
	free(out);
	cli_table_free(&t);
}
END_TEST

/* A table wider than the terminal: the widest text column gives cells and
 * ends in "…"; numbers are never cut; nothing goes below its floor. */
START_TEST(test_shrinks_to_width)
{
	static const char *const heads[] = { "ID", "NAME", "NOTE", "COUNT" };
	static const bool right[] = { true, false, false, true };
	const char *cells[4] = { "1", "a very long campaign name indeed", "short", "123456" };
	struct cli_table t;
	size_t w[4];
	char *out;

	cli_table_init(&t, 4, heads, right);
	ck_assert_int_eq(cli_table_add(&t, cells), 0);
	ck_assert_uint_eq(cli_table_widths(&t, 30, w), 30);
	ck_assert_uint_eq(w[3], 6);
	ck_assert_uint_eq(w[0], 2);
	out = render(&t, 30, false);
	ck_assert_ptr_nonnull(strstr(out, "\xe2\x80\xa6"));
	ck_assert_ptr_nonnull(strstr(out, "123456"));
	free(out);
	/* impossible: stops at the floors */
	ck_assert_uint_ge(cli_table_widths(&t, 5, w), 5);
	ck_assert_uint_eq(w[1], CLI_TABLE_MIN_CELLS);
	ck_assert_uint_eq(w[2], CLI_TABLE_MIN_CELLS);
	cli_table_free(&t);
}
END_TEST

START_TEST(test_color_head_only)
{
	struct cli_table t;
	char *out;

	cli_table_init(&t, 2, heads2, right2);
	add2(&t, "x", "1");
	out = render(&t, 0, true);
	ck_assert_str_eq(out, "\x1b[1mNAME  N\x1b[0m\nx     1\n");
	free(out);
	cli_table_free(&t);
}
END_TEST

START_TEST(test_huge)
{
	struct cli_table t;
	char *big = malloc(100001), *out;

	memset(big, 'x', 100000);
	big[100000] = '\0';
	cli_table_init(&t, 2, heads2, right2);
	for (int i = 0; i < 1000; i++)
		add2(&t, i == 500 ? big : "y", "1");
	out = render(&t, 80, false);
	ck_assert_uint_lt(strlen(out), 1001 * 90);
	free(out);
	free(big);
	cli_table_free(&t);
}
END_TEST

static char *escape(const char *s, size_t len)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ck_assert_int_eq(cli_json_escape(s, len, &sb), 0);
	return sb.buf ? ccon_strbuf_detach(&sb) : strdup("");
}

START_TEST(test_json_escape)
{
	char *out;

	out = escape("{\"a\":\"x\xc2\x9b" "y\xe2\x80\xae" "z\x7f\"}", 17);
	ck_assert_str_eq(out, "{\"a\":\"x\\u009by\\u202ez\\u007f\"}");
	free(out);
	out = escape("\"\xff\xe6\x97\xa5\"", 6);
	ck_assert_str_eq(out, "\"\\ufffd\xe6\x97\xa5\"");
	free(out);
	out = escape("", 0);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

Suite *ccon_suite_cli_table(void)
{
	Suite *s = suite_create("cli_table");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_aligned_ascii_and_numbers);
	tcase_add_test(tc, test_utf8_widths);
	tcase_add_test(tc, test_hostile_cells);
	tcase_add_test(tc, test_shrinks_to_width);
	tcase_add_test(tc, test_color_head_only);
	tcase_add_test(tc, test_huge);
	tcase_add_test(tc, test_json_escape);
	suite_add_tcase(s, tc);
	return s;
}
