#include "config.h"

#include "dispatcher.h"

#include "delivery_events.h"
#include "dispatch_events.h"
#include "engine.h"
#include "slot_store.h"
#include "store.h"

#include <ccon/codec_transactional.h>
#include <ccon/datetime.h>
#include <ccon/sms.h>
#include <ccon/slots.h>
#include <ccon/strbuf.h>
#include <ccon/template.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NONE INT64_MAX
#define CCON_STR_(x) #x
#define CCON_STR(x) CCON_STR_(x)
#define IDLE_US INT64_C(1000000)
/* The dispatcher's connection keeps the pages of a large send (KiB). */
#define CACHE_KIB 65536
/* Batches between two checkpoints: often enough that the WAL stays small,
 * seldom enough that hot pages are copied back once for many batches. */
#define CHECKPOINT_EVERY 16

struct dispatcher {
	struct engine *eng;
	const struct driver_ops *ops;
	void *driver_self;
	pthread_mutex_t run_lock;     /* one run at a time */
	pthread_mutex_t lock;         /* woken, stopping */
	pthread_cond_t cond;
	bool woken, stopping, has_thread;
	bool step;                    /* the manual clock: step through due instants */
	unsigned batches;             /* sent since start (checkpoint pacing) */
	pthread_t thread;
};

/* A task being dispatched: what rendering needs. */
struct task_info {
	int64_t id, app_id;
	int64_t send_at_us;
	char channel[16];
	char *template_name, *template_body, *template_params;
	enum ccon_nls_mode nls;
};

struct claimed {
	int64_t id;
	int64_t slot_start_us;        /* NONE when it has none */
	char *recipient, *params, *context;
	int attempt;
	char key[48];
	struct send_result res;
	int segments;
	bool sms;
};

struct batch {
	struct claimed items[DISPATCH_BATCH];
	size_t n;
};

/* ------------------------------------------------------------ helpers */

static int fail(sqlite3 *db, struct ccon_error *err, const char *what)
{
	store_fail(db, err, what);
	return -1;
}

static int nomem(struct ccon_error *err, const char *what)
{
	return ccon_error_set(err, CCON_E_NOMEM, "%s: out of memory", what);
}

/* A text column: *out NULL for SQL NULL; -1 when SQLite cannot give the
 * text of a value it has (out of memory). */
static int col_text(sqlite3_stmt *st, int i, const char **out)
{
	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	*out = (const char *)sqlite3_column_text(st, i);
	return *out ? 0 : -1;
}

/* A text column copied to the heap (*out NULL for SQL NULL); -1 out of
 * memory: never taken for a NULL. */
static int col_dup(sqlite3_stmt *st, int i, char **out)
{
	const char *s;

	*out = NULL;
	if (col_text(st, i, &s) < 0)
		return -1;
	return s && !(*out = strdup(s)) ? -1 : 0;
}

/* A text column into buf ("" for SQL NULL); -1 out of memory. */
static int col_copy(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const char *s;

	if (col_text(st, i, &s) < 0)
		return -1;
	snprintf(buf, size, "%s", s ? s : "");
	return 0;
}

/* Runs sql with integer parameters; -1 on error. */
static int exec_ints(sqlite3 *db, const char *sql, int n, const int64_t *args,
                     struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, sql, &st) != SQLITE_OK)
		return fail(db, err, "dispatching");
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(st, i + 1, args[i]);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : fail(db, err, "dispatching");
}

/* The first column of the first row as an integer (NONE when NULL or no
 * row), the statement's parameters the n integers of args. */
static int query_min(sqlite3 *db, const char *sql, int n, const int64_t *args, int64_t *out,
                     struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = NONE;
	if (store_prepare(db, sql, &st) != SQLITE_OK)
		return fail(db, err, "dispatching");
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(st, i + 1, args[i]);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out = sqlite3_column_int64(st, 0);
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(db, err, "dispatching");
}

/* Ids from a query with integer parameters (heap array in *ids). */
static int query_ids(sqlite3 *db, const char *sql, int n, const int64_t *args, int64_t **ids,
                     size_t *count, struct ccon_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*count = 0;
	if (store_prepare(db, sql, &st) != SQLITE_OK)
		return fail(db, err, "dispatching");
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(st, i + 1, args[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == cap) {
			int64_t *p = realloc(*ids, (cap = cap ? 2 * cap : 16) * sizeof(*p));

			if (!p) {
				store_done(st);
				free(*ids);
				*ids = NULL;
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			}
			*ids = p;
		}
		(*ids)[(*count)++] = sqlite3_column_int64(st, 0);
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return fail(db, err, "dispatching");
	}
	return 0;
}

/* ------------------------------------------------ starting a task */

/* The slots the task's pending recipients hold: a plan (shares in time
 * order); *unplaced counts those without a slot. */
static int own_shares(sqlite3 *db, int64_t task_id, struct ccon_slot_plan *own,
                      int64_t *unplaced, struct ccon_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(own, 0, sizeof(*own));
	*unplaced = 0;
	if (store_prepare(db, "SELECT slot_start_us, COUNT(*) FROM recipients WHERE task_id = ?1 "
	                      "AND status = 'pending' GROUP BY slot_start_us ORDER BY 1", &st) != SQLITE_OK)
		return fail(db, err, "reading a task's slots");
	sqlite3_bind_int64(st, 1, task_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			*unplaced += sqlite3_column_int64(st, 1);
			continue;
		}
		if (own->n_shares == cap) {
			struct ccon_slot_share *p = realloc(own->shares, (cap = cap ? 2 * cap : 16) *
			                                                 sizeof(*p));
			if (!p) {
				rc = SQLITE_NOMEM;
				break;
			}
			own->shares = p;
		}
		own->shares[own->n_shares].slot_start_us = sqlite3_column_int64(st, 0);
		own->shares[own->n_shares++].count = sqlite3_column_int64(st, 1);
	}
	store_done(st);
	if (rc == SQLITE_DONE)
		return 0;
	/* nothing half-read goes back to the caller */
	free(own->shares);
	memset(own, 0, sizeof(*own));
	if (rc == SQLITE_NOMEM)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return fail(db, err, "reading a task's slots");
}

static int64_t slot_index(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *u,
                          int64_t start)
{
	int64_t off = start - u->origin_us;

	return off >= 0 ? off / cfg->length_us : -1;
}

/* Each of the task's slots still holds it: on today's boundaries, inside
 * the window, and not above capacity with everyone's use counted. */
static bool plan_holds(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *u,
                       const struct ccon_slot_plan *own)
{
	for (size_t i = 0; i < own->n_shares; i++) {
		int64_t s = own->shares[i].slot_start_us, k = slot_index(cfg, u, s);

		if (ccon_slot_start(cfg, s) != s || k < 0 || (size_t)k >= u->count ||
		    u->used[k] > cfg->capacity)
			return false;
	}
	return true;
}

/* The plan as the tasks.plan column holds it; NULL out of memory (never
 * a plan with shares left out). */
static char *plan_text(const struct ccon_slot_plan *plan)
{
	char when[CCON_DATETIME_FORMAT_MAX];
	cJSON *arr = cJSON_CreateArray(), *o;
	char *text = NULL;
	bool whole = arr != NULL;

	for (size_t i = 0; whole && i < plan->n_shares; i++) {
		if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			whole = false;
			break;
		}
		whole = ccon_datetime_format(plan->shares[i].slot_start_us, when, sizeof(when),
		                             NULL) >= 0 &&
		        cJSON_AddStringToObject(o, "slotStart", when) &&
		        cJSON_AddNumberToObject(o, "count", (double)plan->shares[i].count);
	}
	if (whole)
		text = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	return text;
}

static int set_task_plan(sqlite3 *db, int64_t task_id, const struct ccon_slot_plan *plan,
                         struct ccon_error *err)
{
	char *text = plan_text(plan);
	sqlite3_stmt *st;
	int rc;

	if (!text)   /* the slots come from the store: only memory can fail */
		return nomem(err, "updating a task's plan");
	if (store_prepare(db, "UPDATE tasks SET plan = ?1 WHERE id = ?2", &st) != SQLITE_OK) {
		cJSON_free(text);
		return fail(db, err, "updating a task");
	}
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, task_id);
	rc = sqlite3_step(st);
	store_done(st);
	cJSON_free(text);
	return rc == SQLITE_DONE ? 0 : fail(db, err, "updating a task");
}

static int cancel_task(sqlite3 *db, int64_t task_id, const struct ccon_slot_plan *plan,
                       struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "UPDATE recipients SET status = 'canceled', reason_description = ?2 "
	                      "WHERE task_id = ?1 AND status = 'pending'", &st) != SQLITE_OK)
		return fail(db, err, "canceling a task");
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_text(st, 2, plan->cancel_reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return fail(db, err, "canceling a task");
	if (store_prepare(db, "UPDATE tasks SET status = 'canceled', cancel_code = ?2, "
	                      "cancel_reason = ?3 WHERE id = ?1", &st) != SQLITE_OK)
		return fail(db, err, "canceling a task");
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_text(st, 2, ccon_errc_name(plan->cancel_code), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, plan->cancel_reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : fail(db, err, "canceling a task");
}

/* Moves the task's pending recipients to the new plan's slots, in id order. */
static int assign_slots(sqlite3 *db, int64_t task_id, const struct ccon_slot_plan *plan,
                        struct ccon_error *err)
{
	if (exec_ints(db, "UPDATE recipients SET slot_start_us = NULL WHERE task_id = ?1 AND "
	                  "status = 'pending'", 1, (int64_t[]){ task_id }, err) < 0)
		return -1;
	for (size_t i = 0; i < plan->n_shares; i++)
		if (exec_ints(db, "UPDATE recipients SET slot_start_us = ?1 WHERE id IN (SELECT id "
		                  "FROM recipients WHERE task_id = ?2 AND status = 'pending' AND "
		                  "slot_start_us IS NULL ORDER BY id LIMIT ?3)", 3,
		              (int64_t[]){ plan->shares[i].slot_start_us, task_id,
		                           plan->shares[i].count }, err) < 0)
			return -1;
	return 0;
}

/* The stored plan no longer holds: plan again over everyone else's use
 * (the task's own reservation taken out) with the planner the send used. */
static int replan(sqlite3 *db, int64_t app_id, const char *channel, int64_t task_id,
                  int64_t send_at, enum ccon_slicing slicing, const struct ccon_slot_config *cfg,
                  struct ccon_slot_usage *u, const struct ccon_slot_plan *own, int64_t audience,
                  struct ccon_error *err)
{
	struct ccon_slot_plan plan;
	int64_t *used = (int64_t *)u->used;
	int rc;

	for (size_t i = 0; i < own->n_shares; i++) {
		int64_t k = slot_index(cfg, u, own->shares[i].slot_start_us);

		if (k >= 0 && (size_t)k < u->count)
			used[k] = used[k] > own->shares[i].count ? used[k] - own->shares[i].count : 0;
	}
	memset(&plan, 0, sizeof(plan));
	if (ccon_slot_plan_compute(cfg, u, send_at, audience, slicing, &plan, err) < 0)
		return -1;
	rc = slot_store_reserve(db, app_id, channel, own, -1, err);
	if (rc == 0 && plan.canceled)
		rc = cancel_task(db, task_id, &plan, err);
	else if (rc == 0)
		rc = slot_store_reserve(db, app_id, channel, &plan, 1, err) < 0 ||
		     assign_slots(db, task_id, &plan, err) < 0 ||
		     set_task_plan(db, task_id, &plan, err) < 0 ? -1 : 0;
	ccon_slot_plan_free(&plan);
	return rc < 0 ? -1 : plan.canceled ? 1 : 0;
}

/* Inside the task's transaction: re-checks its plan; 1 when it was canceled. */
static int recheck_plan(sqlite3 *db, int64_t task_id, int64_t app_id, const char *channel,
                        int64_t send_at, const char *slicing_name, struct ccon_error *err)
{
	struct ccon_slot_config cfg;
	struct ccon_slot_usage u = { 0 };
	struct ccon_slot_plan own;
	enum ccon_slicing slicing;
	int64_t unplaced, audience = 0;
	int rc;

	if (ccon_slicing_parse(slicing_name, &slicing, err) < 0)
		slicing = CCON_SLICING_FRAGMENTED;
	if (own_shares(db, task_id, &own, &unplaced, err) < 0)
		return -1;
	for (size_t i = 0; i < own.n_shares; i++)
		audience += own.shares[i].count;
	audience += unplaced;
	rc = slot_store_config(db, app_id, channel, &cfg, err) < 0 ||
	     slot_store_usage(db, app_id, channel, &cfg, send_at, CCON_SLOT_WINDOW_US, &u, err) < 0
	     ? -1 : 0;
	if (rc == 0 && audience > 0 && (unplaced || !plan_holds(&cfg, &u, &own)))
		rc = replan(db, app_id, channel, task_id, send_at, slicing, &cfg, &u, &own, audience,
		            err);
	slot_store_usage_free(&u);
	free(own.shares);
	return rc;
}

/* A scheduled task whose time has come becomes running (or canceled when
 * its plan can no longer be placed), in one transaction. */
static int start_task(sqlite3 *db, int64_t task_id, int64_t now, struct ccon_error *err)
{
	char channel[32] = "", slicing[48] = "";
	int64_t app_id = 0, send_at = 0;
	sqlite3_stmt *st;
	int rc, found, copied = 0;

	if (store_begin(db, err) < 0)
		return -1;
	if (store_prepare(db, "SELECT t.app_id, c.channel, t.send_at_us, t.slicing FROM tasks t "
	                      "JOIN campaigns c ON c.id = t.campaign_id WHERE t.id = ?1 AND "
	                      "t.status = 'scheduled'", &st) != SQLITE_OK) {
		fail(db, err, "starting a task");
		store_rollback(db);
		return -1;
	}
	sqlite3_bind_int64(st, 1, task_id);
	rc = sqlite3_step(st);
	found = rc == SQLITE_ROW;
	if (found) {
		app_id = sqlite3_column_int64(st, 0);
		send_at = sqlite3_column_int64(st, 2);
		copied = col_copy(st, 1, channel, sizeof(channel)) < 0 ||
		         col_copy(st, 3, slicing, sizeof(slicing)) < 0 ? -1 : 0;
	}
	store_done(st);
	if (copied < 0) {
		store_rollback(db);
		return nomem(err, "starting a task");
	}
	if (!found) {
		store_rollback(db);   /* canceled meanwhile */
		return rc == SQLITE_DONE ? 0 : fail(db, err, "starting a task");
	}
	rc = recheck_plan(db, task_id, app_id, channel, send_at, slicing, err);
	if (rc == 0)
		rc = exec_ints(db, "UPDATE tasks SET status = 'running', started_us = ?2 WHERE id = ?1",
		               2, (int64_t[]){ task_id, now }, err);
	if (rc < 0) {
		store_rollback(db);
		return -1;
	}
	return store_commit(db, err);
}

static int start_due_tasks(sqlite3 *db, int64_t now, struct ccon_error *err)
{
	int64_t *ids;
	size_t n;
	int rc = 0;

	if (query_ids(db, "SELECT id FROM tasks WHERE status = 'scheduled' AND send_at_us <= ?1 "
	                  "ORDER BY send_at_us, id", 1, (int64_t[]){ now }, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = start_task(db, ids[i], now, err);
	free(ids);
	return rc;
}

/* ------------------------------------------------ rendering */

static void task_info_free(struct task_info *t)
{
	free(t->template_name);
	free(t->template_body);
	free(t->template_params);
	memset(t, 0, sizeof(*t));
}

/* The task's nlsMode (auto when it has none); -1 when the options ccond
 * wrote itself cannot be parsed: out of memory, never taken for auto. */
static int nls_of(const char *options, enum ccon_nls_mode *mode)
{
	cJSON *o = NULL;
	const cJSON *m;

	*mode = CCON_NLS_AUTO;
	if (!options)
		return 0;
	if (!(o = cJSON_Parse(options)))
		return -1;
	m = cJSON_GetObjectItemCaseSensitive(o, "nlsMode");
	for (int i = CCON_NLS_AUTO; cJSON_IsString(m) && i <= CCON_NLS_SPANISH; i++)
		if (strcmp(m->valuestring, ccon_nls_mode_name((enum ccon_nls_mode)i)) == 0)
			*mode = (enum ccon_nls_mode)i;
	cJSON_Delete(o);
	return 0;
}

static int task_info_load(sqlite3 *db, int64_t task_id, struct task_info *t,
                          struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(t, 0, sizeof(*t));
	if (store_prepare(db, "SELECT t.send_at_us, t.options, c.channel, c.template_name, "
	                      "c.template_body, c.template_params, t.app_id FROM tasks t JOIN "
	                      "campaigns c ON "
	                      "c.id = t.campaign_id WHERE t.id = ?1", &st) != SQLITE_OK)
		return fail(db, err, "reading a task");
	sqlite3_bind_int64(st, 1, task_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *options;

		t->id = task_id;
		t->send_at_us = sqlite3_column_int64(st, 0);
		t->app_id = sqlite3_column_int64(st, 6);
		if (col_text(st, 1, &options) < 0 || nls_of(options, &t->nls) < 0 ||
		    col_copy(st, 2, t->channel, sizeof(t->channel)) < 0 ||
		    col_dup(st, 3, &t->template_name) < 0 || col_dup(st, 4, &t->template_body) < 0 ||
		    col_dup(st, 5, &t->template_params) < 0) {
			store_done(st);
			task_info_free(t);
			return nomem(err, "reading a task");
		}
	}
	store_done(st);
	return rc == SQLITE_ROW ? 0 : fail(db, err, "reading a task");
}

struct values {
	cJSON *params, *context;
};

static const char *lookup(void *ctx, const char *name, size_t len)
{
	struct values *v = ctx;
	const cJSON *item = NULL;
	char key[256];

	if (len >= sizeof(key))
		return NULL;
	memcpy(key, name, len);
	key[len] = '\0';
	if (strncmp(key, "context.", 8) == 0)
		item = cJSON_GetObjectItemCaseSensitive(v->context, key + 8);
	else
		item = cJSON_GetObjectItemCaseSensitive(v->params, key);
	if (!item)
		item = cJSON_GetObjectItemCaseSensitive(v->context, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* A template sent by name: every declared parameter needs a value. The
 * names missing, or -1 out of memory (the names are JSON ccond wrote
 * itself: only memory can keep cJSON from parsing them). */
static int check_params(const char *names_json, struct values *v, struct ccon_strbuf *missing)
{
	cJSON *names = NULL, *n;
	int count = 0;

	if (names_json && !(names = cJSON_Parse(names_json)))
		return -1;
	cJSON_ArrayForEach(n, names) {
		if (!cJSON_IsString(n) || lookup(v, n->valuestring, strlen(n->valuestring)))
			continue;
		if (ccon_strbuf_puts(missing, count++ ? ", " : "missing variables: ") < 0 ||
		    ccon_strbuf_puts(missing, n->valuestring) < 0) {
			count = -1;
			break;
		}
	}
	cJSON_Delete(names);
	return count;
}

/* The message's text in out, or its render error in why (a lasting
 * outcome: the recipient fails). -1 out of memory: nothing is decided for
 * the recipient, the batch stays due. */
static int render(const struct task_info *t, const struct claimed *c, struct ccon_strbuf *out,
                  struct ccon_strbuf *why, struct ccon_error *err)
{
	struct values v = { NULL, NULL };
	struct ccon_error e;
	const char *text;
	int rc = 0, missing = 0;
	bool parsed;

	/* params and context are JSON ccond wrote: a parse fails for memory */
	v.params = cJSON_Parse(c->params ? c->params : "{}");
	v.context = c->context ? cJSON_Parse(c->context) : NULL;
	parsed = v.params && (!c->context || v.context);
	if (parsed && !t->template_body)
		missing = check_params(t->template_params, &v, why);
	if (!parsed || missing < 0) {
		rc = -1;
	} else if (t->template_body) {
		ccon_error_clear(&e);
		if (ccon_template_render(t->template_body, lookup, &v, out, &e) < 0)
			rc = e.code == CCON_E_NOMEM || ccon_strbuf_puts(why, e.message) < 0 ? -1 : 0;
	} else if (missing == 0) {
		text = lookup(&v, "text", 4);
		if (text)
			rc = ccon_strbuf_puts(out, text);
		else
			rc = ccon_strbuf_puts(out, "[template ") < 0 ||
			     ccon_strbuf_puts(out, t->template_name ? t->template_name : "-") < 0 ||
			     ccon_strbuf_puts(out, "] ") < 0 ||
			     ccon_strbuf_puts(out, c->params ? c->params : "{}") < 0 ? -1 : 0;
	}
	cJSON_Delete(v.params);
	cJSON_Delete(v.context);
	return rc < 0 ? nomem(err, "rendering a message") : 0;
}

/* ------------------------------------------------ claiming and sending */

static void batch_clear(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].recipient);
		free(b->items[i].params);
		free(b->items[i].context);
	}
	b->n = 0;
}

/* One claimed row into c (batch_clear frees it even when this fails); -1
 * out of memory: a column that could not be copied never becomes an
 * empty address or a message without its values. */
static int read_claimed(sqlite3_stmt *st, struct claimed *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->attempt = sqlite3_column_int(st, 4);
	c->slot_start_us = sqlite3_column_type(st, 6) == SQLITE_NULL ? NONE
	                                                               : sqlite3_column_int64(st, 6);
	return col_dup(st, 1, &c->recipient) < 0 || col_dup(st, 2, &c->params) < 0 ||
	       col_dup(st, 3, &c->context) < 0 || col_copy(st, 5, c->key, sizeof(c->key)) < 0
	       ? -1 : 0;
}

/* Reads the claimed rows of st into b: SQLITE_DONE, SQLITE_NOMEM when a
 * row could not be copied, or the step's error. */
static int read_batch(sqlite3_stmt *st, struct batch *b)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (read_claimed(st, &b->items[b->n++]) < 0)
			return SQLITE_NOMEM;
	return rc;
}

/* Recipients of the task left in flight by an earlier run (a crash): they
 * go again with their keys, their attempt already counted. */
static int load_in_flight(sqlite3 *db, int64_t task_id, struct batch *b, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "SELECT id, recipient, params, context, attempts, send_key, "
	                      "slot_start_us FROM recipients WHERE task_id = ?1 AND "
	                      "status = 'pending' AND send_key IS NOT NULL LIMIT ?2",
	                  &st) != SQLITE_OK)
		return fail(db, err, "claiming recipients");
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_int(st, 2, DISPATCH_BATCH);
	rc = read_batch(st, b);
	store_done(st);
	if (rc == SQLITE_NOMEM)
		return nomem(err, "reading recipients in flight");
	return rc == SQLITE_DONE ? 0 : fail(db, err, "claiming recipients");
}

/* Claims up to a batch of the task's due recipients: each gets its send
 * key and its attempt counted, committed before any is sent. */
static int claim(sqlite3 *db, int64_t task_id, int64_t now, struct batch *b,
                 struct ccon_error *err)
{
	sqlite3_stmt *st, *up;
	int rc;

	if (store_begin(db, err) < 0)
		return -1;
	if (store_prepare(db, "SELECT id, recipient, params, context, attempts, NULL, "
	                      "slot_start_us FROM recipients WHERE task_id = ?1 AND status = 'pending' AND slot_start_us <= ?2 "
	                      "AND send_key IS NULL AND (next_attempt_us IS NULL OR "
	                      "next_attempt_us <= ?2) ORDER BY slot_start_us, id LIMIT ?3",
	                  &st) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, DISPATCH_BATCH);
	rc = read_batch(st, b);
	store_done(st);
	if (rc == SQLITE_NOMEM) {
		nomem(err, "claiming recipients");
		store_rollback(db);
		return -1;
	}
	if (rc != SQLITE_DONE ||
	    store_prepare(db, "UPDATE recipients SET send_key = ?2, attempts = ?3 WHERE id = ?1",
	                  &up) != SQLITE_OK)
		goto fail;
	for (size_t i = 0; i < b->n && rc == SQLITE_DONE; i++) {
		struct claimed *c = &b->items[i];

		c->attempt++;
		snprintf(c->key, sizeof(c->key), "r%lld-a%d", (long long)c->id, c->attempt);
		sqlite3_bind_int64(up, 1, c->id);
		sqlite3_bind_text(up, 2, c->key, -1, SQLITE_STATIC);
		sqlite3_bind_int(up, 3, c->attempt);
		rc = sqlite3_step(up);
		sqlite3_reset(up);
	}
	store_done(up);
	if (rc != SQLITE_DONE)
		goto fail;
	return store_commit(db, err);
fail:
	fail(db, err, "claiming recipients");
	store_rollback(db);
	return -1;
}

static int hand_over(struct dispatcher *d, sqlite3 *db, const struct task_info *t,
                     struct batch *b, int64_t now, struct ccon_error *err)
{
	struct ccon_strbuf text = CCON_STRBUF_INIT, why = CCON_STRBUF_INIT;
	int rc;

	if (d->ops->batch_begin(d->driver_self, db, err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		struct claimed *c = &b->items[i];
		struct outgoing msg = { 0 };
		struct ccon_sms_info info;
		struct ccon_error e;

		ccon_strbuf_reset(&text);
		ccon_strbuf_reset(&why);
		if ((rc = render(t, c, &text, &why, err)) < 0)
			break;
		c->sms = strcmp(t->channel, "sms") == 0;
		c->segments = 1;
		ccon_error_clear(&e);
		if (c->sms && !why.len &&
		    ccon_sms_analyze(text.buf ? text.buf : "", text.len, t->nls, &info, &e) == 0)
			c->segments = (int)info.segments;
		msg.recipient_id = c->id;
		msg.send_key = c->key;
		msg.channel = t->channel;
		msg.recipient = c->recipient ? c->recipient : "";
		msg.text = why.len ? NULL : text.buf ? text.buf : "";
		msg.render_error = why.len ? why.buf : NULL;
		msg.segments = c->segments;
		msg.attempt = c->attempt;
		msg.now_us = now;
		rc = d->ops->send(d->driver_self, db, &msg, &c->res, err);
	}
	ccon_strbuf_free(&text);
	ccon_strbuf_free(&why);
	if (rc < 0) {
		d->ops->batch_end(d->driver_self, db, false, err);
		return -1;
	}
	return d->ops->batch_end(d->driver_self, db, true, err);
}

/* When the recipient may try again, or NONE: a retryable refusal within
 * the attempts and the task's 48 h. */
static int64_t retry_at(const struct task_info *t, const struct claimed *c)
{
	int64_t at;

	if (!c->res.retryable || c->attempt >= DISPATCH_MAX_ATTEMPTS)
		return NONE;
	at = c->res.at_us + (DISPATCH_BACKOFF_US << (c->attempt - 1));
	return at <= t->send_at_us + CCON_SLOT_WINDOW_US ? at : NONE;
}

/* 1 when the recipient left `pending` (handed to the channel for good),
 * 0 when it waits to try again or was already recorded, -1 on error. */
static int apply_one(sqlite3 *db, const struct task_info *t, const struct claimed *c,
                     sqlite3_stmt *ok, sqlite3_stmt *bad, sqlite3_stmt *again,
                     struct ccon_strbuf *events, struct ccon_error *err)
{
	const struct send_result *r = &c->res;
	sqlite3_stmt *st;
	int64_t retry;
	int rc;

	if (r->outcome == DRIVER_ACCEPTED) {
		st = ok;
		sqlite3_bind_int64(st, 3, r->at_us);
		if (c->sms)
			sqlite3_bind_int(st, 4, c->segments);
		ccon_strbuf_reset(events);
		if (delivery_events_encode(r->events, r->n_events, events) < 0)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		if (r->n_events) {
			sqlite3_bind_text(st, 5, events->buf, (int)events->len, SQLITE_STATIC);
			sqlite3_bind_int64(st, 6, r->events[0].at_us);
		}
	} else if ((retry = retry_at(t, c)) != NONE) {
		st = again;
		sqlite3_bind_int64(st, 3, retry);
	} else {
		st = bad;
		sqlite3_bind_int64(st, 3, r->at_us);
		sqlite3_bind_int(st, 4, r->code);
		sqlite3_bind_text(st, 5, r->description, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_text(st, 2, c->key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return fail(db, err, "recording a send");
	return st != again && sqlite3_changes(db) > 0;
}

/* Adds what the batch handed over to slot_use.sent: the batch's recipients
 * come in slot order, one UPDATE a run of the same slot. */
static int count_sent(sqlite3 *db, const struct task_info *t, const struct batch *b,
                      const bool *final, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;
	size_t i = 0;

	if (store_prepare(db, "UPDATE slot_use SET sent = sent + ?4 WHERE app_id = ?1 AND "
	                      "channel = ?2 AND slot_start_us = ?3", &st) != SQLITE_OK)
		return fail(db, err, "counting slot use");
	while (i < b->n && rc == SQLITE_DONE) {
		int64_t slot = b->items[i].slot_start_us, n = 0;

		for (; i < b->n && b->items[i].slot_start_us == slot; i++)
			n += final[i];
		if (!n || slot == NONE)
			continue;
		sqlite3_bind_int64(st, 1, t->app_id);
		sqlite3_bind_text(st, 2, t->channel, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, slot);
		sqlite3_bind_int64(st, 4, n);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	store_done(st);
	return rc == SQLITE_DONE ? 0 : fail(db, err, "counting slot use");
}

/* The driver's answers, in one transaction. */
static int apply_results(sqlite3 *db, const struct task_info *t, const struct batch *b,
                         struct ccon_error *err)
{
	static const char *const sql[3] = {
		"UPDATE recipients SET status = 'processed', processed_us = ?3, segments = ?4, "
		"events = ?5, next_event_us = ?6, next_attempt_us = NULL WHERE id = ?1 AND "
		"status = 'pending' AND send_key = ?2",
		"UPDATE recipients SET status = 'failed', failed_us = ?3, reason_code = ?4, "
		"reason_description = ?5, next_attempt_us = NULL WHERE id = ?1 AND "
		"status = 'pending' AND send_key = ?2",
		"UPDATE recipients SET send_key = NULL, next_attempt_us = ?3 WHERE id = ?1 AND "
		"status = 'pending' AND send_key = ?2",
	};
	struct ccon_strbuf events = CCON_STRBUF_INIT;
	sqlite3_stmt *st[3] = { NULL, NULL, NULL };
	bool final[DISPATCH_BATCH];
	int64_t waiting = 0;
	int rc = 0;

	if (store_begin(db, err) < 0)
		return -1;
	for (int i = 0; i < 3 && rc == 0; i++)
		if (store_prepare(db, sql[i], &st[i]) != SQLITE_OK)
			rc = fail(db, err, "recording a send");
	for (size_t i = 0; i < b->n && rc >= 0; i++) {
		rc = apply_one(db, t, &b->items[i], st[0], st[1], st[2], &events, err);
		final[i] = rc > 0;
		waiting += final[i] && b->items[i].res.outcome == DRIVER_ACCEPTED &&
		           b->items[i].res.n_events > 0;
	}
	ccon_strbuf_free(&events);
	for (int i = 0; i < 3; i++)
		if (st[i])
			store_done(st[i]);
	if (rc >= 0)
		rc = count_sent(db, t, b, final, err);
	/* the task is not done before their statuses came */
	if (rc >= 0 && waiting)
		rc = exec_ints(db, "UPDATE tasks SET events_left = events_left + ?2 WHERE id = ?1", 2,
		               (int64_t[]){ t->id, waiting }, err);
	if (rc < 0) {
		store_rollback(db);
		return -1;
	}
	return store_commit(db, err);
}

/* Between batches, with no transaction open: copies the WAL back so that
 * the next write can start it over. The store's own checkpointer runs
 * beside a writer that never pauses and never catches up: under a long
 * dispatch the WAL grew to gigabytes and every read slowed down with it. */
static void checkpoint(sqlite3 *db)
{
	sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

static bool stopping(struct dispatcher *d)
{
	bool s;

	pthread_mutex_lock(&d->lock);
	s = d->stopping;
	pthread_mutex_unlock(&d->lock);
	return s;
}

/* Sends every due recipient of one running task, a batch at a time. */
static int dispatch_task(struct dispatcher *d, sqlite3 *db, int64_t task_id, int64_t now,
                         struct batch *b, struct ccon_error *err)
{
	struct task_info t;
	int rc = 0;

	if (task_info_load(db, task_id, &t, err) < 0)
		return -1;
	while (rc == 0 && !stopping(d)) {
		rc = load_in_flight(db, task_id, b, err);
		if (rc == 0 && b->n == 0)
			rc = claim(db, task_id, now, b, err);
		if (rc < 0 || b->n == 0)
			break;
		rc = hand_over(d, db, &t, b, now, err);
		if (rc == 0)
			rc = apply_results(db, &t, b, err);
		batch_clear(b);
		if (++d->batches % CHECKPOINT_EVERY == 0)
			checkpoint(db);
	}
	batch_clear(b);
	task_info_free(&t);
	return rc;
}

static int dispatch_running(struct dispatcher *d, sqlite3 *db, int64_t now,
                            struct ccon_error *err)
{
	struct batch *b = calloc(1, sizeof(*b));
	int64_t *ids;
	size_t n;
	int rc = 0;

	if (!b)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (query_ids(db, "SELECT id FROM tasks WHERE status = 'running' ORDER BY id", 0, NULL,
	              &ids, &n, err) < 0) {
		free(b);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = dispatch_task(d, db, ids[i], now, b, err);
	free(ids);
	free(b);
	return rc;
}

static int finish_tasks(sqlite3 *db, int64_t now, struct ccon_error *err)
{
	if (store_begin(db, err) < 0)
		return -1;
	if (exec_ints(db, "UPDATE tasks SET status = 'done', done_us = ?1 WHERE status = 'running' "
	                  "AND events_left = 0 AND NOT EXISTS (SELECT 1 FROM recipients r WHERE "
	                  "r.task_id = tasks.id AND r.status = 'pending')", 1, (int64_t[]){ now },
	              err) < 0) {
		store_rollback(db);
		return -1;
	}
	return store_commit(db, err);
}

/* ------------------------------------------------ runs */

/* The next instant at which a task starts or a recipient may be sent. A
 * running task's recipients are due at their slot's start but never before
 * the task started: the task starts inside its first slot, and a run that
 * failed after the start (its next run steps from the earliest due
 * instant) must not send them back-dated to the slot's start. Recipients
 * left in flight by a failed run are due then too: the next run hands
 * them over at the instant the failed one was at, not at its end. */
static int next_send_due(sqlite3 *db, int64_t *out, struct ccon_error *err)
{
	int64_t a, b, c;

	if (query_min(db, "SELECT MIN(send_at_us) FROM tasks WHERE status = 'scheduled'", 0, NULL,
	              &a, err) < 0 ||
	    query_min(db, "SELECT MIN((SELECT MAX(MIN(slot_start_us), COALESCE(t.started_us, 0)) "
	                  "FROM recipients r WHERE "
	                  "r.task_id = t.id AND r.status = 'pending' AND "
	                  "r.next_attempt_us IS NULL)) FROM tasks t WHERE t.status = 'running'",
	              0, NULL, &b, err) < 0 ||
	    query_min(db, "SELECT MIN(next_attempt_us) FROM recipients WHERE status = 'pending' "
	                  "AND next_attempt_us IS NOT NULL", 0, NULL, &c, err) < 0)
		return -1;
	*out = a < b ? a : b;
	if (c < *out)
		*out = c;
	return 0;
}

static int run_at(struct dispatcher *d, sqlite3 *db, int64_t now, struct ccon_error *err)
{
	if (start_due_tasks(db, now, err) < 0 || dispatch_running(d, db, now, err) < 0 ||
	    dispatch_events_apply(db, now, err) < 0)
		return -1;
	return 0;
}

int dispatcher_run_due(struct dispatcher *d, sqlite3 *db, int64_t now_us, struct ccon_error *err)
{
	int64_t t, last = INT64_MIN;
	int rc = 0;

	pthread_mutex_lock(&d->run_lock);
	sqlite3_exec(db, "PRAGMA cache_size = -" CCON_STR(CACHE_KIB), NULL, NULL, NULL);
	/* the manual clock jumped: each instant on the way, in order */
	while (d->step && rc == 0) {
		rc = next_send_due(db, &t, err);
		if (rc < 0 || t > now_us || t <= last)
			break;
		rc = run_at(d, db, t, err);
		last = t;
	}
	if (rc == 0)
		rc = run_at(d, db, now_us, err);
	if (rc == 0)
		rc = finish_tasks(db, now_us, err);
	pthread_mutex_unlock(&d->run_lock);
	return rc;
}

/* ------------------------------------------------ the thread */

static void *dispatch_thread(void *arg)
{
	struct dispatcher *d = arg;
	struct ccon_error err;

	while (!stopping(d)) {
		sqlite3 *db = store_acquire(d->eng->store);
		int64_t now = engine_now_us(d->eng), next = NONE, events = NONE;
		struct timespec until;

		ccon_error_clear(&err);
		if (dispatcher_run_due(d, db, now, &err) < 0)
			fprintf(stderr, "ccond: dispatch: %s\n", err.message);
		else if (next_send_due(db, &next, &err) < 0 ||
		         dispatch_events_next(db, &events, &err) < 0)
			next = NONE;
		store_release(d->eng->store, db);
		if (events < next)
			next = events;
		now = engine_now_us(d->eng);
		if (next > now + IDLE_US)
			next = now + IDLE_US;
		until.tv_sec = (time_t)(next / 1000000);
		until.tv_nsec = (long)(next % 1000000) * 1000;
		pthread_mutex_lock(&d->lock);
		while (!d->woken && !d->stopping && next > engine_now_us(d->eng))
			if (pthread_cond_timedwait(&d->cond, &d->lock, &until) == ETIMEDOUT)
				break;
		d->woken = false;
		pthread_mutex_unlock(&d->lock);
	}
	return NULL;
}

int dispatcher_start(struct engine *eng, const struct driver_ops *ops, void *driver_self,
                     bool thread, struct dispatcher **out, struct ccon_error *err)
{
	struct dispatcher *d = calloc(1, sizeof(*d));

	if (!d)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	d->eng = eng;
	d->ops = ops;
	d->driver_self = driver_self;
	pthread_mutex_init(&d->run_lock, NULL);
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	d->step = !thread;
	if (thread) {
		if (pthread_create(&d->thread, NULL, dispatch_thread, d) != 0) {
			dispatcher_stop(d);
			return ccon_error_set(err, CCON_E_IO, "cannot start the dispatcher");
		}
		d->has_thread = true;
	}
	*out = d;
	return 0;
}

void dispatcher_wake(struct dispatcher *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->woken = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

void dispatcher_stop(struct dispatcher *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (d->has_thread)
		pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_destroy(&d->run_lock);
	free(d);
}
