/* Send times, slot plans and delivery outcomes on the manual clock, times
 * asserted to the microsecond: each seed 000 duration example as a delay,
 * the 3-month limit, every slicing condition re-planned (or canceled) at
 * send time, competing and concurrent sends that never overbook a slot,
 * each sim outcome followed step by step through the audience, the report
 * and the summary, and the slots view.
 *
 * The fixture helpers are copied from it_dispatch.c (until a shared test
 * helper file exists). */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/datetime.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An aligned instant after any real "now", so slots are predictable. */
#define T0 "2027-01-04T09:00:00Z"
#define NEVER INT64_MAX
#define SEC INT64_C(1000000)

struct fixture {
	struct server s;
	int64_t app;
	char key[64];
	char bearer[96];
	char keyauth[96];
};

static const char *const manual[] = { "--clock", "manual", NULL };

/* ---------------------------------------------------------------- time */

static int64_t us(const char *iso)
{
	int64_t t;

	ck_assert_msg(ccon_datetime_parse(iso, &t, NULL) == 0, "bad instant %s", iso);
	return t;
}

/* Formats into one of a few rotating buffers. */
static const char *iso(int64_t t)
{
	static char bufs[4][CCON_DATETIME_FORMAT_MAX];
	static int next;
	char *b = bufs[next++ % 4];

	ck_assert_int_ge(ccon_datetime_format(t, b, CCON_DATETIME_FORMAT_MAX, NULL), 0);
	return b;
}

static void set_clock(struct fixture *f, int64_t t)
{
	char body[80];

	snprintf(body, sizeof(body), "{\"set\":\"%s\"}", iso(t));
	server_clock(&f->s, f->bearer, body);
}

static void setup_at(struct fixture *f, const char *now)
{
	server_start(&f->s, manual);
	server_create_app(&f->s, "plans", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->keyauth, sizeof(f->keyauth), "Key %s", f->key);
	set_clock(f, us(now));
}

static void setup(struct fixture *f)
{
	setup_at(f, T0);
}

/* ---------------------------------------------------------------- requests */

static int64_t create_campaign(struct fixture *f, const char *body)
{
	struct reply r;
	char path[96], json[512];
	int64_t id;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	snprintf(json, sizeof(json), "{\"name\":\"c\",\"channel\":\"whatsapp\",\"templateName\":"
	         "\"t\",\"templateBody\":\"%s\"}", body);
	http_call(&f->s, "POST", path, f->bearer, NULL, json, strlen(json), NULL, &r);
	ck_assert_msg(r.status == 201, "campaign: %ld %s", r.status, r.body);
	id = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	return id;
}

static void slot_config(struct fixture *f, int length_s, int capacity)
{
	char path[96], body[128];
	struct reply r;

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f->app);
	snprintf(body, sizeof(body), "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":%d,"
	         "\"capacity\":%d}", length_s, capacity);
	http_call(&f->s, "PUT", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 200, "slots config: %ld %s", r.status, r.body);
	reply_free(&r);
}

/* The send request of n contacts "346660<base+i><NN>" (NN from digits, or
 * 01 when digits is NULL), name = value, extra appended to the body. */
static char *send_body(const int *digits, int n, int base, const char *name, const char *extra)
{
	char *body = malloc(4096 + (size_t)n * 128);
	size_t len;

	ck_assert_ptr_nonnull(body);
	len = (size_t)sprintf(body, "{\"contacts\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%s{\"contactCode\":\"346660%03d%02d\","
		                       "\"channelType\":\"cloud_api\",\"customFields\":"
		                       "{\"name\":\"%s\"}}", i ? "," : "", base + i,
		                       digits ? digits[i] : 1, name);
	sprintf(body + len, "]%s}", extra ? extra : "");
	return body;
}

static void send_raw(struct fixture *f, int64_t campaign, const char *body, struct reply *r)
{
	char path[128];

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)f->app, (long long)campaign);
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), NULL, r);
}

/* A send that must be accepted; the answer (free it). */
static void send_n(struct fixture *f, int64_t campaign, const int *digits, int n,
                   const char *extra, struct reply *r)
{
	char *body = send_body(digits, n, 0, "Ana", extra);

	send_raw(f, campaign, body, r);
	free(body);
	ck_assert_msg(r->status == 202, "send: %ld %s", r->status, r->body);
	ck_assert_str_eq(reply_str(r, "status"), "scheduled");
}

static void send_ok(struct fixture *f, int64_t campaign, const int *digits, int n,
                    const char *extra)
{
	struct reply r;

	send_n(f, campaign, digits, n, extra, &r);
	reply_free(&r);
}

static void expect_refused(struct fixture *f, int64_t campaign, const char *extra,
                           const char *code, const char *path)
{
	char *body = send_body(NULL, 1, 0, "Ana", extra);
	struct reply r;

	send_raw(f, campaign, body, &r);
	free(body);
	ck_assert_msg(r.status == 400, "%s: want 400, got %ld %s", extra, r.status, r.body);
	ck_assert_msg(reply_str(&r, "code") && strcmp(reply_str(&r, "code"), code) == 0,
	              "%s: want code %s: %s", extra, code, r.body);
	ck_assert_msg(reply_str(&r, "path") && strcmp(reply_str(&r, "path"), path) == 0,
	              "%s: want path %s: %s", extra, path, r.body);
	reply_free(&r);
}

/* One /commands get; the resource. */
static cJSON *command_get(struct fixture *f, const char *uri)
{
	char body[256];
	struct reply r;
	cJSON *res;

	snprintf(body, sizeof(body), "{\"id\":\"1\",\"to\":\"postmaster@activecampaign.msging.net\","
	         "\"method\":\"get\",\"uri\":\"%s\"}", uri);
	http_call(&f->s, "POST", "/commands", f->keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strcmp(reply_str(&r, "status"), "success") == 0, "%s: %s", uri, r.body);
	res = cJSON_DetachItemFromObject(r.json, "resource");
	reply_free(&r);
	return res;
}

static cJSON *summary(struct fixture *f, int64_t campaign)
{
	char uri[64];

	snprintf(uri, sizeof(uri), "/campaigns/%lld/summaries", (long long)campaign);
	return command_get(f, uri);
}

static int count(const cJSON *s, const char *status)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "counts"), status);

	ck_assert_msg(cJSON_IsNumber(v), "no count %s", status);
	return v->valueint;
}

static const char *const status_names[] = { "pending", "processed", "received", "read",
                                            "failed", "canceled" };

/* The campaign's summary counts "pending,processed,received,read,failed,canceled",
 * adding up to its total. */
static void expect_counts(struct fixture *f, int64_t campaign, const char *want,
                          const char *status)
{
	cJSON *s = summary(f, campaign);
	char got[128];
	size_t len = 0;
	int total = 0;

	for (int i = 0; i < 6; i++) {
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%d", i ? "," : "",
		                        count(s, status_names[i]));
		total += count(s, status_names[i]);
	}
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(count(s, "total"), total);
	if (status)
		ck_assert_str_eq(cJSON_GetObjectItem(s, "status")->valuestring, status);
	cJSON_Delete(s);
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* The item of `list` whose `key` ends in the 11-digit contact code. */
static const cJSON *find_item(const cJSON *list, const char *key, const char *code)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, list)
		if (ends_with(str_of(it, key), code))
			return it;
	ck_abort_msg("no item %s ending %s", key, code);
	return NULL;
}

/* ---------------------------------------------------------------- the store */

/* A single text from the store, copied into buf ("" without a row). */
static const char *db_text(struct fixture *f, char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static const char *db_text(struct fixture *f, char *buf, size_t size, const char *fmt, ...)
{
	sqlite3 *db = server_db(&f->s, SQLITE_OPEN_READONLY);
	sqlite3_stmt *st;
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	buf[0] = '\0';
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

static int64_t ledger_of(struct fixture *f, int64_t campaign)
{
	return server_db_intf(&f->s, "SELECT COUNT(*) FROM sim_ledger l JOIN recipients r ON r.id = "
	                 "l.recipient_id WHERE r.campaign_id = %lld", (long long)campaign);
}

static int64_t in_slot(struct fixture *f, int64_t campaign, int64_t slot)
{
	return server_db_intf(&f->s, "SELECT COUNT(*) FROM recipients WHERE campaign_id = %lld AND "
	                 "slot_start_us = %lld", (long long)campaign, (long long)slot);
}

static int64_t slot_use(struct fixture *f, int64_t slot)
{
	int64_t v = server_db_intf(&f->s, "SELECT used FROM slot_use WHERE app_id = %lld AND slot_start_us "
	                      "= %lld", (long long)f->app, (long long)slot);

	return v < 0 ? 0 : v;
}

/* ---------------------------------------------------------------- slots view */

static cJSON *slots_view(struct fixture *f, const char *from)
{
	char path[160];
	struct reply r;
	cJSON *body;

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots%s%s", (long long)f->app,
	         from ? "?from=" : "", from ? from : "");
	http_call(&f->s, "GET", path, f->bearer, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "slots: %ld %s", r.status, r.body);
	body = r.json;
	r.json = NULL;
	reply_free(&r);
	return body;
}

static int slot_field(const cJSON *view, const char *start, const char *key)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(view, "slots"))
		if (strcmp(str_of(it, "start"), start) == 0)
			return cJSON_GetObjectItem(it, key)->valueint;
	ck_abort_msg("no slot %s", start);
	return -1;
}

/* ---------------------------------------------------------------- 1. delays */

struct delay_case {
	const char *delay;
	const char *at;     /* now + delay, by the calendar */
};

START_TEST(delay_examples_go_out_at_now_plus_duration)
{
	/* Seed 000's eight examples from the last day of January: P1M is a
	 * calendar month, clamped to the end of February (duration.h), not
	 * 30 days. None of them is beyond the 3-month limit. */
	static const struct delay_case cases[] = {
		{ "PT0.25S", "2027-01-31T09:00:00.250Z" },
		{ "PT20S", "2027-01-31T09:00:20Z" },
		{ "PT15M", "2027-01-31T09:15:00Z" },
		{ "PT30M50.5S", "2027-01-31T09:30:50.500Z" },
		{ "PT4H", "2027-01-31T13:00:00Z" },
		{ "P3D", "2027-02-03T09:00:00Z" },
		{ "P2W", "2027-02-14T09:00:00Z" },
		{ "P1M", "2027-02-28T09:00:00Z" },
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct fixture f;
	int64_t camp[N];
	char extra[64], tmpl[32];

	setup_at(&f, "2027-01-31T09:00:00Z");
	for (int i = 0; i < N; i++) {
		snprintf(tmpl, sizeof(tmpl), "D%d {{name}}", i);
		camp[i] = create_campaign(&f, tmpl);
		snprintf(extra, sizeof(extra), ",\"delay\":\"%s\"", cases[i].delay);
		send_ok(&f, camp[i], NULL, 1, extra);
		ck_assert_int_eq(server_db_intf(&f.s, "SELECT send_at_us FROM tasks WHERE campaign_id = %lld",
		                        (long long)camp[i]), us(cases[i].at));
	}
	for (int i = 0; i < N; i++) {
		cJSON *a;
		char uri[64];

		set_clock(&f, us(cases[i].at) - 1);
		expect_counts(&f, camp[i], "1,0,0,0,0,0", "scheduled");
		ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger"), i);
		set_clock(&f, us(cases[i].at));
		ck_assert_int_eq(ledger_of(&f, camp[i]), 1);
		ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger"), i + 1);
		snprintf(uri, sizeof(uri), "/audiences/%lld", (long long)camp[i]);
		a = command_get(&f, uri);
		ck_assert_msg(strcmp(str_of(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "items"), 0),
		                            "processed"), cases[i].at) == 0, "%s: processed %s",
		              cases[i].delay, cJSON_PrintUnformatted(a));
		cJSON_Delete(a);
	}
	server_destroy(&f.s);
}
END_TEST

/* ---------------------------------------------------------------- 2. limit */

START_TEST(three_month_limit_is_inclusive_and_calendar)
{
	/* timing.h: [now, now + P3M], both ends inclusive, the limit by the
	 * calendar: 2027-11-30 + P3M = 2028-02-30, clamped to 2028-02-29 (a
	 * leap year). 91 days (13 weeks) reach it exactly, 92 do not. */
	static const char *const accepted[] = {
		",\"scheduleAt\":\"2028-02-29T09:00:00Z\"",
		",\"delay\":\"P3M\"",
		",\"delay\":\"P91D\"",
		",\"delay\":\"P13W\"",
	};
	enum { NA = sizeof(accepted) / sizeof(accepted[0]) };
	static const char *const refused[][2] = {
		{ ",\"scheduleAt\":\"2028-02-29T09:00:01Z\"", "scheduleAt" },
		{ ",\"scheduleAt\":\"2028-02-29T09:00:00.000001Z\"", "scheduleAt" },
		{ ",\"delay\":\"P3MT1S\"", "delay" },
		{ ",\"delay\":\"P92D\"", "delay" },
	};
	const int64_t limit = us("2028-02-29T09:00:00Z");
	struct fixture f;
	int64_t camp[NA], refused_camp;
	char tmpl[32];

	setup_at(&f, "2027-11-30T09:00:00Z");
	for (int i = 0; i < NA; i++) {
		snprintf(tmpl, sizeof(tmpl), "L%d {{name}}", i);
		camp[i] = create_campaign(&f, tmpl);
		send_ok(&f, camp[i], NULL, 1, accepted[i]);
	}
	refused_camp = create_campaign(&f, "R {{name}}");
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		expect_refused(&f, refused_camp, refused[i][0], "send_time_too_far", refused[i][1]);
	/* a refusal leaves nothing behind */
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM tasks WHERE campaign_id = %lld",
	                        (long long)refused_camp), 0);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE campaign_id = %lld",
	                        (long long)refused_camp), 0);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM tasks WHERE send_at_us = %lld",
	                        (long long)limit), NA);

	set_clock(&f, limit - 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 0);
	for (int i = 0; i < NA; i++)
		expect_counts(&f, camp[i], "1,0,0,0,0,0", "scheduled");
	set_clock(&f, limit);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger"), NA);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = %lld",
	                        (long long)limit), NA);
	for (int i = 0; i < NA; i++)
		expect_counts(&f, camp[i], "0,1,0,0,0,0", "running");
	server_destroy(&f.s);
}
END_TEST

/* ---------------------------------------------------------------- 3. slicing at send time */

/* Six slots of 8 h from S0 (aligned on the epoch): the whole 48 h window. */
#define SLOT_H 8
#define NSLOTS 6
#define S0 "2027-01-04T16:00:00Z"

static int64_t slot_at(int k)
{
	return us(S0) + (int64_t)k * SLOT_H * 3600 * SEC;
}

struct plan_case {
	const char *cond;
	int audience;
	int capacity;               /* after the plan was made with 10 */
	int blockers[NSLOTS];       /* other sends' recipients per slot */
	int want[NSLOTS];           /* the re-plan, when placed */
	const char *cancel_code;    /* or the cancel */
	const char *reason;
};

/* The task's recipients, audience items and report all say canceled with
 * the reason; the summary shows it; nothing reached the driver; its
 * capacity was given back. */
static void expect_canceled(struct fixture *f, int64_t x, const struct plan_case *pc)
{
	char want[64], buf[512], uri[64];
	cJSON *s, *a, *rep;
	const cJSON *it;

	snprintf(want, sizeof(want), "0,0,0,0,0,%d", pc->audience);
	expect_counts(f, x, want, "canceled");
	ck_assert_str_eq(db_text(f, buf, sizeof(buf), "SELECT status FROM tasks WHERE "
	                         "campaign_id = %lld", (long long)x), "canceled");
	ck_assert_str_eq(db_text(f, buf, sizeof(buf), "SELECT cancel_code FROM tasks WHERE "
	                         "campaign_id = %lld", (long long)x), pc->cancel_code);
	ck_assert_str_eq(db_text(f, buf, sizeof(buf), "SELECT cancel_reason FROM tasks WHERE "
	                         "campaign_id = %lld", (long long)x), pc->reason);
	s = summary(f, x);
	ck_assert_str_eq(str_of(s, "failedReason"), pc->reason);
	cJSON_Delete(s);
	snprintf(uri, sizeof(uri), "/audiences/%lld", (long long)x);
	a = command_get(f, uri);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(a, "items")), pc->audience);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(a, "items")) {
		ck_assert_str_eq(str_of(it, "status"), "canceled");
		ck_assert_str_eq(str_of(it, "reasonDescription"), pc->reason);
		ck_assert_str_eq(str_of(it, "processed"), "");
	}
	cJSON_Delete(a);
	snprintf(uri, sizeof(uri), "/campaigns/%lld/reports", (long long)x);
	rep = command_get(f, uri);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(rep, "statusAudience")),
	                 pc->audience);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(rep, "statusAudience"))
		ck_assert_str_eq(str_of(it, "status"), "canceled");
	cJSON_Delete(rep);
	ck_assert_int_eq(ledger_of(f, x), 0);
	for (int k = 0; k < NSLOTS; k++)
		ck_assert_int_eq(slot_use(f, slot_at(k)), pc->blockers[k]);
}

/* The re-plan's counts per slot (recipients, slot use, the slots view),
 * then each slot's share goes out at the slot's start, not before. */
static void expect_placed(struct fixture *f, int64_t x, const struct plan_case *pc)
{
	cJSON *view = slots_view(f, S0);
	int sent = 0;

	for (int k = 0; k < NSLOTS; k++) {
		const char *start = iso(slot_at(k));

		ck_assert_msg(in_slot(f, x, slot_at(k)) == pc->want[k], "%s slot %d: %lld, want %d",
		              pc->cond, k, (long long)in_slot(f, x, slot_at(k)), pc->want[k]);
		ck_assert_int_eq(slot_use(f, slot_at(k)), pc->want[k] + pc->blockers[k]);
		ck_assert_int_eq(slot_field(view, start, "reserved"),
		                 pc->want[k] + pc->blockers[k]);
		ck_assert_int_le(slot_field(view, start, "reserved"), pc->capacity);
		ck_assert_int_eq(slot_field(view, start, "capacity"), pc->capacity);
	}
	cJSON_Delete(view);
	ck_assert_int_eq(server_db_intf(&f->s, "SELECT status = 'running' FROM tasks WHERE campaign_id = %lld",
	                        (long long)x), 1);
	for (int k = 0; k < NSLOTS; k++) {
		if (!pc->want[k])
			continue;
		if (k > 0) {
			set_clock(f, slot_at(k) - 1);
			ck_assert_int_eq(ledger_of(f, x), sent);
			set_clock(f, slot_at(k));
		}
		sent += pc->want[k];
		ck_assert_int_eq(ledger_of(f, x), sent);
	}
	ck_assert_int_eq(sent, pc->audience);
	ck_assert_int_eq(server_db_intf(&f->s, "SELECT COUNT(*) FROM recipients WHERE campaign_id = %lld AND "
	                           "processed_us = slot_start_us", (long long)x), pc->audience);
}

/* Campaign X plans `audience` recipients at S0 while slots hold 10 (one
 * slot, no slicing); other sends then take places in later slots and the
 * capacity is lowered: at S0 the plan no longer holds and is made again. */
static void run_plan_case(const struct plan_case *pc)
{
	struct fixture f;
	char extra[160];
	struct reply r;
	int64_t x;

	setup(&f);
	slot_config(&f, SLOT_H * 3600, 10);
	x = create_campaign(&f, "X {{name}}");
	snprintf(extra, sizeof(extra), ",\"scheduleAt\":\"%s\",\"slicingCondition\":\"%s\"", S0,
	         pc->cond);
	send_n(&f, x, NULL, pc->audience, extra, &r);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "slicing"),
	                                            "activated")));
	reply_free(&r);
	ck_assert_int_eq(in_slot(&f, x, slot_at(0)), pc->audience);
	for (int k = 0; k < NSLOTS; k++) {
		if (!pc->blockers[k])
			continue;
		snprintf(extra, sizeof(extra), ",\"scheduleAt\":\"%s\"", iso(slot_at(k)));
		send_ok(&f, create_campaign(&f, "B {{name}}"), NULL, pc->blockers[k], extra);
	}
	slot_config(&f, SLOT_H * 3600, pc->capacity);

	set_clock(&f, slot_at(0) - 1);
	ck_assert_int_eq(in_slot(&f, x, slot_at(0)), pc->audience);   /* not yet re-planned */
	set_clock(&f, slot_at(0));
	if (pc->cancel_code)
		expect_canceled(&f, x, pc);
	else
		expect_placed(&f, x, pc);
	/* every other send went out in its own slot, never above capacity */
	server_clock_advance(&f.s, f.bearer, "PT48H");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE campaign_id <> %lld "
	                            "AND processed_us = slot_start_us", (long long)x),
	                 server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE campaign_id <> %lld",
	                        (long long)x));
	ck_assert_int_le(server_db_intf(&f.s, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM recipients "
	                            "WHERE status <> 'canceled' GROUP BY slot_start_us)"),
	                 pc->capacity);
	if (pc->cancel_code)
		ck_assert_int_eq(ledger_of(&f, x), 0);
	server_destroy(&f.s);
}

START_TEST(fragmented_replanned_at_send_time)
{
	/* slot 1 full: the gap is skipped */
	static const struct plan_case pc = { "fragmentedSlots", 5, 2, { 0, 2, 0, 0, 0, 0 },
	                                     { 2, 0, 2, 1, 0, 0 }, NULL, NULL };

	run_plan_case(&pc);
}
END_TEST

START_TEST(fragmented_canceled_without_capacity)
{
	static const struct plan_case pc = {
		"fragmentedSlots", 7, 1, { 0, 1, 0, 0, 0, 0 }, { 0 }, "no_slot_capacity",
		"48 h from 2027-01-04T16:00:00Z hold 5 free places for 7 recipients"
	};

	run_plan_case(&pc);
}
END_TEST

START_TEST(immediate_replanned_at_send_time)
{
	/* slot 1 has one place left: the run from the start continues */
	static const struct plan_case pc = {
		"immediateConsecutiveSlots", 4, 2, { 0, 1, 0, 0, 0, 0 }, { 2, 1, 1, 0, 0, 0 },
		NULL, NULL
	};

	run_plan_case(&pc);
}
END_TEST

START_TEST(immediate_canceled_by_a_full_slot)
{
	static const struct plan_case pc = {
		"immediateConsecutiveSlots", 5, 2, { 0, 2, 0, 0, 0, 0 }, { 0 },
		"no_consecutive_slots",
		"consecutive slots from 2027-01-04T16:00:00Z hold 2 free places for 5 recipients: "
		"the slot at 2027-01-05T00:00:00Z is full"
	};

	run_plan_case(&pc);
}
END_TEST

START_TEST(deferred_replanned_at_send_time)
{
	/* the start slot's run holds 2: the whole send moves to the first run
	 * that holds 5, and nothing goes out at S0 */
	static const struct plan_case pc = {
		"deferredConsecutiveSlots", 5, 2, { 0, 2, 0, 0, 0, 0 }, { 0, 0, 2, 2, 1, 0 },
		NULL, NULL
	};

	run_plan_case(&pc);
}
END_TEST

START_TEST(deferred_canceled_without_a_long_enough_run)
{
	/* 4 free places in the window, but in runs of 2 */
	static const struct plan_case pc = {
		"deferredConsecutiveSlots", 3, 1, { 0, 0, 1, 0, 0, 1 }, { 0 },
		"no_consecutive_slots",
		"no run of consecutive free slots in the 48 h from 2027-01-04T16:00:00Z holds "
		"3 recipients; the largest holds 2 (from 2027-01-04T16:00:00Z)"
	};

	run_plan_case(&pc);
}
END_TEST

START_TEST(no_slicing_when_the_start_slot_has_room)
{
	const int64_t at = us("2027-01-04T10:07:00Z");
	struct fixture f;
	struct reply r;
	int64_t other, x;
	const cJSON *slicing, *plan;

	setup(&f);
	slot_config(&f, 900, 12);
	other = create_campaign(&f, "O {{name}}");
	send_ok(&f, other, NULL, 3, ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
	/* 7 of the 9 free places of the start slot, sent mid-slot and with a
	 * condition that would otherwise move it */
	x = create_campaign(&f, "X {{name}}");
	send_n(&f, x, NULL, 7, ",\"scheduleAt\":\"2027-01-04T10:07:00Z\",\"slicingCondition\":"
	       "\"deferredConsecutiveSlots\"", &r);
	slicing = cJSON_GetObjectItem(r.json, "slicing");
	plan = cJSON_GetObjectItem(slicing, "plan");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(slicing, "activated")));
	ck_assert_int_eq(cJSON_GetArraySize(plan), 1);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(plan, 0), "slotStart"), "2027-01-04T10:00:00Z");
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(plan, 0), "count")->valueint, 7);
	reply_free(&r);
	/* the capacity lowered to exactly the slot's use: the plan still holds */
	slot_config(&f, 900, 10);

	set_clock(&f, at - 1);
	ck_assert_int_eq(ledger_of(&f, x), 0);
	ck_assert_int_eq(ledger_of(&f, other), 3);
	set_clock(&f, at);
	ck_assert_int_eq(ledger_of(&f, x), 7);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE campaign_id = %lld AND "
	                            "processed_us = %lld AND slot_start_us = %lld", (long long)x,
	                        (long long)at, (long long)us("2027-01-04T10:00:00Z")), 7);
	ck_assert_int_eq(slot_use(&f, us("2027-01-04T10:00:00Z")), 10);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(DISTINCT slot_start_us) FROM recipients"), 1);
	server_destroy(&f.s);
}
END_TEST

START_TEST(slot_length_change_replans_on_the_new_boundaries)
{
	/* Planned in the 10:15 slot of 15 min; the slots become 1 h holding 2:
	 * 10:15 is no longer a slot start, so the plan is made again from the
	 * send time, in the 1 h slot that contains it (already begun). */
	const int64_t at = us("2027-01-04T10:15:00Z"), h = 3600 * SEC;
	const int64_t ten = us("2027-01-04T10:00:00Z");
	struct fixture f;
	int64_t x;
	cJSON *view;

	setup(&f);
	x = create_campaign(&f, "X {{name}}");
	send_ok(&f, x, NULL, 5, ",\"scheduleAt\":\"2027-01-04T10:15:00Z\"");
	ck_assert_int_eq(in_slot(&f, x, at), 5);
	slot_config(&f, 3600, 2);
	set_clock(&f, at);
	ck_assert_int_eq(in_slot(&f, x, at), 0);
	ck_assert_int_eq(in_slot(&f, x, ten), 2);
	ck_assert_int_eq(in_slot(&f, x, ten + h), 2);
	ck_assert_int_eq(in_slot(&f, x, ten + 2 * h), 1);
	ck_assert_int_eq(slot_use(&f, at), 0);          /* the old reservation given back */
	view = slots_view(&f, "2027-01-04T10:00:00Z");
	ck_assert_int_eq(cJSON_GetObjectItem(view, "slotLengthSeconds")->valueint, 3600);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(view, "slots")), 48);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:00:00Z", "reserved"), 2);
	ck_assert_int_eq(slot_field(view, "2027-01-04T11:00:00Z", "reserved"), 2);
	ck_assert_int_eq(slot_field(view, "2027-01-04T12:00:00Z", "reserved"), 1);
	cJSON_Delete(view);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = %lld",
	                        (long long)at), 2);
	set_clock(&f, ten + h - 1);
	ck_assert_int_eq(ledger_of(&f, x), 2);
	set_clock(&f, ten + 2 * h);
	ck_assert_int_eq(ledger_of(&f, x), 5);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = "
	                            "slot_start_us"), 3);
	server_destroy(&f.s);
}
END_TEST

/* ---------------------------------------------------------------- 4. competing sends */

/* For every slot: recipients placed there (not canceled) = slot use <= capacity. */
static void expect_no_overbooking(struct fixture *f, int capacity)
{
	ck_assert_int_le(server_db_intf(&f->s, "SELECT MAX(used) FROM slot_use"), capacity);
	ck_assert_int_le(server_db_intf(&f->s, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM recipients "
	                           "WHERE status <> 'canceled' GROUP BY slot_start_us)"), capacity);
	ck_assert_int_eq(server_db_intf(&f->s, "SELECT COUNT(*) FROM slot_use u WHERE used <> (SELECT "
	                           "COUNT(*) FROM recipients r WHERE r.slot_start_us = "
	                           "u.slot_start_us AND r.status <> 'canceled')"), 0);
	ck_assert_int_eq(server_db_intf(&f->s, "SELECT COUNT(*) FROM (SELECT DISTINCT slot_start_us FROM "
	                           "recipients WHERE status <> 'canceled') WHERE slot_start_us "
	                           "NOT IN (SELECT slot_start_us FROM slot_use)"), 0);
}

START_TEST(competing_sends_share_slots)
{
	static const int d[] = { 1, 2, 3, 4, 5 };
	const int64_t at10 = us("2027-01-04T10:00:00Z"), q = 15 * 60 * SEC;
	struct fixture f;
	int64_t a, b;
	cJSON *view;

	setup(&f);
	slot_config(&f, 900, 3);
	a = create_campaign(&f, "A {{name}}");
	b = create_campaign(&f, "B {{name}}");
	send_ok(&f, a, d, 5, ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
	send_ok(&f, b, d, 4, ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
	/* B's plan takes what A left: 10:15 has one place, 10:30 three */
	ck_assert_int_eq(in_slot(&f, a, at10), 3);
	ck_assert_int_eq(in_slot(&f, a, at10 + q), 2);
	ck_assert_int_eq(in_slot(&f, b, at10), 0);
	ck_assert_int_eq(in_slot(&f, b, at10 + q), 1);
	ck_assert_int_eq(in_slot(&f, b, at10 + 2 * q), 3);
	expect_no_overbooking(&f, 3);
	view = slots_view(&f, "2027-01-04T10:00:00Z");
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:00:00Z", "reserved"), 3);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:15:00Z", "reserved"), 3);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:30:00Z", "reserved"), 3);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:45:00Z", "reserved"), 0);
	cJSON_Delete(view);

	server_clock_advance(&f.s, f.bearer, "PT2H");
	expect_no_overbooking(&f, 3);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = "
	                            "slot_start_us"), 9);
	view = slots_view(&f, "2027-01-04T10:00:00Z");
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(slot_field(view, iso(at10 + k * q), "sent"), 3);
	cJSON_Delete(view);
	server_destroy(&f.s);
}
END_TEST

START_TEST(competing_replans_at_send_time_do_not_overbook)
{
	/* Both sends planned into 10:00 while it held 10; it now holds 2.
	 * A starts first and re-plans around B's stale 3 (10:00 is full for
	 * it); B then re-plans around A's new places. */
	static const int d[] = { 1, 2, 3 };
	const int64_t at10 = us("2027-01-04T10:00:00Z"), q = 15 * 60 * SEC;
	struct fixture f;
	int64_t a, b;

	setup(&f);
	slot_config(&f, 900, 10);
	a = create_campaign(&f, "A {{name}}");
	b = create_campaign(&f, "B {{name}}");
	send_ok(&f, a, d, 3, ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
	send_ok(&f, b, d, 3, ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
	slot_config(&f, 900, 2);
	set_clock(&f, at10);
	ck_assert_int_eq(in_slot(&f, a, at10), 0);
	ck_assert_int_eq(in_slot(&f, a, at10 + q), 2);
	ck_assert_int_eq(in_slot(&f, a, at10 + 2 * q), 1);
	ck_assert_int_eq(in_slot(&f, b, at10), 2);
	ck_assert_int_eq(in_slot(&f, b, at10 + q), 0);
	ck_assert_int_eq(in_slot(&f, b, at10 + 2 * q), 1);
	expect_no_overbooking(&f, 2);
	ck_assert_int_eq(ledger_of(&f, b), 2);
	ck_assert_int_eq(ledger_of(&f, a), 0);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = "
	                            "slot_start_us"), 6);
	expect_no_overbooking(&f, 2);
	server_destroy(&f.s);
}
END_TEST

#define RACERS 4
#define RACE_ROUNDS 5
#define RACE_SIZE 6

struct racer {
	struct fixture *f;
	int64_t campaign;
	int base;
	pthread_barrier_t *start;
	long status[RACE_ROUNDS];
};

/* No check assertions here (they belong to the test's thread): statuses
 * are collected and checked afterwards. */
static void *race(void *arg)
{
	struct racer *rc = arg;

	for (int i = 0; i < RACE_ROUNDS; i++) {
		char *body = send_body(NULL, RACE_SIZE, rc->base + i * RACE_SIZE, "Ana",
		                       ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
		struct reply r;

		pthread_barrier_wait(rc->start);
		send_raw(rc->f, rc->campaign, body, &r);
		rc->status[i] = r.status;
		reply_free(&r);
		free(body);
	}
	return NULL;
}

START_TEST(concurrent_sends_never_overbook)
{
	enum { TOTAL = RACERS * RACE_ROUNDS * RACE_SIZE, CAP = 7 };
	struct fixture f;
	pthread_barrier_t start;
	struct racer rc[RACERS];
	pthread_t th[RACERS];
	char tmpl[32];

	setup(&f);
	slot_config(&f, 900, CAP);
	pthread_barrier_init(&start, NULL, RACERS);
	for (int i = 0; i < RACERS; i++) {
		snprintf(tmpl, sizeof(tmpl), "P%d {{name}}", i);
		rc[i] = (struct racer){ &f, create_campaign(&f, tmpl), i * 100, &start, { 0 } };
		ck_assert_int_eq(pthread_create(&th[i], NULL, race, &rc[i]), 0);
	}
	for (int i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < RACERS; i++)
		for (int k = 0; k < RACE_ROUNDS; k++)
			ck_assert_msg(rc[i].status[k] == 202, "racer %d round %d: %ld", i, k,
			              rc[i].status[k]);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients"), TOTAL);
	expect_no_overbooking(&f, CAP);
	/* served one after the other: the earliest slots, each full but the last */
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(DISTINCT slot_start_us) FROM recipients"),
	                 (TOTAL + CAP - 1) / CAP);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT MAX(slot_start_us) FROM recipients"),
	                 us("2027-01-04T10:00:00Z") + (TOTAL - 1) / CAP * 15 * 60 * SEC);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT SUM(used) FROM slot_use"), TOTAL);

	server_clock_advance(&f.s, f.bearer, "PT6H");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger"), TOTAL);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = "
	                            "slot_start_us"), TOTAL);
	ck_assert_int_le(server_db_intf(&f.s, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM sim_ledger "
	                            "GROUP BY at_us)"), CAP);
	server_destroy(&f.s);
}
END_TEST

/* ---------------------------------------------------------------- 5. outcomes */

/* What a recipient should show: each step's instant (NEVER: not by the
 * end), and the failure. */
struct expect {
	const char *code11;         /* the contact code */
	int64_t processed, received, read, failed;
	int reason;
	const char *description;
	bool delivers;              /* received/read come from the channel later */
	bool never_read;            /* 60..79 */
	int64_t probe;              /* one more instant to look at (or 0) */
};

static const char *status_at(const struct expect *e, int64_t t)
{
	return e->failed <= t ? "failed" : e->read <= t ? "read" : e->received <= t ? "received" :
	       e->processed <= t ? "processed" : "pending";
}

static void expect_time(const cJSON *it, const char *key, int64_t at, int64_t now,
                        const char *who)
{
	const char *want = at <= now ? iso(at) : "";

	ck_assert_msg(strcmp(str_of(it, key), want) == 0, "%s at %s: %s is '%s', want '%s'", who,
	              iso(now), key, str_of(it, key), want);
}

/* The audience item or report entry against the expectation at `now`. */
static void expect_entry(const cJSON *it, const struct expect *e, int64_t now)
{
	const char *want = status_at(e, now);
	const cJSON *code = cJSON_GetObjectItem(it, "reasonCode");

	ck_assert_msg(strcmp(str_of(it, "status"), want) == 0, "%s at %s: %s, want %s", e->code11,
	              iso(now), str_of(it, "status"), want);
	expect_time(it, "processed", e->processed, now, e->code11);
	expect_time(it, "received", e->received, now, e->code11);
	expect_time(it, "read", e->read, now, e->code11);
	expect_time(it, "failed", e->failed, now, e->code11);
	if (e->failed <= now) {
		ck_assert_msg(cJSON_IsNumber(code) && code->valueint == e->reason, "%s: reasonCode",
		              e->code11);
		ck_assert_str_eq(str_of(it, "reasonDescription"), e->description);
	} else {
		ck_assert_msg(!cJSON_IsNumber(code), "%s: a reasonCode before failing", e->code11);
		ck_assert_str_eq(str_of(it, "reasonDescription"), "");
	}
}

/* Audience, report and summary against every expectation at `now`. */
static void expect_all(struct fixture *f, int64_t campaign, const struct expect *e, int n,
                       int64_t now)
{
	int want[6] = { 0 };
	char uri[64];
	cJSON *a, *rep, *s;

	snprintf(uri, sizeof(uri), "/audiences/%lld", (long long)campaign);
	a = command_get(f, uri);
	snprintf(uri, sizeof(uri), "/campaigns/%lld/reports", (long long)campaign);
	rep = command_get(f, uri);
	s = summary(f, campaign);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(a, "items")), n);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(rep, "statusAudience")), n);
	for (int i = 0; i < n; i++) {
		const char *st = status_at(&e[i], now);

		expect_entry(find_item(cJSON_GetObjectItem(a, "items"), "recipient", e[i].code11),
		             &e[i], now);
		expect_entry(find_item(cJSON_GetObjectItem(rep, "statusAudience"),
		                       "recipientIdentity", e[i].code11), &e[i], now);
		for (int k = 0; k < 6; k++)
			want[k] += strcmp(st, status_names[k]) == 0;
	}
	for (int k = 0; k < 6; k++)
		ck_assert_msg(count(s, status_names[k]) == want[k], "at %s: %d %s, want %d",
		              iso(now), count(s, status_names[k]), status_names[k], want[k]);
	ck_assert_int_eq(count(s, "total"), n);
	cJSON_Delete(a);
	cJSON_Delete(rep);
	cJSON_Delete(s);
}

/* The sim's latencies (driver_sim.c, ccond(8) "THE SIM DRIVER"): from an
 * FNV-1a hash h of the number, received 1 s + (h mod 4000) ms after
 * processed, read 60 s + ((h >> 12) mod 1740) s after received: within the
 * documented 1-5 s and 1-30 min. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Once a recipient the channel took is processed, its later statuses. */
static void learn_deliveries(struct expect *e, int n, int64_t now)
{
	for (int i = 0; i < n; i++) {
		char number[16];
		uint32_t h;

		if (!e[i].delivers || e[i].processed > now || e[i].received != NEVER)
			continue;
		snprintf(number, sizeof(number), "+%s", e[i].code11);
		h = fnv1a(number);
		e[i].received = e[i].processed + SEC + (int64_t)(h % 4000) * 1000;
		ck_assert_int_le(e[i].received - e[i].processed, 5 * SEC);
		if (e[i].never_read)
			continue;
		e[i].read = e[i].received + 60 * SEC + (int64_t)((h >> 12) % 1740) * SEC;
		ck_assert_int_le(e[i].read - e[i].received, 30 * 60 * SEC);
	}
}

/* The earliest instant after now at which something is expected. */
static int64_t next_step(const struct expect *e, int n, int64_t now)
{
	int64_t next = NEVER;

	for (int i = 0; i < n; i++) {
		const int64_t t[5] = { e[i].processed, e[i].received, e[i].read, e[i].failed,
		                       e[i].probe };

		for (int k = 0; k < 5; k++)
			if (t[k] > now && t[k] < next)
				next = t[k];
	}
	return next;
}

START_TEST(each_outcome_step_by_step)
{
	const int64_t t0 = us(T0);
	struct expect e[] = {
		{ "34666000001", t0, NEVER, NEVER, NEVER, 0, NULL, true, false, 0 },
		{ "34666000165", t0, NEVER, NEVER, NEVER, 0, NULL, true, true, 0 },
		{ "34666000213", NEVER, NEVER, NEVER, t0, 131026, "Message undeliverable", false,
		  false, 0 },
		{ "34666000350", NEVER, NEVER, NEVER, t0, 131050, "User stopped marketing messages",
		  false, false, 0 },
		{ "34666000447", t0, NEVER, NEVER, t0 + 2 * SEC, 131047, "Re-engagement message",
		  false, false, 0 },
		{ "34666000549", t0, NEVER, NEVER, t0 + 3 * SEC, 131049,
		  "Meta chose not to deliver", false, false, 0 },
		/* refused twice (130429), taken at the third attempt, 30 + 60 s later */
		{ "34666000629", t0 + 90 * SEC, NEVER, NEVER, NEVER, 0, NULL, true, false,
		  t0 + 30 * SEC },
		/* the template's {{name}} has no value */
		{ "34666000702", NEVER, NEVER, NEVER, t0, 132000,
		  "Number of parameters does not match the expected number of params", false,
		  false, 0 },
	};
	enum { N = sizeof(e) / sizeof(e[0]) };
	struct fixture f;
	char body[2048];
	size_t len;
	struct reply r;
	int64_t camp, now = t0 - 1, next;
	int steps = 0;

	setup(&f);
	/* Seed 002's batch whose message content uses {{name}}: REST sends
	 * (and seed 002's declared messageParams) refuse a contact without the
	 * variable at request time; a content variable is left to the channel,
	 * which refuses the message. */
	len = (size_t)snprintf(body, sizeof(body), "{\"id\":\"o\",\"method\":\"set\",\"uri\":"
	                       "\"/campaign/full\",\"type\":\"application/vnd.iris.activecampaign."
	                       "full-campaign+json\",\"resource\":{\"campaign\":{\"name\":\"o\","
	                       "\"campaignType\":\"Batch\",\"channelType\":\"WhatsApp\"},"
	                       "\"audiences\":[");
	for (int i = 0; i < N; i++) {
		const char *params = ",\"messageParams\":{\"name\":\"Ana\"}";

		len += (size_t)snprintf(body + len, sizeof(body) - len,
		                        "%s{\"recipient\":\"+%s\"%s}", i ? "," : "", e[i].code11,
		                        e[i].reason == 132000 ? "" : params);
	}
	snprintf(body + len, sizeof(body) - len, "],\"message\":{\"messageTemplate\":\"hello\","
	         "\"messageContent\":\"Hi {{name}}\"}}}");
	http_call(&f.s, "POST", "/commands", f.keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 200 && strcmp(reply_str(&r, "status"), "success") == 0, "%s",
	              r.body);
	camp = atoll(str_of(cJSON_GetObjectItem(r.json, "resource"), "id"));
	reply_free(&r);

	expect_all(&f, camp, e, N, t0 - 1);          /* before the clock moves: all pending */
	expect_counts(&f, camp, "8,0,0,0,0,0", "scheduled");
	while ((next = next_step(e, N, now)) != NEVER) {
		ck_assert_int_lt(++steps, 30);
		if (next > t0) {
			set_clock(&f, next - 1);
			expect_all(&f, camp, e, N, next - 1);
		}
		set_clock(&f, now = next);
		learn_deliveries(e, N, now);
		expect_all(&f, camp, e, N, now);
		if (now == t0 + 30 * SEC)    /* the rate-limited one, refused again */
			ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE "
			                            "recipient LIKE '%%29' AND code = '130429'"), 2);
	}
	ck_assert_int_ge(steps, 10);
	expect_counts(&f, camp, "0,0,1,2,5,0", "done");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE recipient LIKE '%%02' "
	                            "AND code = '132000' AND text = 'missing variable: name'"), 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger WHERE outcome = 'accepted' "
	                            "AND text = 'Hi Ana'"), 5);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT attempts FROM recipients WHERE recipient LIKE '%%29'"),
	                 3);
	server_destroy(&f.s);
}
END_TEST

START_TEST(rate_limit_past_the_window_fails)
{
	/* The sim takes a 29 at its third attempt and no number stays refused,
	 * so 5 attempts are never exhausted; the 48 h window can be: slots of
	 * 1 h holding 1, the send at 10:00:45, so the 49th slot starts at
	 * +47:59:15 and its recipient may retry only until 10:00:45 two days
	 * later: refused at 10:00:00, again at 10:00:30, then failed. */
	enum { N = 49 };
	static int d[N];
	const int64_t last = us("2027-01-06T10:00:00Z");
	struct fixture f;
	int64_t camp;
	char code[16], buf[64];
	cJSON *it, *a, *rep;
	char uri[64];

	for (int i = 0; i < N; i++)
		d[i] = 29;
	setup(&f);
	slot_config(&f, 3600, 1);
	camp = create_campaign(&f, "Hi {{name}}");
	send_ok(&f, camp, d, N, ",\"scheduleAt\":\"2027-01-04T10:00:45Z\"");
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(DISTINCT slot_start_us) FROM recipients"), N);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT MAX(slot_start_us) FROM recipients"), last);
	snprintf(code, sizeof(code), "%s", db_text(&f, buf, sizeof(buf), "SELECT substr(recipient, "
	         "-11) FROM recipients ORDER BY slot_start_us DESC LIMIT 1"));

	set_clock(&f, last + 30 * SEC - 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE status = 'pending'"), 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger l JOIN recipients r ON r.id = "
	                            "l.recipient_id WHERE r.slot_start_us = %lld", (long long)last),
	                 1);
	set_clock(&f, last + 30 * SEC);
	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_counts(&f, camp, "0,0,0,48,1,0", "done");
	/* every other one processed 90 s into its slot; the 49th only tried twice */
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM recipients WHERE processed_us = "
	                            "max(slot_start_us, %lld) + 90000000",
	                        (long long)us("2027-01-04T10:00:45Z")), N - 1);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT attempts FROM recipients WHERE slot_start_us = %lld",
	                        (long long)last), 2);
	ck_assert_int_eq(server_db_intf(&f.s, "SELECT COUNT(*) FROM sim_ledger"), 3 * (N - 1) + 2);
	snprintf(uri, sizeof(uri), "/audiences/%lld?$take=100", (long long)camp);
	a = command_get(&f, uri);
	snprintf(uri, sizeof(uri), "/campaigns/%lld/reports?$take=100", (long long)camp);
	rep = command_get(&f, uri);
	for (int k = 0; k < 2; k++) {
		it = (cJSON *)(k ? find_item(cJSON_GetObjectItem(rep, "statusAudience"),
		                             "recipientIdentity", code)
		                 : find_item(cJSON_GetObjectItem(a, "items"), "recipient", code));
		ck_assert_str_eq(str_of(it, "status"), "failed");
		ck_assert_int_eq(cJSON_GetObjectItem(it, "reasonCode")->valueint, 130429);
		ck_assert_str_eq(str_of(it, "reasonDescription"), "Rate limit hit");
		ck_assert_str_eq(str_of(it, "failed"), "2027-01-06T10:00:30Z");
		ck_assert_str_eq(str_of(it, "processed"), "");
	}
	cJSON_Delete(a);
	cJSON_Delete(rep);
	server_destroy(&f.s);
}
END_TEST

/* ---------------------------------------------------------------- 6. the slots view */

START_TEST(slots_view_shows_reserved_and_sent)
{
	static const int d[] = { 1, 2, 3, 4, 5 };
	struct fixture f;
	int64_t now_camp, later, gone;
	char body[256];
	struct reply r;
	cJSON *view;
	const cJSON *slots, *it;
	int busy = 0;

	setup(&f);
	slot_config(&f, 900, 3);
	now_camp = create_campaign(&f, "N {{name}}");
	later = create_campaign(&f, "L {{name}}");
	gone = create_campaign(&f, "G {{name}}");
	send_ok(&f, now_camp, d, 2, NULL);
	send_ok(&f, later, d, 5, ",\"scheduleAt\":\"2027-01-04T10:00:00Z\"");
	send_ok(&f, gone, d, 2, ",\"scheduleAt\":\"2027-01-04T11:00:00Z\"");
	/* a deleted send gives its places back */
	snprintf(body, sizeof(body), "{\"id\":\"9\",\"method\":\"delete\",\"uri\":"
	         "\"/campaigns/%lld\"}", (long long)gone);
	http_call(&f.s, "POST", "/commands", f.keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(strcmp(reply_str(&r, "status"), "success") == 0, "%s", r.body);
	reply_free(&r);
	server_clock_advance(&f.s, f.bearer, "PT0S");

	/* the next 48 h from now: 192 slots of 15 min */
	view = slots_view(&f, NULL);
	ck_assert_int_eq(cJSON_GetObjectItem(view, "slotLengthSeconds")->valueint, 900);
	ck_assert_int_eq(cJSON_GetObjectItem(view, "capacity")->valueint, 3);
	slots = cJSON_GetObjectItem(view, "slots");
	ck_assert_int_eq(cJSON_GetArraySize(slots), 192);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(slots, 0), "start"), T0);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(slots, 191), "start"), "2027-01-06T08:45:00Z");
	cJSON_ArrayForEach(it, slots) {
		int res = cJSON_GetObjectItem(it, "reserved")->valueint;
		int sent = cJSON_GetObjectItem(it, "sent")->valueint;

		ck_assert_int_eq(cJSON_GetObjectItem(it, "capacity")->valueint, 3);
		ck_assert_int_eq(cJSON_GetObjectItem(it, "free")->valueint, 3 - res);
		busy += res || sent;
	}
	ck_assert_int_eq(busy, 3);
	ck_assert_int_eq(slot_field(view, T0, "reserved"), 2);               /* dispatched */
	ck_assert_int_eq(slot_field(view, T0, "sent"), 2);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:00:00Z", "reserved"), 3);  /* scheduled */
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:00:00Z", "sent"), 0);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:15:00Z", "reserved"), 2);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:15:00Z", "free"), 1);
	ck_assert_int_eq(slot_field(view, "2027-01-04T11:00:00Z", "reserved"), 0);
	cJSON_Delete(view);

	set_clock(&f, us("2027-01-04T10:14:59Z"));
	view = slots_view(&f, T0);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:00:00Z", "sent"), 3);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:15:00Z", "sent"), 0);
	cJSON_Delete(view);
	set_clock(&f, us("2027-01-04T10:15:00Z"));
	view = slots_view(&f, T0);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:00:00Z", "reserved"), 3);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:15:00Z", "reserved"), 2);
	ck_assert_int_eq(slot_field(view, "2027-01-04T10:15:00Z", "sent"), 2);
	ck_assert_int_eq(slot_field(view, "2027-01-04T11:00:00Z", "sent"), 0);
	cJSON_Delete(view);
	/* the default window follows the clock: it starts at the slot of now */
	view = slots_view(&f, NULL);
	ck_assert_str_eq(str_of(cJSON_GetArrayItem(cJSON_GetObjectItem(view, "slots"), 0), "start"),
	                 "2027-01-04T10:15:00Z");
	cJSON_Delete(view);
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_dispatch_plans(void)
{
	Suite *s = suite_create("dispatch_plans");
	TCase *tc = tcase_create("dispatch_plans");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, delay_examples_go_out_at_now_plus_duration);
	tcase_add_test(tc, three_month_limit_is_inclusive_and_calendar);
	tcase_add_test(tc, fragmented_replanned_at_send_time);
	tcase_add_test(tc, fragmented_canceled_without_capacity);
	tcase_add_test(tc, immediate_replanned_at_send_time);
	tcase_add_test(tc, immediate_canceled_by_a_full_slot);
	tcase_add_test(tc, deferred_replanned_at_send_time);
	tcase_add_test(tc, deferred_canceled_without_a_long_enough_run);
	tcase_add_test(tc, no_slicing_when_the_start_slot_has_room);
	tcase_add_test(tc, slot_length_change_replans_on_the_new_boundaries);
	tcase_add_test(tc, competing_sends_share_slots);
	tcase_add_test(tc, competing_replans_at_send_time_do_not_overbook);
	tcase_add_test(tc, concurrent_sends_never_overbook);
	tcase_add_test(tc, each_outcome_step_by_step);
	tcase_add_test(tc, rate_limit_past_the_window_fails);
	tcase_add_test(tc, slots_view_shows_reserved_and_sent);
	suite_add_tcase(s, tc);
	return s;
}
