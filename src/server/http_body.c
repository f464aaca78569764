#include "config.h"

#include "http.h"

void http_request_chunk(const struct http_app *app, struct http_request *req, const char *data,
                        size_t len, size_t max_body)
{
	if (req->stream) {
		app->body(app->ctx, req, data, len);
		return;
	}
	if (req->body_too_large || req->body_nomem)
		return;
	if (req->body.len + len > max_body) {
		req->body_too_large = true;
		ccon_strbuf_free(&req->body);
	} else if (ccon_strbuf_append(&req->body, data, len) < 0) {
		req->body_nomem = true;
		ccon_strbuf_free(&req->body);
	}
}
