#include "config.h"

#include <ccon/phone.h>

#include "suites.h"
#include "testutil.h"

static char out[CCON_E164_BUFSIZE];
static struct ccon_error err;

static int norm(const char *in)
{
	ccon_error_clear(&err);
	return ccon_phone_normalize(in, in ? strlen(in) : 0, out, &err);
}

static void accepts(const char *in, const char *want)
{
	ck_assert_msg(norm(in) == 0, "\"%s\" rejected: %s", in, err.message);
	ck_assert_str_eq(out, want);
}

static void rejects(const char *in, enum ccon_errc code, long column)
{
	ck_assert_msg(norm(in) == -1, "\"%s\" accepted as %s", in, out);
	ck_assert_errc(err, code);
	ck_assert_int_eq(err.column, column);
	ck_assert_str_eq(out, "");
	ck_assert(err.message[0] != '\0');
}

START_TEST(seed_forms)
{
	accepts("+5531999887766", "+5531999887766");   /* seed 002 recipient */
	accepts("34666777888", "+34666777888");         /* seed 000: digits begin with the code */
	accepts("0034666777888", "+34666777888");       /* "00" international prefix */
	accepts("0055 31 99988 7766", "+5531999887766");
}
END_TEST

START_TEST(separators)
{
	accepts("+55 (31) 99988-7766", "+5531999887766");
	accepts("+1 415.555.0100", "+14155550100");
	accepts(" \t+34 666-777-888\t ", "+34666777888");
	accepts("+ 34 666 777 888", "+34666777888");
	/* the '+' comes first, outside any parenthesis */
	rejects("(+34) 666 777 888", CCON_E_PHONE_CHARACTERS, 2);
}
END_TEST

START_TEST(trunk_zero_in_parentheses)
{
	accepts("+44 (0)20 7946 0958", "+442079460958");
	accepts("0044 (0) 20 7946 0958", "+442079460958");
	accepts("+44 ( 0 )20 7946 0958", "+442079460958");
	/* only the first "(0)" is a trunk prefix */
	accepts("+44 (0)20 (0)794 6095", "+442007946095");
	/* Italy keeps its leading 0 in international form */
	accepts("+39 (0)6 6982 0000", "+390669820000");
	/* a bracketed area code is not a trunk prefix */
	accepts("+44 (020) 7946 0958", "+440207946095" "8");
	/* "(0)" before the country code is no trunk prefix: it is the number */
	rejects("+(0)44 20 7946 0958", CCON_E_PHONE_COUNTRY_CODE, 3);
}
END_TEST

START_TEST(bad_characters_with_column)
{
	rejects("+34 666 777 88a", CCON_E_PHONE_CHARACTERS, 15);
	ck_assert_ptr_nonnull(strstr(err.message, "'a'"));
	rejects("+34 666 777 888 x12", CCON_E_PHONE_CHARACTERS, 17);
	rejects("+34 666+777 888", CCON_E_PHONE_CHARACTERS, 8);
	rejects("++34666777888", CCON_E_PHONE_CHARACTERS, 2);
	rejects("+34/666/777/888", CCON_E_PHONE_CHARACTERS, 4);
	rejects("+34 666 777 888\xc3\xa9", CCON_E_PHONE_CHARACTERS, 16);
	ck_assert_ptr_nonnull(strstr(err.message, "U+00E9"));
	rejects("+34 666\xff", CCON_E_PHONE_CHARACTERS, 8);
	ck_assert_ptr_nonnull(strstr(err.message, "0xFF"));
	rejects("+34\n666777888", CCON_E_PHONE_CHARACTERS, 4);
	ck_assert_ptr_nonnull(strstr(err.message, "U+000A"));

	/* an embedded NUL is a character like any other */
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_phone_normalize("+34\0" "666777888", 13, out, &err), -1);
	ck_assert_errc(err, CCON_E_PHONE_CHARACTERS);
	ck_assert_int_eq(err.column, 4);
}
END_TEST

START_TEST(parentheses_must_balance)
{
	rejects("+34 (666 777 888", CCON_E_PHONE_CHARACTERS, 5);
	ck_assert_ptr_nonnull(strstr(err.message, "closing"));
	rejects("+34 666) 777 888", CCON_E_PHONE_CHARACTERS, 8);
	rejects("+34 ((666)) 777 888", CCON_E_PHONE_CHARACTERS, 6);
	rejects("+34 () 666 777 888", CCON_E_PHONE_CHARACTERS, 5);
	rejects("+34 666 (+) 777", CCON_E_PHONE_CHARACTERS, 10);
}
END_TEST

START_TEST(empty)
{
	rejects("", CCON_E_PHONE_EMPTY, 0);
	rejects("   ", CCON_E_PHONE_EMPTY, 0);
	rejects(" - . - ", CCON_E_PHONE_EMPTY, 0);
	rejects("+", CCON_E_PHONE_EMPTY, 0);
	rejects(NULL, CCON_E_PHONE_EMPTY, 0);
}
END_TEST

START_TEST(national_number_has_no_country_code)
{
	rejects("0612 345 678", CCON_E_PHONE_NO_COUNTRY_CODE, 1);
	rejects("  (0)20 7946 0958", CCON_E_PHONE_NO_COUNTRY_CODE, 4);
	rejects("0", CCON_E_PHONE_NO_COUNTRY_CODE, 1);
}
END_TEST

START_TEST(length_limits)
{
	accepts("+123456789012345", "+123456789012345");          /* 15 digits */
	rejects("+1234567890123456", CCON_E_PHONE_TOO_LONG, 17);  /* the 16th digit */
	ck_assert_ptr_nonnull(strstr(err.message, "16 digits"));
	accepts("00123456789012345", "+123456789012345");         /* "00" not counted */
	rejects("001234567890123456", CCON_E_PHONE_TOO_LONG, 18);
	rejects("+1 234 567 890 123 456 789 012 345 678 901", CCON_E_PHONE_TOO_LONG, 22);
	/* the dropped trunk "(0)" is not counted */
	accepts("+44 (0)1234567890123", "+441234567890123");
	accepts("+3412345", "+3412345");                           /* 7 digits */
	rejects("+341234", CCON_E_PHONE_TOO_SHORT, 0);
	ck_assert_ptr_nonnull(strstr(err.message, "6 digits"));
	rejects("0034 1234", CCON_E_PHONE_TOO_SHORT, 0);
	/* length is checked before the country code */
	rejects("+999 12", CCON_E_PHONE_TOO_SHORT, 0);
}
END_TEST

static int cc_len(const char *digits)
{
	return ccon_phone_country_code_len(digits);
}

START_TEST(country_code_table_edges)
{
	ck_assert_int_eq(cc_len("14155550100"), 1);
	ck_assert_int_eq(cc_len("74951234567"), 1);
	ck_assert_int_eq(cc_len("201001234567"), 2);
	ck_assert_int_eq(cc_len("27821234567"), 2);
	ck_assert_int_eq(cc_len("2119"), 3);
	ck_assert_int_eq(cc_len("2109"), 0);
	ck_assert_int_eq(cc_len("2999"), 3);
	ck_assert_int_eq(cc_len("2801"), 0);
	ck_assert_int_eq(cc_len("2591"), 0);
	ck_assert_int_eq(cc_len("4201"), 3);
	ck_assert_int_eq(cc_len("4211"), 3);
	ck_assert_int_eq(cc_len("4231"), 3);
	ck_assert_int_eq(cc_len("4221"), 0);
	ck_assert_int_eq(cc_len("4241"), 0);
	ck_assert_int_eq(cc_len("4291"), 0);
	ck_assert_int_eq(cc_len("8001"), 3);
	ck_assert_int_eq(cc_len("8011"), 0);
	ck_assert_int_eq(cc_len("8081"), 3);
	ck_assert_int_eq(cc_len("8301"), 0);
	ck_assert_int_eq(cc_len("8901"), 0);
	ck_assert_int_eq(cc_len("8861"), 3);
	ck_assert_int_eq(cc_len("3831"), 3);
	ck_assert_int_eq(cc_len("3841"), 0);
	ck_assert_int_eq(cc_len("3881"), 0);
	ck_assert_int_eq(cc_len("6711"), 0);
	ck_assert_int_eq(cc_len("6841"), 0);
	ck_assert_int_eq(cc_len("6921"), 3);
	ck_assert_int_eq(cc_len("6931"), 0);
	ck_assert_int_eq(cc_len("9681"), 3);
	ck_assert_int_eq(cc_len("9691"), 0);
	ck_assert_int_eq(cc_len("9771"), 3);
	ck_assert_int_eq(cc_len("9781"), 0);
	ck_assert_int_eq(cc_len("9791"), 3);
	ck_assert_int_eq(cc_len("9901"), 0);
	ck_assert_int_eq(cc_len("9911"), 0);
	ck_assert_int_eq(cc_len("9921"), 3);
	ck_assert_int_eq(cc_len("9971"), 0);
	ck_assert_int_eq(cc_len("9981"), 3);
	ck_assert_int_eq(cc_len("9991"), 0);
	ck_assert_int_eq(cc_len("0341"), 0);
	ck_assert_int_eq(cc_len("42"), 0);   /* shorter than any 42x code */
	ck_assert_int_eq(cc_len("3"), 0);
	ck_assert_int_eq(cc_len(""), 0);
	ck_assert_int_eq(cc_len("+34"), 0);
	ck_assert_int_eq(cc_len(NULL), 0);
}
END_TEST

/* No code begins another: if "abc" starts with a k-digit code, every number
 * sharing its first k digits starts with the same code. */
START_TEST(country_codes_are_prefix_free)
{
	char d[4] = "000", e[4] = "000";

	for (int i = 0; i < 1000; i++) {
		int k;

		d[0] = (char)('0' + i / 100);
		d[1] = (char)('0' + i / 10 % 10);
		d[2] = (char)('0' + i % 10);
		k = cc_len(d);
		for (int j = 0; k && j < 1000; j++) {
			e[0] = (char)('0' + j / 100);
			e[1] = (char)('0' + j / 10 % 10);
			e[2] = (char)('0' + j % 10);
			if (memcmp(d, e, (size_t)k) == 0)
				ck_assert_int_eq(cc_len(e), k);
		}
	}
}
END_TEST

START_TEST(unknown_country_code)
{
	rejects("+999 1234 5678", CCON_E_PHONE_COUNTRY_CODE, 2);
	ck_assert_ptr_nonnull(strstr(err.message, "+999"));
	rejects("+42 2123 4567", CCON_E_PHONE_COUNTRY_CODE, 2);
	accepts("+420 601 123 456", "+420601123456");
	rejects("+801 1234 5678", CCON_E_PHONE_COUNTRY_CODE, 2);
	accepts("+800 1234 5678", "+80012345678");
	rejects("00 280 1234 5678", CCON_E_PHONE_COUNTRY_CODE, 4);
	rejects("+0034 666 777 888", CCON_E_PHONE_COUNTRY_CODE, 2);
	rejects("99912345678", CCON_E_PHONE_COUNTRY_CODE, 1);
	accepts("12125550100", "+12125550100");
	accepts("+7 495 123 45 67", "+74951234567");
	accepts("+211 912 345 678", "+211912345678");
	accepts("+299 12 34 56", "+299123456");
}
END_TEST

/* compose(e164, countryCode, phoneNumber) */
static int compose(const char *e164, const char *cc, const char *number)
{
	ccon_error_clear(&err);
	return ccon_phone_compose(e164, cc, number, out, &err);
}

static void composes(const char *e164, const char *cc, const char *number, const char *want)
{
	ck_assert_msg(compose(e164, cc, number) == 0, "rejected: %s: %s", err.path, err.message);
	ck_assert_str_eq(out, want);
}

static void compose_fails(const char *e164, const char *cc, const char *number,
                          enum ccon_errc code, const char *path, long column)
{
	ck_assert_msg(compose(e164, cc, number) == -1, "accepted as %s", out);
	ck_assert_errc(err, code);
	ck_assert_str_eq(err.path, path);
	ck_assert_int_eq(err.column, column);
	ck_assert_str_eq(out, "");
}

START_TEST(compose_e164_takes_precedence)
{
	composes("+34666777888", "55", "31999887766", "+34666777888");
	composes("+34 666 777 888", "not a code", "nor a number", "+34666777888");
	composes("34666777888", NULL, NULL, "+34666777888");
	compose_fails("+34 666 ABC", "34", "666777888", CCON_E_PHONE_CHARACTERS, "e164", 9);
	compose_fails("+999 1234 5678", NULL, NULL, CCON_E_PHONE_COUNTRY_CODE, "e164", 2);
	/* a blank e164 is absent */
	composes("", "34", "666777888", "+34666777888");
	composes("  ", NULL, "+34666777888", "+34666777888");
}
END_TEST

START_TEST(compose_country_code_and_national_number)
{
	composes(NULL, "34", "666 777 888", "+34666777888");
	composes(NULL, "+34", "666777888", "+34666777888");
	composes(NULL, "0034", "666777888", "+34666777888");
	composes(NULL, " 34 ", "666-777-888", "+34666777888");
	composes(NULL, "55", "(31) 99988-7766", "+5531999887766");
	/* one trunk 0 dropped, written plain or as "(0)" */
	composes(NULL, "44", "020 7946 0958", "+442079460958");
	composes(NULL, "44", "(0)20 7946 0958", "+442079460958");
	/* kept where it is part of the international number */
	composes(NULL, "39", "06 6982 0000", "+390669820000");
	composes(NULL, "225", "07 12 34 56 78", "+2250712345678");
}
END_TEST

START_TEST(compose_country_code_errors)
{
	compose_fails(NULL, "3x", "666777888", CCON_E_PHONE_CHARACTERS, "countryCode", 2);
	compose_fails(NULL, "999", "666777888", CCON_E_PHONE_COUNTRY_CODE, "countryCode", 1);
	compose_fails(NULL, "+42", "666777888", CCON_E_PHONE_COUNTRY_CODE, "countryCode", 2);
	compose_fails(NULL, "3466", "6777888", CCON_E_PHONE_COUNTRY_CODE, "countryCode", 1);
	compose_fails(NULL, "+", "666777888", CCON_E_PHONE_COUNTRY_CODE, "countryCode", 2);
	compose_fails(NULL, "34", NULL, CCON_E_PHONE_EMPTY, "phoneNumber", 0);
	compose_fails(NULL, "34", " ", CCON_E_PHONE_EMPTY, "phoneNumber", 0);
	compose_fails(NULL, "34", "666-ABC", CCON_E_PHONE_CHARACTERS, "phoneNumber", 5);
	compose_fails(NULL, "34", "--", CCON_E_PHONE_EMPTY, "phoneNumber", 0);
	/* 2 + 13 digits fit, 2 + 14 do not: the 14th national digit is at fault */
	composes(NULL, "34", "1234567890123", "+341234567890123");
	compose_fails(NULL, "34", "12345678901234", CCON_E_PHONE_TOO_LONG, "phoneNumber", 14);
	composes(NULL, "34", "12345", "+3412345");
	compose_fails(NULL, "34", "1234", CCON_E_PHONE_TOO_SHORT, "phoneNumber", 0);
	compose_fails(NULL, "34", "01234", CCON_E_PHONE_TOO_SHORT, "phoneNumber", 0);
}
END_TEST

START_TEST(compose_international_number_must_agree)
{
	composes(NULL, "34", "+34 666 777 888", "+34666777888");
	composes(NULL, "+34", "0034666777888", "+34666777888");
	compose_fails(NULL, "55", "+34666777888", CCON_E_PHONE_COUNTRY_CODE, "phoneNumber", 2);
	ck_assert_ptr_nonnull(strstr(err.message, "+34"));
	ck_assert_ptr_nonnull(strstr(err.message, "55"));
	compose_fails(NULL, "1", "0044 20 7946 0958", CCON_E_PHONE_COUNTRY_CODE, "phoneNumber",
	              3);
	/* 35 is no code, 351 is: the number's code must be exactly countryCode */
	compose_fails(NULL, "351", "+352 621 123 456", CCON_E_PHONE_COUNTRY_CODE, "phoneNumber",
	              2);
}
END_TEST

START_TEST(compose_phone_number_alone)
{
	composes(NULL, NULL, "+5531999887766", "+5531999887766");
	composes(NULL, "", "0055 31 99988 7766", "+5531999887766");
	compose_fails(NULL, NULL, "34666777888", CCON_E_PHONE_NO_COUNTRY_CODE, "phoneNumber", 1);
	compose_fails(NULL, "  ", " 0612 345 678", CCON_E_PHONE_NO_COUNTRY_CODE, "phoneNumber", 2);
	compose_fails(NULL, NULL, "+34 666 777 88a", CCON_E_PHONE_CHARACTERS, "phoneNumber", 15);
	compose_fails(NULL, NULL, "+999 1234 5678", CCON_E_PHONE_COUNTRY_CODE, "phoneNumber", 2);
}
END_TEST

START_TEST(compose_nothing)
{
	compose_fails(NULL, NULL, NULL, CCON_E_PHONE_EMPTY, "phoneNumber", 0);
	compose_fails("", " ", "\t", CCON_E_PHONE_EMPTY, "phoneNumber", 0);
}
END_TEST

START_TEST(null_error_is_fine)
{
	ck_assert_int_eq(ccon_phone_normalize("abc", 3, out, NULL), -1);
	ck_assert_int_eq(ccon_phone_compose(NULL, "34", "x", out, NULL), -1);
	ck_assert_int_eq(ccon_phone_compose(NULL, "34", "666777888", out, NULL), 0);
	ck_assert_str_eq(out, "+34666777888");
}
END_TEST

Suite *ccon_suite_phone(void)
{
	Suite *s = suite_create("phone");
	TCase *tc = tcase_create("normalize");
	TCase *tcc = tcase_create("compose");

	tcase_add_test(tc, seed_forms);
	tcase_add_test(tc, separators);
	tcase_add_test(tc, trunk_zero_in_parentheses);
	tcase_add_test(tc, bad_characters_with_column);
	tcase_add_test(tc, parentheses_must_balance);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, national_number_has_no_country_code);
	tcase_add_test(tc, length_limits);
	tcase_add_test(tc, country_code_table_edges);
	tcase_add_test(tc, country_codes_are_prefix_free);
	tcase_add_test(tc, unknown_country_code);
	tcase_add_test(tc, null_error_is_fine);
	suite_add_tcase(s, tc);
	tcase_add_test(tcc, compose_e164_takes_precedence);
	tcase_add_test(tcc, compose_country_code_and_national_number);
	tcase_add_test(tcc, compose_country_code_errors);
	tcase_add_test(tcc, compose_international_number_must_agree);
	tcase_add_test(tcc, compose_phone_number_alone);
	tcase_add_test(tcc, compose_nothing);
	suite_add_tcase(s, tcc);
	return s;
}
