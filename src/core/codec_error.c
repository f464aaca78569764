#include "config.h"

#include <ccon/codec_error.h>
#include <ccon/json_util.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ccon_api_error_from(struct ccon_api_error *dst, const struct ccon_error *src)
{
	dst->error = *src;
	snprintf(dst->code, sizeof(dst->code), "%s", ccon_errc_name(src->code));
}

static int encode_fields(cJSON *obj, const char *code, const struct ccon_error *e)
{
	if (!cJSON_AddStringToObject(obj, "code", code) ||
	    !cJSON_AddStringToObject(obj, "message", e->message))
		return -1;
	if (e->path[0] && !cJSON_AddStringToObject(obj, "path", e->path))
		return -1;
	if (e->line > 0 && !cJSON_AddNumberToObject(obj, "line", (double)e->line))
		return -1;
	if (e->column > 0 && !cJSON_AddNumberToObject(obj, "column", (double)e->column))
		return -1;
	return 0;
}

int ccon_error_encode(const struct ccon_error *e, cJSON **out)
{
	cJSON *obj = cJSON_CreateObject();

	*out = NULL;
	if (!obj || encode_fields(obj, ccon_errc_name(e->code), e) < 0) {
		cJSON_Delete(obj);
		return -1;
	}
	*out = obj;
	return 0;
}

/* Copies src into dst[size]; when it does not fit, cuts at a UTF-8 character
 * boundary and ends with "..." so the reader sees the cut. */
static void copy_marked(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src), keep;

	if (len < size) {
		memcpy(dst, src, len + 1);
		return;
	}
	keep = size - 4;
	while (keep > 0 && ((unsigned char)src[keep] & 0xC0) == 0x80)
		keep--;
	memcpy(dst, src, keep);
	memcpy(dst + keep, "...", 4);
}

static enum ccon_errc code_lookup(const char *code)
{
	for (int c = 0; c < CCON_E__COUNT; c++)
		if (strcmp(ccon_errc_name((enum ccon_errc)c), code) == 0)
			return (enum ccon_errc)c;
	return CCON_E_REMOTE_UNKNOWN;
}

static int get_position(const cJSON *json, const char *key, struct ccon_json_path *path,
                        long *out, struct ccon_error *err)
{
	int64_t v = 0;
	bool have;
	size_t old;

	if (ccon_json_get_int64(json, key, CCON_JSON_OPTIONAL, path, &v, &have, err) < 0)
		return -1;
	if (!have)
		return 0;
	if (v < 1 || v > LONG_MAX) {
		old = ccon_json_path_push_key(path, key);
		ccon_error_set(err, CCON_E_JSON_RANGE, "must be a positive number, got %lld",
		               (long long)v);
		ccon_error_at_path(err, path->buf);
		ccon_json_path_pop(path, old);
		return -1;
	}
	*out = (long)v;
	return 0;
}

static int decode_one(const cJSON *json, struct ccon_json_path *path, struct ccon_api_error *out,
                      struct ccon_error *err)
{
	const char *code, *message, *where;
	size_t len, old;

	memset(out, 0, sizeof(*out));
	if (ccon_json_expect(json, cJSON_Object, path, err) < 0 ||
	    ccon_json_get_string(json, "code", CCON_JSON_REQUIRED, path, &code, err) < 0 ||
	    ccon_json_get_string(json, "message", CCON_JSON_REQUIRED, path, &message, err) < 0 ||
	    ccon_json_get_string(json, "path", CCON_JSON_OPTIONAL, path, &where, err) < 0 ||
	    get_position(json, "line", path, &out->error.line, err) < 0 ||
	    get_position(json, "column", path, &out->error.column, err) < 0)
		return -1;
	len = strlen(code);
	if (len == 0 || len >= sizeof(out->code)) {
		old = ccon_json_path_push_key(path, "code");
		ccon_error_set(err, CCON_E_JSON_LENGTH, "must be 1 to %zu bytes long, got %zu",
		               sizeof(out->code) - 1, len);
		ccon_error_at_path(err, path->buf);
		ccon_json_path_pop(path, old);
		return -1;
	}
	memcpy(out->code, code, len + 1);
	out->error.code = code_lookup(code);
	copy_marked(out->error.message, sizeof(out->error.message), message);
	if (where)
		copy_marked(out->error.path, sizeof(out->error.path), where);
	return 0;
}

int ccon_api_error_decode(const cJSON *json, struct ccon_api_error *out, struct ccon_error *err)
{
	struct ccon_json_path path;

	ccon_json_path_init(&path, "");
	if (decode_one(json, &path, out, err) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

int ccon_api_error_parse(const char *text, size_t len, struct ccon_api_error *out,
                         struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_api_error_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

/* ---------------------------------------------------------------- lists */

void ccon_error_list_init(struct ccon_error_list *l, const struct ccon_error *head)
{
	memset(l, 0, sizeof(*l));
	ccon_api_error_from(&l->head, head);
}

void ccon_error_list_free(struct ccon_error_list *l)
{
	if (!l)
		return;
	free(l->items);
	memset(l, 0, sizeof(*l));
}

size_t ccon_error_list_total(const struct ccon_error_list *l)
{
	return l->count + l->truncated;
}

/* Room for one more item, or 1 when the list is full (the caller counts it). */
static int list_slot(struct ccon_error_list *l, struct ccon_api_error **slot)
{
	struct ccon_api_error *items;
	size_t cap;

	*slot = NULL;
	if (l->count >= CCON_ERROR_LIST_MAX)
		return 1;
	if (l->count == l->cap) {
		cap = l->cap ? l->cap * 2 : 8;
		if (cap > CCON_ERROR_LIST_MAX)
			cap = CCON_ERROR_LIST_MAX;
		items = realloc(l->items, cap * sizeof(*items));
		if (!items)
			return -1;
		l->items = items;
		l->cap = cap;
	}
	*slot = &l->items[l->count];
	return 0;
}

int ccon_error_list_add(struct ccon_error_list *l, const struct ccon_error *e)
{
	struct ccon_api_error *slot;
	int rc = list_slot(l, &slot);

	if (rc < 0)
		return -1;
	if (rc > 0) {
		l->truncated++;
		return 0;
	}
	ccon_api_error_from(slot, e);
	l->count++;
	return 0;
}

int ccon_error_list_encode(const struct ccon_error_list *l, cJSON **out)
{
	cJSON *obj = cJSON_CreateObject(), *arr, *item;

	*out = NULL;
	if (!obj || encode_fields(obj, l->head.code, &l->head.error) < 0)
		goto fail;
	arr = cJSON_AddArrayToObject(obj, "errors");
	if (!arr)
		goto fail;
	for (size_t i = 0; i < l->count; i++) {
		item = cJSON_CreateObject();
		if (!item || !cJSON_AddItemToArray(arr, item)) {
			cJSON_Delete(item);
			goto fail;
		}
		if (encode_fields(item, l->items[i].code, &l->items[i].error) < 0)
			goto fail;
	}
	if (l->truncated > 0 && !cJSON_AddNumberToObject(obj, "truncated", (double)l->truncated))
		goto fail;
	*out = obj;
	return 0;
fail:
	cJSON_Delete(obj);
	return -1;
}

static int decode_items(const cJSON *json, struct ccon_json_path *path, struct ccon_error_list *out,
                        struct ccon_error *err)
{
	const cJSON *arr, *item;
	struct ccon_api_error *slot;
	size_t i = 0, old, old_i;
	int rc = 0;

	if (ccon_json_get_array(json, "errors", CCON_JSON_OPTIONAL, path, &arr, err) < 0)
		return -1;
	if (!arr)
		return 0;
	old = ccon_json_path_push_key(path, "errors");
	cJSON_ArrayForEach(item, arr) {
		rc = list_slot(out, &slot);
		if (rc < 0) {
			ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			break;
		}
		if (rc > 0) {
			/* past the cap: counted, not decoded */
			out->truncated++;
			rc = 0;
			continue;
		}
		old_i = ccon_json_path_push_index(path, i++);
		rc = decode_one(item, path, slot, err);
		ccon_json_path_pop(path, old_i);
		if (rc < 0)
			break;
		out->count++;
	}
	ccon_json_path_pop(path, old);
	return rc;
}

int ccon_error_list_decode(const cJSON *json, struct ccon_error_list *out, struct ccon_error *err)
{
	struct ccon_json_path path;
	int64_t truncated = 0;
	bool have;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (decode_one(json, &path, &out->head, err) < 0 ||
	    decode_items(json, &path, out, err) < 0 ||
	    ccon_json_get_int64(json, "truncated", CCON_JSON_OPTIONAL, &path, &truncated, &have,
	                        err) < 0)
		goto fail;
	if (have && truncated < 0) {
		ccon_error_set(err, CCON_E_JSON_RANGE, "must not be negative, got %lld",
		               (long long)truncated);
		ccon_error_at_path(err, "truncated");
		goto fail;
	}
	if (have)
		out->truncated += (size_t)truncated;
	return 0;
fail:
	ccon_error_list_free(out);
	return -1;
}

int ccon_error_list_parse(const char *text, size_t len, struct ccon_error_list *out,
                          struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_error_list_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}
