/* ccon/client.h - the console's asynchronous API client: HTTP on libcurl's
 * multi interface, driven from the caller's one event loop. Nothing here
 * ever blocks: requests are queued, ccon_client_wait() sleeps until the
 * network, a due retry, one of the caller's own descriptors (the keyboard,
 * a signal pipe) or ccon_client_wakeup() needs attention, and
 * ccon_client_run() moves transfers on and calls back the finished ones.
 *
 * One client talks to one server with one token. The token is copied,
 * never logged nor put in an error message, and wiped when the client is
 * freed. REST routes get it through libcurl's bearer option; the seed 002
 * envelope (/commands) as "Authorization: Key <token>". Redirects are
 * never followed (a token must not travel to another host); TLS peers and
 * host names are always verified.
 *
 * Retries: a request marked retryable that fails to connect, times out, or
 * gets 429 or 5xx is tried again after a back-off (first backoff_ms, doubled
 * each time up to backoff_max_ms, with jitter; a Retry-After header in
 * seconds or as an HTTP date is honoured, capped at backoff_max_ms), at most
 * max_retries times. Only then is the callback called, with the last
 * answer. A POST is retryable only with an idempotency key (reused on every
 * attempt) or when the caller says it is safe (reads through /commands).
 * A request that may not be repeated (not GET/HEAD, no idempotency key,
 * retry false) always opens a fresh connection: libcurl re-sends a request
 * by itself when a reused connection closes before any answer byte.
 *
 * The connection state, for the status bar, follows the answers: OK after
 * any HTTP answer below 500 other than 401/403, RETRYING while a request
 * waits for its next attempt, DOWN when one gave up without an answer
 * (refused, timed out, 5xx to the end), AUTH after 401/403.
 */
#ifndef CCON_CLIENT_H
#define CCON_CLIENT_H

#include <ccon/error.h>

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccon_client;

struct ccon_client_config {
	const char *base_url;        /* "http://127.0.0.1:8080", required; http or
	                              * https, no user:password@, no query */
	const char *token;           /* the application key; may be NULL (no auth);
	                              * 1..400 characters, no spaces nor controls */
	long connect_timeout_ms;     /* 0: 3000 */
	long timeout_ms;             /* whole transfer; 0: 15000 */
	unsigned max_retries;        /* 0: 3; see above (never retried: retry false) */
	long backoff_ms;             /* 0: 250 */
	long backoff_max_ms;         /* 0: 10000 */
	const char *ca_file;         /* NULL: the system's */
};

enum ccon_client_auth {
	CCON_AUTH_BEARER,            /* REST routes */
	CCON_AUTH_KEY,               /* /commands (seed 002) */
	CCON_AUTH_NONE,
};

struct ccon_request {
	const char *method;          /* "GET", "POST", "PUT", "DELETE" */
	const char *path;            /* appended to base_url: "/v1/..." */
	const char *body;            /* copied; NULL: none */
	size_t len;
	const char *content_type;    /* NULL: application/json when there is a body */
	const char *idempotency_key; /* NULL: none */
	enum ccon_client_auth auth;
	bool retry;                  /* may be retried (see above); with an
	                              * idempotency_key it always may */
	/* A body streamed from a file (a CSV upload): body (the head), then
	 * the file's bytes, then tail. The file is read during the transfer,
	 * never whole into memory, and from its start again on a retry; the
	 * whole-transfer timeout grows by a second per MiB. Its size is taken
	 * when the request is queued: a file that is cut or grows meanwhile
	 * fails the request (CCON_E_IO, not retried) instead of sending a
	 * body other than the one announced. NULL: no file. */
	const char *file_path;
	const char *tail;            /* copied; may be NULL */
	size_t tail_len;
};

struct ccon_response {
	int64_t id;                  /* the request's id */
	long status;                 /* HTTP status; 0 when no answer came */
	const char *body;            /* NUL-terminated; valid during the callback */
	size_t len;
	const char *content_type;    /* NULL when absent */
	unsigned attempts;           /* 1 when the first try answered */
	double elapsed_ms;           /* from queueing to the end, retries included */
	/* code OK when the transfer worked and status < 400; else the
	 * transport failure (CCON_E_IO, message without the token) or the
	 * API's error body decoded (codec_error.h: its code, message, path).
	 * A /commands answer is HTTP 200 even with status "failure": err is
	 * then OK, the envelope's reason is the caller's to read. */
	struct ccon_error err;
};

typedef void (*ccon_client_cb)(void *ctx, const struct ccon_response *r);

enum ccon_conn_state {
	CCON_CONN_IDLE,              /* nothing answered yet */
	CCON_CONN_OK,
	CCON_CONN_RETRYING,
	CCON_CONN_DOWN,
	CCON_CONN_AUTH,
};

struct ccon_conn_info {
	enum ccon_conn_state state;
	int64_t last_ok_ms;          /* monotonic ms of the last good answer; 0: never */
	int64_t last_error_ms;       /* of the last failure; 0: never */
	char last_error[200];        /* its message (sanitised, no token); "" */
	unsigned in_flight;          /* queued, running or waiting to retry */
};

int ccon_client_new(const struct ccon_client_config *cfg, struct ccon_client **out,
                    struct ccon_error *err);
/* Drops every request without calling back, wipes the token. NULL is ignored. */
void ccon_client_free(struct ccon_client *c);

/* Queues a request: its id (> 0), or -1 with err. cb is called exactly
 * once, from ccon_client_run(), unless the request is canceled first.
 * A callback may send, cancel and run, but not free the client. */
int64_t ccon_client_send(struct ccon_client *c, const struct ccon_request *rq, ccon_client_cb cb,
                         void *ctx, struct ccon_error *err);
/* A seed 002 command to /commands: {"id", "to":"postmaster@activecampaign.msging.net",
 * "method", "uri"[, "type", "resource"]}; resource_json is JSON text or
 * NULL. A "get" is retryable; other methods only with idempotency_key. */
int64_t ccon_client_command(struct ccon_client *c, const char *method, const char *uri,
                            const char *type, const char *resource_json,
                            const char *idempotency_key, ccon_client_cb cb, void *ctx,
                            struct ccon_error *err);
/* Forgets a request: its callback will not be called. Unknown ids are ignored. */
void ccon_client_cancel(struct ccon_client *c, int64_t id);

/* Sleeps until there is something to do or timeout_ms passed (-1: no
 * limit other than the client's own timers); fills revents of the extra
 * descriptors. Returns 0, or -1 with err (EINTR is not an error: 0). */
int ccon_client_wait(struct ccon_client *c, struct pollfd *extra, unsigned n_extra,
                     int timeout_ms, struct ccon_error *err);
/* Moves every transfer on and calls back the finished ones; never blocks.
 * Returns how many requests are still in flight. */
unsigned ccon_client_run(struct ccon_client *c);
/* Makes a ccon_client_wait() in progress return. Thread-safe (not
 * async-signal-safe: from a signal handler, write to a pipe in extra). */
void ccon_client_wakeup(struct ccon_client *c);

void ccon_client_conn(const struct ccon_client *c, struct ccon_conn_info *out);
const char *ccon_conn_state_name(enum ccon_conn_state s);

/* Monotonic milliseconds (CLOCK_MONOTONIC), the clock of this header. */
int64_t ccon_monotonic_ms(void);

#endif
