/* pane_audience.c - the audience editor: the seed 000 contacts of a JSON
 * send as a table over the wizard's roster (audience.h). Each cell is
 * edited on the bottom prompt and revalidated on every keystroke, so the
 * E.164 form or the reason it is wrong shows in place as it is typed (Esc
 * puts the old value back). Heading: the counts, how dispatch splits the
 * audience, and the campaign's template variables with the rows that lack
 * them. Paste mode collects whatever is typed, Enter included, until
 * Ctrl-D hands it to ccon_roster_paste (Esc drops it). Every string of the
 * roster is typed or pasted text: drawn through draw_text (the sanitiser). */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "colors.h"
#include "cursor.h"
#include "draw.h"
#include "paste.h"

#include <ccon/audience.h>
#include <ccon/sanitize.h>
#include <ccon/strbuf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL_CODE 0
#define COL_CHANNEL 1
#define COL_FIELDS 2          /* custom field columns from here */
#define VAR_LINES_MAX 4       /* template variable lines in the heading */
#define LACKING_SHOWN 6       /* row numbers listed for a variable */
#define NOTE_LINES 3          /* the last paste's report */
#define W_MARK 2
#define W_NUM 6
#define W_CODE 20
#define W_E164 24
#define W_CHANNEL 12
#define W_FIELD 16

enum edit_kind { EDIT_NONE, EDIT_CODE, EDIT_CHANNEL, EDIT_VALUE, EDIT_FIELD_ADD, EDIT_RENAME };

struct edit {
	enum edit_kind kind;
	size_t row;
	bool new_row;                /* the row was added for this edit: Esc removes it */
	char *name;                  /* EDIT_VALUE: the field; EDIT_RENAME: its name now */
	char *orig;                  /* the value (or name) before the edit */
	size_t field;                /* EDIT_VALUE: its index in the row, NONE before the first key */
	bool existed;                /* EDIT_VALUE: the row had the field before */
	size_t *idx;                 /* EDIT_RENAME: per row, the field's index or NONE */
	struct ccon_error err;       /* EDIT_FIELD_ADD: the name's error as typed */
};

struct audience {
	struct pane pane;
	struct ccon_roster *roster;
	const struct ccon_template_vars *vars;
	size_t sel, top;
	size_t col;                  /* COL_CODE, COL_CHANNEL or COL_FIELDS + k */
	size_t first_field;          /* the first field column drawn */
	char **cols;                 /* field column names: variables, fields, added */
	size_t n_cols;
	char **added;                /* columns added with no value yet */
	size_t n_added;
	struct ccon_roster_stats st;
	/* kept by recompute(), so a draw never scans the whole roster */
	size_t *dup_of;              /* ccon_roster_duplicates; NULL when out of memory */
	struct lacking {
		size_t n;                /* rows without the variable */
		size_t rows[LACKING_SHOWN];
	} *lacking;                  /* one per template variable */
	struct edit edit;
	char label[160];
	bool pasting;
	struct ccon_strbuf paste;
	char note[NOTE_LINES][512];  /* the last paste's report */
};

/* ------------------------------------------------------------ columns */

static bool has_name(char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Appends a copy of name unless it is there: -1 when out of memory. */
static int add_name(char ***names, size_t *n, const char *name)
{
	char **p, *d;

	if (has_name(*names, *n, name))
		return 0;
	p = realloc(*names, (*n + 1) * sizeof(*p));
	if (!p)
		return -1;
	*names = p;
	if (!(d = strdup(name)))
		return -1;
	p[(*n)++] = d;
	return 0;
}

static void remove_name(char **names, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(names[i], name) == 0) {
			free(names[i]);
			memmove(names + i, names + i + 1, (*n - i - 1) * sizeof(*names));
			(*n)--;
			return;
		}
}

/* The columns: the campaign's variables, then every row's fields in order
 * of first appearance, then the names added with no value yet. */
static void build_columns(struct audience *au)
{
	const struct ccon_roster *r = au->roster;
	char **cols = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t v = 0; au->vars && v < au->vars->count && !rc; v++)
		rc = add_name(&cols, &n, au->vars->names[v]);
	for (size_t i = 0; i < r->count && !rc; i++) {
		const struct ccon_fields *f = &r->rows[i].contact.custom_fields;

		for (size_t k = 0; k < f->count && !rc; k++)
			rc = add_name(&cols, &n, f->items[k].name);
	}
	for (size_t i = 0; i < au->n_added && !rc; i++)
		rc = add_name(&cols, &n, au->added[i]);
	if (rc) {
		free_names(cols, n);
		app_error(au->pane.app, "out of memory");
		return;
	}
	free_names(au->cols, au->n_cols);
	au->cols = cols;
	au->n_cols = n;
}

static const char *col_name(const struct audience *au)
{
	if (au->col < COL_FIELDS || au->col - COL_FIELDS >= au->n_cols)
		return NULL;
	return au->cols[au->col - COL_FIELDS];
}

/* Puts the cursor on the field column called name, when there is one. */
static void col_to(struct audience *au, const char *name)
{
	for (size_t k = 0; k < au->n_cols; k++)
		if (strcmp(au->cols[k], name) == 0)
			au->col = COL_FIELDS + k;
}

/* The earlier row row i repeats (the map of the last recompute). */
static size_t dup_of(const struct audience *au, size_t i)
{
	return au->dup_of && i < au->roster->count ? au->dup_of[i] : CCON_ROSTER_NONE;
}

/* After every change of the roster: columns, counts, cursor in range. */
static void recompute(struct audience *au)
{
	char *keep = col_name(au) ? strdup(col_name(au)) : NULL;

	size_t *dups = realloc(au->dup_of, (au->roster->count + 1) * sizeof(*dups));

	if (!dups) {   /* realloc kept the old map: it goes, as the new one could not come */
		free(au->dup_of);
		au->dup_of = NULL;
	}
	build_columns(au);
	if (ccon_roster_stats(au->roster, &au->st) < 0 || !dups ||
	    ccon_roster_duplicates(au->roster, dups) < 0) {
		app_error(au->pane.app, "out of memory: duplicate numbers not counted");
		free(dups);
		dups = NULL;
	}
	au->dup_of = dups;
	for (size_t v = 0; au->lacking && v < au->vars->count; v++)
		au->lacking[v].n = ccon_roster_lacking(au->roster, au->vars->names[v],
		                                       au->lacking[v].rows, LACKING_SHOWN);
	if (keep)
		col_to(au, keep);
	free(keep);
	if (au->col >= COL_FIELDS + au->n_cols)
		au->col = COL_FIELDS + au->n_cols - 1;
	if (au->sel >= au->roster->count)
		au->sel = au->roster->count ? au->roster->count - 1 : 0;
	au->pane.dirty |= PANE_DIRTY_ALL;
}

/* s sanitised and cut to at most cells (with "…"), without the padding. */
/* ------------------------------------------------------------ the heading */

/* "250 contacts → 3 requests of ≤100 (84, 83, 83), each with its own
 * idempotency key" */
static void split_text(const struct ccon_roster *r, char *buf, size_t size)
{
	size_t n = ccon_roster_batch_count(r), first, count, used;

	if (n == 0) {
		snprintf(buf, size, "no contacts yet: a adds one, p pastes many");
		return;
	}
	if (n == 1) {
		snprintf(buf, size, "%zu contact%s \u2192 1 request, with its own idempotency key",
		         r->count, r->count == 1 ? "" : "s");
		return;
	}
	used = (size_t)snprintf(buf, size, "%zu contacts \u2192 %zu requests of \u2264%d (", r->count,
	                        n, CCON_CONTACTS_PER_SEND_MAX);
	for (size_t i = 0; i < n && i < 4 && used < size; i++) {
		ccon_batch_range(r->count, CCON_CONTACTS_PER_SEND_MAX, i, &first, &count);
		used += (size_t)snprintf(buf + used, size - used, "%s%zu", i ? ", " : "", count);
	}
	if (used < size)
		snprintf(buf + used, size - used, "%s), each with its own idempotency key",
		         n > 4 ? ", ..." : "");
}

static void draw_counts(struct audience *au, WINDOW *w, int y, struct rect a)
{
	const struct ccon_roster_stats *st = &au->st;
	attr_t dim = colors_attr(AREA_DIM);
	int x = a.x + 1, xmax = a.x + a.w;
	char buf[64];

	draw_fill(w, y, a.x, a.w, A_NORMAL);
#define PUT(text, attr)                                                                 \
	do {                                                                            \
		if (x < xmax)                                                           \
			x += draw_text(w, y, x, xmax - x, text, attr, DRAW_LEFT);       \
	} while (0)
	PUT("Rows ", dim);
	snprintf(buf, sizeof(buf), "%zu   ", st->rows);
	PUT(buf, A_BOLD);
	PUT("Valid ", dim);
	snprintf(buf, sizeof(buf), "%zu   ", st->valid);
	PUT(buf, colors_attr(AREA_STATUS_OK) | A_BOLD);
	PUT("Invalid ", dim);
	snprintf(buf, sizeof(buf), "%zu   ", st->invalid);
	PUT(buf, st->invalid ? colors_attr(AREA_ERROR) | A_BOLD : A_BOLD);
	PUT("Duplicate numbers ", dim);
	snprintf(buf, sizeof(buf), "%zu   ", st->duplicates);
	PUT(buf, st->duplicates ? colors_attr(AREA_STATUS_WARN) | A_BOLD : A_BOLD);
	if (st->invalid || st->duplicates)
		PUT("dispatch needs every row valid and each number once", colors_attr(AREA_ERROR));
#undef PUT
}

/* One line for variable v: how many rows lack it and which. */
static void draw_variable(struct audience *au, WINDOW *w, int y, struct rect a, size_t v)
{
	const char *name = au->vars->names[v];
	const size_t *rows = au->lacking[v].rows;
	size_t n = au->lacking[v].n;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	int x;

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	x = a.x + 3 + draw_textf(w, y, a.x + 3, a.w - 3, A_BOLD, DRAW_LEFT, "{{%s}}", name);
	if (x + 2 >= a.x + a.w)
		return;
	if (n == 0) {
		draw_text(w, y, x + 2, a.x + a.w - x - 2,
		          au->roster->count ? "every row has it" : "no rows yet",
		          colors_attr(AREA_STATUS_OK), DRAW_LEFT);
		return;
	}
	ccon_strbuf_printf(&sb, "%zu row%s lack%s it: ", n, n == 1 ? "" : "s", n == 1 ? "s" : "");
	for (size_t i = 0; i < n && i < LACKING_SHOWN; i++)
		ccon_strbuf_printf(&sb, "%s%zu", i ? ", " : "", rows[i] + 1);
	if (n > LACKING_SHOWN)
		ccon_strbuf_printf(&sb, ", ... (%zu more)", n - LACKING_SHOWN);
	draw_text(w, y, x + 2, a.x + a.w - x - 2, ccon_strbuf_cstr(&sb),
	          colors_attr(AREA_STATUS_WARN), DRAW_LEFT);
	ccon_strbuf_free(&sb);
}

/* The variables' lines: returns the next free line. */
static int draw_variables(struct audience *au, WINDOW *w, int y, struct rect a)
{
	attr_t dim = colors_attr(AREA_DIM);
	size_t n = au->vars ? au->vars->count : 0, shown = n > VAR_LINES_MAX ? VAR_LINES_MAX - 1 : n;

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	if (!au->vars) {
		draw_text(w, y, a.x + 1, a.w - 1, "Template variables: not known (the campaign's "
		          "message was not loaded)", dim, DRAW_LEFT);
		return y + 1;
	}
	if (n == 0) {
		draw_text(w, y, a.x + 1, a.w - 1, "Template variables: none (the message uses no "
		          "{{variable}})", dim, DRAW_LEFT);
		return y + 1;
	}
	draw_textf(w, y, a.x + 1, a.w - 1, dim, DRAW_LEFT,
	           "Template variables: %zu (each row needs a custom field of that name)", n);
	y++;
	for (size_t v = 0; v < shown; v++)
		draw_variable(au, w, y++, a, v);
	if (shown < n) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_textf(w, y++, a.x + 3, a.w - 3, dim, DRAW_LEFT, "... and %zu more (their "
		           "columns show which rows lack them)", n - shown);
	}
	return y;
}

/* ------------------------------------------------------------ the table */

static bool is_var(const struct audience *au, const char *name)
{
	return au->vars && ccon_template_vars_has(au->vars, name, strlen(name));
}

/* How many field columns fit from first_field, keeping the cursor's in. */
static int field_columns(struct audience *au, int width)
{
	int fixed = 1 + W_MARK + W_NUM + W_CODE + 1 + W_E164 + 1 + W_CHANNEL + 1;
	int fit = (width - fixed) / (W_FIELD + 1);

	if (fit < 1)
		fit = 1;
	if (au->col >= COL_FIELDS) {
		size_t k = au->col - COL_FIELDS;

		if (k < au->first_field)
			au->first_field = k;
		if (k >= au->first_field + (size_t)fit)
			au->first_field = k - (size_t)fit + 1;
	} else {
		au->first_field = 0;
	}
	return fit;
}

static void draw_headings(struct audience *au, WINDOW *w, int y, struct rect a, int fit)
{
	attr_t h = colors_attr(AREA_HEADING);
	int x = a.x + 1 + W_MARK;

	draw_fill(w, y, a.x, a.w, h);
	draw_text(w, y, x, W_NUM - 1, "#", h, DRAW_RIGHT);
	x += W_NUM;
	draw_text(w, y, x, W_CODE, "contactCode", h, DRAW_LEFT);
	x += W_CODE + 1;
	draw_text(w, y, x, W_E164, "E.164", h, DRAW_LEFT);
	x += W_E164 + 1;
	draw_text(w, y, x, W_CHANNEL, "channelType", h, DRAW_LEFT);
	x += W_CHANNEL + 1;
	for (size_t k = au->first_field; k < au->n_cols && k < au->first_field + (size_t)fit; k++) {
		int cw = x + W_FIELD > a.x + a.w ? a.x + a.w - x : W_FIELD;

		if (cw <= 0)
			break;
		if (is_var(au, au->cols[k]))
			draw_textf(w, y, x, cw, h, DRAW_LEFT, "{{%s}}", au->cols[k]);
		else
			draw_text(w, y, x, cw, au->cols[k], h, DRAW_LEFT);
		x += W_FIELD + 1;
	}
	if (au->first_field > 0)
		draw_text(w, y, a.x, 1, "<", h | A_BOLD, DRAW_LEFT);
	if (au->first_field + (size_t)fit < au->n_cols)
		draw_text(w, y, a.x + a.w - 1, 1, ">", h | A_BOLD, DRAW_LEFT);
}

/* The cell's attributes: the cursor's cell stands out in the cursor row. */
static attr_t cell_attr(const struct audience *au, size_t i, size_t col, attr_t attr)
{
	if (i == au->sel && col == au->col)
		return attr | A_REVERSE | A_BOLD;
	return attr;
}

static void draw_row(struct audience *au, WINDOW *w, int y, struct rect a, int fit, size_t i)
{
	const struct ccon_roster_row *r = &au->roster->rows[i];
	bool cursor = i == au->sel;
	attr_t base = cursor ? colors_attr(AREA_CURSOR) : A_NORMAL;
	attr_t err = cursor ? base | A_BOLD : colors_attr(AREA_ERROR);
	attr_t dim = cursor ? base : colors_attr(AREA_DIM);
	const char *mark = " ";
	attr_t mark_attr = err;
	size_t dup = dup_of(au, i);
	int x = a.x + 1;

	draw_fill(w, y, a.x, a.w, base);
	if (!ccon_roster_row_valid(r)) {
		mark = "!";
	} else if (dup != CCON_ROSTER_NONE) {
		mark = "=";
		mark_attr = cursor ? base | A_BOLD : colors_attr(AREA_STATUS_WARN);
	} else if (au->vars && ccon_roster_row_missing(au->roster, i, au->vars, NULL)) {
		mark = "?";
		mark_attr = dim;
	}
	draw_text(w, y, x, 1, mark, mark_attr | A_BOLD, DRAW_LEFT);
	x += W_MARK;
	draw_textf(w, y, x, W_NUM - 1, dim, DRAW_RIGHT, "%zu", i + 1);
	x += W_NUM;
	draw_text(w, y, x, W_CODE, r->contact.contact_code,
	          cell_attr(au, i, COL_CODE, r->code_error.code ? err : base), DRAW_LEFT);
	x += W_CODE + 1;
	if (r->code_error.code)
		draw_text(w, y, x, W_E164, r->code_error.message, err, DRAW_LEFT);
	else if (dup != CCON_ROSTER_NONE)
		draw_textf(w, y, x, W_E164, mark_attr, DRAW_LEFT, "%s = row %zu", r->normalized,
		           dup + 1);
	else
		draw_text(w, y, x, W_E164, r->normalized, colors_attr(AREA_STATUS_OK) | (cursor ? base : 0),
		          DRAW_LEFT);
	x += W_E164 + 1;
	draw_text(w, y, x, W_CHANNEL, r->channel_error.code ? r->channel_error.message
	                                                    : r->contact.channel_type,
	          cell_attr(au, i, COL_CHANNEL, r->channel_error.code ? err : base), DRAW_LEFT);
	x += W_CHANNEL + 1;
	for (size_t k = au->first_field; k < au->n_cols && k < au->first_field + (size_t)fit; k++) {
		size_t f = ccon_roster_field_index(au->roster, i, au->cols[k]);
		int cw = x + W_FIELD > a.x + a.w ? a.x + a.w - x : W_FIELD;
		size_t col = COL_FIELDS + k;

		if (cw <= 0)
			break;
		if (f == CCON_ROSTER_NONE)
			draw_text(w, y, x, cw, is_var(au, au->cols[k]) ? "(missing)" : "",
			          cell_attr(au, i, col, is_var(au, au->cols[k]) ? mark_attr : dim),
			          DRAW_LEFT);
		else
			draw_text(w, y, x, cw, r->contact.custom_fields.items[f].value,
			          cell_attr(au, i, col, r->field_errors[f].code ? err : base), DRAW_LEFT);
		x += W_FIELD + 1;
	}
}

/* The cursor cell's reason (or what it holds), in full, under the table. */
static void draw_detail(struct audience *au, WINDOW *w, int y, struct rect a)
{
	const struct ccon_roster_row *r;
	const struct ccon_error *e = NULL;
	const char *name = col_name(au);
	attr_t attr = colors_attr(AREA_DIM);

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	if (au->pasting) {
		draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_STATUS_WARN) | A_BOLD, DRAW_LEFT,
		           "PASTE: type or paste numbers (%zu bytes so far); Ctrl-D adds them, Esc "
		           "drops them", au->paste.len);
		return;
	}
	if (au->edit.kind == EDIT_FIELD_ADD) {
		if (au->edit.err.code)
			draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT,
			           "New field name: %s", au->edit.err.message);
		else
			draw_text(w, y, a.x + 1, a.w - 1, "New field name: letters, digits and "
			          "underscores", attr, DRAW_LEFT);
		return;
	}
	if (au->sel >= au->roster->count) {
		draw_text(w, y, a.x + 1, a.w - 1, "a adds a contact, p pastes many numbers", attr,
		          DRAW_LEFT);
		return;
	}
	r = &au->roster->rows[au->sel];
	if (au->col == COL_CODE && r->code_error.code)
		e = &r->code_error;
	else if (au->col == COL_CHANNEL && r->channel_error.code)
		e = &r->channel_error;
	else if (name) {
		size_t f = ccon_roster_field_index(au->roster, au->sel, name);

		if (f != CCON_ROSTER_NONE && r->field_errors[f].code)
			e = &r->field_errors[f];
	}
	if (!e && r->error.code)
		e = &r->error;
	if (e) {
		draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT,
		           "Row %zu %s: %s", au->sel + 1, e->path, e->message);
		return;
	}
	if (name && ccon_roster_field_index(au->roster, au->sel, name) == CCON_ROSTER_NONE) {
		draw_textf(w, y, a.x + 1, a.w - 1, is_var(au, name) ? colors_attr(AREA_STATUS_WARN)
		                                                     : attr, DRAW_LEFT,
		           "Row %zu has no field %s%s: e sets it", au->sel + 1, name,
		           is_var(au, name) ? " (a template variable)" : "");
		return;
	}
	if (dup_of(au, au->sel) != CCON_ROSTER_NONE) {
		draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_STATUS_WARN), DRAW_LEFT,
		           "Row %zu: %s is also row %zu; it would be sent twice", au->sel + 1,
		           r->normalized, dup_of(au, au->sel) + 1);
		return;
	}
	draw_textf(w, y, a.x + 1, a.w - 1, attr, DRAW_LEFT, "Row %zu: %s is valid", au->sel + 1,
	           r->normalized);
}

static void clamp(struct audience *au, int rows)
{
	size_t n = au->roster->count;

	if (au->sel >= n)
		au->sel = n ? n - 1 : 0;
	if (au->sel < au->top)
		au->top = au->sel;
	if (rows > 0 && au->sel >= au->top + (size_t)rows)
		au->top = au->sel - (size_t)rows + 1;
	if (rows > 0 && n > (size_t)rows && au->top > n - (size_t)rows)
		au->top = n - (size_t)rows;
	if (rows > 0 && n <= (size_t)rows)
		au->top = 0;
}

static void audience_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct audience *au = (struct audience *)p;
	char split[256];
	int y = a.y, rows, fit;

	split_text(au->roster, split, sizeof(split));
	draw_fill(w, y, a.x, a.w, A_NORMAL);
	draw_textf(w, y++, a.x, a.w, A_BOLD, DRAW_LEFT, " Audience  %s", split);
	draw_counts(au, w, y++, a);
	y = draw_variables(au, w, y, a);
	for (int i = 0; i < NOTE_LINES; i++) {
		if (!au->note[i][0])
			continue;
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_text(w, y++, a.x + 1, a.w - 1, au->note[i],
		          i == 0 ? A_BOLD : colors_attr(AREA_STATUS_WARN), DRAW_LEFT);
	}
	fit = field_columns(au, a.w);
	draw_headings(au, w, y++, a, fit);
	rows = a.y + a.h - y - 1;
	if (rows < 1)
		rows = 1;
	p->rows = rows;
	clamp(au, rows);
	for (int i = 0; i < rows && y < a.y + a.h - 1; i++, y++) {
		size_t k = au->top + (size_t)i;

		if (k < au->roster->count)
			draw_row(au, w, y, a, fit, k);
		else
			draw_fill(w, y, a.x, a.w, A_NORMAL);
	}
	draw_detail(au, w, a.y + a.h - 1, a);
}

static void audience_changed(struct pane *p, unsigned changes)
{
	(void)p;
	(void)changes; /* nothing of the model's polling shows here */
}

/* ------------------------------------------------------------ editing */

static void edit_reset(struct audience *au)
{
	free(au->edit.name);
	free(au->edit.orig);
	free(au->edit.idx);
	memset(&au->edit, 0, sizeof(au->edit));
}

static void oom(struct audience *au)
{
	app_error(au->pane.app, "out of memory");
}

static void edit_changed(void *ctx, const char *text)
{
	struct audience *au = ctx;
	struct edit *e = &au->edit;
	struct ccon_roster *r = au->roster;
	int rc = 0;

	switch (e->kind) {
	case EDIT_CODE:
		rc = ccon_roster_set_code(r, e->row, text);
		break;
	case EDIT_CHANNEL:
		rc = ccon_roster_set_channel(r, e->row, text);
		break;
	case EDIT_VALUE:
		if (e->field == CCON_ROSTER_NONE) {
			rc = ccon_roster_field_add(r, e->row, e->name, text);
			if (rc == 0)
				e->field = r->rows[e->row].contact.custom_fields.count - 1;
		} else {
			rc = ccon_roster_field_set(r, e->row, e->field, NULL, text);
		}
		break;
	case EDIT_RENAME: {
		char *name = strdup(text);

		if (!name) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < r->count && rc == 0; i++)
			if (e->idx[i] != CCON_ROSTER_NONE)
				rc = ccon_roster_field_set(r, i, e->idx[i], name, NULL);
		for (size_t i = 0; i < au->n_added; i++)
			if (strcmp(au->added[i], e->name) == 0) {
				free(au->added[i]);
				au->added[i] = strdup(name);
				if (!au->added[i])
					au->added[i] = strdup(""); /* keeps the array whole */
			}
		free(e->name);
		e->name = name;
		break;
	}
	case EDIT_FIELD_ADD: {
		struct ccon_fields f = CCON_FIELDS_INIT;

		for (size_t k = 0; k < au->n_cols && rc == 0; k++)
			rc = ccon_fields_add(&f, au->cols[k], "", 0);
		if (rc == 0)
			rc = ccon_fields_add(&f, text, "", 0);
		ccon_error_clear(&e->err);
		if (rc == 0)
			ccon_custom_field_check(&f, f.count - 1, &e->err);
		ccon_fields_free(&f);
		break;
	}
	case EDIT_NONE:
		return;
	}
	if (rc < 0)
		oom(au);
	if (e->kind == EDIT_RENAME) {
		recompute(au);
		col_to(au, e->name);
	} else {
		recompute(au);
	}
}

/* Esc: what the edit changed goes back as it was. */
static void edit_undo(struct audience *au)
{
	struct edit *e = &au->edit;
	struct ccon_roster *r = au->roster;

	switch (e->kind) {
	case EDIT_CODE:
		if (e->new_row)
			ccon_roster_remove(r, e->row);
		else
			ccon_roster_set_code(r, e->row, e->orig);
		break;
	case EDIT_CHANNEL:
		ccon_roster_set_channel(r, e->row, e->orig);
		break;
	case EDIT_VALUE:
		if (e->field == CCON_ROSTER_NONE)
			break;
		if (e->existed)
			ccon_roster_field_set(r, e->row, e->field, NULL, e->orig);
		else
			ccon_roster_field_remove(r, e->row, e->field);
		break;
	case EDIT_RENAME:
		edit_changed(au, e->orig);
		break;
	default:
		break;
	}
}

static void edit_done(void *ctx, const char *text)
{
	struct audience *au = ctx;
	struct edit *e = &au->edit;
	char fit[CCON_FIT_SIZE(CCON_CUSTOM_FIELD_NAME_MAX, 32)];

	if (!text) {
		edit_undo(au);
		edit_reset(au);
		recompute(au);
		return;
	}
	if (e->kind == EDIT_FIELD_ADD) {
		if (e->err.code) {
			/* the prompt stays with the name, so it can be fixed (text is
			 * the prompt's own buffer: copied before it is reused) */
			char *again = strdup(text);

			app_error(au->pane.app, "%s", e->err.message);
			app_prompt(au->pane.app, au->label, again ? again : "", edit_changed,
			            edit_done, au);
			free(again);
			return;
		}
		if (add_name(&au->added, &au->n_added, text) < 0)
			oom(au);
		recompute(au);
		col_to(au, text);
		app_message(au->pane.app, "field %s added: e on a row sets its value",
		            draw_shown(text, 32, fit, sizeof(fit)));
	} else if (e->kind == EDIT_CODE && e->new_row && text[strspn(text, " \t")] == '\0') {
		/* a, then Enter with nothing typed: no row */
		ccon_roster_remove(au->roster, e->row);
		app_message(au->pane.app, "nothing typed: no contact added");
	} else if (e->kind == EDIT_CODE && e->row < au->roster->count &&
	           !ccon_roster_row_valid(&au->roster->rows[e->row])) {
		app_error(au->pane.app, "row %zu kept as typed: %s", e->row + 1,
		          au->roster->rows[e->row].error.message);
	}
	edit_reset(au);
	recompute(au);
}

static void edit_open(struct audience *au, const char *label, const char *text)
{
	char fit[CCON_FIT_SIZE(128, 60)];

	snprintf(au->label, sizeof(au->label), "%s: ", draw_shown(label, 60, fit, sizeof(fit)));
	app_prompt(au->pane.app, au->label, text, edit_changed, edit_done, au);
	au->pane.dirty |= PANE_DIRTY_ALL;
}

static void edit_cell(struct audience *au)
{
	struct ccon_roster_row *r;
	const char *name = col_name(au);
	char label[128];

	if (au->sel >= au->roster->count) {
		app_message(au->pane.app, "no contact here: a adds one");
		return;
	}
	r = &au->roster->rows[au->sel];
	edit_reset(au);
	au->edit.row = au->sel;
	if (au->col == COL_CODE || au->col == COL_CHANNEL) {
		bool code = au->col == COL_CODE;

		au->edit.kind = code ? EDIT_CODE : EDIT_CHANNEL;
		au->edit.orig = strdup(code ? r->contact.contact_code : r->contact.channel_type);
		if (!au->edit.orig) {
			oom(au);
			return;
		}
		snprintf(label, sizeof(label), "Row %zu %s", au->sel + 1,
		         code ? "contactCode" : "channelType");
		edit_open(au, label, au->edit.orig);
		return;
	}
	if (!name)
		return;
	au->edit.kind = EDIT_VALUE;
	au->edit.field = ccon_roster_field_index(au->roster, au->sel, name);
	au->edit.existed = au->edit.field != CCON_ROSTER_NONE;
	au->edit.name = strdup(name);
	au->edit.orig = strdup(au->edit.existed ? r->contact.custom_fields.items[au->edit.field].value
	                                        : "");
	if (!au->edit.name || !au->edit.orig) {
		oom(au);
		return;
	}
	snprintf(label, sizeof(label), "Row %zu %s", au->sel + 1, name);
	edit_open(au, label, au->edit.orig);
}

static void add_row(struct audience *au)
{
	size_t i;

	if (ccon_roster_add(au->roster, "", NULL, &i) < 0) {
		oom(au);
		return;
	}
	au->sel = i;
	au->col = COL_CODE;
	recompute(au);
	edit_cell(au);
	au->edit.new_row = true;
}

static void rename_field(struct audience *au)
{
	const char *name = col_name(au);
	struct ccon_roster *r = au->roster;
	size_t have = 0;
	char label[128];

	if (!name) {
		app_message(au->pane.app, "R renames a custom field: move to its column (Tab)");
		return;
	}
	edit_reset(au);
	au->edit.kind = EDIT_RENAME;
	au->edit.name = strdup(name);
	au->edit.orig = strdup(name);
	au->edit.idx = malloc((r->count + 1) * sizeof(*au->edit.idx));
	if (!au->edit.name || !au->edit.orig || !au->edit.idx) {
		edit_reset(au);
		oom(au);
		return;
	}
	for (size_t i = 0; i < r->count; i++) {
		au->edit.idx[i] = ccon_roster_field_index(r, i, name);
		have += au->edit.idx[i] != CCON_ROSTER_NONE;
	}
	snprintf(label, sizeof(label), "Rename %s (%zu row%s)", name, have, have == 1 ? "" : "s");
	edit_open(au, label, name);
}

static void field_add(struct audience *au)
{
	edit_reset(au);
	au->edit.kind = EDIT_FIELD_ADD;
	edit_open(au, "New custom field", "");
	edit_changed(au, "");
}

struct field_remove {
	struct audience *au;
	char *name;
};

static void field_remove_confirmed(void *ctx, bool yes)
{
	struct field_remove *fr = ctx;
	struct audience *au = fr->au;
	struct ccon_roster *r = au->roster;
	size_t n = 0;

	if (yes) {
		for (size_t i = 0; i < r->count; i++) {
			size_t f;

			while ((f = ccon_roster_field_index(r, i, fr->name)) != CCON_ROSTER_NONE) {
				ccon_roster_field_remove(r, i, f);
				n++;
			}
		}
		remove_name(au->added, &au->n_added, fr->name);
		recompute(au);
		app_message(au->pane.app, "field removed from %zu row%s", n, n == 1 ? "" : "s");
	} else {
		app_message(au->pane.app, "not removed");
	}
	free(fr->name);
	free(fr);
}

static void field_remove(struct audience *au)
{
	const char *name = col_name(au);
	struct field_remove *fr;
	char fit[CCON_FIT_SIZE(CCON_CUSTOM_FIELD_NAME_MAX, 32)];

	if (!name) {
		app_message(au->pane.app, "- removes a custom field: move to its column (Tab)");
		return;
	}
	fr = calloc(1, sizeof(*fr));
	if (!fr || !(fr->name = strdup(name))) {
		free(fr);
		oom(au);
		return;
	}
	fr->au = au;
	app_confirm(au->pane.app, field_remove_confirmed, fr,
	            "Remove the field %s from every row (%zu)? y/N",
	            draw_shown(name, 32, fit, sizeof(fit)),
	            au->roster->count - ccon_roster_lacking(au->roster, name, NULL, 0));
}

static void clear_cell(struct audience *au)
{
	const char *name = col_name(au);
	size_t f;

	if (!name || au->sel >= au->roster->count) {
		app_message(au->pane.app, "Del removes a custom field from a row: move to its column");
		return;
	}
	f = ccon_roster_field_index(au->roster, au->sel, name);
	if (f == CCON_ROSTER_NONE)
		return;
	ccon_roster_field_remove(au->roster, au->sel, f);
	recompute(au);
}

/* ------------------------------------------------------------ paste */

static void note_clear(struct audience *au)
{
	for (int i = 0; i < NOTE_LINES; i++)
		au->note[i][0] = '\0';
}

/* The report of a paste: the counts, then the duplicates and the invalid
 * items by their place in the paste. */
static void paste_note(struct audience *au, const struct ccon_roster_paste *res, size_t items)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	note_clear(au);
	snprintf(au->note[0], sizeof(au->note[0]),
	         "Pasted %zu item%s: %zu added, %zu duplicate%s (not added), %zu invalid (added, "
	         "marked !)", items, items == 1 ? "" : "s", res->added, res->duplicates,
	         res->duplicates == 1 ? "" : "s", res->invalid);
	if (res->duplicates) {
		ccon_strbuf_printf(&sb, "Duplicates:");
		for (size_t i = 0; i < res->duplicates && sb.len < sizeof(au->note[1]); i++) {
			const struct ccon_roster_paste_item *it = &res->duplicate_items[i];

			ccon_strbuf_printf(&sb, "%s #%zu (line %ld) = row %zu", i ? "," : "",
			                    it->position, it->line, it->row + 1);
		}
		snprintf(au->note[1], sizeof(au->note[1]), "%s", ccon_strbuf_cstr(&sb));
		ccon_strbuf_reset(&sb);
	}
	if (res->invalid) {
		ccon_strbuf_printf(&sb, "Invalid:");
		for (size_t i = 0; i < res->invalid && sb.len < sizeof(au->note[2]); i++) {
			const struct ccon_roster_paste_item *it = &res->invalid_items[i];

			ccon_strbuf_printf(&sb, "%s #%zu (line %ld, column %ld) row %zu: %s",
			                    i ? ";" : "", it->position, it->line, it->column, it->row + 1,
			                    it->error.message);
		}
		snprintf(au->note[res->duplicates ? 2 : 1], sizeof(au->note[2]), "%s",
		         ccon_strbuf_cstr(&sb));
	}
	ccon_strbuf_free(&sb);
}

static void paste_end(struct audience *au, bool keep)
{
	struct ccon_roster_paste res;
	size_t before = au->roster->count;
	int rc;

	au->pasting = false;
	au->pane.grab_keys = false;
	au->pane.dirty |= PANE_DIRTY_ALL;
	if (!keep) {
		app_message(au->pane.app, "paste dropped (%zu bytes)", au->paste.len);
		ccon_strbuf_reset(&au->paste);
		return;
	}
	rc = ccon_roster_paste(au->roster, ccon_strbuf_cstr(&au->paste), au->paste.len, NULL, &res);
	ccon_strbuf_reset(&au->paste);
	if (rc < 0)
		oom(au);
	paste_note(au, &res, res.added + res.duplicates);
	if (res.invalid)
		au->sel = res.invalid_items[0].row;
	else if (au->roster->count > before)
		au->sel = before;
	au->col = COL_CODE;
	ccon_roster_paste_free(&res);
	recompute(au);
}

/* A key of the paste: Ctrl-D ends it, Backspace takes a character back. */
static void paste_key(struct audience *au, struct ccon_key key)
{
	switch (paste_edit(&au->paste, key)) {
	case PASTE_KEEP:
		paste_end(au, true);
		break;
	case PASTE_DROP:
		paste_end(au, false);
		break;
	case PASTE_OOM:
		oom(au);
		break;
	case PASTE_TYPED:
		au->pane.dirty |= PANE_DIRTY_ALL;
		break;
	case PASTE_IGNORED:
		break;
	}
}

static void paste_start(struct audience *au)
{
	au->pasting = true;
	au->pane.grab_keys = true; /* Enter, j, Space...: text, not requests */
	ccon_strbuf_reset(&au->paste);
	note_clear(au);
	app_message(au->pane.app, "paste: Ctrl-D adds the numbers, Esc drops them");
	au->pane.dirty |= PANE_DIRTY_ALL;
}

/* ------------------------------------------------------------ requests */

static bool move_cursor(struct audience *au, enum request req)
{
	if (req == REQ_FOCUS_NEXT || req == REQ_FOCUS_PREV)
		cursor_cycle(&au->col, COL_FIELDS + au->n_cols, req == REQ_FOCUS_NEXT ? 1 : -1);
	else if (!cursor_move(&au->sel, au->roster->count, cursor_page(au->pane.rows), req))
		return false;
	au->pane.dirty |= PANE_DIRTY_ALL;
	return true;
}

static bool audience_request(struct pane *p, enum request req)
{
	struct audience *au = (struct audience *)p;

	if (move_cursor(au, req))
		return true;
	switch (req) {
	case REQ_ENTER:
	case REQ_EDIT:
		edit_cell(au);
		return true;
	case REQ_AUDIENCE_ADD:
		note_clear(au);
		add_row(au);
		return true;
	case REQ_AUDIENCE_DUPLICATE:
		if (au->sel >= au->roster->count)
			return true;
		note_clear(au);
		if (ccon_roster_duplicate(au->roster, au->sel) < 0)
			oom(au);
		else
			app_message(p->app, "row %zu duplicated as row %zu (the same number: fix one "
			            "before dispatch)", au->sel + 1, au->sel + 2);
		au->sel++;
		recompute(au);
		return true;
	case REQ_AUDIENCE_DELETE:
		if (au->sel >= au->roster->count)
			return true;
		note_clear(au);
		ccon_roster_remove(au->roster, au->sel);
		app_message(p->app, "row %zu deleted", au->sel + 1);
		recompute(au);
		return true;
	case REQ_AUDIENCE_CLEAR:
		clear_cell(au);
		return true;
	case REQ_AUDIENCE_FIELD_ADD:
		field_add(au);
		return true;
	case REQ_AUDIENCE_FIELD_RENAME:
		rename_field(au);
		return true;
	case REQ_AUDIENCE_FIELD_REMOVE:
		field_remove(au);
		return true;
	case REQ_AUDIENCE_PASTE:
		paste_start(au);
		return true;
	default:
		return false;
	}
}

static bool audience_key(struct pane *p, struct ccon_key key)
{
	struct audience *au = (struct audience *)p;

	if (!au->pasting)
		return false;
	paste_key(au, key);
	return true;
}

static void audience_close(struct pane *p)
{
	struct audience *au = (struct audience *)p;

	if (au->edit.kind != EDIT_NONE && p->app->prompt.active && p->app->prompt.ctx == au)
		p->app->prompt.active = false;
	edit_reset(au);
	free_names(au->cols, au->n_cols);
	free_names(au->added, au->n_added);
	ccon_strbuf_free(&au->paste);
	free(au->dup_of);
	free(au->lacking);
	free(au);
}

static const struct pane_ops audience_ops = {
	.name = "Audience",
	.changed = audience_changed,
	.draw = audience_draw,
	.request = audience_request,
	.key = audience_key,
	.close = audience_close,
};

struct pane *pane_audience_open(struct app *app, struct ccon_roster *roster,
                                const struct ccon_template_vars *vars)
{
	struct audience *au = calloc(1, sizeof(*au));

	if (!au)
		return NULL;
	au->pane.ops = &audience_ops;
	au->pane.app = app;
	au->pane.dirty = PANE_DIRTY_ALL;
	au->roster = roster;
	au->vars = vars;
	if (vars && vars->count && !(au->lacking = calloc(vars->count, sizeof(*au->lacking)))) {
		free(au);
		return NULL;
	}
	ccon_strbuf_init(&au->paste);
	recompute(au);
	return &au->pane;
}
