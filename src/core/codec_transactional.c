#include "config.h"

#include <ccon/codec_transactional.h>
#include <ccon/contact.h>
#include <ccon/json_util.h>
#include <ccon/utf8.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const contact_type_names[] = { NULL, "phone", "externalCode" };
static const char *const nls_mode_names[] = { "auto", "standard", "spanish" };
static const char *const send_type_names[] = { "list", "all" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *ccon_tx_contact_type_name(enum ccon_tx_contact_type t)
{
	return (size_t)t < COUNT(contact_type_names) ? contact_type_names[t] : NULL;
}

const char *ccon_nls_mode_name(enum ccon_nls_mode m)
{
	return (size_t)m < COUNT(nls_mode_names) ? nls_mode_names[m] : NULL;
}

const char *ccon_send_type_name(enum ccon_send_type t)
{
	return (size_t)t < COUNT(send_type_names) ? send_type_names[t] : NULL;
}

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

/* Sets err at path.key; returns -1. */
static int fail_at(struct ccon_error *err, struct ccon_json_path *path, const char *key,
                   enum ccon_errc code, const char *message)
{
	size_t old = ccon_json_path_push_key(path, key);

	ccon_error_set(err, code, "%s", message);
	ccon_error_at_path(err, path->buf);
	ccon_json_path_pop(path, old);
	return -1;
}

/* An optional enum field: absent leaves *out alone. Matching is exact. */
static int get_enum(const cJSON *obj, const char *key, const char *const *names, size_t n,
                    struct ccon_json_path *path, int *out, struct ccon_error *err)
{
	struct ccon_strbuf allowed = CCON_STRBUF_INIT;
	const char *s;
	char msg[CCON_ERROR_MESSAGE_MAX];

	if (ccon_json_get_string(obj, key, CCON_JSON_OPTIONAL, path, &s, err) < 0)
		return -1;
	if (!s)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (names[i] && strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (names[i])
			ccon_strbuf_printf(&allowed, "%s\"%s\"", allowed.len ? ", " : "", names[i]);
	snprintf(msg, sizeof(msg), "\"%.40s\" is not one of %s", s, ccon_strbuf_cstr(&allowed));
	ccon_strbuf_free(&allowed);
	return fail_at(err, path, key, CCON_E_JSON_VALUE, msg);
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* Valid UTF-8 and, when max > 0, at most max bytes. Errors are `code`, or
 * CCON_E_JSON_VALUE / CCON_E_JSON_LENGTH when code is CCON_E_OK. */
static int check_text(const char *s, size_t max, enum ccon_errc code, struct ccon_json_path *path,
                      const char *key, struct ccon_error *err)
{
	size_t len, bad;
	char msg[CCON_ERROR_MESSAGE_MAX];

	if (!s)
		return 0;
	len = strlen(s);
	if (!ccon_utf8_valid(s, len, &bad)) {
		fail_at(err, path, key, code ? code : CCON_E_JSON_VALUE, "not valid UTF-8");
		ccon_error_at_column(err, (long)ccon_utf8_length(s, bad) + 1);
		return -1;
	}
	if (max > 0 && len > max) {
		snprintf(msg, sizeof(msg), "%zu bytes long, at most %zu allowed", len, max);
		return fail_at(err, path, key, code ? code : CCON_E_JSON_LENGTH, msg);
	}
	return 0;
}

static int check_custom_fields(const struct ccon_fields *f, struct ccon_json_path *path,
                               struct ccon_error *err)
{
	size_t old = ccon_json_path_push_key(path, "customFields");
	int rc = -1;

	for (size_t i = 0; i < f->count; i++) {
		const char *name = f->items[i].name;

		if (!ccon_custom_field_name_valid(name, strlen(name))) {
			fail_at(err, path, name, CCON_E_CUSTOM_FIELD_NAME,
			        "a custom field name is 1 to 64 letters, digits or underscores");
			goto out;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(f->items[j].name, name) == 0) {
				fail_at(err, path, name, CCON_E_CUSTOM_FIELD_NAME,
				        "given more than once: one key per field");
				goto out;
			}
		}
		if (check_text(f->items[i].value, CCON_CUSTOM_FIELD_VALUE_MAX, CCON_E_CUSTOM_FIELD_VALUE,
		               path, name, err) < 0)
			goto out;
	}
	rc = 0;
out:
	ccon_json_path_pop(path, old);
	return rc;
}

/* ------------------------------------------------------------- targets */

static void target_path(struct ccon_error *err, size_t index, const char *field)
{
	char prefix[48];

	snprintf(prefix, sizeof(prefix), "contacts[%zu]", index);
	if (field)
		ccon_error_at_path(err, field);
	ccon_error_prefix_path(err, prefix);
}

int ccon_transactional_contact_target(const struct ccon_transactional_contact *c,
                                      enum ccon_tx_contact_type request_type, size_t index,
                                      struct ccon_tx_target *out, struct ccon_error *err)
{
	enum ccon_tx_contact_type type;
	const char *v = c->contact_value;

	memset(out, 0, sizeof(*out));
	if (!blank(c->external_code))
		out->external_code = c->external_code;
	if (!blank(c->e164) || !blank(c->phone_number)) {
		if (ccon_phone_compose(c->e164, c->country_code, c->phone_number, out->e164, err) < 0) {
			target_path(err, index, NULL);
			out->e164[0] = '\0';
			return -1;
		}
		out->has_phone = true;
		return 0;
	}
	if (out->external_code)
		return 0;
	/* the deprecated way: contactValue read by contactType */
	if (!blank(v)) {
		type = c->contact_type ? c->contact_type : request_type;
		if (type == CCON_TX_CONTACT_TYPE_EXTERNAL_CODE) {
			out->external_code = v;
			return 0;
		}
		if (ccon_phone_normalize(v, strlen(v), out->e164, err) < 0) {
			target_path(err, index, "contactValue");
			out->e164[0] = '\0';
			return -1;
		}
		out->has_phone = true;
		return 0;
	}
	ccon_error_set(err, CCON_E_JSON_REQUIRED,
	               "a contact needs an e164, a phoneNumber or an externalCode");
	target_path(err, index, "");
	return -1;
}

/* ------------------------------------------------------------- decoding */

void ccon_transactional_contact_free(struct ccon_transactional_contact *c)
{
	free(c->contact_value);
	free(c->external_code);
	free(c->phone_number);
	free(c->country_code);
	free(c->e164);
	ccon_fields_free(&c->custom_fields);
	free(c->external_reference);
	free(c->origin_data);
	memset(c, 0, sizeof(*c));
}

void ccon_transactional_request_free(struct ccon_transactional_request *req)
{
	if (!req)
		return;
	for (size_t i = 0; i < req->n_contacts; i++)
		ccon_transactional_contact_free(&req->contacts[i]);
	free(req->contacts);
	free(req->schedule_date);
	memset(req, 0, sizeof(*req));
}

static int decode_contact(const cJSON *item, struct ccon_json_path *path,
                          struct ccon_transactional_contact *c, struct ccon_error *err)
{
	const char *value, *external_code, *phone, *country, *e164, *reference;
	const cJSON *origin;
	int type = CCON_TX_CONTACT_TYPE_UNSET;
	bool ok = true;

	if (ccon_json_expect(item, cJSON_Object, path, err) < 0 ||
	    get_enum(item, "contactType", contact_type_names, COUNT(contact_type_names), path, &type,
	             err) < 0 ||
	    ccon_json_get_string(item, "contactValue", CCON_JSON_OPTIONAL, path, &value, err) < 0 ||
	    ccon_json_get_string(item, "externalCode", CCON_JSON_OPTIONAL, path, &external_code,
	                         err) < 0 ||
	    ccon_json_get_string(item, "phoneNumber", CCON_JSON_OPTIONAL, path, &phone, err) < 0 ||
	    ccon_json_get_string(item, "countryCode", CCON_JSON_OPTIONAL, path, &country, err) < 0 ||
	    ccon_json_get_string(item, "e164", CCON_JSON_OPTIONAL, path, &e164, err) < 0 ||
	    ccon_json_get_fields(item, "customFields", CCON_JSON_OPTIONAL, path, false,
	                         &c->custom_fields, err) < 0 ||
	    ccon_json_get_string(item, "externalReference", CCON_JSON_OPTIONAL, path, &reference,
	                         err) < 0 ||
	    ccon_json_get_object(item, "originData", CCON_JSON_OPTIONAL, path, &origin, err) < 0)
		return -1;
	if (check_text(external_code, CCON_CONTACT_CODE_MAX, CCON_E_OK, path, "externalCode", err) < 0 ||
	    check_text(value, CCON_CONTACT_CODE_MAX, CCON_E_OK, path, "contactValue", err) < 0 ||
	    check_text(reference, 0, CCON_E_OK, path, "externalReference", err) < 0 ||
	    check_custom_fields(&c->custom_fields, path, err) < 0)
		return -1;
	c->contact_type = (enum ccon_tx_contact_type)type;
	c->contact_value = ccon_json_strdup(value, &ok);
	c->external_code = ccon_json_strdup(external_code, &ok);
	c->phone_number = ccon_json_strdup(phone, &ok);
	c->country_code = ccon_json_strdup(country, &ok);
	c->e164 = ccon_json_strdup(e164, &ok);
	c->external_reference = ccon_json_strdup(reference, &ok);
	if (origin) {
		c->origin_data = cJSON_PrintUnformatted(origin);
		ok = ok && c->origin_data;
	}
	return ok ? 0 : nomem(err);
}

static int decode_contacts(const cJSON *json, struct ccon_json_path *path,
                           struct ccon_transactional_request *out, struct ccon_error *err)
{
	const cJSON *arr, *item;
	struct ccon_tx_target target;
	size_t n, i = 0, old, old_i;
	int rc = 0;

	if (ccon_json_get_array(json, "contacts", CCON_JSON_REQUIRED, path, &arr, err) < 0)
		return -1;
	n = (size_t)cJSON_GetArraySize(arr);
	if (n == 0) {
		ccon_error_set(err, CCON_E_CONTACTS_COUNT, "at least one contact is needed");
		ccon_error_at_path(err, "contacts");
		return -1;
	}
	out->contacts = calloc(n, sizeof(*out->contacts));
	if (!out->contacts)
		return nomem(err);
	old = ccon_json_path_push_key(path, "contacts");
	cJSON_ArrayForEach(item, arr) {
		old_i = ccon_json_path_push_index(path, i);
		rc = decode_contact(item, path, &out->contacts[i], err);
		ccon_json_path_pop(path, old_i);
		out->n_contacts = i + 1;
		if (rc == 0)
			rc = ccon_transactional_contact_target(&out->contacts[i], out->contact_type, i,
			                                       &target, err);
		if (rc < 0)
			break;
		i++;
	}
	ccon_json_path_pop(path, old);
	return rc;
}

int ccon_transactional_request_decode(const cJSON *json, struct ccon_transactional_request *out,
                                      struct ccon_error *err)
{
	struct ccon_json_path path;
	const char *schedule_date;
	int type = CCON_TX_CONTACT_TYPE_UNSET, nls = CCON_NLS_AUTO, send_type = CCON_SEND_TYPE_LIST;
	bool ok = true, have;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(json, cJSON_Object, &path, err) < 0 ||
	    ccon_json_get_int64(json, "campaignId", CCON_JSON_REQUIRED, &path, &out->campaign_id,
	                        &have, err) < 0)
		goto fail;
	if (out->campaign_id < 1) {
		fail_at(err, &path, "campaignId", CCON_E_JSON_RANGE, "a campaign id is 1 or more");
		goto fail;
	}
	if (ccon_json_get_string(json, "scheduleDate", CCON_JSON_OPTIONAL, &path, &schedule_date,
	                         err) < 0 ||
	    get_enum(json, "contactType", contact_type_names, COUNT(contact_type_names), &path, &type,
	             err) < 0 ||
	    ccon_json_get_bool(json, "flash", CCON_JSON_OPTIONAL, &path, &out->flash, NULL, err) < 0 ||
	    get_enum(json, "nlsMode", nls_mode_names, COUNT(nls_mode_names), &path, &nls, err) < 0 ||
	    get_enum(json, "sendTypeOverride", send_type_names, COUNT(send_type_names), &path,
	             &send_type, err) < 0)
		goto fail;
	out->contact_type = (enum ccon_tx_contact_type)type;
	out->nls_mode = (enum ccon_nls_mode)nls;
	out->send_type = (enum ccon_send_type)send_type;
	if (decode_contacts(json, &path, out, err) < 0)
		goto fail;
	out->schedule_date = ccon_json_strdup(schedule_date, &ok);
	if (!ok) {
		nomem(err);
		goto fail;
	}
	return 0;
fail:
	ccon_transactional_request_free(out);
	return -1;
}

int ccon_transactional_request_parse(const char *text, size_t len,
                                     struct ccon_transactional_request *out,
                                     struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_transactional_request_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

/* ------------------------------------------------------------- encoding */

static int add_enum(cJSON *obj, const char *key, const char *value)
{
	return value && cJSON_AddStringToObject(obj, key, value) ? 0 : -1;
}

static int encode_contact(const struct ccon_transactional_contact *c, cJSON *arr)
{
	cJSON *obj = cJSON_CreateObject(), *fields, *origin;

	if (!obj || !cJSON_AddItemToArray(arr, obj)) {
		cJSON_Delete(obj);
		return -1;
	}
	if ((c->contact_type && add_enum(obj, "contactType",
	                                 ccon_tx_contact_type_name(c->contact_type)) < 0) ||
	    ccon_json_add_string_opt(obj, "contactValue", c->contact_value) < 0 ||
	    ccon_json_add_string_opt(obj, "externalCode", c->external_code) < 0 ||
	    ccon_json_add_string_opt(obj, "phoneNumber", c->phone_number) < 0 ||
	    ccon_json_add_string_opt(obj, "countryCode", c->country_code) < 0 ||
	    ccon_json_add_string_opt(obj, "e164", c->e164) < 0)
		return -1;
	if (c->custom_fields.count > 0) {
		fields = cJSON_AddObjectToObject(obj, "customFields");
		if (!fields)
			return -1;
		for (size_t i = 0; i < c->custom_fields.count; i++)
			if (!cJSON_AddStringToObject(fields, c->custom_fields.items[i].name,
			                             c->custom_fields.items[i].value))
				return -1;
	}
	if (ccon_json_add_string_opt(obj, "externalReference", c->external_reference) < 0)
		return -1;
	if (c->origin_data) {
		origin = cJSON_Parse(c->origin_data);
		if (!origin || !cJSON_IsObject(origin) ||
		    !cJSON_AddItemToObject(obj, "originData", origin)) {
			cJSON_Delete(origin);
			return -1;
		}
	}
	return 0;
}

int ccon_transactional_request_encode(const struct ccon_transactional_request *req, cJSON **out)
{
	cJSON *json = cJSON_CreateObject(), *arr;

	*out = NULL;
	if (!json)
		return -1;
	if (!cJSON_AddNumberToObject(json, "campaignId", (double)req->campaign_id) ||
	    ccon_json_add_string_opt(json, "scheduleDate", req->schedule_date) < 0 ||
	    (req->contact_type && add_enum(json, "contactType",
	                                   ccon_tx_contact_type_name(req->contact_type)) < 0) ||
	    !cJSON_AddBoolToObject(json, "flash", req->flash) ||
	    add_enum(json, "nlsMode", ccon_nls_mode_name(req->nls_mode)) < 0)
		goto fail;
	arr = cJSON_AddArrayToObject(json, "contacts");
	if (!arr)
		goto fail;
	for (size_t i = 0; i < req->n_contacts; i++)
		if (encode_contact(&req->contacts[i], arr) < 0)
			goto fail;
	if (add_enum(json, "sendTypeOverride", ccon_send_type_name(req->send_type)) < 0)
		goto fail;
	*out = json;
	return 0;
fail:
	cJSON_Delete(json);
	return -1;
}
