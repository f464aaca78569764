#include "config.h"

#include <ccon/duration.h>
#include <ccon/datetime.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Components in the order they must appear. */
enum unit { U_YEAR, U_MONTH, U_WEEK, U_DAY, U_HOUR, U_MINUTE, U_SECOND, U__COUNT };

static const char *const unit_names[U__COUNT] = {
	"years", "months", "weeks", "days", "hours", "minutes", "seconds",
};
static const char unit_letters[U__COUNT] = { 'Y', 'M', 'W', 'D', 'H', 'M', 'S' };

/* Microseconds in one unit (fixed-length units), 0 for nominal ones. */
static const int64_t unit_us[U__COUNT] = {
	0, 0, 7 * CCON_US_PER_DAY, CCON_US_PER_DAY, CCON_US_PER_HOUR, CCON_US_PER_MINUTE,
	CCON_US_PER_SECOND,
};

struct dscan {
	const char *s;
	size_t i;
	struct ccon_error *err;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int fail(struct dscan *sc, size_t at, enum ccon_errc code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct dscan *sc, size_t at, enum ccon_errc code, const char *fmt, ...)
{
	va_list ap;

	ccon_error_at_column(sc->err, (long)at + 1);
	va_start(ap, fmt);
	ccon_error_vset(sc->err, code, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static char upper(char c)
{
	return is_lower(c) ? (char)(c - 'a' + 'A') : c;
}

/* A character that cannot start a component: say the most useful thing. */
static int bad_start(struct dscan *sc)
{
	char c = sc->s[sc->i];

	if (c == '-')
		return fail(sc, sc->i, CCON_E_DURATION_NEGATIVE,
		            "negative values are not allowed in a duration");
	if (c == '+')
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX, "a sign is not allowed in a duration");
	if (is_space(c)) {
		size_t j = sc->i;

		while (is_space(sc->s[j]))
			j++;
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX, "%s",
		            sc->i == 0 ? "leading spaces are not allowed before a duration"
		            : sc->s[j] == '\0' ? "trailing spaces are not allowed after a duration"
		            : "spaces are not allowed inside a duration");
	}
	if (c == '.' || c == ',')
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
		            "a digit must come before the decimal sign (write 0%c5, not %c5)", c, c);
	if (c == 't')
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
		            "designators are upper case: write 'T', not 't'");
	if (c && strchr("YMWDHS", c))
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX, "a number must come before '%c'", c);
	if (c && is_lower(c) && strchr("ymwdhs", c))
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
		            "designators are upper case: write '%c', not '%c'", upper(c), c);
	if ((unsigned char)c > 0x20 && (unsigned char)c < 0x7f)
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
		            "unexpected '%c' in a duration", c);
	return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
	            "unexpected byte 0x%02X in a duration", (unsigned char)c);
}

/* One number: digits, optionally a fraction of at most 6 digits. */
struct number {
	size_t start;        /* index of the first digit */
	size_t frac_at;      /* index of the decimal sign, 0 when none */
	int64_t whole;
	int64_t micro;       /* fraction in millionths, 0..999999 */
	bool whole_overflow;
};

static int scan_number(struct dscan *sc, struct number *n)
{
	int k;

	memset(n, 0, sizeof(*n));
	n->start = sc->i;
	for (; is_digit(sc->s[sc->i]); sc->i++) {
		int dgt = sc->s[sc->i] - '0';

		if (n->whole > (INT64_MAX - dgt) / 10)
			n->whole_overflow = true;
		else
			n->whole = n->whole * 10 + dgt;
	}
	if (sc->s[sc->i] != '.' && sc->s[sc->i] != ',')
		return 0;
	n->frac_at = sc->i++;
	if (!is_digit(sc->s[sc->i]))
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX, "digits must follow the decimal sign");
	for (k = 0; is_digit(sc->s[sc->i]); sc->i++, k++) {
		if (k == 6)
			return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
			            "at most 6 fractional digits are allowed (microseconds)");
		n->micro = n->micro * 10 + (sc->s[sc->i] - '0');
	}
	for (; k < 6; k++)
		n->micro *= 10;
	return 0;
}

/* The designator after a number, in the date or the time part. */
static int scan_unit(struct dscan *sc, bool in_time, enum unit *u)
{
	char c = sc->s[sc->i];

	if (c == '\0')
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
		            "the number needs a designator after it (%s)",
		            in_time ? "H, M or S" : "Y, M, W or D, or T before H, M and S");
	if (is_lower(c) && strchr("ymwdhs", c))
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
		            "designators are upper case: write '%c', not '%c'", upper(c), c);
	if (!in_time) {
		switch (c) {
		case 'Y': *u = U_YEAR; return 0;
		case 'M': *u = U_MONTH; return 0;
		case 'W': *u = U_WEEK; return 0;
		case 'D': *u = U_DAY; return 0;
		case 'H':
			return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
			            "hours need the 'T' separator first (write PT1H, not P1H)");
		case 'S':
			return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
			            "seconds need the 'T' separator first (write PT1S, not P1S)");
		}
	} else {
		switch (c) {
		case 'H': *u = U_HOUR; return 0;
		case 'M': *u = U_MINUTE; return 0;
		case 'S': *u = U_SECOND; return 0;
		case 'Y': case 'W': case 'D':
			return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
			            "'%c' belongs before the 'T' separator", c);
		}
	}
	if (c == '-')
		return bad_start(sc);
	if ((unsigned char)c > 0x20 && (unsigned char)c < 0x7f)
		return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
		            "expected a designator (%s) after the number, found '%c'",
		            in_time ? "H, M or S" : "Y, M, W or D", c);
	return fail(sc, sc->i, CCON_E_DURATION_SYNTAX,
	            "expected a designator (%s) after the number, found %s",
	            in_time ? "H, M or S" : "Y, M, W or D", c == ' ' ? "a space" : "another byte");
}

static int overflow(struct dscan *sc, size_t at, const char *what)
{
	return fail(sc, at, CCON_E_DURATION_OVERFLOW,
	            "the duration is too large: %s do not fit in 64 bits", what);
}

/* Adds number n of unit u to d. */
static int add_component(struct dscan *sc, const struct number *n, enum unit u,
                         struct ccon_duration *d)
{
	int64_t v;

	if (n->whole_overflow)
		return overflow(sc, n->start, unit_names[u]);
	if (n->frac_at && (u == U_YEAR || u == U_MONTH))
		return fail(sc, n->frac_at, CCON_E_DURATION_FRACTION,
		            "a fraction of a %s has no fixed length: use whole %s",
		            u == U_YEAR ? "year" : "month", unit_names[u]);
	switch (u) {
	case U_YEAR:
		d->years = n->whole;
		return 0;
	case U_MONTH:
		d->months = n->whole;
		return 0;
	case U_WEEK:
		if (__builtin_mul_overflow(n->whole, INT64_C(7), &d->days))
			return overflow(sc, n->start, "the days of these weeks");
		break;
	case U_DAY:
		d->days = n->whole;
		break;
	default:
		if (__builtin_mul_overflow(n->whole, unit_us[u], &v) ||
		    __builtin_add_overflow(d->fixed_us, v, &d->fixed_us))
			return overflow(sc, n->start, "the microseconds of the time part");
		break;
	}
	/* a fraction of a unit: micro millionths of unit_us[u], exact because
	 * every unit_us is a multiple of 1,000,000 */
	v = n->micro * (unit_us[u] / CCON_US_PER_SECOND);
	if (__builtin_add_overflow(d->fixed_us, v, &d->fixed_us))
		return overflow(sc, n->start, "the microseconds of the time part");
	return 0;
}

int ccon_duration_parse(const char *s, struct ccon_duration *out, struct ccon_error *err)
{
	struct dscan sc = { s ? s : "", 0, err };
	struct ccon_duration d = { 0, 0, 0, 0 };
	bool seen[U__COUNT] = { false };
	int last = -1, count = 0, time_count = 0;
	size_t t_at = 0, frac_at = 0, last_at = 0;
	enum unit frac_unit = U_YEAR;
	bool in_time = false;
	int64_t total;

	if (sc.s[0] == '\0')
		return fail(&sc, 0, CCON_E_DURATION_EMPTY,
		            "empty duration: expected ISO 8601 like PT15M or P3D");
	if (sc.s[0] != 'P') {
		if (sc.s[0] == 'p')
			return fail(&sc, 0, CCON_E_DURATION_SYNTAX,
			            "designators are upper case: write 'P', not 'p'");
		if (sc.s[0] == '-' || is_space(sc.s[0]))
			return bad_start(&sc);
		return fail(&sc, 0, CCON_E_DURATION_SYNTAX,
		            "a duration starts with 'P' (like PT15M or P3D)");
	}
	sc.i = 1;
	while (sc.s[sc.i]) {
		struct number n;
		enum unit u = U_YEAR;
		size_t at;

		if (sc.s[sc.i] == 'T') {
			if (in_time)
				return fail(&sc, sc.i, CCON_E_DURATION_SYNTAX,
				            "the 'T' separator may appear only once");
			if (seen[U_WEEK])
				return fail(&sc, sc.i, CCON_E_DURATION_WEEK_MIX,
				            "the week form PnW cannot be combined with other components");
			if (frac_at)
				return fail(&sc, frac_at, CCON_E_DURATION_FRACTION,
				            "only the last component may have a fraction, and %s are followed by a time part",
				            unit_names[frac_unit]);
			in_time = true;
			t_at = sc.i++;
			continue;
		}
		if (!is_digit(sc.s[sc.i]))
			return bad_start(&sc);
		if (scan_number(&sc, &n) < 0 || scan_unit(&sc, in_time, &u) < 0)
			return -1;
		at = sc.i++;
		if ((u == U_WEEK && count > 0) || (u != U_WEEK && seen[U_WEEK]))
			return fail(&sc, at, CCON_E_DURATION_WEEK_MIX,
			            "the week form PnW cannot be combined with other components");
		if (seen[u])
			return fail(&sc, at, CCON_E_DURATION_SYNTAX, "%s are given twice", unit_names[u]);
		if ((int)u < last)
			return fail(&sc, at, CCON_E_DURATION_SYNTAX,
			            "%s ('%c') must come before %s ('%c')", unit_names[u],
			            unit_letters[u], unit_names[last], unit_letters[last]);
		if (frac_at)
			return fail(&sc, frac_at, CCON_E_DURATION_FRACTION,
			            "only the last component may have a fraction, and %s are followed by %s",
			            unit_names[frac_unit], unit_names[u]);
		if (add_component(&sc, &n, u, &d) < 0)
			return -1;
		if (n.frac_at) {
			frac_at = n.frac_at;
			frac_unit = u;
		}
		seen[u] = true;
		last = (int)u;
		last_at = at;
		count++;
		time_count += in_time;
	}
	if (in_time && time_count == 0)
		return fail(&sc, t_at, CCON_E_DURATION_EMPTY,
		            "nothing follows the 'T' separator (add hours, minutes or seconds, like PT15M)");
	if (count == 0)
		return fail(&sc, 0, CCON_E_DURATION_EMPTY,
		            "the duration has no components (like PT15M or P3D)");
	if (__builtin_mul_overflow(d.years, INT64_C(12), &total) ||
	    __builtin_add_overflow(total, d.months, &total))
		return overflow(&sc, last_at, "the years and months counted in months");
	if (__builtin_mul_overflow(d.days, CCON_US_PER_DAY, &total) ||
	    __builtin_add_overflow(total, d.fixed_us, &total))
		return overflow(&sc, last_at, "the days and time counted in microseconds");
	*out = d;
	return 0;
}

bool ccon_duration_is_zero(const struct ccon_duration *d)
{
	return !d->years && !d->months && !d->days && !d->fixed_us;
}

static int format_check(const struct ccon_duration *d, char *buf, size_t size,
                        struct ccon_error *err)
{
	if (buf && size > 0)
		buf[0] = '\0';
	if (!buf || size < CCON_DURATION_FORMAT_MAX)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "the duration buffer needs %d bytes", CCON_DURATION_FORMAT_MAX);
	if (d->years < 0 || d->months < 0 || d->days < 0 || d->fixed_us < 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "a duration cannot have negative fields");
	return 0;
}

/* Appends with snprintf; the buffer is always large enough (checked). */
static void put(char *buf, size_t size, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, int *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf + *n, size - (size_t)*n, fmt, ap);
	va_end(ap);
	if (k > 0)
		*n += k;
}

/* "50.5" from seconds and microseconds: trailing zeros of the fraction go. */
static void put_seconds(char *buf, size_t size, int *n, int64_t sec, int64_t us)
{
	char frac[8];
	int len;

	put(buf, size, n, "%" PRId64, sec);
	if (!us)
		return;
	len = snprintf(frac, sizeof(frac), "%06" PRId64, us);
	while (len > 0 && frac[len - 1] == '0')
		frac[--len] = '\0';
	put(buf, size, n, ".%s", frac);
}

int ccon_duration_format(const struct ccon_duration *d, char *buf, size_t size,
                         struct ccon_error *err)
{
	int64_t h, m, s, us;
	int n = 0;

	if (format_check(d, buf, size, err) < 0)
		return -1;
	if (ccon_duration_is_zero(d)) {
		put(buf, size, &n, "PT0S");
		return n;
	}
	put(buf, size, &n, "P");
	if (!d->years && !d->months && !d->fixed_us && d->days % 7 == 0) {
		put(buf, size, &n, "%" PRId64 "W", d->days / 7);
		return n;
	}
	if (d->years)
		put(buf, size, &n, "%" PRId64 "Y", d->years);
	if (d->months)
		put(buf, size, &n, "%" PRId64 "M", d->months);
	if (d->days)
		put(buf, size, &n, "%" PRId64 "D", d->days);
	if (!d->fixed_us)
		return n;
	h = d->fixed_us / CCON_US_PER_HOUR;
	m = d->fixed_us / CCON_US_PER_MINUTE % 60;
	s = d->fixed_us / CCON_US_PER_SECOND % 60;
	us = d->fixed_us % CCON_US_PER_SECOND;
	put(buf, size, &n, "T");
	if (h)
		put(buf, size, &n, "%" PRId64 "H", h);
	if (m)
		put(buf, size, &n, "%" PRId64 "M", m);
	if (s || us) {
		put_seconds(buf, size, &n, s, us);
		put(buf, size, &n, "S");
	}
	return n;
}

static void put_count(char *buf, size_t size, int *n, int64_t v, const char *one,
                      const char *many)
{
	put(buf, size, n, "%s%" PRId64 " %s", *n ? " " : "", v, v == 1 ? one : many);
}

int ccon_duration_format_human(const struct ccon_duration *d, char *buf, size_t size,
                               struct ccon_error *err)
{
	int64_t h, m, s, us;
	int n = 0;

	if (format_check(d, buf, size, err) < 0)
		return -1;
	if (ccon_duration_is_zero(d)) {
		put(buf, size, &n, "0 s");
		return n;
	}
	if (!d->years && !d->months && !d->fixed_us && d->days % 7 == 0) {
		put_count(buf, size, &n, d->days / 7, "week", "weeks");
		return n;
	}
	if (d->years)
		put_count(buf, size, &n, d->years, "year", "years");
	if (d->months)
		put_count(buf, size, &n, d->months, "month", "months");
	if (d->days)
		put_count(buf, size, &n, d->days, "day", "days");
	h = d->fixed_us / CCON_US_PER_HOUR;
	m = d->fixed_us / CCON_US_PER_MINUTE % 60;
	s = d->fixed_us / CCON_US_PER_SECOND % 60;
	us = d->fixed_us % CCON_US_PER_SECOND;
	if (h)
		put(buf, size, &n, "%s%" PRId64 " h", n ? " " : "", h);
	if (m)
		put(buf, size, &n, "%s%" PRId64 " min", n ? " " : "", m);
	if (s || us) {
		if (n)
			put(buf, size, &n, " ");
		put_seconds(buf, size, &n, s, us);
		put(buf, size, &n, " s");
	}
	return n;
}

int ccon_duration_apply(int64_t t_us, const struct ccon_duration *d, int64_t *out_us,
                        struct ccon_error *err)
{
	struct ccon_civil c;
	int64_t months, year, days_us, r;
	int month, dim;

	if (d->years < 0 || d->months < 0 || d->days < 0 || d->fixed_us < 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "a duration cannot have negative fields");
	if (t_us < CCON_DATETIME_MIN_US || t_us > CCON_DATETIME_MAX_US)
		return ccon_error_set(err, CCON_E_DURATION_OVERFLOW,
		                      "the start instant is outside the years 0001 to 9999");
	ccon_civil_from_us(t_us, &c);
	/* 1. calendar months, bounded first so nothing below can overflow */
	if (d->years > 9999 || d->months > 12 * 9999)
		goto too_late;
	months = (int64_t)c.year * 12 + (c.month - 1) + d->years * 12 + d->months;
	year = months / 12;
	month = (int)(months % 12) + 1;
	if (year > 9999)
		goto too_late;
	c.year = (int)year;
	c.month = month;
	dim = ccon_days_in_month(c.year, c.month);
	if (c.day > dim)
		c.day = dim;
	if (ccon_civil_to_us(&c, &r, err) < 0)
		return -1;
	/* 2. calendar days, 3. the fixed part */
	if (__builtin_mul_overflow(d->days, CCON_US_PER_DAY, &days_us) ||
	    __builtin_add_overflow(r, days_us, &r) ||
	    __builtin_add_overflow(r, d->fixed_us, &r) || r > CCON_DATETIME_MAX_US)
		goto too_late;
	*out_us = r;
	return 0;
too_late:
	return ccon_error_set(err, CCON_E_DURATION_OVERFLOW,
	                      "adding the duration goes beyond 9999-12-31T23:59:59.999999Z");
}
