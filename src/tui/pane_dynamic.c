/* pane_dynamic.c - seed 002's dynamic audiences (Beta) over the dynamic
 * flow (dynamic_flow.h): a short form creates the /campaign/v2 campaign
 * (or an existing one is opened), audiences are added in rounds - typed or
 * pasted in a table like the audience editor's, or read from a CSV file
 * with a #contextvariables# column and previewed - the audience the SERVER
 * holds is read back after every round, a page at a time, and D ends with
 * /dispatch/v2 after a y/N. A dispatched campaign, or one not created with
 * /campaign/v2, says so plainly and refuses a round without a request.
 * Every cell is edited on the bottom prompt and checked on every keystroke
 * (phone.h for the recipient, ccon_audience_check for the message
 * parameters, the contextVariables as a JSON object). Every string from a
 * file, the server or the keyboard is drawn through draw_text. */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "cmdline.h"
#include "colors.h"
#include "cursor.h"
#include "draw.h"

#include <ccon/dynamic_flow.h>
#include <ccon/json_util.h>
#include <ccon/phone.h>
#include <ccon/sanitize.h>
#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W_NUM 5
#define W_RECIPIENT 20
#define W_E164 18
#define W_PARAM 16
#define ROUNDS_SHOWN 3
#define PAGE_TAKE 20

enum mode { MODE_FORM, MODE_LOADING, MODE_ROUNDS, MODE_REFUSED };
enum form_field { F_NAME, F_CHANNEL, F_TEMPLATE, F_PARAMS, F_CREATE };

static const char *const form_labels[] = { "Name", "Channel", "Template", "Parameters" };

struct row {
	struct ccon_audience a;          /* recipient, messageParams, parsed context */
	char *context;                   /* the contextVariables as typed (JSON) */
	char e164[CCON_E164_BUFSIZE];
	struct ccon_error err;           /* the row's first problem */
};

enum edit_kind { EDIT_NONE, EDIT_FORM, EDIT_CELL, EDIT_COLUMN, EDIT_CSV };

struct dyn {
	struct pane pane;
	struct ccon_dynamic_flow *flow;
	enum mode mode;
	char refusal[400];
	/* the form */
	char *form[4];
	size_t form_sel;
	struct ccon_error form_err;
	/* the round being composed */
	struct row *rows;
	size_t n_rows, sel, top, col;
	char **cols;                     /* messageParams columns */
	size_t n_cols;
	/* the edit on the prompt */
	enum edit_kind edit;
	size_t edit_row, edit_col;
	char *orig;
	bool existed, new_row;
	char label[160];
	bool pasting;
	struct ccon_strbuf paste;
	bool csv_shown;
	int64_t skip;                    /* the server's page asked for */
	size_t rounds_seen;
	bool dispatch_asked;
};

static struct dyn *as_dyn(struct pane *p)
{
	return (struct dyn *)p;
}

static void oom(struct dyn *d)
{
	app_error(d->pane.app, "out of memory");
}

static const struct ccon_dyn_campaign *camp(const struct dyn *d)
{
	return ccon_dynamic_flow_campaign(d->flow);
}

/* s sanitised and cut to cells columns. */
static const char *shown(const char *s, size_t cells, char *buf, size_t size)
{
	ccon_text_fit(s ? s : "", s ? strlen(s) : 0, cells, 0, buf, size);
	for (size_t n = strlen(buf); n && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
	return buf;
}

/* ------------------------------------------------------------ fields */

/* Sets name to value in f (replaced, or added). */
static int fields_set(struct ccon_fields *f, const char *name, const char *value)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].name, name) == 0) {
			char *v = strdup(value);

			if (!v)
				return -1;
			free(f->items[i].value);
			f->items[i].value = v;
			return 0;
		}
	return ccon_fields_add(f, name, value, strlen(value));
}

static void fields_remove(struct ccon_fields *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].name, name) == 0) {
			free(f->items[i].name);
			free(f->items[i].value);
			memmove(f->items + i, f->items + i + 1, (f->count - i - 1) * sizeof(*f->items));
			f->count--;
			return;
		}
}

/* ------------------------------------------------------------ rows */

static void row_free(struct row *r)
{
	ccon_audience_free(&r->a);
	free(r->context);
	memset(r, 0, sizeof(*r));
}

/* The row's problem, as ccond would see it. */
static void row_check(struct dyn *d, struct row *r)
{
	const struct ccon_dyn_campaign *c = camp(d);
	const char *rc = r->a.recipient ? r->a.recipient : "";
	struct ccon_json_path jp;
	cJSON *j = NULL;

	ccon_error_clear(&r->err);
	ccon_fields_free(&r->a.context_variables);
	if (ccon_phone_normalize(rc, strlen(rc), r->e164, &r->err) < 0) {
		ccon_error_at_path(&r->err, "recipient");
		return;
	}
	if (c->has_message && ccon_audience_check(&c->message, &r->a, "", &r->err) < 0)
		return;
	if (!r->context || !r->context[strspn(r->context, " ")])
		return;
	ccon_json_path_init(&jp, "contextVariables");
	if (ccon_json_parse(r->context, strlen(r->context), &j, &r->err) < 0 ||
	    ccon_json_get_fields(j, NULL, CCON_JSON_REQUIRED, &jp, true, &r->a.context_variables,
	                         &r->err) < 0) {
		if (!r->err.path[0])
			ccon_error_at_path(&r->err, "contextVariables");
		if (cJSON_IsObject(j) || !j)
			;
		else
			ccon_error_set(&r->err, CCON_E_JSON_TYPE, "contextVariables must be a JSON "
			               "object ({\"cpf\":\"123\"}), not %s", ccon_json_type_name(j));
	}
	cJSON_Delete(j);
}

static size_t invalid_rows(struct dyn *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_rows; i++)
		n += d->rows[i].err.code != CCON_E_OK;
	return n;
}

static int row_add(struct dyn *d, const char *recipient, size_t *at)
{
	struct row *p = realloc(d->rows, (d->n_rows + 1) * sizeof(*p));

	if (!p)
		return -1;
	d->rows = p;
	memset(&p[d->n_rows], 0, sizeof(*p));
	if (!(p[d->n_rows].a.recipient = strdup(recipient)))
		return -1;
	*at = d->n_rows++;
	row_check(d, &p[*at]);
	return 0;
}

static void row_remove(struct dyn *d, size_t i)
{
	if (i >= d->n_rows)
		return;
	row_free(&d->rows[i]);
	memmove(d->rows + i, d->rows + i + 1, (d->n_rows - i - 1) * sizeof(*d->rows));
	d->n_rows--;
	if (d->sel >= d->n_rows && d->sel)
		d->sel--;
}

static int row_duplicate(struct dyn *d, size_t i)
{
	struct row *p, *src, *dst;

	if (!(p = realloc(d->rows, (d->n_rows + 1) * sizeof(*p))))
		return -1;
	d->rows = p;
	memmove(p + i + 2, p + i + 1, (d->n_rows - i - 1) * sizeof(*p));
	d->n_rows++;
	src = &p[i];
	dst = &p[i + 1];
	memset(dst, 0, sizeof(*dst));
	if (!(dst->a.recipient = strdup(src->a.recipient)) ||
	    (src->context && !(dst->context = strdup(src->context))))
		return -1;
	for (size_t k = 0; k < src->a.message_params.count; k++)
		if (fields_set(&dst->a.message_params, src->a.message_params.items[k].name,
		               src->a.message_params.items[k].value) < 0)
			return -1;
	row_check(d, dst);
	return 0;
}

static void rows_clear(struct dyn *d)
{
	for (size_t i = 0; i < d->n_rows; i++)
		row_free(&d->rows[i]);
	d->n_rows = 0;
	d->sel = d->top = 0;
}

/* ------------------------------------------------------------ columns */

static int col_add(struct dyn *d, const char *name)
{
	char **p;

	for (size_t i = 0; i < d->n_cols; i++)
		if (strcmp(d->cols[i], name) == 0)
			return 0;
	if (!(p = realloc(d->cols, (d->n_cols + 1) * sizeof(*p))))
		return -1;
	d->cols = p;
	return (p[d->n_cols] = strdup(name)) ? (d->n_cols++, 0) : -1;
}

/* The table's columns: recipient, one per parameter, contextVariables. */
static size_t n_columns(const struct dyn *d)
{
	return d->n_cols + 2;
}

static bool col_is_context(const struct dyn *d, size_t col)
{
	return col == d->n_cols + 1;
}

static void columns_from_message(struct dyn *d)
{
	const struct ccon_dyn_campaign *c = camp(d);

	for (size_t i = 0; c->has_message && i < c->message.n_params; i++)
		if (col_add(d, c->message.params[i]) < 0)
			oom(d);
	for (size_t i = 0; i < d->n_rows; i++)
		row_check(d, &d->rows[i]);
}

/* ------------------------------------------------------------ the form */

static const char *form_value(const struct dyn *d, int f)
{
	return d->form[f] ? d->form[f] : "";
}

/* The params text "a, b" as names; *n of them. */
static char **split_params(const char *text, size_t *n)
{
	char **names = NULL, **p;
	const char *s = text;

	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",");
		const char *b = s, *e = s + len;

		while (b < e && *b == ' ')
			b++;
		while (e > b && e[-1] == ' ')
			e--;
		if (e > b || s[len] == ',') {
			if (!(p = realloc(names, (*n + 1) * sizeof(*p))))
				break;
			names = p;
			if (!(names[*n] = strndup(b, (size_t)(e - b))))
				break;
			(*n)++;
		}
		s += len + (s[len] == ',');
	}
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Builds the campaign from the form and checks it with the codec: 0, or
 * -1 with the reason at its path (campaign.name, message.messageParams[1]). */
static int form_build(const struct dyn *d, struct ccon_dynamic_campaign *out,
                      struct ccon_error *err)
{
	struct ccon_dynamic_campaign dc;
	cJSON *j = NULL;
	int rc;

	memset(&dc, 0, sizeof(dc));
	memset(out, 0, sizeof(*out));
	dc.campaign.name = (char *)form_value(d, F_NAME);
	dc.campaign.type = CCON_CAMPAIGN_BATCH;
	if (ccon_channel_parse(form_value(d, F_CHANNEL), &dc.campaign.channel) < 0) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "the channel is WhatsApp or GoogleRcs");
		ccon_error_at_path(err, "campaign.channelType");
		return -1;
	}
	dc.campaign.has_channel = true;
	dc.message.channel = dc.campaign.channel;
	dc.message.has_channel = true;
	if (dc.campaign.channel == CCON_CHANNEL_GOOGLE_RCS)
		dc.message.message_content = (char *)form_value(d, F_TEMPLATE);
	else
		dc.message.message_template = (char *)form_value(d, F_TEMPLATE);
	dc.message.params = split_params(form_value(d, F_PARAMS), &dc.message.n_params);
	rc = ccon_dynamic_campaign_encode(&dc, &j);
	free_names(dc.message.params, dc.message.n_params);
	if (rc < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	rc = ccon_dynamic_campaign_decode(j, out, err);
	cJSON_Delete(j);
	return rc;
}

static void form_check(struct dyn *d)
{
	struct ccon_dynamic_campaign dc;

	ccon_error_clear(&d->form_err);
	if (form_build(d, &dc, &d->form_err) == 0)
		ccon_dynamic_campaign_free(&dc);
	d->pane.dirty |= PANE_DIRTY_ALL;
}

static void create(struct dyn *d)
{
	struct ccon_dynamic_campaign dc;
	struct ccon_error err;

	ccon_error_clear(&err);
	if (form_build(d, &dc, &err) < 0) {
		app_error(d->pane.app, "%s: %s", err.path, err.message);
		return;
	}
	if (ccon_dynamic_flow_create(d->flow, &dc, &err) < 0)
		app_error(d->pane.app, "the campaign: %s", err.message);
	else
		app_message(d->pane.app, "creating the campaign (set /campaign/v2)...");
	ccon_dynamic_campaign_free(&dc);
}

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

		if (f == F_TEMPLATE && ccon_channel_parse(form_value(d, F_CHANNEL),
		                                          &(enum ccon_channel){ 0 }) == 0 &&
		    strcasecmp(form_value(d, F_CHANNEL), "googlercs") == 0)
			label = "Content";
		draw_fill(w, y, a.x, a.w, at);
		draw_textf(w, y, a.x + 1, 14, at | A_BOLD, DRAW_LEFT, "%s", label);
		draw_text(w, y, a.x + 16, a.w - 16, shown(form_value(d, f), 200, fit, sizeof(fit)), at,
		          DRAW_LEFT);
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
		         rd->csv ? "CSV " : "list", rd->csv ? shown(rd->file, 40, fit, sizeof(fit)) : "",
		         rd->count);
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

static const char *cell_text(const struct dyn *d, const struct row *r, size_t col)
{
	if (col == 0)
		return r->a.recipient;
	if (col_is_context(d, col))
		return r->context ? r->context : "";
	return ccon_fields_get(&r->a.message_params, d->cols[col - 1]);
}

static const char *col_title(const struct dyn *d, size_t col)
{
	if (col == 0)
		return "recipient";
	if (col_is_context(d, col))
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
	for (size_t c = 0; c < n_columns(d) && x < a.x + a.w; c++) {
		int cw = c == 0 ? W_RECIPIENT : W_PARAM;
		const char *v = cell_text(d, r, c);
		attr_t at = base;

		if (cw > a.x + a.w - x)
			cw = a.x + a.w - x;
		if (cur && c == d->col)
			at |= A_REVERSE | A_BOLD;
		draw_text(w, y, x, cw, v ? v : (c && !col_is_context(d, c) ? "(missing)" : ""), at,
		          DRAW_LEFT);
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
	         d->rounds_seen + 1, d->n_rows, d->n_rows == 1 ? "" : "s", invalid_rows(d),
	         d->pasting ? "   PASTE: one audience a line (recipient, then the parameters "
	         "in column order); Ctrl-D adds them, Esc drops them" : "");
	draw_fill(w, y, a.x, a.w, h);
	draw_text(w, y, a.x + 3, W_NUM - 1, "#", h, DRAW_RIGHT);
	for (size_t c = 0; c < n_columns(d) && x < a.x + a.w; c++) {
		int cw = c == 0 ? W_RECIPIENT : W_PARAM;

		if (cw > a.x + a.w - x)
			cw = a.x + a.w - x;
		draw_text(w, y, x, cw, col_title(d, c), h, DRAW_LEFT);
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
	         "Esc drops it)", shown(c->path, 60, fit, sizeof(fit)), c->rows.count,
	         c->rows.count == 1 ? "" : "s", c->n_errors + c->errors_truncated,
	         c->n_errors + c->errors_truncated == 1 ? "" : "s");
	for (size_t i = 0; i < c->n_errors && y < end; i++) {
		ccon_error_format(&c->errors[i], why, sizeof(why));
		y = put_line(w, y, a, colors_attr(AREA_ERROR), "%s%s", c->errors[i].path[0] ? "" : "",
		         why);
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

static void dyn_draw(struct pane *p, WINDOW *w, struct rect a)
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
		y = draw_server(d, w, y, a, rest);
	} else {
		top = rest / 2 > 4 ? rest / 2 : (rest > 4 ? 4 : rest);
		if (d->csv_shown && ccon_dynamic_flow_csv(d->flow))
			y = draw_csv(d, w, y, a, top);
		else
			y = draw_table(d, w, y, a, top);
		y = draw_server(d, w, y, a, a.y + a.h - 1 - y);
	}
	draw_detail(d, w, a.y + a.h - 1, a);
}

/* ------------------------------------------------------------ editing */

static void edit_reset(struct dyn *d)
{
	free(d->orig);
	d->orig = NULL;
	d->edit = EDIT_NONE;
	d->existed = d->new_row = false;
}

/* Puts text into the cell being edited and checks the row. */
static void cell_set(struct dyn *d, const char *text)
{
	struct row *r = &d->rows[d->edit_row];
	char *v;

	if (d->edit_col == 0) {
		if (!(v = strdup(text)))
			return oom(d);
		free(r->a.recipient);
		r->a.recipient = v;
	} else if (col_is_context(d, d->edit_col)) {
		if (!(v = strdup(text)))
			return oom(d);
		free(r->context);
		r->context = v;
	} else if (fields_set(&r->a.message_params, d->cols[d->edit_col - 1], text) < 0) {
		return oom(d);
	}
	row_check(d, r);
}

static void edit_changed(void *ctx, const char *text)
{
	struct dyn *d = ctx;

	if (d->edit == EDIT_FORM) {
		free(d->form[d->form_sel]);
		d->form[d->form_sel] = strdup(text);
		form_check(d);
	} else if (d->edit == EDIT_CELL && d->edit_row < d->n_rows) {
		cell_set(d, text);
	}
	d->pane.dirty |= PANE_DIRTY_ALL;
}

static void edit_undo(struct dyn *d)
{
	struct row *r;

	if (d->edit == EDIT_FORM) {
		free(d->form[d->form_sel]);
		d->form[d->form_sel] = d->orig;
		d->orig = NULL;
		form_check(d);
		return;
	}
	if (d->edit != EDIT_CELL || d->edit_row >= d->n_rows)
		return;
	if (d->new_row) {
		row_remove(d, d->edit_row);
		return;
	}
	r = &d->rows[d->edit_row];
	if (d->edit_col && !col_is_context(d, d->edit_col) && !d->existed) {
		fields_remove(&r->a.message_params, d->cols[d->edit_col - 1]);
		row_check(d, r);
	} else {
		cell_set(d, d->orig ? d->orig : "");
	}
}

static void csv_chosen(struct dyn *d, const char *text)
{
	char path[4096];
	struct ccon_error err;
	const struct ccon_dyn_csv *c;

	cmdline_path(text, path, sizeof(path));
	if (!path[0])
		return app_message(d->pane.app, "no file given");
	ccon_error_clear(&err);
	if (ccon_dynamic_flow_csv_load(d->flow, path, &err) < 0)
		return app_error(d->pane.app, "%s", err.message);
	c = ccon_dynamic_flow_csv(d->flow);
	d->csv_shown = true;
	if (c->n_errors)
		app_error(d->pane.app, "%zu error%s in the file: it cannot be sent as it is",
		          c->n_errors + c->errors_truncated,
		          c->n_errors + c->errors_truncated == 1 ? "" : "s");
	else
		app_message(d->pane.app, "%zu row%s ready: W sends them as round %zu, Esc drops them",
		            c->rows.count, c->rows.count == 1 ? "" : "s", d->rounds_seen + 1);
}

static void edit_done(void *ctx, const char *text)
{
	struct dyn *d = ctx;
	enum edit_kind kind = d->edit;

	if (!text) {
		edit_undo(d);
	} else if (kind == EDIT_COLUMN) {
		if (!ccon_custom_field_name_valid(text, strlen(text)))
			app_error(d->pane.app, "a parameter name is letters, digits and _");
		else if (col_add(d, text) < 0)
			oom(d);
	} else if (kind == EDIT_CSV) {
		char copy[4096];

		snprintf(copy, sizeof(copy), "%s", text);
		edit_reset(d);
		csv_chosen(d, copy);
	} else if (kind == EDIT_CELL && d->new_row && !text[strspn(text, " ")]) {
		row_remove(d, d->edit_row);
		app_message(d->pane.app, "nothing typed: no audience added");
	}
	edit_reset(d);
	d->pane.dirty |= PANE_DIRTY_ALL;
}

static void edit_open(struct dyn *d, enum edit_kind kind, const char *label, const char *text)
{
	char fit[CCON_FIT_SIZE(128, 60)];

	d->edit = kind;
	snprintf(d->label, sizeof(d->label), "%s: ", shown(label, 60, fit, sizeof(fit)));
	prompt_open(&d->pane.app->prompt, d->label, text, kind == EDIT_FORM || kind == EDIT_CELL
	            ? edit_changed : NULL, edit_done, d);
	d->pane.app->dirty |= APP_DIRTY_PROMPT;
	d->pane.dirty |= PANE_DIRTY_ALL;
}

static void edit_form(struct dyn *d)
{
	if (d->form_sel == F_CREATE)
		return create(d);
	edit_reset(d);
	if (!(d->orig = strdup(form_value(d, (int)d->form_sel))))
		return oom(d);
	edit_open(d, EDIT_FORM, form_labels[d->form_sel], d->orig);
}

static void edit_cell(struct dyn *d)
{
	const char *v;
	char label[128];

	if (d->sel >= d->n_rows)
		return app_message(d->pane.app, "no audience here: a adds one");
	edit_reset(d);
	d->edit_row = d->sel;
	d->edit_col = d->col;
	v = cell_text(d, &d->rows[d->sel], d->col);
	d->existed = v != NULL;
	if (!(d->orig = strdup(v ? v : "")))
		return oom(d);
	snprintf(label, sizeof(label), "Row %zu %s", d->sel + 1, col_title(d, d->col));
	edit_open(d, EDIT_CELL, label, d->orig);
}

/* ------------------------------------------------------------ paste */

static void paste_line(struct dyn *d, const char *s, size_t len, size_t *added)
{
	char *copy = strndup(s, len), *tok, *save = NULL;
	size_t at, k = 0;

	if (!copy)
		return oom(d);
	tok = strtok_r(copy, ",;\t", &save);
	if (tok && *tok && row_add(d, tok, &at) == 0) {
		while ((tok = strtok_r(NULL, ",;\t", &save)) && k < d->n_cols)
			if (fields_set(&d->rows[at].a.message_params, d->cols[k++], tok) < 0)
				oom(d);
		row_check(d, &d->rows[at]);
		(*added)++;
	}
	free(copy);
}

static void paste_end(struct dyn *d, bool keep)
{
	const char *s = ccon_strbuf_cstr(&d->paste);
	size_t added = 0, before = d->n_rows;

	d->pasting = false;
	d->pane.grab_keys = false;
	d->pane.dirty |= PANE_DIRTY_ALL;
	if (keep) {
		while (*s) {
			size_t n = strcspn(s, "\r\n");

			if (n && s[strspn(s, " ")] != '\n')
				paste_line(d, s, n, &added);
			s += n + (s[n] != '\0');
		}
		app_message(d->pane.app, "pasted %zu audience%s (%zu invalid in the round)", added,
		            added == 1 ? "" : "s", invalid_rows(d));
		if (added)
			d->sel = before;
	} else {
		app_message(d->pane.app, "paste dropped");
	}
	ccon_strbuf_reset(&d->paste);
}

static void paste_key(struct dyn *d, struct ccon_key key)
{
	char buf[4];
	uint32_t cp = key.code;

	if (key.code == 'd' && key.mods == CCON_MOD_CTRL)
		return paste_end(d, true);
	if (key_is(key, CCON_KEY_ESC))
		return paste_end(d, false);
	if (key_is(key, CCON_KEY_BACKSPACE)) {
		while (d->paste.len && ((unsigned char)d->paste.buf[d->paste.len - 1] & 0xc0) == 0x80)
			d->paste.len--;
		if (d->paste.len)
			d->paste.len--;
		return;
	}
	if (key_is(key, CCON_KEY_ENTER))
		cp = '\n';
	else if (key_is(key, CCON_KEY_TAB))
		cp = '\t';
	else if (key.mods || cp >= CCON_KEY_NAMED || cp < 0x20)
		return;
	if (ccon_strbuf_append(&d->paste, buf, ccon_utf8_encode(cp, buf)) < 0)
		oom(d);
	d->pane.dirty |= PANE_DIRTY_ALL;
}

/* ------------------------------------------------------------ rounds */

static void send_round(struct dyn *d)
{
	struct ccon_audience *items;
	struct ccon_error err;
	int rc;

	ccon_error_clear(&err);
	if (d->csv_shown && ccon_dynamic_flow_csv(d->flow)) {
		if (ccon_dynamic_flow_add_csv(d->flow, &err) < 0)
			return app_error(d->pane.app, "%s", err.message);
		d->csv_shown = false;
		return app_message(d->pane.app, "sending the CSV round...");
	}
	if (camp(d)->dispatched || camp(d)->not_v2 || !d->n_rows) {
		/* the flow says why, and sends nothing */
		ccon_dynamic_flow_add_list(d->flow, NULL, 0, &err);
		return app_error(d->pane.app, "%s", err.message);
	}
	for (size_t i = 0; i < d->n_rows; i++)
		if (d->rows[i].err.code) {
			d->sel = i;
			return app_error(d->pane.app, "row %zu %s: %s (fix it or delete it with d)", i + 1,
			                 d->rows[i].err.path, d->rows[i].err.message);
		}
	if (!(items = calloc(d->n_rows, sizeof(*items))))
		return oom(d);
	for (size_t i = 0; i < d->n_rows; i++)
		items[i] = d->rows[i].a;
	rc = ccon_dynamic_flow_add_list(d->flow, items, d->n_rows, &err);
	free(items);
	if (rc < 0)
		app_error(d->pane.app, "%s%s%s", err.path, err.path[0] ? ": " : "", err.message);
	else
		app_message(d->pane.app, "sending round %zu (%zu audience%s)...", d->rounds_seen + 1,
		            d->n_rows, d->n_rows == 1 ? "" : "s");
}

/* "resource.audiences[3]..." -> 3 */
static bool refused_row(const char *path, size_t *row)
{
	const char *p = strstr(path, "audiences[");
	char *end;
	unsigned long v;

	if (!p)
		return false;
	v = strtoul(p + 10, &end, 10);
	if (*end != ']')
		return false;
	*row = v;
	return true;
}

static void round_answered(struct dyn *d)
{
	size_t n, row;
	const struct ccon_dyn_round *r = ccon_dynamic_flow_rounds(d->flow, &n), *rd;
	char why[400];

	if (!n || r[n - 1].state == CCON_FLOW_RUNNING || n == d->rounds_seen)
		return;
	rd = &r[n - 1];
	d->rounds_seen = n;
	if (rd->state == CCON_FLOW_DONE) {
		if (!rd->csv)
			rows_clear(d);
		app_message(d->pane.app, "round %u: the server accepted %" PRId64 " (%" PRId64
		            " duplicates)", rd->number, rd->accepted, rd->duplicates);
		return;
	}
	ccon_error_format(&rd->err.error, why, sizeof(why));
	if (rd->unknown) {
		app_error(d->pane.app, "round %u: no answer, it may have landed: check the server's "
		          "audience before sending it again (%s)", rd->number, why);
		return;
	}
	if (!rd->csv && refused_row(rd->err.error.path, &row) && row < d->n_rows)
		d->sel = row;
	app_error(d->pane.app, "round %u refused, nothing of it added: %s", rd->number, why);
}

static void dispatch_answered(void *ctx, bool yes)
{
	struct dyn *d = ctx;
	struct ccon_error err;

	if (!yes)
		return app_message(d->pane.app, "not dispatched");
	ccon_error_clear(&err);
	if (ccon_dynamic_flow_dispatch(d->flow, &err) < 0)
		return app_error(d->pane.app, "%s", err.message);
	d->dispatch_asked = true;
	app_message(d->pane.app, "dispatching (set /dispatch/v2)...");
}

static void dispatch_ask(struct dyn *d)
{
	const struct ccon_dyn_campaign *c = camp(d);
	char fit[CCON_FIT_SIZE(40, 40)];

	if (c->dispatched || c->not_v2)
		return app_error(d->pane.app, "campaign %s %s", shown(c->id, 40, fit, sizeof(fit)),
		                 c->not_v2 ? "is not a /campaign/v2 campaign" : "was already dispatched");
	app_confirm(d->pane.app, dispatch_answered, d, "Dispatch campaign %s to the %" PRId64
	            " audiences the server holds? No audience can be added afterwards. y/N",
	            shown(c->id, 40, fit, sizeof(fit)), c->recipients < 0 ? 0 : c->recipients);
}

static void page(struct dyn *d, int dir)
{
	const struct ccon_audience_page *p = ccon_dynamic_flow_audience(d->flow, NULL);
	struct ccon_error err;
	int64_t skip = d->skip + dir * PAGE_TAKE;

	if (skip < 0 || (p && dir > 0 && skip >= p->total))
		return app_message(d->pane.app, dir > 0 ? "the last page" : "the first page");
	d->skip = skip;
	if (ccon_dynamic_flow_read_audience(d->flow, skip, PAGE_TAKE, &err) < 0)
		app_error(d->pane.app, "%s", err.message);
}

static void campaign_answered(struct dyn *d)
{
	const struct ccon_dyn_campaign *c = camp(d);
	struct ccon_error err;
	enum ccon_flow_state st = ccon_dynamic_flow_campaign_state(d->flow, &err);
	char fit[CCON_FIT_SIZE(40, 40)];

	if (st == CCON_FLOW_RUNNING)
		return;
	if (d->mode == MODE_FORM && st == CCON_FLOW_FAILED)
		return app_error(d->pane.app, "the campaign was not created: %s", err.message);
	if (d->mode == MODE_LOADING && st == CCON_FLOW_FAILED) {
		d->mode = MODE_REFUSED;
		snprintf(d->refusal, sizeof(d->refusal), "Campaign %s: %s",
		         shown(c->id, 40, fit, sizeof(fit)), err.message);
		return;
	}
	if (d->mode == MODE_FORM || d->mode == MODE_LOADING) {
		if (c->not_v2) {
			d->mode = MODE_REFUSED;
			snprintf(d->refusal, sizeof(d->refusal), "Campaign %s was created with %s: "
			         "audiences can only be added to a /campaign/v2 campaign; use the send "
			         "wizard for it (n on the campaign list)", shown(c->id, 40, fit, sizeof(fit)),
			         c->origin && strcmp(c->origin, "full") == 0 ? "/campaign/full"
			                                                    : "the REST API");
			return;
		}
		if (d->mode == MODE_FORM)
			app_message(d->pane.app, "campaign %s created: add its audience in rounds",
			            shown(c->id, 40, fit, sizeof(fit)));
		else if (c->dispatched)
			app_message(d->pane.app, "campaign %s was dispatched: no audience can be added",
			            shown(c->id, 40, fit, sizeof(fit)));
		d->mode = MODE_ROUNDS;
		columns_from_message(d);
		if (ccon_dynamic_flow_read_audience(d->flow, 0, PAGE_TAKE, &err) < 0)
			app_error(d->pane.app, "%s", err.message);
	}
}

static bool dyn_work(struct pane *p, long budget_ms)
{
	struct dyn *d = as_dyn(p);
	unsigned ch = ccon_dynamic_flow_changes(d->flow);
	struct ccon_error err;

	(void)budget_ms;
	if (!ch)
		return false;
	if (ch & CCON_DYN_CAMPAIGN)
		campaign_answered(d);
	if (ch & CCON_DYN_ROUND)
		round_answered(d);
	if ((ch & CCON_DYN_DISPATCH) && d->dispatch_asked) {
		d->dispatch_asked = false;
		if (ccon_dynamic_flow_dispatch_state(d->flow, &err) == CCON_FLOW_FAILED)
			app_error(p->app, "not dispatched: %s", err.message);
		else
			app_message(p->app, "dispatched (status %s): no audience can be added any more",
			            camp(d)->status ? camp(d)->status : "?");
	}
	p->dirty |= PANE_DIRTY_ALL;
	return false;
}

/* ------------------------------------------------------------ requests */

static bool move_cursor(struct dyn *d, enum request req)
{
	size_t n = d->mode == MODE_FORM ? F_CREATE + 1 : d->n_rows;
	size_t *sel = d->mode == MODE_FORM ? &d->form_sel : &d->sel;

	if (req == REQ_FOCUS_NEXT || req == REQ_ENVELOPE_COLUMN_NEXT)
		cursor_cycle(&d->col, n_columns(d), 1);
	else if (req == REQ_FOCUS_PREV || req == REQ_ENVELOPE_COLUMN_PREV)
		cursor_cycle(&d->col, n_columns(d), -1);
	else if (!cursor_move(sel, n, cursor_page(d->pane.rows), req))
		return false;
	d->pane.dirty |= PANE_DIRTY_ALL;
	return true;
}

/* Audience edits need a draft campaign: refused here, without a request. */
static bool can_edit(struct dyn *d)
{
	struct ccon_error err;

	if (!camp(d)->dispatched && !camp(d)->not_v2)
		return true;
	ccon_error_clear(&err);
	ccon_dynamic_flow_add_list(d->flow, NULL, 0, &err);
	app_error(d->pane.app, "%s", err.message);
	return false;
}

static bool rounds_request(struct dyn *d, enum request req)
{
	size_t at;
	struct ccon_error err;

	switch (req) {
	case REQ_ENTER: case REQ_EDIT:
		if (can_edit(d))
			edit_cell(d);
		return true;
	case REQ_AUDIENCE_ADD:
		if (!can_edit(d))
			return true;
		if (row_add(d, "", &at) < 0)
			return oom(d), true;
		d->sel = at;
		d->col = 0;
		edit_cell(d);
		d->new_row = true;
		return true;
	case REQ_AUDIENCE_DUPLICATE:
		if (can_edit(d) && d->sel < d->n_rows && row_duplicate(d, d->sel) < 0)
			oom(d);
		else if (d->sel < d->n_rows)
			d->sel++;
		return true;
	case REQ_AUDIENCE_DELETE:
		if (d->sel < d->n_rows) {
			row_remove(d, d->sel);
			app_message(d->pane.app, "audience deleted from the round");
		}
		return true;
	case REQ_AUDIENCE_FIELD_ADD:
		if (can_edit(d))
			edit_open(d, EDIT_COLUMN, "New message parameter", "");
		return true;
	case REQ_AUDIENCE_PASTE:
		if (!can_edit(d))
			return true;
		d->pasting = true;
		d->pane.grab_keys = true;
		ccon_strbuf_reset(&d->paste);
		app_message(d->pane.app, "paste: Ctrl-D adds the audiences, Esc drops them");
		return true;
	case REQ_DYN_CSV_OPEN:
		if (can_edit(d))
			edit_open(d, EDIT_CSV, "CSV file", "");
		return true;
	case REQ_DYN_ROUND_SEND:
		send_round(d);
		return true;
	case REQ_DYN_DISPATCH:
		dispatch_ask(d);
		return true;
	case REQ_DYN_PAGE_NEXT:
		page(d, 1);
		return true;
	case REQ_DYN_PAGE_PREV:
		page(d, -1);
		return true;
	case REQ_REFRESH:
		ccon_error_clear(&err);
		if (ccon_dynamic_flow_read_status(d->flow, &err) < 0 ||
		    ccon_dynamic_flow_read_audience(d->flow, d->skip, PAGE_TAKE, &err) < 0)
			app_error(d->pane.app, "%s", err.message);
		else
			app_message(d->pane.app, "reading the campaign and its audience again");
		return true;
	case REQ_BACK:
		if (!d->csv_shown)
			return false;
		d->csv_shown = false;
		ccon_dynamic_flow_csv_drop(d->flow);
		app_message(d->pane.app, "CSV dropped: nothing sent");
		return true;
	default:
		return false;
	}
}

static bool dyn_request(struct pane *p, enum request req)
{
	struct dyn *d = as_dyn(p);
	bool taken;

	if (d->mode != MODE_FORM && d->mode != MODE_ROUNDS)
		return false;
	if (move_cursor(d, req))
		return true;
	if (d->mode == MODE_FORM) {
		if (req != REQ_ENTER && req != REQ_EDIT)
			return false;
		edit_form(d);
		return true;
	}
	taken = rounds_request(d, req);
	p->dirty |= PANE_DIRTY_ALL;
	return taken;
}

static bool dyn_key(struct pane *p, struct ccon_key key)
{
	struct dyn *d = as_dyn(p);

	if (!d->pasting)
		return false;
	paste_key(d, key);
	return true;
}

static void dyn_changed(struct pane *p, unsigned changes)
{
	(void)p;
	(void)changes; /* the flow's answers come through dyn_work */
}

static void dyn_close(struct pane *p)
{
	struct dyn *d = as_dyn(p);

	if (d->edit != EDIT_NONE && p->app->prompt.active && p->app->prompt.ctx == d)
		p->app->prompt.active = false;
	if (p->app->question.active && p->app->question.ctx == d)
		p->app->question.active = false;
	edit_reset(d);
	rows_clear(d);
	free(d->rows);
	free_names(d->cols, d->n_cols);
	for (int i = 0; i < 4; i++)
		free(d->form[i]);
	ccon_strbuf_free(&d->paste);
	ccon_dynamic_flow_free(d->flow);
	free(d);
}

static const struct pane_ops dyn_ops = {
	.name = "Dynamic audiences",
	.changed = dyn_changed,
	.draw = dyn_draw,
	.request = dyn_request,
	.key = dyn_key,
	.work = dyn_work,
	.close = dyn_close,
};

struct pane *pane_dynamic_open(struct app *app, const char *campaign_id)
{
	struct dyn *d = calloc(1, sizeof(*d));
	struct ccon_error err;

	if (!d) {
		app_error(app, "out of memory");
		return NULL;
	}
	d->pane.ops = &dyn_ops;
	d->pane.app = app;
	d->pane.dirty = PANE_DIRTY_ALL;
	ccon_strbuf_init(&d->paste);
	ccon_error_set(&err, CCON_E_NOMEM, "out of memory");
	if (ccon_dynamic_flow_new(app->client, app->cfg->app_id > 0 ? app->cfg->app_id : 0, &d->flow,
	                          &err) < 0 ||
	    (campaign_id && ccon_dynamic_flow_open(d->flow, campaign_id, &err) < 0) ||
	    !(d->form[F_CHANNEL] = strdup("WhatsApp"))) {
		app_error(app, "dynamic audiences: %s", err.message);
		dyn_close(&d->pane);
		return NULL;
	}
	d->mode = campaign_id ? MODE_LOADING : MODE_FORM;
	if (!campaign_id)
		form_check(d);
	return &d->pane;
}
