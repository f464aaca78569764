#include "config.h"

#include <ccon/json_util.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ccon_json_path_init(struct ccon_json_path *p, const char *root)
{
	p->len = 0;
	p->buf[0] = '\0';
	if (root && *root)
		p->len = (size_t)snprintf(p->buf, sizeof(p->buf), "%s", root);
	if (p->len >= sizeof(p->buf))
		p->len = sizeof(p->buf) - 1;
}

static size_t path_fix(struct ccon_json_path *p, size_t old, int n)
{
	if (n > 0)
		p->len += (size_t)n;
	if (p->len >= sizeof(p->buf))
		p->len = sizeof(p->buf) - 1;
	return old;
}

size_t ccon_json_path_push_key(struct ccon_json_path *p, const char *key)
{
	size_t old = p->len;

	return path_fix(p, old, snprintf(p->buf + p->len, sizeof(p->buf) - p->len, "%s%s",
	                                 p->len ? "." : "", key));
}

size_t ccon_json_path_push_index(struct ccon_json_path *p, size_t index)
{
	size_t old = p->len;

	return path_fix(p, old, snprintf(p->buf + p->len, sizeof(p->buf) - p->len, "[%zu]", index));
}

void ccon_json_path_pop(struct ccon_json_path *p, size_t old_len)
{
	if (old_len < sizeof(p->buf)) {
		p->len = old_len;
		p->buf[old_len] = '\0';
	}
}

const char *ccon_json_type_name(const cJSON *node)
{
	if (!node)
		return "nothing";
	if (cJSON_IsString(node))
		return "string";
	if (cJSON_IsNumber(node))
		return "number";
	if (cJSON_IsBool(node))
		return "boolean";
	if (cJSON_IsObject(node))
		return "object";
	if (cJSON_IsArray(node))
		return "array";
	if (cJSON_IsNull(node))
		return "null";
	return "invalid";
}

int ccon_json_parse(const char *text, size_t len, cJSON **out, struct ccon_error *err)
{
	const char *end = NULL;
	long line = 1, col = 1;
	const char *p;

	*out = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (*out) {
		/* trailing garbage after the value (whitespace is fine) */
		size_t off = (size_t)(end - text);

		while (off < len && (text[off] == ' ' || text[off] == '\t' || text[off] == '\n' ||
		                     text[off] == '\r'))
			off++;
		if (off == len || (off < len && text[off] == '\0' && off + 1 == len))
			return 0;
		cJSON_Delete(*out);
		*out = NULL;
		end = text + off;
	}
	if (!end || end < text || end > text + len)
		end = text + len;
	for (p = text; p < end; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	ccon_error_set(err, CCON_E_JSON_SYNTAX, end >= text + len ? "JSON ends too early"
	                                                          : "JSON syntax error");
	ccon_error_at_line(err, line, col);
	return -1;
}

static int need_field(const cJSON *obj, const char *key, enum ccon_json_need need,
                      struct ccon_json_path *path, const cJSON **item, struct ccon_error *err)
{
	size_t old;

	*item = (obj && cJSON_IsObject(obj)) ? cJSON_GetObjectItem(obj, key) : NULL;
	if (*item && cJSON_IsNull(*item))
		*item = NULL;
	if (*item || need == CCON_JSON_OPTIONAL)
		return 0;
	old = ccon_json_path_push_key(path, key);
	ccon_error_set(err, CCON_E_JSON_REQUIRED, "required field is missing");
	ccon_error_at_path(err, path->buf);
	ccon_json_path_pop(path, old);
	return -1;
}

static int wrong_type(const cJSON *item, const char *key, const char *want,
                      struct ccon_json_path *path, struct ccon_error *err)
{
	size_t old = ccon_json_path_push_key(path, key);

	ccon_error_set(err, CCON_E_JSON_TYPE, "expected %s, got %s", want, ccon_json_type_name(item));
	ccon_error_at_path(err, path->buf);
	ccon_json_path_pop(path, old);
	return -1;
}

int ccon_json_expect(const cJSON *node, int cjson_type, struct ccon_json_path *path,
                     struct ccon_error *err)
{
	const char *want;

	if (node && (node->type & 0xFF) == cjson_type)
		return 0;
	switch (cjson_type) {
	case cJSON_String: want = "string"; break;
	case cJSON_Number: want = "number"; break;
	case cJSON_Object: want = "object"; break;
	case cJSON_Array: want = "array"; break;
	default: want = "boolean"; break;
	}
	ccon_error_set(err, CCON_E_JSON_TYPE, "expected %s, got %s", want, ccon_json_type_name(node));
	ccon_error_at_path(err, path->buf);
	return -1;
}

int ccon_json_get_string(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, const char **out, struct ccon_error *err)
{
	const cJSON *item;

	if (need_field(obj, key, need, path, &item, err) < 0)
		return -1;
	if (!item) {
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(item))
		return wrong_type(item, key, "string", path, err);
	*out = item->valuestring;
	return 0;
}

int ccon_json_get_bool(const cJSON *obj, const char *key, enum ccon_json_need need,
                       struct ccon_json_path *path, bool *out, bool *present, struct ccon_error *err)
{
	const cJSON *item;

	if (present)
		*present = false;
	if (need_field(obj, key, need, path, &item, err) < 0)
		return -1;
	if (!item)
		return 0;
	if (!cJSON_IsBool(item))
		return wrong_type(item, key, "boolean", path, err);
	*out = cJSON_IsTrue(item);
	if (present)
		*present = true;
	return 0;
}

int ccon_json_get_number(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, double *out, bool *present,
                         struct ccon_error *err)
{
	const cJSON *item;

	if (present)
		*present = false;
	if (need_field(obj, key, need, path, &item, err) < 0)
		return -1;
	if (!item)
		return 0;
	if (!cJSON_IsNumber(item))
		return wrong_type(item, key, "number", path, err);
	*out = item->valuedouble;
	if (present)
		*present = true;
	return 0;
}

int ccon_json_get_int64(const cJSON *obj, const char *key, enum ccon_json_need need,
                        struct ccon_json_path *path, int64_t *out, bool *present,
                        struct ccon_error *err)
{
	const double limit = 9007199254740992.0; /* 2^53 */
	double v;
	bool have = false;
	size_t old;

	if (present)
		*present = false;
	if (ccon_json_get_number(obj, key, need, path, &v, &have, err) < 0)
		return -1;
	if (!have)
		return 0;
	if (!isfinite(v) || v != floor(v) || v > limit || v < -limit) {
		old = ccon_json_path_push_key(path, key);
		ccon_error_set(err, CCON_E_JSON_TYPE, "expected an integer, got %g", v);
		ccon_error_at_path(err, path->buf);
		ccon_json_path_pop(path, old);
		return -1;
	}
	*out = (int64_t)v;
	if (present)
		*present = true;
	return 0;
}

int ccon_json_get_object(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, const cJSON **out, struct ccon_error *err)
{
	const cJSON *item;

	*out = NULL;
	if (need_field(obj, key, need, path, &item, err) < 0)
		return -1;
	if (!item)
		return 0;
	if (!cJSON_IsObject(item))
		return wrong_type(item, key, "object", path, err);
	*out = item;
	return 0;
}

int ccon_json_get_array(const cJSON *obj, const char *key, enum ccon_json_need need,
                        struct ccon_json_path *path, const cJSON **out, struct ccon_error *err)
{
	const cJSON *item;

	*out = NULL;
	if (need_field(obj, key, need, path, &item, err) < 0)
		return -1;
	if (!item)
		return 0;
	if (!cJSON_IsArray(item))
		return wrong_type(item, key, "array", path, err);
	*out = item;
	return 0;
}

int ccon_json_get_fields(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, bool allow_nested,
                         struct ccon_fields *out, struct ccon_error *err)
{
	const cJSON *map, *item;
	size_t old, old2;
	char num[64];
	char *text;
	int rc;

	if (!key) {
		if (ccon_json_expect(obj, cJSON_Object, path, err) < 0)
			return -1;
		map = obj;
	} else if (ccon_json_get_object(obj, key, need, path, &map, err) < 0) {
		return -1;
	}
	if (!map)
		return 0;
	old = key ? ccon_json_path_push_key(path, key) : path->len;
	cJSON_ArrayForEach(item, map) {
		const char *name = item->string ? item->string : "";

		if (cJSON_IsString(item)) {
			rc = ccon_fields_add(out, name, item->valuestring, strlen(item->valuestring));
		} else if (cJSON_IsNumber(item)) {
			if (item->valuedouble == floor(item->valuedouble) && fabs(item->valuedouble) < 1e15)
				snprintf(num, sizeof(num), "%.0f", item->valuedouble);
			else
				snprintf(num, sizeof(num), "%.17g", item->valuedouble);
			rc = ccon_fields_add(out, name, num, strlen(num));
		} else if (cJSON_IsBool(item)) {
			rc = ccon_fields_add(out, name, cJSON_IsTrue(item) ? "true" : "false",
			                     cJSON_IsTrue(item) ? 4 : 5);
		} else if (cJSON_IsNull(item)) {
			continue;
		} else if (allow_nested) {
			text = cJSON_PrintUnformatted(item);
			rc = text ? ccon_fields_add(out, name, text, strlen(text)) : -1;
			cJSON_free(text);
		} else {
			old2 = ccon_json_path_push_key(path, name);
			ccon_error_set(err, CCON_E_JSON_TYPE, "expected a string, number or boolean, got %s",
			               ccon_json_type_name(item));
			ccon_error_at_path(err, path->buf);
			ccon_json_path_pop(path, old2);
			ccon_json_path_pop(path, old);
			return -1;
		}
		if (rc < 0) {
			ccon_json_path_pop(path, old);
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		}
	}
	ccon_json_path_pop(path, old);
	return 0;
}

char *ccon_json_strdup(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*ok = false;
	return d;
}

int ccon_json_add_string_opt(cJSON *obj, const char *key, const char *value)
{
	if (!value)
		return 0;
	return cJSON_AddStringToObject(obj, key, value) ? 0 : -1;
}

int ccon_json_print(const cJSON *node, struct ccon_strbuf *sb)
{
	char *s = cJSON_PrintUnformatted(node);
	int rc;

	if (!s)
		return -1;
	rc = ccon_strbuf_puts(sb, s);
	cJSON_free(s);
	return rc;
}
