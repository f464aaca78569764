#include "config.h"

#include "store.h"
#include "store_schema.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct store {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned size;
	unsigned n_free;
	sqlite3 **all;
	sqlite3 **free_list;
};

int store_fail(sqlite3 *db, struct ccon_error *err, const char *what)
{
	return ccon_error_set(err, CCON_E_IO, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

int store_exec(sqlite3 *db, const char *sql, struct ccon_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	ccon_error_set(err, CCON_E_IO, "database: %s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

int store_begin(sqlite3 *db, struct ccon_error *err)
{
	return store_exec(db, "BEGIN IMMEDIATE", err);
}

int store_commit(sqlite3 *db, struct ccon_error *err)
{
	if (store_exec(db, "COMMIT", err) == 0)
		return 0;
	store_rollback(db);
	return -1;
}

void store_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int store_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int store_schema_latest(void)
{
	return (int)store_schema_count();
}

static int open_conn(const char *path, sqlite3 **out, struct ccon_error *err)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                              SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		ccon_error_set(err, CCON_E_IO, "cannot open %s: %s", path,
		               db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 10000);
	if (store_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", err) < 0) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

static int migrate(sqlite3 *db, struct ccon_error *err)
{
	int have = store_schema_version(db), latest = store_schema_latest();
	char sql[64];

	if (have < 0)
		return store_fail(db, err, "reading the schema version");
	if (have > latest)
		return ccon_error_set(err, CCON_E_IO,
		                      "the data directory has schema version %d, newer than this "
		                      "ccond knows (%d): use a newer ccond", have, latest);
	for (int v = have + 1; v <= latest; v++) {
		if (store_begin(db, err) < 0)
			return -1;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v);
		if (store_exec(db, store_schema_migration((size_t)v), err) < 0 ||
		    store_exec(db, sql, err) < 0) {
			store_rollback(db);
			return ccon_error_set(err, CCON_E_IO, "schema migration %d failed: %s", v,
			                      err ? err->message : "");
		}
		if (store_commit(db, err) < 0)
			return -1;
	}
	return 0;
}

int store_open(const char *data_dir, unsigned pool_size, struct store **out,
               struct ccon_error *err)
{
	struct store *st;
	char path[4096];

	if (mkdir(data_dir, 0700) < 0 && errno != EEXIST)
		return ccon_error_set(err, CCON_E_IO, "cannot create %s: %s", data_dir, strerror(errno));
	if ((size_t)snprintf(path, sizeof(path), "%s/ccond.db", data_dir) >= sizeof(path))
		return ccon_error_set(err, CCON_E_IO, "data directory path too long");
	if (pool_size == 0)
		pool_size = 1;
	st = calloc(1, sizeof(*st));
	if (!st)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	st->all = calloc(pool_size, sizeof(*st->all));
	st->free_list = calloc(pool_size, sizeof(*st->free_list));
	if (!st->all || !st->free_list) {
		store_close(st);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->freed, NULL);
	for (unsigned i = 0; i < pool_size; i++) {
		if (open_conn(path, &st->all[i], err) < 0 || (i == 0 && migrate(st->all[0], err) < 0)) {
			store_close(st);
			return -1;
		}
		st->size++;
		st->free_list[st->n_free++] = st->all[i];
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (unsigned i = 0; i < st->size; i++)
		sqlite3_close(st->all[i]);
	if (st->size) {
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->freed);
	}
	free(st->all);
	free(st->free_list);
	free(st);
}

sqlite3 *store_acquire(struct store *st)
{
	sqlite3 *db;

	pthread_mutex_lock(&st->lock);
	while (st->n_free == 0)
		pthread_cond_wait(&st->freed, &st->lock);
	db = st->free_list[--st->n_free];
	pthread_mutex_unlock(&st->lock);
	return db;
}

void store_release(struct store *st, sqlite3 *db)
{
	store_rollback(db);
	pthread_mutex_lock(&st->lock);
	st->free_list[st->n_free++] = db;
	pthread_cond_signal(&st->freed);
	pthread_mutex_unlock(&st->lock);
}
