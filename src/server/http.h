/* http.h - ccond's HTTP face on libmicrohttpd: its own thread pool
 * (MHD_OPTION_THREAD_POOL_SIZE) with internal polling; bodies buffered up
 * to a limit, or streamed to the route when it asks for it (CSV uploads).
 * The routes live elsewhere: this file knows nothing of the API. */
#ifndef CCOND_HTTP_H
#define CCOND_HTTP_H

#include <ccon/error.h>
#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct MHD_Connection;
struct access_log;

struct http_request {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;              /* without the query */
	const char *content_type;      /* NULL when absent */
	const char *authorization;
	const char *idempotency_key;
	struct ccon_strbuf body;       /* buffered body (not when streaming) */
	bool body_too_large;
	bool body_nomem;               /* a chunk could not be kept: out of memory */
	bool stream;                   /* set by begin(): body() gets the chunks */
	void *route_state;             /* for the application's use */
	void (*route_state_free)(void *state);
	/* for the access log */
	bool begun;                    /* begin() was called */
	char *raw_uri;                 /* path and query as received (log only) */
	int64_t start_unix_us, start_mono_us;
	unsigned status;               /* of the answer queued; 0: none */
	size_t answer_bytes;
};

struct http_response {
	unsigned status;
	struct ccon_strbuf body;
	const char *content_type;      /* default application/json */
};

/* One value of the query string (URL-decoded), or NULL. */
const char *http_query(const struct http_request *req, const char *key);
/* Any request header, or NULL. */
const char *http_header(const struct http_request *req, const char *name);

struct http_app {
	void *ctx;
	/* Headers are in: pick the route. May set req->stream. */
	void (*begin)(void *ctx, struct http_request *req);
	/* A body chunk of a streaming request. */
	void (*body)(void *ctx, struct http_request *req, const char *data, size_t len);
	/* The whole request is in: fill the response. */
	void (*end)(void *ctx, struct http_request *req, struct http_response *resp);
};

/* A chunk of the request's body: to app->body when the request streams,
 * else kept in req->body, up to max_body bytes (then body_too_large) or
 * while memory lasts (then body_nomem); what was kept is dropped then.
 * http.c and the in-process harnesses of the tests (tests/fuzz,
 * tests/faultinj) hand every chunk here. */
void http_request_chunk(const struct http_app *app, struct http_request *req, const char *data,
                        size_t len, size_t max_body);

struct http_config {
	const char *host;              /* an IPv4 or IPv6 literal; default 127.0.0.1 */
	uint16_t port;                 /* 0 picks a free port */
	unsigned threads;              /* worker threads; default 4 */
	size_t max_body;               /* buffered bodies above it answer 413 */
};

struct http_server;

int http_start(const struct http_config *cfg, const struct http_app *app,
               struct http_server **out, struct ccon_error *err);
uint16_t http_port(const struct http_server *srv);
/* Stops accepting, lets requests in flight finish (up to grace_ms), stops. */
void http_stop(struct http_server *srv, unsigned grace_ms);

/* Where every server of the process logs its requests (NULL: nowhere).
 * Process-wide, like stderr: ccond's main sets it once, before the first
 * http_start; the console's embedded engine never does. */
void http_set_access_log(struct access_log *log);

#endif
