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

Suite *ccon_suite_utf8(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");

	tcase_add_test(tc, accepts_ascii_and_multibyte);
	tcase_add_test(tc, rejects_with_offset);
	tcase_add_test(tc, decode_and_length);
	suite_add_tcase(s, tc);
	return s;
}
