#include "config.h"

#include <ccon/timing.h>
#include <ccon/datetime.h>
#include <ccon/duration.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

const char *ccon_timing_form_name(enum ccon_timing_form form)
{
	switch (form) {
	case CCON_TIMING_NOW:
		return "now";
	case CCON_TIMING_SCHEDULE:
		return "schedule";
	case CCON_TIMING_DELAY:
		return "delay";
	}
	return "unknown";
}

int64_t ccon_timing_limit(int64_t now_us)
{
	const struct ccon_duration ahead = { 0, CCON_TIMING_MAX_AHEAD_MONTHS, 0, 0 };
	int64_t limit;

	if (now_us < CCON_DATETIME_MIN_US)
		now_us = CCON_DATETIME_MIN_US;
	if (ccon_duration_apply(now_us, &ahead, &limit, NULL) < 0)
		return CCON_DATETIME_MAX_US;
	return limit;
}

static bool absent(const char *s)
{
	return !s || !*s;
}

static void format_or_number(int64_t t_us, char buf[CCON_DATETIME_FORMAT_MAX])
{
	if (ccon_datetime_format(t_us, buf, CCON_DATETIME_FORMAT_MAX, NULL) < 0)
		snprintf(buf, CCON_DATETIME_FORMAT_MAX, "%lld us", (long long)t_us);
}

/* The window check shared by every form; path names the field blamed. */
static int check_window(int64_t now_us, struct ccon_timing *t, const char *path,
                        struct ccon_error *err)
{
	char when[CCON_DATETIME_FORMAT_MAX], ref[CCON_DATETIME_FORMAT_MAX];

	t->limit_us = ccon_timing_limit(now_us);
	format_or_number(t->send_us, when);
	if (t->send_us < now_us) {
		format_or_number(now_us, ref);
		ccon_error_at_path(err, path);
		return ccon_error_set(err, CCON_E_TIMING_PAST,
		                      "the send time %s is in the past (now is %s)", when, ref);
	}
	if (t->send_us > t->limit_us) {
		format_or_number(t->limit_us, ref);
		ccon_error_at_path(err, path);
		return ccon_error_set(err, CCON_E_TIMING_TOO_FAR,
		                      "the send time %s is more than %d months ahead: the latest allowed is %s",
		                      when, CCON_TIMING_MAX_AHEAD_MONTHS, ref);
	}
	return 0;
}

int ccon_timing_resolve(int64_t now_us, const char *schedule_at, const char *delay,
                        struct ccon_timing *out, struct ccon_error *err)
{
	struct ccon_timing t = { CCON_TIMING_NOW, now_us, 0 };
	struct ccon_duration d;
	const char *path = "scheduleAt";

	if (!absent(schedule_at) && !absent(delay)) {
		ccon_error_at_path(err, "delay");
		return ccon_error_set(err, CCON_E_TIMING_EXCLUSIVE,
		                      "delay cannot be used together with scheduleAt: give one of them");
	}
	if (!absent(schedule_at)) {
		t.form = CCON_TIMING_SCHEDULE;
		if (ccon_datetime_parse(schedule_at, &t.send_us, err) < 0) {
			ccon_error_at_path(err, path);
			return -1;
		}
	} else if (!absent(delay)) {
		t.form = CCON_TIMING_DELAY;
		path = "delay";
		if (ccon_duration_parse(delay, &d, err) < 0) {
			ccon_error_at_path(err, path);
			return -1;
		}
		if (ccon_duration_apply(now_us, &d, &t.send_us, NULL) < 0) {
			char limit[CCON_DATETIME_FORMAT_MAX];

			format_or_number(ccon_timing_limit(now_us), limit);
			ccon_error_at_path(err, path);
			return ccon_error_set(err, CCON_E_TIMING_TOO_FAR,
			                      "the delay ends beyond the year 9999, more than %d months ahead: the latest allowed is %s",
			                      CCON_TIMING_MAX_AHEAD_MONTHS, limit);
		}
	}
	if (check_window(now_us, &t, path, err) < 0)
		return -1;
	*out = t;
	return 0;
}

int ccon_timing_resolve_scheduled(int64_t now_us, const char *scheduled,
                                  struct ccon_timing *out, struct ccon_error *err)
{
	struct ccon_timing t = { CCON_TIMING_NOW, now_us, 0 };

	if (!absent(scheduled)) {
		t.form = CCON_TIMING_SCHEDULE;
		if (ccon_datetime_parse_scheduled(scheduled, &t.send_us, err) < 0) {
			ccon_error_at_path(err, "scheduled");
			return -1;
		}
	}
	if (check_window(now_us, &t, "scheduled", err) < 0)
		return -1;
	*out = t;
	return 0;
}
