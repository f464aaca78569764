/* store.h - ccond's SQLite store: one file in the data directory, WAL mode,
 * versioned migrations applied at open, and a small pool of connections
 * (one per HTTP worker thread at a time). */
#ifndef CCOND_STORE_H
#define CCOND_STORE_H

#include <ccon/error.h>

#include <sqlite3.h>
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

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; errors become CCON_E_IO with SQLite's text. */
int store_begin(sqlite3 *db, struct ccon_error *err);
int store_commit(sqlite3 *db, struct ccon_error *err);
void store_rollback(sqlite3 *db);

/* Runs SQL without results; CCON_E_IO with SQLite's message on failure. */
int store_exec(sqlite3 *db, const char *sql, struct ccon_error *err);
/* Fills err from db's last error; returns -1. */
int store_fail(sqlite3 *db, struct ccon_error *err, const char *what);

#endif
