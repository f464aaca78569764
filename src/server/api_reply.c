#include "config.h"

#include "api.h"

#include <ccon/codec_error.h>
#include <ccon/json_util.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int64_t api_parse_id(const char *s)
{
	int64_t v = 0;

	if (!s || !*s || *s == '0')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int64_t api_param_id(const struct api_call *c, int i)
{
	return i < 0 || i >= c->n_params ? 0 : api_parse_id(c->params[i]);
}

void api_reply_json(struct api_call *c, unsigned status, cJSON *body)
{
	ccon_strbuf_reset(&c->resp->body);
	if (!body || ccon_json_print(body, &c->resp->body) < 0) {
		ccon_strbuf_reset(&c->resp->body);
		ccon_strbuf_puts(&c->resp->body, "{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}");
		status = 500;
	}
	cJSON_Delete(body);
	c->resp->status = status;
}

/* json_text becomes the body as it is, with no allocation: a send's answer
 * is made before its commit, and nothing after the commit may fail for want
 * of memory and answer 500 for a send that was stored (tests/faultinj). */
void api_reply_text(struct api_call *c, unsigned status, char *json_text)
{
	ccon_strbuf_free(&c->resp->body);
	if (!json_text) {
		ccon_strbuf_puts(&c->resp->body, "{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}");
		status = 500;
	} else {
		c->resp->body.buf = json_text;
		c->resp->body.len = strlen(json_text);
		c->resp->body.cap = c->resp->body.len + 1;
	}
	c->resp->status = status;
}

void api_reply_strbuf(struct api_call *c, unsigned status, struct ccon_strbuf *body)
{
	struct ccon_strbuf old = c->resp->body;

	if (!body->len) {
		ccon_strbuf_free(body);
		api_reply_text(c, status, NULL);
		return;
	}
	c->resp->body = *body;
	c->resp->status = status;
	ccon_strbuf_free(&old);
	ccon_strbuf_init(body);
}

unsigned api_status_for(const struct ccon_error *err)
{
	switch (err->code) {
	case CCON_E_NOT_FOUND:
		return 404;
	case CCON_E_CONFLICT:
		return 422;
	case CCON_E_AUTH:
		return 401;
	case CCON_E_TOO_LARGE:
		return 413;
	case CCON_E_CONTENT_TYPE:
		return 415;
	case CCON_E_NOMEM:
	case CCON_E_IO:
	case CCON_E_STORE:
		return 500;
	default:
		return 400;
	}
}

bool api_own_app(struct api_call *c)
{
	if (api_param_id(c, 0) == c->app_id && c->app_id > 0)
		return true;
	api_reply_errorf(c, 404, CCON_E_NOT_FOUND, "no such application");
	return false;
}

bool api_query_true(const struct api_call *c, const char *key)
{
	const char *v = http_query(c->req, key);

	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

void api_reply_error(struct api_call *c, unsigned status, const struct ccon_error *err)
{
	cJSON *body = NULL;

	if (ccon_error_encode(err, &body) < 0)
		body = NULL;
	api_reply_json(c, status, body);
}

void api_reply_errorf(struct api_call *c, unsigned status, enum ccon_errc code, const char *fmt,
                      ...)
{
	struct ccon_error err;
	va_list ap;

	ccon_error_clear(&err);
	va_start(ap, fmt);
	ccon_error_vset(&err, code, fmt, ap);
	va_end(ap);
	api_reply_error(c, status, &err);
}

bool api_json_body(struct api_call *c)
{
	const char *ct = c->req->content_type;

	if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
		api_reply_errorf(c, 415, CCON_E_CONTENT_TYPE,
		                 "send the body as application/json (got %s)", ct ? ct : "no Content-Type");
		return false;
	}
	if (c->req->body.len == 0) {
		api_reply_errorf(c, 400, CCON_E_JSON_SYNTAX, "the body is empty");
		return false;
	}
	return true;
}
