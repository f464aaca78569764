/* pane_tx.c - the transactional SMS's audience step (seed 003): the
 * contacts of the wizard's draft (d->tx) as a table edited like the
 * audience editor (a, e/Enter per cell on the bottom prompt, c, d, Del,
 * +), the send's options (flash, nlsMode, sendTypeOverride), and, for the
 * contact under the cursor, the campaign's template rendered with its
 * fields, its encoding and segment count (ccon_send_draft_sms), all
 * recomputed on every keystroke. Each row is judged by the codec itself (a
 * request of that one contact, encoded and decoded), so the reason shown
 * in place is the one the send would get. Every string is typed text or
 * the server's template: drawn through draw_text (the sanitiser). */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "colors.h"
#include "cursor.h"
#include "draw.h"

#include <ccon/codec_transactional.h>
#include <ccon/contact.h>
#include <ccon/send_draft.h>
#include <ccon/sms.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tx_col { COL_PHONE, COL_CC, COL_E164, COL_EXT, COL_REF, COL_FIELDS };

static const struct {
	const char *key;             /* the JSON name: also the codec's error path */
	const char *title;
	int width;
} cols[COL_FIELDS] = {
	[COL_PHONE] = { "phoneNumber", "phoneNumber", 14 },
	[COL_CC] = { "countryCode", "cc", 4 },
	[COL_E164] = { "e164", "e164", 15 },
	[COL_EXT] = { "externalCode", "externalCode", 12 },
	[COL_REF] = { "externalReference", "extReference", 12 },
};

#define W_MARK 2
#define W_NUM 4
#define W_TARGET 15
#define W_FIELD 14
#define LIVE_LINES 6                 /* the live readout under the table */

struct tx_row {
	struct ccon_error err;           /* the codec's first fault, path "contacts[i]..." */
	char target[CCON_E164_BUFSIZE];  /* where it goes ("" when no phone) */
	size_t missing;                  /* template variables it lacks */
};

struct tx_form {
	struct pane pane;
	struct ccon_send_draft *d;
	size_t sel, top, col, first_field;
	char **names;                    /* field columns: variables, fields, added */
	size_t n_names;
	char **added;
	size_t n_added;
	struct tx_row *rows;
	struct ccon_error check;         /* ccon_send_draft_check_fields */
	/* the open edit */
	bool editing, new_row, adding_field;
	size_t edit_row, edit_col;
	char *orig;                      /* NULL: the value was absent */
	struct ccon_error name_err;      /* the new field's name as typed */
	char label[160];
};

static struct ccon_transactional_contact *contact(struct tx_form *f, size_t i)
{
	return i < f->d->tx.n_contacts ? &f->d->tx.contacts[i] : NULL;
}

static void oom(struct tx_form *f)
{
	app_error(f->pane.app, "out of memory");
}

/* ------------------------------------------------------------ fields */

static char **str_slot(struct ccon_transactional_contact *c, size_t col)
{
	switch (col) {
	case COL_PHONE: return &c->phone_number;
	case COL_CC: return &c->country_code;
	case COL_E164: return &c->e164;
	case COL_EXT: return &c->external_code;
	case COL_REF: return &c->external_reference;
	default: return NULL;
	}
}

static const char *col_name(const struct tx_form *f, size_t col)
{
	return col >= COL_FIELDS && col - COL_FIELDS < f->n_names ? f->names[col - COL_FIELDS] : NULL;
}

/* The cell's text, NULL when absent. */
static const char *cell(struct tx_form *f, size_t i, size_t col)
{
	struct ccon_transactional_contact *c = contact(f, i);
	char **s;

	if (!c)
		return NULL;
	if (col < COL_FIELDS) {
		s = str_slot(c, col);
		return *s;
	}
	return col_name(f, col) ? ccon_fields_get(&c->custom_fields, col_name(f, col)) : NULL;
}

static int cell_set(struct tx_form *f, size_t i, size_t col, const char *text)
{
	struct ccon_transactional_contact *c = contact(f, i);

	if (!c)
		return 0;
	if (col < COL_FIELDS)
		return ccon_draft_str_set(str_slot(c, col), text);
	return col_name(f, col) ? ccon_fields_set(&c->custom_fields, col_name(f, col), text) : 0;
}

/* ------------------------------------------------------------ checks */

static bool has_name(char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static int add_name(char ***names, size_t *n, const char *name)
{
	char **p;

	if (has_name(*names, *n, name))
		return 0;
	if (!(p = realloc(*names, (*n + 1) * sizeof(*p))))
		return -1;
	*names = p;
	if (!(p[*n] = strdup(name)))
		return -1;
	(*n)++;
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void build_columns(struct tx_form *f)
{
	const struct ccon_template_vars *vars = &f->d->campaign.vars;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t v = 0; v < vars->count && !rc; v++)
		rc = add_name(&names, &n, vars->names[v]);
	for (size_t i = 0; i < f->d->tx.n_contacts && !rc; i++) {
		const struct ccon_fields *fl = &f->d->tx.contacts[i].custom_fields;

		for (size_t k = 0; k < fl->count && !rc; k++)
			rc = add_name(&names, &n, fl->items[k].name);
	}
	for (size_t i = 0; i < f->n_added && !rc; i++)
		rc = add_name(&names, &n, f->added[i]);
	if (rc) {
		free_names(names, n);
		oom(f);
		return;
	}
	free_names(f->names, f->n_names);
	f->names = names;
	f->n_names = n;
}

/* Row i judged by the codec: a request of that one contact, encoded and
 * decoded; the path is given back the row's index. */
static void check_row(struct tx_form *f, size_t i)
{
	struct ccon_transactional_request one = f->d->tx, back;
	struct tx_row *r = &f->rows[i];
	const struct ccon_template_vars *vars = &f->d->campaign.vars;
	struct ccon_tx_target t;
	cJSON *j = NULL;

	ccon_error_clear(&r->err);
	r->target[0] = '\0';
	one.contacts = &f->d->tx.contacts[i];
	one.n_contacts = 1;
	one.campaign_id = 1;
	one.schedule_date = NULL;
	if (ccon_transactional_request_encode(&one, &j) < 0) {
		ccon_error_set(&r->err, CCON_E_NOMEM, "out of memory");
	} else if (ccon_transactional_request_decode(j, &back, &r->err) == 0) {
		if (ccon_transactional_contact_target(&back.contacts[0], back.contact_type, i, &t,
		                                      NULL) == 0 && t.has_phone)
			snprintf(r->target, sizeof(r->target), "%s", t.e164);
		ccon_transactional_request_free(&back);
	} else if (strncmp(r->err.path, "contacts[0]", 11) == 0) {
		char path[CCON_ERROR_PATH_MAX];

		snprintf(path, sizeof(path), "contacts[%zu]%s", i, r->err.path + 11);
		snprintf(r->err.path, sizeof(r->err.path), "%s", path);
	}
	cJSON_Delete(j);
	r->missing = 0;
	for (size_t v = 0; v < vars->count; v++)
		if (!ccon_fields_get(&f->d->tx.contacts[i].custom_fields, vars->names[v]))
			r->missing++;
}

/* After a change of row i (or of every row: i past the end). */
static void recompute(struct tx_form *f, size_t i)
{
	size_t n = f->d->tx.n_contacts;
	struct tx_row *rows = realloc(f->rows, (n + 1) * sizeof(*rows));

	if (!rows) {
		oom(f);
		return;
	}
	f->rows = rows;
	build_columns(f);
	for (size_t k = 0; k < n; k++)
		if (i >= n || k == i)
			check_row(f, k);
	ccon_error_clear(&f->check);
	ccon_send_draft_check_fields(f->d, &f->check);
	if (f->sel >= n)
		f->sel = n ? n - 1 : 0;
	if (f->col >= COL_FIELDS + f->n_names)
		f->col = COL_FIELDS + f->n_names - 1;
	f->pane.dirty |= PANE_DIRTY_ALL;
}

/* The column the row's fault is in (COL_FIELDS + k for a field), or -1. */
static long fault_col(const struct tx_form *f, size_t i)
{
	const struct ccon_error *e = &f->rows[i].err;
	const char *p = strchr(e->path, ']');

	if (e->code == CCON_E_OK || !p || *++p != '.')
		return -1;
	p++;
	for (size_t c = 0; c < COL_FIELDS; c++)
		if (strcmp(p, cols[c].key) == 0)
			return (long)c;
	if (strncmp(p, "customFields.", 13) == 0)
		for (size_t k = 0; k < f->n_names; k++)
			if (strcmp(p + 13, f->names[k]) == 0)
				return (long)(COL_FIELDS + k);
	return -1;
}

/* ------------------------------------------------------------ drawing */

static const char *nls_text(enum ccon_nls_mode m)
{
	return ccon_nls_mode_name(m);
}

static const char *encoding_text(enum ccon_sms_encoding e)
{
	switch (e) {
	case CCON_SMS_GSM7: return "GSM-7";
	case CCON_SMS_GSM7_SPANISH: return "GSM-7 + Spanish shift";
	case CCON_SMS_UCS2: return "UCS-2";
	}
	return "?";
}

static void draw_heading(struct tx_form *f, WINDOW *w, int *y, struct rect a)
{
	const struct ccon_transactional_request *tx = &f->d->tx;
	const char *name = f->d->campaign.name ? f->d->campaign.name : "";
	size_t lacking = 0;

	for (size_t i = 0; i < tx->n_contacts; i++)
		lacking += f->rows[i].missing > 0;
	draw_fill(w, *y, a.x, a.w, A_NORMAL);
	draw_textf(w, (*y)++, a.x, a.w, A_BOLD, DRAW_LEFT,
	           " Transactional SMS  %zu contact%s  campaign %lld %s", tx->n_contacts,
	           tx->n_contacts == 1 ? "" : "s", (long long)f->d->campaign.id, name);
	draw_fill(w, *y, a.x, a.w, A_NORMAL);
	draw_textf(w, (*y)++, a.x + 1, a.w - 1, A_NORMAL, DRAW_LEFT,
	           "flash %s (F)   nlsMode %s (N)   sendTypeOverride %s (T: %s)",
	           tx->flash ? "ON" : "off", nls_text(tx->nls_mode),
	           ccon_send_type_name(tx->send_type),
	           tx->send_type == CCON_SEND_TYPE_ALL ? "massive" : "transactional");
	draw_fill(w, *y, a.x, a.w, A_NORMAL);
	if (!f->d->campaign.vars.count)
		draw_text(w, (*y)++, a.x + 1, a.w - 1, "Template variables: none", colors_attr(AREA_DIM),
		          DRAW_LEFT);
	else
		draw_textf(w, (*y)++, a.x + 1, a.w - 1,
		           lacking ? colors_attr(AREA_STATUS_WARN) : colors_attr(AREA_DIM), DRAW_LEFT,
		           "Template variables: %zu (a customField each); %zu contact%s lack%s some",
		           f->d->campaign.vars.count, lacking, lacking == 1 ? "" : "s",
		           lacking == 1 ? "s" : "");
}

/* How many field columns fit, keeping the cursor's in sight. */
static int field_columns(struct tx_form *f, int width)
{
	int fixed = 1 + W_MARK + W_NUM + W_TARGET + 1, fit;

	for (size_t c = 0; c < COL_FIELDS; c++)
		fixed += cols[c].width + 1;
	fit = (width - fixed) / (W_FIELD + 1);
	if (fit < 1)
		fit = 1;
	if (f->col >= COL_FIELDS) {
		size_t k = f->col - COL_FIELDS;

		if (k < f->first_field)
			f->first_field = k;
		if (k >= f->first_field + (size_t)fit)
			f->first_field = k - (size_t)fit + 1;
	} else {
		f->first_field = 0;
	}
	return fit;
}

static void draw_titles(struct tx_form *f, WINDOW *w, int y, struct rect a, int fit)
{
	attr_t h = colors_attr(AREA_HEADING);
	int x = a.x + 1 + W_MARK;

	draw_fill(w, y, a.x, a.w, h);
	draw_text(w, y, x, W_NUM - 1, "#", h, DRAW_RIGHT);
	x += W_NUM;
	for (size_t c = 0; c < COL_FIELDS; c++) {
		draw_text(w, y, x, cols[c].width, cols[c].title, h, DRAW_LEFT);
		x += cols[c].width + 1;
		if (c == COL_E164) {
			draw_text(w, y, x, W_TARGET, "\u2192 sends to", h, DRAW_LEFT);
			x += W_TARGET + 1;
		}
	}
	for (size_t k = f->first_field; k < f->n_names && k < f->first_field + (size_t)fit; k++) {
		int cw = x + W_FIELD > a.x + a.w ? a.x + a.w - x : W_FIELD;

		if (cw <= 0)
			break;
		draw_textf(w, y, x, cw, h, DRAW_LEFT,
		           ccon_template_vars_has(&f->d->campaign.vars, f->names[k],
		                                  strlen(f->names[k])) ? "{{%s}}" : "%s", f->names[k]);
		x += W_FIELD + 1;
	}
}

static attr_t cell_attr(const struct tx_form *f, size_t i, size_t col, attr_t attr)
{
	return i == f->sel && col == f->col ? attr | A_REVERSE | A_BOLD : attr;
}

static void draw_row(struct tx_form *f, WINDOW *w, int y, struct rect a, int fit, size_t i)
{
	bool cur = i == f->sel;
	attr_t base = cur ? colors_attr(AREA_CURSOR) : A_NORMAL;
	attr_t err = cur ? base | A_BOLD : colors_attr(AREA_ERROR);
	attr_t dim = cur ? base : colors_attr(AREA_DIM);
	const struct tx_row *r = &f->rows[i];
	long bad = fault_col(f, i);
	int x = a.x + 1;

	draw_fill(w, y, a.x, a.w, base);
	draw_text(w, y, x, 1, r->err.code ? "!" : r->missing ? "?" : " ",
	          (r->err.code ? err : dim) | A_BOLD, DRAW_LEFT);
	x += W_MARK;
	draw_textf(w, y, x, W_NUM - 1, dim, DRAW_RIGHT, "%zu", i + 1);
	x += W_NUM;
	for (size_t c = 0; c < COL_FIELDS; c++) {
		const char *v = cell(f, i, c);

		draw_text(w, y, x, cols[c].width, v ? v : "",
		          cell_attr(f, i, c, bad == (long)c ? err : base), DRAW_LEFT);
		x += cols[c].width + 1;
		if (c == COL_E164) {
			if (r->err.code && bad >= 0 && bad <= COL_E164)
				draw_text(w, y, x, W_TARGET, r->err.message, err, DRAW_LEFT);
			else
				draw_text(w, y, x, W_TARGET, r->target[0] ? r->target : "(by externalCode)",
				          r->target[0] ? colors_attr(AREA_STATUS_OK) | (cur ? base : 0) : dim,
				          DRAW_LEFT);
			x += W_TARGET + 1;
		}
	}
	for (size_t k = f->first_field; k < f->n_names && k < f->first_field + (size_t)fit; k++) {
		size_t c = COL_FIELDS + k;
		const char *v = cell(f, i, c);
		int cw = x + W_FIELD > a.x + a.w ? a.x + a.w - x : W_FIELD;

		if (cw <= 0)
			break;
		draw_text(w, y, x, cw, v ? v : "(missing)",
		          cell_attr(f, i, c, bad == (long)c ? err : v ? base : dim), DRAW_LEFT);
		x += W_FIELD + 1;
	}
}

/* The rendered message of the row under the cursor, its encoding and
 * segments, what it lacks; then the cell's reason or the send's check. */
static void draw_live(struct tx_form *f, WINDOW *w, int y, struct rect a)
{
	struct ccon_strbuf text = CCON_STRBUF_INIT;
	struct ccon_sms_info info;
	struct ccon_error err;
	size_t missing = 0;
	int end = y + LIVE_LINES, width = a.w - 12;
	const char *s;

	for (int k = y; k < end; k++)
		draw_fill(w, k, a.x, a.w, A_NORMAL);
	if (f->adding_field) {
		draw_textf(w, y, a.x + 1, a.w - 1, f->name_err.code ? colors_attr(AREA_ERROR)
		                                                    : colors_attr(AREA_DIM), DRAW_LEFT,
		           "New field name: %s", f->name_err.code ? f->name_err.message
		                                                   : "letters, digits and underscores");
		return;
	}
	if (f->sel >= f->d->tx.n_contacts) {
		draw_text(w, y, a.x + 1, a.w - 1, "a adds a contact (Tab moves between its cells)",
		          colors_attr(AREA_DIM), DRAW_LEFT);
		return;
	}
	ccon_error_clear(&err);
	if (ccon_send_draft_sms(f->d, f->sel, &text, &missing, &info, &err) < 0) {
		draw_textf(w, y++, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT,
		           "Contact %zu's message: %s", f->sel + 1, err.message);
	} else {
		/* the text over at most three lines, cut by display width */
		s = ccon_strbuf_cstr(&text);
		draw_textf(w, y, a.x + 1, 10, A_BOLD, DRAW_LEFT, "Message %zu", f->sel + 1);
		for (int line = 0; line < 3 && *s; line++) {
			char buf[1024];
			size_t n = 0;

			while (s[n] && n + 4 < sizeof(buf)) {
				size_t k = n + 1;

				while (((unsigned char)s[k] & 0xc0) == 0x80)
					k++;
				memcpy(buf, s, k);
				buf[k] = '\0';
				if (draw_width(buf) > width)
					break;
				n = k;
			}
			memcpy(buf, s, n);
			buf[n] = '\0';
			draw_text(w, y + line, a.x + 11, width, buf, A_NORMAL, DRAW_LEFT);
			s += n ? n : strlen(s);
		}
		y += 3;
		draw_textf(w, y++, a.x + 1, a.w - 1,
		           info.segments > 1 ? colors_attr(AREA_STATUS_WARN) : colors_attr(AREA_STATUS_OK),
		           DRAW_LEFT, "%s, %zu %s, %zu segment%s (%zu a segment)%s",
		           encoding_text(info.encoding), info.units,
		           info.encoding == CCON_SMS_UCS2 ? "UTF-16 units" : "septets", info.segments,
		           info.segments == 1 ? "" : "s", info.per_segment,
		           missing ? "; variables missing are left as {{name}}" : "");
	}
	ccon_strbuf_free(&text);
	if (f->rows[f->sel].err.code)
		draw_textf(w, y++, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT, "%s: %s",
		           f->rows[f->sel].err.path, f->rows[f->sel].err.message);
	else if (f->check.code)
		draw_textf(w, y++, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT,
		           "not ready: %s: %s", f->check.path, f->check.message);
	else
		draw_text(w, y++, a.x + 1, a.w - 1, "ready: every contact passes the send's checks",
		          colors_attr(AREA_STATUS_OK), DRAW_LEFT);
}

static void tx_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct tx_form *f = (struct tx_form *)p;
	size_t n = f->d->tx.n_contacts;
	int y = a.y, rows, fit;

	draw_heading(f, w, &y, a);
	fit = field_columns(f, a.w);
	draw_titles(f, w, y++, a, fit);
	rows = a.y + a.h - y - LIVE_LINES;
	if (rows < 1)
		rows = 1;
	p->rows = rows;
	if (f->sel < f->top)
		f->top = f->sel;
	if (f->sel >= f->top + (size_t)rows)
		f->top = f->sel - (size_t)rows + 1;
	for (int i = 0; i < rows; i++, y++) {
		if (f->top + (size_t)i < n)
			draw_row(f, w, y, a, fit, f->top + (size_t)i);
		else
			draw_fill(w, y, a.x, a.w, A_NORMAL);
	}
	draw_live(f, w, y, a);
}

/* ------------------------------------------------------------ editing */

static void edit_reset(struct tx_form *f)
{
	free(f->orig);
	f->orig = NULL;
	f->editing = f->new_row = f->adding_field = false;
	ccon_error_clear(&f->name_err);
}

static void edit_changed(void *ctx, const char *text)
{
	struct tx_form *f = ctx;

	if (f->adding_field) {
		struct ccon_fields fl = CCON_FIELDS_INIT;
		int rc = 0;

		for (size_t k = 0; k < f->n_names && rc == 0; k++)
			rc = ccon_fields_add(&fl, f->names[k], "", 0);
		if (rc == 0)
			rc = ccon_fields_add(&fl, text, "", 0);
		ccon_error_clear(&f->name_err);
		if (rc == 0)
			ccon_custom_field_check(&fl, fl.count - 1, &f->name_err);
		else
			oom(f);
		ccon_fields_free(&fl);
		f->pane.dirty |= PANE_DIRTY_ALL;
		return;
	}
	if (!f->editing)
		return;
	if (cell_set(f, f->edit_row, f->edit_col, text) < 0)
		oom(f);
	recompute(f, f->edit_row);
}

static void edit_done(void *ctx, const char *text)
{
	struct tx_form *f = ctx;
	size_t row = f->edit_row;

	if (f->adding_field) {
		if (text && f->name_err.code) {
			char *again = strdup(text);

			app_error(f->pane.app, "%s", f->name_err.message);
			app_prompt(f->pane.app, f->label, again ? again : "", edit_changed,
			            edit_done, f);
			free(again);
			return;
		}
		if (text && add_name(&f->added, &f->n_added, text) < 0)
			oom(f);
		edit_reset(f);
		recompute(f, (size_t)-1);
		for (size_t k = 0; text && k < f->n_names; k++)
			if (strcmp(f->names[k], text) == 0)
				f->col = COL_FIELDS + k;
		return;
	}
	if (!f->editing)
		return;
	if (!text) {
		if (f->new_row) {
			ccon_send_draft_tx_remove(f->d, row);
			row = (size_t)-1;
		} else {
			cell_set(f, row, f->edit_col, f->orig);
		}
	} else if (row < f->d->tx.n_contacts && f->rows[row].err.code &&
	           fault_col(f, row) == (long)f->edit_col) {
		app_error(f->pane.app, "contact %zu kept as typed, but refused: %s", row + 1,
		          f->rows[row].err.message);
	}
	edit_reset(f);
	recompute(f, row);
}

static void edit_open(struct tx_form *f, const char *label, const char *text)
{
	snprintf(f->label, sizeof(f->label), "%s: ", label);
	app_prompt(f->pane.app, f->label, text, edit_changed, edit_done, f);
	f->pane.dirty |= PANE_DIRTY_ALL;
}

static void edit_cell(struct tx_form *f)
{
	const char *v, *name;
	char label[96];

	if (f->sel >= f->d->tx.n_contacts) {
		app_message(f->pane.app, "no contact here: a adds one");
		return;
	}
	edit_reset(f);
	v = cell(f, f->sel, f->col);
	if (v && !(f->orig = strdup(v))) {
		oom(f);
		return;
	}
	f->editing = true;
	f->edit_row = f->sel;
	f->edit_col = f->col;
	name = f->col < COL_FIELDS ? cols[f->col].key : col_name(f, f->col);
	snprintf(label, sizeof(label), "Contact %zu %.64s", f->sel + 1, name ? name : "?");
	edit_open(f, label, v ? v : "");
}

static void add_row(struct tx_form *f)
{
	size_t i;

	if (ccon_send_draft_tx_add(f->d, &i) < 0) {
		oom(f);
		return;
	}
	f->sel = i;
	f->col = COL_PHONE;
	recompute(f, (size_t)-1);
	edit_cell(f);
	f->new_row = true;
}

/* A copy of contact i after it (the same number: fix one before sending). */
static void duplicate_row(struct tx_form *f)
{
	struct ccon_transactional_contact *src;
	struct ccon_transactional_contact *dst;
	size_t i, n;
	int rc = 0;

	if (f->sel >= f->d->tx.n_contacts || ccon_send_draft_tx_add(f->d, &i) < 0) {
		if (f->sel < f->d->tx.n_contacts)
			oom(f);
		return;
	}
	n = f->d->tx.n_contacts;
	src = &f->d->tx.contacts[f->sel];
	dst = &f->d->tx.contacts[i];
	for (size_t c = 0; c < COL_FIELDS && rc == 0; c++)
		rc = ccon_draft_str_set(str_slot(dst, c), *str_slot(src, c));
	for (size_t k = 0; k < src->custom_fields.count && rc == 0; k++)
		rc = ccon_fields_add(&dst->custom_fields, src->custom_fields.items[k].name,
		                     src->custom_fields.items[k].value,
		                     strlen(src->custom_fields.items[k].value));
	if (rc == 0 && src->origin_data)
		rc = ccon_draft_str_set(&dst->origin_data, src->origin_data);
	if (rc < 0)
		oom(f);
	/* move the copy from the end to just after its original */
	if (f->sel + 2 < n) {
		struct ccon_transactional_contact copy = f->d->tx.contacts[i];

		memmove(&f->d->tx.contacts[f->sel + 2], &f->d->tx.contacts[f->sel + 1],
		        (n - f->sel - 2) * sizeof(copy));
		f->d->tx.contacts[f->sel + 1] = copy;
	}
	app_message(f->pane.app, "contact %zu duplicated as contact %zu", f->sel + 1, f->sel + 2);
	f->sel++;
	recompute(f, (size_t)-1);
}

static void clear_cell(struct tx_form *f)
{
	if (f->sel >= f->d->tx.n_contacts)
		return;
	if (cell_set(f, f->sel, f->col, NULL) < 0)
		oom(f);
	recompute(f, f->sel);
}

/* ------------------------------------------------------------ requests */

static bool move_sel(struct tx_form *f, enum request req)
{
	if (req == REQ_FOCUS_NEXT || req == REQ_FOCUS_PREV)
		cursor_cycle(&f->col, COL_FIELDS + f->n_names, req == REQ_FOCUS_NEXT ? 1 : -1);
	else if (!cursor_move(&f->sel, f->d->tx.n_contacts, cursor_page(f->pane.rows), req))
		return false;
	f->pane.dirty |= PANE_DIRTY_ALL;
	return true;
}

static bool tx_request(struct pane *p, enum request req)
{
	struct tx_form *f = (struct tx_form *)p;
	struct ccon_transactional_request *tx = &f->d->tx;

	if (move_sel(f, req))
		return true;
	switch (req) {
	case REQ_ENTER:
	case REQ_EDIT:
		edit_cell(f);
		break;
	case REQ_AUDIENCE_ADD:
		add_row(f);
		break;
	case REQ_AUDIENCE_DUPLICATE:
		duplicate_row(f);
		break;
	case REQ_AUDIENCE_DELETE:
		if (f->sel >= tx->n_contacts)
			break;
		ccon_send_draft_tx_remove(f->d, f->sel);
		app_message(p->app, "contact %zu deleted", f->sel + 1);
		recompute(f, (size_t)-1);
		break;
	case REQ_AUDIENCE_CLEAR:
		clear_cell(f);
		break;
	case REQ_AUDIENCE_FIELD_ADD:
		edit_reset(f);
		f->adding_field = true;
		edit_open(f, "New custom field", "");
		edit_changed(f, "");
		break;
	case REQ_TX_FLASH:
		tx->flash = !tx->flash;
		app_message(p->app, "flash %s", tx->flash ? "on" : "off");
		break;
	case REQ_TX_NLS_MODE:
		tx->nls_mode = tx->nls_mode == CCON_NLS_SPANISH ? CCON_NLS_AUTO : tx->nls_mode + 1;
		app_message(p->app, "nlsMode %s", ccon_nls_mode_name(tx->nls_mode));
		break;
	case REQ_TX_SEND_TYPE:
		tx->send_type = tx->send_type == CCON_SEND_TYPE_ALL ? CCON_SEND_TYPE_LIST
		                                                    : CCON_SEND_TYPE_ALL;
		app_message(p->app, "sendTypeOverride %s", ccon_send_type_name(tx->send_type));
		break;
	default:
		return false;
	}
	recompute(f, (size_t)-1);
	return true;
}

static void tx_changed(struct pane *p, unsigned changes)
{
	(void)p;
	(void)changes;
}

static void tx_close(struct pane *p)
{
	struct tx_form *f = (struct tx_form *)p;

	if (p->app->prompt.active && p->app->prompt.ctx == f)
		p->app->prompt.active = false;
	edit_reset(f);
	free_names(f->names, f->n_names);
	free_names(f->added, f->n_added);
	free(f->rows);
	free(f);
}

static const struct pane_ops tx_ops = {
	.name = "Transactional SMS",
	.changed = tx_changed,
	.draw = tx_draw,
	.request = tx_request,
	.close = tx_close,
};

struct pane *pane_tx_open(struct app *app, struct ccon_send_draft *d)
{
	struct tx_form *f = calloc(1, sizeof(*f));

	if (!f) {
		app_error(app, "out of memory");
		return NULL;
	}
	f->pane.ops = &tx_ops;
	f->pane.app = app;
	f->pane.dirty = PANE_DIRTY_ALL;
	f->d = d;
	recompute(f, (size_t)-1);
	return &f->pane;
}
