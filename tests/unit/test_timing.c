#include "config.h"

#include <ccon/datetime.h>
#include <ccon/error.h>
#include <ccon/timing.h>

#include "suites.h"
#include "testutil.h"

static int64_t at(int y, int mo, int d, int h, int mi, int s, int us)
{
	struct ccon_civil c = { y, mo, d, h, mi, s, us };
	int64_t t = 0;

	ck_assert_int_eq(ccon_civil_to_us(&c, &t, NULL), 0);
	return t;
}

/* 2025-10-01T12:15:00Z, the seed's example */
static int64_t now(void)
{
	return at(2025, 10, 1, 12, 15, 0, 0);
}

static struct ccon_timing ok(int64_t now_us, const char *sched, const char *delay)
{
	struct ccon_timing t = { CCON_TIMING_NOW, -1, -1 };
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_timing_resolve(now_us, sched, delay, &t, &err) == 0, "%s/%s: %s",
	              sched ? sched : "-", delay ? delay : "-", err.message);
	ck_assert_int_eq(t.limit_us, ccon_timing_limit(now_us));
	return t;
}

static struct ccon_error fails(int64_t now_us, const char *sched, const char *delay,
                               enum ccon_errc code, const char *path)
{
	struct ccon_timing t = { CCON_TIMING_DELAY, 42, 42 };
	struct ccon_error err = { 0 };

	ck_assert_int_eq(ccon_timing_resolve(now_us, sched, delay, &t, &err), -1);
	ck_assert_errc(err, code);
	ck_assert_str_eq(err.path, path);
	ck_assert_int_eq(t.send_us, 42);
	return err;
}

START_TEST(neither_means_now)
{
	struct ccon_timing t = ok(now(), NULL, NULL);

	ck_assert_int_eq(t.form, CCON_TIMING_NOW);
	ck_assert_int_eq(t.send_us, now());
	t = ok(now(), "", "");
	ck_assert_int_eq(t.form, CCON_TIMING_NOW);
	ck_assert_int_eq(t.send_us, now());
	ck_assert_str_eq(ccon_timing_form_name(t.form), "now");
	ck_assert_str_eq(ccon_timing_form_name(CCON_TIMING_SCHEDULE), "schedule");
	ck_assert_str_eq(ccon_timing_form_name(CCON_TIMING_DELAY), "delay");
}
END_TEST

START_TEST(both_are_exclusive)
{
	struct ccon_error err = fails(now(), "2025-10-02T00:00:00Z", "PT1H",
	                              CCON_E_TIMING_EXCLUSIVE, "delay");

	ck_assert_ptr_nonnull(strstr(err.message, "scheduleAt"));
	/* even when one of them is invalid */
	fails(now(), "garbage", "PT1H", CCON_E_TIMING_EXCLUSIVE, "delay");
	/* "" is absent, so these are not exclusive */
	ck_assert_int_eq(ok(now(), "", "PT1H").form, CCON_TIMING_DELAY);
	ck_assert_int_eq(ok(now(), "2025-10-02T00:00:00Z", "").form, CCON_TIMING_SCHEDULE);
}
END_TEST

START_TEST(schedule_resolves)
{
	struct ccon_timing t = ok(now() - CCON_US_PER_HOUR, "2025-10-01T12:15:00Z", NULL);

	ck_assert_int_eq(t.form, CCON_TIMING_SCHEDULE);
	ck_assert_int_eq(t.send_us, now());
	t = ok(now(), "2025-10-01T14:15:00+02:00", NULL);
	ck_assert_int_eq(t.send_us, now());
}
END_TEST

START_TEST(delay_resolves)
{
	struct ccon_timing t = ok(now(), NULL, "PT30M50.5S");

	ck_assert_int_eq(t.form, CCON_TIMING_DELAY);
	ck_assert_int_eq(t.send_us, at(2025, 10, 1, 12, 45, 50, 500000));
	ck_assert_int_eq(ok(now(), NULL, "P2W").send_us, at(2025, 10, 15, 12, 15, 0, 0));
	ck_assert_int_eq(ok(now(), NULL, "P1M").send_us, at(2025, 11, 1, 12, 15, 0, 0));
	ck_assert_int_eq(ok(now(), NULL, "PT0S").send_us, now());
}
END_TEST

START_TEST(parse_errors_get_their_field)
{
	struct ccon_error err;

	err = fails(now(), "2025-10-01T12:15:00", NULL, CCON_E_DATETIME_SYNTAX, "scheduleAt");
	ck_assert_int_eq(err.column, 20);
	err = fails(now(), "2026-02-30T00:00:00Z", NULL, CCON_E_DATETIME_RANGE, "scheduleAt");
	ck_assert_int_eq(err.column, 9);
	err = fails(now(), NULL, "P1WT1H", CCON_E_DURATION_WEEK_MIX, "delay");
	ck_assert_int_eq(err.column, 4);
	fails(now(), NULL, "-P1D", CCON_E_DURATION_NEGATIVE, "delay");
	fails(now(), "", "PT", CCON_E_DURATION_EMPTY, "delay");
}
END_TEST

START_TEST(window_boundaries_are_exact)
{
	int64_t limit = ccon_timing_limit(now());
	char s[CCON_DATETIME_FORMAT_MAX], l[CCON_DATETIME_FORMAT_MAX];
	struct ccon_error err;

	ck_assert_int_eq(limit, at(2026, 1, 1, 12, 15, 0, 0));
	/* exactly now and exactly now + 3 months are allowed */
	ck_assert_int_eq(ok(now(), "2025-10-01T12:15:00Z", NULL).send_us, now());
	ck_assert_int_eq(ok(now(), "2026-01-01T12:15:00Z", NULL).send_us, limit);
	ck_assert_int_eq(ok(now(), NULL, "P3M").send_us, limit);
	/* one microsecond outside is not */
	err = fails(now(), "2025-10-01T12:14:59.999999Z", NULL, CCON_E_TIMING_PAST, "scheduleAt");
	ck_assert_ptr_nonnull(strstr(err.message, "2025-10-01T12:14:59.999999Z"));
	err = fails(now(), "2026-01-01T12:15:00.000001Z", NULL, CCON_E_TIMING_TOO_FAR,
	            "scheduleAt");
	ccon_datetime_format(limit, l, sizeof(l), NULL);
	ck_assert_ptr_nonnull(strstr(err.message, l));
	err = fails(now(), NULL, "P3MT0.000001S", CCON_E_TIMING_TOO_FAR, "delay");
	ck_assert_ptr_nonnull(strstr(err.message, l));
	ccon_datetime_format(limit + 1, s, sizeof(s), NULL);
	ck_assert_ptr_nonnull(strstr(err.message, s));
	/* Oct + Nov + Dec = 92 days */
	ck_assert_int_eq(ok(now(), NULL, "P92D").send_us, limit);
	fails(now(), NULL, "P92DT0.000001S", CCON_E_TIMING_TOO_FAR, "delay");
	fails(now(), NULL, "P93D", CCON_E_TIMING_TOO_FAR, "delay");
}
END_TEST

START_TEST(limit_uses_calendar_months)
{
	int64_t n = at(2025, 11, 30, 10, 0, 0, 0);

	ck_assert_int_eq(ccon_timing_limit(n), at(2026, 2, 28, 10, 0, 0, 0));
	ck_assert_int_eq(ok(n, "2026-02-28T10:00:00Z", NULL).send_us, at(2026, 2, 28, 10, 0, 0, 0));
	fails(n, "2026-02-28T10:00:00.000001Z", NULL, CCON_E_TIMING_TOO_FAR, "scheduleAt");
	ck_assert_int_eq(ccon_timing_limit(at(2023, 11, 30, 0, 0, 0, 0)),
	                 at(2024, 2, 29, 0, 0, 0, 0));
	/* near the end of the representable range the limit is capped */
	ck_assert_int_eq(ccon_timing_limit(at(9999, 11, 1, 0, 0, 0, 0)), CCON_DATETIME_MAX_US);
}
END_TEST

START_TEST(huge_delays_are_too_far)
{
	struct ccon_error err = fails(now(), NULL, "P9000Y", CCON_E_TIMING_TOO_FAR, "delay");

	ck_assert_ptr_nonnull(strstr(err.message, "2026-01-01T12:15:00Z"));
	fails(now(), NULL, "P1Y", CCON_E_TIMING_TOO_FAR, "delay");
	fails(now(), NULL, "PT2562047788H", CCON_E_TIMING_TOO_FAR, "delay");
}
END_TEST

/* ---- the envelope's Scheduled */

START_TEST(scheduled_field)
{
	struct ccon_timing t = { CCON_TIMING_NOW, 0, 0 };
	struct ccon_error err = { 0 };
	int64_t n = at(2025, 10, 1, 13, 59, 0, 0);

	ck_assert_int_eq(ccon_timing_resolve_scheduled(n, "2025-10-01 14", &t, &err), 0);
	ck_assert_int_eq(t.form, CCON_TIMING_SCHEDULE);
	ck_assert_int_eq(t.send_us, at(2025, 10, 1, 14, 0, 0, 0));
	ck_assert_int_eq(ccon_timing_resolve_scheduled(n, "2025-10-01T16:00:00+02:00", &t, &err), 0);
	ck_assert_int_eq(t.send_us, at(2025, 10, 1, 14, 0, 0, 0));
	ck_assert_int_eq(ccon_timing_resolve_scheduled(n, NULL, &t, &err), 0);
	ck_assert_int_eq(t.form, CCON_TIMING_NOW);
	ck_assert_int_eq(t.send_us, n);
	/* exactly the hour is allowed, a microsecond later it is past */
	n = at(2025, 10, 1, 14, 0, 0, 0);
	ck_assert_int_eq(ccon_timing_resolve_scheduled(n, "2025-10-01 14", &t, &err), 0);
	ck_assert_int_eq(ccon_timing_resolve_scheduled(n + 1, "2025-10-01 14", &t, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_PAST);
	ck_assert_str_eq(err.path, "scheduled");
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_timing_resolve_scheduled(n, "2026-01-01 14", &t, &err), 0);
	ck_assert_int_eq(ccon_timing_resolve_scheduled(n, "2026-01-01 14:01", &t, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_TOO_FAR);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_timing_resolve_scheduled(n, "2025-10-01 24", &t, &err), -1);
	ck_assert_errc(err, CCON_E_DATETIME_RANGE);
	ck_assert_str_eq(err.path, "scheduled");
	ck_assert_int_eq(err.column, 12);
}
END_TEST

Suite *ccon_suite_timing(void)
{
	Suite *s = suite_create("timing");
	TCase *tc = tcase_create("resolve");

	tcase_add_test(tc, neither_means_now);
	tcase_add_test(tc, both_are_exclusive);
	tcase_add_test(tc, schedule_resolves);
	tcase_add_test(tc, delay_resolves);
	tcase_add_test(tc, parse_errors_get_their_field);
	tcase_add_test(tc, window_boundaries_are_exact);
	tcase_add_test(tc, limit_uses_calendar_months);
	tcase_add_test(tc, huge_delays_are_too_far);
	suite_add_tcase(s, tc);
	tc = tcase_create("scheduled");
	tcase_add_test(tc, scheduled_field);
	suite_add_tcase(s, tc);
	return s;
}
