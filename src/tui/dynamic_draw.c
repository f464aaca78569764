/* dynamic_draw.c - what the dynamic audiences pane draws (dynamic.h): the
 * form, the heading and the rounds, the table being composed or the CSV
 * preview, the server's audience and the detail line. Every string from a
 * file, the server or the keyboard is drawn through draw_text. */
#include "config.h"

#include "dynamic.h"

#include "colors.h"
#include "draw.h"

#include <ccon/sanitize.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const form_labels[4] = { "Name", "Channel", "Template", "Parameters" };

/* s sanitised and cut to cells columns. */
/* ------------------------------------------------------------ drawing */

static int put_line(WINDOW *w, int y, struct rect a, attr_t attr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int put_line(WINDOW *w, int y, struct rect a, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	draw_fill(w, y, a.x, a.w, A_NORMAL);
	draw_text(w, y, a.x + 1, a.w - 1, buf, attr, DRAW_LEFT);
	return y + 1;
}

static void draw_form(struct dyn *d, WINDOW *w, struct rect a)
{
	attr_t dim = colors_attr(AREA_DIM);
	int y = a.y;
	char fit[256];

	y = put_line(w, y, a, A_BOLD, "New /campaign/v2 campaign (dynamic audiences, Beta): Enter edits "
	         "a field, Enter on the last line creates it");
	y = put_line(w, y, a, dim, "campaignType Batch; the audience is added afterwards, in rounds");
	y = put_line(w, y, a, A_NORMAL, "%s", "");
	for (int f = F_NAME; f <= F_PARAMS; f++) {
		attr_t at = (size_t)f == d->form_sel ? colors_attr(AREA_CURSOR) : A_NORMAL;
		const char *label = form_labels[f];

		if (f == F_TEMPLATE && ccon_channel_parse(dyn_form_value(d, F_CHANNEL),
		                                          &(enum ccon_channel){ 0 }) == 0 &&
		    strcasecmp(dyn_form_value(d, F_CHANNEL), "googlercs") == 0)
			label = "Content";
		draw_fill(w, y, a.x, a.w, at);
		draw_textf(w, y, a.x + 1, 14, at | A_BOLD, DRAW_LEFT, "%s", label);
		draw_text(w, y, a.x + 16, a.w - 16,
		          draw_shown(dyn_form_value(d, f), 200, fit, sizeof(fit)), at, DRAW_LEFT);
		y++;
	}
	draw_fill(w, y, a.x, a.w, d->form_sel == F_CREATE ? colors_attr(AREA_CURSOR) : A_NORMAL);
	draw_text(w, y++, a.x + 1, a.w - 1, "[ Create the campaign ]",
	          (d->form_sel == F_CREATE ? colors_attr(AREA_CURSOR) : A_NORMAL) | A_BOLD,
	          DRAW_LEFT);
	y = put_line(w, y, a, A_NORMAL, "%s", "");
	if (d->form_err.code)
		y = put_line(w, y, a, colors_attr(AREA_ERROR), "%s: %s", d->form_err.path,
		         d->form_err.message);
	else
		y = put_line(w, y, a, colors_attr(AREA_STATUS_OK), "ready: Enter on the last line creates "
		         "it");
	y = put_line(w, y, a, dim, "Parameters: the message's parameter names, separated by commas "
	         "(each audience must give them all)");
	while (y < a.y + a.h)
		draw_fill(w, y++, a.x, a.w, A_NORMAL);
}

static int draw_heading(struct dyn *d, WINDOW *w, int y, struct rect a)
{
	const struct ccon_dyn_campaign *c = camp(d);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	y = put_line(w, y, a, A_BOLD, "Dynamic audiences (Beta)  campaign %s  %s  status %s  the server "
	         "holds %" PRId64, c->id ? c->id : "?", c->name ? c->name : "",
	         c->status ? c->status : "?", c->recipients < 0 ? 0 : c->recipients);
	if (c->has_message) {
		ccon_strbuf_printf(&sb, "Message %s", c->message.message_template
		                   ? c->message.message_template : "(content)");
		ccon_strbuf_printf(&sb, "  parameters: ");
		for (size_t i = 0; i < c->message.n_params; i++)
			ccon_strbuf_printf(&sb, "%s%s", i ? ", " : "", c->message.params[i]);
		if (!c->message.n_params)
			ccon_strbuf_printf(&sb, "none");
	} else {
		ccon_strbuf_printf(&sb, "Message: not known (its parameters are checked by the server)");
	}
	y = put_line(w, y, a, colors_attr(AREA_DIM), "%s", ccon_strbuf_cstr(&sb));
	ccon_strbuf_free(&sb);
	if (c->dispatched)
		y = put_line(w, y, a, colors_attr(AREA_ERROR) | A_BOLD, "DISPATCHED (status %s): no "
		         "audience can be added any more", c->status ? c->status : "?");
	else
		y = put_line(w, y, a, colors_attr(AREA_STATUS_OK), "Draft: a adds, p pastes, o reads a "
		         "CSV file, W sends the round; D dispatches (then no audience can be added)");
	return y;
}

static int draw_rounds(struct dyn *d, WINDOW *w, int y, struct rect a)
{
	size_t n;
	const struct ccon_dyn_round *r = ccon_dynamic_flow_rounds(d->flow, &n);

	for (size_t i = n > ROUNDS_SHOWN ? n - ROUNDS_SHOWN : 0; i < n; i++) {
		char what[160], fit[120];
		const struct ccon_dyn_round *rd = &r[i];
		char why[400];

		snprintf(what, sizeof(what), "Round %u (%s%s, %zu)", rd->number,
		         rd->csv ? "CSV " : "list",
		         rd->csv ? draw_shown(rd->file, 40, fit, sizeof(fit)) : "", rd->count);
		if (rd->state == CCON_FLOW_RUNNING) {
			y = put_line(w, y, a, colors_attr(AREA_DIM), "%s: sending...", what);
		} else if (rd->state == CCON_FLOW_DONE) {
			y = put_line(w, y, a, colors_attr(AREA_STATUS_OK), "%s: accepted %" PRId64
			         " (%" PRId64 " duplicates)", what, rd->accepted, rd->duplicates);
		} else {
			ccon_error_format(&rd->err.error, why, sizeof(why));
			y = put_line(w, y, a, colors_attr(AREA_ERROR), "%s: %s %s", what,
			         rd->unknown ? "NO ANSWER (it may have landed: see the server's audience)"
			                     : "refused, nothing of it added:", why);
		}
	}
	return y;
}

const char *dyn_cell_text(const struct dyn *d, const struct row *r, size_t col)
{
	if (col == 0)
		return r->a.recipient;
	if (dyn_col_is_context(d, col))
		return r->context ? r->context : "";
	return ccon_fields_get(&r->a.message_params, d->cols[col - 1]);
}

const char *dyn_col_title(const struct dyn *d, size_t col)
{
	if (col == 0)
		return "recipient";
	if (dyn_col_is_context(d, col))
		return "contextVariables";
	return d->cols[col - 1];
}

static void draw_table_row(struct dyn *d, WINDOW *w, int y, struct rect a, size_t i)
{
	const struct row *r = &d->rows[i];
	bool cur = i == d->sel;
	attr_t base = cur ? colors_attr(AREA_CURSOR) : A_NORMAL;
	attr_t err = cur ? base | A_BOLD : colors_attr(AREA_ERROR);
	int x = a.x + 1;

	draw_fill(w, y, a.x, a.w, base);
	draw_text(w, y, x, 1, r->err.code ? "!" : " ", err | A_BOLD, DRAW_LEFT);
	draw_textf(w, y, x + 2, W_NUM - 1, base, DRAW_RIGHT, "%zu", i + 1);
	x += 2 + W_NUM;
	for (size_t c = 0; c < dyn_n_columns(d) && x < a.x + a.w; c++) {
		int cw = c == 0 ? W_RECIPIENT : W_PARAM;
		const char *v = dyn_cell_text(d, r, c);
		attr_t at = base;

		if (cw > a.x + a.w - x)
			cw = a.x + a.w - x;
		if (cur && c == d->col)
			at |= A_REVERSE | A_BOLD;
		draw_text(w, y, x, cw, v ? v : (c && !dyn_col_is_context(d, c) ? "(missing)" : ""),
		          at, DRAW_LEFT);
		x += cw + 1;
		if (c == 0 && x < a.x + a.w) {
			int ew = W_E164 < a.x + a.w - x ? W_E164 : a.x + a.w - x;

			draw_text(w, y, x, ew, r->e164[0] ? r->e164 : "",
			          cur ? base : colors_attr(AREA_STATUS_OK), DRAW_LEFT);
			x += ew + 1;
		}
	}
}

static int draw_table(struct dyn *d, WINDOW *w, int y, struct rect a, int rows)
{
	attr_t h = colors_attr(AREA_HEADING);
	int x = a.x + 3 + W_NUM;

	y = put_line(w, y, a, A_BOLD, "Round %zu being composed: %zu audience%s, %zu invalid%s",
	         d->rounds_seen + 1, d->n_rows, d->n_rows == 1 ? "" : "s", dyn_invalid_rows(d),
	         d->pasting ? "   PASTE: one audience a line (recipient, then the parameters "
	         "in column order); Ctrl-D adds them, Esc drops them" : "");
	draw_fill(w, y, a.x, a.w, h);
	draw_text(w, y, a.x + 3, W_NUM - 1, "#", h, DRAW_RIGHT);
	for (size_t c = 0; c < dyn_n_columns(d) && x < a.x + a.w; c++) {
		int cw = c == 0 ? W_RECIPIENT : W_PARAM;

		if (cw > a.x + a.w - x)
			cw = a.x + a.w - x;
		draw_text(w, y, x, cw, dyn_col_title(d, c), h, DRAW_LEFT);
		x += cw + 1;
		if (c == 0 && x < a.x + a.w) {
			draw_text(w, y, x, W_E164 < a.x + a.w - x ? W_E164 : a.x + a.w - x, "E.164", h,
			          DRAW_LEFT);
			x += W_E164 + 1;
		}
	}
	y++;
	rows -= 2;
	if (rows < 1)
		rows = 1;
	d->pane.rows = rows;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + (size_t)rows)
		d->top = d->sel - (size_t)rows + 1;
	for (int i = 0; i < rows; i++, y++) {
		if (d->top + (size_t)i < d->n_rows)
			draw_table_row(d, w, y, a, d->top + (size_t)i);
		else if (i == 0 && !d->n_rows)
			put_line(w, y, a, colors_attr(AREA_DIM), "no audience in this round yet: a adds one, "
			     "p pastes many, o reads a CSV file");
		else
			draw_fill(w, y, a.x, a.w, A_NORMAL);
	}
	return y;
}

static int draw_csv(struct dyn *d, WINDOW *w, int y, struct rect a, int rows)
{
	const struct ccon_dyn_csv *c = ccon_dynamic_flow_csv(d->flow);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char fit[120], why[400];
	int end = y + rows;

	y = put_line(w, y, a, A_BOLD, "CSV round from %s: %zu row%s to send, %zu error%s  (W sends it, "
	         "Esc drops it)", draw_shown(c->path, 60, fit, sizeof(fit)), c->rows.count,
	         c->rows.count == 1 ? "" : "s", c->n_errors + c->errors_truncated,
	         c->n_errors + c->errors_truncated == 1 ? "" : "s");
	for (size_t i = 0; i < c->n_errors && y < end; i++) {
		ccon_error_format(&c->errors[i], why, sizeof(why));
		y = put_line(w, y, a, colors_attr(AREA_ERROR), "%s", why);
	}
	if (c->errors_truncated && y < end)
		y = put_line(w, y, a, colors_attr(AREA_ERROR), "... and %zu more errors",
		         c->errors_truncated);
	for (size_t i = 0; i < c->rows.count && y < end; i++) {
		const struct ccon_audience *au = &c->rows.items[i];

		ccon_strbuf_reset(&sb);
		ccon_strbuf_printf(&sb, "line %-5ld %-16s", c->lines[i], au->recipient);
		for (size_t k = 0; k < au->message_params.count; k++)
			ccon_strbuf_printf(&sb, " %s=%s", au->message_params.items[k].name,
			                   au->message_params.items[k].value);
		if (au->context_variables.count)
			ccon_strbuf_printf(&sb, "  context:");
		for (size_t k = 0; k < au->context_variables.count; k++)
			ccon_strbuf_printf(&sb, " %s=%s", au->context_variables.items[k].name,
			                   au->context_variables.items[k].value);
		y = put_line(w, y, a, A_NORMAL, "%s", ccon_strbuf_cstr(&sb));
	}
	ccon_strbuf_free(&sb);
	while (y < end)
		draw_fill(w, y++, a.x, a.w, A_NORMAL);
	return y;
}

static int draw_server(struct dyn *d, WINDOW *w, int y, struct rect a, int rows)
{
	int64_t skip = 0;
	const struct ccon_audience_page *p = ccon_dynamic_flow_audience(d->flow, &skip);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error err;
	int end = y + rows;

	if (ccon_dynamic_flow_audience_state(d->flow, &err) == CCON_FLOW_FAILED)
		y = put_line(w, y, a, colors_attr(AREA_ERROR), "The server's audience could not be read: %s",
		         err.message);
	else if (!p)
		y = put_line(w, y, a, colors_attr(AREA_DIM), "The server's audience: reading...");
	else
		y = put_line(w, y, a, colors_attr(AREA_HEADING) | A_BOLD, "The server holds %" PRId64
		         " audience%s%s (get /audiences/%s)  %" PRId64 "-%" PRId64 "  ] next, [ previous",
		         p->total, p->total == 1 ? "" : "s", "", camp(d)->id,
		         p->count ? skip + 1 : 0, skip + (int64_t)p->count);
	for (size_t i = 0; p && i < p->count && y < end; i++) {
		const struct ccon_audience_item *it = &p->items[i];

		ccon_strbuf_reset(&sb);
		ccon_strbuf_printf(&sb, "%5" PRId64 "  %-16s %-10s", skip + (int64_t)i + 1,
		                   it->recipient ? it->recipient : "", it->status ? it->status : "");
		for (size_t k = 0; k < it->message_params.count; k++)
			ccon_strbuf_printf(&sb, " %s=%s", it->message_params.items[k].name,
			                   it->message_params.items[k].value);
		y = put_line(w, y, a, A_NORMAL, "%s", ccon_strbuf_cstr(&sb));
	}
	ccon_strbuf_free(&sb);
	while (y < end)
		draw_fill(w, y++, a.x, a.w, A_NORMAL);
	return y;
}

static void draw_detail(struct dyn *d, WINDOW *w, int y, struct rect a)
{
	const struct row *r;

	if (d->csv_shown || camp(d)->dispatched || d->sel >= d->n_rows) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		return;
	}
	r = &d->rows[d->sel];
	if (r->err.code)
		put_line(w, y, a, colors_attr(AREA_ERROR), "Row %zu %s: %s", d->sel + 1, r->err.path,
		     r->err.message);
	else
		put_line(w, y, a, colors_attr(AREA_DIM), "Row %zu: %s is valid", d->sel + 1, r->e164);
}

void dyn_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct dyn *d = as_dyn(p);
	int y = a.y, rest, top;

	if (d->mode == MODE_FORM) {
		draw_form(d, w, a);
		return;
	}
	if (d->mode != MODE_ROUNDS) {
		y = put_line(w, y, a, A_BOLD, "Dynamic audiences (Beta)");
		y = put_line(w, y, a, d->mode == MODE_REFUSED ? colors_attr(AREA_ERROR) | A_BOLD
		                                          : colors_attr(AREA_DIM), "%s",
		         d->mode == MODE_REFUSED ? d->refusal : "reading the campaign...");
		while (y < a.y + a.h)
			draw_fill(w, y++, a.x, a.w, A_NORMAL);
		return;
	}
	y = draw_heading(d, w, y, a);
	y = draw_rounds(d, w, y, a);
	rest = a.y + a.h - 1 - y;
	if (camp(d)->dispatched && !d->csv_shown) {
		draw_server(d, w, y, a, rest);
	} else {
		top = rest / 2 > 4 ? rest / 2 : (rest > 4 ? 4 : rest);
		if (d->csv_shown && ccon_dynamic_flow_csv(d->flow))
			y = draw_csv(d, w, y, a, top);
		else
			y = draw_table(d, w, y, a, top);
		draw_server(d, w, y, a, a.y + a.h - 1 - y);
	}
	draw_detail(d, w, a.y + a.h - 1, a);
}
