/* Exactly once across crashes (issue 4): a dispatch killed with kill -9 at
 * random moments, restarted each time on the same data directory, ends
 * with every recipient in exactly one final state, the sim driver's ledger
 * holding each recipient and attempt at most once, counts that match, and
 * recipient by recipient the outcome of a run that was never killed.
 * Between kills, statuses only move forward.
 *
 * The kill delays come from a seeded generator: the seed is printed and
 * CCON_CRASH_SEED=N replays it; CCON_CRASH_RECIPIENTS=N sets the size
 * (bench/ccond_crash.sh is the full-size run). */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define T0 "2027-01-04T09:00:00Z"
#define T2H "2027-01-04T11:00:00Z"
#define BOUNDARY "ccon-crash-test-5e0c"
#define RECIPIENTS 5000
/* Kills wanted mid-dispatch in each phase, and tries allowed for them. */
#define SEND_KILLS 5
#define EVENT_KILLS 2
#define MAX_TRIES 12
#define BATCH 1000              /* the dispatcher's (dispatcher.h) */

struct fixture {
	struct server s;
	int64_t app, campaign;
	char key[64];
	char bearer[96];
	char keyauth[96];
	int n;                  /* audience size */
};

static const char *const manual[] = { "--clock", "manual", NULL };
static const char *const real[] = { NULL };

/* ------------------------------------------------------------ randomness */

static uint64_t rng_state;

static void rng_seed(const char *test)
{
	const char *env = getenv("CCON_CRASH_SEED");

	rng_state = env && *env ? strtoull(env, NULL, 10) :
	            (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	fprintf(stderr, "crash: %s: seed %llu (CCON_CRASH_SEED=%llu replays it)\n", test,
	        (unsigned long long)rng_state, (unsigned long long)rng_state);
}

/* splitmix64 */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi] milliseconds. */
static long rng_ms(long lo, long hi)
{
	return hi <= lo ? lo : lo + (long)(rng_next() % (uint64_t)(hi - lo + 1));
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------ the API */

static void api(struct fixture *f, const char *method, const char *path, const char *body,
                long status, struct reply *r)
{
	http_call(&f->s, method, path, f->bearer, NULL, body, strlen(body), NULL, r);
	ck_assert_msg(r->status == status, "%s %s: %ld %s", method, path, r->status, r->body);
}

static void setup(struct fixture *f, const char *const *args)
{
	const char *env = getenv("CCON_CRASH_RECIPIENTS");
	char path[96];
	struct reply r;

	memset(f, 0, sizeof(*f));
	f->n = env && atoi(env) > 0 ? atoi(env) : RECIPIENTS;
	server_start(&f->s, args);
	server_create_app(&f->s, "crash", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->keyauth, sizeof(f->keyauth), "Key %s", f->key);
	if (args == manual)
		server_clock(&f->s, f->bearer, "{\"set\":\"" T0 "\"}");
	/* the whole audience in its first slot: this is not about slicing */
	snprintf(path, sizeof(path), "/v1/applications/%lld/slots/config", (long long)f->app);
	api(f, "PUT", path, "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":900,"
	    "\"capacity\":1000000000}", 200, &r);
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	api(f, "POST", path, "{\"name\":\"crash\",\"channel\":\"whatsapp\",\"templateName\":\"t\","
	    "\"templateBody\":\"Hi {{name}}\"}", 201, &r);
	f->campaign = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
}

/* The audience as a seed 001 CSV send: numbers +346NNNNNNDD with DD =
 * i mod 100, so every sim outcome is there (failures at send and after,
 * rate limits, no read). */
static void send_audience(struct fixture *f)
{
	static const char layout[] = "{\"contact\":{\"contactCode\":\"{{contactCode}}\","
	                             "\"channelType\":\"{{channelType}}\"},"
	                             "\"customFields\":{\"name\":\"{{nombre}}\"}}";
	size_t cap = 1024 + (size_t)f->n * 40, len;
	char *body = malloc(cap), path[128], ct[96];
	struct reply r;
	const cJSON *acc;

	ck_assert_ptr_nonnull(body);
	len = (size_t)snprintf(body, cap, "--" BOUNDARY "\r\nContent-Disposition: form-data; "
	                       "name=\"layout\"\r\n\r\n%s\r\n--" BOUNDARY "\r\nContent-Disposition: "
	                       "form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: "
	                       "text/csv\r\n\r\ncontactCode,channelType,nombre\r\n", layout);
	for (int i = 0; i < f->n; i++)
		len += (size_t)snprintf(body + len, cap - len, "346%06d%02d,cloud_api,N%d\r\n", i,
		                        i % 100, i);
	len += (size_t)snprintf(body + len, cap - len, "\r\n--" BOUNDARY "--\r\n");
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/send/csv",
	         (long long)f->app, (long long)f->campaign);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", BOUNDARY);
	http_call(&f->s, "POST", path, f->bearer, ct, body, len, NULL, &r);
	ck_assert_msg(r.status == 202, "send: %ld %s", r.status, r.body);
	acc = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "recipients"), "accepted");
	ck_assert_int_eq(acc->valueint, f->n);
	reply_free(&r);
	free(body);
}

static cJSON *summary(struct fixture *f)
{
	char body[256];
	struct reply r;
	cJSON *res;

	snprintf(body, sizeof(body), "{\"id\":\"1\",\"to\":\"postmaster@activecampaign.msging.net\","
	         "\"method\":\"get\",\"uri\":\"/campaigns/%lld/summaries\"}", (long long)f->campaign);
	http_call(&f->s, "POST", "/commands", f->keyauth, NULL, body, strlen(body), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strcmp(reply_str(&r, "status"), "success") == 0, "summaries: %s", r.body);
	res = cJSON_DetachItemFromObject(r.json, "resource");
	reply_free(&r);
	return res;
}

/* ------------------------------------------------------------ the store */

/* The first row's n integer columns. */
static void db_ints(struct fixture *f, const char *sql, int64_t *out, int n)
{
	sqlite3 *db = server_db(&f->s, SQLITE_OPEN_READONLY);
	sqlite3_stmt *st;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: no row", sql);
	for (int i = 0; i < n; i++)
		out[i] = sqlite3_column_int64(st, i);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The first column of the first row as a heap string. */
static char *db_text(struct fixture *f, const char *sql)
{
	sqlite3 *db = server_db(&f->s, SQLITE_OPEN_READONLY);
	sqlite3_stmt *st;
	char *s;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	s = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	ck_assert_ptr_nonnull(s);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return s;
}

/* ------------------------------------------------------------ progress */

enum { P_LEDGER, P_CLAIMED, P_TAKEN, P_WAITING, P_PENDING, P_PROCESSED, P_ENDED, P_EVENTS, P_N };

/* What a kill left: ledger rows; recipients claimed (key committed, no
 * outcome), of them taken (already in the ledger: the driver answered, the
 * answer was not recorded), waiting for a retry, pending, processed, in a
 * final state; statuses still to apply. */
struct progress {
	int64_t v[P_N];
};

static void progress_read(struct fixture *f, struct progress *p)
{
	db_ints(f, "SELECT (SELECT COUNT(*) FROM sim_ledger), "
	        "(SELECT COUNT(*) FROM recipients WHERE status = 'pending' AND send_key IS NOT NULL), "
	        "(SELECT COUNT(*) FROM recipients r JOIN sim_ledger l ON l.send_key = r.send_key "
	        " WHERE r.status = 'pending'), "
	        "(SELECT COUNT(*) FROM recipients WHERE status = 'pending' AND send_key IS NULL "
	        " AND next_attempt_us IS NOT NULL), "
	        "(SELECT COUNT(*) FROM recipients WHERE status = 'pending'), "
	        "(SELECT COUNT(*) FROM recipients WHERE status = 'processed'), "
	        "(SELECT COUNT(*) FROM recipients WHERE status IN ('received', 'read', 'failed')), "
	        "(SELECT COUNT(*) FROM recipients WHERE next_event_us IS NOT NULL)", p->v, P_N);
}

/* Work the phase still has: first sends (send) or anything (events). */
static int64_t work_left(const struct progress *p, bool events)
{
	return events ? p->v[P_PENDING] + p->v[P_EVENTS] : p->v[P_PENDING] - p->v[P_WAITING];
}

/* Each recipient's status as a rank (pending 0, processed 1, received 2,
 * read 3, failed 4) and its reason code, by id (1..n on a fresh store). */
struct snap {
	int n;
	int *rank;
	int64_t *code;
};

static void snap_alloc(struct fixture *f, struct snap *s)
{
	s->n = f->n;
	s->rank = calloc((size_t)f->n + 1, sizeof(*s->rank));
	s->code = calloc((size_t)f->n + 1, sizeof(*s->code));
	ck_assert(s->rank && s->code);
}

static void snap_read(struct fixture *f, struct snap *s)
{
	sqlite3 *db = server_db(&f->s, SQLITE_OPEN_READONLY);
	sqlite3_stmt *st;
	int count = 0;

	if (!s->rank)
		snap_alloc(f, s);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT id, CASE status WHEN 'pending' THEN 0 "
	                                    "WHEN 'processed' THEN 1 WHEN 'received' THEN 2 WHEN "
	                                    "'read' THEN 3 WHEN 'failed' THEN 4 ELSE -1 END, "
	                                    "COALESCE(reason_code, 0) FROM recipients", -1, &st,
	                                    NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		ck_assert_msg(id >= 1 && id <= s->n, "recipient id %lld", (long long)id);
		s->rank[id] = sqlite3_column_int(st, 1);
		s->code[id] = sqlite3_column_int64(st, 2);
		count++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	ck_assert_int_eq(count, s->n);
}

/* Statuses only move forward: read and failed are final (a failure keeps
 * its code), the others only go up. */
static void snap_check_forward(const struct snap *old, const struct snap *now)
{
	for (int i = 1; i <= old->n; i++) {
		int a = old->rank[i], b = now->rank[i];

		ck_assert_msg(b >= 0, "recipient %d: unknown status", i);
		ck_assert_msg(b >= a && (a < 3 || b == a) && (a != 4 || now->code[i] == old->code[i]),
		              "recipient %d went back: rank %d (code %lld) to %d (code %lld)", i, a,
		              (long long)old->code[i], b, (long long)now->code[i]);
	}
}

static void snap_free(struct snap *s)
{
	free(s->rank);
	free(s->code);
}

/* ------------------------------------------------------------ checks */

/* The counters a dispatch keeps beside the rows, true after any crash:
 * each task's recipients waiting for statuses, each slot's sent count. */
static const char counters_sql[] =
	"SELECT (SELECT COUNT(*) FROM tasks t WHERE events_left <> (SELECT COUNT(*) FROM "
	"recipients r WHERE r.task_id = t.id AND next_event_us IS NOT NULL)) + (SELECT COUNT(*) "
	"FROM slot_use s WHERE sent <> (SELECT COUNT(*) FROM recipients r JOIN tasks t ON t.id = "
	"r.task_id JOIN campaigns c ON c.id = t.campaign_id WHERE t.app_id = s.app_id AND "
	"c.channel = s.channel AND r.slot_start_us = s.slot_start_us AND r.status NOT IN "
	"('pending', 'canceled')))";

/* Rows of queries that must find nothing once everything is final. */
static const struct {
	const char *what, *sql;
} final_checks[] = {
	{ "recipients not in a final state",
	  "SELECT COUNT(*) FROM recipients WHERE status NOT IN ('read', 'received', 'failed')" },
	{ "recipients whose timestamps contradict their status",
	  "SELECT COUNT(*) FROM recipients WHERE NOT CASE status "
	  "WHEN 'read' THEN processed_us IS NOT NULL AND received_us IS NOT NULL AND read_us IS NOT "
	  " NULL AND failed_us IS NULL AND reason_code IS NULL "
	  "WHEN 'received' THEN processed_us IS NOT NULL AND received_us IS NOT NULL AND read_us IS "
	  " NULL AND failed_us IS NULL AND reason_code IS NULL "
	  "WHEN 'failed' THEN failed_us IS NOT NULL AND reason_code IS NOT NULL AND read_us IS NULL "
	  "ELSE 0 END" },
	{ "recipients with statuses never applied",
	  "SELECT COUNT(*) FROM recipients WHERE events IS NOT NULL OR next_event_us IS NOT NULL" },
	{ "tasks not done", "SELECT COUNT(*) FROM tasks WHERE status <> 'done'" },
	{ "task or slot counters that are not their rows'", counters_sql },
	{ "ledger rows for the same recipient and attempt",
	  "SELECT COUNT(*) FROM (SELECT 1 FROM sim_ledger GROUP BY recipient_id, attempt "
	  "HAVING COUNT(*) > 1)" },
	{ "recipients in the ledger twice without a retryable refusal",
	  "SELECT COUNT(*) FROM (SELECT 1 FROM sim_ledger GROUP BY recipient_id HAVING COUNT(*) > 1 "
	  "AND SUM(outcome = 'failed' AND retryable) = 0)" },
	{ "ledger rows before the last attempt that are not retryable refusals",
	  "SELECT COUNT(*) FROM sim_ledger l WHERE l.attempt < (SELECT MAX(attempt) FROM sim_ledger "
	  "m WHERE m.recipient_id = l.recipient_id) AND NOT (outcome = 'failed' AND retryable)" },
	{ "recipients whose attempts are not their ledger rows 1..n",
	  "SELECT COUNT(*) FROM recipients r WHERE r.attempts <> (SELECT COUNT(*) FROM sim_ledger l "
	  "WHERE l.recipient_id = r.id) OR r.attempts <> (SELECT MAX(attempt) FROM sim_ledger l "
	  "WHERE l.recipient_id = r.id) OR r.attempts < 1" },
	{ "recipients whose outcome is not the ledger's last answer",
	  "SELECT COUNT(*) FROM recipients r JOIN sim_ledger l ON l.recipient_id = r.id AND "
	  "l.attempt = r.attempts WHERE l.send_key IS NOT r.send_key OR CASE l.outcome "
	  "WHEN 'failed' THEN r.status <> 'failed' OR r.reason_code IS NOT l.code OR r.failed_us "
	  " IS NOT l.at_us OR r.processed_us IS NOT NULL "
	  "ELSE r.processed_us IS NOT l.at_us END" },
	{ "recipients whose outcome is not the sim table's (ccond(8))",
	  "SELECT COUNT(*) FROM (SELECT status || '/' || COALESCE(reason_code, '') || '/' || "
	  "attempts AS got, CAST(substr(recipient, -2) AS INTEGER) AS d FROM recipients) WHERE "
	  "got <> CASE WHEN d = 13 THEN 'failed/131026/1' WHEN d = 50 THEN 'failed/131050/1' "
	  "WHEN d = 29 THEN 'read//3' WHEN d = 47 THEN 'failed/131047/1' WHEN d = 49 THEN "
	  "'failed/131049/1' WHEN d BETWEEN 60 AND 79 THEN 'received//1' ELSE 'read//1' END" },
};

/* Recipient by recipient: status, code, attempts, ledger rows. */
static const char outcome_sql[] =
	"SELECT group_concat(x, ' ') FROM (SELECT recipient || ':' || status || ':' || "
	"COALESCE(reason_code, '-') || ':' || attempts || ':' || (SELECT COUNT(*) FROM sim_ledger l "
	"WHERE l.recipient_id = r.id) AS x FROM recipients r ORDER BY recipient)";

static int count_of(const cJSON *s, const char *status)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "counts"), status);

	ck_assert_msg(cJSON_IsNumber(v), "no count %s", status);
	return v->valueint;
}

/* Everything final and consistent; the summary's counts are the table's
 * and add up to the audience. */
static void check_final(struct fixture *f)
{
	static const char *const names[] = { "pending", "processed", "received", "read", "failed",
	                                     "canceled" };
	cJSON *s = summary(f);
	int total = 0;

	ck_assert_int_eq(server_db_int(&f->s, "SELECT COUNT(*) FROM recipients"), f->n);
	for (size_t i = 0; i < sizeof(final_checks) / sizeof(final_checks[0]); i++) {
		int64_t bad = server_db_int(&f->s, final_checks[i].sql);

		ck_assert_msg(bad == 0, "%lld %s", (long long)bad, final_checks[i].what);
	}
	for (int i = 0; i < 6; i++) {
		char sql[96];

		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM recipients WHERE status = '%s'",
		         names[i]);
		ck_assert_msg(count_of(s, names[i]) == server_db_int(&f->s, sql), "summary count %s: %d, table %lld",
		              names[i], count_of(s, names[i]), (long long)server_db_int(&f->s, sql));
		total += count_of(s, names[i]);
	}
	ck_assert_int_eq(total, f->n);
	ck_assert_int_eq(count_of(s, "total"), f->n);
	ck_assert_int_eq(count_of(s, "pending"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(s, "status")->valuestring, "done");
	fprintf(stderr, "crash: final: %d read, %d received, %d failed of %d\n", count_of(s, "read"),
	        count_of(s, "received"), count_of(s, "failed"), f->n);
	cJSON_Delete(s);
}

/* ------------------------------------------------------------ kills */

enum hit { HIT_NOTHING, HIT_MID, HIT_LATE };

struct run {
	struct progress last;
	struct snap seen;
	int64_t total;          /* work_left at the start */
	long step_ms;           /* about a batch's time in a run never killed */
	int kills, mid;
	bool events;            /* the delivery phase (else the first sends) */
};

static void run_init(struct fixture *f, struct run *r, bool events, int64_t full_ms)
{
	memset(r, 0, sizeof(*r));
	r->events = events;
	progress_read(f, &r->last);
	r->total = work_left(&r->last, events);
	r->step_ms = (long)(full_ms * BATCH / (r->total > BATCH ? r->total : BATCH));
	if (r->step_ms < 2)
		r->step_ms = 2;
	snap_read(f, &r->seen);
}

/* After a kill: nothing went back, the ledger has no double, and whether
 * the kill found the phase's work started and unfinished. */
static enum hit after_kill(struct fixture *f, struct run *r, long ms)
{
	struct snap now = { 0 };
	struct progress p;
	bool moved;

	progress_read(f, &p);
	snap_read(f, &now);
	snap_check_forward(&r->seen, &now);
	snap_free(&r->seen);
	r->seen = now;
	ck_assert_int_ge(p.v[P_LEDGER], r->last.v[P_LEDGER]);
	ck_assert_int_eq(server_db_int(&f->s, "SELECT COUNT(*) FROM (SELECT 1 FROM sim_ledger GROUP BY "
	                        "recipient_id, attempt HAVING COUNT(*) > 1)"), 0);
	ck_assert_msg(server_db_int(&f->s, counters_sql) == 0, "task or slot counters are not their rows'");
	moved = memcmp(&p, &r->last, sizeof(p)) != 0;
	r->kills++;
	fprintf(stderr, "crash: kill %d (%s, %ld ms after it moved): ledger %lld, pending %lld "
	        "(%lld in flight, %lld of them taken by the driver, %lld waiting to retry), "
	        "processed %lld, final %lld, waiting for statuses %lld%s\n", r->kills,
	        r->events ? "delivering" : "sending", ms, (long long)p.v[P_LEDGER],
	        (long long)p.v[P_PENDING], (long long)p.v[P_CLAIMED], (long long)p.v[P_TAKEN],
	        (long long)p.v[P_WAITING], (long long)p.v[P_PROCESSED], (long long)p.v[P_ENDED],
	        (long long)p.v[P_EVENTS], work_left(&p, r->events) ? "" : " (all done)");
	r->last = p;
	if (!moved || work_left(&p, r->events) == 0)
		return HIT_NOTHING;
	r->mid++;
	return HIT_MID;
}

/* Waits until the store shows work done since the last look: false when
 * there is none left to do or the request req (when > 0) answered. */
static bool wait_moving(struct fixture *f, struct run *r, pid_t req, long *answer)
{
	int64_t t = mono_ms();
	struct progress p;

	for (;;) {
		progress_read(f, &p);
		if (memcmp(&p, &r->last, sizeof(p)) != 0)
			return true;
		if (work_left(&p, r->events) == 0)
			return false;
		if (req > 0 && (*answer = http_fire_wait(req, true)) >= 0)
			return false;
		ck_assert_msg(mono_ms() - t < 60000, "the dispatch did not move within 60 s");
		sleep_ms(1);
	}
}

/* One kill -9: once the dispatch is seen moving, at a random moment within
 * half a batch's time more; then a restart. req is the clock request
 * that drives it (manual clock), or 0 (the dispatcher thread). */
static enum hit kill_once(struct fixture *f, struct run *r, pid_t req)
{
	long answer = -1, ms = 0;
	enum hit h;

	if (wait_moving(f, r, req, &answer)) {
		ms = rng_ms(0, r->step_ms / 2);
		sleep_ms(ms);
		if (req > 0)
			answer = http_fire_wait(req, true);
	}
	if (answer >= 0 || (req <= 0 && work_left(&r->last, r->events) == 0)) {
		/* it was done first */
		ck_assert_int_eq(answer >= 0 ? answer : 200, 200);
		if (req > 0 && answer < 0)
			ck_assert_int_eq(http_fire_wait(req, false), 200);
		fprintf(stderr, "crash: done before the kill (%s)\n", r->events ? "delivering" :
		        "sending");
		progress_read(f, &r->last);
		return HIT_LATE;
	}
	server_kill(&f->s);
	if (req > 0)
		http_fire_wait(req, false);     /* no answer, or one just in time */
	h = after_kill(f, r, ms);
	server_restart(&f->s);
	return h;
}

/* Kills ccond while the clock request body works, until `want` kills
 * landed mid-way (at most MAX_TRIES). */
static void kill_phase(struct fixture *f, struct run *r, const char *body, int want)
{
	for (int tries = 0; r->mid < want && tries < MAX_TRIES; tries++) {
		pid_t req;

		if (work_left(&r->last, r->events) == 0)
			break;
		req = http_fire(&f->s, "POST", "/v1/admin/clock", f->bearer, body, strlen(body));
		if (kill_once(f, r, req) == HIT_LATE)
			break;
	}
}

/* The uninterrupted run: how long each phase takes, and its outcome. */
static char *reference_run(int64_t *send_ms, int64_t *events_ms)
{
	struct fixture f;
	int64_t t;
	char *outcome;

	setup(&f, manual);
	send_audience(&f);
	t = mono_ms();
	server_clock(&f.s, f.bearer, "{\"advance\":\"PT0S\"}");
	*send_ms = mono_ms() - t;
	t = mono_ms();
	server_clock(&f.s, f.bearer, "{\"set\":\"" T2H "\"}");
	*events_ms = mono_ms() - t;
	check_final(&f);
	outcome = db_text(&f, outcome_sql);
	server_destroy(&f.s);
	fprintf(stderr, "crash: reference run of %d recipients: sends %lld ms, statuses %lld ms\n",
	        f.n, (long long)*send_ms, (long long)*events_ms);
	return outcome;
}

static void expect_outcome(struct fixture *f, const char *want)
{
	char *got = db_text(f, outcome_sql);

	ck_assert_msg(strcmp(got, want) == 0, "the outcome differs from the uninterrupted run");
	free(got);
}

/* ------------------------------------------------------------ tests */

START_TEST(kills_on_the_manual_clock)
{
	struct fixture f;
	struct run send, deliver;
	struct snap end = { 0 };
	int64_t send_ms, events_ms;
	char *ref;

	rng_seed("manual clock");
	ref = reference_run(&send_ms, &events_ms);
	setup(&f, manual);
	send_audience(&f);

	/* the first sends: {"advance":"PT0S"} dispatches them in the request */
	run_init(&f, &send, false, send_ms);
	kill_phase(&f, &send, "{\"advance\":\"PT0S\"}", SEND_KILLS);
	server_clock(&f.s, f.bearer, "{\"advance\":\"PT0S\"}");

	/* retries and statuses: the clock set two hours on, killed on the way */
	run_init(&f, &deliver, true, events_ms);
	kill_phase(&f, &deliver, "{\"set\":\"" T2H "\"}", EVENT_KILLS);
	server_clock(&f.s, f.bearer, "{\"set\":\"" T2H "\"}");
	snap_read(&f, &end);
	snap_check_forward(&deliver.seen, &end);

	check_final(&f);
	expect_outcome(&f, ref);
	fprintf(stderr, "crash: manual clock: %d kills while sending (%d mid-dispatch), %d while "
	        "delivering (%d mid-way)\n", send.kills, send.mid, deliver.kills, deliver.mid);
	ck_assert_int_ge(send.mid, 3);
	ck_assert_int_ge(deliver.mid, 1);
	snap_free(&send.seen);
	snap_free(&deliver.seen);
	snap_free(&end);
	free(ref);
	server_destroy(&f.s);
}
END_TEST

/* Waits (real time) until the thread has sent everyone once. */
static int64_t wait_first_sends(struct fixture *f, struct progress *p)
{
	for (int k = 0; k < 6000; k++) {
		progress_read(f, p);
		if (work_left(p, false) == 0)
			return 0;
		sleep_ms(10);
	}
	ck_abort_msg("the dispatcher thread did not send everyone within 60 s");
	return -1;
}

/* The real clock: the dispatcher thread sends as soon as the send is
 * stored, and again as soon as ccond is back. The statuses then come
 * from a manual clock (minutes of real time otherwise). */
START_TEST(kills_of_the_dispatcher_thread)
{
	struct fixture f;
	struct run r;
	int64_t t, elapsed;

	rng_seed("real clock");
	/* how long the thread takes, never killed */
	setup(&f, real);
	send_audience(&f);
	t = mono_ms();
	wait_first_sends(&f, &r.last);
	elapsed = mono_ms() - t;
	fprintf(stderr, "crash: real clock: first sends done %lld ms after the send answered\n",
	        (long long)elapsed);
	server_destroy(&f.s);

	setup(&f, real);
	send_audience(&f);
	run_init(&f, &r, false, elapsed);       /* the thread is at work: any state will do */
	for (int tries = 0; r.mid < SEND_KILLS && tries < MAX_TRIES; tries++)
		if (work_left(&r.last, false) == 0 || kill_once(&f, &r, 0) == HIT_LATE)
			break;
	wait_first_sends(&f, &r.last);
	server_restart_with(&f.s, manual);
	server_clock(&f.s, f.bearer, "{\"advance\":\"PT2H\"}");
	check_final(&f);
	fprintf(stderr, "crash: real clock: %d kills (%d mid-dispatch)\n", r.kills, r.mid);
	ck_assert_int_ge(r.mid, 3);
	snap_free(&r.seen);
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_crash(void)
{
	Suite *s = suite_create("crash");
	TCase *tc = tcase_create("crash");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, kills_on_the_manual_clock);
	tcase_add_test(tc, kills_of_the_dispatcher_thread);
	suite_add_tcase(s, tc);
	return s;
}
