/* Failures grouped by reason (get /campaigns/{id}/failures) and the
 * status and reasonCode filters of get /audiences/{id} and
 * get /campaigns/{id}/reports, on the manual clock with the sim driver's
 * outcomes: groups, counts and their order, paging and totals, one send
 * task or all, each recipient's latest attempt after a retry-failed,
 * another application's campaign and bad filter values. Answers are
 * decoded with libccon's codecs, as the console decodes them, and uris
 * built with ccon_cmd_uri_format, as the console builds them. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/codec_command.h>
#include <ccon/codec_reports.h>
#include <ccon/strbuf.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 "2027-01-04T09:00:00Z"

struct fixture {
	struct server s;
	int64_t app;
	char key[64];
	char bearer[96];
	char keyauth[96];
};

static const char *const manual[] = { "--clock", "manual", NULL };

static void setup(struct fixture *f)
{
	server_start(&f->s, manual);
	server_create_app(&f->s, "failures", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->keyauth, sizeof(f->keyauth), "Key %s", f->key);
	server_clock(&f->s, f->bearer, "{\"set\":\"" T0 "\"}");
}

static int64_t create_campaign_as(struct fixture *f, int64_t app, const char *bearer)
{
	static const char json[] = "{\"name\":\"c\",\"channel\":\"whatsapp\","
	                           "\"templateName\":\"t\",\"templateBody\":\"Hi {{name}}\"}";
	struct reply r;
	char path[96];
	int64_t id;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)app);
	http_call(&f->s, "POST", path, bearer, NULL, json, strlen(json), NULL, &r);
	ck_assert_msg(r.status == 201, "campaign: %ld %s", r.status, r.body);
	id = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	return id;
}

static int64_t create_campaign(struct fixture *f)
{
	return create_campaign_as(f, f->app, f->bearer);
}

/* Sends to "+346660iiiNN" (NN from digits, iii from first on); the task. */
static int64_t send_to(struct fixture *f, int64_t campaign, const int *digits, int n, int first)
{
	char path[128], *body = malloc(64 + 96 * (size_t)n);
	size_t len;
	struct reply r;
	int64_t task;

	ck_assert_ptr_nonnull(body);
	len = (size_t)sprintf(body, "{\"contacts\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%s{\"contactCode\":\"346660%03d%02d\","
		                       "\"channelType\":\"cloud_api\",\"customFields\":"
		                       "{\"name\":\"Ana\"}}", i ? "," : "", first + i, digits[i]);
	sprintf(body + len, "]}");
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)f->app, (long long)campaign);
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	free(body);
	ck_assert_msg(r.status == 202, "send: %ld %s", r.status, r.body);
	task = (int64_t)cJSON_GetObjectItem(r.json, "taskId")->valuedouble;
	reply_free(&r);
	return task;
}

/* POST .../retry-failed (the worthy failures); the new task. */
static int64_t retry_failed(struct fixture *f, int64_t campaign)
{
	char path[160];
	struct reply r;
	int64_t task;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/retry-failed",
	         (long long)f->app, (long long)campaign);
	http_call(&f->s, "POST", path, f->bearer, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 202, "retry: %ld %s", r.status, r.body);
	task = (int64_t)cJSON_GetObjectItem(r.json, "taskId")->valuedouble;
	reply_free(&r);
	return task;
}

/* One /commands command, its whole answer. */
static void command_as(struct fixture *f, const char *method, const char *uri, struct reply *r)
{
	cJSON *env = cJSON_CreateObject();
	char *body;

	cJSON_AddStringToObject(env, "id", "f1");
	cJSON_AddStringToObject(env, "to", "postmaster@activecampaign.msging.net");
	cJSON_AddStringToObject(env, "method", method);
	cJSON_AddStringToObject(env, "uri", uri);
	body = cJSON_PrintUnformatted(env);
	http_call(&f->s, "POST", "/commands", f->keyauth, NULL, body, strlen(body), NULL, r);
	ck_assert_int_eq(r->status, 200);
	cJSON_free(body);
	cJSON_Delete(env);
}

static void command(struct fixture *f, const char *uri, struct reply *r)
{
	command_as(f, "get", uri, r);
}

/* The answer's resource, after checking success and its type. */
static const cJSON *success_of(const struct reply *r, const char *uri, const char *type)
{
	ck_assert_msg(strcmp(reply_str(r, "status"), "success") == 0, "%s: %s", uri, r->body);
	ck_assert_str_eq(reply_str(r, "type"), type);
	return cJSON_GetObjectItem(r->json, "resource");
}

/* A uri as the console builds it. */
struct query {
	enum ccon_cmd_route route;
	int64_t campaign;
	int64_t task;               /* 0: none */
	const char *status;
	long code;                  /* < 0: none */
	long skip, take;            /* < 0: none */
};

static char *uri_of(const struct query *q)
{
	struct ccon_cmd_uri u;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char id[24], task[24];

	memset(&u, 0, sizeof(u));
	snprintf(id, sizeof(id), "%lld", (long long)q->campaign);
	snprintf(task, sizeof(task), "%lld", (long long)q->task);
	u.route = q->route;
	u.campaign_id = id;
	u.task_id = q->task ? task : NULL;
	u.status = (char *)q->status;
	u.has_reason_code = q->code >= 0;
	u.reason_code = q->code;
	u.has_skip = q->skip >= 0;
	u.skip = q->skip;
	u.has_take = q->take >= 0;
	u.take = q->take;
	ck_assert_int_eq(ccon_cmd_uri_format(&u, &sb), 0);
	return ccon_strbuf_detach(&sb);
}

/* get /campaigns/{id}/failures, decoded. */
static void failures(struct fixture *f, int64_t campaign, int64_t task, long skip, long take,
                     struct ccon_failure_group_list *out)
{
	struct query q = { CCON_ROUTE_FAILURES, campaign, task, NULL, -1, skip, take };
	char *uri = uri_of(&q);
	struct ccon_error err;
	struct reply r;
	const cJSON *res;

	command(f, uri, &r);
	res = success_of(&r, uri, CCON_COLLECTION_TYPE);
	ck_assert_str_eq(cJSON_GetObjectItem(res, "itemType")->valuestring,
	                 CCON_FAILURE_GROUP_TYPE);
	ck_assert_msg(ccon_failure_group_list_decode(res, out, &err) == 0, "%s: %s", err.path,
	              err.message);
	reply_free(&r);
	free(uri);
}

/* The groups as "code:count" (code "-" when absent), joined by spaces. */
static void groups_text(const struct ccon_failure_group_list *l, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < l->count; i++) {
		if (l->items[i].has_code)
			len += (size_t)snprintf(out + len, size - len, "%s%lld:%lld", i ? " " : "",
			                        (long long)l->items[i].reason_code,
			                        (long long)l->items[i].count);
		else
			len += (size_t)snprintf(out + len, size - len, "%s-:%lld", i ? " " : "",
			                        (long long)l->items[i].count);
	}
}

static void expect_groups(struct fixture *f, int64_t campaign, int64_t task, long skip,
                          long take, int64_t total, const char *want)
{
	struct ccon_failure_group_list l;
	char got[256];

	failures(f, campaign, task, skip, take, &l);
	groups_text(&l, got, sizeof(got));
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(l.total, total);
	ccon_failure_group_list_free(&l);
}

/* get /audiences/{id} with the query's filters, decoded. */
static void audience(struct fixture *f, const struct query *q, struct ccon_audience_page *out)
{
	struct query aq = *q;
	char *uri;
	struct ccon_error err;
	struct reply r;

	aq.route = CCON_ROUTE_AUDIENCE;
	uri = uri_of(&aq);
	command(f, uri, &r);
	ck_assert_msg(ccon_audience_page_decode(success_of(&r, uri, CCON_COLLECTION_TYPE), out,
	                                        &err) == 0, "%s", err.message);
	reply_free(&r);
	free(uri);
}

/* The audience's page as "NN:status:code" (code "-" when absent), and its
 * total; every item is checked against the filter. */
static int64_t audience_text(struct fixture *f, const struct query *q, char *out, size_t size)
{
	struct ccon_audience_page p;
	size_t len = 0;
	int64_t total;

	audience(f, q, &p);
	out[0] = '\0';
	for (size_t i = 0; i < p.count; i++) {
		const struct ccon_audience_item *it = &p.items[i];
		char task[24];

		snprintf(task, sizeof(task), "%lld", (long long)q->task);
		if (q->status)
			ck_assert_str_eq(it->status, q->status);
		if (q->code >= 0) {
			ck_assert(it->has_reason_code);
			ck_assert_int_eq(it->reason_code, q->code);
		}
		if (q->task)
			ck_assert_str_eq(it->task_id, task);
		len += (size_t)snprintf(out + len, size - len, "%s%s:%s:", i ? " " : "",
		                        it->recipient + strlen(it->recipient) - 2, it->status);
		if (it->has_reason_code)
			len += (size_t)snprintf(out + len, size - len, "%lld",
			                        (long long)it->reason_code);
		else
			len += (size_t)snprintf(out + len, size - len, "-");
	}
	total = p.total;
	ccon_audience_page_free(&p);
	return total;
}

/* The report's total and statusAudience count under the same filters. */
static void expect_report(struct fixture *f, const struct query *q, int64_t total, size_t n)
{
	struct query rq = *q;
	struct ccon_campaign_report rep;
	struct ccon_error err;
	struct reply r;
	char *uri;

	rq.route = CCON_ROUTE_REPORT;
	uri = uri_of(&rq);
	command(f, uri, &r);
	ck_assert_msg(ccon_campaign_report_decode(success_of(&r, uri, CCON_REPORT_TYPE), &rep,
	                                          &err) == 0, "%s", err.message);
	ck_assert(rep.has_total);
	ck_assert_int_eq(rep.total, total);
	ck_assert_int_eq(rep.n_status_audience, n);
	for (size_t i = 0; i < rep.n_status_audience; i++) {
		if (q->status)
			ck_assert_str_eq(rep.status_audience[i].status, q->status);
		if (q->code >= 0)
			ck_assert_int_eq(rep.status_audience[i].reason_code, q->code);
	}
	ccon_campaign_report_free(&rep);
	reply_free(&r);
	free(uri);
}

/* A failure answer: reason.code, reason.error and reason.path, the path
 * named in the description. */
static void expect_failure_of(struct fixture *f, const char *method, const char *uri, int code,
                              const char *error, const char *path)
{
	const cJSON *reason;
	struct reply r;

	command_as(f, method, uri, &r);
	ck_assert_msg(strcmp(reply_str(&r, "status"), "failure") == 0, "%s: %s", uri, r.body);
	ck_assert_ptr_null(cJSON_GetObjectItem(r.json, "resource"));
	reason = cJSON_GetObjectItem(r.json, "reason");
	ck_assert_int_eq(cJSON_GetObjectItem(reason, "code")->valueint, code);
	ck_assert_str_eq(cJSON_GetObjectItem(reason, "error")->valuestring, error);
	ck_assert_str_eq(cJSON_GetObjectItem(reason, "path")->valuestring, path);
	ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(reason, "description")->valuestring,
	                             path));
	reply_free(&r);
}

static void expect_failure(struct fixture *f, const char *uri, int code, const char *error,
                           const char *path)
{
	expect_failure_of(f, "get", uri, code, error, path);
}

/* The summary's count of one status. */
static int64_t summary_count(struct fixture *f, int64_t campaign, const char *status)
{
	char uri[64];
	struct reply r;
	int64_t n;

	snprintf(uri, sizeof(uri), "/campaigns/%lld/summaries", (long long)campaign);
	command(f, uri, &r);
	n = (int64_t)cJSON_GetObjectItem(
		cJSON_GetObjectItem(success_of(&r, uri, CCON_SUMMARY_TYPE), "counts"), status)
		->valuedouble;
	reply_free(&r);
	return n;
}

/* Another driver's failures, written into the store (ccond running). */
static void db_exec(struct fixture *f, const char *sql)
{
	char path[300];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/ccond.db", f->s.data_dir);
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* ---------------------------------------------------------------- tests */

/* 13: 131026 "Message undeliverable" at send (x4); 49: 131049 "Meta chose
 * not to deliver" after processed (x2); 50: 131050 "User stopped marketing
 * messages" at send (x2); 47: 131047 "Re-engagement message" after
 * processed; 01, 02 read; 65 received, never read. */
static const int mix[] = { 13, 49, 50, 1, 13, 47, 13, 65, 50, 2, 49, 13 };
#define N_MIX ((int)(sizeof(mix) / sizeof(mix[0])))
#define MIX_GROUPS "131026:4 131049:2 131050:2 131047:1"

static int64_t finished_mix(struct fixture *f, int64_t *campaign)
{
	int64_t task;

	*campaign = create_campaign(f);
	task = send_to(f, *campaign, mix, N_MIX, 0);
	server_clock_advance(&f->s, f->bearer, "PT1H");
	return task;
}

START_TEST(groups_by_code_largest_first)
{
	struct ccon_failure_group_list l;
	struct fixture f;
	int64_t camp;

	setup(&f);
	finished_mix(&f, &camp);
	failures(&f, camp, 0, -1, -1, &l);
	ck_assert_int_eq(l.total, 4);
	ck_assert_int_eq(l.count, 4);
	ck_assert(l.items[0].has_code);
	ck_assert_int_eq(l.items[0].reason_code, 131026);
	ck_assert_str_eq(l.items[0].reason_description, "Message undeliverable");
	ck_assert_int_eq(l.items[0].count, 4);
	/* a tie (2 and 2) goes by code */
	ck_assert_int_eq(l.items[1].reason_code, 131049);
	ck_assert_str_eq(l.items[1].reason_description, "Meta chose not to deliver");
	ck_assert_int_eq(l.items[2].reason_code, 131050);
	ck_assert_str_eq(l.items[2].reason_description, "User stopped marketing messages");
	ck_assert_int_eq(l.items[3].reason_code, 131047);
	ck_assert_str_eq(l.items[3].reason_description, "Re-engagement message");
	ck_assert_int_eq(l.items[3].count, 1);
	/* the groups add up to the summary's failed count */
	ck_assert_int_eq(4 + 2 + 2 + 1, summary_count(&f, camp, "failed"));
	ccon_failure_group_list_free(&l);

	/* paging: total is the number of groups on every page */
	expect_groups(&f, camp, 0, 1, 2, 4, "131049:2 131050:2");
	expect_groups(&f, camp, 0, 3, 100, 4, "131047:1");
	expect_groups(&f, camp, 0, 4, 1, 4, "");
	expect_groups(&f, camp, 0, 999999999999, -1, 4, "");
	server_destroy(&f.s);
}
END_TEST

/* Failures without a code (none stored, or a text that is not a number)
 * make one group without reasonCode, after the coded groups of its size;
 * each group's description is its most frequent one (ties: the smallest). */
START_TEST(codeless_failures_one_group)
{
	struct ccon_failure_group_list l;
	struct query q = { CCON_ROUTE_AUDIENCE, 0, 0, "failed", -1, -1, -1 };
	struct fixture f;
	char got[512];

	setup(&f);
	finished_mix(&f, &q.campaign);
	db_exec(&f, "UPDATE recipients SET status = 'failed', reason_code = NULL, "
	            "reason_description = 'Other' WHERE recipient LIKE '%01';"
	            "UPDATE recipients SET status = 'failed', reason_code = 'E-7', "
	            "reason_description = 'Carrier said no' WHERE recipient LIKE '%02';"
	            "UPDATE recipients SET status = 'failed', reason_code = '131026', "
	            "reason_description = 'Undeliverable, said otherwise' "
	            "WHERE recipient LIKE '%65';");
	failures(&f, q.campaign, 0, -1, -1, &l);
	groups_text(&l, got, sizeof(got));
	ck_assert_str_eq(got, "131026:5 131049:2 131050:2 -:2 131047:1");
	ck_assert_str_eq(l.items[0].reason_description, "Message undeliverable");
	ck_assert(!l.items[3].has_code);
	ck_assert_str_eq(l.items[3].reason_description, "Carrier said no");
	ccon_failure_group_list_free(&l);
	/* the audience shows them without a code too */
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 12);
	ck_assert_ptr_nonnull(strstr(got, "01:failed:-"));
	ck_assert_ptr_nonnull(strstr(got, "02:failed:-"));
	server_destroy(&f.s);
}
END_TEST

START_TEST(no_failures_no_groups)
{
	static const int good[] = { 1, 2, 65 };
	struct fixture f;
	int64_t camp;

	setup(&f);
	camp = create_campaign(&f);

	/* a campaign never sent, then one where nobody failed */
	expect_groups(&f, camp, 0, -1, -1, 0, "");
	send_to(&f, camp, good, 3, 0);
	expect_groups(&f, camp, 0, -1, -1, 0, "");
	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_groups(&f, camp, 0, -1, -1, 0, "");
	server_destroy(&f.s);
}
END_TEST

/* Before the channel reports them, 47 and 49 are processed: the groups
 * follow the recipients as their statuses move. */
START_TEST(groups_follow_the_dispatch)
{
	struct fixture f;
	int64_t camp;

	setup(&f);
	camp = create_campaign(&f);
	send_to(&f, camp, mix, N_MIX, 0);
	expect_groups(&f, camp, 0, -1, -1, 0, "");
	server_clock_advance(&f.s, f.bearer, "PT1S");
	expect_groups(&f, camp, 0, -1, -1, 2, "131026:4 131050:2");
	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_groups(&f, camp, 0, -1, -1, 4, MIX_GROUPS);
	server_destroy(&f.s);
}
END_TEST

START_TEST(filters_on_audience_and_report)
{
	static const char *const statuses[] = { "pending", "processed", "received", "read",
	                                        "failed", "canceled" };
	struct query q = { CCON_ROUTE_AUDIENCE, 0, 0, "failed", 131026, -1, -1 };
	struct fixture f;
	char got[512];
	int64_t sum = 0;

	setup(&f);
	finished_mix(&f, &q.campaign);

	/* one code: its recipients in insertion order, total as the group */
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 4);
	ck_assert_str_eq(got, "13:failed:131026 13:failed:131026 13:failed:131026 "
	                      "13:failed:131026");
	expect_report(&f, &q, 4, 4);
	/* paged: the total counts the filtered rows on every page */
	q.take = 3;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 4);
	ck_assert_int_eq(strlen(got), strlen("13:failed:131026") * 3 + 2);
	expect_report(&f, &q, 4, 3);
	q.skip = 3;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 4);
	ck_assert_str_eq(got, "13:failed:131026");
	expect_report(&f, &q, 4, 1);
	q.skip = 4;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 4);
	ck_assert_str_eq(got, "");

	/* a code alone selects failed recipients */
	q.skip = q.take = -1;
	q.status = NULL;
	q.code = 131049;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 2);
	ck_assert_str_eq(got, "49:failed:131049 49:failed:131049");
	q.code = 999;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 0);
	/* a code with another status matches nothing */
	q.status = "read";
	q.code = 131026;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 0);
	expect_report(&f, &q, 0, 0);

	/* a status alone: every failure, in insertion order */
	q.status = "failed";
	q.code = -1;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 9);
	ck_assert_str_eq(got, "13:failed:131026 49:failed:131049 50:failed:131050 "
	                      "13:failed:131026 47:failed:131047 13:failed:131026 "
	                      "50:failed:131050 49:failed:131049 13:failed:131026");
	q.status = "received";
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 1);
	ck_assert_str_eq(got, "65:received:-");
	q.status = "read";
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 2);
	ck_assert_str_eq(got, "01:read:- 02:read:-");
	expect_report(&f, &q, 2, 2);

	/* each status's total is the summary's count; together the audience */
	for (int i = 0; i < 6; i++) {
		q.status = statuses[i];
		sum += audience_text(&f, &q, got, sizeof(got));
		ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)),
		                 summary_count(&f, q.campaign, statuses[i]));
	}
	ck_assert_int_eq(sum, N_MIX);
	server_destroy(&f.s);
}
END_TEST

/* Another send of the same campaign: the campaign's groups add both,
 * taskId narrows groups and filters to one. */
START_TEST(task_narrows_groups_and_filters)
{
	static const int more[] = { 50, 13, 50, 1 };
	struct query q = { CCON_ROUTE_AUDIENCE, 0, 0, "failed", -1, -1, -1 };
	struct fixture f;
	int64_t t1, t2;
	char got[512];

	setup(&f);
	t1 = finished_mix(&f, &q.campaign);
	t2 = send_to(&f, q.campaign, more, 4, 100);
	server_clock_advance(&f.s, f.bearer, "PT1H");

	expect_groups(&f, q.campaign, 0, -1, -1, 4, "131026:5 131050:4 131049:2 131047:1");
	expect_groups(&f, q.campaign, t1, -1, -1, 4, MIX_GROUPS);
	expect_groups(&f, q.campaign, t2, -1, -1, 2, "131050:2 131026:1");
	expect_groups(&f, q.campaign, t2, 1, 1, 2, "131026:1");

	q.task = t2;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 3);
	ck_assert_str_eq(got, "50:failed:131050 13:failed:131026 50:failed:131050");
	q.code = 131050;
	q.take = 1;
	q.skip = 1;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 2);
	ck_assert_str_eq(got, "50:failed:131050");
	expect_report(&f, &q, 2, 1);
	q.task = 0;
	q.take = q.skip = -1;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 4);
	q.status = "read";
	q.code = -1;
	q.task = t2;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 1);
	ck_assert_str_eq(got, "01:read:-");
	server_destroy(&f.s);
}
END_TEST

/* After retry-failed, the campaign's groups and filters count each
 * recipient's latest attempt; a task's read shows all of its rows. */
START_TEST(retry_counts_latest_attempts)
{
	struct query q = { CCON_ROUTE_AUDIENCE, 0, 0, "failed", 131026, -1, -1 };
	struct ccon_audience_page p;
	struct fixture f;
	int64_t t1, t2;
	char got[512], task[24];

	setup(&f);
	t1 = finished_mix(&f, &q.campaign);
	/* 13 and 49 are worth a retry: six recipients pending again */
	t2 = retry_failed(&f, q.campaign);
	expect_groups(&f, q.campaign, 0, -1, -1, 2, "131050:2 131047:1");
	expect_groups(&f, q.campaign, t1, -1, -1, 4, MIX_GROUPS);
	expect_groups(&f, q.campaign, t2, -1, -1, 0, "");
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 0);
	q.status = "pending";
	q.code = -1;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 6);
	ck_assert_str_eq(got, "13:pending:- 49:pending:- 13:pending:- 13:pending:- "
	                      "49:pending:- 13:pending:-");

	/* they fail again, with the same reasons */
	server_clock_advance(&f.s, f.bearer, "PT1H");
	expect_groups(&f, q.campaign, 0, -1, -1, 4, MIX_GROUPS);
	expect_groups(&f, q.campaign, t1, -1, -1, 4, MIX_GROUPS);
	expect_groups(&f, q.campaign, t2, -1, -1, 2, "131026:4 131049:2");
	q.status = "failed";
	q.code = 131026;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 4);
	expect_report(&f, &q, 4, 4);
	/* the latest attempts are the retry's */
	audience(&f, &q, &p);
	snprintf(task, sizeof(task), "%lld", (long long)t2);
	for (size_t i = 0; i < p.count; i++)
		ck_assert_str_eq(p.items[i].task_id, task);
	ccon_audience_page_free(&p);
	/* the first task's rows, superseded ones included, in insertion order */
	q.task = t1;
	q.code = -1;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 9);
	ck_assert_str_eq(got, "13:failed:131026 49:failed:131049 50:failed:131050 "
	                      "13:failed:131026 47:failed:131047 13:failed:131026 "
	                      "50:failed:131050 49:failed:131049 13:failed:131026");
	q.code = 131049;
	q.skip = 1;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), 2);
	ck_assert_str_eq(got, "49:failed:131049");
	expect_report(&f, &q, 2, 1);
	/* unfiltered, the audience still lists every attempt */
	q.task = 0;
	q.status = NULL;
	q.code = q.skip = -1;
	ck_assert_int_eq(audience_text(&f, &q, got, sizeof(got)), N_MIX + 6);
	server_destroy(&f.s);
}
END_TEST

START_TEST(another_applications_campaign)
{
	struct fixture f;
	int64_t other_app, camp, mine;
	char other_key[64], other_bearer[96], uri[128];

	setup(&f);
	finished_mix(&f, &mine);
	server_create_app(&f.s, "other", &other_app, other_key, sizeof(other_key));
	snprintf(other_bearer, sizeof(other_bearer), "Bearer %s", other_key);
	camp = create_campaign_as(&f, other_app, other_bearer);
	snprintf(uri, sizeof(uri), "/campaigns/%lld/failures", (long long)camp);
	expect_failure(&f, uri, 404, "not_found", "uri");
	snprintf(uri, sizeof(uri), "/audiences/%lld?status=failed&reasonCode=131026",
	         (long long)camp);
	expect_failure(&f, uri, 404, "not_found", "uri");
	snprintf(uri, sizeof(uri), "/campaigns/999999/failures");
	expect_failure(&f, uri, 404, "not_found", "uri");
	/* a task of another campaign */
	snprintf(uri, sizeof(uri), "/campaigns/%lld/failures?taskId=999999", (long long)mine);
	expect_failure(&f, uri, 404, "not_found", "uri.taskId");
	snprintf(uri, sizeof(uri), "/campaigns/%lld/failures?taskId=x", (long long)mine);
	expect_failure(&f, uri, 400, "invalid_value", "uri.taskId");
	/* the route takes get only */
	snprintf(uri, sizeof(uri), "/campaigns/%lld/failures", (long long)mine);
	expect_failure_of(&f, "set", uri, 405, "method_not_allowed", "method");
	server_destroy(&f.s);
}
END_TEST

START_TEST(bad_filter_values)
{
	static const struct {
		const char *query;
		const char *error;
		const char *path;
	} cases[] = {
		{ "status=sent", "invalid_value", "uri.status" },
		{ "status=", "invalid_value", "uri.status" },
		{ "status=failed,read", "invalid_value", "uri.status" },
		{ "status=failed&status=read", "invalid_value", "uri.status" },
		{ "status=%1B%5B2J", "invalid_value", "uri.status" },
		{ "reasonCode=abc", "invalid_value", "uri.reasonCode" },
		{ "reasonCode=-131026", "invalid_value", "uri.reasonCode" },
		{ "reasonCode=1e5", "invalid_value", "uri.reasonCode" },
		{ "reasonCode=", "invalid_value", "uri.reasonCode" },
		{ "reasonCode=99999999999999999999", "out_of_range", "uri.reasonCode" },
		{ "reasonCode=1&reasonCode=2", "invalid_value", "uri.reasonCode" },
		{ "status=failed&$take=0", "out_of_range", "uri.$take" },
	};
	static const char *const routes[] = { "/audiences/", "/campaigns/" };
	static const char *const tails[] = { "", "/reports" };
	struct fixture f;
	int64_t camp;
	char uri[160];

	setup(&f);
	finished_mix(&f, &camp);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (size_t j = 0; j < 2; j++) {
			snprintf(uri, sizeof(uri), "%s%lld%s?%s", routes[j], (long long)camp, tails[j],
			         cases[i].query);
			expect_failure(&f, uri, 400, cases[i].error, cases[i].path);
		}
	}
	snprintf(uri, sizeof(uri), "/campaigns/%lld/failures?$skip=-1", (long long)camp);
	expect_failure(&f, uri, 400, "invalid_value", "uri.$skip");
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_failures(void)
{
	Suite *s = suite_create("failures");
	TCase *tc = tcase_create("failures");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, groups_by_code_largest_first);
	tcase_add_test(tc, codeless_failures_one_group);
	tcase_add_test(tc, no_failures_no_groups);
	tcase_add_test(tc, groups_follow_the_dispatch);
	tcase_add_test(tc, filters_on_audience_and_report);
	tcase_add_test(tc, task_narrows_groups_and_filters);
	tcase_add_test(tc, retry_counts_latest_attempts);
	tcase_add_test(tc, another_applications_campaign);
	tcase_add_test(tc, bad_filter_values);
	suite_add_tcase(s, tc);
	return s;
}
