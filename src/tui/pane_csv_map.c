/* pane_csv_map.c - the CSV preview's layout mapping editor (see
 * pane_csv_map.h). Every string from the file or a layout is drawn through
 * draw_text. */
#include "config.h"

#include "pane_csv_map.h"

#include "app.h"
#include "colors.h"
#include "cursor.h"
#include "draw.h"

#include <ccon/contact.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum map_prompt { PROMPT_NONE, PROMPT_COLUMN, PROMPT_FIXED, PROMPT_TEXT, PROMPT_ADD };

struct csv_map {
	struct pane *owner;
	struct ccon_layout_map *m;
	unsigned version;
	size_t sel;                  /* the slot under the cursor */
	int top;                     /* first slot drawn */
	enum map_prompt prompt;
	size_t prompt_slot;
	char label[400];             /* the prompt's label, with the reason */
};

struct csv_map *csv_map_new(struct pane *owner, const char *const *columns, size_t n_columns)
{
	struct csv_map *e = calloc(1, sizeof(*e));
	struct ccon_error err;

	if (!e)
		return NULL;
	e->owner = owner;
	if (ccon_layout_map_new(columns, n_columns, NULL, &e->m, &err) < 0) {
		free(e);
		return NULL;
	}
	return e;
}

void csv_map_free(struct csv_map *e)
{
	if (!e)
		return;
	/* a prompt still open must not call back into a freed editor */
	if (e->prompt != PROMPT_NONE && e->owner->app->prompt.ctx == e)
		e->owner->app->prompt.active = false;
	ccon_layout_map_free(e->m);
	free(e);
}

struct ccon_layout_map *csv_map_model(struct csv_map *e)
{
	return e->m;
}

unsigned csv_map_version(const struct csv_map *e)
{
	return e->version;
}

static void changed(struct csv_map *e)
{
	e->version++;
	e->owner->dirty |= PANE_DIRTY_ALL;
}

void csv_map_set_columns(struct csv_map *e, const char *const *columns, size_t n_columns)
{
	struct ccon_error err;

	if (ccon_layout_map_set_columns(e->m, columns, n_columns, &err) < 0)
		app_error(e->owner->app, "%s", err.message);
	changed(e);
}

void csv_map_set_vars(struct csv_map *e, const struct ccon_template_vars *vars)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	if (ccon_layout_map_set_vars(e->m, vars, &err) < 0)
		app_error(e->owner->app, "the campaign's variables: %s", err.message);
	changed(e);
}

/* ------------------------------------------------------------ drawing */

/* "campaign variables without a field: age, name": true when drawn. */
static bool draw_missing(struct csv_map *e, WINDOW *w, int y, struct rect a)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	size_t n = ccon_layout_map_missing_vars(e->m, &sb);

	if (n)
		draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_STATUS_WARN), DRAW_LEFT,
		           "campaign variable%s without a field: %s (+ adds one)", n == 1 ? "" : "s",
		           ccon_strbuf_cstr(&sb));
	ccon_strbuf_free(&sb);
	return n > 0;
}

/* "column nombre", "fixed 10%", "template +34{{phone}}", "(not set)". */
static void describe(const struct ccon_map_value *v, char *buf, size_t size)
{
	switch (v->kind) {
	case CCON_MAP_COLUMN:
		snprintf(buf, size, "column %s", v->text);
		break;
	case CCON_MAP_FIXED:
		snprintf(buf, size, "fixed \"%s\"", v->text);
		break;
	case CCON_MAP_TEMPLATE:
		snprintf(buf, size, "template %s", v->text);
		break;
	default:
		snprintf(buf, size, "(not set)");
		break;
	}
}

static int draw_json(struct csv_map *e, WINDOW *w, int y, struct rect a)
{
	struct ccon_error err;
	char *json = NULL;
	const char *s;
	attr_t heading = colors_attr(AREA_HEADING);

	draw_fill(w, y, a.x, a.w, heading);
	draw_text(w, y, a.x + 1, a.w - 1, "Layout JSON (:save-layout FILE)", heading, DRAW_LEFT);
	y++;
	if (y >= a.y + a.h)
		return y;
	ccon_error_clear(&err);
	if (ccon_layout_map_json(e->m, true, &json, &err) < 0) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_textf(w, y++, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT,
		           "incomplete: %s: %s", err.path, err.message);
		return y;
	}
	s = json;
	while (*s && y < a.y + a.h) {
		size_t len = strcspn(s, "\n");
		char line[512];
		size_t k = 0;

		/* cJSON indents with tabs */
		for (size_t i = 0; i < len && k + 3 < sizeof(line); i++) {
			if (s[i] == '\t') {
				bool lead = i == 0 || s[i - 1] == '\t';

				line[k++] = ' ';
				if (lead)
					line[k++] = ' ';
			} else {
				line[k++] = s[i];
			}
		}
		line[k] = '\0';
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_text(w, y++, a.x + 1, a.w - 1, line, colors_attr(AREA_RAW), DRAW_LEFT);
		s += len;
		if (*s == '\n')
			s++;
	}
	cJSON_free(json);
	return y;
}

/* The slot's two lines: its name and mapping, then its value for the row. */
static void draw_slot(struct csv_map *e, WINDOW *w, int y, struct rect a, size_t slot,
                      bool focused, const struct ccon_map_row *res, const char *why)
{
	bool cursor = slot == e->sel;
	attr_t base = cursor && focused ? colors_attr(AREA_CURSOR) : A_NORMAL;
	attr_t dim = colors_attr(AREA_DIM), bad = colors_attr(AREA_ERROR);
	char what[400];
	int nw = a.w >= 36 ? 12 : 8;

	describe(ccon_layout_map_value(e->m, slot), what, sizeof(what));
	draw_fill(w, y, a.x, a.w, base);
	draw_text(w, y, a.x, 1, cursor ? ">" : " ", base | A_BOLD, DRAW_LEFT);
	draw_text(w, y, a.x + 1, nw, ccon_layout_map_name(e->m, slot), base | A_BOLD, DRAW_LEFT);
	draw_text(w, y, a.x + 2 + nw, a.w - 2 - nw, what, base, DRAW_LEFT);
	if (y + 1 >= a.y + a.h)
		return;
	y++;
	draw_fill(w, y, a.x, a.w, A_NORMAL);
	if (!res) {
		draw_text(w, y, a.x + 4, a.w - 4, why ? why : "", dim, DRAW_LEFT);
		return;
	}
	if (res->row_err.code != CCON_E_OK) {
		draw_text(w, y, a.x + 4, a.w - 4, res->row_err.message, bad, DRAW_LEFT);
		return;
	}
	if (res->slots[slot].err.code != CCON_E_OK) {
		draw_textf(w, y, a.x + 4, a.w - 4, bad, DRAW_LEFT, "! %s",
		           res->slots[slot].err.message);
		return;
	}
	if (slot == CCON_MAP_CONTACT_CODE && res->contact_code[0])
		draw_textf(w, y, a.x + 4, a.w - 4, A_NORMAL, DRAW_LEFT, "= %s", res->contact_code);
	else
		draw_textf(w, y, a.x + 4, a.w - 4, A_NORMAL, DRAW_LEFT, "= %s",
		           res->slots[slot].value ? res->slots[slot].value : "");
}

void csv_map_draw(struct csv_map *e, WINDOW *w, struct rect a, bool focused,
                  const struct ccon_csv_row *row, const char *why)
{
	struct ccon_map_row res = CCON_MAP_ROW_INIT;
	struct ccon_error err;
	size_t n = ccon_layout_map_slots(e->m);
	attr_t heading = colors_attr(AREA_HEADING);
	bool have = false;
	int y = a.y, slot_rows;
	char title[128];

	if (a.w < 8 || a.h < 1)
		return;
	if (e->sel >= n)
		e->sel = n - 1;
	if (row) {
		ccon_error_clear(&err);
		have = ccon_layout_map_resolve(e->m, row->fields, row->lens, row->n_fields, row->line,
		                               &res, &err) == 0;
		if (row->line > 0)
			snprintf(title, sizeof(title), "%sContact of line %ld%s", focused ? "> " : "",
			         row->line, have && res.n_errors ? "  (errors)" : "");
	}
	if (!row || !have)
		snprintf(title, sizeof(title), "%sLayout", focused ? "> " : "");
	draw_fill(w, y, a.x, a.w, heading);
	draw_text(w, y, a.x + 1, a.w - 1, title, heading, DRAW_LEFT);
	y++;
	if (y < a.y + a.h) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		if (draw_missing(e, w, y, a))
			y++;
	}
	/* the slots take what the JSON leaves, two lines each */
	slot_rows = (a.h - (y - a.y)) * 3 / 5 / 2;
	if (slot_rows < 1)
		slot_rows = 1;
	if ((int)e->sel < e->top)
		e->top = (int)e->sel;
	if ((int)e->sel >= e->top + slot_rows)
		e->top = (int)e->sel - slot_rows + 1;
	for (int i = 0; i < slot_rows && y < a.y + a.h; i++) {
		size_t k = (size_t)e->top + (size_t)i;

		if (k >= n) {
			draw_fill(w, y, a.x, a.w, A_NORMAL);
			if (k == n && focused)
				draw_text(w, y, a.x + 2, a.w - 2, "+ adds a custom field, - removes one",
				          colors_attr(AREA_DIM), DRAW_LEFT);
			y++;
			continue;
		}
		draw_slot(e, w, y, a, k, focused, have ? &res : NULL, why);
		y += 2;
	}
	ccon_map_row_free(&res);
	if (y < a.y + a.h)
		y = draw_json(e, w, y, a);
	for (; y < a.y + a.h; y++)
		draw_fill(w, y, a.x, a.w, A_NORMAL);
}

/* ------------------------------------------------------------ prompts */

/* The slot's value as it is typed in the prompt. */
static void value_text(const struct ccon_map_value *v, char *buf, size_t size)
{
	if (v->kind == CCON_MAP_COLUMN)
		snprintf(buf, size, "{{%s}}", v->text);
	else
		snprintf(buf, size, "%s", v->text ? v->text : "");
}

/* What is wrong with text for the open prompt ("" when nothing). */
static void prompt_reason(struct csv_map *e, const char *text, char *why, size_t size)
{
	struct ccon_error err;
	size_t n;

	why[0] = '\0';
	ccon_error_clear(&err);
	switch (e->prompt) {
	case PROMPT_COLUMN:
		if (*text && ccon_layout_map_column_index(e->m, text) == (size_t)-1) {
			const char *const *cols = ccon_layout_map_columns(e->m, &n);
			struct ccon_strbuf sb = CCON_STRBUF_INIT;

			for (size_t i = 0; i < n && sb.len < 60; i++)
				ccon_strbuf_printf(&sb, "%s%s", i ? ", " : "", cols[i]);
			snprintf(why, size, "no such column: %s%s", ccon_strbuf_cstr(&sb),
			         sb.len >= 60 ? "..." : "");
			ccon_strbuf_free(&sb);
		}
		break;
	case PROMPT_FIXED:
		if (strstr(text, "{{"))
			snprintf(why, size, "a fixed value cannot hold \"{{\" (e edits a template)");
		else if (ccon_layout_map_check(e->m, e->prompt_slot, text, &err) < 0)
			snprintf(why, size, "%.200s", err.message);
		break;
	case PROMPT_TEXT:
		if (ccon_layout_map_check(e->m, e->prompt_slot, text, &err) < 0)
			snprintf(why, size, "%.200s%s", err.message,
			         err.column ? " (at the character shown)" : "");
		break;
	case PROMPT_ADD:
		if (*text && !ccon_custom_field_name_valid(text, strlen(text)))
			snprintf(why, size, "letters, digits and '_' only (at most %d)",
			         CCON_CUSTOM_FIELD_NAME_MAX);
		else if (ccon_layout_map_field(e->m, text) != (size_t)-1)
			snprintf(why, size, "there is a field \"%s\" already (Enter goes to it)",
			         text);
		break;
	default:
		break;
	}
}

static const char *prompt_title(struct csv_map *e, char *buf, size_t size)
{
	const char *name = ccon_layout_map_name(e->m, e->prompt_slot);

	switch (e->prompt) {
	case PROMPT_COLUMN:
		snprintf(buf, size, "%s column", name);
		break;
	case PROMPT_FIXED:
		snprintf(buf, size, "%s fixed value", name);
		break;
	case PROMPT_TEXT:
		snprintf(buf, size, "%s ({{column}}, text, or both)", name);
		break;
	default:
		snprintf(buf, size, "new custom field name");
		break;
	}
	return buf;
}

static void set_label(struct csv_map *e, const char *text)
{
	char why[240], title[96];

	prompt_reason(e, text, why, sizeof(why));
	prompt_title(e, title, sizeof(title));
	if (why[0])
		snprintf(e->label, sizeof(e->label), "%s [%s]: ", title, why);
	else
		snprintf(e->label, sizeof(e->label), "%s: ", title);
	e->owner->app->dirty |= APP_DIRTY_PROMPT;
}

static void on_changed(void *ctx, const char *text)
{
	set_label(ctx, text);
}

static void apply(struct csv_map *e, const char *text)
{
	struct ccon_error err;
	size_t slot = e->prompt_slot, c;
	int rc = 0;

	ccon_error_clear(&err);
	switch (e->prompt) {
	case PROMPT_COLUMN:
		c = ccon_layout_map_column_index(e->m, text);
		if (c == (size_t)-1) {
			app_error(e->owner->app, "%s: no column \"%s\" in the header",
			          ccon_layout_map_name(e->m, slot), text);
			return;
		}
		rc = ccon_layout_map_set_column(e->m, slot, c, &err);
		break;
	case PROMPT_FIXED:
		rc = ccon_layout_map_set_fixed(e->m, slot, text, &err);
		break;
	case PROMPT_TEXT:
		rc = ccon_layout_map_set_text(e->m, slot, text, &err);
		break;
	case PROMPT_ADD:
		/* a field the campaign's variables made already: edit that one */
		if ((c = ccon_layout_map_field(e->m, text)) != (size_t)-1) {
			e->sel = c;
			app_message(e->owner->app, "customFields.%s is there already: the cursor is "
			            "on it", text);
			return;
		}
		rc = ccon_layout_map_add_field(e->m, text, &e->sel, &err);
		break;
	default:
		return;
	}
	if (rc < 0)
		app_error(e->owner->app, "%s: %s", err.path[0] ? err.path : "layout", err.message);
	else
		changed(e);
}

static void on_done(void *ctx, const char *text)
{
	struct csv_map *e = ctx;

	if (text)
		apply(e, text);
	e->prompt = PROMPT_NONE;
	e->owner->dirty |= PANE_DIRTY_ALL;
}

static void open_prompt(struct csv_map *e, enum map_prompt kind)
{
	const struct ccon_map_value *v = ccon_layout_map_value(e->m, e->sel);
	char text[2048] = "";

	e->prompt = kind;
	e->prompt_slot = e->sel;
	if ((kind == PROMPT_COLUMN && v->kind == CCON_MAP_COLUMN) ||
	    (kind == PROMPT_FIXED && v->kind == CCON_MAP_FIXED))
		snprintf(text, sizeof(text), "%s", v->text);
	else if (kind == PROMPT_TEXT)
		value_text(v, text, sizeof(text));
	set_label(e, text);
	app_prompt(e->owner->app, e->label, text, on_changed, on_done, e);
}

bool csv_map_request(struct csv_map *e, enum request req)
{
	size_t n = ccon_layout_map_slots(e->m);
	struct ccon_error err;

	switch (req) {
	case REQ_CSV_MAP_COLUMN:
		open_prompt(e, PROMPT_COLUMN);
		break;
	case REQ_CSV_MAP_FIXED:
		open_prompt(e, PROMPT_FIXED);
		break;
	case REQ_ENTER:
	case REQ_EDIT:
		open_prompt(e, PROMPT_TEXT);
		break;
	case REQ_AUDIENCE_FIELD_ADD:
		open_prompt(e, PROMPT_ADD);
		break;
	case REQ_AUDIENCE_FIELD_REMOVE:
		ccon_error_clear(&err);
		if (ccon_layout_map_remove_field(e->m, e->sel, &err) < 0) {
			app_error(e->owner->app, "contactCode and channelType stay; only custom fields "
			                         "can be removed");
			return true;
		}
		if (e->sel >= ccon_layout_map_slots(e->m))
			e->sel--;
		changed(e);
		break;
	default:
		/* moving; pages are left to the preview's table */
		if (!cursor_move(&e->sel, n, 0, req))
			return false;
		break;
	}
	e->owner->dirty |= PANE_DIRTY_ALL;
	return true;
}

bool csv_map_load(struct csv_map *e, const char *path, char *msg, size_t size)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	if (ccon_layout_map_load_file(e->m, path, &err) < 0) {
		if (err.path[0])
			app_error(e->owner->app, "load-layout: %s: %s: %s", path, err.path, err.message);
		else
			app_error(e->owner->app, "load-layout: %s", err.message);
		return true;
	}
	e->sel = 0;
	changed(e);
	snprintf(msg, size, "layout loaded from %s", path);
	return true;
}
