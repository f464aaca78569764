/* envelope_draw.c - what the envelope campaign editor draws (envelope.h):
 * the campaign in two columns, the audiences table, the detail line. Every
 * string is typed or pasted text: drawn through draw_text (the sanitiser). */
#include "config.h"

#include "envelope.h"

#include "colors.h"
#include "draw.h"

#include <ccon/sanitize.h>
#include <ccon/utf8.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ drawing: the campaign */

static void field_value(const struct envelope *ev, enum field f, struct ccon_strbuf *sb,
                        bool *absent)
{
	const struct ccon_full_campaign *c = fc(ev);
	const char *s = NULL;

	*absent = false;
	switch (f) {
	case F_TYPE:
		ccon_strbuf_printf(sb, "%s", ccon_campaign_type_name(fc(ev)->campaign.type));
		return;
	case F_CHANNEL:
		ccon_strbuf_printf(sb, "%s", ccon_channel_name(c->campaign.channel));
		return;
	case F_PARAMS:
		env_list_text(c->message.params, c->message.n_params, sb);
		break;
	case F_TAGS:
		env_list_text(c->campaign.tags, c->campaign.n_tags, sb);
		break;
	case F_NAME: s = c->campaign.name; break;
	case F_TEMPLATE: s = c->message.message_template; break;
	case F_CONTENT: s = c->message.message_content; break;
	case F_LANGUAGE: s = c->message.template_language; break;
	case F_FLOW: s = c->campaign.flow_id; break;
	case F_STATE: s = c->campaign.state_id; break;
	case F_MASTER: s = c->campaign.master_state; break;
	case F_SOURCE: s = c->campaign.source_application; break;
	case F__COUNT: break;
	}
	if (s)
		ccon_strbuf_printf(sb, "%s", s);
	if (!sb->len) {
		*absent = true;
		ccon_strbuf_printf(sb, "%s", f == F_NAME ? "(required)" :
		                   f == F_TEMPLATE && c->message.channel == CCON_CHANNEL_WHATSAPP
		                   ? "(required for WhatsApp)" :
		                   f == F_CONTENT && c->message.channel == CCON_CHANNEL_GOOGLE_RCS
		                   ? "(required for GoogleRcs)" : "-");
	}
}

static void draw_field(struct envelope *ev, WINDOW *w, int y, int x, int width, enum field f)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	bool cursor = ev->part == PART_CAMPAIGN && ev->field == f, absent;
	bool bad = env_fault_field(ev) == f;
	attr_t lab = cursor ? colors_attr(AREA_CURSOR) | A_BOLD : colors_attr(AREA_DIM);
	attr_t val = bad ? colors_attr(AREA_ERROR) | A_BOLD : A_NORMAL;
	int lw = f < F_FLOW ? 24 : 18;

	if (width <= lw + 2)
		return;
	field_value(ev, f, &sb, &absent);
	if (absent && !bad)
		val = colors_attr(AREA_DIM);
	if (cursor)
		val |= A_REVERSE;
	draw_text(w, y, x, lw, field_info[f].name, lab, DRAW_RIGHT);
	draw_text(w, y, x + lw + 1, width - lw - 2, ccon_strbuf_cstr(&sb), val, DRAW_LEFT);
	ccon_strbuf_free(&sb);
}

static int draw_campaign(struct envelope *ev, WINDOW *w, int y, struct rect a)
{
	int half = a.w / 2;

	draw_fill(w, y, a.x, a.w, colors_attr(AREA_HEADING));
	draw_textf(w, y++, a.x + 1, a.w - 1, colors_attr(AREA_HEADING) |
	           (ev->part == PART_CAMPAIGN ? A_BOLD : 0), DRAW_LEFT, "%s Campaign%s",
	           ev->part == PART_CAMPAIGN ? ">" : " ",
	           ev->part == PART_CAMPAIGN ? "  (j/k a field, Enter edits or switches; Tab: the "
	           "audiences)" : "  (Tab edits it)");
	for (int i = 0; i < FORM_LINES; i++, y++) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_field(ev, w, y, a.x, half, (enum field)i);
		if (F_FLOW + i < F__COUNT)
			draw_field(ev, w, y, a.x + half, a.w - half, (enum field)(F_FLOW + i));
	}
	return y;
}

/* The resource's first fault, or that it is ready. */
static void draw_check(struct envelope *ev, WINDOW *w, int y, struct rect a)
{
	char line[CCON_ERROR_PATH_MAX + CCON_ERROR_MESSAGE_MAX + 8];

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	if (!ev->check.code) {
		draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_STATUS_OK), DRAW_LEFT,
		           "Ready: set /campaign/full, %s, %zu audience%s",
		           ccon_campaign_type_name(fc(ev)->campaign.type), fc(ev)->n_audiences,
		           fc(ev)->n_audiences == 1 ? "" : "s");
		return;
	}
	ccon_error_format(&ev->check, line, sizeof(line));
	draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT, "Not ready: %s",
	           line);
}

/* ------------------------------------------------------------ drawing: the audiences */

/* How many parameter columns fit, keeping the cursor's in. */
static int param_columns(struct envelope *ev, int width)
{
	int fixed = 1 + W_MARK + W_NUM + W_RECIPIENT + 1 + W_E164 + 1 + W_CONTEXT_MIN;
	int fit = (width - fixed) / (W_PARAM + 1);

	if (fit < 1)
		fit = 1;
	if (ev->col >= COL_PARAMS && ev->col - COL_PARAMS < ev->n_cols) {
		size_t k = ev->col - COL_PARAMS;

		if (k < ev->first_param)
			ev->first_param = k;
		if (k >= ev->first_param + (size_t)fit)
			ev->first_param = k - (size_t)fit + 1;
	} else if (ev->col == COL_RECIPIENT) {
		ev->first_param = 0;
	}
	return fit;
}

static int draw_audience_heading(struct envelope *ev, WINDOW *w, int y, struct rect a)
{
	size_t n = fc(ev)->n_audiences;
	attr_t h = colors_attr(AREA_HEADING) | (ev->part == PART_AUDIENCES ? A_BOLD : 0);

	draw_fill(w, y, a.x, a.w, colors_attr(AREA_HEADING));
	if (individual(ev))
		draw_textf(w, y, a.x + 1, a.w - 1, h, DRAW_LEFT,
		           "%s Audience  Individual: exactly one audience (%zu)   Valid %zu  "
		           "Invalid %zu", ev->part == PART_AUDIENCES ? ">" : " ", n, ev->valid,
		           ev->invalid);
	else if (ev->duplicates)
		draw_textf(w, y, a.x + 1, a.w - 1, h, DRAW_LEFT,
		           "%s Audiences  Batch: %zu   Valid %zu  Invalid %zu  Duplicate numbers %zu "
		           "(sent once)", ev->part == PART_AUDIENCES ? ">" : " ", n, ev->valid,
		           ev->invalid, ev->duplicates);
	else
		draw_textf(w, y, a.x + 1, a.w - 1, h, DRAW_LEFT,
		           "%s Audiences  Batch: %zu   Valid %zu  Invalid %zu   (a adds, p pastes "
		           "many; Tab: the campaign)", ev->part == PART_AUDIENCES ? ">" : " ", n,
		           ev->valid, ev->invalid);
	y++;
	if (ev->note[0]) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_text(w, y++, a.x + 1, a.w - 1, ev->note, colors_attr(AREA_STATUS_WARN),
		          DRAW_LEFT);
	}
	return y;
}

static int context_x(int fit_end, struct rect a)
{
	return fit_end < a.x + a.w ? fit_end : a.x + a.w;
}

static void draw_headings(struct envelope *ev, WINDOW *w, int y, struct rect a, int fit)
{
	attr_t h = colors_attr(AREA_HEADING);
	int x = a.x + 1 + W_MARK;

	draw_fill(w, y, a.x, a.w, h);
	draw_text(w, y, x, W_NUM - 1, "#", h, DRAW_RIGHT);
	x += W_NUM;
	draw_text(w, y, x, W_RECIPIENT, "recipient", h, DRAW_LEFT);
	x += W_RECIPIENT + 1;
	draw_text(w, y, x, W_E164, "E.164", h, DRAW_LEFT);
	x += W_E164 + 1;
	for (size_t k = ev->first_param; k < ev->n_cols && k < ev->first_param + (size_t)fit;
	     k++) {
		if (env_is_param(ev, ev->cols[k]))
			draw_textf(w, y, x, W_PARAM, h, DRAW_LEFT, "%s", ev->cols[k]);
		else
			draw_textf(w, y, x, W_PARAM, h, DRAW_LEFT, "(%s)", ev->cols[k]);
		x += W_PARAM + 1;
	}
	x = context_x(x, a);
	draw_text(w, y, x, a.x + a.w - x, "contextVariables", h, DRAW_LEFT);
	if (ev->first_param > 0)
		draw_text(w, y, a.x, 1, "<", h | A_BOLD, DRAW_LEFT);
	if (ev->first_param + (size_t)fit < ev->n_cols)
		draw_text(w, y, x - 1, 1, ">", h | A_BOLD, DRAW_LEFT);
}

static attr_t cell_attr(const struct envelope *ev, size_t i, size_t col, attr_t attr)
{
	if (ev->part == PART_AUDIENCES && i == ev->sel && col == ev->col)
		return attr | A_REVERSE | A_BOLD;
	return attr;
}

static void draw_row(struct envelope *ev, WINDOW *w, int y, struct rect a, int fit, size_t i)
{
	const struct ccon_audience *au = &fc(ev)->audiences[i];
	bool cursor = ev->part == PART_AUDIENCES && i == ev->sel;
	attr_t base = cursor ? colors_attr(AREA_CURSOR) : A_NORMAL;
	attr_t err = cursor ? base | A_BOLD : colors_attr(AREA_ERROR);
	attr_t dim = cursor ? base : colors_attr(AREA_DIM);
	attr_t warn = cursor ? base | A_BOLD : colors_attr(AREA_STATUS_WARN);
	char e164[CCON_E164_BUFSIZE];
	struct ccon_error re, ce;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	bool rbad = env_recipient_check(ev, i, e164, &re) < 0;
	int x = a.x + 1;

	draw_fill(w, y, a.x, a.w, base);
	if (env_row_check(ev, i, &ce) < 0)
		draw_text(w, y, x, 1, "!", err | A_BOLD, DRAW_LEFT);
	else if (env_dup_of(ev, i) != NONE)
		draw_text(w, y, x, 1, "=", warn | A_BOLD, DRAW_LEFT);
	x += W_MARK;
	draw_textf(w, y, x, W_NUM - 1, dim, DRAW_RIGHT, "%zu", i + 1);
	x += W_NUM;
	draw_text(w, y, x, W_RECIPIENT, au->recipient ? au->recipient : "",
	          cell_attr(ev, i, COL_RECIPIENT, rbad ? err : base), DRAW_LEFT);
	x += W_RECIPIENT + 1;
	if (rbad)
		draw_text(w, y, x, W_E164, re.message, err, DRAW_LEFT);
	else if (env_dup_of(ev, i) != NONE)
		draw_textf(w, y, x, W_E164, warn, DRAW_LEFT, "= row %zu", env_dup_of(ev, i) + 1);
	else
		draw_text(w, y, x, W_E164, e164, colors_attr(AREA_STATUS_OK) | (cursor ? base : 0),
		          DRAW_LEFT);
	x += W_E164 + 1;
	for (size_t k = ev->first_param; k < ev->n_cols && k < ev->first_param + (size_t)fit;
	     k++) {
		size_t f = ccon_fields_index(&au->message_params, ev->cols[k]);
		bool bad = env_cell_check(ev, i, ev->cols[k], &ce) < 0;
		attr_t at = cell_attr(ev, i, COL_PARAMS + k, bad ? err : base);

		if (f == NONE)
			draw_text(w, y, x, W_PARAM, env_is_param(ev, ev->cols[k]) ? "(missing)" : "",
			          at, DRAW_LEFT);
		else
			draw_text(w, y, x, W_PARAM, au->message_params.items[f].value, at, DRAW_LEFT);
		x += W_PARAM + 1;
	}
	x = context_x(x, a);
	ccon_fields_format_pairs(&au->context_variables, &sb);
	draw_text(w, y, x, a.x + a.w - x, ccon_strbuf_cstr(&sb),
	          cell_attr(ev, i, COL_PARAMS + ev->n_cols, base), DRAW_LEFT);
	ccon_strbuf_free(&sb);
}

/* The bottom line: the cursor's reason (or what it holds), in full. */
static void draw_detail(struct envelope *ev, WINDOW *w, int y, struct rect a)
{
	const struct ccon_full_campaign *c = fc(ev);
	attr_t dim = colors_attr(AREA_DIM), bad = colors_attr(AREA_ERROR);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error e;
	char e164[CCON_E164_BUFSIZE];
	const char *name = env_col_name(ev);

	draw_fill(w, y, a.x, a.w, A_NORMAL);
#define LINE(attr, ...) draw_textf(w, y, a.x + 1, a.w - 1, attr, DRAW_LEFT, __VA_ARGS__)
	if (ev->pasting) {
		LINE(colors_attr(AREA_STATUS_WARN) | A_BOLD, "PASTE: type or paste recipients (%zu "
		     "bytes so far); Ctrl-D adds them, Esc drops them", ev->paste.len);
	} else if (ev->edit.kind != EDIT_NONE && ev->edit.err.code) {
		if (ev->edit.err.column)
			LINE(bad, "%s, character %ld: %s", ev->edit.err.path, ev->edit.err.column,
			     ev->edit.err.message);
		else
			LINE(bad, "%s: %s", ev->edit.err.path, ev->edit.err.message);
	} else if (ev->edit.kind == EDIT_PARAM_ADD && ev->check.code &&
	           env_path_under(ev->check.path, "message.messageParams")) {
		LINE(bad, "%s: %s", ev->check.path, ev->check.message);
	} else if (ev->part == PART_CAMPAIGN) {
		if (env_fault_field(ev) == ev->field)
			LINE(bad, "%s: %s", ev->check.path, ev->check.message);
		else if (ev->field == F_TYPE || ev->field == F_CHANNEL)
			LINE(dim, "%s: Enter switches it", field_info[ev->field].name);
		else if (ev->field == F_PARAMS || ev->field == F_TAGS)
			LINE(dim, "%s: names separated by commas (e edits)", field_info[ev->field].name);
		else
			LINE(dim, "%s: e edits it", field_info[ev->field].name);
	} else if (ev->sel >= c->n_audiences) {
		LINE(dim, individual(ev) ? "a adds the audience" : "a adds an audience, p pastes many "
		     "recipients");
	} else if ((ev->col == COL_RECIPIENT && env_recipient_check(ev, ev->sel, e164, &e) < 0) ||
	           (name && env_cell_check(ev, ev->sel, name, &e) < 0) ||
	           (!env_col_is_context(ev) && env_row_check(ev, ev->sel, &e) < 0)) {
		LINE(bad, "%s: %s", e.path, e.message);
	} else if (env_col_is_context(ev)) {
		ccon_fields_format_pairs(&c->audiences[ev->sel].context_variables, &sb);
		LINE(dim, "contextVariables: %s", sb.len ? ccon_strbuf_cstr(&sb)
		                                         : "none (e sets name=value; name=value)");
	} else if (env_dup_of(ev, ev->sel) != NONE) {
		env_recipient_check(ev, ev->sel, e164, &e);
		LINE(colors_attr(AREA_STATUS_WARN), "Row %zu: %s is also row %zu; ccond sends it once "
		     "(a duplicate)", ev->sel + 1, e164, env_dup_of(ev, ev->sel) + 1);
	} else {
		env_recipient_check(ev, ev->sel, e164, &e);
		LINE(dim, "Row %zu: %s is valid", ev->sel + 1, e164);
	}
#undef LINE
	ccon_strbuf_free(&sb);
}

static void clamp(struct envelope *ev, int rows)
{
	size_t n = fc(ev)->n_audiences;

	if (ev->sel >= n)
		ev->sel = n ? n - 1 : 0;
	if (ev->sel < ev->top)
		ev->top = ev->sel;
	if (rows > 0 && ev->sel >= ev->top + (size_t)rows)
		ev->top = ev->sel - (size_t)rows + 1;
	if (rows > 0 && n <= (size_t)rows)
		ev->top = 0;
}

void envelope_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct envelope *ev = (struct envelope *)p;
	int y = a.y, rows, fit;

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	draw_textf(w, y++, a.x, a.w, A_BOLD, DRAW_LEFT, " Envelope campaign  set /campaign/full  "
	           "%s, %s   Tab: the other part  Esc: the wizard",
	           ccon_campaign_type_name(fc(ev)->campaign.type),
	           ccon_channel_name(fc(ev)->campaign.channel));
	draw_check(ev, w, y++, a);
	y = draw_campaign(ev, w, y, a);
	y = draw_audience_heading(ev, w, y, a);
	fit = param_columns(ev, a.w);
	draw_headings(ev, w, y++, a, fit);
	rows = a.y + a.h - y - 1;
	if (rows < 1)
		rows = 1;
	p->rows = rows;
	clamp(ev, rows);
	for (int i = 0; i < rows && y < a.y + a.h - 1; i++, y++) {
		size_t k = ev->top + (size_t)i;

		if (k < fc(ev)->n_audiences)
			draw_row(ev, w, y, a, fit, k);
		else
			draw_fill(w, y, a.x, a.w, A_NORMAL);
	}
	draw_detail(ev, w, a.y + a.h - 1, a);
}
