/* ccond_case.c - ccond under faults: the engine in process on a scratch
 * store (the manual clock, one worker), built with tests/fuzz/ccond_shim.c
 * instead of http.c and libmicrohttpd, each request handed to the
 * engine's struct http_app as http.c does.
 *
 * The sends: POST .../send with three contacts (JSON), POST .../send/csv
 * with three rows (multipart), once with the layout first and once with
 * the file first (then the file part is spooled to a file and read back),
 * the command envelope (POST /commands, set /campaign/full: a Batch of
 * three), the transactional SMS send (three contacts) and one WhatsApp
 * message. For every plan and every N, the faulted request, then:
 *   - its answer is a success, or one of ccond(8)'s error statuses with
 *     ccond's error object (code and message) as the body; for the
 *     envelope, HTTP 200 with status "failure" and reason {code,
 *     description, error};
 *   - the store holds the whole send after a success and none of it after
 *     an error (tasks, recipients, campaigns and contacts counted against
 *     what a send without faults adds);
 *   - PRAGMA integrity_check says ok and foreign_key_check finds nothing;
 *   - the same request again, with the same Idempotency-Key and no fault,
 *     succeeds: it adds the send when the faulted one failed, and nothing
 *     when it had succeeded, answering then exactly the first answer.
 *
 * The dispatcher, on a store of its own: a send of four recipients (sent
 * and read, refused at send, rate-limited twice then sent, failed after
 * it was processed), then the manual clock moved an hour on (the clock
 * route runs the dispatcher in the request) with the fault; then:
 *   - the store passes the checks above, no recipient is both pending and
 *     sent (a processed/failed time or a slot count for a pending one),
 *     every sent one was handed to the channel (the sim ledger has its
 *     key), no recipient was accepted by the channel twice, each task's
 *     events_left counts its recipients still waiting for a status;
 *   - the same clock request again without the fault finishes the job:
 *     the task is done and every recipient ends exactly as in the run
 *     without faults (status, reason, attempts, times from the send).
 * Leaks: the engine is stopped at the end, LeakSanitizer (the ASan build)
 * sees the rest. */
#include "config.h"

#include "faultinj.h"

#include "../fuzz/ccond_shim.h"
#include "../../src/server/ccond.h"

#include <ccon/codec_error.h>
#include <ccon/datetime.h>
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
static char key_auth[CCOND_KEY_SIZE + 16];
static char send_path[160], csv_path[168], tx_body[1024];
static int64_t app_id, campaign_id, sms_campaign_id;
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

/* seed 002: a Batch campaign of three (it_commands.c's body, widened) */
static const char envelope_body[] =
	"{\"id\":\"fi-1\",\"method\":\"set\",\"uri\":\"/campaign/full\","
	"\"resource\":{\"campaign\":{\"name\":\"faultinj\",\"campaignType\":\"Batch\"},"
	"\"audiences\":[{\"recipient\":\"+5531999990001\"},{\"recipient\":\"+5531999990002\"},"
	"{\"recipient\":\"+5531999990003\"}],\"message\":{\"messageTemplate\":\"t\"}}}";

/* seed 003, with its three kinds of contact (it_transactional.c's
 * tx_seed_example); the campaign id is filled in */
#define TX_CONTACTS \
	"{\"phoneNumber\":\"611111111\",\"countryCode\":\"34\"," TX_FIELDS \
	",\"externalReference\":\"ref-1\",\"originData\":{\"crm\":\"x\"}}," \
	"{\"e164\":\"+34622222222\"," TX_FIELDS "}," \
	"{\"externalCode\":\"cust-3\",\"phoneNumber\":\"+34633333333\"," TX_FIELDS "}"
#define TX_FIELDS "\"customFields\":{\"name\":\"Ana\",\"code\":\"1234\"}"

/* seed 004: one message */
static const char wa_body[] =
	"{\"from\":\"+34600000000\",\"to\":\"0034611111111\",\"text\":\"Hola \\u00f1\","
	"\"image\":\"https://example.com/a.png\",\"caption\":\"a caption\"}";

static const struct plan send_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_STEP, FI_FAIL, false, false },
	{ FI_STEP, FI_ENOSPC, false, false },
	{ FI_STORE_WRITE, FI_ENOSPC, false, false },
	{ FI_STORE_WRITE, FI_FAIL, false, false },
	{ FI_STORE_READ, FI_FAIL, false, true },
	{ FI_STORE_SYNC, FI_FAIL, false, true },
};

/* the other sends: the same, the store's reads and syncs left to send */
static const struct plan other_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_STEP, FI_FAIL, false, false },
	{ FI_STORE_WRITE, FI_ENOSPC, false, false },
	{ FI_STORE_WRITE, FI_FAIL, false, false },
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

/* the dispatcher: the store's steps and writes, and its allocations (an
 * hour of dispatch makes about 800) */
static const struct plan dispatch_plans[] = {
	{ FI_STEP, FI_FAIL, false, false },
	{ FI_STORE_WRITE, FI_FAIL, false, false },
	{ FI_STORE_WRITE, FI_ENOSPC, false, false },
	{ FI_ALLOC, FI_FAIL, false, false },
};

/* ------------------------------------------------------------- requests */

struct answer {
	unsigned status;
	struct ccon_strbuf body;
};

/* One request through the engine, as http.c hands it over (auth: the
 * Authorization header, "Bearer KEY" or, for /commands, "Key KEY"); body in chunks
 * of 700 bytes (a streamed CSV upload sees several). Fault injection, when
 * armed, covers it all. */
static void request(const char *method, const char *path, const char *auth,
                    const char *content_type, const char *idempotency_key, const char *body,
                    struct answer *a)
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
	values[n++] = auth;
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
	req->authorization = auth;
	req->idempotency_key = idempotency_key;
	req->begun = true;
	app->begin(app->ctx, req);
	for (size_t at = 0; at < len;) {
		size_t k = len - at < 700 ? len - at : 700;

		http_request_chunk(app, req, body + at, k, MAX_BODY);
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
	int64_t tasks, recipients, campaigns, contacts;
};

static void rows_now(struct rows *r)
{
	r->tasks = count("SELECT count(*) FROM tasks");
	r->recipients = count("SELECT count(*) FROM recipients");
	r->campaigns = count("SELECT count(*) FROM campaigns");
	r->contacts = count("SELECT count(*) FROM contacts");
}

/* b - a == d (d NULL: nothing) */
static bool rows_added(const struct rows *a, const struct rows *b, const struct rows *d)
{
	static const struct rows none = { 0, 0, 0, 0 };

	if (!d)
		d = &none;
	return b->tasks - a->tasks == d->tasks && b->recipients - a->recipients == d->recipients &&
	       b->campaigns - a->campaigns == d->campaigns && b->contacts - a->contacts == d->contacts;
}

static void rows_text(const struct rows *a, const struct rows *b, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRId64 " tasks, %" PRId64 " recipients, %" PRId64 " campaigns, %"
	         PRId64 " contacts", b->tasks - a->tasks, b->recipients - a->recipients,
	         b->campaigns - a->campaigns, b->contacts - a->contacts);
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

/* seed 004's answer: {"trackingId":"wa-N","createdAt":"...Z"} */
static const char *not_whole_wa(const struct answer *a)
{
	const cJSON *id, *at;
	struct ccon_error err;
	const char *why = NULL;
	cJSON *j = NULL;

	if (ccon_json_parse(a->body.len ? a->body.buf : "", a->body.len, &j, &err) < 0)
		return "the body is not JSON";
	id = cJSON_GetObjectItemCaseSensitive(j, "trackingId");
	at = cJSON_GetObjectItemCaseSensitive(j, "createdAt");
	if (!cJSON_IsString(id) || strncmp(id->valuestring, "wa-", 3) != 0 || !id->valuestring[3])
		why = "no trackingId wa-N";
	else if (!cJSON_IsString(at) || !at->valuestring[0])
		why = "no createdAt";
	cJSON_Delete(j);
	return why;
}

static bool rest_succeeded(const struct answer *a)
{
	return a->status >= 200 && a->status < 300;
}

/* The envelope: true for HTTP 200 with status "success"; *json receives
 * the body (NULL when it is not JSON). */
static bool envelope_status(const struct answer *a, cJSON **json, const char *want)
{
	struct ccon_error err;
	const cJSON *st;

	*json = NULL;
	if (ccon_json_parse(a->body.len ? a->body.buf : "", a->body.len, json, &err) < 0)
		return false;
	st = cJSON_GetObjectItemCaseSensitive(*json, "status");
	return a->status == 200 && cJSON_IsString(st) && strcmp(st->valuestring, want) == 0;
}

static bool envelope_succeeded(const struct answer *a)
{
	cJSON *j;
	bool ok = envelope_status(a, &j, "success");

	cJSON_Delete(j);
	return ok;
}

/* set /campaign/full's answer: the campaign, its id, in the resource */
static const char *not_whole_envelope(const struct answer *a)
{
	const cJSON *res, *id;
	const char *why = NULL;
	cJSON *j;

	if (!envelope_status(a, &j, "success"))
		why = "not a success envelope";
	res = cJSON_GetObjectItemCaseSensitive(j, "resource");
	id = cJSON_GetObjectItemCaseSensitive(res, "id");
	if (!why && (!cJSON_IsString(id) || !id->valuestring[0]))
		why = "no resource.id";
	cJSON_Delete(j);
	return why;
}

/* A refused command: HTTP 200 with status "failure" and reason {code (one
 * of the HTTP statuses), description, error}, or ccond's error object
 * with one of its statuses (before the envelope: the request refused as
 * the REST routes refuse it; or the answer itself could not be built). */
static const char *not_envelope_failure(const struct answer *a)
{
	const cJSON *reason, *code, *desc, *error;
	const char *why = NULL;
	cJSON *j;

	if (a->status != 200)
		return not_error_object(a);
	if (!envelope_status(a, &j, "failure")) {
		cJSON_Delete(j);
		return "neither success nor failure";
	}
	reason = cJSON_GetObjectItemCaseSensitive(j, "reason");
	code = cJSON_GetObjectItemCaseSensitive(reason, "code");
	desc = cJSON_GetObjectItemCaseSensitive(reason, "description");
	error = cJSON_GetObjectItemCaseSensitive(reason, "error");
	if (!cJSON_IsNumber(code) || !status_error((unsigned)code->valuedouble))
		why = "reason.code is not a documented status";
	else if (!cJSON_IsString(desc) || !desc->valuestring[0])
		why = "no reason.description";
	else if (!cJSON_IsString(error) || !error->valuestring[0])
		why = "no reason.error";
	cJSON_Delete(j);
	return why;
}

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

/* ------------------------------------------------------------ the loops */

struct send_kind {
	const char *name;
	const char *path, *auth, *content_type, *body;
	const struct plan *plans;
	size_t n_plans;
	bool (*succeeded)(const struct answer *a);
	const char *(*not_whole)(const struct answer *a);    /* a success */
	const char *(*not_refusal)(const struct answer *a);  /* anything else */
	struct rows adds;   /* what one send without faults adds to the store */
};

static void idem_key(char *idem, size_t size, const char *prefix, const struct send_kind *k,
                     const struct plan *p, unsigned long at)
{
	snprintf(idem, size, "fi-%s-%s-%s-%s-%lu", prefix, k->name, fi_kind_name(p->kind),
	         fi_effect_name(p->effect), at);
	for (char *c = idem; *c; c++)
		if (*c == ' ' || *c == '/' || *c == '(' || *c == ')' || *c == ':')
			*c = '_';
}

/* One N of one plan: false when the fault did not fire (N is past the
 * last call of the kind). */
static bool one(const struct send_kind *k, const struct plan *p, unsigned long at,
                unsigned *failures)
{
	char idem[160], added[160];
	struct answer a, b;
	struct rows r0, r1, r2;
	const char *why;
	bool fired, ok;

	idem_key(idem, sizeof(idem), "", k, p, at);
	snprintf(fi_where, sizeof(fi_where), "%s, %s %s, N=%lu", k->name, fi_kind_name(p->kind),
	         fi_effect_name(p->effect), at);
	alarm(120);
	rows_now(&r0);
	fi_arm(p->kind, p->effect, at);
	request("POST", k->path, k->auth, k->content_type, idem, k->body, &a);
	fired = fi_disarm();
	ok = k->succeeded(&a);
	rows_now(&r1);
	rows_text(&r0, &r1, added, sizeof(added));
	if (fi_verbose)
		fprintf(stderr, "  N=%lu fired=%d %u %.200s\n", at, fired, a.status,
		        a.body.len ? a.body.buf : "");
	if (!ok && (why = k->not_refusal(&a)))
		fi_fail(failures, "%s: N=%lu: %s: %u %.300s", k->name, at, why, a.status,
		        a.body.len ? a.body.buf : "");
	if (ok && (why = k->not_whole(&a)))
		fi_fail(failures, "%s: N=%lu: answered %u, but %s: %.300s", k->name, at, a.status, why,
		        a.body.buf);
	if (ok && !rows_added(&r0, &r1, &k->adds))
		fi_fail(failures, "%s: N=%lu: answered %u but the store holds %s more (a send "
		        "without faults adds %" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 ")",
		        k->name, at, a.status, added, k->adds.tasks, k->adds.recipients,
		        k->adds.campaigns, k->adds.contacts);
	if (!ok && !rows_added(&r0, &r1, NULL))
		fi_fail(failures, "%s: N=%lu: answered %u (%.200s) but the store holds %s more "
		        "(none expected)", k->name, at, a.status, a.body.len ? a.body.buf : "", added);
	if (p->must_succeed && fired && !ok)
		fi_fail(failures, "%s: N=%lu: %s must be survived, answered %u %.200s", k->name, at,
		        fi_effect_name(p->effect), a.status, a.body.len ? a.body.buf : "");
	if ((why = store_problem()))
		fi_fail(failures, "%s: N=%lu: the store after the fault: %s", k->name, at, why);
	/* the same request again, no fault */
	request("POST", k->path, k->auth, k->content_type, idem, k->body, &b);
	rows_now(&r2);
	rows_text(&r1, &r2, added, sizeof(added));
	if (!k->succeeded(&b))
		fi_fail(failures, "%s: N=%lu: the request after the fault failed: %u %.300s", k->name,
		        at, b.status, b.body.len ? b.body.buf : "");
	else if ((why = k->not_whole(&b)))
		fi_fail(failures, "%s: N=%lu: the request again answered %u, but %s: %.300s", k->name,
		        at, b.status, why, b.body.buf);
	else if (!rows_added(&r1, &r2, ok ? NULL : &k->adds))
		fi_fail(failures, "%s: N=%lu: the request again (same Idempotency-Key, the first %s) "
		        "added %s", k->name, at, ok ? "succeeded" : "failed", added);
	else if (ok && (a.body.len != b.body.len || memcmp(a.body.buf, b.body.buf, a.body.len) != 0))
		fi_fail(failures, "%s: N=%lu: the request again (same Idempotency-Key) answered "
		        "otherwise than the first:\n%.400s\n--- instead of\n%.400s", k->name, at,
		        b.body.buf, a.body.buf);
	ccon_strbuf_free(&a.body);
	ccon_strbuf_free(&b.body);
	return fired;
}

/* Two sends without faults: what the second adds is what each adds (the
 * first may add the campaign or the contacts every later one reuses). */
static bool warm_up(struct send_kind *k, unsigned *failures)
{
	struct rows r0, r1;
	struct answer a;
	char idem[160];

	for (int i = 0; i < 2; i++) {
		snprintf(idem, sizeof(idem), "fi-warm-up-%d-%s", i, k->name);
		for (char *c = idem; *c; c++)
			if (*c == ' ' || *c == '/' || *c == '(' || *c == ')' || *c == ':')
				*c = '_';
		rows_now(&r0);
		request("POST", k->path, k->auth, k->content_type, idem, k->body, &a);
		rows_now(&r1);
		if (!k->succeeded(&a) || k->not_whole(&a)) {
			fi_fail(failures, "%s: fails without faults: %u %.300s", k->name, a.status,
			        a.body.len ? a.body.buf : "");
			ccon_strbuf_free(&a.body);
			return false;
		}
		ccon_strbuf_free(&a.body);
	}
	k->adds.tasks = r1.tasks - r0.tasks;
	k->adds.recipients = r1.recipients - r0.recipients;
	k->adds.campaigns = r1.campaigns - r0.campaigns;
	k->adds.contacts = r1.contacts - r0.contacts;
	if (fi_verbose)
		fprintf(stderr, "%s: a send adds %" PRId64 " tasks, %" PRId64 " recipients, %" PRId64
		        " campaigns, %" PRId64 " contacts\n", k->name, k->adds.tasks,
		        k->adds.recipients, k->adds.campaigns, k->adds.contacts);
	return true;
}

/* Every plan of kind k (only_kind, only_at as ccond_case's) with one; */
static void run_plans(const char *name, const struct plan *plans, size_t n_plans,
                      bool (*one_n)(const void *ctx, const struct plan *p, unsigned long at,
                                    unsigned *failures),
                      const void *ctx, unsigned *failures, int only_kind, unsigned long only_at)
{
	for (size_t i = 0; i < n_plans; i++) {
		const struct plan *p = &plans[i];
		unsigned before = *failures;
		unsigned long at, fired = 0;

		if (only_kind != FI__KINDS && (int)p->kind != only_kind)
			continue;
		for (at = only_at ? only_at : 1; at < MAX_N && *failures - before < 5; at++) {
			if (!one_n(ctx, p, at, failures))
				break;
			fired++;
			if (only_at)
				break;
		}
		printf("%s %s: %s %s: %lu faults%s\n", *failures == before ? "ok  " : "FAIL",
		       name, fi_kind_name(p->kind), fi_effect_name(p->effect), fired,
		       fired == 0 && !only_at && !p->may_not_fire ? " (never fired!)" : "");
		if (fired == 0 && !only_at && !p->may_not_fire)
			(*failures)++;
		fflush(stdout);
	}
}

static bool send_one(const void *ctx, const struct plan *p, unsigned long at, unsigned *failures)
{
	return one(ctx, p, at, failures);
}

static void run_kind(struct send_kind *k, unsigned *failures, int only_kind,
                     unsigned long only_at)
{
	if (warm_up(k, failures))
		run_plans(k->name, k->plans, k->n_plans, send_one, k, failures, only_kind, only_at);
}

/* A campaign of the application from a POST .../campaigns body; its id or -1. */
static int64_t create_campaign(const char *body)
{
	char path[96];
	struct answer a;
	cJSON *j = NULL;
	struct ccon_error err;
	int64_t id = -1;

	snprintf(path, sizeof(path), "/v1/applications/%" PRId64 "/campaigns", app_id);
	request("POST", path, bearer, "application/json", NULL, body, &a);
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

static const char wa_campaign[] = "{\"name\":\"faultinj\",\"channel\":\"whatsapp\","
                                  "\"templateName\":\"promo_v1\","
                                  "\"templateBody\":\"Hi {{name}}, ticket {{ticketId}}\"}";
static const char sms_campaign[] = "{\"name\":\"otp\",\"channel\":\"sms\","
                                   "\"templateBody\":\"Hi {{name}}, your code is {{code}}\"}";

/* The engine on data_dir (made here) with one application. */
static bool engine_up(const char *sub, unsigned *failures)
{
	struct ccond_config cfg = { 0 };
	struct ccon_error err = { 0 };
	char db_path[600];

	snprintf(data_dir, sizeof(data_dir), "%s/%s", fi_scratch, sub);
	if (mkdir(data_dir, 0700) < 0 ||
	    ccond_create_app(data_dir, "faultinj", &app_id, key, &err) < 0) {
		fi_fail(failures, "ccond: set-up: %s", err.message[0] ? err.message : data_dir);
		return false;
	}
	snprintf(bearer, sizeof(bearer), "Bearer %s", key);
	snprintf(key_auth, sizeof(key_auth), "Key %s", key);
	cfg.data_dir = data_dir;
	cfg.threads = 1;
	cfg.max_body = MAX_BODY;
	cfg.manual_clock = 1;
	if (ccond_start(&cfg, &server, &err) < 0 || !shim_http_app()) {
		fi_fail(failures, "ccond: start: %s", err.message);
		server = NULL;
		return false;
	}
	snprintf(db_path, sizeof(db_path), "%s/ccond.db", data_dir);
	if (sqlite3_open_v2(db_path, &check_db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fi_fail(failures, "ccond: the store: %s", sqlite3_errmsg(check_db));
		return false;
	}
	sqlite3_busy_timeout(check_db, 10000);
	return true;
}

static void engine_down(void)
{
	sqlite3_close(check_db);
	check_db = NULL;
	if (server)
		ccond_stop(server);
	server = NULL;
}

/* ------------------------------------------------------- the dispatcher */

#define HOUR_US (INT64_C(3600) * 1000000)

/* Four recipients of the sim driver's table (ccond(8)): ...01 sent and
 * read, ...13 refused at send, ...29 rate-limited twice then sent, ...47
 * failed 2 s after it was processed. */
static const char dispatch_body[] =
	"{\"contacts\":["
	"{\"contactCode\":\"34666000101\",\"channelType\":\"cloud_api\","
	"\"customFields\":{\"name\":\"Ann\",\"ticketId\":\"1\"}},"
	"{\"contactCode\":\"34666000113\",\"channelType\":\"cloud_api\","
	"\"customFields\":{\"name\":\"Bob\",\"ticketId\":\"2\"}},"
	"{\"contactCode\":\"34666000129\",\"channelType\":\"cloud_api\","
	"\"customFields\":{\"name\":\"Cid\",\"ticketId\":\"3\"}},"
	"{\"contactCode\":\"34666000147\",\"channelType\":\"cloud_api\","
	"\"customFields\":{\"name\":\"Dee\",\"ticketId\":\"4\"}}]}";

static int64_t clock_us;         /* the manual clock, as its last answer gave it */
static char *dispatch_base;      /* a task's outcome without faults */

/* POST /v1/admin/clock with body; on 200, clock_us from its "now". */
static void clock_request(const char *body, struct answer *a)
{
	struct ccon_error err;
	const cJSON *now;
	cJSON *j = NULL;

	request("POST", "/v1/admin/clock", bearer, "application/json", NULL, body, a);
	if (a->status == 200 && ccon_json_parse(a->body.buf, a->body.len, &j, &err) == 0 &&
	    cJSON_IsString(now = cJSON_GetObjectItemCaseSensitive(j, "now")))
		ccon_datetime_parse(now->valuestring, &clock_us, &err);
	cJSON_Delete(j);
}

static void clock_set_to(int64_t t, struct answer *a)
{
	char when[CCON_DATETIME_FORMAT_MAX], body[96];

	ccon_datetime_format(t, when, sizeof(when), NULL);
	snprintf(body, sizeof(body), "{\"set\":\"%s\"}", when);
	clock_request(body, a);
}

/* NULL when what the dispatcher did so far is consistent, else what is
 * wrong: nothing both pending and sent, nothing sent without the channel
 * having its key, nothing accepted twice, the counts kept beside. */
static const char *dispatch_problem(void)
{
	static const struct {
		const char *what, *sql;
	} checks[] = {
		{ "a pending recipient with a time of a later state",
		  "SELECT count(*) FROM recipients WHERE status = 'pending' AND (processed_us IS NOT "
		  "NULL OR received_us IS NOT NULL OR read_us IS NOT NULL OR failed_us IS NOT NULL)" },
		{ "a processed recipient without its processed time",
		  "SELECT count(*) FROM recipients WHERE status IN ('processed', 'received', 'read') "
		  "AND processed_us IS NULL" },
		{ "a recipient sent without the channel having its key",
		  "SELECT count(*) FROM recipients r WHERE status NOT IN ('pending', 'canceled') AND "
		  "NOT EXISTS (SELECT 1 FROM sim_ledger l WHERE l.send_key = r.send_key)" },
		{ "a recipient the channel accepted twice",
		  "SELECT count(*) FROM (SELECT recipient_id FROM sim_ledger WHERE outcome = "
		  "'accepted' GROUP BY recipient_id HAVING count(*) > 1)" },
		{ "slot_use.sent is not the recipients handed over in the slot",
		  "SELECT count(*) FROM slot_use s LEFT JOIN (SELECT t.app_id, c.channel, "
		  "r.slot_start_us, count(*) AS n FROM recipients r JOIN tasks t ON t.id = "
		  "r.task_id JOIN campaigns c ON c.id = t.campaign_id WHERE r.status NOT IN "
		  "('pending', 'canceled') GROUP BY t.app_id, c.channel, r.slot_start_us) u ON "
		  "u.app_id = s.app_id AND u.channel = s.channel AND u.slot_start_us = "
		  "s.slot_start_us WHERE s.sent != COALESCE(u.n, 0)" },
		{ "a task's events_left is not its recipients waiting for a status",
		  "SELECT count(*) FROM tasks t WHERE events_left != (SELECT count(*) FROM recipients "
		  "r WHERE r.task_id = t.id AND r.next_event_us IS NOT NULL)" },
	};

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (count(checks[i].sql) != 0)
			return checks[i].what;
	return NULL;
}

/* The task and each recipient's end, times from the task's send time. */
static char *task_outcome(int64_t task)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	sqlite3_stmt *st;
	char *s;

	if (sqlite3_prepare_v2(check_db, "SELECT status, events_left FROM tasks WHERE id = ?1", -1,
	                       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, task);
		if (sqlite3_step(st) == SQLITE_ROW)
			ccon_strbuf_printf(&sb, "task %s events_left %lld\n", sqlite3_column_text(st, 0),
			                   (long long)sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(check_db, "SELECT r.recipient, r.status, r.reason_code, r.attempts, "
	                       "r.processed_us - t.send_at_us, r.received_us - t.send_at_us, "
	                       "r.read_us - t.send_at_us, r.failed_us - t.send_at_us, "
	                       "(SELECT count(*) FROM sim_ledger l WHERE l.recipient_id = r.id), "
	                       "(SELECT count(*) FROM sim_ledger l WHERE l.recipient_id = r.id AND "
	                       "l.outcome = 'accepted') FROM recipients r JOIN tasks t ON t.id = "
	                       "r.task_id WHERE r.task_id = ?1 ORDER BY r.id", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, task);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < 10; c++) {
				const unsigned char *v = sqlite3_column_text(st, c);

				ccon_strbuf_printf(&sb, "%s%s", c ? " " : "", v ? (const char *)v : "-");
			}
			ccon_strbuf_putc(&sb, '\n');
		}
	}
	sqlite3_finalize(st);
	s = ccon_strbuf_detach(&sb);
	if (!s)
		abort();
	return s;
}

/* One N (p NULL: the run without faults, kept as the base): a send, the
 * clock an hour on with the fault, again without. */
static bool dispatch_one(const void *ctx, const struct plan *p, unsigned long at,
                         unsigned *failures)
{
	int64_t task = -1, target = clock_us + HOUR_US;
	struct answer a, b;
	struct ccon_error err;
	const char *why;
	cJSON *j = NULL;
	bool fired = false;
	char *text;

	(void)ctx;
	snprintf(fi_where, sizeof(fi_where), "ccond dispatcher, %s %s, N=%lu",
	         p ? fi_kind_name(p->kind) : "no fault", p ? fi_effect_name(p->effect) : "", at);
	alarm(120);
	request("POST", send_path, bearer, "application/json", NULL, dispatch_body, &a);
	if (a.status == 202 && ccon_json_parse(a.body.buf, a.body.len, &j, &err) == 0 &&
	    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "taskId")))
		task = (int64_t)cJSON_GetObjectItemCaseSensitive(j, "taskId")->valuedouble;
	cJSON_Delete(j);
	if (task < 0) {
		fi_fail(failures, "%s: the send failed without faults: %u %.300s", fi_where, a.status,
		        a.body.len ? a.body.buf : "");
		ccon_strbuf_free(&a.body);
		return false;
	}
	ccon_strbuf_free(&a.body);
	if (p)
		fi_arm(p->kind, p->effect, at);
	clock_set_to(target, &a);
	if (p)
		fired = fi_disarm();
	if (fi_verbose)
		fprintf(stderr, "  N=%lu fired=%d %u %.200s\n", at, fired, a.status,
		        a.body.len ? a.body.buf : "");
	if (a.status != 200 && (why = not_error_object(&a)))
		fi_fail(failures, "%s: %s: %u %.300s", fi_where, why, a.status,
		        a.body.len ? a.body.buf : "");
	if ((why = store_problem()) || (why = dispatch_problem()))
		fi_fail(failures, "%s: the store after the fault: %s", fi_where, why);
	/* the same again without the fault finishes the job */
	clock_set_to(target, &b);
	if (b.status != 200)
		fi_fail(failures, "%s: the dispatch again failed: %u %.300s", fi_where, b.status,
		        b.body.len ? b.body.buf : "");
	if ((why = store_problem()) || (why = dispatch_problem()))
		fi_fail(failures, "%s: the store after the dispatch again: %s", fi_where, why);
	text = task_outcome(task);
	if (!p) {
		dispatch_base = text;
		if (fi_verbose)
			fprintf(stderr, "ccond dispatcher:\n%s", text);
	} else {
		if (strcmp(text, dispatch_base) != 0)
			fi_fail(failures, "%s: the task ended otherwise than without faults:\n%s"
			        "--- instead of\n%s", fi_where, text, dispatch_base);
		free(text);
	}
	ccon_strbuf_free(&a.body);
	ccon_strbuf_free(&b.body);
	return fired;
}

#define DISPATCH_NAME "ccond dispatcher"

static void dispatch_case(unsigned *failures, int only_kind, unsigned long only_at)
{
	struct answer a;

	if (!engine_up("ccond-dispatch", failures))
		return;
	campaign_id = create_campaign(wa_campaign);
	snprintf(send_path, sizeof(send_path),
	         "/v1/applications/%" PRId64 "/campaigns/%" PRId64 "/send", app_id, campaign_id);
	clock_request("{\"advance\":\"PT1S\"}", &a);
	if (campaign_id < 0 || a.status != 200) {
		fi_fail(failures, "%s: set-up: %u %.300s", DISPATCH_NAME, a.status,
		        a.body.len ? a.body.buf : "");
	} else {
		dispatch_one(NULL, NULL, 0, failures);
		if (dispatch_base)
			run_plans(DISPATCH_NAME, dispatch_plans,
			          sizeof(dispatch_plans) / sizeof(dispatch_plans[0]), dispatch_one, NULL,
			          failures, only_kind, only_at);
	}
	ccon_strbuf_free(&a.body);
	free(dispatch_base);
	dispatch_base = NULL;
	engine_down();
}

/* ------------------------------------------------------------ the sends */

#define SEND_NAME "ccond send"
#define CSV_NAME "ccond send/csv"
#define SPOOL_NAME "ccond send/csv (file before layout: spooled)"
#define ENVELOPE_NAME "ccond /commands set /campaign/full"
#define TX_NAME "ccond transactional send"
#define WA_NAME "ccond WhatsApp message"

void ccond_case(unsigned *failures, const char *only, int only_kind, unsigned long only_at)
{
	static const char *const names[] = { SEND_NAME, CSV_NAME, SPOOL_NAME, ENVELOPE_NAME,
		                             TX_NAME, WA_NAME };
	bool any = !only;
	char ct[96];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !any; i++)
		any = strstr(names[i], only) != NULL;
	if (any && engine_up("ccond", failures)) {
		campaign_id = create_campaign(wa_campaign);
		sms_campaign_id = create_campaign(sms_campaign);
		if (campaign_id < 0 || sms_campaign_id < 0) {
			fi_fail(failures, "ccond: the campaigns could not be created");
		} else {
			struct send_kind kinds[] = {
				{ SEND_NAME, send_path, bearer, "application/json", send_body, send_plans,
				  sizeof(send_plans) / sizeof(send_plans[0]), rest_succeeded,
				  not_whole_answer, not_error_object, { 0, 0, 0, 0 } },
				{ CSV_NAME, csv_path, bearer, ct, NULL, csv_plans,
				  sizeof(csv_plans) / sizeof(csv_plans[0]), rest_succeeded,
				  not_whole_answer, not_error_object, { 0, 0, 0, 0 } },
				{ SPOOL_NAME, csv_path, bearer, ct, NULL, spool_plans,
				  sizeof(spool_plans) / sizeof(spool_plans[0]), rest_succeeded,
				  not_whole_answer, not_error_object, { 0, 0, 0, 0 } },
				{ ENVELOPE_NAME, "/commands", key_auth, "application/json", envelope_body,
				  other_plans, sizeof(other_plans) / sizeof(other_plans[0]),
				  envelope_succeeded, not_whole_envelope, not_envelope_failure,
				  { 0, 0, 0, 0 } },
				{ TX_NAME, "/v1/campaigns/transactional/send", bearer, "application/json",
				  tx_body, other_plans, sizeof(other_plans) / sizeof(other_plans[0]),
				  rest_succeeded, not_whole_answer, not_error_object, { 0, 0, 0, 0 } },
				{ WA_NAME, "/v1/whatsapp/messages", bearer, "application/json", wa_body,
				  other_plans, sizeof(other_plans) / sizeof(other_plans[0]),
				  rest_succeeded, not_whole_wa, not_error_object, { 0, 0, 0, 0 } },
			};

			kinds[1].body = csv_form = build_form(false);
			kinds[2].body = spool_form = build_form(true);
			snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", BOUNDARY);
			snprintf(send_path, sizeof(send_path),
			         "/v1/applications/%" PRId64 "/campaigns/%" PRId64 "/send", app_id,
			         campaign_id);
			snprintf(csv_path, sizeof(csv_path), "%s/csv", send_path);
			snprintf(tx_body, sizeof(tx_body), "{\"campaignId\":%" PRId64 ",\"contacts\":["
			         TX_CONTACTS "]}", sms_campaign_id);
			for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
				if (!only || strstr(kinds[i].name, only))
					run_kind(&kinds[i], failures, only_kind, only_at);
			free(csv_form);
			free(spool_form);
		}
	}
	engine_down();
	if (!only || strstr(DISPATCH_NAME, only))
		dispatch_case(failures, only_kind, only_at);
}
