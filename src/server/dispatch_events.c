#include "config.h"

#include "dispatch_events.h"

#include "delivery_events.h"
#include "store.h"

#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE INT64_MAX
/* Recipients a transaction: they come in no order of id, so a bigger batch
 * writes each page of recipients it touches once for more of them. */
#define EVENT_BATCH 5000

/* A recipient's statuses as they stand. */
struct delivery {
	int64_t id, task_id;
	char status[16];
	int64_t received, read, failed;
	const struct driver_event *failure;
};

static int64_t col_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NONE : sqlite3_column_int64(st, i);
}

static bool is(const struct delivery *d, const char *status)
{
	return strcmp(d->status, status) == 0;
}

static void set_status(struct delivery *d, const char *status)
{
	snprintf(d->status, sizeof(d->status), "%s", status);
}

static void apply(struct delivery *d, const struct driver_event *e)
{
	switch (e->kind) {
	case DRIVER_EVENT_RECEIVED:
		if (d->received == NONE)
			d->received = e->at_us;
		if (is(d, "processed"))
			set_status(d, "received");
		break;
	case DRIVER_EVENT_READ:
		if (is(d, "failed"))
			break;
		if (d->read == NONE)
			d->read = e->at_us;
		if (d->received == NONE)
			d->received = e->at_us;
		if (is(d, "processed") || is(d, "received"))
			set_status(d, "read");
		break;
	case DRIVER_EVENT_FAILED:
		if (is(d, "processed") || is(d, "received")) {
			set_status(d, "failed");
			d->failed = e->at_us;
			d->failure = e;
		}
		break;
	}
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

/* Tasks and how many of their recipients had their last status. */
struct finished {
	int64_t *task, *n;
	size_t count, cap;
};

static int finished_add(struct finished *f, int64_t task_id)
{
	for (size_t i = 0; i < f->count; i++)
		if (f->task[i] == task_id) {
			f->n[i]++;
			return 0;
		}
	if (f->count == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 8;
		int64_t *t = realloc(f->task, cap * sizeof(*t)), *n;

		if (!t)
			return -1;
		f->task = t;
		if (!(n = realloc(f->n, cap * sizeof(*n))))
			return -1;
		f->n = n;
		f->cap = cap;
	}
	f->task[f->count] = task_id;
	f->n[f->count++] = 1;
	return 0;
}

static int finished_write(sqlite3 *db, const struct finished *f, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	if (!f->count)
		return 0;
	if (store_prepare(db, "UPDATE tasks SET events_left = events_left - ?2 WHERE id = ?1",
	                  &st) != SQLITE_OK)
		return store_fail(db, err, "applying statuses");
	for (size_t i = 0; i < f->count && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(st, 1, f->task[i]);
		sqlite3_bind_int64(st, 2, f->n[i]);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "applying statuses");
}

/* One recipient: its due statuses folded in, the rest kept. */
static int apply_row(sqlite3_stmt *sel, sqlite3_stmt *up, int64_t now, struct ccon_strbuf *rest,
                     struct finished *fin)
{
	struct driver_event ev[DRIVER_MAX_EVENTS];
	struct delivery d = { 0 };
	const char *status, *events = NULL;
	unsigned n, due = 0;
	int rc;

	/* a text SQLite has but cannot give is out of memory: never taken for
	 * no status or no events */
	status = (const char *)sqlite3_column_text(sel, 2);
	if (!status || (sqlite3_column_type(sel, 5) != SQLITE_NULL &&
	                !(events = (const char *)sqlite3_column_text(sel, 5))))
		return SQLITE_NOMEM;
	d.id = sqlite3_column_int64(sel, 0);
	d.task_id = sqlite3_column_int64(sel, 1);
	set_status(&d, status);
	d.received = col_time(sel, 3);
	d.read = col_time(sel, 4);
	d.failed = NONE;
	/* a record it cannot read is dropped rather than retried forever */
	if (delivery_events_decode(events, ev, DRIVER_MAX_EVENTS, &n) < 0)
		n = 0;
	while (due < n && ev[due].at_us <= now)
		apply(&d, &ev[due++]);
	ccon_strbuf_reset(rest);
	if (delivery_events_encode(ev + due, n - due, rest) < 0)
		return SQLITE_NOMEM;
	sqlite3_bind_int64(up, 1, d.id);
	sqlite3_bind_text(up, 2, d.status, -1, SQLITE_STATIC);
	bind_time(up, 3, d.received);
	bind_time(up, 4, d.read);
	bind_time(up, 5, d.failed);
	if (d.failure) {
		sqlite3_bind_int(up, 6, d.failure->code);
		sqlite3_bind_text(up, 7, d.failure->description, -1, SQLITE_STATIC);
	}
	if (due < n) {
		sqlite3_bind_text(up, 8, rest->buf, (int)rest->len, SQLITE_STATIC);
		sqlite3_bind_int64(up, 9, ev[due].at_us);
	}
	rc = sqlite3_step(up);
	sqlite3_reset(up);
	sqlite3_clear_bindings(up);
	if (rc == SQLITE_DONE && due == n && finished_add(fin, d.task_id) < 0)
		return SQLITE_NOMEM;
	return rc;
}

/* Up to a batch of recipients; *n how many. */
static int apply_batch(sqlite3 *db, int64_t now, int *n, struct ccon_error *err)
{
	struct ccon_strbuf rest = CCON_STRBUF_INIT;
	struct finished fin = { 0 };
	sqlite3_stmt *sel = NULL, *up = NULL;
	int rc = SQLITE_DONE;

	*n = 0;
	if (store_begin(db, err) < 0)
		return -1;
	if (store_prepare(db, "SELECT id, task_id, status, received_us, read_us, events FROM "
	                      "recipients WHERE next_event_us IS NOT NULL AND next_event_us <= ?1 "
	                      "ORDER BY next_event_us LIMIT ?2", &sel) != SQLITE_OK ||
	    store_prepare(db, "UPDATE recipients SET status = ?2, received_us = ?3, read_us = ?4, "
	                      "failed_us = COALESCE(?5, failed_us), reason_code = "
	                      "COALESCE(?6, reason_code), reason_description = "
	                      "COALESCE(?7, reason_description), events = ?8, next_event_us = ?9 "
	                      "WHERE id = ?1", &up) != SQLITE_OK) {
		rc = SQLITE_ERROR;
		goto out;
	}
	sqlite3_bind_int64(sel, 1, now);
	sqlite3_bind_int(sel, 2, EVENT_BATCH);
	/* a failed step is an error, not the end of the due statuses */
	while (rc == SQLITE_DONE) {
		int step = sqlite3_step(sel);

		if (step != SQLITE_ROW) {
			rc = step;
			break;
		}
		rc = apply_row(sel, up, now, &rest, &fin);
		(*n)++;
	}
out:
	if (sel)
		store_done(sel);
	if (up)
		store_done(up);
	ccon_strbuf_free(&rest);
	if (rc == SQLITE_NOMEM)
		ccon_error_set(err, CCON_E_NOMEM, "applying statuses: out of memory");
	else if (rc != SQLITE_DONE)
		store_fail(db, err, "applying statuses");
	if (rc == SQLITE_DONE && finished_write(db, &fin, err) < 0)
		rc = SQLITE_ERROR;
	free(fin.task);
	free(fin.n);
	if (rc != SQLITE_DONE) {
		store_rollback(db);
		return -1;
	}
	return store_commit(db, err);
}

int dispatch_events_apply(sqlite3 *db, int64_t now_us, struct ccon_error *err)
{
	int n = EVENT_BATCH;

	while (n == EVENT_BATCH)
		if (apply_batch(db, now_us, &n, err) < 0)
			return -1;
	return 0;
}

int dispatch_events_next(sqlite3 *db, int64_t *out_us, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out_us = NONE;
	if (store_prepare(db, "SELECT MIN(next_event_us) FROM recipients WHERE next_event_us IS "
	                      "NOT NULL", &st) != SQLITE_OK)
		return store_fail(db, err, "reading statuses");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out_us = sqlite3_column_int64(st, 0);
	store_done(st);
	return rc == SQLITE_ROW ? 0 : store_fail(db, err, "reading statuses");
}
