#include "config.h"

#include <ccon/datetime.h>
#include <ccon/error.h>

#include "suites.h"
#include "testutil.h"

#define S CCON_US_PER_SECOND

/* Instants from fields; ccon_civil_to_us itself is checked against a plain
 * day-counting loop and known epoch values below. */
static int64_t at(int y, int mo, int d, int h, int mi, int s, int us)
{
	struct ccon_civil c = { y, mo, d, h, mi, s, us };
	struct ccon_error err = { 0 };
	int64_t t = 0;

	ck_assert_msg(ccon_civil_to_us(&c, &t, &err) == 0, "%s", err.message);
	return t;
}

static int64_t parse_ok(const char *s)
{
	struct ccon_error err = { 0 };
	int64_t t = 0;

	ck_assert_msg(ccon_datetime_parse(s, &t, &err) == 0, "%s: %s", s, err.message);
	ck_assert_int_eq(err.code, CCON_E_OK);
	return t;
}

/* Parses s expecting code at column col; returns the message's copy. */
static void parse_bad(const char *s, enum ccon_errc code, long col, const char *needle)
{
	struct ccon_error err = { 0 };
	int64_t t = 42;

	ck_assert_msg(ccon_datetime_parse(s, &t, &err) == -1, "%s parsed", s);
	ck_assert_errc(err, code);
	ck_assert_msg(err.column == col, "%s: column %ld, want %ld (%s)", s, err.column, col,
	              err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", s,
	              err.message, needle);
	ck_assert_int_eq(t, 42);
}

/* ---- calendar */

START_TEST(leap_years)
{
	ck_assert(!ccon_is_leap_year(1900));
	ck_assert(ccon_is_leap_year(2000));
	ck_assert(ccon_is_leap_year(2024));
	ck_assert(!ccon_is_leap_year(2025));
	ck_assert(!ccon_is_leap_year(2100));
	ck_assert(ccon_is_leap_year(2400));
	ck_assert(ccon_is_leap_year(0));
	ck_assert(ccon_is_leap_year(-4));
	ck_assert_int_eq(ccon_days_in_month(1900, 2), 28);
	ck_assert_int_eq(ccon_days_in_month(2000, 2), 29);
	ck_assert_int_eq(ccon_days_in_month(2024, 2), 29);
	ck_assert_int_eq(ccon_days_in_month(2025, 2), 28);
	ck_assert_int_eq(ccon_days_in_month(2025, 4), 30);
	ck_assert_int_eq(ccon_days_in_month(2025, 12), 31);
	ck_assert_int_eq(ccon_days_in_month(2025, 0), 0);
	ck_assert_int_eq(ccon_days_in_month(2025, 13), 0);
}
END_TEST

/* Every day of 1600..2400 against a naive walk from 1970-01-01. */
START_TEST(civil_days_match_a_day_walk)
{
	int64_t n = ccon_days_from_civil(1600, 1, 1);

	ck_assert_int_eq(ccon_days_from_civil(1970, 1, 1), 0);
	for (int y = 1600; y <= 2400; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= ccon_days_in_month(y, m); d++, n++) {
				int64_t yy;
				int mm, dd;

				ck_assert_int_eq(ccon_days_from_civil(y, m, d), n);
				ccon_civil_from_days(n, &yy, &mm, &dd);
				ck_assert(yy == y && mm == m && dd == d);
			}
	ck_assert_int_eq(n, ccon_days_from_civil(2401, 1, 1));
}
END_TEST

START_TEST(known_epoch_values)
{
	ck_assert_int_eq(at(2025, 10, 1, 12, 15, 0, 0), INT64_C(1759320900) * S);
	ck_assert_int_eq(at(2024, 2, 29, 0, 0, 0, 0), INT64_C(1709164800) * S);
	ck_assert_int_eq(at(1900, 3, 1, 0, 0, 0, 0), INT64_C(-2203891200) * S);
	ck_assert_int_eq(at(2000, 2, 29, 0, 0, 0, 0), INT64_C(951782400) * S);
	ck_assert_int_eq(at(1, 1, 1, 0, 0, 0, 0), CCON_DATETIME_MIN_US);
	ck_assert_int_eq(at(9999, 12, 31, 23, 59, 59, 999999), CCON_DATETIME_MAX_US);
	ck_assert_int_eq(at(1969, 12, 31, 23, 59, 59, 999999), -1);
}
END_TEST

START_TEST(civil_from_us_handles_negative_and_extremes)
{
	struct ccon_civil c;

	ccon_civil_from_us(-1, &c);
	ck_assert(c.year == 1969 && c.month == 12 && c.day == 31 && c.hour == 23 &&
	          c.minute == 59 && c.second == 59 && c.microsecond == 999999);
	ccon_civil_from_us(CCON_DATETIME_MIN_US, &c);
	ck_assert(c.year == 1 && c.month == 1 && c.day == 1 && c.hour == 0);
	ccon_civil_from_us(CCON_DATETIME_MAX_US + 1, &c);
	ck_assert(c.year == 10000 && c.month == 1 && c.day == 1);
	ccon_civil_from_us(INT64_MAX, &c);
	ck_assert_int_gt(c.year, 290000);
	ccon_civil_from_us(INT64_MIN, &c);
	ck_assert_int_lt(c.year, -290000);
}
END_TEST

START_TEST(civil_to_us_names_the_bad_field)
{
	struct ccon_civil c = { 2026, 2, 30, 0, 0, 0, 0 };
	struct ccon_error err = { 0 };
	int64_t t;

	ck_assert_int_eq(ccon_civil_to_us(&c, &t, &err), -1);
	ck_assert_errc(err, CCON_E_DATETIME_RANGE);
	ck_assert_ptr_nonnull(strstr(err.message, "day 30 does not exist in February 2026"));
	c.day = 1;
	c.microsecond = 1000000;
	ck_assert_int_eq(ccon_civil_to_us(&c, &t, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "microsecond"));
	c.microsecond = 0;
	c.year = 0;
	ck_assert_int_eq(ccon_civil_to_us(&c, &t, NULL), -1);
}
END_TEST

/* ---- parsing */

START_TEST(seed_example)
{
	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00Z"), INT64_C(1759320900) * S);
}
END_TEST

START_TEST(offsets_move_to_utc)
{
	int64_t utc = at(2025, 10, 1, 12, 15, 0, 0);

	ck_assert_int_eq(parse_ok("2025-10-01T14:15:00+02:00"), utc);
	ck_assert_int_eq(parse_ok("2025-10-01T14:15:00+0200"), utc);
	ck_assert_int_eq(parse_ok("2025-10-01T06:45:00-05:30"), utc);
	ck_assert_int_eq(parse_ok("2025-10-01T06:45:00-0530"), utc);
	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00+00:00"), utc);
	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00-00:00"), utc);
	ck_assert_int_eq(parse_ok("2025-10-02T06:15:00+18:00"), utc);
	ck_assert_int_eq(parse_ok("2025-09-30T18:15:00-18:00"), utc);
	/* an offset crossing a year end */
	ck_assert_int_eq(parse_ok("2024-12-31T23:30:00-01:00"), at(2025, 1, 1, 0, 30, 0, 0));
}
END_TEST

START_TEST(lowercase_t_and_z_are_accepted)
{
	ck_assert_int_eq(parse_ok("2025-10-01t12:15:00z"), at(2025, 10, 1, 12, 15, 0, 0));
}
END_TEST

START_TEST(fractions_truncate_to_microseconds)
{
	int64_t base = at(2025, 10, 1, 12, 15, 0, 0);

	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00.25Z"), base + 250000);
	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00,5Z"), base + 500000);
	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00.000001Z"), base + 1);
	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00.1234567891234Z"), base + 123456);
	/* truncated, not rounded: never carried into the next second or year */
	ck_assert_int_eq(parse_ok("2025-10-01T12:15:00.9999999Z"), base + 999999);
	ck_assert_int_eq(parse_ok("9999-12-31T23:59:59.99999999Z"), CCON_DATETIME_MAX_US);
}
END_TEST

START_TEST(range_limits)
{
	ck_assert_int_eq(parse_ok("0001-01-01T00:00:00Z"), CCON_DATETIME_MIN_US);
	ck_assert_int_eq(parse_ok("9999-12-31T23:59:59.999999Z"), CCON_DATETIME_MAX_US);
	parse_bad("0000-12-31T00:00:00Z", CCON_E_DATETIME_RANGE, 1, "year 0000");
	parse_bad("0001-01-01T00:00:00+01:00", CCON_E_DATETIME_RANGE, 20, "before 0001-01-01");
	parse_bad("9999-12-31T23:30:00-01:00", CCON_E_DATETIME_RANGE, 20, "after 9999-12-31");
}
END_TEST

START_TEST(impossible_dates_are_named)
{
	parse_bad("2026-02-30T00:00:00Z", CCON_E_DATETIME_RANGE, 9,
	          "day 30 does not exist in February 2026");
	parse_bad("2025-02-29T00:00:00Z", CCON_E_DATETIME_RANGE, 9,
	          "day 29 does not exist in February 2025 (2025 is not a leap year)");
	parse_bad("1900-02-29T00:00:00Z", CCON_E_DATETIME_RANGE, 9, "1900 is not a leap year");
	ck_assert_int_eq(parse_ok("2000-02-29T00:00:00Z"), at(2000, 2, 29, 0, 0, 0, 0));
	ck_assert_int_eq(parse_ok("2024-02-29T00:00:00Z"), at(2024, 2, 29, 0, 0, 0, 0));
	parse_bad("2025-04-31T00:00:00Z", CCON_E_DATETIME_RANGE, 9, "day 31 does not exist in April");
	parse_bad("2025-13-01T00:00:00Z", CCON_E_DATETIME_RANGE, 6, "month 13");
	parse_bad("2025-00-01T00:00:00Z", CCON_E_DATETIME_RANGE, 6, "month 00");
	parse_bad("2025-10-00T00:00:00Z", CCON_E_DATETIME_RANGE, 9, "day 00");
	/* the first impossible part is reported */
	parse_bad("2025-13-32T25:00:00Z", CCON_E_DATETIME_RANGE, 6, "month 13");
}
END_TEST

START_TEST(impossible_times_are_named)
{
	parse_bad("2025-10-01T24:00:00Z", CCON_E_DATETIME_RANGE, 12, "hour 24");
	parse_bad("2025-10-01T24:01:00Z", CCON_E_DATETIME_RANGE, 12, "hour 24");
	parse_bad("2025-10-01T12:60:00Z", CCON_E_DATETIME_RANGE, 15, "minute 60");
	parse_bad("2025-10-01T12:15:60Z", CCON_E_DATETIME_RANGE, 18, "leap second");
	parse_bad("2025-10-01T12:15:61Z", CCON_E_DATETIME_RANGE, 18, "second 61");
	parse_bad("2025-10-01T12:15:00+18:01", CCON_E_DATETIME_RANGE, 20, "offset +18:01");
	parse_bad("2025-10-01T12:15:00-19:00", CCON_E_DATETIME_RANGE, 20, "offset -19:00");
	parse_bad("2025-10-01T12:15:00+02:60", CCON_E_DATETIME_RANGE, 24, "offset minute 60");
	parse_bad("2025-10-01T12:15:00+0260", CCON_E_DATETIME_RANGE, 23, "offset minute 60");
}
END_TEST

START_TEST(bad_shapes_point_at_the_character)
{
	parse_bad("", CCON_E_DATETIME_SYNTAX, 1, "empty");
	parse_bad("2025-10-01T12:15:00", CCON_E_DATETIME_SYNTAX, 20, "missing time zone");
	parse_bad("2025-10-01", CCON_E_DATETIME_SYNTAX, 11, "missing time");
	parse_bad("2025-10-01 12:15:00Z", CCON_E_DATETIME_SYNTAX, 11, "'T'");
	parse_bad("2025-10-01X12:15:00Z", CCON_E_DATETIME_SYNTAX, 11, "'T'");
	parse_bad("2025-10-01T12:15Z", CCON_E_DATETIME_SYNTAX, 17, "seconds");
	parse_bad("25-10-01T12:15:00Z", CCON_E_DATETIME_SYNTAX, 3, "4-digit year");
	parse_bad("20251-10-01T12:15:00Z", CCON_E_DATETIME_SYNTAX, 5, "'-'");
	parse_bad("2025-1-01T12:15:00Z", CCON_E_DATETIME_SYNTAX, 7, "month");
	parse_bad("2025-10-1T12:15:00Z", CCON_E_DATETIME_SYNTAX, 10, "day");
	parse_bad("20251001T121500Z", CCON_E_DATETIME_SYNTAX, 5, "'-'");
	parse_bad("2025-10-01T1:15:00Z", CCON_E_DATETIME_SYNTAX, 13, "hour");
	parse_bad("2025-10-01T12:15:00.Z", CCON_E_DATETIME_SYNTAX, 21, "digit after the decimal");
	parse_bad("2025-10-01T12:15:00+02", CCON_E_DATETIME_SYNTAX, 23, "offset minutes");
	parse_bad("2025-10-01T12:15:00+2:00", CCON_E_DATETIME_SYNTAX, 22, "offset");
	parse_bad("2025-10-01T12:15:00UTC", CCON_E_DATETIME_SYNTAX, 20, "'Z' or an offset");
	parse_bad("2025-10-01T12:15:00Zjunk", CCON_E_DATETIME_SYNTAX, 21, "'j'");
	parse_bad("2025-10-01T12:15:00Z ", CCON_E_DATETIME_SYNTAX, 21, "a space");
	parse_bad(" 2025-10-01T12:15:00Z", CCON_E_DATETIME_SYNTAX, 1, "a space");
	parse_bad("2025-10-01T12:15:00\xc3\xa9", CCON_E_DATETIME_SYNTAX, 20, "0xC3");
	parse_bad(NULL, CCON_E_DATETIME_SYNTAX, 1, "empty");
}
END_TEST

START_TEST(null_error_is_fine)
{
	int64_t t;

	ck_assert_int_eq(ccon_datetime_parse("2025-02-30T00:00:00Z", &t, NULL), -1);
	ck_assert_int_eq(ccon_datetime_parse("nope", &t, NULL), -1);
	ck_assert_int_eq(ccon_datetime_parse_scheduled("2025-10-01 2", &t, NULL), -1);
}
END_TEST

/* ---- the envelope's yyyy-MM-dd hh */

START_TEST(scheduled_hour_form_is_utc)
{
	struct ccon_error err = { 0 };
	int64_t t = 0;

	ck_assert_int_eq(ccon_datetime_parse_scheduled("2025-10-01 14", &t, &err), 0);
	ck_assert_int_eq(t, at(2025, 10, 1, 14, 0, 0, 0));
	ck_assert_int_eq(ccon_datetime_parse_scheduled("2025-10-01 14:30", &t, &err), 0);
	ck_assert_int_eq(t, at(2025, 10, 1, 14, 30, 0, 0));
	ck_assert_int_eq(ccon_datetime_parse_scheduled("2025-10-01T14:30:00+01:00", &t, &err), 0);
	ck_assert_int_eq(t, at(2025, 10, 1, 13, 30, 0, 0));
}
END_TEST

static void scheduled_bad(const char *s, enum ccon_errc code, long col, const char *needle)
{
	struct ccon_error err = { 0 };
	int64_t t;

	ck_assert_msg(ccon_datetime_parse_scheduled(s, &t, &err) == -1, "%s parsed", s);
	ck_assert_errc(err, code);
	ck_assert_msg(err.column == col, "%s: column %ld, want %ld (%s)", s, err.column, col,
	              err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "%s: \"%s\" lacks \"%s\"", s,
	              err.message, needle);
}

START_TEST(scheduled_hour_form_rejections)
{
	scheduled_bad("2025-10-01 24", CCON_E_DATETIME_RANGE, 12, "hour 24");
	scheduled_bad("2025-02-29 10", CCON_E_DATETIME_RANGE, 9, "not a leap year");
	scheduled_bad("2025-10-01 14:60", CCON_E_DATETIME_RANGE, 15, "minute 60");
	scheduled_bad("2025-10-01 1", CCON_E_DATETIME_SYNTAX, 13, "hour");
	scheduled_bad("2025-10-01 14:30:00", CCON_E_DATETIME_SYNTAX, 17, "no seconds");
	scheduled_bad("2025-10-01 14Z", CCON_E_DATETIME_SYNTAX, 14, "'yyyy-MM-dd hh'");
	scheduled_bad("2025-10-01 14 ", CCON_E_DATETIME_SYNTAX, 14, "'yyyy-MM-dd hh'");
	scheduled_bad("2025-10-01", CCON_E_DATETIME_SYNTAX, 11, "'yyyy-MM-dd hh' form");
	scheduled_bad("", CCON_E_DATETIME_SYNTAX, 1, "empty");
	scheduled_bad("2025-10-01T14", CCON_E_DATETIME_SYNTAX, 14, "':'");
}
END_TEST

/* ---- formatting */

static void roundtrip(const char *in, const char *want)
{
	char buf[CCON_DATETIME_FORMAT_MAX];
	struct ccon_error err = { 0 };
	int64_t t = parse_ok(in);
	int n = ccon_datetime_format(t, buf, sizeof(buf), &err);

	ck_assert_msg(n > 0, "%s: %s", in, err.message);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq((int)strlen(buf), n);
	ck_assert_int_eq(parse_ok(buf), t);
}

START_TEST(format_is_utc_with_shortest_fraction)
{
	roundtrip("2025-10-01T12:15:00Z", "2025-10-01T12:15:00Z");
	roundtrip("2025-10-01T14:15:00+02:00", "2025-10-01T12:15:00Z");
	roundtrip("2025-10-01T12:15:00.25Z", "2025-10-01T12:15:00.250Z");
	roundtrip("2025-10-01T12:15:00.000Z", "2025-10-01T12:15:00Z");
	roundtrip("2025-10-01T12:15:00.0005Z", "2025-10-01T12:15:00.000500Z");
	roundtrip("2025-10-01T12:15:00.123456789Z", "2025-10-01T12:15:00.123456Z");
	roundtrip("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z");
	roundtrip("9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z");
	roundtrip("1969-12-31t23:59:59.999z", "1969-12-31T23:59:59.999Z");
	roundtrip("2024-02-29T23:59:59-00:01", "2024-03-01T00:00:59Z");
}
END_TEST

START_TEST(format_rejects_out_of_range_and_small_buffers)
{
	char buf[CCON_DATETIME_FORMAT_MAX];
	char small[8] = "x";
	struct ccon_error err = { 0 };

	ck_assert_int_eq(ccon_datetime_format(CCON_DATETIME_MAX_US + 1, buf, sizeof(buf), &err), -1);
	ck_assert_errc(err, CCON_E_DATETIME_RANGE);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ccon_datetime_format(CCON_DATETIME_MIN_US - 1, buf, sizeof(buf), NULL), -1);
	ck_assert_int_eq(ccon_datetime_format(0, small, sizeof(small), &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(format_scheduled_form)
{
	char buf[CCON_DATETIME_FORMAT_MAX];
	struct ccon_error err = { 0 };
	int64_t t;

	ck_assert_int_eq(ccon_datetime_format_scheduled(at(2025, 10, 1, 14, 0, 0, 0), buf,
	                                                sizeof(buf), &err), 13);
	ck_assert_str_eq(buf, "2025-10-01 14");
	ck_assert_int_eq(ccon_datetime_parse_scheduled(buf, &t, &err), 0);
	ck_assert_int_eq(t, at(2025, 10, 1, 14, 0, 0, 0));
	ck_assert_int_gt(ccon_datetime_format_scheduled(at(2025, 10, 1, 14, 5, 0, 0), buf,
	                                                sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "2025-10-01 14:05");
	ck_assert_int_eq(ccon_datetime_format_scheduled(at(2025, 10, 1, 14, 5, 0, 1), buf,
	                                                sizeof(buf), &err), -1);
	ck_assert_errc(err, CCON_E_DATETIME_RANGE);
}
END_TEST

/* The fast formatter writes what ccon_datetime_format writes. */
static void assert_fast_same(int64_t t)
{
	char want[CCON_DATETIME_FORMAT_MAX], got[CCON_DATETIME_FORMAT_MAX];
	int nw = ccon_datetime_format(t, want, sizeof(want), NULL);
	int ng = ccon_datetime_format_fast(t, got);

	ck_assert_int_eq(ng, nw);
	ck_assert_str_eq(got, want);
}

START_TEST(format_fast_matches_format)
{
	static const int64_t fractions[] = { 0, 1, 999, 1000, 250000, 999000, 999999, 500001 };
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char buf[CCON_DATETIME_FORMAT_MAX];

	assert_fast_same(CCON_DATETIME_MIN_US);
	assert_fast_same(CCON_DATETIME_MAX_US);
	assert_fast_same(0);
	assert_fast_same(-1);
	/* every day of 1999-2001 and of the first and last years, with fractions */
	for (int64_t d = -719162; d < -719162 + 366; d++)
		assert_fast_same(d * CCON_US_PER_DAY + 3723 * CCON_US_PER_SECOND + fractions[d & 7]);
	for (int64_t d = 10592; d < 11688; d++)
		assert_fast_same(d * CCON_US_PER_DAY + (d % 86400) * CCON_US_PER_SECOND +
		                 fractions[d & 7]);
	for (int64_t d = 2932896 - 366; d < 2932897; d++)
		assert_fast_same(d * CCON_US_PER_DAY - 1 - fractions[d & 7]);
	/* random instants over the whole range */
	for (int i = 0; i < 200000; i++) {
		int64_t span = CCON_DATETIME_MAX_US - CCON_DATETIME_MIN_US;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		assert_fast_same(CCON_DATETIME_MIN_US + (int64_t)(x % (uint64_t)span));
		if (i % 4 == 0)  /* whole seconds and milliseconds are common */
			assert_fast_same((CCON_DATETIME_MIN_US + (int64_t)(x % (uint64_t)span)) /
			                 1000000 * 1000000 + fractions[i & 7]);
	}
	ck_assert_int_eq(ccon_datetime_format_fast(CCON_DATETIME_MAX_US + 1, buf), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ccon_datetime_format_fast(CCON_DATETIME_MIN_US - 1, buf), -1);
}
END_TEST

Suite *ccon_suite_datetime(void)
{
	Suite *s = suite_create("datetime");
	TCase *tc = tcase_create("calendar");

	/* the day walks cover 10,000 years: seconds under sanitizers on a
	 * busy machine, more than Check's default 4 */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, leap_years);
	tcase_add_test(tc, civil_days_match_a_day_walk);
	tcase_add_test(tc, known_epoch_values);
	tcase_add_test(tc, civil_from_us_handles_negative_and_extremes);
	tcase_add_test(tc, civil_to_us_names_the_bad_field);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, seed_example);
	tcase_add_test(tc, offsets_move_to_utc);
	tcase_add_test(tc, lowercase_t_and_z_are_accepted);
	tcase_add_test(tc, fractions_truncate_to_microseconds);
	tcase_add_test(tc, range_limits);
	tcase_add_test(tc, impossible_dates_are_named);
	tcase_add_test(tc, impossible_times_are_named);
	tcase_add_test(tc, bad_shapes_point_at_the_character);
	tcase_add_test(tc, null_error_is_fine);
	suite_add_tcase(s, tc);
	tc = tcase_create("scheduled");
	tcase_add_test(tc, scheduled_hour_form_is_utc);
	tcase_add_test(tc, scheduled_hour_form_rejections);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, format_is_utc_with_shortest_fraction);
	tcase_add_test(tc, format_rejects_out_of_range_and_small_buffers);
	tcase_add_test(tc, format_scheduled_form);
	tcase_add_test(tc, format_fast_matches_format);
	suite_add_tcase(s, tc);
	return s;
}
