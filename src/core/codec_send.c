#include "config.h"

#include <ccon/codec_send.h>
#include <ccon/json_util.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void ccon_send_request_free(struct ccon_send_request *req)
{
	if (!req)
		return;
	for (size_t i = 0; i < req->n_contacts; i++)
		ccon_contact_free(&req->contacts[i]);
	free(req->contacts);
	free(req->schedule_at);
	free(req->delay);
	memset(req, 0, sizeof(*req));
}

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

static int decode_contact(const cJSON *item, struct ccon_json_path *path, struct ccon_contact *c,
                          struct ccon_error *err)
{
	const char *code, *channel;
	bool ok = true;

	if (ccon_json_expect(item, cJSON_Object, path, err) < 0 ||
	    ccon_json_get_string(item, "contactCode", CCON_JSON_REQUIRED, path, &code, err) < 0 ||
	    ccon_json_get_string(item, "channelType", CCON_JSON_REQUIRED, path, &channel, err) < 0 ||
	    ccon_json_get_fields(item, "customFields", CCON_JSON_OPTIONAL, path, false,
	                         &c->custom_fields, err) < 0)
		return -1;
	c->contact_code = ccon_json_strdup(code, &ok);
	c->channel_type = ccon_json_strdup(channel, &ok);
	if (!ok)
		return nomem(err);
	if (ccon_contact_validate(c, NULL, err) < 0) {
		ccon_error_prefix_path(err, path->buf);
		return -1;
	}
	return 0;
}

static int decode_contacts(const cJSON *json, struct ccon_json_path *path,
                           struct ccon_send_request *out, struct ccon_error *err)
{
	const cJSON *arr, *item;
	size_t n, i = 0, old;

	if (ccon_json_get_array(json, "contacts", CCON_JSON_REQUIRED, path, &arr, err) < 0)
		return -1;
	n = (size_t)cJSON_GetArraySize(arr);
	if (ccon_contacts_count_check(n, err) < 0) {
		ccon_error_at_path(err, "contacts");
		return -1;
	}
	out->contacts = calloc(n, sizeof(*out->contacts));
	if (!out->contacts)
		return nomem(err);
	old = ccon_json_path_push_key(path, "contacts");
	cJSON_ArrayForEach(item, arr) {
		size_t old_i = ccon_json_path_push_index(path, i);
		int rc = decode_contact(item, path, &out->contacts[i], err);

		out->n_contacts = ++i;
		ccon_json_path_pop(path, old_i);
		if (rc < 0) {
			ccon_json_path_pop(path, old);
			return -1;
		}
	}
	ccon_json_path_pop(path, old);
	return 0;
}

int ccon_send_request_decode(const cJSON *json, struct ccon_send_request *out,
                             struct ccon_error *err)
{
	struct ccon_json_path path;
	const char *schedule_at, *delay, *slicing;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(json, cJSON_Object, &path, err) < 0 ||
	    decode_contacts(json, &path, out, err) < 0 ||
	    ccon_json_get_string(json, "scheduleAt", CCON_JSON_OPTIONAL, &path, &schedule_at, err) < 0 ||
	    ccon_json_get_string(json, "delay", CCON_JSON_OPTIONAL, &path, &delay, err) < 0 ||
	    ccon_json_get_string(json, "slicingCondition", CCON_JSON_OPTIONAL, &path, &slicing,
	                         err) < 0)
		goto fail;
	if (ccon_slicing_parse(slicing, &out->slicing, err) < 0) {
		ccon_error_at_path(err, "slicingCondition");
		goto fail;
	}
	out->schedule_at = ccon_json_strdup(schedule_at, &ok);
	out->delay = ccon_json_strdup(delay, &ok);
	if (!ok) {
		nomem(err);
		goto fail;
	}
	return 0;
fail:
	ccon_send_request_free(out);
	return -1;
}

int ccon_send_request_parse(const char *text, size_t len, struct ccon_send_request *out,
                            struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_send_request_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

static int encode_contact(const struct ccon_contact *c, cJSON *arr)
{
	cJSON *obj = cJSON_CreateObject(), *fields;

	if (!obj || !cJSON_AddItemToArray(arr, obj))
		goto fail;
	if (ccon_json_add_string_opt(obj, "contactCode", c->contact_code) < 0 ||
	    ccon_json_add_string_opt(obj, "channelType", c->channel_type) < 0)
		return -1;
	if (c->custom_fields.count == 0)
		return 0;
	fields = cJSON_AddObjectToObject(obj, "customFields");
	if (!fields)
		return -1;
	for (size_t i = 0; i < c->custom_fields.count; i++)
		if (!cJSON_AddStringToObject(fields, c->custom_fields.items[i].name,
		                             c->custom_fields.items[i].value))
			return -1;
	return 0;
fail:
	cJSON_Delete(obj);
	return -1;
}

int ccon_send_request_encode(const struct ccon_send_request *req, cJSON **out)
{
	cJSON *json = cJSON_CreateObject(), *arr;

	*out = NULL;
	if (!json)
		return -1;
	arr = cJSON_AddArrayToObject(json, "contacts");
	if (!arr)
		goto fail;
	for (size_t i = 0; i < req->n_contacts; i++)
		if (encode_contact(&req->contacts[i], arr) < 0)
			goto fail;
	if (ccon_json_add_string_opt(json, "scheduleAt", req->schedule_at) < 0 ||
	    ccon_json_add_string_opt(json, "delay", req->delay) < 0 ||
	    !cJSON_AddStringToObject(json, "slicingCondition", ccon_slicing_name(req->slicing)))
		goto fail;
	*out = json;
	return 0;
fail:
	cJSON_Delete(json);
	return -1;
}

/* ---------------------------------------------------------------- CSV form */

void ccon_send_form_free(struct ccon_send_form *form)
{
	if (!form)
		return;
	free(form->schedule_at);
	free(form->delay);
	memset(form, 0, sizeof(*form));
}

static int form_once(const char **slot, const struct ccon_field *f, struct ccon_error *err)
{
	if (*slot) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "field given more than once");
		ccon_error_at_path(err, f->name);
		return -1;
	}
	*slot = f->value;
	return 0;
}

int ccon_send_form_decode(const struct ccon_fields *fields, struct ccon_send_form *out,
                          struct ccon_error *err)
{
	const char *schedule_at = NULL, *delay = NULL, *slicing = NULL;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < fields->count; i++) {
		const struct ccon_field *f = &fields->items[i];
		const char **slot;

		if (strcmp(f->name, "scheduleAt") == 0)
			slot = &schedule_at;
		else if (strcmp(f->name, "delay") == 0)
			slot = &delay;
		else if (strcmp(f->name, "slicingCondition") == 0)
			slot = &slicing;
		else
			continue;
		if (f->value[0] == '\0')
			continue;
		if (form_once(slot, f, err) < 0)
			return -1;
	}
	if (ccon_slicing_parse(slicing, &out->slicing, err) < 0) {
		ccon_error_at_path(err, "slicingCondition");
		return -1;
	}
	out->schedule_at = ccon_json_strdup(schedule_at, &ok);
	out->delay = ccon_json_strdup(delay, &ok);
	if (!ok) {
		ccon_send_form_free(out);
		return nomem(err);
	}
	return 0;
}

static int form_add(struct ccon_fields *out, const char *name, const char *value)
{
	if (!value)
		return 0;
	return ccon_fields_add(out, name, value, strlen(value));
}

int ccon_send_form_encode(const struct ccon_send_form *form, struct ccon_fields *out)
{
	if (form_add(out, "scheduleAt", form->schedule_at) < 0 ||
	    form_add(out, "delay", form->delay) < 0 ||
	    form_add(out, "slicingCondition", ccon_slicing_name(form->slicing)) < 0)
		return -1;
	return 0;
}
