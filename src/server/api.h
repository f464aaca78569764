/* api.h - what a route handler gets and how it answers. One api_call lives
 * from the request's headers to its answer. */
#ifndef CCOND_API_H
#define CCOND_API_H

#include "http.h"

#include <ccon/error.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct engine;

#define API_MAX_PARAMS 4
#define API_PARAM_MAX 64

struct api_call {
	struct engine *eng;
	struct http_request *req;
	struct http_response *resp;
	const struct api_route *route;
	sqlite3 *db;                 /* borrowed for the handler's run */
	int64_t app_id;              /* the authenticated application, 0 when none */
	int64_t now_us;
	char params[API_MAX_PARAMS][API_PARAM_MAX];
	int n_params;
	void *state;                 /* a streaming route's own state */
	void (*state_free)(void *state);
};

enum api_auth {
	API_AUTH_NONE,
	API_AUTH_BEARER,             /* Authorization: Bearer KEY (REST) */
	API_AUTH_KEY,                /* Authorization: Key KEY (seed 002 /commands) */
};

struct api_route {
	const char *method;
	const char *pattern;         /* "/v1/applications/{appId}/campaigns/{campaignId}" */
	enum api_auth auth;
	void (*handle)(struct api_call *c);
	/* Streaming routes only: body chunks as they arrive (no database). */
	void (*chunk)(struct api_call *c, const char *data, size_t len);
};

/* A positive decimal id without leading zeros; 0 for anything else. */
int64_t api_parse_id(const char *s);
/* Path parameter i parsed as a positive integer id; 0 when it is not one. */
int64_t api_param_id(const struct api_call *c, int i);

/* Answers. api_reply_json takes ownership of body. */
void api_reply_json(struct api_call *c, unsigned status, cJSON *body);
/* A JSON text made elsewhere (e.g. a stored idempotent answer); takes ownership. */
void api_reply_text(struct api_call *c, unsigned status, char *json_text);
/* A JSON text already in a strbuf: its buffer becomes the body (no copy)
 * and body is left empty; an empty body answers 500 out of memory. */
void api_reply_strbuf(struct api_call *c, unsigned status, struct ccon_strbuf *body);
void api_reply_error(struct api_call *c, unsigned status, const struct ccon_error *err);
/* The HTTP status that fits an error code (400 for validation, 404, 409, ...). */
unsigned api_status_for(const struct ccon_error *err);
/* The application in the path ({appId}, parameter 0) must be the key's: a
 * mismatch answers 404 and returns false. */
bool api_own_app(struct api_call *c);
/* The body must be JSON (415 otherwise) and not empty (400); answers and
 * returns false when it is not. */
bool api_json_body(struct api_call *c);
/* true when the query parameter is "true" (dryRun=true). */
bool api_query_true(const struct api_call *c, const char *key);
void api_reply_errorf(struct api_call *c, unsigned status, enum ccon_errc code, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

/* The route table (routes.c). */
extern const struct api_route api_routes[];
extern const size_t api_n_routes;

#endif
