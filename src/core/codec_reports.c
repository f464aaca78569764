#include "config.h"

#include <ccon/codec_reports.h>

#include <ccon/json_util.h>
#include <ccon/json_writer.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each answer is described by a table of its fields, and one decoder, one
 * encoder and one destructor walk the tables. */

enum kind {
	K_STR,       /* char * */
	K_INT,       /* int64_t, with a bool at aux when aux != NO_AUX */
	K_COUNT,     /* int64_t >= 0, with a bool at aux when aux != NO_AUX */
	K_FIELDS,    /* struct ccon_fields */
	K_NAMES,     /* char **, with the size_t count at aux */
	K_LIST,      /* array of sub->size items, pointer at off, size_t count at aux */
	K_OBJECT     /* a nested object of sub, in place at off, with a bool at aux */
};

#define NO_AUX ((size_t)-1)

struct spec;

struct table {
	const struct spec *specs;
	size_t n;
	size_t size;
};

struct spec {
	const char *key;
	enum kind kind;
	size_t off;
	size_t aux;
	const struct table *sub;
};

#define AT(base, off, type) ((type *)((char *)(base) + (off)))

#define STR(T, k, f) { k, K_STR, offsetof(T, f), NO_AUX, NULL }
#define TABLE(name, T, specs) \
	static const struct table name = { specs, sizeof(specs) / sizeof((specs)[0]), sizeof(T) }

/* ----------------------------------------------------------- the tables */

#define CNT(k, f) { k, K_COUNT, offsetof(struct ccon_recipient_counts, f), NO_AUX, NULL }
static const struct spec counts_specs[] = {
	CNT("total", total),       CNT("pending", pending), CNT("processed", processed),
	CNT("received", received), CNT("read", read),       CNT("failed", failed),
	CNT("canceled", canceled),
};
TABLE(counts_table, struct ccon_recipient_counts, counts_specs);

static const struct spec status_count_specs[] = {
	STR(struct ccon_status_count, "status", status),
	{ "count", K_COUNT, offsetof(struct ccon_status_count, count), NO_AUX, NULL },
};
TABLE(status_count_table, struct ccon_status_count, status_count_specs);

#define S(k, f) STR(struct ccon_campaign_summary, k, f)
static const struct spec summary_specs[] = {
	S("id", id),
	S("name", name),
	S("messageTemplate", message_template),
	S("campaignType", campaign_type),
	S("channelType", channel_type),
	S("sendDate", send_date),
	S("flowId", flow_id),
	S("stateId", state_id),
	S("status", status),
	S("created", created),
	S("sourceApplication", source_application),
	S("campaignSender", campaign_sender),
	S("failedReason", failed_reason),
	{ "counts", K_OBJECT, offsetof(struct ccon_campaign_summary, counts),
	  offsetof(struct ccon_campaign_summary, has_counts), &counts_table },
	{ "statusAudience", K_LIST, offsetof(struct ccon_campaign_summary, status_audience),
	  offsetof(struct ccon_campaign_summary, n_status_audience), &status_count_table },
};
#undef S
TABLE(summary_table, struct ccon_campaign_summary, summary_specs);

#define A(k, f) STR(struct ccon_audience_item, k, f)
static const struct spec audience_specs[] = {
	A("campaignId", campaign_id),
	A("taskId", task_id),
	A("retryOf", retry_of),
	A("recipient", recipient),
	A("recipientType", recipient_type),
	A("channelType", channel_type),
	{ "messageParams", K_FIELDS, offsetof(struct ccon_audience_item, message_params), NO_AUX,
	  NULL },
	A("status", status),
	A("audienceStatus", audience_status),
	A("validatedAccount", validated_account),
	A("processed", processed),
	A("received", received),
	A("read", read),
	A("failed", failed),
	{ "reasonCode", K_INT, offsetof(struct ccon_audience_item, reason_code),
	  offsetof(struct ccon_audience_item, has_reason_code), NULL },
	A("reasonDescription", reason_description),
};
#undef A
TABLE(audience_table, struct ccon_audience_item, audience_specs);

#define M(k, f) STR(struct ccon_message_item, k, f)
static const struct spec message_specs[] = {
	M("taskId", task_id),
	M("retryOf", retry_of),
	M("channelType", channel_type),
	M("messageTemplate", message_template),
	M("messageContent", message_content),
	M("messageTemplateLanguage", template_language),
	{ "messageParams", K_NAMES, offsetof(struct ccon_message_item, params),
	  offsetof(struct ccon_message_item, n_params), NULL },
};
#undef M
TABLE(message_table, struct ccon_message_item, message_specs);

#define SA(k, f) STR(struct ccon_status_audience, k, f)
static const struct spec status_audience_specs[] = {
	SA("recipientIdentity", recipient_identity),
	SA("status", status),
	{ "reasonCode", K_INT, offsetof(struct ccon_status_audience, reason_code),
	  offsetof(struct ccon_status_audience, has_reason_code), NULL },
	SA("reasonDescription", reason_description),
	SA("processed", processed),
	SA("received", received),
	SA("read", read),
	SA("failed", failed),
	SA("numberStatus", number_status),
	SA("taskId", task_id),
	SA("retryOf", retry_of),
};
#undef SA
TABLE(status_audience_table, struct ccon_status_audience, status_audience_specs);

#define R(k, f) STR(struct ccon_campaign_report, k, f)
static const struct spec report_specs[] = {
	R("id", id),
	R("name", name),
	R("messageTemplate", message_template),
	R("masterState", master_state),
	R("flowId", flow_id),
	R("stateId", state_id),
	R("stateName", state_name),
	R("attendanceRedirect", attendance_redirect),
	R("campaignSender", campaign_sender),
	R("sendDate", send_date),
	{ "total", K_COUNT, offsetof(struct ccon_campaign_report, total),
	  offsetof(struct ccon_campaign_report, has_total), NULL },
	{ "statusAudience", K_LIST, offsetof(struct ccon_campaign_report, status_audience),
	  offsetof(struct ccon_campaign_report, n_status_audience), &status_audience_table },
};
#undef R
TABLE(report_table, struct ccon_campaign_report, report_specs);

static const struct spec failure_group_specs[] = {
	{ "reasonCode", K_INT, offsetof(struct ccon_failure_group, reason_code),
	  offsetof(struct ccon_failure_group, has_code), NULL },
	STR(struct ccon_failure_group, "reasonDescription", reason_description),
	{ "count", K_COUNT, offsetof(struct ccon_failure_group, count), NO_AUX, NULL },
};
TABLE(failure_group_table, struct ccon_failure_group, failure_group_specs);

/* The pages share one layout: total, items, count. */
#define PAGE_SPECS(name, T, item_table) \
	static const struct spec name##_specs[] = { \
		{ "total", K_COUNT, offsetof(T, total), NO_AUX, NULL }, \
		{ "items", K_LIST, offsetof(T, items), offsetof(T, count), &(item_table) }, \
	}; \
	TABLE(name##_table, T, name##_specs)

PAGE_SPECS(summary_list, struct ccon_summary_list, summary_table);
PAGE_SPECS(audience_page, struct ccon_audience_page, audience_table);
PAGE_SPECS(message_page, struct ccon_message_page, message_table);
PAGE_SPECS(failure_group_list, struct ccon_failure_group_list, failure_group_table);

/* ------------------------------------------------------------- walkers */

static void free_obj(const struct table *t, void *obj)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct spec *sp = &t->specs[i];

		switch (sp->kind) {
		case K_STR:
			free(*AT(obj, sp->off, char *));
			break;
		case K_FIELDS:
			ccon_fields_free(AT(obj, sp->off, struct ccon_fields));
			break;
		case K_NAMES:
			for (size_t j = 0; j < *AT(obj, sp->aux, size_t); j++)
				free((*AT(obj, sp->off, char **))[j]);
			free(*AT(obj, sp->off, char **));
			break;
		case K_LIST: {
			char *items = *AT(obj, sp->off, char *);

			for (size_t j = 0; j < *AT(obj, sp->aux, size_t); j++)
				free_obj(sp->sub, items + j * sp->sub->size);
			free(items);
			break;
		}
		case K_OBJECT:
			free_obj(sp->sub, AT(obj, sp->off, char));
			break;
		default:
			break;
		}
	}
	memset(obj, 0, t->size);
}

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

static int decode_obj(const struct table *t, const cJSON *json, struct ccon_json_path *path,
                      void *obj, struct ccon_error *err);

static int decode_names(const cJSON *arr, const struct spec *sp, struct ccon_json_path *path,
                        void *obj, struct ccon_error *err)
{
	char ***names = AT(obj, sp->off, char **);
	size_t *n = AT(obj, sp->aux, size_t);
	const cJSON *item;
	size_t old;
	int count = cJSON_GetArraySize(arr);

	if (!count)
		return 0;
	*names = calloc((size_t)count, sizeof(char *));
	if (!*names)
		return nomem(err);
	cJSON_ArrayForEach(item, arr) {
		old = ccon_json_path_push_index(path, *n);
		if (ccon_json_expect(item, cJSON_String, path, err) < 0)
			return -1;
		ccon_json_path_pop(path, old);
		(*names)[*n] = strdup(item->valuestring);
		if (!(*names)[*n])
			return nomem(err);
		(*n)++;
	}
	return 0;
}

static int decode_list(const cJSON *arr, const struct spec *sp, struct ccon_json_path *path,
                       void *obj, struct ccon_error *err)
{
	char **items = AT(obj, sp->off, char *);
	size_t *n = AT(obj, sp->aux, size_t);
	const cJSON *item;
	size_t old;
	int count = cJSON_GetArraySize(arr);

	if (!count)
		return 0;
	*items = calloc((size_t)count, sp->sub->size);
	if (!*items)
		return nomem(err);
	cJSON_ArrayForEach(item, arr) {
		old = ccon_json_path_push_index(path, *n);
		/* counted before decoding: a half-decoded item is freed with the rest */
		(*n)++;
		if (decode_obj(sp->sub, item, path, *items + (*n - 1) * sp->sub->size, err) < 0)
			return -1;
		ccon_json_path_pop(path, old);
	}
	return 0;
}

static int decode_field(const struct spec *sp, const cJSON *json, struct ccon_json_path *path,
                        void *obj, struct ccon_error *err)
{
	const cJSON *sub;
	const char *s;
	bool ok = true, has = false;
	size_t old;
	int rc;

	switch (sp->kind) {
	case K_STR:
		if (ccon_json_get_string(json, sp->key, CCON_JSON_OPTIONAL, path, &s, err) < 0)
			return -1;
		*AT(obj, sp->off, char *) = ccon_json_strdup(s, &ok);
		return ok ? 0 : nomem(err);
	case K_INT:
	case K_COUNT:
		if (ccon_json_get_int64(json, sp->key, CCON_JSON_OPTIONAL, path,
		                        AT(obj, sp->off, int64_t), &has, err) < 0)
			return -1;
		if (sp->aux != NO_AUX)
			*AT(obj, sp->aux, bool) = has;
		if (sp->kind == K_COUNT && *AT(obj, sp->off, int64_t) < 0) {
			old = ccon_json_path_push_key(path, sp->key);
			ccon_error_set(err, CCON_E_JSON_RANGE, "a count cannot be negative");
			ccon_error_at_path(err, path->buf);
			ccon_json_path_pop(path, old);
			return -1;
		}
		return 0;
	case K_FIELDS:
		return ccon_json_get_fields(json, sp->key, CCON_JSON_OPTIONAL, path, false,
		                            AT(obj, sp->off, struct ccon_fields), err);
	case K_OBJECT:
		if (ccon_json_get_object(json, sp->key, CCON_JSON_OPTIONAL, path, &sub, err) < 0)
			return -1;
		*AT(obj, sp->aux, bool) = sub != NULL;
		break;
	default:
		if (ccon_json_get_array(json, sp->key, CCON_JSON_OPTIONAL, path, &sub, err) < 0)
			return -1;
		break;
	}
	if (!sub)
		return 0;
	old = ccon_json_path_push_key(path, sp->key);
	if (sp->kind == K_OBJECT)
		rc = decode_obj(sp->sub, sub, path, AT(obj, sp->off, char), err);
	else if (sp->kind == K_NAMES)
		rc = decode_names(sub, sp, path, obj, err);
	else
		rc = decode_list(sub, sp, path, obj, err);
	if (rc == 0)
		ccon_json_path_pop(path, old);
	return rc;
}

static int decode_obj(const struct table *t, const cJSON *json, struct ccon_json_path *path,
                      void *obj, struct ccon_error *err)
{
	if (ccon_json_expect(json, cJSON_Object, path, err) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (decode_field(&t->specs[i], json, path, obj, err) < 0)
			return -1;
	return 0;
}

static int decode_root(const struct table *t, const cJSON *json, void *obj,
                       struct ccon_error *err)
{
	struct ccon_json_path path;

	memset(obj, 0, t->size);
	ccon_json_path_init(&path, "");
	if (decode_obj(t, json, &path, obj, err) < 0) {
		free_obj(t, obj);
		return -1;
	}
	return 0;
}

static cJSON *encode_obj(const struct table *t, const void *obj);

static cJSON *encode_field(const struct spec *sp, const void *obj)
{
	void *o = (void *)obj;
	cJSON *v;

	switch (sp->kind) {
	case K_STR:
		return *AT(o, sp->off, char *) ? cJSON_CreateString(*AT(o, sp->off, char *)) : NULL;
	case K_INT:
	case K_COUNT:
		if (sp->aux != NO_AUX && !*AT(o, sp->aux, bool))
			return NULL;
		return cJSON_CreateNumber((double)*AT(o, sp->off, int64_t));
	case K_FIELDS: {
		const struct ccon_fields *f = AT(o, sp->off, struct ccon_fields);

		if (!f->count || !(v = cJSON_CreateObject()))
			return NULL;
		for (size_t i = 0; i < f->count; i++)
			if (!cJSON_AddStringToObject(v, f->items[i].name, f->items[i].value))
				goto fail;
		return v;
	}
	case K_NAMES:
		if (!*AT(o, sp->aux, size_t))
			return NULL;
		return cJSON_CreateStringArray((const char *const *)*AT(o, sp->off, char **),
		                               (int)*AT(o, sp->aux, size_t));
	case K_OBJECT:
		return *AT(o, sp->aux, bool) ? encode_obj(sp->sub, AT(o, sp->off, char)) : NULL;
	case K_LIST: {
		char *items = *AT(o, sp->off, char *);

		if (!(v = cJSON_CreateArray()))
			return NULL;
		for (size_t i = 0; i < *AT(o, sp->aux, size_t); i++) {
			cJSON *item = encode_obj(sp->sub, items + i * sp->sub->size);

			if (!item || !cJSON_AddItemToArray(v, item)) {
				cJSON_Delete(item);
				goto fail;
			}
		}
		return v;
	}
	}
	return NULL;
fail:
	cJSON_Delete(v);
	return NULL;
}

/* A field that encodes to nothing is absent, unless out of memory: a field
 * that should be written is recognised by encode_wanted. */
static bool encode_wanted(const struct spec *sp, const void *obj)
{
	void *o = (void *)obj;

	switch (sp->kind) {
	case K_STR:
		return *AT(o, sp->off, char *) != NULL;
	case K_INT:
	case K_COUNT:
		return sp->aux == NO_AUX || *AT(o, sp->aux, bool);
	case K_FIELDS:
		return AT(o, sp->off, struct ccon_fields)->count > 0;
	case K_NAMES:
		return *AT(o, sp->aux, size_t) > 0;
	case K_OBJECT:
		return *AT(o, sp->aux, bool);
	default:
		return true;
	}
}

static cJSON *encode_obj(const struct table *t, const void *obj)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct spec *sp = &t->specs[i];
		cJSON *v;

		if (!encode_wanted(sp, obj))
			continue;
		v = encode_field(sp, obj);
		if (!v || !cJSON_AddItemToObject(o, sp->key, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* Pages: total defaults to the item count; itemType is written. */
static int decode_page(const struct table *t, const cJSON *json, void *obj, struct ccon_error *err)
{
	if (decode_root(t, json, obj, err) < 0)
		return -1;
	if (!cJSON_GetObjectItem(json, "total") || cJSON_IsNull(cJSON_GetObjectItem(json, "total")))
		*AT(obj, t->specs[0].off, int64_t) = (int64_t)*AT(obj, t->specs[1].aux, size_t);
	return 0;
}

static int encode_page(const struct table *t, const void *obj, const char *item_type, cJSON **out)
{
	*out = encode_obj(t, obj);
	if (*out && !cJSON_AddStringToObject(*out, "itemType", item_type)) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return *out ? 0 : -1;
}

/* The same walk through a streaming writer: the same text as the cJSON
 * encoders print (codec_reports unit tests compare them). */
static int write_obj(const struct table *t, const void *obj, struct ccon_json_writer *w);

static int write_field(const struct spec *sp, const void *obj, struct ccon_json_writer *w)
{
	void *o = (void *)obj;

	switch (sp->kind) {
	case K_STR:
		return ccon_jw_string(w, *AT(o, sp->off, char *));
	case K_INT:
	case K_COUNT:
		return ccon_jw_int(w, *AT(o, sp->off, int64_t));
	case K_FIELDS: {
		const struct ccon_fields *f = AT(o, sp->off, struct ccon_fields);

		ccon_jw_begin_object(w);
		for (size_t i = 0; i < f->count; i++)
			ccon_jw_kv_string(w, f->items[i].name, f->items[i].value);
		return ccon_jw_end_object(w);
	}
	case K_NAMES: {
		char **names = *AT(o, sp->off, char **);

		ccon_jw_begin_array(w);
		for (size_t i = 0; i < *AT(o, sp->aux, size_t); i++)
			ccon_jw_string(w, names[i] ? names[i] : "");
		return ccon_jw_end_array(w);
	}
	case K_OBJECT:
		return write_obj(sp->sub, AT(o, sp->off, char), w);
	case K_LIST: {
		char *items = *AT(o, sp->off, char *);

		ccon_jw_begin_array(w);
		for (size_t i = 0; i < *AT(o, sp->aux, size_t); i++)
			write_obj(sp->sub, items + i * sp->sub->size, w);
		return ccon_jw_end_array(w);
	}
	}
	return -1;
}

static int write_fields(const struct table *t, const void *obj, struct ccon_json_writer *w)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct spec *sp = &t->specs[i];

		if (!encode_wanted(sp, obj))
			continue;
		ccon_jw_key_plain(w, sp->key, strlen(sp->key));   /* the tables' keys */
		write_field(sp, obj, w);
	}
	return ccon_jw_failed(w) ? -1 : 0;
}

static int write_obj(const struct table *t, const void *obj, struct ccon_json_writer *w)
{
	ccon_jw_begin_object(w);
	write_fields(t, obj, w);
	return ccon_jw_end_object(w);
}

static int write_page(const struct table *t, const void *obj, const char *item_type,
                      struct ccon_json_writer *w)
{
	ccon_jw_begin_object(w);
	write_fields(t, obj, w);
	ccon_jw_kv_string(w, "itemType", item_type);
	return ccon_jw_end_object(w);
}

/* --------------------------------------------------------- public API */

int ccon_campaign_summary_decode(const cJSON *resource, struct ccon_campaign_summary *out,
                                 struct ccon_error *err)
{
	return decode_root(&summary_table, resource, out, err);
}

int ccon_campaign_summary_encode(const struct ccon_campaign_summary *s, cJSON **out)
{
	*out = encode_obj(&summary_table, s);
	return *out ? 0 : -1;
}

int ccon_campaign_summary_write(const struct ccon_campaign_summary *s,
                                struct ccon_json_writer *w)
{
	return write_obj(&summary_table, s, w);
}

void ccon_campaign_summary_free(struct ccon_campaign_summary *s)
{
	free_obj(&summary_table, s);
}

int ccon_summary_list_decode(const cJSON *resource, struct ccon_summary_list *out,
                             struct ccon_error *err)
{
	return decode_page(&summary_list_table, resource, out, err);
}

int ccon_summary_list_encode(const struct ccon_summary_list *l, cJSON **out)
{
	return encode_page(&summary_list_table, l, CCON_SUMMARY_TYPE, out);
}

int ccon_summary_list_write(const struct ccon_summary_list *l, struct ccon_json_writer *w)
{
	return write_page(&summary_list_table, l, CCON_SUMMARY_TYPE, w);
}

void ccon_summary_list_free(struct ccon_summary_list *l)
{
	free_obj(&summary_list_table, l);
}

int ccon_audience_page_decode(const cJSON *resource, struct ccon_audience_page *out,
                              struct ccon_error *err)
{
	return decode_page(&audience_page_table, resource, out, err);
}

int ccon_audience_page_encode(const struct ccon_audience_page *p, cJSON **out)
{
	return encode_page(&audience_page_table, p, CCON_AUDIENCE_ITEM_TYPE, out);
}

int ccon_audience_page_write(const struct ccon_audience_page *p, struct ccon_json_writer *w)
{
	return write_page(&audience_page_table, p, CCON_AUDIENCE_ITEM_TYPE, w);
}

void ccon_audience_page_free(struct ccon_audience_page *p)
{
	free_obj(&audience_page_table, p);
}

int ccon_message_page_decode(const cJSON *resource, struct ccon_message_page *out,
                             struct ccon_error *err)
{
	return decode_page(&message_page_table, resource, out, err);
}

int ccon_message_page_encode(const struct ccon_message_page *p, cJSON **out)
{
	return encode_page(&message_page_table, p, CCON_MESSAGE_ITEM_TYPE, out);
}

int ccon_message_page_write(const struct ccon_message_page *p, struct ccon_json_writer *w)
{
	return write_page(&message_page_table, p, CCON_MESSAGE_ITEM_TYPE, w);
}

void ccon_message_page_free(struct ccon_message_page *p)
{
	free_obj(&message_page_table, p);
}

int ccon_campaign_report_decode(const cJSON *resource, struct ccon_campaign_report *out,
                                struct ccon_error *err)
{
	return decode_root(&report_table, resource, out, err);
}

int ccon_campaign_report_encode(const struct ccon_campaign_report *r, cJSON **out)
{
	*out = encode_obj(&report_table, r);
	return *out ? 0 : -1;
}

int ccon_campaign_report_write(const struct ccon_campaign_report *r,
                               struct ccon_json_writer *w)
{
	return write_obj(&report_table, r, w);
}

void ccon_campaign_report_free(struct ccon_campaign_report *r)
{
	free_obj(&report_table, r);
}

int ccon_failure_group_list_decode(const cJSON *resource, struct ccon_failure_group_list *out,
                                   struct ccon_error *err)
{
	return decode_page(&failure_group_list_table, resource, out, err);
}

int ccon_failure_group_list_encode(const struct ccon_failure_group_list *l, cJSON **out)
{
	return encode_page(&failure_group_list_table, l, CCON_FAILURE_GROUP_TYPE, out);
}

int ccon_failure_group_list_write(const struct ccon_failure_group_list *l,
                                  struct ccon_json_writer *w)
{
	return write_page(&failure_group_list_table, l, CCON_FAILURE_GROUP_TYPE, w);
}

void ccon_failure_group_list_free(struct ccon_failure_group_list *l)
{
	free_obj(&failure_group_list_table, l);
}
