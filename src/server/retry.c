/* retry.c - re-sending a campaign's failed recipients. */
#include "config.h"

#include "retry.h"

#include "idempotency.h"
#include "slot_store.h"
#include "store.h"

#include <ccon/datetime.h>
#include <ccon/slots.h>
#include <ccon/strbuf.h>
#include <ccon/timing.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the campaign's failed rows add up to. */
struct retry_pick {
	int64_t taken;            /* rows to re-send */
	int64_t in_flight;        /* of those, rows of a scheduled or running task */
	int64_t not_retryable;    /* failed rows left out (not worth it) */
	int64_t retry_of;         /* the newest task of the taken rows */
	struct ccon_strbuf codes; /* the taken reason codes, a JSON array of texts */
};

static bool code_worthy(const struct retry_request *rq, const char *code)
{
	char *end;
	long v;

	if (rq->all)
		return true;
	if (!code || !*code || !rq->worthy)
		return false;
	errno = 0;
	v = strtol(code, &end, 10);
	return !errno && !*end && v > 0 && v <= 0x7fffffff && rq->worthy(rq->channel, (int)v);
}

static int add_code(struct ccon_strbuf *codes, const char *code)
{
	cJSON *s = cJSON_CreateString(code);
	char *text = s ? cJSON_PrintUnformatted(s) : NULL;
	int rc = text && ccon_strbuf_puts(codes, codes->len > 1 ? "," : "") == 0 &&
	         ccon_strbuf_puts(codes, text) == 0 ? 0 : -1;

	cJSON_free(text);
	cJSON_Delete(s);
	return rc;
}

/* One pass over the campaign's failed rows, grouped by reason and by
 * whether their task is still in flight (a handful of groups). */
static int pick(sqlite3 *db, const struct retry_request *rq, struct retry_pick *p,
                struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (ccon_strbuf_putc(&p->codes, '[') < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (store_prepare(db, "SELECT r.reason_code, t.status IN ('scheduled', 'running'), "
	                      "COUNT(*), MAX(r.task_id) FROM recipients r JOIN tasks t ON "
	                      "t.id = r.task_id WHERE r.campaign_id = ?1 AND r.status = 'failed' "
	                      "AND r.retried = 0 GROUP BY 1, 2", &st) != SQLITE_OK)
		return store_fail(db, err, "reading failed recipients");
	sqlite3_bind_int64(st, 1, rq->campaign_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		int64_t n = sqlite3_column_int64(st, 2), task = sqlite3_column_int64(st, 3);

		if (!code_worthy(rq, code)) {
			p->not_retryable += n;
			continue;
		}
		p->taken += n;
		if (sqlite3_column_int(st, 1))
			p->in_flight += n;
		if (task > p->retry_of)
			p->retry_of = task;
		if (code && add_code(&p->codes, code) < 0) {
			store_done(st);
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		}
	}
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "reading failed recipients");
	if (ccon_strbuf_putc(&p->codes, ']') < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return 0;
}

static int refuse(const struct retry_request *rq, const struct retry_pick *p,
                  struct ccon_error *err)
{
	long long id = (long long)rq->campaign_id;

	if (p->taken == 0 && p->not_retryable)
		return ccon_error_set(err, CCON_E_NOTHING_TO_RETRY,
		                      "campaign %lld has %lld failed recipients, none with a "
		                      "reason worth a retry (all=true re-sends every failure)", id,
		                      (long long)p->not_retryable);
	if (p->taken == 0)
		return ccon_error_set(err, CCON_E_NOTHING_TO_RETRY,
		                      "campaign %lld has no failed recipient", id);
	if (p->in_flight)
		return ccon_error_set(err, CCON_E_CAMPAIGN_NOT_FINISHED,
		                      "campaign %lld is still sending: %lld failed recipients "
		                      "belong to a task not done yet; retry once it is", id,
		                      (long long)p->in_flight);
	return 0;
}

/* The planner over the store's slot use: may `n` recipients go from now? */
static int plan_check(sqlite3 *db, const struct retry_request *rq, int64_t n, bool *slicing,
                      struct ccon_error *err)
{
	struct ccon_slot_config cfg;
	struct ccon_slot_usage usage;
	struct ccon_slot_plan plan;
	int rc;

	memset(&plan, 0, sizeof(plan));
	if (slot_store_config(db, rq->app_id, rq->channel, &cfg, err) < 0 ||
	    slot_store_usage(db, rq->app_id, rq->channel, &cfg, rq->now_us, CCON_SLOT_WINDOW_US,
	                     &usage, err) < 0)
		return -1;
	rc = ccon_slot_plan_compute(&cfg, &usage, rq->now_us, n, CCON_SLICING_FRAGMENTED, &plan,
	                            err);
	slot_store_usage_free(&usage);
	if (rc == 0 && plan.canceled)
		rc = ccon_error_set(err, plan.cancel_code, "%s", plan.cancel_reason);
	*slicing = plan.slicing;
	ccon_slot_plan_free(&plan);
	return rc < 0 ? -1 : 0;
}

static int insert_task(sqlite3 *db, const struct retry_request *rq, const struct retry_pick *p,
                       int64_t *task_id, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "INSERT INTO tasks(app_id, campaign_id, kind, status, send_at_us, "
	                      "timing, slicing, options, total, retry_of, created_us) "
	                      "VALUES (?1, ?2, 'retry', 'scheduled', ?3, ?4, ?5, ?6, ?7, ?8, ?3)",
	                  &st) != SQLITE_OK)
		return store_fail(db, err, "creating a retry task");
	sqlite3_bind_int64(st, 1, rq->app_id);
	sqlite3_bind_int64(st, 2, rq->campaign_id);
	sqlite3_bind_int64(st, 3, rq->now_us);
	sqlite3_bind_text(st, 4, ccon_timing_form_name(CCON_TIMING_NOW), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ccon_slicing_name(CCON_SLICING_FRAGMENTED), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rq->all ? "{\"all\":true}" : "{\"all\":false}", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, p->taken);
	sqlite3_bind_int64(st, 8, p->retry_of);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "creating a retry task");
	*task_id = sqlite3_last_insert_rowid(db);
	return 0;
}

/* The new attempts (unplaced: the task's start plans them), then the rows
 * they supersede. */
static int copy_rows(sqlite3 *db, const struct retry_request *rq, const struct retry_pick *p,
                     int64_t task_id, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "INSERT INTO recipients(task_id, campaign_id, contact_id, recipient, "
	                      "recipient_type, channel_type, params, context, external_reference, "
	                      "status, retry_of) SELECT ?1, campaign_id, contact_id, recipient, "
	                      "recipient_type, channel_type, params, context, external_reference, "
	                      "'pending', id FROM recipients WHERE campaign_id = ?2 AND "
	                      "status = 'failed' AND retried = 0 AND (?3 OR reason_code IN "
	                      "(SELECT value FROM json_each(?4))) ORDER BY id", &st) != SQLITE_OK)
		return store_fail(db, err, "adding retry recipients");
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_int64(st, 2, rq->campaign_id);
	sqlite3_bind_int(st, 3, rq->all);
	sqlite3_bind_text(st, 4, p->codes.buf, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "adding retry recipients");
	if (sqlite3_changes(db) != p->taken)
		return ccon_error_set(err, CCON_E_IO, "the failed recipients changed while copied");
	if (store_prepare(db, "UPDATE recipients SET retried = 1 WHERE id IN (SELECT retry_of "
	                      "FROM recipients WHERE task_id = ?1)", &st) != SQLITE_OK)
		return store_fail(db, err, "marking retried recipients");
	sqlite3_bind_int64(st, 1, task_id);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "marking retried recipients");
}

static char *answer_text(const struct retry_request *rq, const struct retry_pick *p,
                         int64_t task_id, bool slicing)
{
	char when[CCON_DATETIME_FORMAT_MAX];
	cJSON *a = cJSON_CreateObject(), *o;
	char *text;

	if (!a)
		return NULL;
	cJSON_AddNumberToObject(a, "campaignId", (double)rq->campaign_id);
	if (task_id)
		cJSON_AddNumberToObject(a, "taskId", (double)task_id);
	else
		cJSON_AddNullToObject(a, "taskId");
	cJSON_AddNumberToObject(a, "retryOf", (double)p->retry_of);
	cJSON_AddStringToObject(a, "status", "scheduled");
	if (ccon_datetime_format(rq->now_us, when, sizeof(when), NULL) >= 0)
		cJSON_AddStringToObject(a, "sendAt", when);
	cJSON_AddBoolToObject(a, "dryRun", rq->dry_run);
	cJSON_AddBoolToObject(a, "all", rq->all);
	cJSON_AddNumberToObject(a, "recipients", (double)p->taken);
	if ((o = cJSON_AddObjectToObject(a, "skipped")))
		cJSON_AddNumberToObject(o, "notRetryable", (double)p->not_retryable);
	if ((o = cJSON_AddObjectToObject(a, "slicing"))) {
		cJSON_AddStringToObject(o, "condition", ccon_slicing_name(CCON_SLICING_FRAGMENTED));
		cJSON_AddBoolToObject(o, "activated", slicing);
	}
	text = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return text;
}

/* Inside the transaction: a replayed answer (1), a new request (0), -1. */
static int replayed(sqlite3 *db, const struct retry_request *rq, unsigned *status, char **answer,
                    struct ccon_error *err)
{
	enum idem_result res;

	if (!rq->idem_key || rq->dry_run)
		return 0;
	if (idempotency_check(db, rq->app_id, rq->idem_key, rq->request_hash, &res, status, answer,
	                      err) < 0)
		return -1;
	if (res == IDEM_CONFLICT)
		return ccon_error_set(err, CCON_E_CONFLICT, "the Idempotency-Key was used for "
		                      "another request");
	return res == IDEM_REPLAY;
}

static int run(sqlite3 *db, const struct retry_request *rq, struct retry_pick *p,
               unsigned *status, char **answer, struct ccon_error *err)
{
	int64_t task_id = 0;
	bool slicing = false;
	char *text;
	int rc = replayed(db, rq, status, answer, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (pick(db, rq, p, err) < 0 || refuse(rq, p, err) < 0 ||
	    plan_check(db, rq, p->taken, &slicing, err) < 0)
		return -1;
	if (!rq->dry_run &&
	    (insert_task(db, rq, p, &task_id, err) < 0 || copy_rows(db, rq, p, task_id, err) < 0))
		return -1;
	text = answer_text(rq, p, task_id, slicing);
	if (!text)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	*status = rq->dry_run ? 200 : 202;
	if (rq->idem_key && !rq->dry_run &&
	    idempotency_save(db, rq->app_id, rq->idem_key, rq->request_hash, *status, text,
	                     rq->now_us, err) < 0) {
		cJSON_free(text);
		return -1;
	}
	*answer = strdup(text);
	cJSON_free(text);
	return *answer ? 0 : ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

int retry_failed(sqlite3 *db, const struct retry_request *rq, unsigned *status, char **answer,
                 struct ccon_error *err)
{
	struct retry_pick p = { .codes = CCON_STRBUF_INIT };
	int rc;

	*answer = NULL;
	if (store_begin(db, err) < 0)
		return -1;
	rc = run(db, rq, &p, status, answer, err);
	ccon_strbuf_free(&p.codes);
	if (rc < 0 || rq->dry_run) {
		store_rollback(db);
		if (rc < 0) {
			free(*answer);
			*answer = NULL;
		}
		return rc;
	}
	if (store_commit(db, err) < 0) {
		free(*answer);
		*answer = NULL;
		return -1;
	}
	return 0;
}
