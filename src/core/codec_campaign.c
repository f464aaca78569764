#include "config.h"

#include <ccon/codec_campaign.h>

#include <ccon/json_util.h>
#include <ccon/utf8.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *ccon_campaign_type_name(enum ccon_campaign_type t)
{
	return t == CCON_CAMPAIGN_BATCH ? "Batch" : "Individual";
}

const char *ccon_channel_name(enum ccon_channel c)
{
	return c == CCON_CHANNEL_GOOGLE_RCS ? "GoogleRcs" : "WhatsApp";
}

int ccon_campaign_type_parse(const char *s, enum ccon_campaign_type *out)
{
	if (strcasecmp(s, "Individual") == 0)
		*out = CCON_CAMPAIGN_INDIVIDUAL;
	else if (strcasecmp(s, "Batch") == 0)
		*out = CCON_CAMPAIGN_BATCH;
	else
		return -1;
	return 0;
}

int ccon_channel_parse(const char *s, enum ccon_channel *out)
{
	if (strcasecmp(s, "WhatsApp") == 0)
		*out = CCON_CHANNEL_WHATSAPP;
	else if (strcasecmp(s, "GoogleRcs") == 0)
		*out = CCON_CHANNEL_GOOGLE_RCS;
	else
		return -1;
	return 0;
}

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

/* Puts err at path.key and returns -1 (the message is already set). */
static int at_key(struct ccon_json_path *path, const char *key, struct ccon_error *err)
{
	size_t old = ccon_json_path_push_key(path, key);

	ccon_error_at_path(err, path->buf);
	ccon_json_path_pop(path, old);
	return -1;
}

static int get_dup(const cJSON *obj, const char *key, enum ccon_json_need need,
                   struct ccon_json_path *path, char **out, struct ccon_error *err)
{
	const char *s;
	bool ok = true;

	if (ccon_json_get_string(obj, key, need, path, &s, err) < 0)
		return -1;
	if (s && need == CCON_JSON_REQUIRED && !*s) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "must not be empty");
		return at_key(path, key, err);
	}
	*out = ccon_json_strdup(s, &ok);
	return ok ? 0 : nomem(err);
}

/* An array of non-empty strings; names are also checked for duplicates. */
static int get_strings(const cJSON *obj, const char *key, bool unique, struct ccon_json_path *path,
                       char ***out, size_t *n, struct ccon_error *err)
{
	const cJSON *arr, *item;
	size_t i = 0, old, old2;
	int count;

	if (ccon_json_get_array(obj, key, CCON_JSON_OPTIONAL, path, &arr, err) < 0)
		return -1;
	if (!arr)
		return 0;
	count = cJSON_GetArraySize(arr);
	if (count == 0)
		return 0;
	*out = calloc((size_t)count, sizeof(**out));
	if (!*out)
		return nomem(err);
	old = ccon_json_path_push_key(path, key);
	cJSON_ArrayForEach(item, arr) {
		old2 = ccon_json_path_push_index(path, i);
		if (ccon_json_expect(item, cJSON_String, path, err) < 0)
			goto fail;
		if (unique && !*item->valuestring) {
			ccon_error_set(err, CCON_E_JSON_VALUE, "a parameter name must not be empty");
			ccon_error_at_path(err, path->buf);
			goto fail;
		}
		for (size_t j = 0; unique && j < i; j++) {
			if (strcmp((*out)[j], item->valuestring) == 0) {
				ccon_error_set(err, CCON_E_JSON_VALUE,
				               "parameter \"%.40s\" is listed twice", item->valuestring);
				ccon_error_at_path(err, path->buf);
				goto fail;
			}
		}
		(*out)[i] = strdup(item->valuestring);
		if (!(*out)[i]) {
			nomem(err);
			goto fail;
		}
		*n = ++i;
		ccon_json_path_pop(path, old2);
	}
	ccon_json_path_pop(path, old);
	return 0;
fail:
	ccon_json_path_pop(path, old);
	return -1;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int get_enum_channel(const cJSON *obj, struct ccon_json_path *path, enum ccon_channel *out,
                            bool *has, struct ccon_error *err)
{
	const char *s;

	if (ccon_json_get_string(obj, "channelType", CCON_JSON_OPTIONAL, path, &s, err) < 0)
		return -1;
	*has = s != NULL;
	if (s && ccon_channel_parse(s, out) < 0) {
		ccon_error_set(err, CCON_E_JSON_VALUE,
		               "unknown channel \"%.40s\": expected WhatsApp or GoogleRcs", s);
		return at_key(path, "channelType", err);
	}
	return 0;
}

static void campaign_def_free(struct ccon_campaign_def *c)
{
	free(c->name);
	free(c->flow_id);
	free(c->state_id);
	free(c->master_state);
	free(c->source_application);
	free(c->scheduled);
	free_strings(c->tags, c->n_tags);
	memset(c, 0, sizeof(*c));
}

static int campaign_def_decode(const cJSON *res, struct ccon_json_path *path,
                               struct ccon_campaign_def *c, struct ccon_error *err)
{
	const cJSON *obj;
	const char *type;
	size_t old;
	int rc = -1;

	if (ccon_json_get_object(res, "campaign", CCON_JSON_REQUIRED, path, &obj, err) < 0)
		return -1;
	old = ccon_json_path_push_key(path, "campaign");
	if (get_dup(obj, "name", CCON_JSON_REQUIRED, path, &c->name, err) < 0 ||
	    ccon_json_get_string(obj, "campaignType", CCON_JSON_REQUIRED, path, &type, err) < 0)
		goto done;
	if (ccon_campaign_type_parse(type, &c->type) < 0) {
		ccon_error_set(err, CCON_E_JSON_VALUE,
		               "unknown campaign type \"%.40s\": expected Individual or Batch", type);
		at_key(path, "campaignType", err);
		goto done;
	}
	if (get_dup(obj, "flowId", CCON_JSON_OPTIONAL, path, &c->flow_id, err) < 0 ||
	    get_dup(obj, "stateId", CCON_JSON_OPTIONAL, path, &c->state_id, err) < 0 ||
	    get_dup(obj, "masterstate", CCON_JSON_OPTIONAL, path, &c->master_state, err) < 0 ||
	    get_enum_channel(obj, path, &c->channel, &c->has_channel, err) < 0 ||
	    get_dup(obj, "sourceApplication", CCON_JSON_OPTIONAL, path, &c->source_application,
	            err) < 0 ||
	    get_strings(obj, "tags", false, path, &c->tags, &c->n_tags, err) < 0 ||
	    get_dup(obj, "scheduled", CCON_JSON_OPTIONAL, path, &c->scheduled, err) < 0)
		goto done;
	rc = 0;
done:
	ccon_json_path_pop(path, old);
	return rc;
}

static void message_free(struct ccon_campaign_message *m)
{
	free(m->message_template);
	free(m->message_content);
	free(m->template_language);
	free_strings(m->params, m->n_params);
	memset(m, 0, sizeof(*m));
}

/* Decodes obj (found at path) as the message, on the campaign's channel. */
static int message_decode(const cJSON *obj, struct ccon_json_path *path,
                          const struct ccon_campaign_def *c, struct ccon_campaign_message *m,
                          struct ccon_error *err)
{
	const char *need;

	if (get_dup(obj, "messageTemplate", CCON_JSON_OPTIONAL, path, &m->message_template,
	            err) < 0 ||
	    get_dup(obj, "messageContent", CCON_JSON_OPTIONAL, path, &m->message_content, err) < 0 ||
	    get_dup(obj, "messageTemplateLanguage", CCON_JSON_OPTIONAL, path, &m->template_language,
	            err) < 0 ||
	    get_strings(obj, "messageParams", true, path, &m->params, &m->n_params, err) < 0 ||
	    get_enum_channel(obj, path, &m->channel, &m->has_channel, err) < 0)
		return -1;
	if (m->has_channel && c->has_channel && m->channel != c->channel) {
		ccon_error_set(err, CCON_E_JSON_VALUE,
		               "the message is for %s but the campaign is for %s",
		               ccon_channel_name(m->channel), ccon_channel_name(c->channel));
		return at_key(path, "channelType", err);
	}
	if (!m->has_channel)
		m->channel = c->channel;
	if (m->channel == CCON_CHANNEL_WHATSAPP && (!m->message_template || !*m->message_template))
		need = "messageTemplate";
	else if (m->channel == CCON_CHANNEL_GOOGLE_RCS &&
	         (!m->message_content || !*m->message_content))
		need = "messageContent";
	else
		return 0;
	ccon_error_set(err, CCON_E_JSON_REQUIRED, "a %s message needs a non-empty %s",
	               ccon_channel_name(m->channel), need);
	return at_key(path, need, err);
}

/* Resolves the campaign's channel from the message's when only it is given. */
static void settle_channel(struct ccon_campaign_def *c, const cJSON *msg)
{
	const cJSON *ct = cJSON_GetObjectItem(msg, "channelType");

	if (!c->has_channel && cJSON_IsString(ct))
		ccon_channel_parse(ct->valuestring, &c->channel);
}

void ccon_audience_free(struct ccon_audience *a)
{
	free(a->recipient);
	ccon_fields_free(&a->message_params);
	ccon_fields_free(&a->context_variables);
	memset(a, 0, sizeof(*a));
}

static int audience_decode(const cJSON *obj, struct ccon_json_path *path,
                           struct ccon_audience *a, struct ccon_error *err)
{
	memset(a, 0, sizeof(*a));
	if (ccon_json_expect(obj, cJSON_Object, path, err) < 0 ||
	    get_dup(obj, "recipient", CCON_JSON_REQUIRED, path, &a->recipient, err) < 0 ||
	    ccon_json_get_fields(obj, "messageParams", CCON_JSON_OPTIONAL, path, false,
	                         &a->message_params, err) < 0 ||
	    ccon_json_get_fields(obj, "contextVariables", CCON_JSON_OPTIONAL, path, true,
	                         &a->context_variables, err) < 0) {
		ccon_audience_free(a);
		return -1;
	}
	return 0;
}

int ccon_audience_check(const struct ccon_campaign_message *msg, const struct ccon_audience *a,
                        const char *path, struct ccon_error *err)
{
	const struct ccon_fields *mp = &a->message_params;
	char where[CCON_ERROR_PATH_MAX];
	size_t chars;

	for (size_t i = 0; i < msg->n_params; i++) {
		if (ccon_fields_get(mp, msg->params[i]))
			continue;
		ccon_error_set(err, CCON_E_JSON_REQUIRED,
		               "the message template takes parameter \"%.40s\" but this audience "
		               "does not give it (%zu parameter%s needed)",
		               msg->params[i], msg->n_params, msg->n_params == 1 ? "" : "s");
		snprintf(where, sizeof(where), "messageParams.%s", msg->params[i]);
		ccon_error_at_path(err, where);
		ccon_error_prefix_path(err, path);
		return -1;
	}
	for (size_t i = 0; i < mp->count; i++) {
		chars = ccon_utf8_length(mp->items[i].value, strlen(mp->items[i].value));
		if (chars <= CCON_MESSAGE_PARAM_MAX_CHARS)
			continue;
		ccon_error_set(err, CCON_E_JSON_LENGTH,
		               "a message parameter holds at most %d characters, this one has %zu",
		               CCON_MESSAGE_PARAM_MAX_CHARS, chars);
		snprintf(where, sizeof(where), "messageParams.%s", mp->items[i].name);
		ccon_error_at_path(err, where);
		ccon_error_prefix_path(err, path);
		return -1;
	}
	return 0;
}

/* Decodes arr[] into a new array of audiences (path names arr). */
static int audiences_decode(const cJSON *arr, struct ccon_json_path *path,
                            struct ccon_audience **out, size_t *n, struct ccon_error *err)
{
	const cJSON *item;
	size_t i = 0, old;
	int count = cJSON_GetArraySize(arr);

	*out = NULL;
	*n = 0;
	if (count == 0) {
		ccon_error_set(err, CCON_E_JSON_LENGTH, "at least one audience is needed");
		ccon_error_at_path(err, path->buf);
		return -1;
	}
	*out = calloc((size_t)count, sizeof(**out));
	if (!*out)
		return nomem(err);
	cJSON_ArrayForEach(item, arr) {
		old = ccon_json_path_push_index(path, i);
		if (audience_decode(item, path, &(*out)[i], err) < 0) {
			ccon_json_path_pop(path, old);
			return -1;
		}
		ccon_json_path_pop(path, old);
		*n = ++i;
	}
	return 0;
}

static void audiences_free(struct ccon_audience *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ccon_audience_free(&a[i]);
	free(a);
}

static int check_all(const struct ccon_campaign_message *m, const struct ccon_audience *a, size_t n,
                     const char *key, bool indexed, struct ccon_error *err)
{
	char where[48];

	for (size_t i = 0; i < n; i++) {
		if (indexed)
			snprintf(where, sizeof(where), "%s[%zu]", key, i);
		else
			snprintf(where, sizeof(where), "%s", key);
		if (ccon_audience_check(m, &a[i], where, err) < 0)
			return -1;
	}
	return 0;
}

static int misplaced(const char *key, const char *why, struct ccon_error *err)
{
	ccon_error_set(err, CCON_E_JSON_VALUE, "%s", why);
	ccon_error_at_path(err, key);
	return -1;
}

static int full_audiences(const cJSON *res, struct ccon_json_path *path,
                          struct ccon_full_campaign *fc, const cJSON **msg_in_audience,
                          struct ccon_error *err)
{
	const cJSON *one, *list;
	size_t old;
	int rc;

	*msg_in_audience = NULL;
	if (fc->campaign.type == CCON_CAMPAIGN_BATCH) {
		if (cJSON_GetObjectItem(res, "audience") &&
		    !cJSON_IsNull(cJSON_GetObjectItem(res, "audience")))
			return misplaced("audience", "a Batch campaign takes an `audiences` array, "
			                             "not one `audience`", err);
		if (ccon_json_get_array(res, "audiences", CCON_JSON_REQUIRED, path, &list, err) < 0)
			return -1;
		old = ccon_json_path_push_key(path, "audiences");
		rc = audiences_decode(list, path, &fc->audiences, &fc->n_audiences, err);
		ccon_json_path_pop(path, old);
		return rc;
	}
	if (cJSON_GetObjectItem(res, "audiences") &&
	    !cJSON_IsNull(cJSON_GetObjectItem(res, "audiences")))
		return misplaced("audiences", "an Individual campaign takes one `audience` object; "
		                              "a list needs campaignType Batch", err);
	if (ccon_json_get_object(res, "audience", CCON_JSON_REQUIRED, path, &one, err) < 0)
		return -1;
	fc->audiences = calloc(1, sizeof(*fc->audiences));
	if (!fc->audiences)
		return nomem(err);
	old = ccon_json_path_push_key(path, "audience");
	rc = audience_decode(one, path, fc->audiences, err);
	if (rc == 0) {
		fc->n_audiences = 1;
		rc = ccon_json_get_object(one, "message", CCON_JSON_OPTIONAL, path, msg_in_audience,
		                          err);
	}
	ccon_json_path_pop(path, old);
	return rc;
}

int ccon_full_campaign_decode(const cJSON *resource, struct ccon_full_campaign *out,
                              struct ccon_error *err)
{
	struct ccon_json_path path;
	const cJSON *msg, *slip = NULL;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(resource, cJSON_Object, &path, err) < 0)
		return -1;
	if (campaign_def_decode(resource, &path, &out->campaign, err) < 0 ||
	    full_audiences(resource, &path, out, &slip, err) < 0 ||
	    ccon_json_get_object(resource, "message", slip ? CCON_JSON_OPTIONAL : CCON_JSON_REQUIRED,
	                         &path, &msg, err) < 0)
		goto fail;
	if (!msg) {
		msg = slip;
		out->message_in_audience = true;
		ccon_json_path_push_key(&path, "audience");
	}
	ccon_json_path_push_key(&path, "message");
	settle_channel(&out->campaign, msg);
	if (message_decode(msg, &path, &out->campaign, &out->message, err) < 0)
		goto fail;
	ccon_json_path_init(&path, "");
	if (check_all(&out->message, out->audiences, out->n_audiences,
	              out->campaign.type == CCON_CAMPAIGN_BATCH ? "audiences" : "audience",
	              out->campaign.type == CCON_CAMPAIGN_BATCH, err) < 0)
		goto fail;
	return 0;
fail:
	ccon_full_campaign_free(out);
	return -1;
}

void ccon_full_campaign_free(struct ccon_full_campaign *fc)
{
	campaign_def_free(&fc->campaign);
	audiences_free(fc->audiences, fc->n_audiences);
	message_free(&fc->message);
	memset(fc, 0, sizeof(*fc));
}

/* ------------------------------------------------------------ encoders */

static int add_strings(cJSON *o, const char *key, char *const *v, size_t n)
{
	cJSON *arr;

	if (!n)
		return 0;
	arr = cJSON_AddArrayToObject(o, key);
	if (!arr)
		return -1;
	for (size_t i = 0; i < n; i++) {
		cJSON *s = cJSON_CreateString(v[i]);

		if (!s || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			return -1;
		}
	}
	return 0;
}

static int campaign_def_encode(const struct ccon_campaign_def *c, cJSON *res)
{
	cJSON *o = cJSON_AddObjectToObject(res, "campaign");

	if (!o || ccon_json_add_string_opt(o, "name", c->name) < 0 ||
	    !cJSON_AddStringToObject(o, "campaignType", ccon_campaign_type_name(c->type)) ||
	    ccon_json_add_string_opt(o, "flowId", c->flow_id) < 0 ||
	    ccon_json_add_string_opt(o, "stateId", c->state_id) < 0 ||
	    ccon_json_add_string_opt(o, "masterstate", c->master_state) < 0 ||
	    (c->has_channel && !cJSON_AddStringToObject(o, "channelType", ccon_channel_name(c->channel))) ||
	    ccon_json_add_string_opt(o, "sourceApplication", c->source_application) < 0 ||
	    add_strings(o, "tags", c->tags, c->n_tags) < 0 ||
	    ccon_json_add_string_opt(o, "scheduled", c->scheduled) < 0)
		return -1;
	return 0;
}

static int message_encode(const struct ccon_campaign_message *m, cJSON *res)
{
	cJSON *o = cJSON_AddObjectToObject(res, "message");

	if (!o || ccon_json_add_string_opt(o, "messageTemplate", m->message_template) < 0 ||
	    ccon_json_add_string_opt(o, "messageContent", m->message_content) < 0 ||
	    ccon_json_add_string_opt(o, "messageTemplateLanguage", m->template_language) < 0 ||
	    add_strings(o, "messageParams", m->params, m->n_params) < 0 ||
	    (m->has_channel && !cJSON_AddStringToObject(o, "channelType", ccon_channel_name(m->channel))))
		return -1;
	return 0;
}

/* Context variables that hold an object or array go back as JSON. NULL
 * when out of memory: a parse that failed for want of memory (errno
 * ENOMEM) is not text that merely starts like JSON, and must not turn the
 * object into a string (tests/faultinj: JSON full campaign). */
static cJSON *context_value(const char *v)
{
	if (*v == '{' || *v == '[') {
		cJSON *j;

		errno = 0;
		j = cJSON_Parse(v);
		if (j && (cJSON_IsObject(j) || cJSON_IsArray(j)))
			return j;
		cJSON_Delete(j);
		if (!j && errno == ENOMEM)
			return NULL;
	}
	return cJSON_CreateString(v);
}

static int add_fields(cJSON *o, const char *key, const struct ccon_fields *f, bool nested)
{
	cJSON *map;

	if (!f->count)
		return 0;
	map = cJSON_AddObjectToObject(o, key);
	if (!map)
		return -1;
	for (size_t i = 0; i < f->count; i++) {
		cJSON *v = nested ? context_value(f->items[i].value)
		                  : cJSON_CreateString(f->items[i].value);

		if (!v || !cJSON_AddItemToObject(map, f->items[i].name, v)) {
			cJSON_Delete(v);
			return -1;
		}
	}
	return 0;
}

static cJSON *audience_encode(const struct ccon_audience *a)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || ccon_json_add_string_opt(o, "recipient", a->recipient) < 0 ||
	    add_fields(o, "messageParams", &a->message_params, false) < 0 ||
	    add_fields(o, "contextVariables", &a->context_variables, true) < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int add_audiences(cJSON *o, const char *key, const struct ccon_audience *a, size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(o, key);

	if (!arr)
		return -1;
	for (size_t i = 0; i < n; i++) {
		cJSON *item = audience_encode(&a[i]);

		if (!item || !cJSON_AddItemToArray(arr, item)) {
			cJSON_Delete(item);
			return -1;
		}
	}
	return 0;
}

int ccon_full_campaign_encode(const struct ccon_full_campaign *fc, cJSON **out)
{
	cJSON *res = cJSON_CreateObject(), *one;

	*out = NULL;
	if (!res || campaign_def_encode(&fc->campaign, res) < 0)
		goto fail;
	if (fc->campaign.type == CCON_CAMPAIGN_BATCH) {
		if (add_audiences(res, "audiences", fc->audiences, fc->n_audiences) < 0)
			goto fail;
	} else if (fc->n_audiences) {
		one = audience_encode(&fc->audiences[0]);
		if (!one || !cJSON_AddItemToObject(res, "audience", one)) {
			cJSON_Delete(one);
			goto fail;
		}
	}
	if (message_encode(&fc->message, res) < 0)
		goto fail;
	*out = res;
	return 0;
fail:
	cJSON_Delete(res);
	return -1;
}

/* ------------------------------------------------------ /campaign/v2 */

int ccon_dynamic_campaign_decode(const cJSON *resource, struct ccon_dynamic_campaign *out,
                                 struct ccon_error *err)
{
	static const char *const no[] = { "audience", "audiences" };
	struct ccon_json_path path;
	const cJSON *msg;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(resource, cJSON_Object, &path, err) < 0)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		const cJSON *a = cJSON_GetObjectItem(resource, no[i]);

		if (a && !cJSON_IsNull(a))
			return misplaced(no[i], "a /campaign/v2 campaign takes no audience: add it "
			                        "with /audiences/v2/{id}", err);
	}
	if (campaign_def_decode(resource, &path, &out->campaign, err) < 0 ||
	    ccon_json_get_object(resource, "message", CCON_JSON_REQUIRED, &path, &msg, err) < 0)
		goto fail;
	ccon_json_path_push_key(&path, "message");
	settle_channel(&out->campaign, msg);
	if (message_decode(msg, &path, &out->campaign, &out->message, err) < 0)
		goto fail;
	return 0;
fail:
	ccon_dynamic_campaign_free(out);
	return -1;
}

int ccon_dynamic_campaign_encode(const struct ccon_dynamic_campaign *dc, cJSON **out)
{
	cJSON *res = cJSON_CreateObject();

	*out = NULL;
	if (!res || campaign_def_encode(&dc->campaign, res) < 0 ||
	    message_encode(&dc->message, res) < 0) {
		cJSON_Delete(res);
		return -1;
	}
	*out = res;
	return 0;
}

void ccon_dynamic_campaign_free(struct ccon_dynamic_campaign *dc)
{
	campaign_def_free(&dc->campaign);
	message_free(&dc->message);
	memset(dc, 0, sizeof(*dc));
}

/* --------------------------------------------------- /audiences/v2/{id} */

int ccon_audience_list_decode(const cJSON *resource, struct ccon_audience_list *out,
                              struct ccon_error *err)
{
	struct ccon_json_path path;
	const cJSON *arr = resource;
	const char *key = NULL;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (cJSON_IsObject(resource)) {
		key = cJSON_GetObjectItem(resource, "audiences") ? "audiences" : "items";
		if (ccon_json_get_array(resource, key, CCON_JSON_REQUIRED, &path, &arr, err) < 0)
			return -1;
		ccon_json_path_push_key(&path, key);
	} else if (!cJSON_IsArray(resource)) {
		ccon_error_set(err, CCON_E_JSON_TYPE,
		               "expected an array of audiences or {\"audiences\": [...]}, got %s",
		               ccon_json_type_name(resource));
		return -1;
	}
	if (audiences_decode(arr, &path, &out->items, &out->count, err) < 0) {
		ccon_audience_list_free(out);
		return -1;
	}
	return 0;
}

int ccon_audience_list_encode(const struct ccon_audience_list *al, cJSON **out)
{
	cJSON *res = cJSON_CreateObject();

	*out = NULL;
	if (!res || add_audiences(res, "audiences", al->items, al->count) < 0) {
		cJSON_Delete(res);
		return -1;
	}
	*out = res;
	return 0;
}

void ccon_audience_list_free(struct ccon_audience_list *al)
{
	audiences_free(al->items, al->count);
	memset(al, 0, sizeof(*al));
}

/* ------------------------------------------------------- /dispatch/v2 */

int ccon_dispatch_decode(const cJSON *resource, struct ccon_dispatch *out,
                         struct ccon_error *err)
{
	struct ccon_json_path path;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(resource, cJSON_Object, &path, err) < 0)
		return -1;
	return get_dup(resource, "campaignId", CCON_JSON_REQUIRED, &path, &out->campaign_id, err);
}

int ccon_dispatch_encode(const struct ccon_dispatch *d, cJSON **out)
{
	*out = cJSON_CreateObject();
	if (!*out || ccon_json_add_string_opt(*out, "campaignId", d->campaign_id) < 0) {
		cJSON_Delete(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void ccon_dispatch_free(struct ccon_dispatch *d)
{
	free(d->campaign_id);
	d->campaign_id = NULL;
}

/* ------------------------------------------------- the campaign answer */

static const struct {
	const char *key;
	size_t offset;
} info_fields[] = {
	{ "id", offsetof(struct ccon_campaign_info, id) },
	{ "name", offsetof(struct ccon_campaign_info, name) },
	{ "campaignType", offsetof(struct ccon_campaign_info, campaign_type) },
	{ "flowId", offsetof(struct ccon_campaign_info, flow_id) },
	{ "stateId", offsetof(struct ccon_campaign_info, state_id) },
	{ "masterState", offsetof(struct ccon_campaign_info, master_state) },
	{ "channelType", offsetof(struct ccon_campaign_info, channel_type) },
	{ "sourceApplication", offsetof(struct ccon_campaign_info, source_application) },
	{ "status", offsetof(struct ccon_campaign_info, status) },
	{ "created", offsetof(struct ccon_campaign_info, created) },
	{ "scheduled", offsetof(struct ccon_campaign_info, scheduled) },
	{ "failedReason", offsetof(struct ccon_campaign_info, failed_reason) },
};

#define INFO_FIELD(ci, i) ((char **)((char *)(ci) + info_fields[i].offset))
#define N_INFO (sizeof(info_fields) / sizeof(info_fields[0]))

int ccon_campaign_info_decode(const cJSON *resource, struct ccon_campaign_info *out,
                              struct ccon_error *err)
{
	struct ccon_json_path path;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(resource, cJSON_Object, &path, err) < 0)
		return -1;
	for (size_t i = 0; i < N_INFO; i++) {
		if (get_dup(resource, info_fields[i].key, i == 0 ? CCON_JSON_REQUIRED : CCON_JSON_OPTIONAL,
		            &path, INFO_FIELD(out, i), err) < 0) {
			ccon_campaign_info_free(out);
			return -1;
		}
	}
	return 0;
}

int ccon_campaign_info_encode(const struct ccon_campaign_info *ci, cJSON **out)
{
	*out = cJSON_CreateObject();
	if (!*out)
		return -1;
	for (size_t i = 0; i < N_INFO; i++) {
		if (ccon_json_add_string_opt(*out, info_fields[i].key,
		                             *INFO_FIELD((struct ccon_campaign_info *)ci, i)) < 0) {
			cJSON_Delete(*out);
			*out = NULL;
			return -1;
		}
	}
	return 0;
}

void ccon_campaign_info_free(struct ccon_campaign_info *ci)
{
	for (size_t i = 0; i < N_INFO; i++)
		free(*INFO_FIELD(ci, i));
	memset(ci, 0, sizeof(*ci));
}
