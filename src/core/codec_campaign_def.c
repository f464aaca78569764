#include "config.h"

#include <ccon/codec_campaign_def.h>
#include <ccon/contact.h>
#include <ccon/datetime.h>
#include <ccon/json_util.h>
#include <ccon/utf8.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const channel_names[] = { "whatsapp", "sms", "rcs" };

#define N_CHANNELS (sizeof(channel_names) / sizeof(channel_names[0]))

const char *ccon_rest_channel_name(enum ccon_rest_channel ch)
{
	return (unsigned)ch < N_CHANNELS ? channel_names[ch] : NULL;
}

int ccon_rest_channel_parse(const char *s, enum ccon_rest_channel *out)
{
	for (size_t i = 0; i < N_CHANNELS; i++) {
		if (strcasecmp(s, channel_names[i]) == 0) {
			*out = (enum ccon_rest_channel)i;
			return 0;
		}
	}
	return -1;
}

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

/* Sets code, message and where; returns -1. */
static int fail_at(struct ccon_error *err, const char *path, enum ccon_errc code, long column,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail_at(struct ccon_error *err, const char *path, enum ccon_errc code, long column,
                   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(err, code, fmt, ap);
	va_end(ap);
	ccon_error_at_path(err, path);
	ccon_error_at_column(err, column);
	return -1;
}

/* ------------------------------------------------------------- text rules */

/* Valid UTF-8, no control characters (tabs and line breaks only when
 * multiline), 1..max characters. */
static int check_text(const char *s, const char *path, size_t max, bool multiline,
                      struct ccon_error *err)
{
	size_t len = strlen(s), bad, chars;

	if (!ccon_utf8_valid(s, len, &bad))
		return fail_at(err, path, CCON_E_JSON_VALUE, (long)ccon_utf8_length(s, bad) + 1,
		               "not valid UTF-8");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 || c == 0x7F) && !(multiline && (c == '\t' || c == '\n' || c == '\r')))
			return fail_at(err, path, CCON_E_JSON_VALUE, (long)ccon_utf8_length(s, i) + 1,
			               "control characters are not allowed here");
	}
	if (len == 0)
		return fail_at(err, path, CCON_E_JSON_LENGTH, 0, "must not be empty");
	chars = ccon_utf8_length(s, len);
	if (chars > max)
		return fail_at(err, path, CCON_E_JSON_LENGTH, (long)max + 1,
		               "%zu characters long, at most %zu allowed", chars, max);
	return 0;
}

static int check_name(const char *s, struct ccon_error *err)
{
	if (check_text(s, "name", CCON_REST_CAMPAIGN_NAME_MAX, false, err) < 0)
		return -1;
	if (s[strspn(s, " ")] == '\0')
		return fail_at(err, "name", CCON_E_JSON_LENGTH, 0, "the name is blank");
	return 0;
}

/* Meta's rule for template names: lower-case letters, digits, '_'. */
static int check_template_name(const char *s, struct ccon_error *err)
{
	if (check_text(s, "templateName", CCON_REST_CAMPAIGN_TEMPLATE_NAME_MAX, false, err) < 0)
		return -1;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];

		/* every byte before i is ASCII, so i + 1 is the character position */
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return fail_at(err, "templateName", CCON_E_JSON_VALUE, (long)i + 1,
			               "a WhatsApp template name has only lower-case letters, digits "
			               "and '_'");
	}
	return 0;
}

static size_t span(const char *s, int lo, int hi)
{
	size_t n = 0;

	while (s[n] >= lo && s[n] <= hi)
		n++;
	return n;
}

/* ll, lll, ll_CC, ll_DDD */
static int check_language(const char *s, struct ccon_error *err)
{
	size_t lang, region;

	if (check_text(s, "language", CCON_REST_CAMPAIGN_TEXT_MAX, false, err) < 0)
		return -1;
	lang = span(s, 'a', 'z');
	if (lang >= 2 && lang <= 3) {
		s += lang;
		if (*s == '\0')
			return 0;
		if (*s == '_') {
			region = span(s + 1, 'A', 'Z');
			if (region == 0)
				region = span(s + 1, '0', '9') == 3 ? 3 : 0;
			else if (region != 2)
				region = 0;
			if (region && s[1 + region] == '\0')
				return 0;
		}
	}
	return fail_at(err, "language", CCON_E_JSON_VALUE, 0,
	               "expected a language code like \"pt_BR\", \"en\" or \"es_419\"");
}

/* Every variable a valid customFields name; syntax errors from template.h. */
static int check_template_body(const char *body, struct ccon_error *err)
{
	struct ccon_template_token tok;
	size_t pos = 0;

	if (check_text(body, "templateBody", CCON_REST_CAMPAIGN_BODY_MAX, true, err) < 0)
		return -1;
	for (;;) {
		if (ccon_template_next(body, &pos, &tok, err) < 0) {
			ccon_error_at_path(err, "templateBody");
			return -1;
		}
		if (tok.kind == CCON_TEMPLATE_END)
			return 0;
		if (tok.kind == CCON_TEMPLATE_VARIABLE && !ccon_custom_field_name_valid(tok.start, tok.len))
			return fail_at(err, "templateBody", CCON_E_CUSTOM_FIELD_NAME,
			               (long)ccon_utf8_length(body, tok.offset) + 1,
			               "variable \"%.*s\" cannot be sent as a customFields key: use "
			               "letters, digits and '_' (at most %d)",
			               (int)(tok.len > 64 ? 64 : tok.len), tok.start,
			               CCON_CUSTOM_FIELD_NAME_MAX);
	}
}

/* ------------------------------------------------------------- decoding */

void ccon_rest_campaign_free(struct ccon_rest_campaign *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->channel);
	free(c->template_name);
	free(c->template_body);
	for (size_t i = 0; i < c->n_template_params; i++)
		free(c->template_params[i]);
	free(c->template_params);
	free(c->language);
	free(c->flow_id);
	free(c->state_id);
	free(c->master_state);
	free(c->source_application);
	free(c->campaign_sender);
	for (size_t i = 0; i < c->n_tags; i++)
		free(c->tags[i]);
	free(c->tags);
	memset(c, 0, sizeof(*c));
}

/* A string field, copied; with strict, checked as plain text of 1..max. */
static int get_text(const cJSON *json, const char *key, enum ccon_json_need need, size_t max,
                    bool strict, struct ccon_json_path *path, char **out,
                    struct ccon_error *err)
{
	const char *s;
	bool ok = true;

	if (ccon_json_get_string(json, key, need, path, &s, err) < 0)
		return -1;
	if (!s)
		return 0;
	if (strict && max && check_text(s, key, max, false, err) < 0)
		return -1;
	*out = ccon_json_strdup(s, &ok);
	return ok ? 0 : nomem(err);
}

/* The rule an element of a string array must follow. */
enum item_rule { ITEM_ANY, ITEM_VARIABLE, ITEM_TAG };

static int check_item(const char *s, const char *path, enum item_rule rule,
                      struct ccon_error *err)
{
	if (rule == ITEM_TAG)
		return check_text(s, path, CCON_REST_CAMPAIGN_TAG_MAX, false, err);
	if (rule == ITEM_VARIABLE && !ccon_custom_field_name_valid(s, strlen(s)))
		return fail_at(err, path, CCON_E_CUSTOM_FIELD_NAME, 0,
		               "a variable name is what a send's customFields carry: letters, "
		               "digits and '_' (at most %d)", CCON_CUSTOM_FIELD_NAME_MAX);
	return 0;
}

static bool seen_before(char *const *items, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i], s) == 0)
			return true;
	return false;
}

/* An array of strings; *present says whether it was given. */
static int get_strings(const cJSON *json, const char *key, size_t max, enum item_rule rule,
                       bool strict, struct ccon_json_path *path, char ***out, size_t *n,
                       bool *present, struct ccon_error *err)
{
	const cJSON *arr, *item;
	size_t count, top, i = 0;

	if (ccon_json_get_array(json, key, CCON_JSON_OPTIONAL, path, &arr, err) < 0)
		return -1;
	*present = arr != NULL;
	if (!arr)
		return 0;
	count = (size_t)cJSON_GetArraySize(arr);
	if (strict && count > max)
		return fail_at(err, key, CCON_E_JSON_LENGTH, 0, "%zu items, at most %zu allowed",
		               count, max);
	if (count == 0)
		return 0;
	*out = calloc(count, sizeof(**out));
	if (!*out)
		return nomem(err);
	top = ccon_json_path_push_key(path, key);
	cJSON_ArrayForEach(item, arr) {
		size_t old = ccon_json_path_push_index(path, i);

		if (ccon_json_expect(item, cJSON_String, path, err) < 0 ||
		    (strict && check_item(item->valuestring, path->buf, rule, err) < 0))
			return -1;
		if (strict && seen_before(*out, i, item->valuestring))
			return fail_at(err, path->buf, CCON_E_JSON_VALUE, 0,
			               "\"%.64s\" is given twice", item->valuestring);
		ccon_json_path_pop(path, old);
		(*out)[i] = strdup(item->valuestring);
		if (!(*out)[i])
			return nomem(err);
		*n = ++i;
	}
	ccon_json_path_pop(path, top);
	return 0;
}

static int decode_type(const cJSON *json, struct ccon_json_path *path,
                       enum ccon_campaign_type *out, struct ccon_error *err)
{
	const char *s;

	*out = CCON_CAMPAIGN_BATCH;
	if (ccon_json_get_string(json, "campaignType", CCON_JSON_OPTIONAL, path, &s, err) < 0)
		return -1;
	if (s && ccon_campaign_type_parse(s, out) < 0)
		return fail_at(err, "campaignType", CCON_E_JSON_VALUE, 0,
		               "unknown campaign type \"%.40s\": expected Individual or Batch", s);
	return 0;
}

static int decode_channel(const cJSON *json, struct ccon_json_path *path, bool strict,
                          char **out, struct ccon_error *err)
{
	enum ccon_rest_channel ch;

	if (get_text(json, "channel", CCON_JSON_REQUIRED, 0, false, path, out, err) < 0)
		return -1;
	if (!strict)
		return 0;
	if (ccon_rest_channel_parse(*out, &ch) < 0)
		return fail_at(err, "channel", CCON_E_JSON_VALUE, 0,
		               "unknown channel \"%.40s\": expected whatsapp, sms or rcs", *out);
	/* same length, lower case */
	snprintf(*out, strlen(*out) + 1, "%s", ccon_rest_channel_name(ch));
	return 0;
}

/* What each channel needs and refuses. */
static int check_channel_rules(const struct ccon_rest_campaign *c, struct ccon_error *err)
{
	bool whatsapp = strcmp(c->channel, "whatsapp") == 0;

	if (whatsapp && !c->template_name)
		return fail_at(err, "templateName", CCON_E_JSON_REQUIRED, 0,
		               "a whatsapp campaign needs its templateName");
	if (!whatsapp && c->template_name)
		return fail_at(err, "templateName", CCON_E_JSON_VALUE, 0,
		               "templateName is for whatsapp campaigns; %s campaigns send their "
		               "templateBody", c->channel);
	if (!whatsapp && !c->template_body)
		return fail_at(err, "templateBody", CCON_E_JSON_REQUIRED, 0,
		               "a %s campaign needs its templateBody", c->channel);
	if (c->template_body && c->has_template_params)
		return fail_at(err, "templateParams", CCON_E_JSON_VALUE, 0,
		               "give templateParams only without templateBody: the body's "
		               "variables are the parameters");
	return 0;
}

static const struct {
	const char *key;
	size_t offset;
} plain_fields[] = {
	{ "flowId", offsetof(struct ccon_rest_campaign, flow_id) },
	{ "stateId", offsetof(struct ccon_rest_campaign, state_id) },
	{ "masterState", offsetof(struct ccon_rest_campaign, master_state) },
	{ "sourceApplication", offsetof(struct ccon_rest_campaign, source_application) },
	{ "campaignSender", offsetof(struct ccon_rest_campaign, campaign_sender) },
};

#define N_PLAIN (sizeof(plain_fields) / sizeof(plain_fields[0]))

static char **plain(struct ccon_rest_campaign *c, size_t i)
{
	return (char **)((char *)c + plain_fields[i].offset);
}

static const char *cplain(const struct ccon_rest_campaign *c, size_t i)
{
	return *(char *const *)((const char *)c + plain_fields[i].offset);
}

static int decode_strings(const cJSON *json, struct ccon_json_path *path, bool strict,
                          struct ccon_rest_campaign *c, struct ccon_error *err)
{
	bool have_tags;

	if (get_text(json, "name", CCON_JSON_REQUIRED, 0, false, path, &c->name, err) < 0 ||
	    (strict && check_name(c->name, err) < 0) ||
	    decode_channel(json, path, strict, &c->channel, err) < 0 ||
	    decode_type(json, path, &c->type, err) < 0 ||
	    get_text(json, "templateName", CCON_JSON_OPTIONAL, 0, false, path, &c->template_name,
	             err) < 0 ||
	    (strict && c->template_name && check_template_name(c->template_name, err) < 0) ||
	    get_text(json, "templateBody", CCON_JSON_OPTIONAL, 0, false, path, &c->template_body,
	             err) < 0 ||
	    (strict && c->template_body && check_template_body(c->template_body, err) < 0) ||
	    get_strings(json, "templateParams", CCON_REST_CAMPAIGN_PARAMS_MAX, ITEM_VARIABLE,
	                strict, path, &c->template_params, &c->n_template_params,
	                &c->has_template_params, err) < 0 ||
	    get_text(json, "language", CCON_JSON_OPTIONAL, 0, false, path, &c->language, err) < 0 ||
	    (strict && c->language && check_language(c->language, err) < 0))
		return -1;
	for (size_t i = 0; i < N_PLAIN; i++)
		if (get_text(json, plain_fields[i].key, CCON_JSON_OPTIONAL,
		             CCON_REST_CAMPAIGN_TEXT_MAX, strict, path, plain(c, i), err) < 0)
			return -1;
	return get_strings(json, "tags", CCON_REST_CAMPAIGN_TAGS_MAX, ITEM_TAG, strict, path,
	                   &c->tags, &c->n_tags, &have_tags, err);
}

static int decode_def(const cJSON *json, bool strict, struct ccon_rest_campaign *out,
                      struct ccon_error *err)
{
	struct ccon_json_path path;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(json, cJSON_Object, &path, err) < 0 ||
	    decode_strings(json, &path, strict, out, err) < 0 ||
	    (strict && check_channel_rules(out, err) < 0)) {
		ccon_rest_campaign_free(out);
		return -1;
	}
	return 0;
}

int ccon_rest_campaign_decode(const cJSON *json, struct ccon_rest_campaign *out,
                              struct ccon_error *err)
{
	return decode_def(json, true, out, err);
}

int ccon_rest_campaign_parse(const char *text, size_t len, struct ccon_rest_campaign *out,
                             struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_rest_campaign_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

int ccon_rest_campaign_variables(const struct ccon_rest_campaign *c,
                                 struct ccon_template_vars *out, struct ccon_error *err)
{
	out->names = NULL;
	out->count = 0;
	if (c->template_body) {
		if (ccon_template_variables(c->template_body, out, err) < 0) {
			ccon_error_at_path(err, "templateBody");
			return -1;
		}
		return 0;
	}
	if (c->n_template_params == 0)
		return 0;
	out->names = calloc(c->n_template_params, sizeof(*out->names));
	if (!out->names)
		return nomem(err);
	for (size_t i = 0; i < c->n_template_params; i++) {
		out->names[i] = strdup(c->template_params[i]);
		if (!out->names[i]) {
			ccon_template_vars_free(out);
			return nomem(err);
		}
		out->count = i + 1;
	}
	return 0;
}

/* ------------------------------------------------------------- encoding */

static cJSON *string_array(char *const *items, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < n; i++) {
		if (!cJSON_AddItemToArray(arr, cJSON_CreateString(items[i]))) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static int add_array(cJSON *obj, const char *key, char *const *items, size_t n)
{
	cJSON *arr = string_array(items, n);

	if (!arr || !cJSON_AddItemToObject(obj, key, arr)) {
		cJSON_Delete(arr);
		return -1;
	}
	return 0;
}

static int encode_into(cJSON *json, const struct ccon_rest_campaign *c)
{
	if (ccon_json_add_string_opt(json, "name", c->name) < 0 ||
	    ccon_json_add_string_opt(json, "channel", c->channel) < 0 ||
	    !cJSON_AddStringToObject(json, "campaignType", ccon_campaign_type_name(c->type)) ||
	    ccon_json_add_string_opt(json, "templateName", c->template_name) < 0 ||
	    ccon_json_add_string_opt(json, "templateBody", c->template_body) < 0 ||
	    (c->has_template_params &&
	     add_array(json, "templateParams", c->template_params, c->n_template_params) < 0) ||
	    ccon_json_add_string_opt(json, "language", c->language) < 0)
		return -1;
	for (size_t i = 0; i < N_PLAIN; i++)
		if (ccon_json_add_string_opt(json, plain_fields[i].key, cplain(c, i)) < 0)
			return -1;
	return add_array(json, "tags", c->tags, c->n_tags);
}

int ccon_rest_campaign_encode(const struct ccon_rest_campaign *c, cJSON **out)
{
	cJSON *json = cJSON_CreateObject();

	*out = NULL;
	if (!json || encode_into(json, c) < 0) {
		cJSON_Delete(json);
		return -1;
	}
	*out = json;
	return 0;
}

/* ------------------------------------------------------------- the answer */

void ccon_rest_campaign_info_free(struct ccon_rest_campaign_info *ci)
{
	if (!ci)
		return;
	ccon_rest_campaign_free(&ci->def);
	free(ci->origin);
	memset(ci, 0, sizeof(*ci));
}

int ccon_rest_campaign_info_decode(const cJSON *json, struct ccon_rest_campaign_info *out,
                                   struct ccon_error *err)
{
	struct ccon_json_path path;
	const char *created;
	bool present;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(json, cJSON_Object, &path, err) < 0 ||
	    ccon_json_get_int64(json, "id", CCON_JSON_REQUIRED, &path, &out->id, &present, err) < 0)
		return -1;
	if (out->id < 1)
		return fail_at(err, "id", CCON_E_JSON_RANGE, 0, "an id is a whole number from 1");
	if (ccon_json_get_string(json, "created", CCON_JSON_REQUIRED, &path, &created, err) < 0)
		return -1;
	if (ccon_datetime_parse(created, &out->created_us, err) < 0) {
		ccon_error_at_path(err, "created");
		return -1;
	}
	if (decode_def(json, false, &out->def, err) < 0)
		return -1;
	if (get_text(json, "origin", CCON_JSON_OPTIONAL, 0, false, &path, &out->origin, err) < 0) {
		ccon_rest_campaign_info_free(out);
		return -1;
	}
	return 0;
}

int ccon_rest_campaign_info_parse(const char *text, size_t len,
                                  struct ccon_rest_campaign_info *out, struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_rest_campaign_info_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

static int add_variables(cJSON *json, const struct ccon_rest_campaign *c)
{
	struct ccon_template_vars vars;
	struct ccon_error e;
	int rc;

	ccon_error_clear(&e);
	/* a stored body that does not parse has no known variables; out of
	 * memory is an error, not an answer without them */
	if (ccon_rest_campaign_variables(c, &vars, &e) < 0)
		return e.code == CCON_E_NOMEM ? -1 : 0;
	rc = add_array(json, "variables", vars.names, vars.count);
	ccon_template_vars_free(&vars);
	return rc;
}

int ccon_rest_campaign_info_encode(const struct ccon_rest_campaign_info *ci, cJSON **out)
{
	char created[CCON_DATETIME_FORMAT_MAX];
	cJSON *json;

	*out = NULL;
	if (ccon_datetime_format(ci->created_us, created, sizeof(created), NULL) < 0)
		return -1;
	json = cJSON_CreateObject();
	if (!json || !cJSON_AddNumberToObject(json, "id", (double)ci->id) ||
	    encode_into(json, &ci->def) < 0 || add_variables(json, &ci->def) < 0 ||
	    ccon_json_add_string_opt(json, "origin", ci->origin) < 0 ||
	    !cJSON_AddStringToObject(json, "created", created)) {
		cJSON_Delete(json);
		return -1;
	}
	*out = json;
	return 0;
}
