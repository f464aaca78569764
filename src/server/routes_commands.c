/* routes_commands.c - seed 002's command envelope: POST /commands with
 * `Authorization: Key KEY`.
 *
 * Every authenticated request is answered HTTP 200 with an envelope (as
 * Blip does): {id, from, to, method, status: "success", type, resource,
 * metadata: {"#command.uri"}} or status "failure" with reason {code,
 * description}. reason.code mirrors the HTTP status the failure would have
 * on a REST route (400 invalid, 404 unknown campaign or uri, 405 method not
 * taken by the uri, 409 the campaign's state forbids it, 415 wrong content
 * type, 422 Idempotency-Key reused for another command, 500 store). The
 * description is "path: message" for validation errors; reason also carries
 * ccon's own fields: error (the stable code), path, line, column and, for
 * CSV audiences, errors (every refused row).
 *
 * This file is the envelope only: decoding, routing, the answer. The
 * handlers are in commands_*.c (commands.h).
 */
#include "config.h"

#include "routes.h"

#include "commands.h"

#include <ccon/json_util.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void reason_extras(cJSON *reason, const struct cmd *x)
{
	cJSON *list = NULL;

	if (!reason)
		return;
	cJSON_AddStringToObject(reason, "error", ccon_errc_name(x->err.code));
	if (x->err.path[0])
		cJSON_AddStringToObject(reason, "path", x->err.path);
	if (x->err.line)
		cJSON_AddNumberToObject(reason, "line", (double)x->err.line);
	if (x->err.column)
		cJSON_AddNumberToObject(reason, "column", (double)x->err.column);
	if (x->errors && ccon_error_list_encode(x->errors, &list) == 0) {
		cJSON *items = cJSON_DetachItemFromObject(list, "errors");

		if (items)
			cJSON_AddItemToObject(reason, "errors", items);
		if (x->errors->truncated)
			cJSON_AddNumberToObject(reason, "truncated", (double)x->errors->truncated);
		cJSON_Delete(list);
	}
}

/* A success streams its envelope around the resource: the tree written
 * through the writer, or the text a read wrote, never a copy of a tree. */
static void reply_success(struct cmd *x, struct ccon_command_answer *ans)
{
	struct ccon_strbuf out = CCON_STRBUF_INIT;
	struct ccon_json_writer w;
	bool has = x->resource || x->raw.len;

	if (ccon_strbuf_reserve(&out, x->raw.len + 256) < 0)
		goto fail;
	ccon_jw_init(&w, &out);
	ccon_command_answer_write_begin(ans, has, &w);
	if (x->resource)
		ccon_jw_cjson(&w, x->resource);
	else if (x->raw.len)
		ccon_jw_raw(&w, x->raw.buf, x->raw.len);
	if (ccon_command_answer_write_end(ans, &w) < 0)
		goto fail;
	api_reply_strbuf(x->c, 200, &out);
	return;
fail:
	ccon_strbuf_free(&out);
	api_reply_errorf(x->c, 500, CCON_E_NOMEM, "out of memory");
}

static void reply(struct cmd *x)
{
	struct ccon_command_answer ans;
	cJSON *body = NULL;
	char desc[CCON_ERROR_PATH_MAX + CCON_ERROR_MESSAGE_MAX + 64];
	int rc;

	if (!x->failed && x->answered)   /* written whole before a commit (commands.h) */
		return;
	if (!x->failed) {
		rc = ccon_command_answer_success(&x->cmd, x->type, NULL, &ans);
	} else {
		ccon_error_format(&x->err, desc, sizeof(desc));
		rc = ccon_command_answer_failure(&x->cmd, x->reason, desc, &ans);
		if (rc == 0 && !x->decoded) {
			ans.has_method = false;
			ans.id = x->raw_id;
			x->raw_id = NULL;
		}
	}
	if (rc < 0) {
		api_reply_errorf(x->c, 500, CCON_E_NOMEM, "out of memory");
		return;
	}
	if (x->decoded && x->cmd.uri) {
		ans.metadata = cJSON_CreateObject();
		if (ans.metadata)
			cJSON_AddStringToObject(ans.metadata, "#command.uri", x->cmd.uri);
	}
	if (!x->failed) {
		reply_success(x, &ans);
		ccon_command_answer_free(&ans);
		return;
	}
	if (ccon_command_answer_encode(&ans, &body) < 0)
		body = NULL;
	if (body)
		reason_extras(cJSON_GetObjectItemCaseSensitive(body, "reason"), x);
	ccon_command_answer_free(&ans);
	api_reply_json(x->c, 200, body);
}

static bool json_content_type(const char *ct)
{
	size_t n;

	if (!ct || !*ct)
		return true;
	n = strcspn(ct, ";");
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	       (n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0);
}

/* Parses the body into x->cmd; a string resource is CSV text, kept aside
 * (the envelope codec takes objects and arrays only). */
static int decode_envelope(struct cmd *x)
{
	const struct ccon_strbuf *b = &x->c->req->body;
	struct ccon_error e;
	cJSON *root, *res, *id;
	bool ok = true;

	ccon_error_clear(&e);
	if (!json_content_type(x->c->req->content_type))
		return cmd_failf(x, CCON_E_CONTENT_TYPE, NULL,
		                 "a command is JSON: send it as application/json, not %.60s",
		                 x->c->req->content_type);
	if (!b->len)
		return cmd_failf(x, CCON_E_JSON_SYNTAX, NULL, "the body is empty: a command envelope "
		                 "{id, to, method, uri, type, resource} was expected");
	if (ccon_json_parse(b->buf, b->len, &root, &e) < 0)
		return cmd_fail(x, &e);
	res = cJSON_GetObjectItem(root, "resource");
	if (cJSON_IsString(res)) {
		x->csv = ccon_json_strdup(res->valuestring, &ok);
		cJSON_DeleteItemFromObject(root, "resource");
	}
	if (ok && ccon_command_decode(root, &x->cmd, &e) == 0) {
		x->decoded = true;
	} else if (ok) {
		id = cJSON_GetObjectItem(root, "id");
		if (cJSON_IsString(id))
			x->raw_id = ccon_json_strdup(id->valuestring, &ok);
		cmd_fail(x, &e);
	}
	cJSON_Delete(root);
	if (!ok)
		return cmd_nomem(x);
	return x->failed ? -1 : 0;
}

/* Each route of codec_command.h to its handler. */
static cmd_handler *const handlers[CCON_ROUTE__COUNT] = {
	[CCON_ROUTE_CAMPAIGN_FULL] = cmd_campaign_full,
	[CCON_ROUTE_CAMPAIGN_V2] = cmd_campaign_v2,
	[CCON_ROUTE_AUDIENCES_V2] = cmd_audiences_v2,
	[CCON_ROUTE_AUDIENCES_V2_FILE] = cmd_audiences_v2,
	[CCON_ROUTE_DISPATCH_V2] = cmd_dispatch_v2,
	[CCON_ROUTE_SUMMARIES] = cmd_summaries,
	[CCON_ROUTE_SUMMARY] = cmd_summary,
	[CCON_ROUTE_REPORT] = cmd_report,
	[CCON_ROUTE_CAMPAIGN] = cmd_delete,
	[CCON_ROUTE_AUDIENCE] = cmd_audience,
	[CCON_ROUTE_MESSAGES] = cmd_messages,
	[CCON_ROUTE_FAILURES] = cmd_failures,
};

static int route_command(struct cmd *x)
{
	struct ccon_error e;
	enum ccon_cmd_method want;

	ccon_error_clear(&e);
	if (ccon_cmd_uri_parse(x->cmd.uri, &x->uri, &e) < 0) {
		if (!e.path[0])   /* the path itself: no such uri */
			return cmd_fail_reason(x, 404, (ccon_error_at_path(&e, "uri"), &e));
		ccon_error_prefix_path(&e, "uri");
		return cmd_fail(x, &e);
	}
	want = ccon_cmd_route_method(x->uri.route);
	if (want != x->cmd.method)
		return cmd_failf(x, CCON_E_METHOD, "method", "%s is not taken by %s: use %s",
		                 ccon_cmd_method_name(x->cmd.method),
		                 ccon_cmd_route_pattern(x->uri.route), ccon_cmd_method_name(want));
	if ((unsigned)x->uri.route >= CCON_ROUTE__COUNT || !handlers[x->uri.route])
		return cmd_failf(x, CCON_E_NOT_FOUND, "uri", "no such uri");
	return handlers[x->uri.route](x);
}

void api_commands(struct api_call *c)
{
	struct cmd x;

	memset(&x, 0, sizeof(x));
	x.c = c;
	if (decode_envelope(&x) == 0)
		route_command(&x);
	reply(&x);
	cJSON_Delete(x.resource);
	ccon_strbuf_free(&x.raw);
	free(x.raw_id);
	free(x.csv);
	if (x.errors) {
		ccon_error_list_free(x.errors);
		free(x.errors);
	}
	ccon_cmd_uri_free(&x.uri);
	ccon_command_free(&x.cmd);
}
