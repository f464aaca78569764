/* libFuzzer target: the date-time parsers and formatters.
 *
 * Invariants: every input either parses to an instant inside 0001..9999
 * that formats back to text parsing to the same instant, or fails with a
 * date-time code, a message and a column inside the text (or one past it).
 * The first 8 bytes, read as an instant, must survive civil fields both
 * ways. */
#include "config.h"

#include <ccon/datetime.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(const struct ccon_error *err, const char *s)
{
	long len = (long)strlen(s);

	if (err->code != CCON_E_DATETIME_SYNTAX && err->code != CCON_E_DATETIME_RANGE)
		abort();
	if (!err->message[0] || err->column < 1 || err->column > len + 1)
		abort();
}

static void check_instant(int64_t t)
{
	char buf[CCON_DATETIME_FORMAT_MAX];
	struct ccon_error err = { 0 };
	int64_t back = 0;
	int n;

	if (t < CCON_DATETIME_MIN_US || t > CCON_DATETIME_MAX_US)
		abort();
	n = ccon_datetime_format(t, buf, sizeof(buf), &err);
	if (n < 20 || (size_t)n != strlen(buf))
		abort();
	if (ccon_datetime_parse(buf, &back, &err) < 0 || back != t)
		abort();
	if (ccon_datetime_parse_scheduled(buf, &back, &err) < 0 || back != t)
		abort();
	if (t % CCON_US_PER_MINUTE == 0) {
		n = ccon_datetime_format_scheduled(t, buf, sizeof(buf), &err);
		if (n < 13 || ccon_datetime_parse_scheduled(buf, &back, &err) < 0 || back != t)
			abort();
	} else if (ccon_datetime_format_scheduled(t, buf, sizeof(buf), &err) != -1) {
		abort();
	}
}

static void check_civil_roundtrip(int64_t t)
{
	struct ccon_civil c;
	int64_t back = 0;
	int rc;

	ccon_civil_from_us(t, &c);
	if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > ccon_days_in_month(c.year, c.month) ||
	    c.hour < 0 || c.hour > 23 || c.minute < 0 || c.minute > 59 || c.second < 0 ||
	    c.second > 59 || c.microsecond < 0 || c.microsecond > 999999)
		abort();
	rc = ccon_civil_to_us(&c, &back, NULL);
	if (t >= CCON_DATETIME_MIN_US && t <= CCON_DATETIME_MAX_US) {
		if (rc != 0 || back != t)
			abort();
		check_instant(t);
	} else if (rc != -1) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccon_error err = { 0 };
	char s[128];
	int64_t t = 0;

	if (size >= sizeof(int64_t)) {
		memcpy(&t, data, sizeof(t));
		check_civil_roundtrip(t);
	}
	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (ccon_datetime_parse(s, &t, &err) == 0)
		check_instant(t);
	else
		check_failure(&err, s);

	ccon_error_clear(&err);
	if (ccon_datetime_parse_scheduled(s, &t, &err) == 0)
		check_instant(t);
	else
		check_failure(&err, s);
	return 0;
}
