#include "config.h"

#include "store.h"
#include "store_schema.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BUSY_TIMEOUT_MS 10000

struct stmt_entry {
	uint64_t hash;
	char *sql;
	sqlite3_stmt *st;
	bool in_use;
};

#define MEMO_MAX 32
#define MEMO_KEY_MAX 160

struct memo {
	char key[MEMO_KEY_MAX];
	int64_t value;
};

/* One pooled connection: its statement cache, its memo and whether it
 * holds the store's writer lock. Used by one thread at a time, like the
 * connection. */
struct conn {
	sqlite3 *db;
	struct store *store;
	struct stmt_entry *stmts;
	size_t n_stmts, cap_stmts;
	bool writing;
	unsigned memo_version;
	size_t n_memo;
	struct memo memo[MEMO_MAX];
};

struct store {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	pthread_mutex_t write_lock;
	unsigned size;
	unsigned n_free;
	struct conn *conns;
	sqlite3 **free_list;
	/* the checkpointer: its own connection and thread */
	sqlite3 *ckpt_db;
	pthread_t ckpt_thread;
	bool ckpt_running, ckpt_due, ckpt_stop;
	pthread_mutex_t ckpt_lock;
	pthread_cond_t ckpt_wake;
};

/* WAL pages after which a checkpoint is due (SQLite's autocheckpoint default). */
#define CKPT_PAGES 1000

/* Every store's connections, to find a connection's cache from its handle
 * (the API hands out sqlite3 pointers). */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn **registry;
static size_t n_registry, cap_registry;

static struct conn *conn_of(const sqlite3 *db)
{
	struct conn *c = NULL;

	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < n_registry; i++) {
		if (registry[i]->db == db) {
			c = registry[i];
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	return c;
}

static int registry_add(struct conn *c)
{
	int rc = 0;

	pthread_mutex_lock(&registry_lock);
	if (n_registry == cap_registry) {
		size_t cap = cap_registry ? 2 * cap_registry : 16;
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
		struct conn **r = realloc(registry, cap * sizeof(*r));

		if (r) {
			registry = r;
			cap_registry = cap;
		}
	}
	if (n_registry < cap_registry)
		registry[n_registry++] = c;
	else
		rc = -1;
	pthread_mutex_unlock(&registry_lock);
	return rc;
}

static void registry_remove(const struct conn *c)
{
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < n_registry; i++) {
		if (registry[i] == c) {
			registry[i] = registry[--n_registry];
			break;
		}
	}
	if (n_registry == 0) {
		free(registry);
		registry = NULL;
		cap_registry = 0;
	}
	pthread_mutex_unlock(&registry_lock);
}

/* ------------------------------------------------------- statement cache */

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

int store_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	struct conn *c = conn_of(db);
	struct stmt_entry *e;
	uint64_t h;
	int rc;

	*st = NULL;
	if (!c)
		return sqlite3_prepare_v2(db, sql, -1, st, NULL);
	h = sql_hash(sql);
	for (size_t i = 0; i < c->n_stmts; i++) {
		e = &c->stmts[i];
		if (e->hash == h && strcmp(e->sql, sql) == 0) {
			if (e->in_use)  /* asked for again while in use: a fresh one */
				return sqlite3_prepare_v2(db, sql, -1, st, NULL);
			e->in_use = true;
			*st = e->st;
			return SQLITE_OK;
		}
	}
	rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (c->n_stmts == c->cap_stmts) {
		size_t cap = c->cap_stmts ? 2 * c->cap_stmts : 32;
		struct stmt_entry *n = realloc(c->stmts, cap * sizeof(*n));

		if (!n)
			return SQLITE_OK;  /* uncached: store_done finalizes it */
		c->stmts = n;
		c->cap_stmts = cap;
	}
	e = &c->stmts[c->n_stmts];
	e->sql = strdup(sql);
	if (!e->sql)
		return SQLITE_OK;
	e->hash = h;
	e->st = *st;
	e->in_use = true;
	c->n_stmts++;
	return SQLITE_OK;
}

void store_done(sqlite3_stmt *st)
{
	struct conn *c;

	if (!st)
		return;
	c = conn_of(sqlite3_db_handle(st));
	for (size_t i = 0; c && i < c->n_stmts; i++) {
		if (c->stmts[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			c->stmts[i].in_use = false;
			return;
		}
	}
	sqlite3_finalize(st);
}

static void stmts_free(struct conn *c)
{
	for (size_t i = 0; i < c->n_stmts; i++) {
		sqlite3_finalize(c->stmts[i].st);
		free(c->stmts[i].sql);
	}
	free(c->stmts);
	c->stmts = NULL;
	c->n_stmts = c->cap_stmts = 0;
}

/* ------------------------------------------------------- memo */

/* The connection's memo, emptied when the database changed since it was
 * filled; NULL when the version cannot be read. */
static struct conn *memo_conn(sqlite3 *db)
{
	struct conn *c = conn_of(db);
	unsigned version = 0;

	if (!c || sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK)
		return NULL;
	if (version != c->memo_version) {
		c->memo_version = version;
		c->n_memo = 0;
	}
	return c;
}

bool store_memo_get(sqlite3 *db, const char *key, int64_t *value)
{
	struct conn *c = memo_conn(db);

	for (size_t i = 0; c && i < c->n_memo; i++) {
		if (strcmp(c->memo[i].key, key) == 0) {
			*value = c->memo[i].value;
			return true;
		}
	}
	return false;
}

void store_memo_put(sqlite3 *db, const char *key, int64_t value)
{
	struct conn *c = memo_conn(db);

	if (!c || strlen(key) >= MEMO_KEY_MAX)
		return;
	if (c->n_memo == MEMO_MAX)
		c->n_memo = 0;
	snprintf(c->memo[c->n_memo].key, MEMO_KEY_MAX, "%s", key);
	c->memo[c->n_memo++].value = value;
}

/* ------------------------------------------------------- writer lock */

static bool write_lock(struct conn *c)
{
	struct timespec until;

	if (!c || c->writing)
		return true;  /* not a store's, or nested: SQLite says what it thinks */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BUSY_TIMEOUT_MS / 1000;
	if (pthread_mutex_timedlock(&c->store->write_lock, &until) != 0)
		return false;
	c->writing = true;
	return true;
}

static void write_unlock(struct conn *c)
{
	if (c && c->writing) {
		c->writing = false;
		pthread_mutex_unlock(&c->store->write_lock);
	}
}

/* SQLite's own busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries:
 * too coarse for writes that take a millisecond. Writes outside store_begin
 * (autocommit statements) and checkpoints still meet the lock here: 20 tries
 * 50 us apart, 100 tries 500 us apart, then every 2 ms, about 10 s in all. */
static int busy_wait(void *ctx, int count)
{
	struct timespec pause = { 0, 0 };
	long waited_us = count < 20 ? count * 50L
	               : count < 120 ? 1000L + (count - 20) * 500L
	                             : 51000L + (count - 120) * 2000L;

	(void)ctx;
	if (waited_us >= BUSY_TIMEOUT_MS * 1000L)
		return 0;
	pause.tv_nsec = (count < 20 ? 50L : count < 120 ? 500L : 2000L) * 1000L;
	nanosleep(&pause, NULL);
	return 1;
}

int (store_fail)(sqlite3 *db, struct ccon_error *err, const char *what)
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
	struct conn *c = conn_of(db);

	if (!write_lock(c))
		return ccon_error_set(err, CCON_E_IO, "database: database is locked");
	if (store_exec(db, "BEGIN IMMEDIATE", err) == 0)
		return 0;
	if (sqlite3_get_autocommit(db))
		write_unlock(c);
	return -1;
}

int store_commit(sqlite3 *db, struct ccon_error *err)
{
	if (store_exec(db, "COMMIT", err) == 0) {
		write_unlock(conn_of(db));
		return 0;
	}
	store_rollback(db);
	return -1;
}

void store_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	write_unlock(conn_of(db));
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
	sqlite3_busy_handler(db, busy_wait, NULL);
	if (store_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", err) < 0) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

/* ------------------------------------------------------- checkpoints */

/* Checkpoints run on a thread of their own, PASSIVE (never waiting for
 * readers or writers), instead of inside the commit that crosses the
 * threshold: that commit's request paid for copying the WAL back and two
 * fsyncs while holding the write lock (p99 of sends 20 -> 2.5 ms at one
 * connection). */
static int wal_committed(void *ctx, sqlite3 *db, const char *name, int pages)
{
	struct store *st = ctx;

	(void)db;
	(void)name;
	if (pages >= CKPT_PAGES) {
		pthread_mutex_lock(&st->ckpt_lock);
		st->ckpt_due = true;
		pthread_cond_signal(&st->ckpt_wake);
		pthread_mutex_unlock(&st->ckpt_lock);
	}
	return SQLITE_OK;
}

static void *checkpointer(void *arg)
{
	struct store *st = arg;

	pthread_mutex_lock(&st->ckpt_lock);
	for (;;) {
		while (!st->ckpt_due && !st->ckpt_stop)
			pthread_cond_wait(&st->ckpt_wake, &st->ckpt_lock);
		if (st->ckpt_stop)
			break;
		st->ckpt_due = false;
		pthread_mutex_unlock(&st->ckpt_lock);
		sqlite3_wal_checkpoint_v2(st->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&st->ckpt_lock);
	}
	pthread_mutex_unlock(&st->ckpt_lock);
	return NULL;
}

static int checkpointer_start(struct store *st, const char *path, struct ccon_error *err)
{
	if (open_conn(path, &st->ckpt_db, err) < 0)
		return -1;
	if (pthread_create(&st->ckpt_thread, NULL, checkpointer, st) != 0)
		return ccon_error_set(err, CCON_E_IO, "cannot start the checkpoint thread");
	st->ckpt_running = true;
	for (unsigned i = 0; i < st->size; i++)
		sqlite3_wal_hook(st->conns[i].db, wal_committed, st);
	return 0;
}

static void checkpointer_stop(struct store *st)
{
	if (st->ckpt_running) {
		pthread_mutex_lock(&st->ckpt_lock);
		st->ckpt_stop = true;
		pthread_cond_signal(&st->ckpt_wake);
		pthread_mutex_unlock(&st->ckpt_lock);
		pthread_join(st->ckpt_thread, NULL);
		st->ckpt_running = false;
	}
	for (unsigned i = 0; i < st->size; i++)
		sqlite3_wal_hook(st->conns[i].db, NULL, NULL);
	sqlite3_close(st->ckpt_db);
	st->ckpt_db = NULL;
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
	st->conns = calloc(pool_size, sizeof(*st->conns));
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	st->free_list = calloc(pool_size, sizeof(*st->free_list));
	if (!st->conns || !st->free_list) {
		free(st->conns);
		free(st->free_list);
		free(st);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->freed, NULL);
	pthread_mutex_init(&st->write_lock, NULL);
	pthread_mutex_init(&st->ckpt_lock, NULL);
	pthread_cond_init(&st->ckpt_wake, NULL);
	for (unsigned i = 0; i < pool_size; i++) {
		struct conn *c = &st->conns[i];

		if (open_conn(path, &c->db, err) < 0) {
			store_close(st);
			return -1;
		}
		c->store = st;
		st->size++;
		if (registry_add(c) < 0) {
			store_close(st);
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		}
		if (i == 0 && migrate(c->db, err) < 0) {
			store_close(st);
			return -1;
		}
		st->free_list[st->n_free++] = c->db;
	}
	if (checkpointer_start(st, path, err) < 0) {
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	checkpointer_stop(st);
	for (unsigned i = 0; i < st->size; i++) {
		registry_remove(&st->conns[i]);
		stmts_free(&st->conns[i]);
		sqlite3_close(st->conns[i].db);
	}
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->freed);
	pthread_mutex_destroy(&st->write_lock);
	pthread_mutex_destroy(&st->ckpt_lock);
	pthread_cond_destroy(&st->ckpt_wake);
	free(st->conns);
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
