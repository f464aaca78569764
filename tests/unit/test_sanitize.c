#include "config.h"

#include <ccon/sanitize.h>
#include <ccon/utf8.h>

#include "suites.h"
#include "testutil.h"

static void expect_flags(const char *in, size_t len, unsigned flags, const char *want)
{
	char out[512];
	size_t n = ccon_sanitize(in, len, flags, out, sizeof(out));
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ck_assert_msg(strcmp(out, want) == 0, "got \"%s\", want \"%s\"", out, want);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_int_eq(ccon_sanitize_append(&sb, in, len, flags), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), want);
	ck_assert(ccon_utf8_valid(out, n, NULL));
	ck_assert(ccon_sanitize_needed(in, len, flags) == (len != n || memcmp(in, want, n) != 0));
	ccon_strbuf_free(&sb);
}

static void expect(const char *in, const char *want)
{
	expect_flags(in, strlen(in), 0, want);
}

START_TEST(plain_text_passes)
{
	expect("", "");
	expect("Black Friday 2026", "Black Friday 2026");
	expect("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	expect("e\xcc\x81", "e\xcc\x81");              /* combining acute */
	expect("\xef\xbf\xbd", "\xef\xbf\xbd");         /* U+FFFD itself */
	ck_assert(!ccon_sanitize_needed("abc", 3, 0));
	ck_assert_uint_eq(ccon_sanitize(NULL, 0, 0, NULL, 0), 0);
}
END_TEST

START_TEST(c0_controls_in_caret_notation)
{
	expect("a\x1b" "b", "a^[b");
	expect("\a", "^G");
	expect("\r\n\t", "^M^J^I");
	expect("\x7f", "^?");
	expect("\x1f", "^_");
	expect_flags("a\0b", 3, 0, "a^@b");
	for (int c = 0; c < 0x20; c++) {
		char in[1] = { (char)c }, out[8];

		ck_assert_uint_eq(ccon_sanitize(in, 1, 0, out, sizeof(out)), 2);
		ck_assert(out[0] == '^' && out[1] == (char)(c + 0x40));
	}
}
END_TEST

START_TEST(escape_sequences_become_text)
{
	/* the campaign name: clear screen, bell, OSC 52 clipboard write */
	expect("Promo \x1b[2J\x07\x1b]52;c;aGVsbG8=\x07 end",
	       "Promo ^[[2J^G^[]52;c;aGVsbG8=^G end");
	expect("\x1b]52;c;aGk=\x1b\\", "^[]52;c;aGk=^[\\");    /* ST terminator */
	expect("\x1bP1$r0m\x1b\\", "^[P1$r0m^[\\");             /* DCS */
	expect("\x1b[31mred\x1b[0m", "^[[31mred^[[0m");
	expect("\xc2\x9b" "2J", "<U+009B>2J");                  /* 8-bit CSI */
	expect("\xc2\x9d" "0;x\xc2\x9c", "<U+009D>0;x<U+009C>"); /* 8-bit OSC, ST */
}
END_TEST

START_TEST(c1_and_bidi_controls_in_code_point_notation)
{
	expect("\xc2\x80\xc2\x85\xc2\x9f", "<U+0080><U+0085><U+009F>");
	expect("abc\xe2\x80\xae" "fdp.exe", "abc<U+202E>fdp.exe");
	expect("\xe2\x80\x8e\xe2\x80\x8f", "<U+200E><U+200F>");
	expect("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "<U+202A><U+202B><U+202C><U+202D>");
	expect("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "<U+2066><U+2067><U+2068><U+2069>");
	expect("\xd8\x9c", "<U+061C>");
	expect("a\xe2\x80\xa8" "b\xe2\x80\xa9", "a<U+2028>b<U+2029>");
	expect("\xef\xbb\xbfx", "<U+FEFF>x");
	expect("\xef\xbf\xb9", "<U+FFF9>");
	/* neighbours pass */
	expect("\xc2\xa0\xe2\x80\x8d", "\xc2\xa0\xe2\x80\x8d");  /* NBSP, ZWJ */
}
END_TEST

START_TEST(invalid_utf8_becomes_replacement_characters)
{
	expect("a\xff" "b", "a\xef\xbf\xbd" "b");
	expect("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");                  /* overlong '/' */
	expect("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  /* surrogate */
	expect("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect("\xe6\x97", "\xef\xbf\xbd\xef\xbf\xbd");                  /* truncated */
	expect("\x80", "\xef\xbf\xbd");
	/* an overlong ESC is not an ESC either */
	expect("\xc0\x9b[2J", "\xef\xbf\xbd\xef\xbf\xbd[2J");
}
END_TEST

START_TEST(multiline_keeps_newlines_and_tabs)
{
	const char *in = "{\r\n\t\"a\": 1\n}\r\x1b[2J";

	expect_flags(in, strlen(in), CCON_SANITIZE_MULTILINE, "{\n\t\"a\": 1\n}^M^[[2J");
	expect_flags("\r\r\n", 3, CCON_SANITIZE_MULTILINE, "^M\n");
	expect_flags("\v\f", 2, CCON_SANITIZE_MULTILINE, "^K^L");
}
END_TEST

START_TEST(short_buffers_cut_at_character_boundaries)
{
	char out[8];
	const char *in = "ab\x1b" "cd";   /* "ab^[cd" */

	ck_assert_uint_eq(ccon_sanitize(in, 5, 0, out, 4), 6);
	ck_assert_str_eq(out, "ab");       /* "^[" does not fit whole */
	ck_assert_uint_eq(ccon_sanitize(in, 5, 0, out, 5), 6);
	ck_assert_str_eq(out, "ab^[");
	ck_assert_uint_eq(ccon_sanitize("\xe6\x97\xa5\xe6\x9c\xac", 6, 0, out, 6), 6);
	ck_assert_str_eq(out, "\xe6\x97\xa5");
	ck_assert_uint_eq(ccon_sanitize("abcdefghij", 10, 0, out, sizeof(out)), 10);
	ck_assert_str_eq(out, "abcdefg");
	ck_assert_uint_eq(ccon_sanitize("x", 1, 0, out, 1), 1);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(huge_input_of_every_byte)
{
	size_t len = 1 << 20;
	char *in = malloc(len), *out = malloc(CCON_SANITIZE_SIZE(len));
	size_t n;

	for (size_t i = 0; i < len; i++)
		in[i] = (char)(i * 7919 % 256);
	n = ccon_sanitize(in, len, 0, out, CCON_SANITIZE_SIZE(len));
	ck_assert_uint_lt(n, CCON_SANITIZE_SIZE(len));
	ck_assert(ccon_utf8_valid(out, n, NULL));
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			ck_abort_msg("control at %zu", i);
	/* the worst case: C1 controls, 2 bytes to 8 */
	for (size_t i = 0; i + 1 < len; i += 2) {
		in[i] = '\xc2';
		in[i + 1] = '\x9b';
	}
	ck_assert_uint_eq(ccon_sanitize(in, len, 0, out, CCON_SANITIZE_SIZE(len)), 4 * len);
	free(in);
	free(out);
}
END_TEST

/* ---- widths */

START_TEST(code_point_widths)
{
	ck_assert_int_eq(ccon_cp_width('a'), 1);
	ck_assert_int_eq(ccon_cp_width(0x1b), -1);
	ck_assert_int_eq(ccon_cp_width(0x7f), -1);
	ck_assert_int_eq(ccon_cp_width(0x85), -1);
	ck_assert_int_eq(ccon_cp_width(0x202e), -1);
	ck_assert_int_eq(ccon_cp_width(0xd800), -1);
	ck_assert_int_eq(ccon_cp_width(0x110000), -1);
	ck_assert_int_eq(ccon_cp_width(0xe9), 1);       /* é */
	ck_assert_int_eq(ccon_cp_width(0x301), 0);      /* combining acute */
	ck_assert_int_eq(ccon_cp_width(0x200b), 0);     /* zero width space */
	ck_assert_int_eq(ccon_cp_width(0x200d), 0);     /* ZWJ */
	ck_assert_int_eq(ccon_cp_width(0xfe0f), 0);     /* VS16 */
	ck_assert_int_eq(ccon_cp_width(0x1160), 0);     /* Hangul medial vowel */
	ck_assert_int_eq(ccon_cp_width(0x65e5), 2);     /* 日 */
	ck_assert_int_eq(ccon_cp_width(0xac00), 2);     /* 가 */
	ck_assert_int_eq(ccon_cp_width(0xff21), 2);     /* fullwidth A */
	ck_assert_int_eq(ccon_cp_width(0x1f600), 2);    /* 😀 */
	ck_assert_int_eq(ccon_cp_width(0x1f44d), 2);    /* 👍 */
	ck_assert_int_eq(ccon_cp_width(0x20000), 2);    /* CJK extension B */
	ck_assert_int_eq(ccon_cp_width(0x2fffd), 2);
	ck_assert_int_eq(ccon_cp_width(0x2026), 1);     /* … */
	ck_assert_int_eq(ccon_cp_width(0x378), 1);      /* unassigned */
	ck_assert_int_eq(ccon_cp_width(0x10ffff), 1);
	ck_assert_int_eq(ccon_cp_width(0xe000), 1);     /* private use */
}
END_TEST

START_TEST(text_widths)
{
	ck_assert_uint_eq(ccon_text_width("", 0), 0);
	ck_assert_uint_eq(ccon_text_width("abc", 3), 3);
	ck_assert_uint_eq(ccon_text_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4);
	ck_assert_uint_eq(ccon_text_width("e\xcc\x81", 3), 1);
	ck_assert_uint_eq(ccon_text_width("\xf0\x9f\x98\x80!", 5), 3);
	ck_assert_uint_eq(ccon_text_width("a\x1b", 2), 3);              /* "a^[" */
	ck_assert_uint_eq(ccon_text_width("\xe2\x80\xae", 3), 8);       /* "<U+202E>" */
	ck_assert_uint_eq(ccon_text_width("\xff\xfe", 2), 2);           /* two U+FFFD */
}
END_TEST

static void expect_fit(const char *in, size_t cells, unsigned flags, const char *want)
{
	char out[256];
	size_t n = ccon_text_fit(in, strlen(in), cells, flags, out, sizeof(out));

	ck_assert_msg(strcmp(out, want) == 0, "fit \"%s\" to %zu: got \"%s\", want \"%s\"", in,
	              cells, out, want);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_uint_eq(ccon_text_width(out, n), cells);
}

START_TEST(fit_pads_and_cuts)
{
	expect_fit("", 3, 0, "   ");
	expect_fit("ab", 4, 0, "ab  ");
	expect_fit("ab", 4, CCON_FIT_RIGHT, "  ab");
	expect_fit("abc", 3, 0, "abc");
	expect_fit("abcd", 3, 0, "ab\xe2\x80\xa6");
	expect_fit("abcd", 3, CCON_FIT_RIGHT, "ab\xe2\x80\xa6");
	expect_fit("abcd", 1, 0, "\xe2\x80\xa6");
	expect_fit("a", 1, 0, "a");
	/* a wide glyph is never split */
	expect_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6, 0, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	expect_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, 0, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	expect_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, 0, "\xe6\x97\xa5\xe2\x80\xa6 ");
	expect_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 2, 0, "\xe2\x80\xa6 ");
	expect_fit("\xe6\x97\xa5", 3, CCON_FIT_RIGHT, " \xe6\x97\xa5");
	expect_fit("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 3, 0, "\xf0\x9f\x98\x80\xe2\x80\xa6");
	/* combining marks stay with their base */
	expect_fit("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 3, 0, "e\xcc\x81" "e\xcc\x81" "e\xcc\x81");
	expect_fit("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2, 0, "e\xcc\x81\xe2\x80\xa6");
	/* controls are sanitised first, their notation never split */
	expect_fit("a\x1b[2J", 8, 0, "a^[[2J  ");
	expect_fit("a\x1b[2J", 3, 0, "a\xe2\x80\xa6 ");
	expect_fit("ab\x1b[2J", 3, 0, "ab\xe2\x80\xa6");
	expect_fit("a\xe2\x80\xae", 6, 0, "a\xe2\x80\xa6    ");
}
END_TEST

START_TEST(fit_zero_and_small_buffers)
{
	char out[16];

	ck_assert_uint_eq(ccon_text_fit("abc", 3, 0, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(ccon_text_fit("abc", 3, 2, 0, out, 0), 0);
	ck_assert_uint_eq(ccon_text_fit("abc", 3, 20, 0, out, sizeof(out)), 0);   /* < cells + 4 */
	ck_assert_str_eq(out, "");
	/* exactly cells + 4: the text is cut early but the width holds */
	ck_assert_uint_eq(ccon_text_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9, 6, 0, out, 10),
	                  8);
	ck_assert_str_eq(out, "\xe2\x80\xa6     ");
	ck_assert_uint_eq(ccon_text_width(out, strlen(out)), 6);
}
END_TEST

START_TEST(fit_huge_and_zalgo_text)
{
	size_t len = 100000;
	char *in = malloc(len + 1), out[64];

	/* one base letter and a mountain of combining marks */
	in[0] = 'a';
	for (size_t i = 1; i + 1 < len; i += 2) {
		in[i] = '\xcc';
		in[i + 1] = '\x81';
	}
	in[len - 1] = 'b';
	ccon_text_fit(in, len, 10, 0, out, sizeof(out));
	ck_assert_uint_eq(ccon_text_width(out, strlen(out)), 10);
	ck_assert(ccon_utf8_valid(out, strlen(out), NULL));
	memset(in, 'x', len);
	ck_assert_uint_eq(ccon_text_fit(in, len, 40, 0, out, sizeof(out)), 42);
	ck_assert_uint_eq(ccon_text_width(out, strlen(out)), 40);
	free(in);
}
END_TEST

Suite *ccon_suite_sanitize(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("sanitize");

	tcase_add_test(tc, plain_text_passes);
	tcase_add_test(tc, c0_controls_in_caret_notation);
	tcase_add_test(tc, escape_sequences_become_text);
	tcase_add_test(tc, c1_and_bidi_controls_in_code_point_notation);
	tcase_add_test(tc, invalid_utf8_becomes_replacement_characters);
	tcase_add_test(tc, multiline_keeps_newlines_and_tabs);
	tcase_add_test(tc, short_buffers_cut_at_character_boundaries);
	tcase_add_test(tc, huge_input_of_every_byte);
	suite_add_tcase(s, tc);
	tc = tcase_create("width");
	tcase_add_test(tc, code_point_widths);
	tcase_add_test(tc, text_widths);
	tcase_add_test(tc, fit_pads_and_cuts);
	tcase_add_test(tc, fit_zero_and_small_buffers);
	tcase_add_test(tc, fit_huge_and_zalgo_text);
	suite_add_tcase(s, tc);
	return s;
}
