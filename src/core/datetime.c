#include "config.h"

#include <ccon/datetime.h>

#include <stdio.h>
#include <string.h>

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
};

bool ccon_is_leap_year(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int ccon_days_in_month(int64_t year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && ccon_is_leap_year(year))
		return 29;
	return days[month - 1];
}

/* Howard Hinnant's days_from_civil: years start on March 1st so the leap
 * day is the last day of its year; eras are the 400-year cycles. */
int64_t ccon_days_from_civil(int64_t year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void ccon_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	/* shift first in a way that cannot overflow for any int64_t */
	int64_t era = days / 146097;
	int64_t rem = days % 146097;     /* -146096..146096 */
	int64_t z = rem + 719468;        /* 573372..865564 */
	int64_t doe, yoe, doy, mp;

	era += z / 146097;
	z %= 146097;                      /* now 0..146096, day of era */
	doe = z;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

void ccon_civil_from_us(int64_t t_us, struct ccon_civil *out)
{
	int64_t days = t_us / CCON_US_PER_DAY;
	int64_t rest = t_us % CCON_US_PER_DAY;
	int64_t year;

	if (rest < 0) {
		rest += CCON_US_PER_DAY;
		days--;
	}
	ccon_civil_from_days(days, &year, &out->month, &out->day);
	out->year = (int)year;
	out->hour = (int)(rest / CCON_US_PER_HOUR);
	out->minute = (int)(rest / CCON_US_PER_MINUTE % 60);
	out->second = (int)(rest / CCON_US_PER_SECOND % 60);
	out->microsecond = (int)(rest % CCON_US_PER_SECOND);
}

/* Column where each field starts in both text forms (0: not from text). */
struct field_cols {
	long year, month, day, hour, minute, second;
};

static int check_civil(const struct ccon_civil *c, const struct field_cols *cols,
                       struct ccon_error *err)
{
	static const struct field_cols none;
	int dim;

	if (!cols)
		cols = &none;
	if (c->year < 1 || c->year > 9999) {
		ccon_error_at_column(err, cols->year);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "year %04d is outside 0001 to 9999", c->year);
	}
	if (c->month < 1 || c->month > 12) {
		ccon_error_at_column(err, cols->month);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "month %02d does not exist (months are 01 to 12)", c->month);
	}
	dim = ccon_days_in_month(c->year, c->month);
	if (c->day < 1) {
		ccon_error_at_column(err, cols->day);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "day %02d does not exist (days start at 01)", c->day);
	}
	if (c->day > dim) {
		ccon_error_at_column(err, cols->day);
		if (c->month == 2 && c->day == 29)
			return ccon_error_set(err, CCON_E_DATETIME_RANGE,
			                      "day 29 does not exist in February %04d (%04d is not a leap year)",
			                      c->year, c->year);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "day %02d does not exist in %s %04d (it has %d days)", c->day,
		                      month_names[c->month - 1], c->year, dim);
	}
	if (c->hour < 0 || c->hour > 23) {
		ccon_error_at_column(err, cols->hour);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "hour %02d does not exist (hours are 00 to 23; for the end of a day write 00:00 of the next day)",
		                      c->hour);
	}
	if (c->minute < 0 || c->minute > 59) {
		ccon_error_at_column(err, cols->minute);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "minute %02d does not exist (minutes are 00 to 59)", c->minute);
	}
	if (c->second == 60) {
		ccon_error_at_column(err, cols->second);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "second 60 (a leap second) is not supported: seconds are 00 to 59");
	}
	if (c->second < 0 || c->second > 59) {
		ccon_error_at_column(err, cols->second);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "second %02d does not exist (seconds are 00 to 59)", c->second);
	}
	if (c->microsecond < 0 || c->microsecond > 999999)
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "microsecond %d is outside 0 to 999999", c->microsecond);
	return 0;
}

static int64_t civil_to_us_unchecked(const struct ccon_civil *c)
{
	int64_t days = ccon_days_from_civil(c->year, c->month, c->day);

	return days * CCON_US_PER_DAY + c->hour * CCON_US_PER_HOUR +
	       c->minute * CCON_US_PER_MINUTE + c->second * CCON_US_PER_SECOND + c->microsecond;
}

int ccon_civil_to_us(const struct ccon_civil *c, int64_t *out_us, struct ccon_error *err)
{
	if (check_civil(c, NULL, err) < 0)
		return -1;
	*out_us = civil_to_us_unchecked(c);
	return 0;
}

/* ---- parsing */

struct scan {
	const char *s;
	size_t i;
	struct ccon_error *err;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "'x'", "the end of the text" or "byte 0xC3" for messages. */
static const char *describe(char c, char buf[24])
{
	if (c == '\0')
		return "the end of the text";
	if (c == ' ')
		return "a space";
	if ((unsigned char)c > 0x20 && (unsigned char)c < 0x7f)
		snprintf(buf, 24, "'%c'", c);
	else
		snprintf(buf, 24, "byte 0x%02X", (unsigned char)c);
	return buf;
}

static int syntax_at(struct scan *sc, const char *expected)
{
	char d[24];

	ccon_error_at_column(sc->err, (long)sc->i + 1);
	return ccon_error_set(sc->err, CCON_E_DATETIME_SYNTAX, "expected %s, found %s", expected,
	                      describe(sc->s[sc->i], d));
}

static int digits(struct scan *sc, int n, const char *expected, int *out)
{
	int v = 0;

	for (int k = 0; k < n; k++) {
		if (!is_digit(sc->s[sc->i]))
			return syntax_at(sc, expected);
		v = v * 10 + (sc->s[sc->i++] - '0');
	}
	*out = v;
	return 0;
}

static int literal(struct scan *sc, char c, const char *expected)
{
	if (sc->s[sc->i] != c)
		return syntax_at(sc, expected);
	sc->i++;
	return 0;
}

static const struct field_cols text_cols = { 1, 6, 9, 12, 15, 18 };

/* yyyy-MM-dd, then the separator is checked by the caller. */
static int scan_date(struct scan *sc, struct ccon_civil *c)
{
	if (digits(sc, 4, "a 4-digit year (0001 to 9999)", &c->year) < 0 ||
	    literal(sc, '-', "'-' after the 4-digit year") < 0 ||
	    digits(sc, 2, "a 2-digit month", &c->month) < 0 ||
	    literal(sc, '-', "'-' after the 2-digit month") < 0 ||
	    digits(sc, 2, "a 2-digit day", &c->day) < 0)
		return -1;
	return 0;
}

/* A written zone: Z or an offset, not yet range-checked. */
struct zone {
	long col;        /* where it starts, 0 for none */
	long minutes_col;
	char sign;       /* '+', '-' or 0 for Z */
	int hours, minutes;
};

static int check_instant(const struct ccon_civil *c, const struct zone *z, int64_t *out_us,
                         struct ccon_error *err)
{
	int64_t t, offset_us = 0;

	if (check_civil(c, &text_cols, err) < 0)
		return -1;
	if (z->sign) {
		if (z->minutes > 59) {
			ccon_error_at_column(err, z->minutes_col);
			return ccon_error_set(err, CCON_E_DATETIME_RANGE,
			                      "offset minute %02d does not exist (minutes are 00 to 59)",
			                      z->minutes);
		}
		if (z->hours * 60 + z->minutes > 18 * 60) {
			ccon_error_at_column(err, z->col);
			return ccon_error_set(err, CCON_E_DATETIME_RANGE,
			                      "offset %c%02d:%02d is beyond the largest offset, 18:00 either way",
			                      z->sign, z->hours, z->minutes);
		}
		offset_us = z->hours * CCON_US_PER_HOUR + z->minutes * CCON_US_PER_MINUTE;
		if (z->sign == '-')
			offset_us = -offset_us;
	}
	t = civil_to_us_unchecked(c) - offset_us;
	if (t < CCON_DATETIME_MIN_US || t > CCON_DATETIME_MAX_US) {
		ccon_error_at_column(err, z->col);
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "with its offset this instant falls %s in UTC (outside 0001 to 9999)",
		                      t < CCON_DATETIME_MIN_US ? "before 0001-01-01T00:00:00Z"
		                                               : "after 9999-12-31T23:59:59.999999Z");
	}
	*out_us = t;
	return 0;
}

static int scan_zone(struct scan *sc, struct zone *z)
{
	char c = sc->s[sc->i];

	z->col = (long)sc->i + 1;
	z->sign = 0;
	if (c == 'Z' || c == 'z') {
		sc->i++;
		return 0;
	}
	if (c == '\0') {
		ccon_error_at_column(sc->err, z->col);
		return ccon_error_set(sc->err, CCON_E_DATETIME_SYNTAX,
		                      "missing time zone: add 'Z' for UTC or an offset like +02:00");
	}
	if (c != '+' && c != '-')
		return syntax_at(sc, "'Z' or an offset like +02:00");
	z->sign = c;
	sc->i++;
	if (digits(sc, 2, "the 2-digit hours of the offset", &z->hours) < 0)
		return -1;
	if (sc->s[sc->i] == ':')
		sc->i++;
	else if (!is_digit(sc->s[sc->i]))
		return syntax_at(sc, "':' and the offset minutes (write +hh:mm, like +02:00)");
	z->minutes_col = (long)sc->i + 1;
	return digits(sc, 2, "the 2-digit minutes of the offset", &z->minutes);
}

static int scan_end(struct scan *sc, const char *after)
{
	char msg[128];

	if (sc->s[sc->i] == '\0')
		return 0;
	snprintf(msg, sizeof(msg), "the end of the text after %s", after);
	return syntax_at(sc, msg);
}

int ccon_datetime_parse(const char *s, int64_t *out_us, struct ccon_error *err)
{
	struct scan sc = { s ? s : "", 0, err };
	struct ccon_civil c = { 0 };
	struct zone z;

	if (sc.s[0] == '\0') {
		ccon_error_at_column(err, 1);
		return ccon_error_set(err, CCON_E_DATETIME_SYNTAX,
		                      "empty date-time: expected ISO 8601 like 2025-10-01T12:15:00Z");
	}
	if (scan_date(&sc, &c) < 0)
		return -1;
	if (sc.s[sc.i] == ' ')
		return syntax_at(&sc, "'T' between date and time (ISO 8601 has no space there)");
	if (sc.s[sc.i] == '\0') {
		ccon_error_at_column(err, (long)sc.i + 1);
		return ccon_error_set(err, CCON_E_DATETIME_SYNTAX,
		                      "missing time: a date-time needs 'T', the time and a zone, like 2025-10-01T12:15:00Z");
	}
	if (sc.s[sc.i] != 'T' && sc.s[sc.i] != 't')
		return syntax_at(&sc, "'T' between date and time");
	sc.i++;
	if (digits(&sc, 2, "a 2-digit hour", &c.hour) < 0 ||
	    literal(&sc, ':', "':' after the hour") < 0 ||
	    digits(&sc, 2, "a 2-digit minute", &c.minute) < 0)
		return -1;
	if (sc.s[sc.i] != ':')
		return syntax_at(&sc, "':' and the seconds (write hh:mm:ss)");
	sc.i++;
	if (digits(&sc, 2, "2-digit seconds", &c.second) < 0)
		return -1;
	if (sc.s[sc.i] == '.' || sc.s[sc.i] == ',') {
		int n = 0;

		sc.i++;
		if (!is_digit(sc.s[sc.i]))
			return syntax_at(&sc, "a digit after the decimal sign");
		for (; is_digit(sc.s[sc.i]); sc.i++, n++) {
			if (n < 6)
				c.microsecond = c.microsecond * 10 + (sc.s[sc.i] - '0');
		}
		for (; n < 6; n++)
			c.microsecond *= 10;
	}
	if (scan_zone(&sc, &z) < 0 || scan_end(&sc, "the time zone") < 0)
		return -1;
	return check_instant(&c, &z, out_us, err);
}

int ccon_datetime_parse_scheduled(const char *s, int64_t *out_us, struct ccon_error *err)
{
	struct scan sc = { s ? s : "", 0, err };
	struct ccon_civil c = { 0 };
	struct zone utc = { 0, 0, 0, 0, 0 };

	if (strlen(sc.s) <= 10 || sc.s[10] != ' ') {
		if (ccon_datetime_parse(sc.s, out_us, err) == 0)
			return 0;
		if (err && err->code == CCON_E_DATETIME_SYNTAX && err->column <= 11) {
			char why[CCON_ERROR_MESSAGE_MAX];

			snprintf(why, sizeof(why), "%s", err->message);
			ccon_error_set(err, CCON_E_DATETIME_SYNTAX,
			               "%.180s (or the 'yyyy-MM-dd hh' form, like 2025-10-01 14)", why);
		}
		return -1;
	}
	if (scan_date(&sc, &c) < 0 || literal(&sc, ' ', "a space") < 0 ||
	    digits(&sc, 2, "a 2-digit hour", &c.hour) < 0)
		return -1;
	if (sc.s[sc.i] == ':') {
		sc.i++;
		if (digits(&sc, 2, "a 2-digit minute", &c.minute) < 0 ||
		    scan_end(&sc, "the minutes ('yyyy-MM-dd hh:mm' has no seconds or zone)") < 0)
			return -1;
	} else if (sc.s[sc.i] != '\0') {
		return syntax_at(&sc, "the end of the text or ':' and minutes after the hour ('yyyy-MM-dd hh')");
	}
	return check_instant(&c, &utc, out_us, err);
}

/* ---- formatting */

static int format_check(int64_t t_us, char *buf, size_t size, struct ccon_error *err)
{
	if (buf && size > 0)
		buf[0] = '\0';
	if (!buf || size < CCON_DATETIME_FORMAT_MAX)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "the date-time buffer needs %d bytes", CCON_DATETIME_FORMAT_MAX);
	if (t_us < CCON_DATETIME_MIN_US || t_us > CCON_DATETIME_MAX_US)
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "the instant %lld us is outside the years 0001 to 9999",
		                      (long long)t_us);
	return 0;
}

int ccon_datetime_format(int64_t t_us, char *buf, size_t size, struct ccon_error *err)
{
	struct ccon_civil c;
	int n;

	if (format_check(t_us, buf, size, err) < 0)
		return -1;
	ccon_civil_from_us(t_us, &c);
	n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour,
	             c.minute, c.second);
	if (c.microsecond % 1000 == 0 && c.microsecond)
		n += snprintf(buf + n, size - (size_t)n, ".%03d", c.microsecond / 1000);
	else if (c.microsecond)
		n += snprintf(buf + n, size - (size_t)n, ".%06d", c.microsecond);
	n += snprintf(buf + n, size - (size_t)n, "Z");
	return n;
}

static char *put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

int ccon_datetime_format_fast(int64_t t_us, char buf[CCON_DATETIME_FORMAT_MAX])
{
	struct ccon_civil c;
	char *p = buf;

	buf[0] = '\0';
	if (t_us < CCON_DATETIME_MIN_US || t_us > CCON_DATETIME_MAX_US)
		return -1;
	ccon_civil_from_us(t_us, &c);
	p = put_digits(p, c.year, 4);
	*p++ = '-';
	p = put_digits(p, c.month, 2);
	*p++ = '-';
	p = put_digits(p, c.day, 2);
	*p++ = 'T';
	p = put_digits(p, c.hour, 2);
	*p++ = ':';
	p = put_digits(p, c.minute, 2);
	*p++ = ':';
	p = put_digits(p, c.second, 2);
	if (c.microsecond) {
		*p++ = '.';
		if (c.microsecond % 1000 == 0)
			p = put_digits(p, c.microsecond / 1000, 3);
		else
			p = put_digits(p, c.microsecond, 6);
	}
	*p++ = 'Z';
	*p = '\0';
	return (int)(p - buf);
}

int ccon_datetime_format_scheduled(int64_t t_us, char *buf, size_t size, struct ccon_error *err)
{
	struct ccon_civil c;

	if (format_check(t_us, buf, size, err) < 0)
		return -1;
	ccon_civil_from_us(t_us, &c);
	if (c.second || c.microsecond)
		return ccon_error_set(err, CCON_E_DATETIME_RANGE,
		                      "the 'yyyy-MM-dd hh' form cannot carry seconds (%02d.%06d)",
		                      c.second, c.microsecond);
	if (c.minute)
		return snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day,
		                c.hour, c.minute);
	return snprintf(buf, size, "%04d-%02d-%02d %02d", c.year, c.month, c.day, c.hour);
}
