#include "config.h"

#include "idempotency.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

void idempotency_hash(const char *method, const char *path, const char *query, const void *body,
                      size_t body_len, char out[CCON_SHA256_HEX_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[CCON_SHA256_SIZE];
	struct ccon_sha256 h;
	const char nul = '\0';

	ccon_sha256_init(&h);
	ccon_sha256_update(&h, method, strlen(method));
	ccon_sha256_update(&h, &nul, 1);
	ccon_sha256_update(&h, path, strlen(path));
	ccon_sha256_update(&h, &nul, 1);
	if (query)
		ccon_sha256_update(&h, query, strlen(query));
	ccon_sha256_update(&h, &nul, 1);
	if (body && body_len)
		ccon_sha256_update(&h, body, body_len);
	ccon_sha256_final(&h, digest);
	for (int i = 0; i < CCON_SHA256_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}

static int key_valid(const char *key, struct ccon_error *err)
{
	size_t n = strlen(key);

	if (n == 0 || n > IDEMPOTENCY_KEY_MAX) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "the Idempotency-Key must be 1 to %d characters",
		               IDEMPOTENCY_KEY_MAX);
		ccon_error_at_path(err, "Idempotency-Key");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (key[i] < 0x21 || key[i] > 0x7e) {
			ccon_error_set(err, CCON_E_JSON_VALUE,
			               "the Idempotency-Key may hold only printable ASCII without spaces "
			               "(character %zu is not)", i + 1);
			ccon_error_at_path(err, "Idempotency-Key");
			return -1;
		}
	}
	return 0;
}

int idempotency_check(sqlite3 *db, int64_t app_id, const char *key, const char *request_hash,
                      enum idem_result *result, unsigned *status, char **response,
                      struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*result = IDEM_NEW;
	*response = NULL;
	if (key_valid(key, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT request_hash, status, response FROM idempotency "
	                           "WHERE app_id = ?1 AND key = ?2", -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, err, "reading an idempotency key");
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(st, 0), request_hash) != 0) {
			*result = IDEM_CONFLICT;
		} else {
			*result = IDEM_REPLAY;
			*status = (unsigned)sqlite3_column_int(st, 1);
			*response = strdup((const char *)sqlite3_column_text(st, 2));
			if (!*response) {
				sqlite3_finalize(st);
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			}
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(db, err, "reading an idempotency key");
	if (*result == IDEM_CONFLICT) {
		ccon_error_set(err, CCON_E_CONFLICT,
		               "this Idempotency-Key was already used for a different request");
		ccon_error_at_path(err, "Idempotency-Key");
	}
	return 0;
}

int idempotency_save(sqlite3 *db, int64_t app_id, const char *key, const char *request_hash,
                     unsigned status, const char *response, int64_t now_us,
                     struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT INTO idempotency(app_id, key, request_hash, status, "
	                           "response, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st,
	                       NULL) != SQLITE_OK)
		return store_fail(db, err, "saving an idempotency key");
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, request_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, (int)status);
	sqlite3_bind_text(st, 5, response, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now_us);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "saving an idempotency key");
}
