#include "config.h"

#include "sendjob.h"
#include "contacts.h"
#include "idempotency.h"
#include "sendjob_spool.h"
#include "slot_store.h"
#include "store.h"

#include <ccon/datetime.h>
#include <ccon/json_util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sendjob_init(struct sendjob *job, int64_t app_id, const struct campaign *campaign,
                  const char *kind, int64_t now_us)
{
	memset(job, 0, sizeof(*job));
	job->app_id = app_id;
	job->campaign = campaign;
	job->kind = kind;
	job->now_us = now_us;
	job->timing.form = CCON_TIMING_NOW;
	job->timing.send_us = now_us;
	job->slicing = CCON_SLICING_FRAGMENTED;
	if (campaign) {
		job->campaign_id = campaign->id;
		job->channel = campaign->channel;
	}
	{
		struct ccon_error head;

		ccon_error_clear(&head);
		ccon_error_set(&head, CCON_E_JSON_VALUE, "some recipients were refused");
		ccon_error_list_init(&job->errors, &head);
	}
}

void sendjob_free(struct sendjob *job)
{
	spool_free(job->spool);
	job->spool = NULL;
	free(job->options_json);
	job->options_json = NULL;
	ccon_slot_plan_free(&job->plan);
	ccon_error_list_free(&job->errors);
}

/* JSON string text as cJSON_PrintUnformatted writes it (the stored params
 * are the same bytes as before), without building a tree per recipient. */
static int put_json_string(struct ccon_strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	if (ccon_strbuf_putc(sb, '"') < 0)
		return -1;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[7] = { '\\', 0 };
		size_t n = 2;

		if (ch >= 32 && ch != '"' && ch != '\\')
			continue;
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			n = 6;
		}
		if (ccon_strbuf_append(sb, run, (size_t)(s - run)) < 0 ||
		    ccon_strbuf_append(sb, esc, n) < 0)
			return -1;
		run = s + 1;
	}
	if (ccon_strbuf_append(sb, run, (size_t)(s - run)) < 0)
		return -1;
	return ccon_strbuf_putc(sb, '"');
}

/* The fields as a JSON object's text in sb; false when there are none (or
 * out of memory, which the caller's NULL check treats alike as before). */
static bool fields_json(const struct ccon_fields *f, struct ccon_strbuf *sb)
{
	ccon_strbuf_reset(sb);
	if (!f || f->count == 0)
		return false;
	if (ccon_strbuf_putc(sb, '{') < 0)
		return false;
	for (size_t i = 0; i < f->count; i++)
		if ((i && ccon_strbuf_putc(sb, ',') < 0) ||
		    put_json_string(sb, f->items[i].name) < 0 || ccon_strbuf_putc(sb, ':') < 0 ||
		    put_json_string(sb, f->items[i].value) < 0)
			return false;
	return ccon_strbuf_putc(sb, '}') == 0;
}

int sendjob_add(struct sendjob *job, const struct sendjob_recipient *r, struct ccon_error *err)
{
	struct ccon_strbuf params = CCON_STRBUF_INIT, extras = CCON_STRBUF_INIT;
	bool nomem = false, has_params, has_extras;
	char key[300];
	int n, rc;

	if (!job->spool && !(job->spool = spool_new()))
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (r->recipient)
		n = snprintf(key, sizeof(key), "r:%s", r->recipient);
	else if (r->external_code)
		n = snprintf(key, sizeof(key), "x:%s", r->external_code);
	else
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a recipient needs a phone or code");
	if (n < 0 || (size_t)n >= sizeof(key))
		n = (int)sizeof(key) - 1;
	if (spool_seen(job->spool, key, (size_t)n, &nomem)) {
		job->duplicates++;
		return 0;
	}
	if (nomem)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	has_params = fields_json(r->params, &params);
	has_extras = fields_json(r->extras, &extras);
	spool_record_begin(job->spool);
	spool_put_str(job->spool, r->recipient);
	spool_put_str(job->spool, r->recipient_type ? r->recipient_type : "phone");
	spool_put_str(job->spool, r->channel_type);
	spool_put_str(job->spool, r->external_code);
	spool_put_str(job->spool, has_params ? params.buf : "{}");
	spool_put_str(job->spool, has_extras ? extras.buf : NULL);
	spool_put_str(job->spool, r->context_json);
	spool_put_str(job->spool, r->external_reference);
	spool_put_str(job->spool, r->path);
	spool_put_i64(job->spool, r->line);
	spool_put_i64(job->spool, r->resolve_contact);
	ccon_strbuf_free(&params);
	ccon_strbuf_free(&extras);
	rc = spool_record_end(job->spool);
	if (rc < 0)
		return ccon_error_set(err, CCON_E_IO, "cannot keep the recipients (temporary file)");
	return 1;
}

void sendjob_reject(struct sendjob *job, const struct ccon_error *row_error)
{
	job->rejected++;
	if (row_error)
		ccon_error_list_add(&job->errors, row_error);
}

/* ---------------------------------------------------------------- writing */

struct writer {
	sqlite3_stmt *insert;
	int64_t task_id;
	int64_t campaign_id;
	const char *channel;
	const char *status;     /* of new recipients */
	/* when the plan is known before the recipients are written: their
	 * slots, in insertion order (else slot_start_us stays NULL) */
	const struct ccon_slot_plan *plan;
	size_t share;
	int64_t share_used;
};

static int writer_open(struct writer *w, sqlite3 *db, struct ccon_error *err)
{
	if (store_prepare(db,
	                  "INSERT INTO recipients(task_id, campaign_id, contact_id, recipient, "
	                  "recipient_type, channel_type, params, context, external_reference, "
	                  "status, slot_start_us) "
	                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	                  &w->insert) != SQLITE_OK)
		return store_fail(db, err, "adding recipients");
	return 0;
}

static void unknown_code_error(struct sendjob *job, const char *path, long line, const char *code)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	ccon_error_set(&e, CCON_E_JSON_VALUE,
	               "no contact has the externalCode '%s', and without a phone number none "
	               "can be created", code ? code : "");
	if (path)
		ccon_error_at_path(&e, path);
	if (line)
		ccon_error_at_line(&e, line, 0);
	sendjob_reject(job, &e);
}

/* Replays the spool into recipients; contacts resolved as asked. */
static int write_recipients(struct sendjob *job, sqlite3 *db, struct writer *w,
                            struct ccon_error *err)
{
	int rc;

	if (!job->spool)
		return 0;
	if (spool_rewind(job->spool) < 0)
		return ccon_error_set(err, CCON_E_IO, "cannot read the recipients back");
	spool_seen_reset(job->spool);
	while ((rc = spool_next(job->spool)) == 1) {
		const char *recipient = spool_get_str(job->spool);
		const char *type = spool_get_str(job->spool);
		const char *channel_type = spool_get_str(job->spool);
		const char *code = spool_get_str(job->spool);
		const char *params = spool_get_str(job->spool);
		const char *extras = spool_get_str(job->spool);
		const char *context = spool_get_str(job->spool);
		const char *reference = spool_get_str(job->spool);
		const char *path = spool_get_str(job->spool);
		long line = (long)spool_get_i64(job->spool);
		bool resolve = spool_get_i64(job->spool) != 0;
		struct contact_ref ref = { 0 };
		int64_t contact_id = 0;

		if (resolve) {
			char key[32];
			bool nomem = false;
			int found = contacts_resolve(db, job->app_id, recipient, code, job->now_us, &ref, err);

			if (found < 0)
				return -1;
			if (found == 0) {
				unknown_code_error(job, path, line, code);
				continue;
			}
			if (ref.disabled) {
				job->disabled++;
				continue;
			}
			snprintf(key, sizeof(key), "c:%lld", (long long)ref.id);
			if (spool_seen(job->spool, key, strlen(key), &nomem)) {
				job->duplicates++;
				continue;
			}
			if (nomem)
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			contact_id = ref.id;
			if (!recipient)
				recipient = ref.phone;
			if (extras && *extras) {
				struct ccon_fields f = CCON_FIELDS_INIT;
				cJSON *j = cJSON_Parse(extras);
				struct ccon_json_path jp;
				int mrc;

				ccon_json_path_init(&jp, NULL);
				mrc = j ? ccon_json_get_fields(j, NULL, CCON_JSON_OPTIONAL, &jp, true, &f, err) : 0;
				cJSON_Delete(j);
				if (mrc == 0)
					mrc = contacts_merge_extras(db, contact_id, &f, err);
				ccon_fields_free(&f);
				if (mrc < 0)
					return -1;
			}
			if (context && contacts_merge_context(db, contact_id, context, err) < 0)
				return -1;
		}
		sqlite3_bind_int64(w->insert, 1, w->task_id);
		sqlite3_bind_int64(w->insert, 2, w->campaign_id);
		if (contact_id)
			sqlite3_bind_int64(w->insert, 3, contact_id);
		else
			sqlite3_bind_null(w->insert, 3);
		sqlite3_bind_text(w->insert, 4, recipient ? recipient : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(w->insert, 5, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->insert, 6, channel_type ? channel_type : w->channel, -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(w->insert, 7, params, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->insert, 8, context, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->insert, 9, reference, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->insert, 10, w->status, -1, SQLITE_STATIC);
		if (w->plan && w->share < w->plan->n_shares) {
			sqlite3_bind_int64(w->insert, 11, w->plan->shares[w->share].slot_start_us);
			if (++w->share_used >= w->plan->shares[w->share].count) {
				w->share++;
				w->share_used = 0;
			}
		}
		rc = sqlite3_step(w->insert);
		sqlite3_reset(w->insert);
		sqlite3_clear_bindings(w->insert);
		if (rc != SQLITE_DONE)
			return store_fail(db, err, "adding a recipient");
		job->accepted++;
	}
	if (rc < 0)
		return ccon_error_set(err, CCON_E_IO, "cannot read the recipients back");
	return 0;
}

/* ---------------------------------------------------------------- planning */

/* Runs a statement whose parameters are the n integers of args. */
static int exec_ints(sqlite3 *db, const char *sql, int n, const int64_t *args,
                     struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, sql, &st) != SQLITE_OK)
		return store_fail(db, err, "updating a task");
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(st, i + 1, args[i]);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "updating a task");
}

/* NULL when out of memory (never a plan with shares missing). */
static cJSON *plan_json(const struct ccon_slot_plan *plan)
{
	char when[CCON_DATETIME_FORMAT_MAX];
	cJSON *arr = cJSON_CreateArray(), *o;

	for (size_t i = 0; arr && i < plan->n_shares; i++) {
		o = cJSON_CreateObject();
		if (!o || ccon_datetime_format(plan->shares[i].slot_start_us, when, sizeof(when), NULL) < 0 ||
		    !cJSON_AddStringToObject(o, "slotStart", when) ||
		    !cJSON_AddNumberToObject(o, "count", (double)plan->shares[i].count) ||
		    !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

/* Plans `count` recipients from send_us over the store's slot use. */
static int plan_compute(struct sendjob *job, sqlite3 *db, int64_t count, struct ccon_error *err)
{
	struct ccon_slot_usage usage;
	int rc;

	if (slot_store_config(db, job->app_id, job->channel, &job->slot_config, err) < 0 ||
	    slot_store_usage(db, job->app_id, job->channel, &job->slot_config, job->timing.send_us,
	                     CCON_SLOT_WINDOW_US, &usage, err) < 0)
		return -1;
	rc = ccon_slot_plan_compute(&job->slot_config, &usage, job->timing.send_us, count,
	                            job->slicing, &job->plan, err);
	slot_store_usage_free(&usage);
	return rc < 0 ? -1 : 0;
}

/* Stores the computed plan: the task's state and plan, the capacity it
 * reserves, and - unless the recipients were written with them
 * (`assigned`) - their slots in id order, or canceled on a cancel. */
static int plan_store(struct sendjob *job, sqlite3 *db, int64_t task_id, bool assigned,
                      struct ccon_error *err)
{
	const char *status;
	char *plan_text = NULL;
	sqlite3_stmt *st;
	int rc;

	if (job->plan.canceled) {
		status = "canceled";
		if (!assigned &&
		    exec_ints(db, "UPDATE recipients SET status = 'canceled' WHERE task_id = ?1", 1,
		              (int64_t[]){ task_id }, err) < 0)
			return -1;
	} else {
		status = "scheduled";
		for (size_t i = 0; !assigned && i < job->plan.n_shares; i++)
			if (exec_ints(db, "UPDATE recipients SET slot_start_us = ?1 WHERE id IN "
			                  "(SELECT id FROM recipients WHERE task_id = ?2 AND "
			                  "slot_start_us IS NULL ORDER BY id LIMIT ?3)", 3,
			              (int64_t[]){ job->plan.shares[i].slot_start_us, task_id,
			                           job->plan.shares[i].count }, err) < 0)
				return -1;
		if (slot_store_reserve(db, job->app_id, job->channel, &job->plan, 1, err) < 0)
			return -1;
	}
	{
		cJSON *p = plan_json(&job->plan);

		plan_text = p ? cJSON_PrintUnformatted(p) : NULL;
		cJSON_Delete(p);
		if (!plan_text)   /* never a task stored without its plan */
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	if (store_prepare(db, "UPDATE tasks SET status = ?1, plan = ?2, cancel_code = ?3, "
	                      "cancel_reason = ?4, send_at_us = ?5, timing = ?6, slicing = ?7 "
	                      "WHERE id = ?8", &st) != SQLITE_OK) {
		cJSON_free(plan_text);
		return store_fail(db, err, "updating a task");
	}
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, plan_text, -1, SQLITE_STATIC);
	if (job->plan.canceled) {
		sqlite3_bind_text(st, 3, ccon_errc_name(job->plan.cancel_code), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, job->plan.cancel_reason, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 5, job->timing.send_us);
	sqlite3_bind_text(st, 6, ccon_timing_form_name(job->timing.form), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ccon_slicing_name(job->slicing), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, task_id);
	rc = sqlite3_step(st);
	store_done(st);
	cJSON_free(plan_text);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "updating a task");
}

/* Plans `count` recipients already written to the task. */
static int plan_task(struct sendjob *job, sqlite3 *db, int64_t task_id, int64_t count,
                     struct ccon_error *err)
{
	if (plan_compute(job, db, count, err) < 0)
		return -1;
	return plan_store(job, db, task_id, false, err);
}

/* ---------------------------------------------------------------- answers */

/* Adds item to o under key; false (item freed) when item is NULL or out of
 * memory. */
static bool add_item(cJSON *o, const char *key, cJSON *item)
{
	if (item && cJSON_AddItemToObject(o, key, item))
		return true;
	cJSON_Delete(item);
	return false;
}

/* The send's answer; NULL when out of memory (never an answer with parts
 * missing: it is stored for the Idempotency-Key and returned as it is). */
static char *answer_text(struct sendjob *job, const char *status, bool planned)
{
	char when[CCON_DATETIME_FORMAT_MAX];
	cJSON *a = cJSON_CreateObject(), *r, *s, *errs = NULL;
	char *text;
	bool ok;

	if (!a)
		return NULL;
	if (job->dry_run)
		ok = cJSON_AddNullToObject(a, "taskId");
	else
		ok = cJSON_AddNumberToObject(a, "taskId", (double)job->task_id);
	ok = ok && cJSON_AddNumberToObject(a, "campaignId", (double)job->campaign_id) &&
	     cJSON_AddStringToObject(a, "status", status);
	if (ok && planned && ccon_datetime_format(job->timing.send_us, when, sizeof(when), NULL) >= 0)
		ok = cJSON_AddStringToObject(a, "sendAt", when);
	if (ok && planned)
		ok = cJSON_AddStringToObject(a, "timing", ccon_timing_form_name(job->timing.form));
	ok = ok && cJSON_AddBoolToObject(a, "dryRun", job->dry_run);
	r = ok ? cJSON_AddObjectToObject(a, "recipients") : NULL;
	ok = r && cJSON_AddNumberToObject(r, "accepted", (double)job->accepted) &&
	     cJSON_AddNumberToObject(r, "rejected", (double)job->rejected) &&
	     cJSON_AddNumberToObject(r, "duplicates", (double)job->duplicates) &&
	     cJSON_AddNumberToObject(r, "disabled", (double)job->disabled);
	if (ok && planned) {
		s = cJSON_AddObjectToObject(a, "slicing");
		ok = s && cJSON_AddStringToObject(s, "condition", ccon_slicing_name(job->slicing)) &&
		     cJSON_AddBoolToObject(s, "activated", job->plan.slicing) &&
		     cJSON_AddNumberToObject(s, "slotLengthSeconds",
		                             (double)job->slot_config.length_us / 1e6) &&
		     cJSON_AddNumberToObject(s, "slotCapacity", (double)job->slot_config.capacity) &&
		     add_item(s, "plan", plan_json(&job->plan));
		if (ok && job->plan.canceled)
			ok = cJSON_AddStringToObject(s, "cancelCode",
			                             ccon_errc_name(job->plan.cancel_code)) &&
			     cJSON_AddStringToObject(s, "cancelReason", job->plan.cancel_reason);
	}
	if (ok && (job->errors.count || job->errors.truncated)) {
		ok = ccon_error_list_encode(&job->errors, &errs) == 0 && errs;
		if (ok) {
			cJSON *items = cJSON_DetachItemFromObject(errs, "errors");
			cJSON *trunc = cJSON_DetachItemFromObject(errs, "truncated");

			ok = add_item(a, "errors", items ? items : cJSON_CreateArray());
			if (trunc)
				ok = add_item(a, "errorsTruncated", trunc) && ok;
		}
		cJSON_Delete(errs);
	}
	text = ok ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return text;
}

static int finish(struct sendjob *job, sqlite3 *db, const char *idem_key, const char *hash,
                  unsigned status_code, const char *state, bool planned, unsigned *status,
                  char **answer, struct ccon_error *err)
{
	char *text = answer_text(job, state, planned), *copy = text ? strdup(text) : NULL;

	/* the answer is whole before the commit: out of memory after it would
	 * answer 500 for a send that was stored (tests/faultinj: ccond send) */
	if (!copy) {
		cJSON_free(text);
		store_rollback(db);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	if (idem_key && !job->dry_run &&
	    idempotency_save(db, job->app_id, idem_key, hash, status_code, text, job->now_us, err) < 0) {
		cJSON_free(text);
		free(copy);
		store_rollback(db);
		return -1;
	}
	cJSON_free(text);
	if (job->dry_run)
		store_rollback(db);
	else if (store_commit(db, err) < 0) {
		free(copy);
		return -1;
	}
	*status = status_code;
	*answer = copy;
	return 0;
}

static int replay_or_conflict(sqlite3 *db, int64_t app_id, const char *key, const char *hash,
                              unsigned *status, char **answer, bool *done,
                              struct ccon_error *err)
{
	enum idem_result res;

	*done = false;
	if (!key)
		return 0;
	if (idempotency_check(db, app_id, key, hash, &res, status, answer, err) < 0)
		return -1;
	if (res == IDEM_NEW)
		return 0;
	store_rollback(db);
	if (res == IDEM_CONFLICT)
		return -1;
	*done = true;
	return 0;
}

static int insert_task(struct sendjob *job, sqlite3 *db, const char *status,
                       struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "INSERT INTO tasks(app_id, campaign_id, kind, status, send_at_us, "
	                      "timing, slicing, options, created_us) "
	                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &st) != SQLITE_OK)
		return store_fail(db, err, "creating a task");
	sqlite3_bind_int64(st, 1, job->app_id);
	sqlite3_bind_int64(st, 2, job->campaign_id);
	sqlite3_bind_text(st, 3, job->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, job->timing.send_us);
	sqlite3_bind_text(st, 6, ccon_timing_form_name(job->timing.form), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ccon_slicing_name(job->slicing), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, job->options_json ? job->options_json : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, job->now_us);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "creating a task");
	job->task_id = sqlite3_last_insert_rowid(db);
	return 0;
}

static int update_counts(struct sendjob *job, sqlite3 *db, int64_t task_id, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "UPDATE tasks SET total = total + ?1, rejected = rejected + ?2, "
	                      "duplicates = duplicates + ?3 WHERE id = ?4", &st) != SQLITE_OK)
		return store_fail(db, err, "updating a task");
	sqlite3_bind_int64(st, 1, job->accepted);
	sqlite3_bind_int64(st, 2, job->rejected);
	sqlite3_bind_int64(st, 3, job->duplicates + job->disabled);
	sqlite3_bind_int64(st, 4, task_id);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "updating a task");
}

/* 1 and *n the number of spooled recipients when none of them needs a
 * contact resolved (each one will be written), 0 when some do, -1 on a
 * spool error. */
static int spool_count(struct sendjob *job, int64_t *n)
{
	int64_t count = 0;
	int rc;

	if (!job->spool) {
		*n = 0;
		return 1;
	}
	if (spool_rewind(job->spool) < 0)
		return -1;
	while ((rc = spool_next(job->spool)) == 1) {
		for (int i = 0; i < 9; i++)   /* the strings sendjob_add wrote */
			spool_get_str(job->spool);
		spool_get_i64(job->spool);      /* line */
		if (spool_get_i64(job->spool))  /* resolve_contact */
			return 0;
		count++;
	}
	if (rc < 0)
		return -1;
	*n = count;
	return 1;
}

static int no_recipients(struct sendjob *job, sqlite3 *db, struct ccon_error *err)
{
	store_rollback(db);
	return ccon_error_set(err, CCON_E_CONTACTS_COUNT,
	                      "no recipient left to send to (%lld rejected, %lld duplicates, "
	                      "%lld disabled)", (long long)job->rejected,
	                      (long long)job->duplicates, (long long)job->disabled);
}

int sendjob_commit(struct sendjob *job, sqlite3 *db, const char *idem_key,
                   const char *request_hash, unsigned *status, char **answer,
                   struct ccon_error *err)
{
	struct writer w = { 0 };
	int64_t planned = -1;
	bool done;
	int rc;

	*answer = NULL;
	if (store_begin(db, err) < 0)
		return -1;
	if (replay_or_conflict(db, job->app_id, idem_key, request_hash, status, answer, &done, err) < 0)
		return -1;
	if (done)
		return 0;
	if (job->before_commit && job->before_commit(job->before_ctx, db, job, err) < 0) {
		store_rollback(db);
		return -1;
	}
	if (!job->channel || !job->campaign_id) {
		store_rollback(db);
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a send needs a campaign");
	}
	if (insert_task(job, db, job->draft ? "draft" : "scheduled", err) < 0 ||
	    writer_open(&w, db, err) < 0) {
		store_rollback(db);
		return -1;
	}
	w.task_id = job->task_id;
	w.campaign_id = job->campaign_id;
	w.channel = job->channel;
	w.status = "pending";
	/* Every recipient is written when none needs a contact resolved: plan
	 * first, and write them with their slots (no second pass over them). */
	if (!job->draft && (rc = spool_count(job, &planned)) != 0) {
		if (rc < 0 || (planned > 0 && plan_compute(job, db, planned, err) < 0)) {
			store_done(w.insert);
			store_rollback(db);
			if (rc < 0)
				ccon_error_set(err, CCON_E_IO, "cannot read the recipients back");
			return -1;
		}
		if (planned > 0) {
			w.plan = job->plan.canceled ? NULL : &job->plan;
			w.status = job->plan.canceled ? "canceled" : "pending";
		}
	}
	rc = write_recipients(job, db, &w, err);
	store_done(w.insert);
	if (rc < 0) {
		store_rollback(db);
		return -1;
	}
	if (!job->draft && job->accepted == 0)
		return no_recipients(job, db, err);
	if (planned >= 0 && planned != job->accepted) {
		store_rollback(db);
		return ccon_error_set(err, CCON_E_IO, "the recipients changed while being written");
	}
	if (update_counts(job, db, job->task_id, err) < 0 ||
	    (!job->draft && planned < 0 && plan_task(job, db, job->task_id, job->accepted, err) < 0) ||
	    (!job->draft && planned >= 0 && plan_store(job, db, job->task_id, true, err) < 0)) {
		store_rollback(db);
		return -1;
	}
	return finish(job, db, idem_key, request_hash, job->dry_run ? 200 : 202,
	              job->draft ? "draft" : job->plan.canceled ? "canceled" : "scheduled",
	              !job->draft, status, answer, err);
}

/* The draft task's campaign, channel and state; 1 found, 0 not, -1 error. */
static int load_task(sqlite3 *db, int64_t app_id, int64_t task_id, int64_t *campaign_id,
                     char *channel, size_t channel_size, char *status, size_t status_size,
                     bool *dispatched, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "SELECT t.campaign_id, c.channel, t.status, c.dispatched "
	                      "FROM tasks t JOIN campaigns c ON c.id = t.campaign_id "
	                      "WHERE t.id = ?1 AND t.app_id = ?2", &st) != SQLITE_OK) {
		store_fail(db, err, "reading a task");
		return -1;
	}
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_int64(st, 2, app_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*campaign_id = sqlite3_column_int64(st, 0);
		snprintf(channel, channel_size, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(status, status_size, "%s", (const char *)sqlite3_column_text(st, 2));
		*dispatched = sqlite3_column_int(st, 3) != 0;
	}
	store_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_fail(db, err, "reading a task");
	return -1;
}

int sendjob_append(struct sendjob *job, sqlite3 *db, int64_t task_id, unsigned *status,
                   char **answer, struct ccon_error *err)
{
	char channel[32], state[32];
	struct writer w = { 0 };
	bool dispatched;
	int found, rc;

	*answer = NULL;
	if (store_begin(db, err) < 0)
		return -1;
	found = load_task(db, job->app_id, task_id, &job->campaign_id, channel, sizeof(channel),
	                  state, sizeof(state), &dispatched, err);
	if (found <= 0) {
		store_rollback(db);
		if (found == 0)
			ccon_error_set(err, CCON_E_NOT_FOUND, "no such campaign");
		return -1;
	}
	if (dispatched || strcmp(state, "draft") != 0) {
		store_rollback(db);
		return ccon_error_set(err, CCON_E_CONFLICT,
		                      "campaign %lld was dispatched: no audience can be added",
		                      (long long)job->campaign_id);
	}
	job->task_id = task_id;
	job->channel = channel;
	if (writer_open(&w, db, err) < 0) {
		store_rollback(db);
		return -1;
	}
	w.task_id = task_id;
	w.campaign_id = job->campaign_id;
	w.channel = channel;
	w.status = "pending";
	rc = write_recipients(job, db, &w, err);
	store_done(w.insert);
	if (rc < 0 || update_counts(job, db, task_id, err) < 0) {
		store_rollback(db);
		return -1;
	}
	rc = finish(job, db, NULL, NULL, job->dry_run ? 200 : 202, "draft", false, status, answer,
	            err);
	job->channel = NULL;
	return rc;
}

int sendjob_dispatch(sqlite3 *db, int64_t app_id, int64_t task_id,
                     const struct ccon_timing *timing, enum ccon_slicing slicing,
                     int64_t now_us, unsigned *status, char **answer, struct ccon_error *err)
{
	char channel[32], state[32];
	struct sendjob job;
	sqlite3_stmt *st;
	bool dispatched;
	int found, rc;

	*answer = NULL;
	sendjob_init(&job, app_id, NULL, "v2", now_us);
	job.timing = *timing;
	job.slicing = slicing;
	job.task_id = task_id;
	if (store_begin(db, err) < 0)
		return -1;
	found = load_task(db, app_id, task_id, &job.campaign_id, channel, sizeof(channel), state,
	                  sizeof(state), &dispatched, err);
	if (found <= 0) {
		store_rollback(db);
		sendjob_free(&job);
		if (found == 0)
			ccon_error_set(err, CCON_E_NOT_FOUND, "no such campaign");
		return -1;
	}
	if (dispatched || strcmp(state, "draft") != 0) {
		store_rollback(db);
		sendjob_free(&job);
		return ccon_error_set(err, CCON_E_CONFLICT, "campaign %lld was already dispatched",
		                      (long long)job.campaign_id);
	}
	job.channel = channel;
	if (store_prepare(db, "SELECT count(*) FROM recipients WHERE task_id = ?1", &st) != SQLITE_OK) {
		store_rollback(db);
		sendjob_free(&job);
		return store_fail(db, err, "counting recipients");
	}
	sqlite3_bind_int64(st, 1, task_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		job.accepted = sqlite3_column_int64(st, 0);
	store_done(st);
	if (job.accepted == 0) {
		rc = no_recipients(&job, db, err);
		sendjob_free(&job);
		return rc;
	}
	if (plan_task(&job, db, task_id, job.accepted, err) < 0 ||
	    exec_ints(db, "UPDATE campaigns SET dispatched = 1 WHERE id = ?1", 1,
	              (int64_t[]){ job.campaign_id }, err) < 0) {
		store_rollback(db);
		sendjob_free(&job);
		return -1;
	}
	rc = finish(&job, db, NULL, NULL, 202, job.plan.canceled ? "canceled" : "scheduled", true,
	            status, answer, err);
	sendjob_free(&job);
	return rc;
}
