/* idempotency.h - the Idempotency-Key of every create/send: the same key
 * with the same request answers the first answer again and creates nothing;
 * the same key with another request is refused (422). Records are written
 * in the same transaction as what they record, so a crash can never leave
 * one without the other. */
#ifndef CCOND_IDEMPOTENCY_H
#define CCOND_IDEMPOTENCY_H

#include <ccon/error.h>
#include <ccon/sha256.h>

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define IDEMPOTENCY_KEY_MAX 255

enum idem_result { IDEM_NEW, IDEM_REPLAY, IDEM_CONFLICT };

/* The request's fingerprint: method, path, query and body. */
void idempotency_hash(const char *method, const char *path, const char *query, const void *body,
                      size_t body_len, char out[CCON_SHA256_HEX_SIZE]);

/* Inside the request's transaction. On IDEM_REPLAY *status and *response
 * (heap, caller frees) hold the first answer. -1 on a store error. A key
 * that is empty, too long or not printable ASCII is CCON_E_JSON_VALUE. */
int idempotency_check(sqlite3 *db, int64_t app_id, const char *key, const char *request_hash,
                      enum idem_result *result, unsigned *status, char **response,
                      struct ccon_error *err);
int idempotency_save(sqlite3 *db, int64_t app_id, const char *key, const char *request_hash,
                     unsigned status, const char *response, int64_t now_us,
                     struct ccon_error *err);

#endif
