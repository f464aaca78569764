/* ccon/duration.h - ISO 8601-1 durations (the `delay` of seed 000).
 *
 * Grammar (no sign, upper-case designators, no spaces):
 *     P nW                                   the week form, alone
 *     P [nY] [nM] [nD] [T [nH] [nM] [nS]]    at least one component, in this
 *                                            order, each at most once, and
 *                                            at least one after a 'T'
 * where n is digits with an optional fraction after '.' or ','.
 * Examples: PT0.25S, PT20S, PT15M, PT30M50.5S, PT4H, P3D, P2W, P1M,
 * P1Y2M3DT4H5M6.5S, P1DT2H, PT36H.
 *
 * Decisions where ISO 8601 leaves room:
 * - Years and months are nominal (their length depends on the calendar) and
 *   stay apart from everything else; weeks become 7 days; days are calendar
 *   days; hours, minutes and seconds add up into fixed_us with no carry
 *   into days (PT36H is 36 hours, not 1 day 12 hours).
 * - Only the last (smallest) component written may have a fraction
 *   (PT1.5H30M: CCON_E_DURATION_FRACTION). Fractions of years and months
 *   are rejected (they have no fixed length). A fraction of a week or a day
 *   is an exact number of 24-hour periods and goes into fixed_us: P1.5D is
 *   1 day + 12 hours, P0.5W is 84 hours.
 * - At most 6 fractional digits; more are rejected, never rounded. With
 *   that bound every fraction of any unit is a whole number of
 *   microseconds, so parsing never rounds.
 * - Lower-case designators ("pt1m") are rejected with a message saying so.
 * - Limits: each component and every total must fit in int64_t: years,
 *   months (years * 12 + months), days (weeks * 7 + days), and microseconds
 *   (days * 86,400 s + fixed part), else CCON_E_DURATION_OVERFLOW.
 *
 * Errors carry err->column, the 1-based position of the offending
 * character: CCON_E_DURATION_SYNTAX (bad shape, order, repetition, hour
 * without 'T', too many fractional digits, trailing text),
 * CCON_E_DURATION_EMPTY ("", "P", "PT", "P1MT"), CCON_E_DURATION_WEEK_MIX
 * (P1W2D, P1WT1H), CCON_E_DURATION_FRACTION, CCON_E_DURATION_NEGATIVE
 * (-P1D, P-1D), CCON_E_DURATION_OVERFLOW.
 */
#ifndef CCON_DURATION_H
#define CCON_DURATION_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccon_duration {
	int64_t years;      /* nominal years, >= 0 */
	int64_t months;     /* nominal months, >= 0 (P14M stays 14 months) */
	int64_t days;       /* calendar days (weeks * 7), >= 0 */
	int64_t fixed_us;   /* hours, minutes, seconds and day/week fractions */
};

/* Longest output of the formatters, NUL included. */
#define CCON_DURATION_FORMAT_MAX 160

int ccon_duration_parse(const char *s, struct ccon_duration *out, struct ccon_error *err);

bool ccon_duration_is_zero(const struct ccon_duration *d);

/* Canonical ISO text: components in order, zeros left out, the fixed part
 * as hours, minutes (< 60) and seconds (< 60) with the fraction's trailing
 * zeros removed; only days, a multiple of 7, are written PnW; zero is
 * "PT0S". Parsing the result gives back the same struct. Returns the
 * length, or -1 with CCON_E_INVALID_ARGUMENT for a negative field or a
 * buffer below CCON_DURATION_FORMAT_MAX ("" written when size > 0). */
int ccon_duration_format(const struct ccon_duration *d, char *buf, size_t size,
                         struct ccon_error *err);

/* For people: "30 min 50.5 s", "2 weeks" (days only, a multiple of 7),
 * "14 days" when mixed with anything else, "1 month", "1 year 2 months
 * 3 days 4 h 5 min 6.5 s", "36 h", "0 s". Same return rules. */
int ccon_duration_format_human(const struct ccon_duration *d, char *buf, size_t size,
                               struct ccon_error *err);

/* t_us + d, calendar-correct, in UTC:
 *   1. years and months move the calendar date, and the day is clamped to
 *      the end of the target month (2026-01-31 + P1M = 2026-02-28,
 *      2024-01-31 + P1M = 2024-02-29, 2024-02-29 + P1Y = 2025-02-28); the
 *      time of day is kept;
 *   2. then days are added as calendar days (86,400 s: UTC has no DST);
 *   3. then the fixed part.
 * t_us must be an instant libccon accepts (0001..9999) and so must the
 * result, else CCON_E_DURATION_OVERFLOW; a negative field is
 * CCON_E_INVALID_ARGUMENT. */
int ccon_duration_apply(int64_t t_us, const struct ccon_duration *d, int64_t *out_us,
                        struct ccon_error *err);

#endif
