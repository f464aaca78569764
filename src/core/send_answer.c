/* send_answer.c - send_draft.h's decoders of the send and slots answers. */
#include "config.h"

#include <ccon/send_draft.h>

#include <ccon/json_util.h>

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

void ccon_send_answer_free(struct ccon_send_answer *a)
{
	if (!a)
		return;
	free(a->status);
	free(a->timing);
	free(a->plan);
	free(a->cancel_code);
	free(a->cancel_reason);
	ccon_error_list_free(&a->errors);
	memset(a, 0, sizeof(*a));
}

static int get_time(const cJSON *o, const char *key, enum ccon_json_need need,
                    struct ccon_json_path *path, int64_t *out, bool *have, struct ccon_error *err)
{
	const char *s = NULL;

	if (have)
		*have = false;
	if (ccon_json_get_string(o, key, need, path, &s, err) < 0)
		return -1;
	if (!s)
		return 0;
	if (ccon_datetime_parse(s, out, err) < 0) {
		size_t old = ccon_json_path_push_key(path, key);

		ccon_error_at_path(err, path->buf);
		ccon_json_path_pop(path, old);
		return -1;
	}
	if (have)
		*have = true;
	return 0;
}

static int dup_opt(const cJSON *o, const char *key, enum ccon_json_need need,
                   struct ccon_json_path *path, char **out, struct ccon_error *err)
{
	const char *s = NULL;
	bool ok = true;

	if (ccon_json_get_string(o, key, need, path, &s, err) < 0)
		return -1;
	*out = ccon_json_strdup(s, &ok);
	return ok ? 0 : nomem(err);
}

static int decode_plan(const cJSON *arr, struct ccon_json_path *path, struct ccon_send_answer *a,
                       struct ccon_error *err)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	const cJSON *it;

	if (n && !(a->plan = calloc(n, sizeof(*a->plan))))
		return nomem(err);
	cJSON_ArrayForEach(it, arr) {
		size_t old = ccon_json_path_push_index(path, i);
		int rc = ccon_json_expect(it, cJSON_Object, path, err);

		if (rc == 0)
			rc = get_time(it, "slotStart", CCON_JSON_REQUIRED, path, &a->plan[i].slot_start_us,
			              NULL, err);
		if (rc == 0)
			rc = ccon_json_get_int64(it, "count", CCON_JSON_REQUIRED, path, &a->plan[i].count,
			                         NULL, err);
		ccon_json_path_pop(path, old);
		if (rc < 0)
			return -1;
		i++;
	}
	a->n_plan = i;
	return 0;
}

static int decode_slicing(const cJSON *s, struct ccon_json_path *path, struct ccon_send_answer *a,
                          struct ccon_error *err)
{
	const char *cond = NULL;
	const cJSON *plan = NULL;
	double len_s = 0;
	size_t old = ccon_json_path_push_key(path, "slicing");
	int rc = -1;

	if (ccon_json_get_string(s, "condition", CCON_JSON_REQUIRED, path, &cond, err) < 0 ||
	    ccon_json_get_bool(s, "activated", CCON_JSON_REQUIRED, path, &a->activated, NULL, err) < 0 ||
	    ccon_json_get_number(s, "slotLengthSeconds", CCON_JSON_REQUIRED, path, &len_s, NULL,
	                         err) < 0 ||
	    ccon_json_get_int64(s, "slotCapacity", CCON_JSON_REQUIRED, path, &a->slot_capacity, NULL,
	                        err) < 0 ||
	    ccon_json_get_array(s, "plan", CCON_JSON_REQUIRED, path, &plan, err) < 0 ||
	    dup_opt(s, "cancelCode", CCON_JSON_OPTIONAL, path, &a->cancel_code, err) < 0 ||
	    dup_opt(s, "cancelReason", CCON_JSON_OPTIONAL, path, &a->cancel_reason, err) < 0)
		goto out;
	if (ccon_slicing_parse(cond, &a->condition, err) < 0) {
		ccon_json_path_push_key(path, "condition");
		ccon_error_at_path(err, path->buf);
		goto out;
	}
	if (!(len_s >= 1 && len_s <= 1e9)) {
		ccon_error_set(err, CCON_E_JSON_RANGE, "a slot lasts 1 s or more");
		ccon_json_path_push_key(path, "slotLengthSeconds");
		ccon_error_at_path(err, path->buf);
		goto out;
	}
	a->slot_length_us = (int64_t)(len_s * 1e6 + 0.5);
	ccon_json_path_push_key(path, "plan");
	rc = decode_plan(plan, path, a, err);
	a->has_slicing = rc == 0;
out:
	ccon_json_path_pop(path, old);
	return rc;
}

static int decode_errors(const cJSON *j, struct ccon_send_answer *a, struct ccon_error *err)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "errors");
	const cJSON *trunc = cJSON_GetObjectItemCaseSensitive(j, "errorsTruncated");
	cJSON *wrap;
	int rc;

	if (!items)
		return 0;
	wrap = cJSON_CreateObject();
	if (!wrap || !cJSON_AddStringToObject(wrap, "code", "invalid_value") ||
	    !cJSON_AddStringToObject(wrap, "message", "rows refused") ||
	    !cJSON_AddItemReferenceToObject(wrap, "errors", (cJSON *)items) ||
	    (trunc && !cJSON_AddItemReferenceToObject(wrap, "truncated", (cJSON *)trunc))) {
		cJSON_Delete(wrap);
		return nomem(err);
	}
	rc = ccon_error_list_decode(wrap, &a->errors, err);
	cJSON_Delete(wrap);
	return rc;
}

static int answer_decode(const cJSON *j, struct ccon_send_answer *a, struct ccon_error *err)
{
	const cJSON *task = cJSON_GetObjectItemCaseSensitive(j, "taskId"), *r = NULL, *s = NULL;
	struct ccon_json_path path;

	ccon_json_path_init(&path, "");
	if (ccon_json_expect(j, cJSON_Object, &path, err) < 0)
		return -1;
	if (task && !cJSON_IsNull(task) &&
	    ccon_json_get_int64(j, "taskId", CCON_JSON_REQUIRED, &path, &a->task_id,
	                        &a->has_task_id, err) < 0)
		return -1;
	if (ccon_json_get_int64(j, "campaignId", CCON_JSON_REQUIRED, &path, &a->campaign_id, NULL,
	                        err) < 0 ||
	    dup_opt(j, "status", CCON_JSON_REQUIRED, &path, &a->status, err) < 0 ||
	    get_time(j, "sendAt", CCON_JSON_OPTIONAL, &path, &a->send_at_us, &a->has_send_at, err) < 0 ||
	    dup_opt(j, "timing", CCON_JSON_OPTIONAL, &path, &a->timing, err) < 0 ||
	    ccon_json_get_bool(j, "dryRun", CCON_JSON_OPTIONAL, &path, &a->dry_run, NULL, err) < 0 ||
	    ccon_json_get_object(j, "recipients", CCON_JSON_OPTIONAL, &path, &r, err) < 0 ||
	    ccon_json_get_object(j, "slicing", CCON_JSON_OPTIONAL, &path, &s, err) < 0)
		return -1;
	if (r) {
		size_t old = ccon_json_path_push_key(&path, "recipients");

		if (ccon_json_get_int64(r, "accepted", CCON_JSON_OPTIONAL, &path, &a->accepted, NULL, err) < 0 ||
		    ccon_json_get_int64(r, "rejected", CCON_JSON_OPTIONAL, &path, &a->rejected, NULL, err) < 0 ||
		    ccon_json_get_int64(r, "duplicates", CCON_JSON_OPTIONAL, &path, &a->duplicates, NULL,
		                        err) < 0 ||
		    ccon_json_get_int64(r, "disabled", CCON_JSON_OPTIONAL, &path, &a->disabled, NULL, err) < 0)
			return -1;
		ccon_json_path_pop(&path, old);
	}
	if (s && decode_slicing(s, &path, a, err) < 0)
		return -1;
	return decode_errors(j, a, err);
}

int ccon_send_answer_parse(const char *text, size_t len, struct ccon_send_answer *out,
                           struct ccon_error *err)
{
	cJSON *j = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &j, err) < 0)
		return -1;
	rc = answer_decode(j, out, err);
	cJSON_Delete(j);
	if (rc < 0)
		ccon_send_answer_free(out);
	return rc;
}

void ccon_slots_view_free(struct ccon_slots_view *v)
{
	if (!v)
		return;
	free(v->channel);
	free(v->rows);
	memset(v, 0, sizeof(*v));
}

static int slots_row(const cJSON *it, struct ccon_json_path *path, struct ccon_slots_row *r,
                     struct ccon_error *err)
{
	if (ccon_json_expect(it, cJSON_Object, path, err) < 0 ||
	    get_time(it, "start", CCON_JSON_REQUIRED, path, &r->start_us, NULL, err) < 0 ||
	    ccon_json_get_int64(it, "capacity", CCON_JSON_REQUIRED, path, &r->capacity, NULL, err) < 0 ||
	    ccon_json_get_int64(it, "reserved", CCON_JSON_REQUIRED, path, &r->reserved, NULL, err) < 0 ||
	    ccon_json_get_int64(it, "sent", CCON_JSON_OPTIONAL, path, &r->sent, NULL, err) < 0 ||
	    ccon_json_get_int64(it, "free", CCON_JSON_OPTIONAL, path, &r->free, NULL, err) < 0)
		return -1;
	if (r->capacity < 0 || r->reserved < 0) {
		ccon_error_set(err, CCON_E_JSON_RANGE, "slot counts are never negative");
		ccon_error_at_path(err, path->buf);
		return -1;
	}
	return 0;
}

static int slots_decode(const cJSON *j, struct ccon_slots_view *v, struct ccon_error *err)
{
	struct ccon_json_path path;
	const cJSON *arr = NULL, *it;
	double len_s = 0;
	size_t n, i = 0;

	ccon_json_path_init(&path, "");
	if (ccon_json_expect(j, cJSON_Object, &path, err) < 0 ||
	    dup_opt(j, "channel", CCON_JSON_REQUIRED, &path, &v->channel, err) < 0 ||
	    ccon_json_get_number(j, "slotLengthSeconds", CCON_JSON_REQUIRED, &path, &len_s, NULL, err) < 0 ||
	    ccon_json_get_int64(j, "capacity", CCON_JSON_REQUIRED, &path, &v->capacity, NULL, err) < 0 ||
	    ccon_json_get_array(j, "slots", CCON_JSON_REQUIRED, &path, &arr, err) < 0)
		return -1;
	if (!(len_s >= 1 && len_s <= 1e9)) {
		ccon_error_set(err, CCON_E_JSON_RANGE, "a slot lasts 1 s or more");
		ccon_error_at_path(err, "slotLengthSeconds");
		return -1;
	}
	v->length_us = (int64_t)(len_s * 1e6 + 0.5);
	n = (size_t)cJSON_GetArraySize(arr);
	if (n && !(v->rows = calloc(n, sizeof(*v->rows))))
		return nomem(err);
	ccon_json_path_push_key(&path, "slots");
	cJSON_ArrayForEach(it, arr) {
		size_t old = ccon_json_path_push_index(&path, i);

		if (slots_row(it, &path, &v->rows[i], err) < 0)
			return -1;
		if (i > 0 && v->rows[i].start_us != v->rows[i - 1].start_us + v->length_us) {
			ccon_error_set(err, CCON_E_JSON_VALUE, "slots must follow each other every %g s",
			               len_s);
			ccon_error_at_path(err, path.buf);
			return -1;
		}
		ccon_json_path_pop(&path, old);
		i++;
	}
	v->count = i;
	return 0;
}

int ccon_slots_view_parse(const char *text, size_t len, struct ccon_slots_view *out,
                          struct ccon_error *err)
{
	cJSON *j = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &j, err) < 0)
		return -1;
	rc = slots_decode(j, out, err);
	cJSON_Delete(j);
	if (rc < 0)
		ccon_slots_view_free(out);
	return rc;
}
