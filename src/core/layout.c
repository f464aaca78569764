#include "config.h"

#include <ccon/layout.h>

#include <ccon/contact.h>
#include <ccon/field.h>
#include <ccon/json_util.h>
#include <ccon/strbuf.h>
#include <ccon/template.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ccon_layout_free(struct ccon_layout *l)
{
	if (!l)
		return;
	free(l->contact_code.tmpl);
	free(l->channel_type.tmpl);
	for (size_t i = 0; i < l->n_custom_fields; i++) {
		free(l->custom_fields[i].name);
		free(l->custom_fields[i].value.tmpl);
	}
	free(l->custom_fields);
	for (size_t i = 0; i < l->n_parts; i++)
		free(l->parts[i].text);
	free(l->parts);
	memset(l, 0, sizeof(*l));
}

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int add_part(struct ccon_layout *l, bool variable, const char *s, size_t n)
{
	struct ccon_layout_part *p;

	if ((l->n_parts & (l->n_parts - 1)) == 0) { /* grow at 0, 1, 2, 4, 8, ... */
		p = realloc(l->parts, (l->n_parts ? l->n_parts * 2 : 4) * sizeof(*p));
		if (!p)
			return -1;
		l->parts = p;
	}
	p = &l->parts[l->n_parts];
	p->text = dup_n(s, n);
	if (!p->text)
		return -1;
	p->variable = variable;
	p->len = n;
	l->n_parts++;
	return 0;
}

/* Compiles tmpl into parts of l; err->path is set to path on any error. */
static int compile_value(struct ccon_layout *l, const char *tmpl, const char *path,
                         struct ccon_layout_value *v, struct ccon_error *err)
{
	struct ccon_template_token tok;
	size_t pos = 0;

	v->tmpl = dup_n(tmpl, strlen(tmpl));
	if (!v->tmpl)
		return nomem(err);
	v->first = l->n_parts;
	v->count = 0;
	for (;;) {
		if (ccon_template_next(v->tmpl, &pos, &tok, err) < 0) {
			ccon_error_at_path(err, path);
			return -1;
		}
		if (tok.kind == CCON_TEMPLATE_END)
			break;
		if (tok.len == 0)
			continue;
		if (add_part(l, tok.kind == CCON_TEMPLATE_VARIABLE, tok.start, tok.len) < 0)
			return nomem(err);
		v->count++;
	}
	return 0;
}

static int compile_contact(struct ccon_layout *l, const char *code, const char *channel,
                           struct ccon_error *err)
{
	enum ccon_channel_type ch;

	if (!*code) {
		ccon_error_at_path(err, "contact.contactCode");
		return ccon_error_set(err, CCON_E_LAYOUT_INVALID,
		                      "contactCode is empty: give a column (\"{{contactCode}}\")");
	}
	if (!*channel) {
		ccon_error_at_path(err, "contact.channelType");
		return ccon_error_set(err, CCON_E_LAYOUT_INVALID,
		                      "channelType is empty: give a value (\"cloud_api\") or a "
		                      "column (\"{{channelType}}\")");
	}
	if (compile_value(l, code, "contact.contactCode", &l->contact_code, err) < 0 ||
	    compile_value(l, channel, "contact.channelType", &l->channel_type, err) < 0)
		return -1;
	/* a fixed channel can be checked now rather than on every row */
	if (ccon_layout_value_fixed(l, &l->channel_type) &&
	    ccon_channel_type_parse(channel, &ch, err) < 0) {
		ccon_error_at_path(err, "contact.channelType");
		return -1;
	}
	return 0;
}

static int compile_custom(struct ccon_layout *l, const char *const *names,
                          const char *const *values, size_t n, struct ccon_error *err)
{
	char path[CCON_ERROR_PATH_MAX];

	if (n == 0)
		return 0;
	l->custom_fields = calloc(n, sizeof(*l->custom_fields));
	if (!l->custom_fields)
		return nomem(err);
	for (size_t i = 0; i < n; i++) {
		struct ccon_layout_field *f = &l->custom_fields[i];
		size_t len = strlen(names[i]);

		snprintf(path, sizeof(path), "customFields.%s", names[i]);
		if (!ccon_custom_field_name_valid(names[i], len)) {
			ccon_error_at_path(err, path);
			return ccon_error_set(err, CCON_E_CUSTOM_FIELD_NAME,
			                      "custom field names are 1 to %d letters, digits or '_'",
			                      CCON_CUSTOM_FIELD_NAME_MAX);
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(l->custom_fields[j].name, names[i]) == 0) {
				ccon_error_at_path(err, path);
				return ccon_error_set(err, CCON_E_CUSTOM_FIELD_NAME,
				                      "custom field \"%s\" is defined twice", names[i]);
			}
		}
		f->name = dup_n(names[i], len);
		l->n_custom_fields++;
		if (!f->name)
			return nomem(err);
		if (compile_value(l, values[i], path, &f->value, err) < 0)
			return -1;
	}
	return 0;
}

int ccon_layout_build(const char *contact_code, const char *channel_type,
                      const char *const *custom_names, const char *const *custom_values,
                      size_t n_custom, struct ccon_layout *out, struct ccon_error *err)
{
	struct ccon_layout l = CCON_LAYOUT_INIT;

	memset(out, 0, sizeof(*out));
	if (!contact_code || !channel_type || (n_custom && (!custom_names || !custom_values)))
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "layout without contact fields");
	if (compile_contact(&l, contact_code, channel_type, err) < 0 ||
	    compile_custom(&l, custom_names, custom_values, n_custom, err) < 0) {
		ccon_layout_free(&l);
		return -1;
	}
	*out = l;
	return 0;
}

int ccon_layout_decode(const cJSON *json, struct ccon_layout *out, struct ccon_error *err)
{
	struct ccon_fields fields = CCON_FIELDS_INIT;
	struct ccon_json_path path;
	const cJSON *contact;
	const char *code, *channel;
	const char **names = NULL, **values = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(json, cJSON_Object, &path, err) < 0 ||
	    ccon_json_get_object(json, "contact", CCON_JSON_REQUIRED, &path, &contact, err) < 0)
		return -1;
	ccon_json_path_init(&path, "contact");
	if (ccon_json_get_string(contact, "contactCode", CCON_JSON_REQUIRED, &path, &code, err) < 0 ||
	    ccon_json_get_string(contact, "channelType", CCON_JSON_REQUIRED, &path, &channel,
	                         err) < 0)
		return -1;
	ccon_json_path_init(&path, "");
	if (ccon_json_get_fields(json, "customFields", CCON_JSON_OPTIONAL, &path, false, &fields,
	                         err) < 0)
		goto out;
	if (fields.count) {
		names = calloc(fields.count, sizeof(*names));
		values = calloc(fields.count, sizeof(*values));
		if (!names || !values) {
			nomem(err);
			goto out;
		}
		for (size_t i = 0; i < fields.count; i++) {
			names[i] = fields.items[i].name;
			values[i] = fields.items[i].value;
		}
	}
	rc = ccon_layout_build(code, channel, names, values, fields.count, out, err);
out:
	free(names);
	free(values);
	ccon_fields_free(&fields);
	return rc;
}

int ccon_layout_parse(const char *text, size_t len, struct ccon_layout *out,
                      struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_layout_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

int ccon_layout_encode(const struct ccon_layout *l, cJSON **out)
{
	cJSON *root = cJSON_CreateObject(), *contact, *custom;

	*out = NULL;
	if (!root)
		return -1;
	contact = cJSON_AddObjectToObject(root, "contact");
	if (!contact || !cJSON_AddStringToObject(contact, "contactCode", l->contact_code.tmpl) ||
	    !cJSON_AddStringToObject(contact, "channelType", l->channel_type.tmpl))
		goto fail;
	if (l->n_custom_fields) {
		custom = cJSON_AddObjectToObject(root, "customFields");
		if (!custom)
			goto fail;
		for (size_t i = 0; i < l->n_custom_fields; i++)
			if (!cJSON_AddStringToObject(custom, l->custom_fields[i].name,
			                             l->custom_fields[i].value.tmpl))
				goto fail;
	}
	*out = root;
	return 0;
fail:
	cJSON_Delete(root);
	return -1;
}

const char *ccon_layout_value_path(const struct ccon_layout *l, const struct ccon_layout_value *v,
                                   char *buf, size_t size)
{
	snprintf(buf, size, "?");
	if (v == &l->contact_code)
		snprintf(buf, size, "contact.contactCode");
	else if (v == &l->channel_type)
		snprintf(buf, size, "contact.channelType");
	for (size_t i = 0; i < l->n_custom_fields; i++)
		if (v == &l->custom_fields[i].value)
			snprintf(buf, size, "customFields.%s", l->custom_fields[i].name);
	return buf;
}

bool ccon_layout_value_fixed(const struct ccon_layout *l, const struct ccon_layout_value *v)
{
	for (size_t i = v->first; i < v->first + v->count; i++)
		if (l->parts[i].variable)
			return false;
	return true;
}

static size_t find_column(const char *name, size_t len, const char *const *columns, size_t n)
{
	for (size_t c = 0; c < n; c++)
		if (columns[c] && strlen(columns[c]) == len && memcmp(columns[c], name, len) == 0)
			return c;
	return CCON_LAYOUT_LITERAL;
}

/* Appends " name (path)" for every missing variable of v; counts them. */
static int note_missing(const struct ccon_layout *l, const struct ccon_layout_value *v,
                        const char *const *columns, size_t n_columns, size_t *part_columns,
                        struct ccon_strbuf *msg, size_t *missing, char *first_path,
                        size_t first_size)
{
	char path[CCON_ERROR_PATH_MAX];

	for (size_t i = v->first; i < v->first + v->count; i++) {
		const struct ccon_layout_part *p = &l->parts[i];

		part_columns[i] = CCON_LAYOUT_LITERAL;
		if (!p->variable)
			continue;
		part_columns[i] = find_column(p->text, p->len, columns, n_columns);
		if (part_columns[i] != CCON_LAYOUT_LITERAL)
			continue;
		ccon_layout_value_path(l, v, path, sizeof(path));
		if ((*missing)++ == 0)
			snprintf(first_path, first_size, "%s", path);
		if (ccon_strbuf_printf(msg, "%s\"%s\" (%s)", *missing > 1 ? ", " : "", p->text,
		                       path) < 0)
			return -1;
	}
	return 0;
}

int ccon_layout_bind(const struct ccon_layout *l, const char *const *columns, size_t n_columns,
                     size_t *part_columns, struct ccon_error *err)
{
	struct ccon_strbuf msg = CCON_STRBUF_INIT;
	char first_path[CCON_ERROR_PATH_MAX] = "";
	size_t missing = 0;
	int rc = -1;

	if (note_missing(l, &l->contact_code, columns, n_columns, part_columns, &msg, &missing,
	                 first_path, sizeof(first_path)) < 0 ||
	    note_missing(l, &l->channel_type, columns, n_columns, part_columns, &msg, &missing,
	                 first_path, sizeof(first_path)) < 0)
		goto out;
	for (size_t i = 0; i < l->n_custom_fields; i++)
		if (note_missing(l, &l->custom_fields[i].value, columns, n_columns, part_columns,
		                 &msg, &missing, first_path, sizeof(first_path)) < 0)
			goto out;
	if (missing == 0) {
		rc = 0;
		goto out;
	}
	if (ccon_strbuf_puts(&msg, n_columns ? "; the CSV header has: " : "; the CSV header is empty") < 0)
		goto out;
	for (size_t c = 0; c < n_columns; c++)
		if (ccon_strbuf_printf(&msg, "%s%s", c ? ", " : "", columns[c] ? columns[c] : "") < 0)
			goto out;
	ccon_error_at_path(err, first_path);
	ccon_error_set(err, CCON_E_LAYOUT_NO_COLUMN, "no CSV column for layout variable%s %s",
	               missing > 1 ? "s" : "", ccon_strbuf_cstr(&msg));
	ccon_strbuf_free(&msg);
	return -1;
out:
	if (rc < 0)
		nomem(err);
	ccon_strbuf_free(&msg);
	return rc;
}
