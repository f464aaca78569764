/* libFuzzer target: the duration parser, formatters and calendar apply.
 *
 * Invariants: an input either parses to non-negative fields whose
 * canonical text parses back to the same fields (and formats the same
 * again), or fails with a duration code, a message and a column inside the
 * text (or one past it). Applying a parsed duration never crashes and
 * either fails with CCON_E_DURATION_OVERFLOW or lands inside 0001..9999,
 * never before its start, and never before the same duration without its
 * fixed part. */
#include "config.h"

#include <ccon/datetime.h>
#include <ccon/duration.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const struct ccon_duration *a, const struct ccon_duration *b)
{
	return a->years == b->years && a->months == b->months && a->days == b->days &&
	       a->fixed_us == b->fixed_us;
}

static void check_failure(const struct ccon_error *err, const char *s)
{
	long len = (long)strlen(s);

	switch (err->code) {
	case CCON_E_DURATION_SYNTAX:
	case CCON_E_DURATION_EMPTY:
	case CCON_E_DURATION_WEEK_MIX:
	case CCON_E_DURATION_FRACTION:
	case CCON_E_DURATION_NEGATIVE:
	case CCON_E_DURATION_OVERFLOW:
		break;
	default:
		abort();
	}
	if (!err->message[0] || err->column < 1 || err->column > len + 1)
		abort();
}

static void check_apply(int64_t t, const struct ccon_duration *d)
{
	struct ccon_duration nominal = *d;
	struct ccon_error err = { 0 };
	int64_t r = 0, r0 = 0;

	if (ccon_duration_apply(t, d, &r, &err) < 0) {
		if (err.code != CCON_E_DURATION_OVERFLOW)
			abort();
		return;
	}
	if (r < t || r < CCON_DATETIME_MIN_US || r > CCON_DATETIME_MAX_US)
		abort();
	nominal.fixed_us = 0;
	if (ccon_duration_apply(t, &nominal, &r0, NULL) < 0 || r0 > r || r - r0 != d->fixed_us)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t starts[] = {
		CCON_DATETIME_MIN_US, 0, INT64_C(1759320900000000), CCON_DATETIME_MAX_US,
	};
	struct ccon_duration d, back;
	struct ccon_error err = { 0 };
	char s[128], iso[CCON_DURATION_FORMAT_MAX], iso2[CCON_DURATION_FORMAT_MAX];
	char human[CCON_DURATION_FORMAT_MAX];
	int n;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (ccon_duration_parse(s, &d, &err) < 0) {
		check_failure(&err, s);
		return 0;
	}
	if (d.years < 0 || d.months < 0 || d.days < 0 || d.fixed_us < 0)
		abort();
	n = ccon_duration_format(&d, iso, sizeof(iso), NULL);
	if (n < 3 || (size_t)n != strlen(iso) || iso[0] != 'P')
		abort();
	if (ccon_duration_parse(iso, &back, &err) < 0 || !same(&d, &back))
		abort();
	if (ccon_duration_format(&back, iso2, sizeof(iso2), NULL) != n || strcmp(iso, iso2) != 0)
		abort();
	n = ccon_duration_format_human(&d, human, sizeof(human), NULL);
	if (n < 3 || (size_t)n != strlen(human))
		abort();
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		check_apply(starts[i], &d);
	return 0;
}
