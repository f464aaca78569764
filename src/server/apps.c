#include "config.h"

#include "apps.h"
#include "store.h"

#include <ccon/sha256.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static int new_key(char key[APP_KEY_SIZE], struct ccon_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[20];
	size_t got = 0;
	ssize_t n;
	char *p;

	while (got < sizeof(raw)) {
		n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ccon_error_set(err, CCON_E_IO, "no randomness for a key: %s", strerror(errno));
		got += (size_t)n;
	}
	p = key + snprintf(key, APP_KEY_SIZE, "%s", APP_KEY_PREFIX);
	for (size_t i = 0; i < sizeof(raw); i++) {
		*p++ = hex[raw[i] >> 4];
		*p++ = hex[raw[i] & 15];
	}
	*p = '\0';
	return 0;
}

int apps_create(sqlite3 *db, const char *name, int64_t now_us, int64_t *app_id,
                char key[APP_KEY_SIZE], struct ccon_error *err)
{
	char hash[CCON_SHA256_HEX_SIZE];
	sqlite3_stmt *st;
	int rc;

	if (new_key(key, err) < 0)
		return -1;
	ccon_sha256_hex(key, strlen(key), hash);
	if (store_prepare(db, "INSERT INTO applications(name, key_hash, created_us) "
	                      "VALUES (?1, ?2, ?3)", &st) != SQLITE_OK)
		return store_fail(db, err, "creating an application");
	/* STATIC: the strings outlive the step, and a copy could fail */
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_us);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "creating an application");
	*app_id = sqlite3_last_insert_rowid(db);
	return 0;
}

static int find_one(sqlite3 *db, const char *sql, const char *arg, int64_t *app_id,
                    struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, sql, &st) != SQLITE_OK)
		return store_fail(db, err, "looking up an application");
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*app_id = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(db, err, "looking up an application");
}

int apps_find_by_key(sqlite3 *db, const char *key, int64_t *app_id, struct ccon_error *err)
{
	char hash[CCON_SHA256_HEX_SIZE];

	ccon_sha256_hex(key, strlen(key), hash);
	return find_one(db, "SELECT id FROM applications WHERE key_hash = ?1", hash, app_id, err);
}

int apps_find_by_name(sqlite3 *db, const char *name, int64_t *app_id, struct ccon_error *err)
{
	return find_one(db, "SELECT id FROM applications WHERE name = ?1 ORDER BY id LIMIT 1", name,
	                app_id, err);
}

int apps_rotate_key(sqlite3 *db, int64_t app_id, char key[APP_KEY_SIZE], struct ccon_error *err)
{
	char hash[CCON_SHA256_HEX_SIZE];
	sqlite3_stmt *st;
	int rc;

	if (new_key(key, err) < 0)
		return -1;
	ccon_sha256_hex(key, strlen(key), hash);
	if (store_prepare(db, "UPDATE applications SET key_hash = ?1 WHERE id = ?2", &st) != SQLITE_OK)
		return store_fail(db, err, "replacing a key");
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, app_id);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "replacing a key");
	return sqlite3_changes(db) == 1 ? 0
	                                : ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
	                                                 "no application %lld", (long long)app_id);
}
