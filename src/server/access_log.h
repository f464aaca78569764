/* access_log.h - ccond's request log (--access-log): one line per request
 * once it is answered, shared by every HTTP worker thread.
 *
 *   2026-11-23T17:05:12.345Z POST /v1/applications/1/campaigns/2/send?dryRun=true 202 345 1.234ms
 *
 * The request's start (UTC, wall clock, milliseconds), the method, the
 * path with its query as the client wrote it, the status ("-" when ccond
 * never answered: the request was cut or refused by the HTTP layer), the
 * answer's body bytes, the duration, and " incomplete" when the client
 * went away before the whole answer was sent. Headers are never written
 * (so no key ever is); values of query parameters whose name speaks of a
 * secret (key, token, secret, password, auth) become [redacted]. Every
 * byte outside printable ASCII, and the backslash, is written as \xHH. */
#ifndef SRC_SERVER_ACCESS_LOG_H
#define SRC_SERVER_ACCESS_LOG_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct access_log;

struct access_log_entry {
	int64_t start_unix_us;      /* wall clock, when the request line came */
	const char *method;         /* NULL: "-" */
	const char *uri;            /* path and query as received; NULL: "-" */
	unsigned status;            /* 0: never answered */
	uint64_t bytes;             /* the answer's body */
	int64_t duration_us;
	bool incomplete;            /* the answer was not sent whole */
};

/* "-" is standard error; a file is created 0600 when missing and appended to. */
int access_log_open(const char *path, struct access_log **out, struct ccon_error *err);
void access_log_close(struct access_log *log);
/* One line, written and flushed at once; safe from any thread. */
void access_log_write(struct access_log *log, const struct access_log_entry *e);

#endif
