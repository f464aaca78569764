/* apps.h - applications and their API keys. A key is shown once, when the
 * application is created; the store keeps only its SHA-256. */
#ifndef CCOND_APPS_H
#define CCOND_APPS_H

#include <ccon/error.h>

#include <sqlite3.h>
#include <stdint.h>

#define APP_KEY_PREFIX "ccon_"
#define APP_KEY_SIZE 48 /* prefix, 40 hex digits, NUL (and room to spare) */

/* Creates an application; key receives the new API key. */
int apps_create(sqlite3 *db, const char *name, int64_t now_us, int64_t *app_id,
                char key[APP_KEY_SIZE], struct ccon_error *err);

/* The application a key belongs to: 1 found, 0 unknown key, -1 error. */
int apps_find_by_key(sqlite3 *db, const char *key, int64_t *app_id, struct ccon_error *err);

/* The id of the application called `name`: 1 found, 0 none, -1 error. */
int apps_find_by_name(sqlite3 *db, const char *name, int64_t *app_id, struct ccon_error *err);

/* Replaces the key of an existing application (the old key stops working). */
int apps_rotate_key(sqlite3 *db, int64_t app_id, char key[APP_KEY_SIZE], struct ccon_error *err);

#endif
