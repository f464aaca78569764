/* store.h - ccond's SQLite store: one file in the data directory, WAL mode,
 * versioned migrations applied at open, and a small pool of connections
 * (one per HTTP worker thread at a time). */
#ifndef CCOND_STORE_H
#define CCOND_STORE_H

#include <ccon/error.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct store;

/* Opens (creating when needed, 0700) data_dir and data_dir/ccond.db, applies
 * pending migrations and prepares `pool_size` connections. */
int store_open(const char *data_dir, unsigned pool_size, struct store **out,
               struct ccon_error *err);
void store_close(struct store *st);

/* Borrow a connection for the length of one request; blocks while all are busy. */
sqlite3 *store_acquire(struct store *st);
void store_release(struct store *st, sqlite3 *db);

/* The schema version the store is at (PRAGMA user_version). */
int store_schema_version(sqlite3 *db);
/* The newest version this build knows. */
int store_schema_latest(void);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; errors become CCON_E_IO with SQLite's text.
 * Writers of one store take turns on an in-process lock before BEGIN
 * IMMEDIATE (waiting up to the busy timeout, 10 s), so that they queue
 * instead of polling SQLite's lock with sleeps; COMMIT or ROLLBACK (or
 * store_release) lets the next one in. */
int store_begin(sqlite3 *db, struct ccon_error *err);
int store_commit(sqlite3 *db, struct ccon_error *err);
void store_rollback(sqlite3 *db);

/* A statement from the connection's cache, prepared on first use (the
 * cache is keyed by the SQL text): bind, step, then store_done() - never
 * sqlite3_finalize(). Returns SQLite's code, like sqlite3_prepare_v2. A
 * statement asked for again while in use (or on a connection that is not a
 * store's) is prepared afresh and finalized by store_done. */
int store_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);
/* Resets the statement and clears its bindings (finalizes an uncached one). */
void store_done(sqlite3_stmt *st);

/* Values remembered on a connection for as long as the database is
 * unchanged: any commit, by this connection or another (in any process),
 * forgets them all (SQLITE_FCNTL_DATA_VERSION). Call inside a read
 * transaction, after its first read, so that the version is the
 * snapshot's. Keys are short texts; get answers false when unknown. */
bool store_memo_get(sqlite3 *db, const char *key, int64_t *value);
void store_memo_put(sqlite3 *db, const char *key, int64_t value);

/* Runs SQL without results; CCON_E_IO with SQLite's message on failure. */
int store_exec(sqlite3 *db, const char *sql, struct ccon_error *err);
/* Fills err from db's last error; returns -1. */
int store_fail(sqlite3 *db, struct ccon_error *err, const char *what);
#ifdef __clang_analyzer__
/* as ccon_error_set (error.h): the analyser is told what it returns */
#define store_fail(...) (store_fail(__VA_ARGS__), -1)
#endif

#endif
