#include "config.h"

#include <ccon/utf8.h>

#include "suites.h"
#include "testutil.h"

static bool valid(const char *s, size_t *bad)
{
	return ccon_utf8_valid(s, strlen(s), bad);
}

START_TEST(accepts_ascii_and_multibyte)
{
	ck_assert(valid("", NULL));
	ck_assert(valid("plain ascii that is longer than eight bytes", NULL));
	ck_assert(valid("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", NULL)); /* é € 😀 */
	ck_assert(valid("\xef\xbf\xbf", NULL));                              /* U+FFFF */
	ck_assert(valid("\xf4\x8f\xbf\xbf", NULL));                          /* U+10FFFF */
}
END_TEST

START_TEST(rejects_with_offset)
{
	size_t bad = 99;

	ck_assert(!valid("abcdefghij\xe9t\xe9", &bad)); /* Latin-1 é after 10 bytes */
	ck_assert_uint_eq(bad, 10);
	ck_assert(!valid("\xc0\xaf", &bad));            /* overlong '/' */
	ck_assert_uint_eq(bad, 0);
	ck_assert(!valid("ab\xe0\x80\xaf", &bad));      /* overlong 3-byte */
	ck_assert_uint_eq(bad, 2);
	ck_assert(!valid("\xed\xa0\x80", &bad));        /* surrogate U+D800 */
	ck_assert(!valid("\xf4\x90\x80\x80", &bad));    /* above U+10FFFF */
	ck_assert(!valid("x\xe2\x82", &bad));           /* truncated */
	ck_assert_uint_eq(bad, 1);
	ck_assert(!valid("\x80", &bad));                /* lone continuation */
}
END_TEST

START_TEST(decode_and_length)
{
	uint32_t cp = 0;

	ck_assert_uint_eq(ccon_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x20AC);
	ck_assert_uint_eq(ccon_utf8_decode("\xe2\x82\xac", 2, &cp), 0);
	ck_assert_uint_eq(ccon_utf8_length("a\xc3\xa9\xf0\x9f\x98\x80", 7), 3);
	ck_assert_uint_eq(ccon_utf8_length("\xff\xfe", 2), 2);
}
END_TEST

/* Every character encodes to what the decoder reads back; surrogates and
 * values past U+10FFFF encode to nothing. */
START_TEST(encode_round_trips)
{
	static const uint32_t cps[] = { 0, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000,
	                                0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff };
	char buf[4];
	uint32_t back;

	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		size_t n = ccon_utf8_encode(cps[i], buf);

		ck_assert_uint_eq(n, cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4);
		ck_assert_uint_eq(ccon_utf8_decode(buf, n, &back), n);
		ck_assert_uint_eq(back, cps[i]);
	}
	ck_assert_uint_eq(ccon_utf8_encode(0xd800, buf), 0);
	ck_assert_uint_eq(ccon_utf8_encode(0xdfff, buf), 0);
	ck_assert_uint_eq(ccon_utf8_encode(0x110000, buf), 0);
}
END_TEST

Suite *ccon_suite_utf8(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");

	tcase_add_test(tc, accepts_ascii_and_multibyte);
	tcase_add_test(tc, rejects_with_offset);
	tcase_add_test(tc, decode_and_length);
	tcase_add_test(tc, encode_round_trips);
	suite_add_tcase(s, tc);
	return s;
}
