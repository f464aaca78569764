#include "config.h"

#include "suites.h"
#include "testutil.h"

#include <ccon/send_draft.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t at(const char *iso)
{
	int64_t t = 0;

	ck_assert_int_eq(ccon_datetime_parse(iso, &t, NULL), 0);
	return t;
}

static void campaign(struct ccon_send_draft *d, const char *json)
{
	struct ccon_rest_campaign_info ci;
	struct ccon_error err;

	ck_assert_msg(ccon_rest_campaign_info_parse(json, strlen(json), &ci, &err) == 0, "%s",
	              err.message);
	ck_assert_int_eq(ccon_send_draft_set_campaign(d, &ci, &err), 0);
	ccon_rest_campaign_info_free(&ci);
}

#define WA_CAMPAIGN \
	"{\"id\":3,\"name\":\"Promo\",\"channel\":\"whatsapp\",\"templateName\":\"promo\"," \
	"\"templateParams\":[\"name\"],\"campaignType\":\"Batch\",\"tags\":[]," \
	"\"created\":\"2026-01-01T00:00:00Z\"}"
#define SMS_CAMPAIGN \
	"{\"id\":4,\"name\":\"Code\",\"channel\":\"sms\",\"templateBody\":\"Hola {{name}}, " \
	"tu código es {{code}}\",\"campaignType\":\"Batch\",\"tags\":[]," \
	"\"created\":\"2026-01-01T00:00:00Z\"}"

static void json_draft(struct ccon_send_draft *d, size_t n)
{
	ccon_send_draft_init(d, CCON_SEND_KIND_JSON, 1);
	ck_assert_int_eq(ccon_send_draft_set_send_id(d, "0123456789abcdef0123456789abcdef"), 0);
	campaign(d, WA_CAMPAIGN);
	for (size_t i = 0; i < n; i++) {
		char num[32];
		size_t row;

		snprintf(num, sizeof(num), "+346660%05zu", i);
		ck_assert_int_eq(ccon_roster_add(&d->roster, num, NULL, &row), 0);
		ck_assert_int_eq(ccon_roster_field_add(&d->roster, row, "name", "Ana"), 0);
	}
}

/* ---- kinds */

START_TEST(kinds_named)
{
	enum ccon_send_kind k;

	for (int i = 0; i < CCON_SEND_KIND__COUNT; i++) {
		ck_assert_ptr_nonnull(ccon_send_kind_name((enum ccon_send_kind)i));
		ck_assert_ptr_nonnull(ccon_send_kind_description((enum ccon_send_kind)i));
		ck_assert_int_eq(ccon_send_kind_parse(ccon_send_kind_id((enum ccon_send_kind)i), &k), 0);
		ck_assert_int_eq(k, i);
	}
	ck_assert_ptr_null(ccon_send_kind_name(CCON_SEND_KIND__COUNT));
	ck_assert_int_eq(ccon_send_kind_parse("JSON", &k), -1);
	ck_assert_int_eq(ccon_send_kind_parse(NULL, &k), -1);
	ck_assert(ccon_send_kind_has_delay(CCON_SEND_KIND_CSV));
	ck_assert(!ccon_send_kind_has_delay(CCON_SEND_KIND_TRANSACTIONAL));
	ck_assert(!ccon_send_kind_has_timing(CCON_SEND_KIND_WHATSAPP));
}
END_TEST

START_TEST(send_id_random_and_settable)
{
	struct ccon_send_draft a, b;

	ccon_send_draft_init(&a, CCON_SEND_KIND_JSON, 1);
	ccon_send_draft_init(&b, CCON_SEND_KIND_JSON, 1);
	ck_assert_uint_eq(strlen(a.send_id), 32);
	ck_assert_str_ne(a.send_id, b.send_id);
	ck_assert_int_eq(ccon_send_draft_set_send_id(&a, ""), -1);
	ck_assert_int_eq(ccon_send_draft_set_send_id(&a, "has space"), -1);
	ck_assert_int_eq(ccon_send_draft_set_send_id(&a, "0123456789abcdef0123456789abcdef0"), -1);
	ck_assert_int_eq(ccon_send_draft_set_send_id(&a, "t1"), 0);
	ck_assert_str_eq(a.send_id, "t1");
	ccon_send_draft_renew_send_id(&a);
	ck_assert_uint_eq(strlen(a.send_id), 32);
	ccon_send_draft_free(&a);
	ccon_send_draft_free(&b);
}
END_TEST

/* ---- timing */

START_TEST(timing_delay_reading)
{
	struct ccon_send_draft d;
	struct ccon_send_timing t;

	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, 1);
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "PT30M50.5S"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, at("2026-10-01T17:34:21.5Z"), &t, NULL), 0);
	ck_assert(t.ok);
	ck_assert_int_eq(t.form, CCON_TIMING_DELAY);
	ck_assert_str_eq(t.reading, "30 min 50.5 s, at 18:05:12 UTC");
	ck_assert_str_eq(t.utc, "2026-10-01T18:05:12Z");
	/* another day: the date is shown */
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "P3D"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, at("2026-10-01T17:00:00Z"), &t, NULL), 0);
	ck_assert_str_eq(t.reading, "3 days, at 2026-10-04 17:00:00 UTC");
	ccon_send_draft_free(&d);
}
END_TEST

START_TEST(timing_now_and_errors_with_columns)
{
	struct ccon_send_draft d;
	struct ccon_send_timing t;
	struct ccon_error err;
	int64_t now = at("2026-10-01T12:00:00Z");

	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, 1);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), 0);
	ck_assert_str_eq(t.reading, "now");
	ck_assert_int_eq(t.send_us, now);

	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "PT1X"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert(!t.ok);
	ck_assert_str_eq(err.path, "delay");
	ck_assert_int_eq(err.column, 4);

	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-10-02T10:00:00Z"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "PT1H"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_EXCLUSIVE);

	ck_assert_int_eq(ccon_draft_str_set(&d.delay, NULL), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-10-02X10:00:00Z"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_str_eq(err.path, "scheduleAt");
	ck_assert_int_eq(err.column, 11);

	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-10-01T11:59:59Z"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_PAST);
	ck_assert_str_eq(t.err.path, "scheduleAt");
	ccon_send_draft_free(&d);
}
END_TEST

START_TEST(timing_three_month_boundary)
{
	struct ccon_send_draft d;
	struct ccon_send_timing t;
	struct ccon_error err;
	int64_t now = at("2026-11-30T00:00:00Z");

	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, 1);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2027-02-28T00:00:00Z"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2027-02-28T00:00:00.000001Z"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_TOO_FAR);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2027-03-30T00:00:00Z"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_TOO_FAR);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, NULL), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "P3M"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "P3MT1S"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_TOO_FAR);
	ccon_send_draft_free(&d);
}
END_TEST

static char *saved_tz;

static void tz_set(const char *tz)
{
	const char *old = getenv("TZ");

	free(saved_tz);
	saved_tz = old ? strdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
}

static void tz_restore(void)
{
	if (saved_tz)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	free(saved_tz);
	saved_tz = NULL;
	tzset();
}

#define MADRID "CET-1CEST,M3.5.0,M10.5.0/3"

START_TEST(timing_local_time)
{
	struct ccon_send_draft d;
	struct ccon_send_timing t;
	struct ccon_error err;
	int64_t now = at("2026-11-30T08:00:00Z");

	tz_set(MADRID);
	ccon_send_draft_init(&d, CCON_SEND_KIND_JSON, 1);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-12-01 10:00"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), 0);
	ck_assert(t.local_input);
	ck_assert_str_eq(t.utc, "2026-12-01T09:00:00Z");
	ck_assert_str_eq(t.local, "2026-12-01 10:00:00 CET (+01:00)");
	ck_assert_str_eq(t.reading, "2026-12-01 10:00:00 CET (+01:00) = 2026-12-01 09:00:00 UTC, "
	                            "in 1 day 1 h");
	/* a now with microseconds: the span is read to the second */
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now + 123456, &t, &err), 0);
	ck_assert_str_eq(t.reading, "2026-12-01 10:00:00 CET (+01:00) = 2026-12-01 09:00:00 UTC, "
	                            "in 1 day 1 h");
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now + 600000, &t, &err), 0);
	ck_assert_str_eq(t.reading, "2026-12-01 10:00:00 CET (+01:00) = 2026-12-01 09:00:00 UTC, "
	                            "in 1 day 59 min 59 s");
	/* summer time */
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2027-01-15 18:30:15"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), 0);
	ck_assert_str_eq(t.utc, "2027-01-15T17:30:15Z");
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-12-01 1x:00"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_str_eq(err.path, "scheduleAt");
	ck_assert_int_eq(err.column, 13);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-02-30 10:00"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_errc(err, CCON_E_DATETIME_RANGE);
	ck_assert_int_eq(err.column, 9);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-12-01 10:0"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_int_eq(err.column, 16);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-12-01 10:00:00Z"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, now, &t, &err), -1);
	ck_assert_int_eq(err.column, 20);
	ccon_send_draft_free(&d);
	tz_restore();
}
END_TEST

START_TEST(local_time_gap_and_overlap)
{
	struct ccon_error err;
	int64_t t;
	bool amb;

	tz_set(MADRID);
	ck_assert_int_eq(ccon_local_time_parse("2026-03-29 02:30", &t, &amb, &err), -1);
	ck_assert_errc(err, CCON_E_DATETIME_RANGE);
	ck_assert_int_eq(ccon_local_time_parse("2026-10-25 02:30", &t, &amb, &err), 0);
	ck_assert(amb);
	ck_assert_int_eq(t, at("2026-10-25T00:30:00Z"));
	ck_assert_int_eq(ccon_local_time_parse("2026-07-01 12:00:00", &t, &amb, &err), 0);
	ck_assert(!amb);
	ck_assert_int_eq(t, at("2026-07-01T10:00:00Z"));
	ck_assert_int_eq(ccon_local_time_parse("", &t, &amb, &err), -1);
	ck_assert_int_eq(err.column, 1);
	ck_assert_int_eq(ccon_local_time_parse("2026-07-01 12:00\xff", &t, &amb, &err), -1);
	tz_restore();
}
END_TEST

START_TEST(timing_per_kind)
{
	struct ccon_send_draft d;
	struct ccon_send_timing t;
	struct ccon_error err;

	ccon_send_draft_init(&d, CCON_SEND_KIND_TRANSACTIONAL, 1);
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "PT1H"), 0);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, at("2026-10-01T12:00:00Z"), &t, &err), -1);
	ck_assert_str_eq(err.path, "delay");
	ccon_send_draft_set_kind(&d, CCON_SEND_KIND_WHATSAPP);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, at("2026-10-01T12:00:00Z"), &t, &err), -1);
	ccon_send_draft_set_kind(&d, CCON_SEND_KIND_CSV);
	ck_assert_int_eq(ccon_send_draft_check_timing(&d, at("2026-10-01T12:00:00Z"), &t, &err), 0);
	ccon_send_draft_free(&d);
}
END_TEST

/* ---- checks and requests */

START_TEST(json_250_three_requests_stable_keys)
{
	struct ccon_send_draft d;
	struct ccon_send_reqs r1, r2, dry;
	struct ccon_error err;
	int64_t now = at("2026-10-01T12:00:00Z");
	size_t total = 0;

	json_draft(&d, 250);
	ck_assert_msg(ccon_send_draft_requests(&d, now, false, &r1, &err) == 0, "%s", err.message);
	ck_assert_uint_eq(r1.count, 3);
	ck_assert_int_eq(ccon_send_draft_requests(&d, now, false, &r2, &err), 0);
	ck_assert_int_eq(ccon_send_draft_requests(&d, now, true, &dry, &err), 0);
	for (size_t i = 0; i < 3; i++) {
		total += r1.items[i].recipients;
		ck_assert_str_eq(r1.items[i].key, r2.items[i].key);
		ck_assert_str_eq(r1.items[i].key, dry.items[i].key);
		ck_assert_str_eq(r1.items[i].path, "/v1/applications/1/campaigns/3/send");
		ck_assert_str_eq(dry.items[i].path, "/v1/applications/1/campaigns/3/send?dryRun=true");
		ck_assert_str_eq(r1.items[i].content_type, "application/json");
		ck_assert_str_eq(r1.items[i].body, r2.items[i].body);
		ck_assert(!r1.items[i].command);
		ck_assert_ptr_null(r1.items[i].file_path);
		ck_assert_ptr_nonnull(strstr(r1.items[i].display, "\n"));
		if (i)
			ck_assert_str_ne(r1.items[i].key, r1.items[i - 1].key);
	}
	ck_assert_uint_eq(total, 250);
	ck_assert_uint_eq(r1.items[0].recipients, 84);
	ck_assert_ptr_nonnull(strstr(r1.items[0].body, "\"+34666000000\""));
	ck_assert_ptr_nonnull(strstr(r1.items[2].body, "\"+34666000249\""));
	ccon_send_reqs_free(&r1);
	ccon_send_reqs_free(&r2);
	ccon_send_reqs_free(&dry);
	/* a new send id: new keys */
	ccon_send_draft_renew_send_id(&d);
	ck_assert_int_eq(ccon_send_draft_requests(&d, now, false, &r2, &err), 0);
	ck_assert_uint_eq(r2.count, 3);
	ccon_send_reqs_free(&r2);
	ccon_send_draft_free(&d);
}
END_TEST

START_TEST(json_checks_refuse_without_requests)
{
	struct ccon_send_draft d;
	struct ccon_send_reqs r;
	struct ccon_error err;
	int64_t now = at("2026-10-01T12:00:00Z");

	json_draft(&d, 2);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2027-02-01T12:00:00Z"), 0);
	ck_assert_int_eq(ccon_send_draft_requests(&d, now, false, &r, &err), -1);
	ck_assert_errc(err, CCON_E_TIMING_TOO_FAR);
	ck_assert_uint_eq(r.count, 0);
	ck_assert_ptr_null(r.items);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, NULL), 0);
	/* a row without the campaign's variable */
	ck_assert_int_eq(ccon_roster_add(&d.roster, "+34666999999", NULL, NULL), 0);
	ck_assert_int_eq(ccon_send_draft_check(&d, now, &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_MISSING_VARIABLE);
	ck_assert_str_eq(err.path, "contacts[2].customFields");
	ccon_roster_remove(&d.roster, 2);
	ck_assert_int_eq(ccon_roster_add(&d.roster, "not a phone", NULL, NULL), 0);
	ck_assert_int_eq(ccon_send_draft_check(&d, now, &err), -1);
	ck_assert_str_eq(err.path, "contacts[2].contactCode");
	ccon_roster_remove(&d.roster, 2);
	/* no campaign / the wrong channel */
	d.campaign.id = 0;
	ck_assert_int_eq(ccon_send_draft_check(&d, now, &err), -1);
	ck_assert_str_eq(err.path, "campaignId");
	campaign(&d, SMS_CAMPAIGN);
	ck_assert_int_eq(ccon_send_draft_check(&d, now, &err), -1);
	ck_assert_str_eq(err.path, "campaignId");
	ck_assert_ptr_nonnull(strstr(err.message, "sms"));
	ccon_send_draft_free(&d);
}
END_TEST

START_TEST(json_local_schedule_sent_in_utc)
{
	struct ccon_send_draft d;
	struct ccon_send_reqs r;
	struct ccon_error err;

	tz_set(MADRID);
	json_draft(&d, 1);
	d.slicing = CCON_SLICING_DEFERRED_CONSECUTIVE;
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-12-01 10:00"), 0);
	ck_assert_int_eq(ccon_send_draft_requests(&d, at("2026-11-30T08:00:00Z"), false, &r, &err), 0);
	ck_assert_ptr_nonnull(strstr(r.items[0].body, "\"scheduleAt\":\"2026-12-01T09:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(r.items[0].body,
	                             "\"slicingCondition\":\"deferredConsecutiveSlots\""));
	ck_assert_ptr_null(strstr(r.items[0].body, "delay"));
	ccon_send_reqs_free(&r);
	ccon_send_draft_free(&d);
	tz_restore();
}
END_TEST

START_TEST(csv_multipart)
{
	struct ccon_send_draft d;
	struct ccon_layout l;
	struct ccon_send_reqs r;
	struct ccon_error err;
	const char *lj = "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":"
	                 "\"cloud_api\"},\"customFields\":{\"name\":\"{{nombre}}\"}}";
	const struct ccon_send_req *q;

	ccon_send_draft_init(&d, CCON_SEND_KIND_CSV, 7);
	ck_assert_int_eq(ccon_send_draft_set_send_id(&d, "abc"), 0);
	campaign(&d, WA_CAMPAIGN);
	ck_assert_int_eq(ccon_send_draft_check(&d, at("2026-10-01T12:00:00Z"), &err), -1);
	ck_assert_str_eq(err.path, "file");
	ck_assert_int_eq(ccon_draft_str_set(&d.csv_path, "/tmp/dir/my \"list\".csv"), 0);
	ck_assert_int_eq(ccon_send_draft_check(&d, at("2026-10-01T12:00:00Z"), &err), -1);
	ck_assert_str_eq(err.path, "layout");
	ck_assert_int_eq(ccon_layout_build("{{contactCode}}", "cloud_api", NULL, NULL, 0, &l, &err), 0);
	ck_assert_int_eq(ccon_send_draft_set_layout(&d, &l, &err), 0);
	ccon_layout_free(&l);
	ck_assert_int_eq(ccon_send_draft_check(&d, at("2026-10-01T12:00:00Z"), &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_MISSING_VARIABLE);
	ck_assert_str_eq(err.path, "layout.customFields");
	ck_assert_int_eq(ccon_layout_parse(lj, strlen(lj), &l, &err), 0);
	ck_assert_int_eq(ccon_send_draft_set_layout(&d, &l, &err), 0);
	ccon_layout_free(&l);
	ck_assert_int_eq(ccon_draft_str_set(&d.delay, "PT15M"), 0);
	ck_assert_msg(ccon_send_draft_requests(&d, at("2026-10-01T12:00:00Z"), true, &r, &err) == 0,
	              "%s", err.message);
	ck_assert_uint_eq(r.count, 1);
	q = &r.items[0];
	ck_assert_str_eq(q->path, "/v1/applications/7/campaigns/3/send/csv?dryRun=true");
	ck_assert_str_eq(q->content_type, "multipart/form-data; boundary=ccon-abc");
	ck_assert_str_eq(q->file_path, "/tmp/dir/my \"list\".csv");
	ck_assert_ptr_nonnull(strstr(q->body, "name=\"layout\"\r\nContent-Type: application/json"));
	ck_assert_ptr_nonnull(strstr(q->body, "name=\"delay\"\r\n\r\nPT15M\r\n"));
	ck_assert_ptr_nonnull(strstr(q->body, "name=\"slicingCondition\"\r\n\r\nfragmentedSlots\r\n"));
	ck_assert_ptr_nonnull(strstr(q->body, "filename=\"my _list_.csv\"\r\nContent-Type: text/csv\r\n\r\n"));
	ck_assert_uint_eq(q->len, strlen(q->body));
	ck_assert_str_eq(q->tail, "\r\n--ccon-abc--\r\n");
	ck_assert_ptr_nonnull(strstr(q->display, "<the bytes of my _list_.csv>"));
	ck_assert_uint_eq(strlen(q->key) > 5, 1);
	ccon_send_reqs_free(&r);
	ccon_send_draft_free(&d);
}
END_TEST

START_TEST(transactional_request_and_sms)
{
	struct ccon_send_draft d;
	struct ccon_send_reqs r;
	struct ccon_sms_info info;
	struct ccon_strbuf text;
	struct ccon_error err;
	size_t i, missing;

	ccon_send_draft_init(&d, CCON_SEND_KIND_TRANSACTIONAL, 1);
	campaign(&d, SMS_CAMPAIGN);
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), -1); /* no contacts */
	ck_assert_int_eq(ccon_send_draft_tx_add(&d, &i), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.tx.contacts[i].phone_number, "666777888"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.tx.contacts[i].country_code, "34"), 0);
	ck_assert_int_eq(ccon_fields_add(&d.tx.contacts[i].custom_fields, "name", "Ana", 3), 0);
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_MISSING_VARIABLE);
	ck_assert_str_eq(err.path, "contacts[0].customFields");

	ccon_strbuf_init(&text);
	ck_assert_int_eq(ccon_send_draft_sms(&d, 0, &text, &missing, &info, &err), 0);
	ck_assert_uint_eq(missing, 1);
	ck_assert_str_eq(ccon_strbuf_cstr(&text), "Hola Ana, tu código es {{code}}");
	ck_assert_int_eq(info.encoding, CCON_SMS_GSM7_SPANISH);
	ck_assert_uint_eq(info.segments, 1);
	d.tx.nls_mode = CCON_NLS_STANDARD;
	ck_assert_int_eq(ccon_send_draft_sms(&d, 0, NULL, NULL, &info, &err), 0);
	ck_assert_int_eq(info.encoding, CCON_SMS_UCS2);

	ck_assert_int_eq(ccon_fields_add(&d.tx.contacts[i].custom_fields, "code", "1234", 4), 0);
	d.tx.flash = true;
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-10-02T10:00:00+02:00"), 0);
	ck_assert_msg(ccon_send_draft_requests(&d, at("2026-10-01T12:00:00Z"), false, &r, &err) == 0,
	              "%s", err.message);
	ck_assert_str_eq(r.items[0].path, "/v1/campaigns/transactional/send");
	ck_assert_ptr_nonnull(strstr(r.items[0].body, "\"campaignId\":4"));
	ck_assert_ptr_nonnull(strstr(r.items[0].body, "\"scheduleDate\":\"2026-10-02T08:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(r.items[0].body, "\"flash\":true"));
	ccon_send_reqs_free(&r);
	ck_assert_int_eq(ccon_send_draft_tx_remove(&d, 0), 0);
	ck_assert_int_eq(ccon_send_draft_tx_remove(&d, 0), -1);
	ccon_strbuf_free(&text);
	ccon_send_draft_free(&d);
}
END_TEST

START_TEST(whatsapp_limits)
{
	struct ccon_send_draft d;
	struct ccon_send_reqs r;
	struct ccon_error err;
	char *text = malloc(4071);

	memset(text, 'a', 4070);
	text[4070] = '\0';
	ccon_send_draft_init(&d, CCON_SEND_KIND_WHATSAPP, 1);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.from, "+34600000000"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.to, "0034666777888"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.text, text), 0);
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_LENGTH);
	ck_assert_str_eq(err.path, "text");
	text[4069] = '\0';
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.text, text), 0);
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.caption, "hi"), 0);
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), -1);
	ck_assert_str_eq(err.path, "caption");
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.image, "https://x.example/a.png"), 0);
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), 0);
	d.wa.has_location = true;
	d.wa.longitude = 180.5;
	d.wa.latitude = 1;
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), -1);
	ck_assert_str_eq(err.path, "longitude");
	d.wa.longitude = -180;
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.text, "bad \xff utf8"), 0);
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), -1);
	ck_assert_str_eq(err.path, "text");
	ck_assert_int_eq(ccon_draft_str_set(&d.wa.text, "hola"), 0);
	ck_assert_int_eq(ccon_send_draft_requests(&d, 0, false, &r, &err), 0);
	ck_assert_str_eq(r.items[0].path, "/v1/whatsapp/messages");
	ccon_send_reqs_free(&r);
	free(text);
	ccon_send_draft_free(&d);
}
END_TEST

START_TEST(envelope_command)
{
	struct ccon_send_draft d;
	struct ccon_send_reqs r;
	struct ccon_error err;

	ccon_send_draft_init(&d, CCON_SEND_KIND_ENVELOPE, 1);
	ck_assert_int_eq(ccon_draft_str_set(&d.envelope.campaign.name, "Batch one"), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.envelope.message.message_template, "promo"), 0);
	ck_assert_int_eq(ccon_send_draft_env_add(&d, "+34666777888", NULL), 0);
	ck_assert_int_eq(ccon_send_draft_env_add(&d, "+34666777889", NULL), 0);
	ck_assert_int_eq(ccon_draft_str_set(&d.schedule_at, "2026-10-02T10:00:00Z"), 0);
	ck_assert_int_eq(ccon_send_draft_requests(&d, at("2026-10-01T12:00:00Z"), true, &r, &err), -1);
	ck_assert_msg(ccon_send_draft_requests(&d, at("2026-10-01T12:00:00Z"), false, &r, &err) == 0,
	              "%s %s", err.path, err.message);
	ck_assert(r.items[0].command);
	ck_assert_str_eq(r.items[0].path, "/campaign/full");
	ck_assert_str_eq(r.items[0].content_type,
	                 "application/vnd.iris.activecampaign.full-campaign+json");
	ck_assert_ptr_nonnull(strstr(r.items[0].body, "\"scheduled\":\"2026-10-02T10:00:00Z\""));
	ck_assert_uint_eq(r.items[0].recipients, 2);
	ck_assert_str_eq(ccon_send_draft_slot_channel(&d), "whatsapp");
	ccon_send_reqs_free(&r);
	/* Individual: the second audience would be dropped by the encoder */
	d.envelope.campaign.type = CCON_CAMPAIGN_INDIVIDUAL;
	ck_assert_int_eq(ccon_send_draft_check_fields(&d, &err), -1);
	ck_assert_str_eq(err.path, "audiences");
	ck_assert_ptr_nonnull(strstr(err.message, "exactly one audience (2 given)"));
	ck_assert_int_eq(ccon_send_draft_requests(&d, at("2026-10-01T12:00:00Z"), false, &r, &err),
	                 -1);
	ck_assert_int_eq(ccon_send_draft_env_remove(&d, 1), 0);
	ck_assert_int_eq(ccon_send_draft_env_remove(&d, 1), -1);
	ck_assert_msg(ccon_send_draft_check_fields(&d, &err) == 0, "%s", err.message);
	ccon_send_draft_free(&d);
}
END_TEST

/* ---- answers */

#define ANSWER \
	"{\"taskId\":7,\"campaignId\":3,\"status\":\"scheduled\"," \
	"\"sendAt\":\"2026-12-01T09:00:00Z\",\"timing\":\"schedule\",\"dryRun\":false," \
	"\"recipients\":{\"accepted\":98,\"rejected\":1,\"duplicates\":1,\"disabled\":0}," \
	"\"slicing\":{\"condition\":\"fragmentedSlots\",\"activated\":true," \
	"\"slotLengthSeconds\":900,\"slotCapacity\":1000," \
	"\"plan\":[{\"slotStart\":\"2026-12-01T09:00:00Z\",\"count\":60}," \
	"{\"slotStart\":\"2026-12-01T09:15:00Z\",\"count\":38}]}," \
	"\"errors\":[{\"code\":\"invalid_phone\",\"message\":\"bad\",\"line\":3,\"column\":1}]}"

START_TEST(answer_decodes)
{
	struct ccon_send_answer a;
	struct ccon_error err;

	ck_assert_msg(ccon_send_answer_parse(ANSWER, strlen(ANSWER), &a, &err) == 0, "%s %s",
	              err.path, err.message);
	ck_assert(a.has_task_id);
	ck_assert_int_eq(a.task_id, 7);
	ck_assert_int_eq(a.campaign_id, 3);
	ck_assert_str_eq(a.status, "scheduled");
	ck_assert_int_eq(a.send_at_us, at("2026-12-01T09:00:00Z"));
	ck_assert_int_eq(a.accepted, 98);
	ck_assert_int_eq(a.rejected, 1);
	ck_assert(a.has_slicing && a.activated);
	ck_assert_int_eq(a.slot_length_us, INT64_C(900000000));
	ck_assert_uint_eq(a.n_plan, 2);
	ck_assert_int_eq(a.plan[1].count, 38);
	ck_assert_ptr_null(a.cancel_code);
	ck_assert_uint_eq(a.errors.count, 1);
	ck_assert_int_eq(a.errors.items[0].error.line, 3);
	ccon_send_answer_free(&a);
}
END_TEST

START_TEST(answer_refuses_bad_input)
{
	struct ccon_send_answer a;
	struct ccon_error err;
	const char *dry = "{\"taskId\":null,\"campaignId\":3,\"status\":\"canceled\",\"dryRun\":true,"
	                  "\"sendAt\":\"2026-12-01T09:00:00Z\",\"slicing\":{\"condition\":"
	                  "\"immediateConsecutiveSlots\",\"activated\":true,\"slotLengthSeconds\":900,"
	                  "\"slotCapacity\":10,\"plan\":[],\"cancelCode\":\"slots_not_consecutive\","
	                  "\"cancelReason\":\"slot 09:15 is full\"}}";
	const char *bad_plan = "{\"campaignId\":3,\"status\":\"x\",\"slicing\":{\"condition\":"
	                       "\"fragmentedSlots\",\"activated\":true,\"slotLengthSeconds\":900,"
	                       "\"slotCapacity\":10,\"plan\":[{\"slotStart\":\"nope\",\"count\":1}]}}";

	ck_assert_int_eq(ccon_send_answer_parse("", 0, &a, &err), -1);
	ck_assert_int_eq(ccon_send_answer_parse("[]", 2, &a, &err), -1);
	ck_assert_int_eq(ccon_send_answer_parse("{\"status\":\"x\"}", 14, &a, &err), -1);
	ck_assert_str_eq(err.path, "campaignId");
	/* text is kept as received (invalid UTF-8 too): the pane sanitises it */
	ck_assert_int_eq(ccon_send_answer_parse("{\"campaignId\":1,\"status\":\"\xff\"}", 30, &a,
	                                        &err), 0);
	ck_assert_str_eq(a.status, "\xff");
	ccon_send_answer_free(&a);
	ck_assert_int_eq(ccon_send_answer_parse(bad_plan, strlen(bad_plan), &a, &err), -1);
	ck_assert_str_eq(err.path, "slicing.plan[0].slotStart");
	ck_assert_int_eq(ccon_send_answer_parse(dry, strlen(dry), &a, &err), 0);
	ck_assert(!a.has_task_id);
	ck_assert(a.dry_run);
	ck_assert_str_eq(a.cancel_code, "slots_not_consecutive");
	ck_assert_int_eq(a.condition, CCON_SLICING_IMMEDIATE_CONSECUTIVE);
	ccon_send_answer_free(&a);
}
END_TEST

START_TEST(slots_view_decodes)
{
	struct ccon_slots_view v;
	struct ccon_error err;
	const char *ok = "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,\"capacity\":10,"
	                 "\"slots\":[{\"start\":\"2026-12-01T09:00:00Z\",\"capacity\":10,"
	                 "\"reserved\":5,\"sent\":0,\"free\":5},{\"start\":\"2026-12-01T09:15:00Z\","
	                 "\"capacity\":10,\"reserved\":10,\"sent\":2,\"free\":0}]}";
	const char *gap = "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,\"capacity\":10,"
	                  "\"slots\":[{\"start\":\"2026-12-01T09:00:00Z\",\"capacity\":10,"
	                  "\"reserved\":5},{\"start\":\"2026-12-01T09:45:00Z\","
	                  "\"capacity\":10,\"reserved\":10}]}";

	ck_assert_int_eq(ccon_slots_view_parse(ok, strlen(ok), &v, &err), 0);
	ck_assert_uint_eq(v.count, 2);
	ck_assert_int_eq(v.rows[1].reserved, 10);
	ck_assert_int_eq(v.rows[1].sent, 2);
	ck_assert_int_eq(v.length_us, INT64_C(900000000));
	ccon_slots_view_free(&v);
	ck_assert_int_eq(ccon_slots_view_parse(gap, strlen(gap), &v, &err), -1);
	ck_assert_str_eq(err.path, "slots[1]");
	ck_assert_int_eq(ccon_slots_view_parse("{", 1, &v, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
}
END_TEST

/* ---- the timeline */

static void parse_answer(const char *text, struct ccon_send_answer *a)
{
	struct ccon_error err;

	ck_assert_msg(ccon_send_answer_parse(text, strlen(text), a, &err) == 0, "%s %s", err.path,
	              err.message);
}

static void parse_view(const char *text, struct ccon_slots_view *v)
{
	struct ccon_error err;

	ck_assert_msg(ccon_slots_view_parse(text, strlen(text), v, &err) == 0, "%s", err.message);
}

#define VIEW_5_FULL \
	"{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,\"capacity\":10,\"slots\":[" \
	"{\"start\":\"2026-12-01T09:00:00Z\",\"capacity\":10,\"reserved\":5}," \
	"{\"start\":\"2026-12-01T09:15:00Z\",\"capacity\":10,\"reserved\":10}]}"

START_TEST(timeline_consecutive_cancel)
{
	struct ccon_slot_config cfg = { INT64_C(900000000), 10 };
	int64_t used[2] = { 5, 10 };
	struct ccon_slot_usage u = { at("2026-12-01T09:00:00Z"), used, 2 };
	struct ccon_slot_plan p;
	struct ccon_send_answer a;
	struct ccon_slots_view v;
	struct ccon_timeline t;
	struct ccon_error err;
	char text[1024];

	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(ccon_slot_plan_compute(&cfg, &u, at("2026-12-01T09:00:00Z"), 20,
	                                        CCON_SLICING_IMMEDIATE_CONSECUTIVE, &p, &err), 0);
	ck_assert(p.canceled);
	snprintf(text, sizeof(text), "{\"taskId\":null,\"campaignId\":3,\"status\":\"canceled\","
	         "\"sendAt\":\"2026-12-01T09:00:00Z\",\"recipients\":{\"accepted\":20},"
	         "\"slicing\":{\"condition\":\"immediateConsecutiveSlots\",\"activated\":true,"
	         "\"slotLengthSeconds\":900,\"slotCapacity\":10,\"plan\":[],\"cancelCode\":\"%s\","
	         "\"cancelReason\":\"%s\"}}", ccon_errc_name(p.cancel_code), p.cancel_reason);
	parse_answer(text, &a);
	parse_view(VIEW_5_FULL, &v);
	ck_assert_int_eq(ccon_timeline_build(&v, &a, 1, &t, &err), 0);
	ck_assert(t.agrees);
	ck_assert(t.canceled);
	ck_assert(t.activated);
	ck_assert_str_eq(t.cancel_reason, p.cancel_reason);
	ck_assert_uint_eq(t.count, 192);
	ck_assert_int_eq(t.rows[0].others, 5);
	ck_assert_int_eq(t.rows[0].mine, 0);
	ck_assert_int_eq(t.rows[0].free, 5);
	ck_assert(t.rows[0].start && t.rows[0].activated);
	ck_assert_int_eq(t.rows[1].free, 0);
	ck_assert_int_eq(t.placed, 0);
	ccon_timeline_free(&t);
	/* a stale view (the slot now holds less) disagrees with the server */
	v.rows[1].reserved = 0;
	ck_assert_int_eq(ccon_timeline_build(&v, &a, 1, &t, &err), 0);
	ck_assert(!t.agrees);
	ccon_timeline_free(&t);
	ccon_slots_view_free(&v);
	ccon_send_answer_free(&a);
	ccon_slot_plan_free(&p);
}
END_TEST

#define FRAG15 \
	"{\"taskId\":null,\"campaignId\":3,\"status\":\"scheduled\"," \
	"\"sendAt\":\"2026-12-01T09:00:00Z\",\"recipients\":{\"accepted\":15}," \
	"\"slicing\":{\"condition\":\"fragmentedSlots\",\"activated\":true," \
	"\"slotLengthSeconds\":900,\"slotCapacity\":10,\"plan\":[" \
	"{\"slotStart\":\"2026-12-01T09:00:00Z\",\"count\":10}," \
	"{\"slotStart\":\"2026-12-01T09:15:00Z\",\"count\":5}]}}"

START_TEST(timeline_batches_in_order)
{
	struct ccon_send_answer a[2];
	struct ccon_timeline t;
	struct ccon_error err;

	parse_answer(FRAG15, &a[0]);
	parse_answer(FRAG15, &a[1]);
	/* no view: every slot free */
	ck_assert_int_eq(ccon_timeline_build(NULL, a, 2, &t, &err), 0);
	ck_assert(t.agrees);
	ck_assert_uint_eq(t.n_batches, 2);
	ck_assert_uint_eq(t.batches[1].n_shares, 2);
	ck_assert_int_eq(t.batches[1].shares[0].slot_start_us, at("2026-12-01T09:15:00Z"));
	ck_assert_int_eq(t.batches[1].shares[0].count, 5);
	ck_assert_int_eq(t.batches[1].shares[1].count, 10);
	ck_assert_int_eq(t.rows[0].mine, 10);
	ck_assert_int_eq(t.rows[1].mine, 10);
	ck_assert_int_eq(t.rows[2].mine, 10);
	ck_assert_int_eq(t.rows[3].mine, 0);
	ck_assert_int_eq(t.rows[2].free, 0);
	ck_assert_int_eq(t.placed, 30);
	ck_assert_int_eq(t.audience, 30);
	ccon_timeline_free(&t);
	ck_assert_int_eq(ccon_timeline_build(NULL, a, 0, &t, &err), -1);
	ccon_send_answer_free(&a[0]);
	ccon_send_answer_free(&a[1]);
}
END_TEST

Suite *ccon_suite_send_draft(void)
{
	Suite *s = suite_create("send_draft");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, kinds_named);
	tcase_add_test(tc, send_id_random_and_settable);
	tcase_add_test(tc, timing_delay_reading);
	tcase_add_test(tc, timing_now_and_errors_with_columns);
	tcase_add_test(tc, timing_three_month_boundary);
	tcase_add_test(tc, timing_local_time);
	tcase_add_test(tc, local_time_gap_and_overlap);
	tcase_add_test(tc, timing_per_kind);
	tcase_add_test(tc, json_250_three_requests_stable_keys);
	tcase_add_test(tc, json_checks_refuse_without_requests);
	tcase_add_test(tc, json_local_schedule_sent_in_utc);
	tcase_add_test(tc, csv_multipart);
	tcase_add_test(tc, transactional_request_and_sms);
	tcase_add_test(tc, whatsapp_limits);
	tcase_add_test(tc, envelope_command);
	tcase_add_test(tc, answer_decodes);
	tcase_add_test(tc, answer_refuses_bad_input);
	tcase_add_test(tc, slots_view_decodes);
	tcase_add_test(tc, timeline_consecutive_cancel);
	tcase_add_test(tc, timeline_batches_in_order);
	suite_add_tcase(s, tc);
	return s;
}
