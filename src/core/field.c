#include "config.h"

#include <ccon/field.h>

#include <ccon/utf8.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ccon_fields_add(struct ccon_fields *f, const char *name, const char *value, size_t value_len)
{
	struct ccon_field *items;
	char *n, *v;

	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4;

		items = realloc(f->items, cap * sizeof(*items));
		if (!items)
			return -1;
		f->items = items;
		f->cap = cap;
	}
	n = strdup(name);
	v = malloc(value_len + 1);
	if (!n || !v) {
		free(n);
		free(v);
		return -1;
	}
	memcpy(v, value, value_len);
	v[value_len] = '\0';
	f->items[f->count].name = n;
	f->items[f->count].value = v;
	f->count++;
	return 0;
}

const char *ccon_fields_get(const struct ccon_fields *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return f->items[i].value;
	return NULL;
}

size_t ccon_fields_index(const struct ccon_fields *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return i;
	return CCON_FIELDS_NONE;
}

int ccon_fields_replace(struct ccon_fields *f, size_t i, const char *value)
{
	char *v = strdup(value);

	if (!v)
		return -1;
	free(f->items[i].value);
	f->items[i].value = v;
	return 0;
}

void ccon_fields_remove(struct ccon_fields *f, size_t i)
{
	free(f->items[i].name);
	free(f->items[i].value);
	memmove(f->items + i, f->items + i + 1, (f->count - i - 1) * sizeof(*f->items));
	f->count--;
}

int ccon_fields_set(struct ccon_fields *f, const char *name, const char *value)
{
	size_t i = ccon_fields_index(f, name);

	if (!value) {
		if (i != CCON_FIELDS_NONE)
			ccon_fields_remove(f, i);
		return 0;
	}
	if (i == CCON_FIELDS_NONE)
		return ccon_fields_add(f, name, value, strlen(value));
	return ccon_fields_replace(f, i, value);
}

void ccon_fields_free(struct ccon_fields *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].name);
		free(f->items[i].value);
	}
	free(f->items);
	f->items = NULL;
	f->count = f->cap = 0;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int pair_fail(struct ccon_error *err, const char *s, const char *at, const char *why)
{
	ccon_error_set(err, CCON_E_JSON_VALUE, "%s", why);
	ccon_error_at_column(err, (long)ccon_utf8_length(s, (size_t)(at - s)) + 1);
	return -1;
}

/* The end of the value at v: its JSON's end for { or [, else the ';'
 * (blanks before it dropped). NULL with *bad where the JSON broke. */
static const char *value_end(const char *v, const char **bad)
{
	const char *ve = NULL;

	*bad = v;
	if (*v == '{' || *v == '[') {
		cJSON *j = cJSON_ParseWithOpts(v, &ve, false);

		if (!j) {
			if (ve)
				*bad = ve;
			return NULL;
		}
		cJSON_Delete(j);
		return ve;
	}
	ve = v + strcspn(v, ";");
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	return ve;
}

static int pair_add(struct ccon_fields *out, const char *s, const char *name, size_t name_len,
                    const char *v, size_t v_len, struct ccon_error *err)
{
	char *key = strndup(name, name_len);
	int rc;

	if (!key)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (ccon_fields_get(out, key)) {
		char why[96];

		snprintf(why, sizeof(why), "the context variable \"%.40s\" is given twice", key);
		rc = pair_fail(err, s, name, why);
	} else if ((rc = ccon_fields_add(out, key, v, v_len)) < 0) {
		ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	free(key);
	return rc;
}

int ccon_fields_parse_pairs(const char *text, struct ccon_fields *out, struct ccon_error *err)
{
	const char *p = skip_blanks(text);

	while (*p) {
		const char *name = p, *eq = p + strcspn(p, "=;"), *ne = eq, *v, *ve, *bad;

		if (*eq != '=')
			return pair_fail(err, text, eq, "expected name=value");
		while (ne > name && (ne[-1] == ' ' || ne[-1] == '\t'))
			ne--;
		if (ne == name)
			return pair_fail(err, text, name, "a context variable needs a name before '='");
		v = skip_blanks(eq + 1);
		if (!(ve = value_end(v, &bad)))
			return pair_fail(err, text, bad, "the JSON value does not parse here");
		if (pair_add(out, text, name, (size_t)(ne - name), v, (size_t)(ve - v), err) < 0)
			return -1;
		p = skip_blanks(ve);
		if (*p == ';')
			p = skip_blanks(p + 1);
		else if (*p)
			return pair_fail(err, text, p, "expected ';' after the value");
	}
	return 0;
}

int ccon_fields_format_pairs(const struct ccon_fields *f, struct ccon_strbuf *sb)
{
	for (size_t i = 0; i < f->count; i++)
		if (ccon_strbuf_printf(sb, "%s%s=%s", i ? "; " : "", f->items[i].name,
		                       f->items[i].value) < 0)
			return -1;
	return 0;
}
