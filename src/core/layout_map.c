#include "config.h"

#include <ccon/layout_map.h>

#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LAYOUT_FILE_MAX (1024 * 1024)

struct slot {
	char *name;                  /* custom fields only */
	bool from_var;
	struct ccon_map_value v;
};

struct ccon_layout_map {
	char **columns;
	size_t n_columns;
	char **vars;
	size_t n_vars;
	struct slot *slots;          /* [0] contactCode, [1] channelType, custom */
	size_t n_slots;
};

static int nomem(struct ccon_error *err)
{
	ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return -1;
}

static void free_strings(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

static char **copy_strings(const char *const *s, size_t n)
{
	char **out = calloc(n ? n : 1, sizeof(*out));

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(out[i] = strdup(s[i] ? s[i] : ""))) {
			free_strings(out, i);
			return NULL;
		}
	return out;
}

static void free_slots(struct slot *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].name);
		free(s[i].v.text);
	}
	free(s);
}

void ccon_layout_map_free(struct ccon_layout_map *m)
{
	if (!m)
		return;
	free_strings(m->columns, m->n_columns);
	free_strings(m->vars, m->n_vars);
	free_slots(m->slots, m->n_slots);
	free(m);
}

/* ------------------------------------------------------------ columns */

int ccon_layout_map_set_columns(struct ccon_layout_map *m, const char *const *columns,
                                size_t n_columns, struct ccon_error *err)
{
	char **c = copy_strings(columns, n_columns);

	if (!c)
		return nomem(err);
	free_strings(m->columns, m->n_columns);
	m->columns = c;
	m->n_columns = n_columns;
	return 0;
}

const char *const *ccon_layout_map_columns(const struct ccon_layout_map *m, size_t *n)
{
	*n = m->n_columns;
	return (const char *const *)m->columns;
}

size_t ccon_layout_map_column_index(const struct ccon_layout_map *m, const char *name)
{
	for (size_t i = 0; i < m->n_columns; i++)
		if (strcmp(m->columns[i], name) == 0)
			return i;
	return SIZE_MAX;
}

static size_t column_nocase(const struct ccon_layout_map *m, const char *name)
{
	for (size_t i = 0; i < m->n_columns; i++)
		if (strcasecmp(m->columns[i], name) == 0)
			return i;
	return SIZE_MAX;
}

/* ------------------------------------------------------------ slots */

static int set_value(struct slot *s, enum ccon_map_kind kind, const char *text)
{
	char *t = NULL;

	if (kind != CCON_MAP_UNSET && !(t = strdup(text)))
		return -1;
	free(s->v.text);
	s->v.kind = kind;
	s->v.text = t;
	return 0;
}

static int guess(struct ccon_layout_map *m, struct slot *s, const char *name)
{
	size_t c = column_nocase(m, name);

	return c == SIZE_MAX ? 0 : set_value(s, CCON_MAP_COLUMN, m->columns[c]);
}

int ccon_layout_map_new(const char *const *columns, size_t n_columns,
                        const struct ccon_template_vars *vars, struct ccon_layout_map **out,
                        struct ccon_error *err)
{
	struct ccon_layout_map *m = calloc(1, sizeof(*m));
	size_t nv = vars ? vars->count : 0;

	*out = NULL;
	if (!m || !(m->columns = copy_strings(columns, n_columns)))
		goto oom;
	m->n_columns = n_columns;
	if (!(m->vars = copy_strings(nv ? (const char *const *)vars->names : NULL, nv)))
		goto oom;
	m->n_vars = nv;
	if (!(m->slots = calloc(CCON_MAP_FIRST_CUSTOM + nv, sizeof(*m->slots))))
		goto oom;
	m->n_slots = CCON_MAP_FIRST_CUSTOM;
	if (guess(m, &m->slots[0], "contactCode") < 0 || guess(m, &m->slots[1], "channelType") < 0)
		goto oom;
	if (m->slots[1].v.kind == CCON_MAP_UNSET &&
	    set_value(&m->slots[1], CCON_MAP_FIXED, "cloud_api") < 0)
		goto oom;
	for (size_t i = 0; i < nv; i++) {
		struct slot *s = &m->slots[m->n_slots];

		/* a variable that cannot name a custom field is left to the operator */
		if (!ccon_custom_field_name_valid(m->vars[i], strlen(m->vars[i])))
			continue;
		if (!(s->name = strdup(m->vars[i])))
			goto oom;
		s->from_var = true;
		m->n_slots++;
		if (guess(m, s, s->name) < 0)
			goto oom;
	}
	*out = m;
	return 0;
oom:
	ccon_layout_map_free(m);
	return nomem(err);
}

size_t ccon_layout_map_slots(const struct ccon_layout_map *m)
{
	return m->n_slots;
}

const struct ccon_map_value *ccon_layout_map_value(const struct ccon_layout_map *m, size_t slot)
{
	return slot < m->n_slots ? &m->slots[slot].v : NULL;
}

const char *ccon_layout_map_name(const struct ccon_layout_map *m, size_t slot)
{
	if (slot == CCON_MAP_CONTACT_CODE)
		return "contactCode";
	if (slot == CCON_MAP_CHANNEL_TYPE)
		return "channelType";
	return slot < m->n_slots ? m->slots[slot].name : "";
}

const char *ccon_layout_map_path(const struct ccon_layout_map *m, size_t slot, char *buf,
                                 size_t size)
{
	snprintf(buf, size, "%s.%s", slot < CCON_MAP_FIRST_CUSTOM ? "contact" : "customFields",
	         ccon_layout_map_name(m, slot));
	return buf;
}

bool ccon_layout_map_is_variable(const struct ccon_layout_map *m, size_t slot)
{
	return slot >= CCON_MAP_FIRST_CUSTOM && slot < m->n_slots && m->slots[slot].from_var;
}

static int bad_slot(struct ccon_error *err, size_t slot)
{
	return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no layout value %zu", slot);
}

int ccon_layout_map_set_column(struct ccon_layout_map *m, size_t slot, size_t column,
                               struct ccon_error *err)
{
	if (slot >= m->n_slots)
		return bad_slot(err, slot);
	if (column >= m->n_columns)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no column %zu (the header has %zu)",
		                      column + 1, m->n_columns);
	if (set_value(&m->slots[slot], CCON_MAP_COLUMN, m->columns[column]) < 0)
		return nomem(err);
	return 0;
}

void ccon_layout_map_unset(struct ccon_layout_map *m, size_t slot)
{
	if (slot < m->n_slots)
		set_value(&m->slots[slot], CCON_MAP_UNSET, NULL);
}

/* What text is as a layout value: *name gets the column of a lone
 * placeholder written "{{name}}". -1 on a syntax error. */
static int classify(const char *text, enum ccon_map_kind *kind, char **name,
                    struct ccon_error *err)
{
	struct ccon_template_token tok;
	size_t pos = 0, n_text = 0, n_var = 0;
	const char *var = NULL;
	size_t var_len = 0;

	*name = NULL;
	for (;;) {
		if (ccon_template_next(text, &pos, &tok, err) < 0)
			return -1;
		if (tok.kind == CCON_TEMPLATE_END)
			break;
		if (tok.kind == CCON_TEMPLATE_TEXT) {
			n_text += tok.len ? 1 : 0;
			continue;
		}
		n_var++;
		var = tok.start;
		var_len = tok.len;
	}
	if (n_var == 0) {
		*kind = CCON_MAP_FIXED;
		return 0;
	}
	/* only "{{x}}" exactly is a column: "{{ x }}" stays as written */
	if (n_var == 1 && n_text == 0 && var_len + 4 == strlen(text) && var == text + 2) {
		if (!(*name = malloc(var_len + 1)))
			return nomem(err);
		memcpy(*name, var, var_len);
		(*name)[var_len] = '\0';
		*kind = CCON_MAP_COLUMN;
		return 0;
	}
	*kind = CCON_MAP_TEMPLATE;
	return 0;
}

int ccon_layout_map_check(const struct ccon_layout_map *m, size_t slot, const char *text,
                          struct ccon_error *err)
{
	char path[CCON_ERROR_PATH_MAX];
	enum ccon_map_kind kind;
	enum ccon_channel_type ch;
	char *name = NULL;
	size_t len = strlen(text), bad;
	int rc = 0;

	if (slot >= m->n_slots)
		return bad_slot(err, slot);
	ccon_layout_map_path(m, slot, path, sizeof(path));
	if (classify(text, &kind, &name, err) < 0) {
		ccon_error_at_path(err, path);
		return -1;
	}
	free(name);
	if (slot < CCON_MAP_FIRST_CUSTOM && len == 0)
		rc = ccon_error_set(err, CCON_E_LAYOUT_INVALID, "%s cannot be empty",
		                    ccon_layout_map_name(m, slot));
	else if (slot == CCON_MAP_CHANNEL_TYPE && kind == CCON_MAP_FIXED)
		rc = ccon_channel_type_parse(text, &ch, err);
	else if (!ccon_utf8_valid(text, len, &bad))
		rc = ccon_error_set(err, CCON_E_CUSTOM_FIELD_VALUE, "not valid UTF-8 at byte %zu",
		                    bad + 1);
	else if (slot >= CCON_MAP_FIRST_CUSTOM && kind == CCON_MAP_FIXED &&
	         len > CCON_CUSTOM_FIELD_VALUE_MAX)
		rc = ccon_error_set(err, CCON_E_CUSTOM_FIELD_VALUE,
		                    "the value is %zu bytes long; at most %d are allowed", len,
		                    CCON_CUSTOM_FIELD_VALUE_MAX);
	if (rc < 0)
		ccon_error_at_path(err, path);
	return rc;
}

int ccon_layout_map_set_text(struct ccon_layout_map *m, size_t slot, const char *text,
                             struct ccon_error *err)
{
	enum ccon_map_kind kind;
	char *name = NULL;
	int rc;

	if (ccon_layout_map_check(m, slot, text, err) < 0 || classify(text, &kind, &name, err) < 0)
		return -1;
	rc = set_value(&m->slots[slot], kind, name ? name : text);
	free(name);
	return rc < 0 ? nomem(err) : 0;
}

int ccon_layout_map_set_fixed(struct ccon_layout_map *m, size_t slot, const char *text,
                              struct ccon_error *err)
{
	char path[CCON_ERROR_PATH_MAX];

	if (slot >= m->n_slots)
		return bad_slot(err, slot);
	if (strstr(text, "{{")) {
		ccon_error_at_path(err, ccon_layout_map_path(m, slot, path, sizeof(path)));
		ccon_error_at_column(err, (long)ccon_utf8_length(text, (size_t)(strstr(text, "{{") -
		                                                                     text)) + 1);
		return ccon_error_set(err, CCON_E_TEMPLATE_SYNTAX,
		                      "a fixed value cannot hold \"{{\": the layout would read a "
		                      "placeholder");
	}
	if (ccon_layout_map_check(m, slot, text, err) < 0)
		return -1;
	return set_value(&m->slots[slot], CCON_MAP_FIXED, text) < 0 ? nomem(err) : 0;
}

int ccon_layout_map_add_field(struct ccon_layout_map *m, const char *name, size_t *slot,
                              struct ccon_error *err)
{
	struct slot *s;
	char path[CCON_ERROR_PATH_MAX];

	snprintf(path, sizeof(path), "customFields.%s", name);
	if (!ccon_custom_field_name_valid(name, strlen(name))) {
		ccon_error_at_path(err, path);
		return ccon_error_set(err, CCON_E_CUSTOM_FIELD_NAME,
		                      "custom field names are 1 to %d letters, digits or '_'",
		                      CCON_CUSTOM_FIELD_NAME_MAX);
	}
	for (size_t i = CCON_MAP_FIRST_CUSTOM; i < m->n_slots; i++)
		if (strcmp(m->slots[i].name, name) == 0) {
			ccon_error_at_path(err, path);
			return ccon_error_set(err, CCON_E_CUSTOM_FIELD_NAME,
			                      "there is a custom field \"%s\" already", name);
		}
	s = realloc(m->slots, (m->n_slots + 1) * sizeof(*s));
	if (!s)
		return nomem(err);
	m->slots = s;
	s = &m->slots[m->n_slots];
	memset(s, 0, sizeof(*s));
	if (!(s->name = strdup(name)))
		return nomem(err);
	for (size_t i = 0; i < m->n_vars; i++)
		if (strcmp(m->vars[i], name) == 0)
			s->from_var = true;
	if (slot)
		*slot = m->n_slots;
	m->n_slots++;
	return 0;
}

int ccon_layout_map_remove_field(struct ccon_layout_map *m, size_t slot, struct ccon_error *err)
{
	if (slot < CCON_MAP_FIRST_CUSTOM || slot >= m->n_slots)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "only a custom field can be removed");
	free(m->slots[slot].name);
	free(m->slots[slot].v.text);
	memmove(&m->slots[slot], &m->slots[slot + 1], (m->n_slots - slot - 1) * sizeof(*m->slots));
	m->n_slots--;
	return 0;
}

size_t ccon_layout_map_field(const struct ccon_layout_map *m, const char *name)
{
	for (size_t i = CCON_MAP_FIRST_CUSTOM; i < m->n_slots; i++)
		if (strcmp(m->slots[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

static bool is_var(char *const *vars, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(vars[i], name) == 0)
			return true;
	return false;
}

int ccon_layout_map_set_vars(struct ccon_layout_map *m, const struct ccon_template_vars *vars,
                             struct ccon_error *err)
{
	size_t nv = vars ? vars->count : 0, n = m->n_slots;
	char **v = copy_strings(nv ? (const char *const *)vars->names : NULL, nv);
	struct slot *s;

	if (!v)
		return nomem(err);
	/* the new slots are made aside, so that a failure changes nothing */
	if (!(s = calloc(m->n_slots + nv, sizeof(*s)))) {
		free_strings(v, nv);
		return nomem(err);
	}
	for (size_t i = 0; i < nv; i++) {
		struct slot *d = &s[n];

		if (!ccon_custom_field_name_valid(v[i], strlen(v[i])) ||
		    ccon_layout_map_field(m, v[i]) != SIZE_MAX || is_var(v, i, v[i]))
			continue;
		if (!(d->name = strdup(v[i])) || guess(m, d, d->name) < 0) {
			free_slots(s, n + 1);
			free_strings(v, nv);
			return nomem(err);
		}
		d->from_var = true;
		n++;
	}
	memcpy(s, m->slots, m->n_slots * sizeof(*s));
	for (size_t i = CCON_MAP_FIRST_CUSTOM; i < m->n_slots; i++)
		s[i].from_var = is_var(v, nv, s[i].name);
	free(m->slots);
	m->slots = s;
	m->n_slots = n;
	free_strings(m->vars, m->n_vars);
	m->vars = v;
	m->n_vars = nv;
	return 0;
}

size_t ccon_layout_map_missing_vars(const struct ccon_layout_map *m, struct ccon_strbuf *out)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_vars; i++) {
		bool found = false;

		for (size_t j = CCON_MAP_FIRST_CUSTOM; j < m->n_slots && !found; j++)
			found = strcmp(m->slots[j].name, m->vars[i]) == 0;
		if (found)
			continue;
		if (out)
			ccon_strbuf_printf(out, "%s%s", n ? ", " : "", m->vars[i]);
		n++;
	}
	return n;
}

/* ------------------------------------------------------------ layouts */

/* The template of a value: "{{x}}" for a column. */
static char *value_template(const struct ccon_map_value *v)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	if (v->kind == CCON_MAP_COLUMN) {
		if (ccon_strbuf_printf(&sb, "{{%s}}", v->text) < 0) {
			ccon_strbuf_free(&sb);
			return NULL;
		}
		return ccon_strbuf_detach(&sb);
	}
	return strdup(v->kind == CCON_MAP_UNSET ? "" : v->text);
}

/* Builds the layout; with lenient, an unset slot is built as "" for a
 * custom field and left out of nothing (the resolver reports it). */
static int build(const struct ccon_layout_map *m, bool lenient, struct ccon_layout *out,
                 struct ccon_error *err)
{
	size_t n = m->n_slots;
	char **tmpl = calloc(n, sizeof(*tmpl));
	const char **names = calloc(n, sizeof(*names));
	char path[CCON_ERROR_PATH_MAX];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!tmpl || !names) {
		nomem(err);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ccon_map_value *v = &m->slots[i].v;

		if (v->kind == CCON_MAP_UNSET && !lenient) {
			ccon_error_at_path(err, ccon_layout_map_path(m, i, path, sizeof(path)));
			ccon_error_set(err, CCON_E_LAYOUT_INVALID, "choose a column or a fixed value");
			goto done;
		}
		if (v->kind == CCON_MAP_UNSET && i < CCON_MAP_FIRST_CUSTOM)
			tmpl[i] = strdup(i == CCON_MAP_CHANNEL_TYPE ? "cloud_api" : "-");
		else
			tmpl[i] = value_template(v);
		if (!tmpl[i]) {
			nomem(err);
			goto done;
		}
		names[i] = m->slots[i].name;
	}
	rc = ccon_layout_build(tmpl[0], tmpl[1], names + 2, (const char *const *)tmpl + 2, n - 2, out,
	                       err);
done:
	if (tmpl)
		free_strings(tmpl, n);
	free(names);
	return rc;
}

int ccon_layout_map_build(const struct ccon_layout_map *m, struct ccon_layout *out,
                          struct ccon_error *err)
{
	return build(m, false, out, err);
}

int ccon_layout_map_json(const struct ccon_layout_map *m, bool pretty, char **out,
                         struct ccon_error *err)
{
	struct ccon_layout l;
	cJSON *json = NULL;

	*out = NULL;
	if (ccon_layout_map_build(m, &l, err) < 0)
		return -1;
	if (ccon_layout_encode(&l, &json) == 0)
		*out = pretty ? cJSON_Print(json) : cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	ccon_layout_free(&l);
	return *out ? 0 : nomem(err);
}

/* The slot of a layout value. */
static int load_value(const struct ccon_layout *l, const struct ccon_layout_value *v,
                      struct slot *s)
{
	const struct ccon_layout_part *p = &l->parts[v->first];
	bool lone = v->count == 1 && p->variable && p->len + 4 == strlen(v->tmpl) &&
	            strncmp(v->tmpl + 2, p->text, p->len) == 0;

	if (lone)
		return set_value(s, CCON_MAP_COLUMN, p->text);
	return set_value(s, ccon_layout_value_fixed(l, v) ? CCON_MAP_FIXED : CCON_MAP_TEMPLATE,
	                 v->tmpl);
}

int ccon_layout_map_load(struct ccon_layout_map *m, const struct ccon_layout *layout,
                         struct ccon_error *err)
{
	size_t n = CCON_MAP_FIRST_CUSTOM + layout->n_custom_fields;
	struct slot *s = calloc(n, sizeof(*s));

	if (!s)
		return nomem(err);
	if (load_value(layout, &layout->contact_code, &s[0]) < 0 ||
	    load_value(layout, &layout->channel_type, &s[1]) < 0)
		goto oom;
	for (size_t i = 0; i < layout->n_custom_fields; i++) {
		const struct ccon_layout_field *f = &layout->custom_fields[i];
		struct slot *d = &s[CCON_MAP_FIRST_CUSTOM + i];

		if (!(d->name = strdup(f->name)) || load_value(layout, &f->value, d) < 0)
			goto oom;
		for (size_t j = 0; j < m->n_vars; j++)
			if (strcmp(m->vars[j], f->name) == 0)
				d->from_var = true;
	}
	free_slots(m->slots, m->n_slots);
	m->slots = s;
	m->n_slots = n;
	return 0;
oom:
	free_slots(s, n);
	return nomem(err);
}

int ccon_layout_map_load_text(struct ccon_layout_map *m, const char *text, size_t len,
                              struct ccon_error *err)
{
	struct ccon_layout l;
	int rc;

	if (ccon_layout_parse(text, len, &l, err) < 0)
		return -1;
	rc = ccon_layout_map_load(m, &l, err);
	ccon_layout_free(&l);
	return rc;
}

/* ------------------------------------------------------------ files */

static int io_error(struct ccon_error *err, const char *what, const char *path)
{
	return ccon_error_set(err, CCON_E_IO, "%s %s: %s", what, path, strerror(errno));
}

int ccon_layout_map_save_file(const struct ccon_layout_map *m, const char *path,
                              struct ccon_error *err)
{
	struct ccon_strbuf tmp = CCON_STRBUF_INIT;
	char *json;
	FILE *f;
	int rc = -1;

	if (ccon_layout_map_json(m, true, &json, err) < 0)
		return -1;
	if (ccon_strbuf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		free(json);
		return nomem(err);
	}
	f = fopen(tmp.buf, "w");
	if (!f) {
		io_error(err, "cannot write", path);
		goto done;
	}
	if (fputs(json, f) == EOF || fputc('\n', f) == EOF || fflush(f) != 0) {
		io_error(err, "cannot write", path);
		fclose(f);
		unlink(tmp.buf);
		goto done;
	}
	if (fclose(f) != 0 || rename(tmp.buf, path) != 0) {
		io_error(err, "cannot write", path);
		unlink(tmp.buf);
		goto done;
	}
	rc = 0;
done:
	cJSON_free(json);
	ccon_strbuf_free(&tmp);
	return rc;
}

int ccon_layout_map_load_file(struct ccon_layout_map *m, const char *path,
                              struct ccon_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	if (!f)
		return io_error(err, "cannot read", path);
	buf = malloc(LAYOUT_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		return nomem(err);
	}
	n = fread(buf, 1, LAYOUT_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = io_error(err, "cannot read", path);
	} else if (n > LAYOUT_FILE_MAX) {
		rc = ccon_error_set(err, CCON_E_TOO_LARGE, "%s is over %d bytes: not a layout", path,
		                    LAYOUT_FILE_MAX);
	} else {
		rc = ccon_layout_map_load_text(m, buf, n, err);
	}
	fclose(f);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------ rows */

void ccon_map_row_free(struct ccon_map_row *row)
{
	if (!row)
		return;
	for (size_t i = 0; i < row->n_slots; i++)
		free(row->slots[i].value);
	free(row->slots);
	row->slots = NULL;
	row->n_slots = row->n_errors = 0;
}

static const struct ccon_layout_value *layout_value(const struct ccon_layout *l, size_t slot)
{
	if (slot == CCON_MAP_CONTACT_CODE)
		return &l->contact_code;
	if (slot == CCON_MAP_CHANNEL_TYPE)
		return &l->channel_type;
	return &l->custom_fields[slot - CCON_MAP_FIRST_CUSTOM].value;
}

static void slot_error(const struct ccon_layout_map *m, struct ccon_map_row *row, size_t slot,
                       long line, long column, enum ccon_errc code, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void slot_error(const struct ccon_layout_map *m, struct ccon_map_row *row, size_t slot,
                       long line, long column, enum ccon_errc code, const char *fmt, ...)
{
	struct ccon_error *e = &row->slots[slot].err;
	char path[CCON_ERROR_PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(e, code, fmt, ap);
	va_end(ap);
	ccon_error_at_path(e, ccon_layout_map_path(m, slot, path, sizeof(path)));
	ccon_error_at_line(e, line, column);
	row->n_errors++;
}

/* Renders a value for the row; an error in the slot when it cannot be. */
static int render(const struct ccon_layout_map *m, const struct ccon_layout *l,
                  const size_t *cols, size_t slot, const char *const *fields, const size_t *lens,
                  long line, struct ccon_map_row *row)
{
	const struct ccon_layout_value *v = layout_value(l, slot);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	long err_col = 0;

	for (size_t i = v->first; i < v->first + v->count; i++) {
		const struct ccon_layout_part *p = &l->parts[i];
		size_t bad;

		if (!p->variable) {
			if (ccon_strbuf_append(&sb, p->text, p->len) < 0)
				goto oom;
			continue;
		}
		if (cols[i] == CCON_LAYOUT_LITERAL) {
			slot_error(m, row, slot, line, 0, CCON_E_LAYOUT_NO_COLUMN,
			           "the header has no column \"%s\"", p->text);
			ccon_strbuf_free(&sb);
			return 0;
		}
		if (!ccon_utf8_valid(fields[cols[i]], lens[cols[i]], &bad) ||
		    memchr(fields[cols[i]], '\0', lens[cols[i]])) {
			slot_error(m, row, slot, line, (long)cols[i] + 1, CCON_E_CSV_UTF8,
			           "column \"%s\" is not valid UTF-8", p->text);
			ccon_strbuf_free(&sb);
			return 0;
		}
		err_col = err_col ? err_col : (long)cols[i] + 1;
		if (ccon_strbuf_append(&sb, fields[cols[i]], lens[cols[i]]) < 0)
			goto oom;
	}
	row->slots[slot].len = sb.len;
	row->slots[slot].value = ccon_strbuf_detach(&sb);
	if (!row->slots[slot].value && !(row->slots[slot].value = strdup("")))
		return -1;
	/* where a later check points: the value's first column */
	row->slots[slot].err.column = err_col;
	return 0;
oom:
	ccon_strbuf_free(&sb);
	return -1;
}

static void check_values(const struct ccon_layout_map *m, long line, struct ccon_map_row *row)
{
	struct ccon_map_resolved *code = &row->slots[CCON_MAP_CONTACT_CODE];
	struct ccon_map_resolved *chan = &row->slots[CCON_MAP_CHANNEL_TYPE];
	enum ccon_channel_type ch;
	struct ccon_error e;
	char path[CCON_ERROR_PATH_MAX];
	long col;

	/* the importer's order: the channel, then the code for that channel */
	if (chan->value && chan->err.code == CCON_E_OK) {
		if (ccon_channel_type_parse(chan->value, &ch, &e) < 0) {
			col = chan->err.column;
			chan->err = e;
			ccon_error_at_path(&chan->err, ccon_layout_map_path(m, 1, path, sizeof(path)));
			ccon_error_at_line(&chan->err, line, col);
			row->n_errors++;
		} else if (code->value && code->err.code == CCON_E_OK &&
		           ccon_contact_code_normalize(code->value, code->len, ch, row->contact_code,
		                                       &e) < 0) {
			col = code->err.column;
			code->err = e;
			ccon_error_at_path(&code->err, ccon_layout_map_path(m, 0, path, sizeof(path)));
			ccon_error_at_line(&code->err, line, col);
			row->contact_code[0] = '\0';
			row->n_errors++;
		}
	}
	for (size_t i = CCON_MAP_FIRST_CUSTOM; i < row->n_slots; i++) {
		struct ccon_map_resolved *r = &row->slots[i];

		if (r->value && r->err.code == CCON_E_OK && r->len > CCON_CUSTOM_FIELD_VALUE_MAX) {
			col = r->err.column;
			ccon_error_set(&r->err, CCON_E_CUSTOM_FIELD_VALUE,
			               "the value is %zu bytes long; at most %d are allowed", r->len,
			               CCON_CUSTOM_FIELD_VALUE_MAX);
			ccon_error_at_path(&r->err, ccon_layout_map_path(m, i, path, sizeof(path)));
			ccon_error_at_line(&r->err, line, col);
			row->n_errors++;
		}
	}
}

static void clear_columns(struct ccon_map_row *row)
{
	for (size_t i = 0; i < row->n_slots; i++)
		if (row->slots[i].err.code == CCON_E_OK)
			row->slots[i].err.column = 0;
}

int ccon_layout_map_resolve(const struct ccon_layout_map *m, const char *const *fields,
                            const size_t *lens, size_t n_fields, long line,
                            struct ccon_map_row *out, struct ccon_error *err)
{
	struct ccon_layout l;
	struct ccon_error e;
	size_t *cols = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!(out->slots = calloc(m->n_slots, sizeof(*out->slots))))
		return nomem(err);
	out->n_slots = m->n_slots;
	for (size_t i = 0; i < m->n_slots; i++)
		if (m->slots[i].v.kind == CCON_MAP_UNSET)
			slot_error(m, out, i, line, 0, CCON_E_LAYOUT_INVALID,
			           "choose a column or a fixed value");
	if (n_fields != m->n_columns) {
		ccon_error_set(&out->row_err, CCON_E_CSV_FIELD_COUNT,
		               "the row has %zu field%s but the header has %zu", n_fields,
		               n_fields == 1 ? "" : "s", m->n_columns);
		ccon_error_at_line(&out->row_err, line,
		                   (long)(n_fields < m->n_columns ? n_fields + 1 : m->n_columns + 1));
		out->n_errors++;
		return 0;
	}
	if (build(m, true, &l, err) < 0)
		return err->code == CCON_E_NOMEM ? -1 : 0;
	if (!(cols = calloc(l.n_parts ? l.n_parts : 1, sizeof(*cols)))) {
		nomem(err);
		goto done;
	}
	/* a missing column comes back per slot below, each its own error */
	ccon_layout_bind(&l, (const char *const *)m->columns, m->n_columns, cols, &e);
	for (size_t i = 0; i < m->n_slots; i++)
		if (out->slots[i].err.code == CCON_E_OK &&
		    render(m, &l, cols, i, fields, lens, line, out) < 0) {
			nomem(err);
			goto done;
		}
	check_values(m, line, out);
	clear_columns(out);
	rc = 0;
done:
	free(cols);
	ccon_layout_free(&l);
	return rc;
}
