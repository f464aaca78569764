/* ccon/datetime.h - instants, the calendar, and ISO 8601 date-time text.
 *
 * An instant in libccon is an int64_t count of microseconds since
 * 1970-01-01T00:00:00Z (names end in _us). The calendar is the proleptic
 * Gregorian one, computed here (no timegm/mktime/TZ, no global state), and
 * there are no leap seconds: every day has 86,400 seconds.
 *
 * ccon_datetime_parse accepts exactly
 *     yyyy-MM-ddThh:mm:ss[.f...]zone
 * with 'T' or 't', a fraction of any length after '.' or ',' (digits beyond
 * the sixth are truncated, never rounded, so an instant never moves into the
 * next second), and a zone of 'Z', 'z', +hh:mm, -hh:mm, +hhmm or -hhmm
 * within +-18:00 (-00:00 means UTC). Rejected on purpose: a missing zone (the
 * API needs an explicit one), a space instead of 'T', missing seconds, the
 * basic format (20251001T121500Z), +hh without minutes, spaces anywhere,
 * hour 24 (also 24:00:00: write 00:00:00 of the next day), second 60 (leap
 * seconds do not exist here), and years outside 0001..9999 (also when only
 * the offset pushes the UTC instant outside them).
 *
 * Errors: CCON_E_DATETIME_SYNTAX (bad shape; err->column is the 1-based
 * position of the first bad character, one past the end when text is
 * missing) or CCON_E_DATETIME_RANGE (an impossible value; the message names
 * the part, e.g. "day 30 does not exist in February 2026", and err->column
 * points at it).
 */
#ifndef CCON_DATETIME_H
#define CCON_DATETIME_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCON_US_PER_SECOND INT64_C(1000000)
#define CCON_US_PER_MINUTE (INT64_C(60) * CCON_US_PER_SECOND)
#define CCON_US_PER_HOUR (INT64_C(3600) * CCON_US_PER_SECOND)
#define CCON_US_PER_DAY (INT64_C(86400) * CCON_US_PER_SECOND)

/* The instants libccon accepts and formats: 0001-01-01T00:00:00Z and
 * 9999-12-31T23:59:59.999999Z. */
#define CCON_DATETIME_MIN_US (INT64_C(-62135596800) * CCON_US_PER_SECOND)
#define CCON_DATETIME_MAX_US (INT64_C(253402300800) * CCON_US_PER_SECOND - 1)

/* Longest output of the formatters, NUL included
 * ("9999-12-31T23:59:59.999999Z"). */
#define CCON_DATETIME_FORMAT_MAX 32

/* A broken-down UTC instant. */
struct ccon_civil {
	int year;          /* 1..9999 where libccon validates */
	int month;         /* 1..12 */
	int day;           /* 1..days in that month */
	int hour;          /* 0..23 */
	int minute;        /* 0..59 */
	int second;        /* 0..59 */
	int microsecond;   /* 0..999999 */
};

/* ---- calendar helpers (proleptic Gregorian, any year) */

bool ccon_is_leap_year(int64_t year);
/* 28..31, or 0 when month is not 1..12. */
int ccon_days_in_month(int64_t year, int month);
/* Days from 1970-01-01 to year-month-day (negative before it). The date
 * must exist (see ccon_days_in_month) and |year| stay below 2^40. */
int64_t ccon_days_from_civil(int64_t year, int month, int day);
/* The inverse, for any day count. */
void ccon_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/* Any instant to its UTC fields (years outside 1..9999 come out as they
 * are, e.g. 0 or 10000; |year| < 300,000 for every int64_t). */
void ccon_civil_from_us(int64_t t_us, struct ccon_civil *out);
/* Fields to an instant; every field is checked (CCON_E_DATETIME_RANGE with
 * the part named; err->column stays 0). */
int ccon_civil_to_us(const struct ccon_civil *c, int64_t *out_us, struct ccon_error *err);

/* ---- text */

/* ISO 8601 with an explicit zone, as described at the top. */
int ccon_datetime_parse(const char *s, int64_t *out_us, struct ccon_error *err);

/* The command envelope's `Scheduled` field (seed 002 FAQ: 'yyyy-MM-dd hh'):
 * "2025-10-01 14" or "2025-10-01 14:30", read as UTC (the seed says "UTF",
 * read as UTC; the form carries no zone). Anything else with no space at
 * position 11 is handed to ccon_datetime_parse, so a full ISO 8601 date-time
 * with a zone is accepted too. Same errors and columns as above. */
int ccon_datetime_parse_scheduled(const char *s, int64_t *out_us, struct ccon_error *err);

/* "2025-10-01T12:15:00Z" in UTC; ".250" (milliseconds) is added when the
 * instant has whole milliseconds but not whole seconds, ".250001" when it
 * has a microsecond part, nothing otherwise. Returns the length written, or
 * -1 with CCON_E_DATETIME_RANGE when t_us is outside CCON_DATETIME_MIN_US..
 * CCON_DATETIME_MAX_US or CCON_E_INVALID_ARGUMENT when size is below
 * CCON_DATETIME_FORMAT_MAX (buf is then "" when size > 0). */
int ccon_datetime_format(int64_t t_us, char *buf, size_t size, struct ccon_error *err);

/* The same text as ccon_datetime_format, without printf (digit writes), for
 * encoders writing many instants: buf holds CCON_DATETIME_FORMAT_MAX bytes.
 * Returns the length, or -1 (buf "") when t_us is out of range. */
int ccon_datetime_format_fast(int64_t t_us, char buf[CCON_DATETIME_FORMAT_MAX]);

/* The envelope form: "2025-10-01 14" at a whole hour, "2025-10-01 14:30" at
 * a whole minute; an instant with seconds cannot be written in it
 * (CCON_E_DATETIME_RANGE). Same return and buffer rules as above. */
int ccon_datetime_format_scheduled(int64_t t_us, char *buf, size_t size, struct ccon_error *err);

#endif
