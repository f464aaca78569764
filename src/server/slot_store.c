#include "config.h"

#include "slot_store.h"
#include "store.h"

#include <stdlib.h>

int slot_store_config(sqlite3 *db, int64_t app_id, const char *channel,
                      struct ccon_slot_config *out, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	out->length_us = CCON_SLOT_DEFAULT_LENGTH_US;
	out->capacity = CCON_SLOT_DEFAULT_CAPACITY;
	/* the API's setting, else the file's for the application, else the
	 * file's for everyone, else the defaults */
	if (store_prepare(db, "SELECT 0, length_us, capacity FROM slot_config "
	                      "WHERE app_id = ?1 AND channel = ?2 UNION ALL "
	                      "SELECT CASE app_id WHEN 0 THEN 2 ELSE 1 END, length_us, capacity "
	                      "FROM slot_defaults WHERE app_id IN (0, ?1) AND channel = ?2 "
	                      "ORDER BY 1 LIMIT 1", &st) != SQLITE_OK)
		return store_fail(db, err, "reading the slot configuration");
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->length_us = sqlite3_column_int64(st, 1);
		out->capacity = sqlite3_column_int64(st, 2);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(db, err, "reading the slot configuration");
	return 0;
}

int slot_store_set_config(sqlite3 *db, int64_t app_id, const char *channel,
                          const struct ccon_slot_config *cfg, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "INSERT INTO slot_config(app_id, channel, length_us, capacity) "
	                      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(app_id, channel) DO UPDATE "
	                      "SET length_us = excluded.length_us, capacity = excluded.capacity",
	                  &st) != SQLITE_OK)
		return store_fail(db, err, "saving the slot configuration");
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, cfg->length_us);
	sqlite3_bind_int64(st, 4, cfg->capacity);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "saving the slot configuration");
}

int slot_store_usage(sqlite3 *db, int64_t app_id, const char *channel,
                     const struct ccon_slot_config *cfg, int64_t from_us, int64_t window_us,
                     struct ccon_slot_usage *out, struct ccon_error *err)
{
	int64_t origin = ccon_slot_start(cfg, from_us);
	size_t count = (size_t)((from_us + window_us - origin + cfg->length_us - 1) / cfg->length_us);
	int64_t *used;
	sqlite3_stmt *st;
	int rc;

	out->origin_us = origin;
	out->used = NULL;
	out->count = 0;
	used = calloc(count ? count : 1, sizeof(*used));
	if (!used)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (store_prepare(db, "SELECT slot_start_us, used FROM slot_use WHERE app_id = ?1 "
	                      "AND channel = ?2 AND slot_start_us >= ?3 AND slot_start_us < ?4",
	                  &st) != SQLITE_OK) {
		free(used);
		return store_fail(db, err, "reading slot use");
	}
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, origin);
	sqlite3_bind_int64(st, 4, origin + (int64_t)count * cfg->length_us);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t start = sqlite3_column_int64(st, 0);
		int64_t i = (start - origin) / cfg->length_us;

		/* rows of an older slot length may not sit on today's boundaries */
		if (i >= 0 && (size_t)i < count)
			used[i] += sqlite3_column_int64(st, 1);
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		free(used);
		return store_fail(db, err, "reading slot use");
	}
	out->used = used;
	out->count = count;
	return 0;
}

void slot_store_usage_free(struct ccon_slot_usage *usage)
{
	free((void *)usage->used);
	usage->used = NULL;
	usage->count = 0;
}

int slot_store_reserve(sqlite3 *db, int64_t app_id, const char *channel,
                       const struct ccon_slot_plan *plan, int sign, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	if (store_prepare(db, "INSERT INTO slot_use(app_id, channel, slot_start_us, used) "
	                      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(app_id, channel, "
	                      "slot_start_us) DO UPDATE SET used = max(0, used + excluded.used)",
	                  &st) != SQLITE_OK)
		return store_fail(db, err, "reserving slots");
	for (size_t i = 0; i < plan->n_shares && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(st, 1, app_id);
		sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, plan->shares[i].slot_start_us);
		sqlite3_bind_int64(st, 4, sign * plan->shares[i].count);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "reserving slots");
}

int slot_store_recount_sent(sqlite3 *db, int64_t app_id, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "UPDATE slot_use SET sent = (SELECT COUNT(*) FROM recipients r "
	                      "JOIN tasks t ON t.id = r.task_id JOIN campaigns c ON "
	                      "c.id = t.campaign_id WHERE t.app_id = slot_use.app_id AND "
	                      "c.channel = slot_use.channel AND r.slot_start_us = "
	                      "slot_use.slot_start_us AND r.status NOT IN ('pending', 'canceled')) "
	                      "WHERE app_id = ?1", &st) != SQLITE_OK)
		return store_fail(db, err, "counting slot use");
	sqlite3_bind_int64(st, 1, app_id);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "counting slot use");
}
