/* ccon/timing.h - when a send goes out (seed 000 scheduleAt/delay, seed 002
 * Scheduled).
 *
 * The rules, in this order:
 *   - scheduleAt and delay together: CCON_E_TIMING_EXCLUSIVE (path "delay");
 *   - neither: send now;
 *   - scheduleAt: an ISO 8601 date-time with a zone (datetime.h); its parse
 *     errors keep their code and column and get path "scheduleAt";
 *   - delay: an ISO 8601 duration (duration.h) added to now with
 *     ccon_duration_apply; parse errors get path "delay";
 *   - the send time must lie in [now, now + P3M]: before now is
 *     CCON_E_TIMING_PAST, after the limit CCON_E_TIMING_TOO_FAR (the
 *     message gives the limit in UTC). Both ends are inclusive; the limit
 *     is now plus 3 calendar months (ccon_duration_apply, so day clamping
 *     applies: 2025-11-30 + P3M = 2026-02-28), capped at year 9999. A delay
 *     whose result is beyond year 9999 is TOO_FAR as well.
 * Absent means NULL or "". now_us is passed in: nothing here reads a clock.
 */
#ifndef CCON_TIMING_H
#define CCON_TIMING_H

#include <ccon/error.h>

#include <stdint.h>

#define CCON_TIMING_MAX_AHEAD_MONTHS 3

enum ccon_timing_form {
	CCON_TIMING_NOW = 0,     /* neither field given */
	CCON_TIMING_SCHEDULE,    /* scheduleAt / Scheduled */
	CCON_TIMING_DELAY,       /* delay */
};

struct ccon_timing {
	enum ccon_timing_form form;
	int64_t send_us;         /* the resolved send time */
	int64_t limit_us;        /* now + 3 months, the latest allowed */
};

/* "now", "schedule" or "delay". */
const char *ccon_timing_form_name(enum ccon_timing_form form);

/* now_us + P3M, capped at CCON_DATETIME_MAX_US. */
int64_t ccon_timing_limit(int64_t now_us);

/* Seed 000 (and 001): scheduleAt and delay. 0, or -1 with err. */
int ccon_timing_resolve(int64_t now_us, const char *schedule_at, const char *delay,
                        struct ccon_timing *out, struct ccon_error *err);

/* Seed 002's command envelope: Scheduled as "yyyy-MM-dd hh", "yyyy-MM-dd
 * hh:mm" (UTC) or a full ISO 8601 date-time with a zone
 * (ccon_datetime_parse_scheduled); errors get path "scheduled". The same
 * window applies, so a whole hour that has begun is already in the past. */
int ccon_timing_resolve_scheduled(int64_t now_us, const char *scheduled,
                                  struct ccon_timing *out, struct ccon_error *err);

#endif
