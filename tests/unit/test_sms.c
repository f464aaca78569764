#include "config.h"

#include <ccon/sms.h>

#include "suites.h"
#include "testutil.h"

static struct ccon_sms_info analyze(const char *text, enum ccon_nls_mode mode)
{
	struct ccon_sms_info info;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_sms_analyze(text, strlen(text), mode, &info, &err) == 0, "%s", err.message);
	return info;
}

static char *repeat(const char *unit, size_t times)
{
	size_t n = strlen(unit);
	char *s = malloc(n * times + 1);

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	return s;
}

START_TEST(plain_text_is_gsm7)
{
	struct ccon_sms_info i = analyze("Hola Ana, tu cita es el 3/12 a las 10:00 @ Clínica", CCON_NLS_AUTO);

	/* í is not in the default alphabet: auto takes the Spanish shift table */
	ck_assert_int_eq(i.encoding, CCON_SMS_GSM7_SPANISH);
	i = analyze("Hello Ana, your code is 1234 @ $5 _ok_", CCON_NLS_AUTO);
	ck_assert_int_eq(i.encoding, CCON_SMS_GSM7);
	ck_assert_uint_eq(i.units, 38);
	ck_assert_uint_eq(i.segments, 1);
	ck_assert_uint_eq(i.per_segment, 160);
	i = analyze("Déjà vu: ñ ü à è é ù ì ò Ç Ø å Δ Ω ß ¿¡ £¥§", CCON_NLS_AUTO);
	ck_assert_int_eq(i.encoding, CCON_SMS_GSM7);
	i = analyze("", CCON_NLS_AUTO);
	ck_assert_uint_eq(i.units, 0);
	ck_assert_uint_eq(i.segments, 1);
}
END_TEST

START_TEST(extension_characters_take_two_septets)
{
	struct ccon_sms_info i = analyze("{[~]}|\\^€", CCON_NLS_STANDARD);

	ck_assert_int_eq(i.encoding, CCON_SMS_GSM7);
	ck_assert_uint_eq(i.units, 18);
}
END_TEST

START_TEST(segment_boundaries)
{
	char *s = repeat("a", 160);
	struct ccon_sms_info i = analyze(s, CCON_NLS_AUTO);

	ck_assert_uint_eq(i.segments, 1);
	free(s);
	s = repeat("a", 161);
	i = analyze(s, CCON_NLS_AUTO);
	ck_assert_uint_eq(i.segments, 2);
	ck_assert_uint_eq(i.per_segment, 153);
	free(s);
	s = repeat("a", 306);
	ck_assert_uint_eq(analyze(s, CCON_NLS_AUTO).segments, 2);
	free(s);
	s = repeat("a", 307);
	ck_assert_uint_eq(analyze(s, CCON_NLS_AUTO).segments, 3);
	free(s);
	/* 152 septets then a 2-septet euro: it moves whole to segment 2 */
	s = repeat("a", 160);
	memcpy(s + 152, "\xe2\x82\xac", 3);
	s[155] = '\0';
	i = analyze(s, CCON_NLS_AUTO);
	ck_assert_uint_eq(i.units, 154);
	ck_assert_uint_eq(i.segments, 1);
	free(s);
	/* 152 + 2 + 152 = 306 septets would fill two segments exactly, but the
	 * euro cannot be split at the end of segment 1: three segments */
	s = repeat("a", 307);
	memcpy(s + 152, "\xe2\x82\xac", 3);
	i = analyze(s, CCON_NLS_AUTO);
	ck_assert_uint_eq(i.units, 306);
	ck_assert_uint_eq(i.segments, 3);
	free(s);
}
END_TEST

START_TEST(nls_modes)
{
	const char *es = "Atención: su envío está en camino";
	struct ccon_sms_info i;
	char *s;

	ck_assert_int_eq(analyze(es, CCON_NLS_AUTO).encoding, CCON_SMS_GSM7_SPANISH);
	ck_assert_int_eq(analyze(es, CCON_NLS_SPANISH).encoding, CCON_SMS_GSM7_SPANISH);
	ck_assert_int_eq(analyze(es, CCON_NLS_STANDARD).encoding, CCON_SMS_UCS2);
	/* spanish forced on plain text still spends the shift table header */
	i = analyze("plain", CCON_NLS_SPANISH);
	ck_assert_int_eq(i.encoding, CCON_SMS_GSM7_SPANISH);
	ck_assert_uint_eq(i.per_segment, 155);
	s = repeat("\xc3\xb3", 156); /* ó, two septets each */
	i = analyze(s, CCON_NLS_AUTO);
	ck_assert_uint_eq(i.units, 312);
	ck_assert_uint_eq(i.segments, 3); /* 74 ó per 149-septet segment */
	free(s);
}
END_TEST

START_TEST(ucs2_when_needed)
{
	struct ccon_sms_info i = analyze("Olá! 😀", CCON_NLS_AUTO);
	char *s;

	ck_assert_int_eq(i.encoding, CCON_SMS_UCS2);
	ck_assert_uint_eq(i.units, 7); /* the emoji is a surrogate pair */
	s = repeat("\xd0\x96", 70);    /* Ж */
	ck_assert_uint_eq(analyze(s, CCON_NLS_AUTO).segments, 1);
	free(s);
	s = repeat("\xd0\x96", 71);
	i = analyze(s, CCON_NLS_AUTO);
	ck_assert_uint_eq(i.segments, 2);
	ck_assert_uint_eq(i.per_segment, 67);
	free(s);
	ck_assert_int_eq(analyze("back`tick", CCON_NLS_AUTO).encoding, CCON_SMS_UCS2);
	ck_assert_int_eq(analyze("del\x7f", CCON_NLS_AUTO).encoding, CCON_SMS_UCS2);
}
END_TEST

START_TEST(invalid_utf8_is_refused)
{
	struct ccon_sms_info i;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_sms_analyze("ab\xe9", 3, CCON_NLS_AUTO, &i, &err), -1);
	ck_assert_int_eq(err.column, 3);
	ck_assert_str_eq(ccon_sms_encoding_name(CCON_SMS_GSM7_SPANISH), "gsm7-spanish");
}
END_TEST

Suite *ccon_suite_sms(void)
{
	Suite *s = suite_create("sms");
	TCase *tc = tcase_create("sms");

	tcase_add_test(tc, plain_text_is_gsm7);
	tcase_add_test(tc, extension_characters_take_two_septets);
	tcase_add_test(tc, segment_boundaries);
	tcase_add_test(tc, nls_modes);
	tcase_add_test(tc, ucs2_when_needed);
	tcase_add_test(tc, invalid_utf8_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
