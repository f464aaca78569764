#include "config.h"

#include <ccon/datetime.h>
#include <ccon/duration.h>
#include <ccon/error.h>

#include "suites.h"
#include "testutil.h"

#define SEC CCON_US_PER_SECOND
#define MIN CCON_US_PER_MINUTE
#define HOUR CCON_US_PER_HOUR
#define DAY CCON_US_PER_DAY

static struct ccon_duration parse_ok(const char *s)
{
	struct ccon_duration d = { -1, -1, -1, -1 };
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_duration_parse(s, &d, &err) == 0, "%s: %s", s, err.message);
	return d;
}

static void expect(const char *s, int64_t years, int64_t months, int64_t days, int64_t fixed_us)
{
	struct ccon_duration d = parse_ok(s);

	ck_assert_msg(d.years == years && d.months == months && d.days == days &&
	              d.fixed_us == fixed_us,
	              "%s: got %lldY %lldM %lldD %lld us", s, (long long)d.years,
	              (long long)d.months, (long long)d.days, (long long)d.fixed_us);
}

static void bad(const char *s, enum ccon_errc code, long col, const char *needle)
{
	struct ccon_duration d = { 7, 7, 7, 7 };
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_duration_parse(s, &d, &err) == -1, "%s parsed", s);
	ck_assert_errc(err, code);
	ck_assert_msg(err.column == col, "%s: column %ld, want %ld (%s)", s, err.column, col,
	              err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "%s: \"%s\" lacks \"%s\"", s,
	              err.message, needle);
	ck_assert(d.years == 7 && d.months == 7 && d.days == 7 && d.fixed_us == 7);
}

static int64_t at(int y, int mo, int d, int h, int mi)
{
	struct ccon_civil c = { y, mo, d, h, mi, 0, 0 };
	int64_t t = 0;

	ck_assert_int_eq(ccon_civil_to_us(&c, &t, NULL), 0);
	return t;
}

/* ---- parsing */

START_TEST(seed_examples)
{
	expect("PT0.25S", 0, 0, 0, 250000);
	expect("PT20S", 0, 0, 0, 20 * SEC);
	expect("PT15M", 0, 0, 0, 15 * MIN);
	expect("PT30M50.5S", 0, 0, 0, 30 * MIN + 50 * SEC + 500000);
	expect("PT4H", 0, 0, 0, 4 * HOUR);
	expect("P3D", 0, 0, 3, 0);
	expect("P2W", 0, 0, 14, 0);
	expect("P1M", 0, 1, 0, 0);
}
END_TEST

START_TEST(combinations_keep_nominal_apart)
{
	expect("P1Y2M3DT4H5M6.5S", 1, 2, 3, 4 * HOUR + 5 * MIN + 6 * SEC + 500000);
	expect("P1DT2H", 0, 0, 1, 2 * HOUR);
	expect("PT36H", 0, 0, 0, 36 * HOUR);   /* no carry into days */
	expect("P14M", 0, 14, 0, 0);           /* no carry into years */
	expect("PT90M", 0, 0, 0, 90 * MIN);
	expect("P1Y", 1, 0, 0, 0);
	expect("P0D", 0, 0, 0, 0);
	expect("PT0S", 0, 0, 0, 0);
	expect("P1MT1M", 0, 1, 0, MIN);        /* M before and after T */
	expect("P0010D", 0, 0, 10, 0);
}
END_TEST

START_TEST(fractions)
{
	expect("PT0,5S", 0, 0, 0, 500000);      /* comma as decimal sign */
	expect("PT1.5H", 0, 0, 0, 90 * MIN);
	expect("PT0.5M", 0, 0, 0, 30 * SEC);
	expect("PT0.000001S", 0, 0, 0, 1);
	expect("PT0.000001M", 0, 0, 0, 60);
	expect("PT0.000001H", 0, 0, 0, 3600);
	/* day and week fractions go into the fixed part */
	expect("P1.5D", 0, 0, 1, 12 * HOUR);
	expect("P0.5W", 0, 0, 0, 84 * HOUR);
	expect("P1.5W", 0, 0, 7, 84 * HOUR);
	expect("P0.000001D", 0, 0, 0, 86400);
	expect("P1DT1.25S", 0, 0, 1, SEC + 250000);
	bad("PT1.5H30M", CCON_E_DURATION_FRACTION, 4, "only the last component");
	bad("PT1.5M1S", CCON_E_DURATION_FRACTION, 4, "minutes are followed by seconds");
	bad("P1.5DT1H", CCON_E_DURATION_FRACTION, 3, "followed by a time part");
	bad("P1.5Y", CCON_E_DURATION_FRACTION, 3, "a fraction of a year has no fixed length");
	bad("P0,5M", CCON_E_DURATION_FRACTION, 3, "a fraction of a month");
	bad("PT0.1234567S", CCON_E_DURATION_SYNTAX, 11, "at most 6 fractional digits");
	bad("PT1.S", CCON_E_DURATION_SYNTAX, 5, "digits must follow the decimal sign");
	bad("PT.5S", CCON_E_DURATION_SYNTAX, 3, "a digit must come before the decimal sign");
}
END_TEST

START_TEST(week_form_stands_alone)
{
	bad("P1W2D", CCON_E_DURATION_WEEK_MIX, 5,
	    "the week form PnW cannot be combined with other components");
	bad("P1WT1H", CCON_E_DURATION_WEEK_MIX, 4, "week form");
	bad("P2D1W", CCON_E_DURATION_WEEK_MIX, 5, "week form");
	bad("P1Y1W", CCON_E_DURATION_WEEK_MIX, 5, "week form");
}
END_TEST

START_TEST(empty_forms)
{
	bad("", CCON_E_DURATION_EMPTY, 1, "empty duration");
	bad(NULL, CCON_E_DURATION_EMPTY, 1, "empty duration");
	bad("P", CCON_E_DURATION_EMPTY, 1, "no components");
	bad("PT", CCON_E_DURATION_EMPTY, 2, "nothing follows the 'T'");
	bad("P1MT", CCON_E_DURATION_EMPTY, 4, "nothing follows the 'T'");
	bad("P1DT", CCON_E_DURATION_EMPTY, 4, "nothing follows the 'T'");
}
END_TEST

START_TEST(signs_are_rejected)
{
	bad("-P1D", CCON_E_DURATION_NEGATIVE, 1, "negative");
	bad("P-1D", CCON_E_DURATION_NEGATIVE, 2, "negative");
	bad("PT1H-1M", CCON_E_DURATION_NEGATIVE, 5, "negative");
	bad("+P1D", CCON_E_DURATION_SYNTAX, 1, "starts with 'P'");
	bad("P+1D", CCON_E_DURATION_SYNTAX, 2, "sign");
}
END_TEST

START_TEST(shape_errors_point_at_the_character)
{
	bad("P1H", CCON_E_DURATION_SYNTAX, 3, "hours need the 'T' separator");
	bad("P1S", CCON_E_DURATION_SYNTAX, 3, "seconds need the 'T' separator");
	bad("PT1D", CCON_E_DURATION_SYNTAX, 4, "'D' belongs before the 'T'");
	bad("PT1S1M", CCON_E_DURATION_SYNTAX, 6, "minutes ('M') must come before seconds ('S')");
	bad("P1D1Y", CCON_E_DURATION_SYNTAX, 5, "years ('Y') must come before days ('D')");
	bad("PT1M1M", CCON_E_DURATION_SYNTAX, 6, "minutes are given twice");
	bad("P1M1M", CCON_E_DURATION_SYNTAX, 5, "months are given twice");
	bad("PT1HT1M", CCON_E_DURATION_SYNTAX, 5, "only once");
	bad("PTS", CCON_E_DURATION_SYNTAX, 3, "a number must come before 'S'");
	bad("PD", CCON_E_DURATION_SYNTAX, 2, "a number must come before 'D'");
	bad("PT1", CCON_E_DURATION_SYNTAX, 4, "needs a designator");
	bad("P1T", CCON_E_DURATION_SYNTAX, 3, "expected a designator");
	bad("PT1Sx", CCON_E_DURATION_SYNTAX, 5, "unexpected 'x'");
	bad("PT1X", CCON_E_DURATION_SYNTAX, 4, "found 'X'");
	bad("P1D\xff", CCON_E_DURATION_SYNTAX, 4, "0xFF");
	bad(" PT1S", CCON_E_DURATION_SYNTAX, 1, "leading spaces");
	bad("PT1S ", CCON_E_DURATION_SYNTAX, 5, "trailing spaces");
	bad("P1D T1H", CCON_E_DURATION_SYNTAX, 4, "inside");
	bad("PT1 S", CCON_E_DURATION_SYNTAX, 4, "found a space");
	bad("15M", CCON_E_DURATION_SYNTAX, 1, "starts with 'P'");
}
END_TEST

START_TEST(lower_case_is_rejected)
{
	bad("pt1m", CCON_E_DURATION_SYNTAX, 1, "write 'P', not 'p'");
	bad("Pt1M", CCON_E_DURATION_SYNTAX, 2, "write 'T', not 't'");
	bad("PT1m", CCON_E_DURATION_SYNTAX, 4, "write 'M', not 'm'");
	bad("P1d", CCON_E_DURATION_SYNTAX, 3, "write 'D', not 'd'");
}
END_TEST

START_TEST(overflow_is_caught)
{
	bad("P99999999999999999999Y", CCON_E_DURATION_OVERFLOW, 2, "years");
	bad("P9223372036854775808D", CCON_E_DURATION_OVERFLOW, 2, "days");
	bad("P9223372036854775807W", CCON_E_DURATION_OVERFLOW, 2, "weeks");
	bad("PT9223372036854775807S", CCON_E_DURATION_OVERFLOW, 3, "microseconds");
	bad("PT2562047788H1M", CCON_E_DURATION_OVERFLOW, 14, "microseconds");
	/* each part fits, the total does not */
	bad("P106751991DT5H", CCON_E_DURATION_OVERFLOW, 14, "days and time");
	bad("P768614336404564650Y8M", CCON_E_DURATION_OVERFLOW, 22, "years and months");
	/* the largest values that fit */
	expect("PT2562047788H", 0, 0, 0, INT64_C(2562047788) * HOUR);
	expect("P106751991D", 0, 0, 106751991, 0);
	expect("P768614336404564650Y7M", INT64_C(768614336404564650), 7, 0, 0);
	expect("PT9223372036854.775807S", 0, 0, 0, INT64_MAX);
}
END_TEST

/* ---- formatting */

static void roundtrip(const char *in, const char *iso, const char *human)
{
	struct ccon_duration d = parse_ok(in), back;
	char buf[CCON_DURATION_FORMAT_MAX];
	int n;

	n = ccon_duration_format(&d, buf, sizeof(buf), NULL);
	ck_assert_str_eq(buf, iso);
	ck_assert_int_eq(n, (int)strlen(iso));
	back = parse_ok(buf);
	ck_assert(back.years == d.years && back.months == d.months && back.days == d.days &&
	          back.fixed_us == d.fixed_us);
	n = ccon_duration_format_human(&d, buf, sizeof(buf), NULL);
	ck_assert_str_eq(buf, human);
	ck_assert_int_eq(n, (int)strlen(human));
}

START_TEST(format_iso_and_human)
{
	roundtrip("PT0.25S", "PT0.25S", "0.25 s");
	roundtrip("PT20S", "PT20S", "20 s");
	roundtrip("PT15M", "PT15M", "15 min");
	roundtrip("PT30M50.5S", "PT30M50.5S", "30 min 50.5 s");
	roundtrip("PT4H", "PT4H", "4 h");
	roundtrip("P3D", "P3D", "3 days");
	roundtrip("P2W", "P2W", "2 weeks");
	roundtrip("P1W", "P1W", "1 week");
	roundtrip("P14D", "P2W", "2 weeks");
	roundtrip("P1M", "P1M", "1 month");
	roundtrip("P1D", "P1D", "1 day");
	roundtrip("P1Y2M3DT4H5M6.5S", "P1Y2M3DT4H5M6.5S", "1 year 2 months 3 days 4 h 5 min 6.5 s");
	roundtrip("P2Y14DT1S", "P2Y14DT1S", "2 years 14 days 1 s");
	roundtrip("PT36H", "PT36H", "36 h");
	roundtrip("PT90M", "PT1H30M", "1 h 30 min");
	roundtrip("PT3600S", "PT1H", "1 h");
	roundtrip("PT0S", "PT0S", "0 s");
	roundtrip("P0Y0M0D", "PT0S", "0 s");
	roundtrip("P1.5D", "P1DT12H", "1 day 12 h");
	roundtrip("P0.5W", "PT84H", "84 h");
	roundtrip("PT1H0.000001S", "PT1H0.000001S", "1 h 0.000001 s");
	roundtrip("PT9223372036854.775807S", "PT2562047788H54.775807S", "2562047788 h 54.775807 s");
	roundtrip("P768614336404564650Y7M", "P768614336404564650Y7M",
	          "768614336404564650 years 7 months");
}
END_TEST

START_TEST(format_rejects_bad_input)
{
	struct ccon_duration neg = { 0, 0, -1, 0 }, ok = { 0, 0, 1, 0 };
	char buf[CCON_DURATION_FORMAT_MAX], small[8] = "x";
	struct ccon_error err = { 0 };

	ck_assert_int_eq(ccon_duration_format(&neg, buf, sizeof(buf), &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ccon_duration_format_human(&neg, buf, sizeof(buf), NULL), -1);
	ck_assert_int_eq(ccon_duration_format(&ok, small, sizeof(small), &err), -1);
	ck_assert_str_eq(small, "");
}
END_TEST

/* ---- apply */

static int64_t apply_ok(int64_t t, const char *dur)
{
	struct ccon_duration d = parse_ok(dur);
	struct ccon_error err = { 0 };
	int64_t out = 0;

	ck_assert_msg(ccon_duration_apply(t, &d, &out, &err) == 0, "%s: %s", dur, err.message);
	return out;
}

static void apply_bad(int64_t t, const char *dur)
{
	struct ccon_duration d = parse_ok(dur);
	struct ccon_error err = { 0 };
	int64_t out = 42;

	ck_assert_int_eq(ccon_duration_apply(t, &d, &out, &err), -1);
	ck_assert_errc(err, CCON_E_DURATION_OVERFLOW);
	ck_assert_int_eq(out, 42);
}

START_TEST(apply_clamps_month_ends)
{
	ck_assert_int_eq(apply_ok(at(2026, 1, 31, 10, 0), "P1M"), at(2026, 2, 28, 10, 0));
	ck_assert_int_eq(apply_ok(at(2024, 1, 31, 10, 0), "P1M"), at(2024, 2, 29, 10, 0));
	ck_assert_int_eq(apply_ok(at(2024, 2, 29, 0, 0), "P1Y"), at(2025, 2, 28, 0, 0));
	ck_assert_int_eq(apply_ok(at(2024, 2, 29, 0, 0), "P4Y"), at(2028, 2, 29, 0, 0));
	ck_assert_int_eq(apply_ok(at(2000, 2, 29, 0, 0), "P100Y"), at(2100, 2, 28, 0, 0));
	ck_assert_int_eq(apply_ok(at(1896, 2, 29, 0, 0), "P4Y"), at(1900, 2, 28, 0, 0));
	ck_assert_int_eq(apply_ok(at(2025, 3, 31, 8, 0), "P1M"), at(2025, 4, 30, 8, 0));
	ck_assert_int_eq(apply_ok(at(2025, 1, 15, 8, 0), "P1M"), at(2025, 2, 15, 8, 0));
	/* not a chain: P2M from Jan 31 is Mar 31, not Mar 28 */
	ck_assert_int_eq(apply_ok(at(2026, 1, 31, 0, 0), "P2M"), at(2026, 3, 31, 0, 0));
}
END_TEST

START_TEST(apply_crosses_year_ends)
{
	ck_assert_int_eq(apply_ok(at(2025, 12, 15, 9, 30), "P1M"), at(2026, 1, 15, 9, 30));
	ck_assert_int_eq(apply_ok(at(2025, 11, 30, 0, 0), "P3M"), at(2026, 2, 28, 0, 0));
	ck_assert_int_eq(apply_ok(at(2025, 1, 31, 0, 0), "P13M"), at(2026, 2, 28, 0, 0));
	ck_assert_int_eq(apply_ok(at(2025, 12, 31, 23, 0), "P1D"), at(2026, 1, 1, 23, 0));
	ck_assert_int_eq(apply_ok(at(2025, 12, 31, 23, 0), "PT1H"), at(2026, 1, 1, 0, 0));
	ck_assert_int_eq(apply_ok(at(2024, 12, 31, 0, 0), "P1Y2M"), at(2026, 2, 28, 0, 0));
}
END_TEST

START_TEST(apply_order_months_then_days_then_fixed)
{
	/* months first: Jan 30 + 1 month = Feb 28, + 1 day = Mar 1
	 * (days first would give Jan 31 + 1 month = Feb 28) */
	ck_assert_int_eq(apply_ok(at(2026, 1, 30, 0, 0), "P1M1D"), at(2026, 3, 1, 0, 0));
	/* fixed last: Jan 31 22:00 + 1 month = Feb 28 22:00, + 3 h = Mar 1 01:00 */
	ck_assert_int_eq(apply_ok(at(2026, 1, 31, 22, 0), "P1MT3H"), at(2026, 3, 1, 1, 0));
	ck_assert_int_eq(apply_ok(at(2025, 3, 30, 23, 0), "P1DT2H"), at(2025, 4, 1, 1, 0));
	ck_assert_int_eq(apply_ok(at(2025, 10, 1, 0, 0), "PT36H"), at(2025, 10, 2, 12, 0));
	ck_assert_int_eq(apply_ok(at(2025, 10, 1, 0, 0), "P2W"), at(2025, 10, 15, 0, 0));
	ck_assert_int_eq(apply_ok(at(2025, 10, 1, 0, 0), "PT0.25S"), at(2025, 10, 1, 0, 0) + 250000);
	ck_assert_int_eq(apply_ok(at(2025, 10, 1, 0, 0), "PT0S"), at(2025, 10, 1, 0, 0));
}
END_TEST

START_TEST(apply_overflow_is_an_error)
{
	ck_assert_int_eq(apply_ok(at(9999, 11, 30, 0, 0), "P1M"), at(9999, 12, 30, 0, 0));
	ck_assert_int_eq(apply_ok(at(1, 1, 1, 0, 0), "P9998Y"), at(9999, 1, 1, 0, 0));
	ck_assert_int_eq(apply_ok(CCON_DATETIME_MAX_US - 1, "PT0.000001S"), CCON_DATETIME_MAX_US);
	apply_bad(CCON_DATETIME_MAX_US, "PT0.000001S");
	apply_bad(at(9999, 12, 1, 0, 0), "P1M");
	apply_bad(at(9999, 12, 31, 0, 0), "P1D");
	apply_bad(at(1, 1, 1, 0, 0), "P9999Y");
	apply_bad(at(2025, 1, 1, 0, 0), "P768614336404564650Y7M");
	apply_bad(at(2025, 1, 1, 0, 0), "P120000M");
	apply_bad(at(2025, 1, 1, 0, 0), "P106751991D");
	apply_bad(at(2025, 1, 1, 0, 0), "PT9223372036854.775807S");
	apply_bad(CCON_DATETIME_MAX_US + 1, "PT0S");
}
END_TEST

START_TEST(apply_rejects_negative_fields)
{
	struct ccon_duration d = { 0, -1, 0, 0 };
	struct ccon_error err = { 0 };
	int64_t out;

	ck_assert_int_eq(ccon_duration_apply(0, &d, &out, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	d.months = 0;
	ck_assert(ccon_duration_is_zero(&d));
	d.fixed_us = -1;
	ck_assert(!ccon_duration_is_zero(&d));
	ck_assert_int_eq(ccon_duration_apply(0, &d, &out, NULL), -1);
}
END_TEST

Suite *ccon_suite_duration(void)
{
	Suite *s = suite_create("duration");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, seed_examples);
	tcase_add_test(tc, combinations_keep_nominal_apart);
	tcase_add_test(tc, fractions);
	tcase_add_test(tc, week_form_stands_alone);
	tcase_add_test(tc, empty_forms);
	tcase_add_test(tc, signs_are_rejected);
	tcase_add_test(tc, shape_errors_point_at_the_character);
	tcase_add_test(tc, lower_case_is_rejected);
	tcase_add_test(tc, overflow_is_caught);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, format_iso_and_human);
	tcase_add_test(tc, format_rejects_bad_input);
	suite_add_tcase(s, tc);
	tc = tcase_create("apply");
	tcase_add_test(tc, apply_clamps_month_ends);
	tcase_add_test(tc, apply_crosses_year_ends);
	tcase_add_test(tc, apply_order_months_then_days_then_fixed);
	tcase_add_test(tc, apply_overflow_is_an_error);
	tcase_add_test(tc, apply_rejects_negative_fields);
	suite_add_tcase(s, tc);
	return s;
}
