#include "config.h"

#include <ccon/keyspec.h>

#include "suites.h"
#include "testutil.h"

static struct ccon_key parse_ok(const char *spec)
{
	struct ccon_key k = { 0, 0 };
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_keyspec_parse(spec, strlen(spec), &k, &err) == 0, "%s: %s", spec,
	              err.message);
	return k;
}

/* spec parses to (code, mods) and is written back as `back`. */
static void expect(const char *spec, uint32_t code, unsigned mods, const char *back)
{
	struct ccon_key k = parse_ok(spec), again;
	char buf[32];
	size_t n;

	ck_assert_msg(k.code == code && k.mods == mods, "%s: got %#x/%u, want %#x/%u", spec,
	              (unsigned)k.code, k.mods, (unsigned)code, mods);
	n = ccon_keyspec_format(k, buf, sizeof(buf));
	ck_assert_str_eq(buf, back);
	ck_assert_uint_eq(n, strlen(back));
	again = parse_ok(buf);
	ck_assert(ccon_key_eq(k, again));
}

static void bad(const char *spec, size_t len, long column, const char *needle)
{
	struct ccon_key k = { 42, 42 };
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_keyspec_parse(spec, len, &k, &err) == -1, "%s parsed", spec);
	ck_assert_errc(err, CCON_E_KEYSPEC);
	ck_assert_msg(err.column == column, "%s: column %ld, want %ld (%s)", spec, err.column,
	              column, err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "%s: \"%s\" lacks \"%s\"", spec,
	              err.message, needle);
	ck_assert(k.code == 42 && k.mods == 42);
}

START_TEST(characters)
{
	expect("j", 'j', 0, "j");
	expect("G", 'G', 0, "G");
	expect("?", '?', 0, "?");
	expect("/", '/', 0, "/");
	expect("-", '-', 0, "-");
	expect("C", 'C', 0, "C");
	expect("<", '<', 0, "<");
	expect(">", '>', 0, ">");
	expect("<lt>", '<', 0, "<");
	expect("<j>", 'j', 0, "j");
	expect("<M-x>", 'x', CCON_MOD_META, "M-x");
	expect("\xc3\xb1", 0xf1, 0, "\xc3\xb1");
	expect("\xe6\x97\xa5", 0x65e5, 0, "\xe6\x97\xa5");
	expect("\xf0\x9f\x98\x80", 0x1f600, 0, "\xf0\x9f\x98\x80");
}
END_TEST

START_TEST(modifiers)
{
	expect("C-d", 'd', CCON_MOD_CTRL, "C-d");
	expect("C-D", 'd', CCON_MOD_CTRL, "C-d");
	expect("<C-d>", 'd', CCON_MOD_CTRL, "C-d");
	expect("M-x", 'x', CCON_MOD_META, "M-x");
	expect("M-X", 'X', CCON_MOD_META, "M-X");
	expect("C-M-x", 'x', CCON_MOD_CTRL | CCON_MOD_META, "C-M-x");
	expect("M-C-x", 'x', CCON_MOD_CTRL | CCON_MOD_META, "C-M-x");
	expect("M-<", '<', CCON_MOD_META, "M-<");
	expect("M--", '-', CCON_MOD_META, "M--");
	expect("C-@", '@', CCON_MOD_CTRL, "C-@");
	expect("C-<Space>", '@', CCON_MOD_CTRL, "C-@");
	expect("C-]", ']', CCON_MOD_CTRL, "C-]");
	expect("C-_", '_', CCON_MOD_CTRL, "C-_");
	/* what a terminal cannot tell apart reads as one key */
	expect("C-i", CCON_KEY_TAB, 0, "<Tab>");
	expect("C-m", CCON_KEY_ENTER, 0, "<Enter>");
	expect("C-[", CCON_KEY_ESC, 0, "<Esc>");
	expect("C-M-i", CCON_KEY_TAB, CCON_MOD_META, "<M-Tab>");
	expect("M-<Space>", ' ', CCON_MOD_META, "<M-Space>");
}
END_TEST

START_TEST(named_keys)
{
	expect("<Enter>", CCON_KEY_ENTER, 0, "<Enter>");
	expect("<enter>", CCON_KEY_ENTER, 0, "<Enter>");
	expect("<Return>", CCON_KEY_ENTER, 0, "<Enter>");
	expect("<Esc>", CCON_KEY_ESC, 0, "<Esc>");
	expect("<ESCAPE>", CCON_KEY_ESC, 0, "<Esc>");
	expect("<Tab>", CCON_KEY_TAB, 0, "<Tab>");
	expect("<S-Tab>", CCON_KEY_TAB, CCON_MOD_SHIFT, "<S-Tab>");
	expect("S-<Tab>", CCON_KEY_TAB, CCON_MOD_SHIFT, "<S-Tab>");
	expect("<Up>", CCON_KEY_UP, 0, "<Up>");
	expect("<Down>", CCON_KEY_DOWN, 0, "<Down>");
	expect("<Left>", CCON_KEY_LEFT, 0, "<Left>");
	expect("<Right>", CCON_KEY_RIGHT, 0, "<Right>");
	expect("<C-Up>", CCON_KEY_UP, CCON_MOD_CTRL, "<C-Up>");
	expect("M-<Up>", CCON_KEY_UP, CCON_MOD_META, "<M-Up>");
	expect("<PgUp>", CCON_KEY_PGUP, 0, "<PgUp>");
	expect("<PageDown>", CCON_KEY_PGDN, 0, "<PgDn>");
	expect("<PgDn>", CCON_KEY_PGDN, 0, "<PgDn>");
	expect("<Home>", CCON_KEY_HOME, 0, "<Home>");
	expect("<End>", CCON_KEY_END, 0, "<End>");
	expect("<Space>", ' ', 0, "<Space>");
	expect("<Backspace>", CCON_KEY_BACKSPACE, 0, "<Backspace>");
	expect("<BS>", CCON_KEY_BACKSPACE, 0, "<Backspace>");
	expect("<Del>", CCON_KEY_DEL, 0, "<Del>");
	expect("<Delete>", CCON_KEY_DEL, 0, "<Del>");
	expect("<Ins>", CCON_KEY_INS, 0, "<Ins>");
	expect("<F1>", CCON_KEY_F1, 0, "<F1>");
	expect("<f9>", CCON_KEY_F1 + 8, 0, "<F9>");
	expect("<F10>", CCON_KEY_F1 + 9, 0, "<F10>");
	expect("<F12>", CCON_KEY_F12, 0, "<F12>");
	expect("<M-F5>", CCON_KEY_F1 + 4, CCON_MOD_META, "<M-F5>");
}
END_TEST

START_TEST(errors_name_the_column)
{
	bad("", 0, 1, "empty");
	bad("jk", 2, 2, "one character");
	bad("C-dd", 4, 4, "one character");
	bad("C-", 2, 3, "a key follows");
	bad("<C->", 4, 4, "a key follows");
	bad("C-C-d", 5, 3, "twice");
	bad("<Enter", 6, 7, "ends with '>'");
	bad("<Foo>", 5, 2, "unknown key name");
	bad("<>", 2, 2, "unknown key name");
	bad("<F13>", 5, 2, "F1 to F12");
	bad("<F0>", 4, 2, "unknown key name");
	bad("S-g", 3, 1, "S- goes with named keys");
	bad("<S-Space>", 9, 2, "S- goes with named keys");
	bad("C-1", 3, 3, "C- goes with");
	bad("C-<lt>", 6, 4, "C- goes with");
	bad("<C-\x1b>", 5, 4, "control character");
	bad("\x1b", 1, 1, "control character");
	bad("\t", 1, 1, "control character");
	bad("\xc2\x85", 2, 1, "control character");
	bad("\xe2\x80\xae", 3, 1, "control character");
	bad("\xff", 1, 1, "UTF-8");
	bad("M-\xe6\x97", 4, 3, "UTF-8");
	bad("j\0", 2, 2, "one character");
}
END_TEST

/* Columns count characters, not bytes (settings.c maps them back to the
 * line's characters): found by fuzz_config. */
START_TEST(error_columns_count_characters)
{
	bad("<\xc3\xa9\xc3\xa9", 5, 4, "ends with '>'");
	bad("\xc3\xa9x", 3, 2, "one character");
	bad("<\xc3\xa9\xc3\xa9>", 6, 2, "unknown key name");
	bad("C-\xc3\xa9", 4, 3, "C- goes with");
	bad("<\xc3\xa9", 3, 3, "ends with '>'");
}
END_TEST

START_TEST(format_truncates_like_snprintf)
{
	struct ccon_key k = { CCON_KEY_PGDN, CCON_MOD_CTRL | CCON_MOD_META };
	char buf[6];

	ck_assert_uint_eq(ccon_keyspec_format(k, buf, sizeof(buf)), 10);   /* <C-M-PgDn> */
	ck_assert_str_eq(buf, "<C-M-");
	ck_assert_uint_eq(ccon_keyspec_format(k, NULL, 0), 10);
	ck_assert(!ccon_key_eq(k, (struct ccon_key){ CCON_KEY_PGDN, CCON_MOD_CTRL }));
}
END_TEST

Suite *ccon_suite_keyspec(void)
{
	Suite *s = suite_create("keyspec");
	TCase *tc = tcase_create("keyspec");

	tcase_add_test(tc, characters);
	tcase_add_test(tc, modifiers);
	tcase_add_test(tc, named_keys);
	tcase_add_test(tc, errors_name_the_column);
	tcase_add_test(tc, error_columns_count_characters);
	tcase_add_test(tc, format_truncates_like_snprintf);
	suite_add_tcase(s, tc);
	return s;
}
