/* ccond_case.c - ccond sends under faults: the engine in process on a
 * scratch store (the manual clock, one worker), built with
 * tests/fuzz/ccond_shim.c instead of http.c and libmicrohttpd, each
 * request handed to the engine's struct http_app as http.c does. Two
 * sends: POST .../send with three contacts (JSON) and POST .../send/csv
 * with three rows (multipart), once with the layout first and once with
 * the file first (then the file part is spooled to a file and read back). For every plan and every N, the faulted request, then:
 *   - its answer is a 2xx, or one of ccond(8)'s error statuses with ccond's
 *     error object (code and message) as the body;
 *   - the store holds the whole send (a task and its three recipients)
 *     after a 2xx and none of it after an error (rows counted);
 *   - PRAGMA integrity_check says ok and foreign_key_check finds nothing;
 *   - the same request again, with the same Idempotency-Key and no fault,
 *     succeeds: it adds the send when the faulted one failed, and nothing
 *     when it had succeeded.
 * Leaks: the engine is stopped at the end, LeakSanitizer (the ASan build)
 * sees the rest. */
#include "config.h"

#include "faultinj.h"

#include "../fuzz/ccond_shim.h"
#include "../../src/server/ccond.h"

#include <ccon/codec_error.h>
#include <ccon/json_util.h>
#include <ccon/strbuf.h>

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BODY (1u << 20)
#define BOUNDARY "faultinj-boundary-7"
#define MAX_N 200000ul

static char data_dir[512], key[CCOND_KEY_SIZE], bearer[CCOND_KEY_SIZE + 16];
static char send_path[160], csv_path[168];
static int64_t app_id, campaign_id;
static struct ccond *server;
static sqlite3 *check_db;

static const char send_body[] =
	"{\"contacts\":["
	"{\"contactCode\":\"34666000001\",\"channelType\":\"cloud_api\","
	"\"customFields\":{\"name\":\"Ann\",\"ticketId\":\"1\"}},"
	"{\"contactCode\":\"34666000002\",\"channelType\":\"cloud_api\","
	"\"customFields\":{\"name\":\"Bob\",\"ticketId\":\"2\"}},"
	"{\"contactCode\":\"34666000003\",\"channelType\":\"cloud_api\","
	"\"customFields\":{\"name\":\"Cid\",\"ticketId\":\"3\"}}]}";

static const char csv_layout[] =
	"{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"},"
	"\"customFields\":{\"name\":\"{{name}}\",\"ticketId\":\"{{ticket}}\"}}";

static const char csv_file[] =
	"phone,name,ticket\n"
	"34666000011,Dee,11\n"
	"34666000012,Eli,12\n"
	"34666000013,Fay,13\n";

static const struct plan send_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_STEP, FI_FAIL, false, false },
	{ FI_STEP, FI_ENOSPC, false, false },
	{ FI_STORE_WRITE, FI_ENOSPC, false, false },
	{ FI_STORE_WRITE, FI_FAIL, false, false },
	{ FI_STORE_READ, FI_FAIL, false, true },
	{ FI_STORE_SYNC, FI_FAIL, false, true },
};

static const struct plan csv_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_STEP, FI_FAIL, false, false },
	{ FI_STORE_WRITE, FI_ENOSPC, false, false },
};

/* the file part before the layout: spooled to a file, read back */
static const struct plan spool_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_WRITE, FI_ENOSPC, false, false },
	{ FI_WRITE, FI_FAIL, false, false },
	{ FI_READ, FI_FAIL, false, false },
	{ FI_READ, FI_SHORT, false, false },
	{ FI_READ, FI_EINTR, true, false },
};

/* ------------------------------------------------------------- requests */

struct answer {
	unsigned status;
	struct ccon_strbuf body;
};

/* One request through the engine, as http.c hands it over; body in chunks
 * of 700 bytes (a streamed CSV upload sees several). Fault injection, when
 * armed, covers it all. */
static void request(const char *method, const char *path, const char *content_type,
                    const char *idempotency_key, const char *body, struct answer *a)
{
	const struct http_app *app = shim_http_app();
	const char *names[4], *values[4];
	size_t n = 0, len = strlen(body);
	struct MHD_Connection conn;
	struct http_request *req;
	struct http_response resp;

	fi_pause();
	req = calloc(1, sizeof(*req));
	if (!req)
		abort();
	fi_resume();
	names[n] = "Authorization";
	values[n++] = bearer;
	if (content_type) {
		names[n] = "Content-Type";
		values[n++] = content_type;
	}
	if (idempotency_key) {
		names[n] = "Idempotency-Key";
		values[n++] = idempotency_key;
	}
	memset(&conn, 0, sizeof(conn));
	conn.header_names = names;
	conn.header_values = values;
	conn.n_headers = n;
	req->conn = &conn;
	req->method = method;
	req->path = path;
	req->content_type = content_type;
	req->authorization = bearer;
	req->idempotency_key = idempotency_key;
	req->begun = true;
	app->begin(app->ctx, req);
	for (size_t at = 0; at < len;) {
		size_t k = len - at < 700 ? len - at : 700;

		if (req->stream) {
			app->body(app->ctx, req, body + at, k);
		} else if (!req->body_too_large) {
			if (req->body.len + k > MAX_BODY ||
			    ccon_strbuf_append(&req->body, body + at, k) < 0) {
				req->body_too_large = true;
				ccon_strbuf_free(&req->body);
			}
		}
		at += k;
	}
	resp.status = 500;
	resp.content_type = NULL;
	ccon_strbuf_init(&resp.body);
	app->end(app->ctx, req, &resp);
	if (req->route_state_free)
		req->route_state_free(req->route_state);
	ccon_strbuf_free(&req->body);
	free(req);
	a->status = resp.status ? resp.status : 500;
	a->body = resp.body;
}

/* ----------------------------------------------------------- the checks */

static int64_t count(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(check_db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct rows {
	int64_t tasks, recipients;
};

static void rows_now(struct rows *r)
{
	r->tasks = count("SELECT count(*) FROM tasks");
	r->recipients = count("SELECT count(*) FROM recipients");
}

/* NULL when the store is consistent, else what is wrong (static). */
static const char *store_problem(void)
{
	static char what[256];
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(check_db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return sqlite3_errmsg(check_db);
	rc = sqlite3_step(st);
	snprintf(what, sizeof(what), "integrity_check: %s",
	         rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(check_db));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW || strcmp(what, "integrity_check: ok") != 0)
		return what;
	if (sqlite3_prepare_v2(check_db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return sqlite3_errmsg(check_db);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return "foreign_key_check finds rows";
	return NULL;
}

static bool status_error(unsigned s)
{
	static const unsigned ok[] = { 400, 401, 404, 405, 409, 413, 415, 422, 500, 503 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (s == ok[i])
			return true;
	return false;
}

/* NULL when the answer is ccond's error object, else why not. */
static const char *not_error_object(const struct answer *a)
{
	struct ccon_api_error ae;
	struct ccon_error err = { 0 };
	cJSON *j = NULL;
	const char *why = NULL;

	if (!status_error(a->status))
		return "a status ccond(8) does not document";
	if (ccon_json_parse(a->body.len ? a->body.buf : "", a->body.len, &j, &err) < 0)
		return "the body is not JSON";
	if (ccon_api_error_decode(j, &ae, &err) < 0 || !ae.code[0] || !ae.error.message[0])
		why = "the body is not ccond's error object";
	cJSON_Delete(j);
	return why;
}

/* NULL when a 2xx answer is the whole answer of a send of three (taskId,
 * status, recipients.accepted 3, slicing.plan counting 3), else what is
 * missing: a fault while it was built must not leave a partial answer. */
static const char *not_whole_answer(const struct answer *a)
{
	const cJSON *rec, *acc, *plan, *share;
	struct ccon_error err;
	const char *why = NULL;
	cJSON *j = NULL;
	double sum = 0;

	if (ccon_json_parse(a->body.len ? a->body.buf : "", a->body.len, &j, &err) < 0)
		return "the body is not JSON";
	rec = cJSON_GetObjectItemCaseSensitive(j, "recipients");
	acc = cJSON_GetObjectItemCaseSensitive(rec, "accepted");
	plan = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "slicing"),
	                                        "plan");
	cJSON_ArrayForEach(share, plan)
		sum += cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(share, "count"));
	if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "taskId")) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "status")))
		why = "no taskId or status";
	else if (!cJSON_IsNumber(acc) || acc->valuedouble != 3)
		why = "recipients.accepted is not 3";
	else if (!cJSON_IsArray(plan) || sum != 3)
		why = "slicing.plan does not count 3 recipients";
	cJSON_Delete(j);
	return why;
}

/* ------------------------------------------------------------ the loops */

struct send_kind {
	const char *name;
	const char *path, *content_type, *body;
	const struct plan *plans;
	size_t n_plans;
};

static char *csv_form, *spool_form;

static char *build_form(bool file_first)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char *s;

	for (int part = 0; part < 2; part++) {
		if ((part == 0) == file_first)
			ccon_strbuf_printf(&sb, "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
			                   "filename=\"contacts.csv\"\r\nContent-Type: text/csv\r\n\r\n"
			                   "%s\r\n", BOUNDARY, csv_file);
		else
			ccon_strbuf_printf(&sb, "--%s\r\nContent-Disposition: form-data; "
			                   "name=\"layout\"\r\n\r\n%s\r\n", BOUNDARY, csv_layout);
	}
	ccon_strbuf_printf(&sb, "--%s--\r\n", BOUNDARY);
	s = ccon_strbuf_detach(&sb);
	if (!s)
		abort();
	return s;
}

/* One N of one plan: false when the fault did not fire (N is past the
 * last call of the kind). */
static bool one(const struct send_kind *k, const struct plan *p, unsigned long at,
                unsigned *failures)
{
	char idem[96];
	struct answer a, b;
	struct rows r0, r1, r2;
	const char *why;
	bool fired, ok;

	snprintf(idem, sizeof(idem), "fi-%s-%s-%s-%lu", k->name, fi_kind_name(p->kind),
	         fi_effect_name(p->effect), at);
	for (char *c = idem; *c; c++)
		if (*c == ' ' || *c == '/')
			*c = '_';
	snprintf(fi_where, sizeof(fi_where), "%s, %s %s, N=%lu", k->name, fi_kind_name(p->kind),
	         fi_effect_name(p->effect), at);
	alarm(120);
	rows_now(&r0);
	fi_arm(p->kind, p->effect, at);
	request("POST", k->path, k->content_type, idem, k->body, &a);
	fired = fi_disarm();
	ok = a.status >= 200 && a.status < 300;
	rows_now(&r1);
	if (fi_verbose)
		fprintf(stderr, "  N=%lu fired=%d %u %.200s\n", at, fired, a.status,
		        a.body.len ? a.body.buf : "");
	if (!ok && (why = not_error_object(&a)))
		fi_fail(failures, "%s: N=%lu: %s: %u %.300s", k->name, at, why, a.status,
		        a.body.len ? a.body.buf : "");
	if (ok && (why = not_whole_answer(&a)))
		fi_fail(failures, "%s: N=%lu: answered %u, but %s: %.300s", k->name, at, a.status, why,
		        a.body.buf);
	if (ok && (r1.tasks != r0.tasks + 1 || r1.recipients != r0.recipients + 3))
		fi_fail(failures, "%s: N=%lu: answered %u but the store holds %" PRId64
		        " tasks and %" PRId64 " recipients more (1 and 3 expected)", k->name, at,
		        a.status, r1.tasks - r0.tasks, r1.recipients - r0.recipients);
	if (!ok && (r1.tasks != r0.tasks || r1.recipients != r0.recipients))
		fi_fail(failures, "%s: N=%lu: answered %u (%.200s) but the store holds %" PRId64
		        " tasks and %" PRId64 " recipients more (none expected)", k->name, at,
		        a.status, a.body.len ? a.body.buf : "", r1.tasks - r0.tasks,
		        r1.recipients - r0.recipients);
	if (p->must_succeed && fired && !ok)
		fi_fail(failures, "%s: N=%lu: %s must be survived, answered %u %.200s", k->name, at,
		        fi_effect_name(p->effect), a.status, a.body.len ? a.body.buf : "");
	if ((why = store_problem()))
		fi_fail(failures, "%s: N=%lu: the store after the fault: %s", k->name, at, why);
	/* the same request again, no fault */
	request("POST", k->path, k->content_type, idem, k->body, &b);
	rows_now(&r2);
	if (b.status < 200 || b.status >= 300)
		fi_fail(failures, "%s: N=%lu: the request after the fault failed: %u %.300s", k->name,
		        at, b.status, b.body.len ? b.body.buf : "");
	else if ((why = not_whole_answer(&b)))
		fi_fail(failures, "%s: N=%lu: the request again answered %u, but %s: %.300s", k->name,
		        at, b.status, why, b.body.buf);
	else if (r2.tasks - r1.tasks != (ok ? 0 : 1) || r2.recipients - r1.recipients != (ok ? 0 : 3))
		fi_fail(failures, "%s: N=%lu: the request again (same Idempotency-Key, the first %s) "
		        "added %" PRId64 " tasks and %" PRId64 " recipients", k->name, at,
		        ok ? "succeeded" : "failed", r2.tasks - r1.tasks, r2.recipients - r1.recipients);
	ccon_strbuf_free(&a.body);
	ccon_strbuf_free(&b.body);
	return fired;
}

static void run_kind(const struct send_kind *k, unsigned *failures, int only_kind,
                     unsigned long only_at)
{
	for (size_t i = 0; i < k->n_plans; i++) {
		const struct plan *p = &k->plans[i];
		unsigned before = *failures;
		unsigned long at, fired = 0;

		if (only_kind != FI__KINDS && (int)p->kind != only_kind)
			continue;
		for (at = only_at ? only_at : 1; at < MAX_N && *failures - before < 5; at++) {
			if (!one(k, p, at, failures))
				break;
			fired++;
			if (only_at)
				break;
		}
		printf("%s %s: %s %s: %lu faults%s\n", *failures == before ? "ok  " : "FAIL",
		       k->name, fi_kind_name(p->kind), fi_effect_name(p->effect), fired,
		       fired == 0 && !only_at && !p->may_not_fire ? " (never fired!)" : "");
		if (fired == 0 && !only_at && !p->may_not_fire)
			(*failures)++;
		fflush(stdout);
	}
}

static int64_t create_campaign(void)
{
	static const char body[] = "{\"name\":\"faultinj\",\"channel\":\"whatsapp\","
	                           "\"templateName\":\"promo_v1\","
	                           "\"templateBody\":\"Hi {{name}}, ticket {{ticketId}}\"}";
	char path[96];
	struct answer a;
	cJSON *j = NULL;
	struct ccon_error err;
	int64_t id = -1;

	snprintf(path, sizeof(path), "/v1/applications/%" PRId64 "/campaigns", app_id);
	request("POST", path, "application/json", NULL, body, &a);
	if (a.status == 201 && ccon_json_parse(a.body.buf, a.body.len, &j, &err) == 0 &&
	    cJSON_IsNumber(cJSON_GetObjectItem(j, "id")))
		id = (int64_t)cJSON_GetObjectItem(j, "id")->valuedouble;
	else
		fprintf(stderr, "faultinj: campaign create: %u %s\n", a.status,
		        a.body.len ? a.body.buf : "");
	cJSON_Delete(j);
	ccon_strbuf_free(&a.body);
	return id;
}

#define SEND_NAME "ccond send"
#define CSV_NAME "ccond send/csv"
#define SPOOL_NAME "ccond send/csv (file before layout: spooled)"

void ccond_case(unsigned *failures, const char *only, int only_kind, unsigned long only_at)
{
	struct ccond_config cfg = { 0 };
	struct ccon_error err = { 0 };
	char db_path[600], ct[96];

	if (only && !strstr(SEND_NAME, only) && !strstr(CSV_NAME, only) && !strstr(SPOOL_NAME, only))
		return;

	snprintf(data_dir, sizeof(data_dir), "%s/ccond", fi_scratch);
	if (mkdir(data_dir, 0700) < 0 ||
	    ccond_create_app(data_dir, "faultinj", &app_id, key, &err) < 0) {
		fi_fail(failures, "ccond: set-up: %s", err.message[0] ? err.message : data_dir);
		return;
	}
	snprintf(bearer, sizeof(bearer), "Bearer %s", key);
	cfg.data_dir = data_dir;
	cfg.threads = 1;
	cfg.max_body = MAX_BODY;
	cfg.manual_clock = 1;
	if (ccond_start(&cfg, &server, &err) < 0 || !shim_http_app()) {
		fi_fail(failures, "ccond: start: %s", err.message);
		return;
	}
	snprintf(db_path, sizeof(db_path), "%s/ccond.db", data_dir);
	if (sqlite3_open_v2(db_path, &check_db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    (campaign_id = create_campaign()) < 0) {
		fi_fail(failures, "ccond: the store or the campaign: %s", sqlite3_errmsg(check_db));
	} else {
		struct send_kind kinds[3] = {
			{ SEND_NAME, send_path, "application/json", send_body, send_plans,
			  sizeof(send_plans) / sizeof(send_plans[0]) },
			{ CSV_NAME, csv_path, ct, NULL, csv_plans,
			  sizeof(csv_plans) / sizeof(csv_plans[0]) },
			{ SPOOL_NAME, csv_path, ct, NULL,
			  spool_plans, sizeof(spool_plans) / sizeof(spool_plans[0]) },
		};

		sqlite3_busy_timeout(check_db, 10000);
		kinds[1].body = csv_form = build_form(false);
		kinds[2].body = spool_form = build_form(true);
		snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", BOUNDARY);
		snprintf(send_path, sizeof(send_path),
		         "/v1/applications/%" PRId64 "/campaigns/%" PRId64 "/send", app_id,
		         campaign_id);
		snprintf(csv_path, sizeof(csv_path), "%s/csv", send_path);
		for (size_t i = 0; i < 3; i++)
			if (!only || strstr(kinds[i].name, only))
				run_kind(&kinds[i], failures, only_kind, only_at);
		free(csv_form);
		free(spool_form);
	}
	sqlite3_close(check_db);
	ccond_stop(server);
}
