/* commands_delete.c - delete /campaigns/{id}: cancels a campaign that has
 * not started sending; its pending recipients are canceled and the slot
 * places they held given back, in one transaction. */
#include "config.h"

#include "commands.h"

#include "slot_store.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cancel_fail(sqlite3 *db, struct ccon_error *err)
{
	return store_fail(db, err, "canceling a campaign");
}

/* sql prepared with id as ?1. */
static int prepare_id(sqlite3 *db, const char *sql, int64_t id, sqlite3_stmt **st,
                      struct ccon_error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return cancel_fail(db, err);
	sqlite3_bind_int64(*st, 1, id);
	return 0;
}

static int exec_bound(sqlite3 *db, const char *sql, int64_t a, const char *text,
                      struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare_id(db, sql, a, &st, err) < 0)
		return -1;
	if (text)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cancel_fail(db, err);
}

/* Gives back the slot places the task's pending recipients held. */
static int release_slots(sqlite3 *db, int64_t app_id, const char *channel, int64_t task_id,
                         struct ccon_error *err)
{
	struct ccon_slot_plan plan;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(&plan, 0, sizeof(plan));
	if (prepare_id(db, "SELECT slot_start_us, COUNT(*) FROM recipients WHERE task_id = ?1 "
	                   "AND status = 'pending' AND slot_start_us IS NOT NULL "
	                   "GROUP BY slot_start_us ORDER BY slot_start_us", task_id, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (plan.n_shares == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct ccon_slot_share *s = realloc(plan.shares, ncap * sizeof(*s));

			if (!s) {
				sqlite3_finalize(st);
				free(plan.shares);
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			}
			plan.shares = s;
			cap = ncap;
		}
		plan.shares[plan.n_shares].slot_start_us = sqlite3_column_int64(st, 0);
		plan.shares[plan.n_shares++].count = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(plan.shares);
		return cancel_fail(db, err);
	}
	rc = plan.n_shares ? slot_store_reserve(db, app_id, channel, &plan, -1, err) : 0;
	free(plan.shares);
	return rc;
}

/* Why the campaign cannot be canceled, or 0 when it can: every task is a
 * draft or scheduled with no recipient handed over yet. */
static int cancel_refusal(sqlite3 *db, int64_t campaign_id, char *why, size_t size,
                          struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc, live = 0, canceled = 0, n = 0;

	if (prepare_id(db, "SELECT t.status, EXISTS (SELECT 1 FROM recipients r WHERE "
	                   "r.task_id = t.id AND r.status NOT IN ('pending', 'canceled')) "
	                   "FROM tasks t WHERE t.campaign_id = ?1", campaign_id, &st, err) < 0)
		return -1;
	why[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		n++;
		if (strcmp(s, "canceled") == 0) {
			canceled++;
		} else if ((strcmp(s, "scheduled") == 0 || strcmp(s, "draft") == 0) &&
		           !sqlite3_column_int(st, 1)) {
			live++;
		} else if (!why[0]) {
			snprintf(why, size, "campaign %lld is %s: only a campaign that has not "
			         "started sending can be canceled", (long long)campaign_id,
			         strcmp(s, "scheduled") == 0 ? "running" : s);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cancel_fail(db, err);
	if (!why[0] && !live)
		snprintf(why, size, n ? "campaign %lld is already canceled"
		                      : "campaign %lld has no send to cancel",
		         (long long)campaign_id);
	return 0;
}

static int cancel_campaign(struct cmd *x, const struct campaign *camp)
{
	sqlite3 *db = x->c->db;
	char why[160], reason[96], when[CCON_DATETIME_FORMAT_MAX];
	sqlite3_stmt *st;
	struct ccon_error e;
	int rc;

	ccon_error_clear(&e);
	if (store_begin(db, &e) < 0)
		return cmd_fail(x, &e);
	if (cancel_refusal(db, camp->id, why, sizeof(why), &e) < 0)
		goto fail;
	if (why[0]) {
		store_rollback(db);
		return cmd_failf(x, CCON_E_CONFLICT, "uri", "%s", why);
	}
	snprintf(reason, sizeof(reason), "canceled by delete /campaigns/%lld at %s",
	         (long long)camp->id, cmd_time_text(x->c->now_us, when) ? when : "?");
	if (prepare_id(db, "SELECT id FROM tasks WHERE campaign_id = ?1 AND status IN "
	                   "('scheduled', 'draft')", camp->id, &st, &e) < 0)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t task = sqlite3_column_int64(st, 0);

		if (release_slots(db, x->c->app_id, camp->channel, task, &e) < 0 ||
		    exec_bound(db, "UPDATE recipients SET status = 'canceled', reason_description = ?2 "
		                   "WHERE task_id = ?1 AND status = 'pending'", task, reason, &e) < 0 ||
		    exec_bound(db, "UPDATE tasks SET status = 'canceled', cancel_code = 'canceled', "
		                   "cancel_reason = ?2 WHERE id = ?1", task, reason, &e) < 0) {
			sqlite3_finalize(st);
			goto fail;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cancel_fail(db, &e);
		goto fail;
	}
	/* the answer before the commit, read inside the transaction: nothing
	 * after the commit can fail for want of memory or a failed read */
	if (cmd_campaign_answer(x, camp->id, NULL) < 0 || cmd_answer_whole(x) < 0) {
		store_rollback(db);
		return -1;
	}
	if (store_commit(db, &e) < 0) {
		cmd_answer_unsend(x);
		return cmd_fail(x, &e);
	}
	return 0;
fail:
	store_rollback(db);
	return cmd_fail(x, &e);
}

int cmd_delete(struct cmd *x)
{
	struct campaign camp;
	int rc;

	if (cmd_campaign_of(x, x->uri.campaign_id, "uri", &camp) < 0)
		return -1;
	rc = cancel_campaign(x, &camp);
	campaign_free(&camp);
	return rc;
}
