#include "config.h"

#include <ccon/codec_command.h>

#include <ccon/json_util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const method_names[] = { "get", "set", "delete" };

const char *ccon_cmd_method_name(enum ccon_cmd_method m)
{
	return (unsigned)m < 3 ? method_names[m] : "get";
}

const char *ccon_cmd_status_name(enum ccon_cmd_status s)
{
	return s == CCON_CMD_FAILURE ? "failure" : "success";
}

int ccon_cmd_method_parse(const char *s, enum ccon_cmd_method *out)
{
	for (int i = 0; i < 3; i++) {
		if (strcasecmp(s, method_names[i]) == 0) {
			*out = (enum ccon_cmd_method)i;
			return 0;
		}
	}
	return -1;
}

static int nomem(struct ccon_error *err)
{
	ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return -1;
}

/* Gets a string field and copies it into *out. */
static int get_dup(const cJSON *obj, const char *key, enum ccon_json_need need,
                   struct ccon_json_path *path, char **out, struct ccon_error *err)
{
	const char *s;
	bool ok = true;

	if (ccon_json_get_string(obj, key, need, path, &s, err) < 0)
		return -1;
	*out = ccon_json_strdup(s, &ok);
	return ok ? 0 : nomem(err);
}

static int value_error(struct ccon_json_path *path, const char *key, struct ccon_error *err)
{
	size_t old = ccon_json_path_push_key(path, key);

	ccon_error_at_path(err, path->buf);
	ccon_json_path_pop(path, old);
	return -1;
}

static int get_method(const cJSON *obj, enum ccon_json_need need, struct ccon_json_path *path,
                      enum ccon_cmd_method *out, bool *present, struct ccon_error *err)
{
	const char *s;

	if (ccon_json_get_string(obj, "method", need, path, &s, err) < 0)
		return -1;
	*present = s != NULL;
	if (s && ccon_cmd_method_parse(s, out) < 0) {
		ccon_error_set(err, CCON_E_JSON_VALUE,
		               "unknown method \"%.40s\": expected get, set or delete", s);
		return value_error(path, "method", err);
	}
	return 0;
}

/* The resource (object or array) or metadata (object), duplicated. */
static int get_tree(const cJSON *obj, const char *key, bool array_ok, struct ccon_json_path *path,
                    cJSON **out, struct ccon_error *err)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	*out = NULL;
	if (!item || cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsObject(item) && !(array_ok && cJSON_IsArray(item))) {
		ccon_error_set(err, CCON_E_JSON_TYPE, "expected %s, got %s",
		               array_ok ? "an object or an array" : "object", ccon_json_type_name(item));
		return value_error(path, key, err);
	}
	*out = cJSON_Duplicate(item, true);
	return *out ? 0 : nomem(err);
}

static int expect_root(const cJSON *json, struct ccon_json_path *path, struct ccon_error *err)
{
	if (cJSON_IsObject(json))
		return 0;
	return ccon_json_expect(json, cJSON_Object, path, err);
}

int ccon_command_decode(const cJSON *json, struct ccon_command *out, struct ccon_error *err)
{
	struct ccon_json_path path;
	bool present;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (expect_root(json, &path, err) < 0)
		return -1;
	if (get_dup(json, "id", CCON_JSON_REQUIRED, &path, &out->id, err) < 0 ||
	    get_dup(json, "from", CCON_JSON_OPTIONAL, &path, &out->from, err) < 0 ||
	    get_dup(json, "to", CCON_JSON_OPTIONAL, &path, &out->to, err) < 0 ||
	    get_method(json, CCON_JSON_REQUIRED, &path, &out->method, &present, err) < 0 ||
	    get_dup(json, "uri", CCON_JSON_REQUIRED, &path, &out->uri, err) < 0 ||
	    get_dup(json, "type", CCON_JSON_OPTIONAL, &path, &out->type, err) < 0 ||
	    get_tree(json, "resource", true, &path, &out->resource, err) < 0) {
		ccon_command_free(out);
		return -1;
	}
	return 0;
}

int ccon_command_parse(const char *text, size_t len, struct ccon_command *out,
                       struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_command_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

static int add_tree(cJSON *obj, const char *key, const cJSON *tree)
{
	cJSON *copy;

	if (!tree)
		return 0;
	copy = cJSON_Duplicate(tree, true);
	if (!copy)
		return -1;
	if (!cJSON_AddItemToObject(obj, key, copy)) {
		cJSON_Delete(copy);
		return -1;
	}
	return 0;
}

int ccon_command_encode(const struct ccon_command *cmd, cJSON **out)
{
	cJSON *o = cJSON_CreateObject();

	*out = NULL;
	if (!o || ccon_json_add_string_opt(o, "id", cmd->id) < 0 ||
	    ccon_json_add_string_opt(o, "from", cmd->from) < 0 ||
	    ccon_json_add_string_opt(o, "to", cmd->to) < 0 ||
	    !cJSON_AddStringToObject(o, "method", ccon_cmd_method_name(cmd->method)) ||
	    ccon_json_add_string_opt(o, "uri", cmd->uri) < 0 ||
	    ccon_json_add_string_opt(o, "type", cmd->type) < 0 ||
	    add_tree(o, "resource", cmd->resource) < 0) {
		cJSON_Delete(o);
		return -1;
	}
	*out = o;
	return 0;
}

void ccon_command_free(struct ccon_command *cmd)
{
	free(cmd->id);
	free(cmd->from);
	free(cmd->to);
	free(cmd->uri);
	free(cmd->type);
	cJSON_Delete(cmd->resource);
	memset(cmd, 0, sizeof(*cmd));
}

static int get_status(const cJSON *obj, struct ccon_json_path *path, enum ccon_cmd_status *out,
                      struct ccon_error *err)
{
	const char *s;

	if (ccon_json_get_string(obj, "status", CCON_JSON_REQUIRED, path, &s, err) < 0)
		return -1;
	if (strcasecmp(s, "success") == 0) {
		*out = CCON_CMD_SUCCESS;
	} else if (strcasecmp(s, "failure") == 0) {
		*out = CCON_CMD_FAILURE;
	} else {
		ccon_error_set(err, CCON_E_JSON_VALUE,
		               "unknown status \"%.40s\": expected success or failure", s);
		return value_error(path, "status", err);
	}
	return 0;
}

static int get_reason(const cJSON *obj, struct ccon_json_path *path,
                      struct ccon_command_answer *out, struct ccon_error *err)
{
	const cJSON *reason;
	size_t old;
	int rc;

	if (ccon_json_get_object(obj, "reason", CCON_JSON_OPTIONAL, path, &reason, err) < 0)
		return -1;
	if (!reason)
		return 0;
	old = ccon_json_path_push_key(path, "reason");
	rc = ccon_json_get_int64(reason, "code", CCON_JSON_REQUIRED, path, &out->reason_code,
	                         NULL, err);
	if (rc == 0)
		rc = get_dup(reason, "description", CCON_JSON_OPTIONAL, path,
		             &out->reason_description, err);
	ccon_json_path_pop(path, old);
	out->has_reason = rc == 0;
	return rc;
}

int ccon_command_answer_decode(const cJSON *json, struct ccon_command_answer *out,
                               struct ccon_error *err)
{
	struct ccon_json_path path;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (expect_root(json, &path, err) < 0)
		return -1;
	if (get_dup(json, "id", CCON_JSON_OPTIONAL, &path, &out->id, err) < 0 ||
	    get_dup(json, "from", CCON_JSON_OPTIONAL, &path, &out->from, err) < 0 ||
	    get_dup(json, "to", CCON_JSON_OPTIONAL, &path, &out->to, err) < 0 ||
	    get_method(json, CCON_JSON_OPTIONAL, &path, &out->method, &out->has_method, err) < 0 ||
	    get_status(json, &path, &out->status, err) < 0 ||
	    get_dup(json, "type", CCON_JSON_OPTIONAL, &path, &out->type, err) < 0 ||
	    get_tree(json, "resource", true, &path, &out->resource, err) < 0 ||
	    get_reason(json, &path, out, err) < 0 ||
	    get_tree(json, "metadata", false, &path, &out->metadata, err) < 0) {
		ccon_command_answer_free(out);
		return -1;
	}
	return 0;
}

int ccon_command_answer_parse(const char *text, size_t len, struct ccon_command_answer *out,
                              struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_command_answer_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

int ccon_command_answer_encode(const struct ccon_command_answer *ans, cJSON **out)
{
	cJSON *o = cJSON_CreateObject(), *reason;

	*out = NULL;
	if (!o || ccon_json_add_string_opt(o, "id", ans->id) < 0 ||
	    ccon_json_add_string_opt(o, "from", ans->from) < 0 ||
	    ccon_json_add_string_opt(o, "to", ans->to) < 0 ||
	    (ans->has_method &&
	     !cJSON_AddStringToObject(o, "method", ccon_cmd_method_name(ans->method))) ||
	    !cJSON_AddStringToObject(o, "status", ccon_cmd_status_name(ans->status)) ||
	    ccon_json_add_string_opt(o, "type", ans->type) < 0 ||
	    add_tree(o, "resource", ans->resource) < 0)
		goto fail;
	if (ans->has_reason) {
		reason = cJSON_AddObjectToObject(o, "reason");
		if (!reason || !cJSON_AddNumberToObject(reason, "code", (double)ans->reason_code) ||
		    ccon_json_add_string_opt(reason, "description", ans->reason_description) < 0)
			goto fail;
	}
	if (add_tree(o, "metadata", ans->metadata) < 0)
		goto fail;
	*out = o;
	return 0;
fail:
	cJSON_Delete(o);
	return -1;
}

static void write_opt(struct ccon_json_writer *w, const char *key, const char *value)
{
	if (value)
		ccon_jw_kv_string(w, key, value);
}

int ccon_command_answer_write_begin(const struct ccon_command_answer *ans, bool has_resource,
                                    struct ccon_json_writer *w)
{
	ccon_jw_begin_object(w);
	write_opt(w, "id", ans->id);
	write_opt(w, "from", ans->from);
	write_opt(w, "to", ans->to);
	if (ans->has_method)
		ccon_jw_kv_string(w, "method", ccon_cmd_method_name(ans->method));
	ccon_jw_kv_string(w, "status", ccon_cmd_status_name(ans->status));
	write_opt(w, "type", ans->type);
	if (has_resource)
		ccon_jw_key(w, "resource");
	return ccon_jw_failed(w) ? -1 : 0;
}

int ccon_command_answer_write_end(const struct ccon_command_answer *ans,
                                  struct ccon_json_writer *w)
{
	if (ans->has_reason) {
		ccon_jw_key(w, "reason");
		ccon_jw_begin_object(w);
		ccon_jw_kv_int(w, "code", ans->reason_code);
		write_opt(w, "description", ans->reason_description);
		ccon_jw_end_object(w);
	}
	if (ans->metadata) {
		ccon_jw_key(w, "metadata");
		ccon_jw_cjson(w, ans->metadata);
	}
	return ccon_jw_end_object(w);
}

int ccon_command_answer_write(const struct ccon_command_answer *ans, struct ccon_json_writer *w)
{
	if (ccon_command_answer_write_begin(ans, ans->resource != NULL, w) < 0)
		return -1;
	if (ans->resource)
		ccon_jw_cjson(w, ans->resource);
	return ccon_command_answer_write_end(ans, w);
}

void ccon_command_answer_free(struct ccon_command_answer *ans)
{
	free(ans->id);
	free(ans->from);
	free(ans->to);
	free(ans->type);
	free(ans->reason_description);
	cJSON_Delete(ans->resource);
	cJSON_Delete(ans->metadata);
	memset(ans, 0, sizeof(*ans));
}

static int answer_to(const struct ccon_command *cmd, struct ccon_command_answer *ans)
{
	bool ok = true;

	memset(ans, 0, sizeof(*ans));
	ans->id = ccon_json_strdup(cmd->id, &ok);
	ans->from = ccon_json_strdup(cmd->to, &ok);
	ans->to = ccon_json_strdup(cmd->from, &ok);
	ans->has_method = true;
	ans->method = cmd->method;
	return ok ? 0 : -1;
}

int ccon_command_answer_success(const struct ccon_command *cmd, const char *type,
                                cJSON *resource, struct ccon_command_answer *ans)
{
	bool ok = true;

	if (answer_to(cmd, ans) == 0)
		ans->type = ccon_json_strdup(type, &ok);
	ans->resource = resource;
	ans->status = CCON_CMD_SUCCESS;
	if (!ok || (cmd->id && !ans->id) || (cmd->to && !ans->from) || (cmd->from && !ans->to)) {
		ccon_command_answer_free(ans);
		return -1;
	}
	return 0;
}

int ccon_command_answer_failure(const struct ccon_command *cmd, int64_t code,
                                const char *description, struct ccon_command_answer *ans)
{
	bool ok = answer_to(cmd, ans) == 0;

	ans->status = CCON_CMD_FAILURE;
	ans->has_reason = true;
	ans->reason_code = code;
	ans->reason_description = ccon_json_strdup(description, &ok);
	if (!ok) {
		ccon_command_answer_free(ans);
		return -1;
	}
	return 0;
}

void ccon_cmd_resource_error_path(struct ccon_error *err)
{
	ccon_error_prefix_path(err, "resource");
}

/* ------------------------------------------------------------- routes */

static const struct {
	const char *pattern;
	enum ccon_cmd_method method;
} routes[CCON_ROUTE__COUNT] = {
	[CCON_ROUTE_CAMPAIGN_FULL] = { "/campaign/full", CCON_CMD_SET },
	[CCON_ROUTE_CAMPAIGN_V2] = { "/campaign/v2", CCON_CMD_SET },
	[CCON_ROUTE_AUDIENCES_V2] = { "/audiences/v2/{id}", CCON_CMD_SET },
	[CCON_ROUTE_AUDIENCES_V2_FILE] = { "/audiences/v2/{id}/file", CCON_CMD_SET },
	[CCON_ROUTE_DISPATCH_V2] = { "/dispatch/v2", CCON_CMD_SET },
	[CCON_ROUTE_SUMMARIES] = { "/campaigns/summaries", CCON_CMD_GET },
	[CCON_ROUTE_SUMMARY] = { "/campaigns/{id}/summaries", CCON_CMD_GET },
	[CCON_ROUTE_REPORT] = { "/campaigns/{id}/reports", CCON_CMD_GET },
	[CCON_ROUTE_CAMPAIGN] = { "/campaigns/{id}", CCON_CMD_DELETE },
	[CCON_ROUTE_AUDIENCE] = { "/audiences/{id}", CCON_CMD_GET },
	[CCON_ROUTE_MESSAGES] = { "/messages/{id}", CCON_CMD_GET },
	[CCON_ROUTE_FAILURES] = { "/campaigns/{id}/failures", CCON_CMD_GET },
};

const char *ccon_cmd_route_pattern(enum ccon_cmd_route r)
{
	return (unsigned)r < CCON_ROUTE__COUNT ? routes[r].pattern : "";
}

enum ccon_cmd_method ccon_cmd_route_method(enum ccon_cmd_route r)
{
	return (unsigned)r < CCON_ROUTE__COUNT ? routes[r].method : CCON_CMD_GET;
}

bool ccon_cmd_route_has_id(enum ccon_cmd_route r)
{
	return strstr(ccon_cmd_route_pattern(r), "{id}") != NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..n) into a new string; plus_space turns '+' into ' '. */
static int pct_decode(const char *s, size_t n, bool plus_space, const char *what, char **out,
                      struct ccon_error *err)
{
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI): n counts bytes of a string */
	char *d = malloc(n + 1);
	size_t j = 0;

	*out = NULL;
	if (!d)
		return nomem(err);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;

			if (hi >= 0 && lo >= 0 && (hi | lo)) {
				d[j++] = (char)(hi << 4 | lo);
				i += 2;
				continue;
			}
			free(d);
			ccon_error_set(err, CCON_E_JSON_VALUE,
			               "bad percent escape at character %zu of %s (a %%XX with two "
			               "hexadecimal digits, not %%00, was expected)", i + 1, what);
			return -1;
		}
		d[j++] = plus_space && s[i] == '+' ? ' ' : s[i];
	}
	d[j] = '\0';
	*out = d;
	return 0;
}

/* One count: digits only; a longer run of digits than max has is out of
 * range, not invalid. */
static int paging_count(const char *name, const char *v, int64_t min, int64_t max, int64_t *out,
                        struct ccon_error *err)
{
	int64_t n = 0;
	size_t i;

	if (!v)
		return 0;
	for (i = 0; v[i] >= '0' && v[i] <= '9'; i++)
		if (n <= max)
			n = n * 10 + (v[i] - '0');
	if (i > 0 && !v[i] && n >= min && n <= max) {
		*out = n;
		return 0;
	}
	ccon_error_set(err, i > 0 && !v[i] ? CCON_E_JSON_RANGE : CCON_E_JSON_VALUE,
	               "expected a whole number from %lld to %lld, got \"%.20s\"", (long long)min,
	               (long long)max, v);
	ccon_error_at_path(err, name);
	return -1;
}

int ccon_paging_parse(const char *skip, const char *take, struct ccon_paging *out,
                      struct ccon_error *err)
{
	struct ccon_paging p = { 0, CCON_CMD_TAKE_DEFAULT };

	if (paging_count("$skip", skip, 0, CCON_CMD_SKIP_MAX, &p.skip, err) < 0 ||
	    paging_count("$take", take, 1, CCON_CMD_TAKE_MAX, &p.take, err) < 0)
		return -1;
	*out = p;
	return 0;
}

static const char *const recipient_statuses[] = {
	"pending", "processed", "received", "read", "failed", "canceled",
};

#define N_STATUSES (sizeof(recipient_statuses) / sizeof(recipient_statuses[0]))

bool ccon_cmd_recipient_status_valid(const char *s)
{
	for (size_t i = 0; s && i < N_STATUSES; i++)
		if (strcmp(s, recipient_statuses[i]) == 0)
			return true;
	return false;
}

static int given_twice(const char *name, struct ccon_error *err)
{
	ccon_error_set(err, CCON_E_JSON_VALUE, "parameter given twice");
	ccon_error_at_path(err, name);
	return -1;
}

/* status: one of the six, any letter case, kept lower case. */
static int status_param(struct ccon_cmd_uri *u, char *value, struct ccon_error *err)
{
	if (u->status) {
		free(value);
		return given_twice("status", err);
	}
	for (size_t i = 0; i < N_STATUSES; i++) {
		if (strcasecmp(value, recipient_statuses[i]) == 0) {
			memcpy(value, recipient_statuses[i], strlen(value));
			u->status = value;
			return 0;
		}
	}
	ccon_error_set(err, CCON_E_JSON_VALUE,
	               "expected one status (pending, processed, received, read, failed or "
	               "canceled), got \"%.40s\"", value);
	ccon_error_at_path(err, "status");
	free(value);
	return -1;
}

/* reasonCode: digits only, as $skip. */
static int reason_code_param(struct ccon_cmd_uri *u, char *value, struct ccon_error *err)
{
	int rc;

	if (u->has_reason_code)
		rc = given_twice("reasonCode", err);
	else
		rc = paging_count("reasonCode", value, 0, CCON_CMD_REASON_CODE_MAX, &u->reason_code,
		                  err);
	u->has_reason_code = rc == 0;
	free(value);
	return rc;
}

static int set_once(char **slot, char *value, const char *name, struct ccon_error *err)
{
	if (*slot) {
		free(value);
		return given_twice(name, err);
	}
	*slot = value;
	return 0;
}

static int query_param(struct ccon_cmd_uri *u, char *name, char *value, struct ccon_error *err)
{
	int rc = 0;

	if (strcasecmp(name, "sourceApplication") == 0)
		return set_once(&u->source_application, value, "sourceApplication", err);
	if (strcasecmp(name, "campaignSender") == 0)
		return set_once(&u->campaign_sender, value, "campaignSender", err);
	if (strcasecmp(name, "created") == 0)
		return set_once(&u->created, value, "created", err);
	if (strcasecmp(name, "taskId") == 0)
		return set_once(&u->task_id, value, "taskId", err);
	if (strcasecmp(name, "status") == 0)
		return status_param(u, value, err);
	if (strcasecmp(name, "reasonCode") == 0)
		return reason_code_param(u, value, err);
	if (strcasecmp(name, "$skip") == 0 || strcasecmp(name, "$take") == 0) {
		bool skip = strcasecmp(name, "$skip") == 0;
		bool *has = skip ? &u->has_skip : &u->has_take;
		struct ccon_paging p;

		if (*has)
			rc = given_twice(skip ? "$skip" : "$take", err);
		else
			rc = ccon_paging_parse(skip ? value : NULL, skip ? NULL : value, &p, err);
		if (rc == 0 && skip)
			u->skip = p.skip;
		else if (rc == 0)
			u->take = p.take;
		*has = rc == 0;
		free(value);
		return rc;
	}
	rc = ccon_fields_add(&u->others, name, value, strlen(value));
	free(value);
	return rc < 0 ? nomem(err) : 0;
}

static int parse_query(struct ccon_cmd_uri *u, const char *q, struct ccon_error *err)
{
	while (*q) {
		size_t n = strcspn(q, "&");
		const char *eq = memchr(q, '=', n);
		size_t nl = eq ? (size_t)(eq - q) : n;
		char *name, *value;

		if (n) {
			if (pct_decode(q, nl, true, "a parameter name", &name, err) < 0)
				return -1;
			if (pct_decode(eq ? eq + 1 : q + n, eq ? n - nl - 1 : 0, true,
			               "a parameter value", &value, err) < 0) {
				ccon_error_at_path(err, name);
				free(name);
				return -1;
			}
			if (query_param(u, name, value, err) < 0) {
				free(name);
				return -1;
			}
			free(name);
		}
		q += n;
		if (*q == '&')
			q++;
	}
	return 0;
}

#define MAX_SEGMENTS 5

static int unknown_route(const char *path, size_t n, struct ccon_error *err, const char *why)
{
	return ccon_error_set(err, CCON_E_JSON_VALUE, "unknown route \"%.*s\"%s", (int)(n > 80 ? 80 : n),
	                      path, why);
}

/* Matches the segments against the routes; sets route and the index of the id. */
static int match(char **seg, size_t n, enum ccon_cmd_route *route, int *id_at)
{
	*id_at = -1;
#define IS(i, w) (strcasecmp(seg[i], w) == 0)
	if (n == 2 && IS(0, "campaign") && IS(1, "full"))
		*route = CCON_ROUTE_CAMPAIGN_FULL;
	else if (n == 2 && IS(0, "campaign") && IS(1, "v2"))
		*route = CCON_ROUTE_CAMPAIGN_V2;
	else if (n == 2 && IS(0, "dispatch") && IS(1, "v2"))
		*route = CCON_ROUTE_DISPATCH_V2;
	else if (n == 3 && IS(0, "audiences") && IS(1, "v2"))
		*route = CCON_ROUTE_AUDIENCES_V2, *id_at = 2;
	else if (n == 4 && IS(0, "audiences") && IS(1, "v2") && IS(3, "file"))
		*route = CCON_ROUTE_AUDIENCES_V2_FILE, *id_at = 2;
	else if (n == 2 && IS(0, "campaigns") && IS(1, "summaries"))
		*route = CCON_ROUTE_SUMMARIES;
	else if (n == 3 && IS(0, "campaigns") && IS(2, "summaries"))
		*route = CCON_ROUTE_SUMMARY, *id_at = 1;
	else if (n == 3 && IS(0, "campaigns") && IS(2, "reports"))
		*route = CCON_ROUTE_REPORT, *id_at = 1;
	else if (n == 3 && IS(0, "campaigns") && IS(2, "failures"))
		*route = CCON_ROUTE_FAILURES, *id_at = 1;
	else if (n == 2 && IS(0, "campaigns"))
		*route = CCON_ROUTE_CAMPAIGN, *id_at = 1;
	else if (n == 2 && IS(0, "audiences") && !IS(1, "v2"))
		*route = CCON_ROUTE_AUDIENCE, *id_at = 1;
	else if (n == 2 && IS(0, "messages"))
		*route = CCON_ROUTE_MESSAGES, *id_at = 1;
	else
		return -1;
#undef IS
	return 0;
}

int ccon_cmd_uri_parse(const char *uri, struct ccon_cmd_uri *out, struct ccon_error *err)
{
	char *seg[MAX_SEGMENTS] = { NULL };
	size_t n = 0, plen = strcspn(uri, "?#");
	const char *p = uri, *end = uri + plen;
	int id_at, rc = -1;

	memset(out, 0, sizeof(*out));
	out->take = CCON_CMD_TAKE_DEFAULT;
	if (*uri != '/') {
		ccon_error_set(err, CCON_E_JSON_VALUE, "the uri must start with '/'");
		goto done;
	}
	if (plen > 1 && uri[plen - 1] == '/')
		end--;
	while (p < end) {
		const char *s = p + 1;
		size_t sl = strcspn(s, "/?#");

		if (s + sl > end)
			sl = (size_t)(end - s);
		if (sl == 0 || n == MAX_SEGMENTS) {
			unknown_route(uri, plen, err, sl ? "" : ": empty path segment");
			goto done;
		}
		if (pct_decode(s, sl, false, "the path", &seg[n], err) < 0)
			goto done;
		n++;
		p = s + sl;
	}
	if (match(seg, n, &out->route, &id_at) < 0) {
		unknown_route(uri, plen, err,
		              n == 2 && strcasecmp(seg[0], "audiences") == 0
		                      ? ": /audiences/v2 needs a campaign id"
		                      : "");
		goto done;
	}
	if (id_at >= 0) {
		out->campaign_id = seg[id_at];
		seg[id_at] = NULL;
	}
	if (uri[plen] == '?') {
		char *q = strndup(uri + plen + 1, strcspn(uri + plen + 1, "#"));

		if (!q) {
			nomem(err);
			goto done;
		}
		rc = parse_query(out, q, err);
		free(q);
		if (rc < 0)
			goto done;
	}
	rc = 0;
done:
	for (size_t i = 0; i < MAX_SEGMENTS; i++)
		free(seg[i]);
	if (rc < 0) {
		ccon_cmd_uri_free(out);
		out->take = CCON_CMD_TAKE_DEFAULT;
	}
	return rc;
}

static int pct_encode(struct ccon_strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '$' || c == ':' || c == '@') {
			if (ccon_strbuf_putc(sb, (char)c) < 0)
				return -1;
		} else if (ccon_strbuf_putc(sb, '%') < 0 || ccon_strbuf_putc(sb, hex[c >> 4]) < 0 ||
		           ccon_strbuf_putc(sb, hex[c & 15]) < 0) {
			return -1;
		}
	}
	return 0;
}

static int put_param(struct ccon_strbuf *sb, bool *first, const char *name, const char *value)
{
	if (!value)
		return 0;
	if (ccon_strbuf_putc(sb, *first ? '?' : '&') < 0 || pct_encode(sb, name) < 0 ||
	    ccon_strbuf_putc(sb, '=') < 0 || pct_encode(sb, value) < 0)
		return -1;
	*first = false;
	return 0;
}

int ccon_cmd_uri_format(const struct ccon_cmd_uri *u, struct ccon_strbuf *sb)
{
	const char *pat = ccon_cmd_route_pattern(u->route);
	const char *id = strstr(pat, "{id}");
	bool first = true;
	char num[32];

	if (id) {
		if (ccon_strbuf_append(sb, pat, (size_t)(id - pat)) < 0 ||
		    pct_encode(sb, u->campaign_id ? u->campaign_id : "") < 0 ||
		    ccon_strbuf_puts(sb, id + 4) < 0)
			return -1;
	} else if (ccon_strbuf_puts(sb, pat) < 0) {
		return -1;
	}
	if (put_param(sb, &first, "sourceApplication", u->source_application) < 0 ||
	    put_param(sb, &first, "campaignSender", u->campaign_sender) < 0 ||
	    put_param(sb, &first, "created", u->created) < 0 ||
	    put_param(sb, &first, "taskId", u->task_id) < 0 ||
	    put_param(sb, &first, "status", u->status) < 0)
		return -1;
	if (u->has_reason_code) {
		snprintf(num, sizeof(num), "%lld", (long long)u->reason_code);
		if (put_param(sb, &first, "reasonCode", num) < 0)
			return -1;
	}
	if (u->has_skip) {
		snprintf(num, sizeof(num), "%lld", (long long)u->skip);
		if (put_param(sb, &first, "$skip", num) < 0)
			return -1;
	}
	if (u->has_take) {
		snprintf(num, sizeof(num), "%lld", (long long)u->take);
		if (put_param(sb, &first, "$take", num) < 0)
			return -1;
	}
	for (size_t i = 0; i < u->others.count; i++)
		if (put_param(sb, &first, u->others.items[i].name, u->others.items[i].value) < 0)
			return -1;
	return 0;
}

void ccon_cmd_uri_free(struct ccon_cmd_uri *u)
{
	free(u->campaign_id);
	free(u->source_application);
	free(u->campaign_sender);
	free(u->created);
	free(u->task_id);
	free(u->status);
	ccon_fields_free(&u->others);
	memset(u, 0, sizeof(*u));
}
