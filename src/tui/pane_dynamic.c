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

#include "dynamic.h"

#include "cmdline.h"
#include "colors.h"
#include "cursor.h"
#include "draw.h"
#include "paste.h"

#include <ccon/json_util.h>
#include <ccon/sanitize.h>

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

size_t dyn_invalid_rows(struct dyn *d)
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
		if (ccon_fields_set(&dst->a.message_params, src->a.message_params.items[k].name,
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
size_t dyn_n_columns(const struct dyn *d)
{
	return d->n_cols + 2;
}

bool dyn_col_is_context(const struct dyn *d, size_t col)
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

const char *dyn_form_value(const struct dyn *d, int f)
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
	dc.campaign.name = (char *)dyn_form_value(d, F_NAME);
	dc.campaign.type = CCON_CAMPAIGN_BATCH;
	if (ccon_channel_parse(dyn_form_value(d, F_CHANNEL), &dc.campaign.channel) < 0) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "the channel is WhatsApp or GoogleRcs");
		ccon_error_at_path(err, "campaign.channelType");
		return -1;
	}
	dc.campaign.has_channel = true;
	dc.message.channel = dc.campaign.channel;
	dc.message.has_channel = true;
	if (dc.campaign.channel == CCON_CHANNEL_GOOGLE_RCS)
		dc.message.message_content = (char *)dyn_form_value(d, F_TEMPLATE);
	else
		dc.message.message_template = (char *)dyn_form_value(d, F_TEMPLATE);
	dc.message.params = split_params(dyn_form_value(d, F_PARAMS), &dc.message.n_params);
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
	} else if (dyn_col_is_context(d, d->edit_col)) {
		if (!(v = strdup(text)))
			return oom(d);
		free(r->context);
		r->context = v;
	} else if (ccon_fields_set(&r->a.message_params, d->cols[d->edit_col - 1], text) < 0) {
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
	if (d->edit_col && !dyn_col_is_context(d, d->edit_col) && !d->existed) {
		ccon_fields_set(&r->a.message_params, d->cols[d->edit_col - 1], NULL);
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
	snprintf(d->label, sizeof(d->label), "%s: ", draw_shown(label, 60, fit, sizeof(fit)));
	app_prompt(d->pane.app, d->label, text, kind == EDIT_FORM || kind == EDIT_CELL
	            ? edit_changed : NULL, edit_done, d);
	d->pane.dirty |= PANE_DIRTY_ALL;
}

static void edit_form(struct dyn *d)
{
	if (d->form_sel == F_CREATE)
		return create(d);
	edit_reset(d);
	if (!(d->orig = strdup(dyn_form_value(d, (int)d->form_sel))))
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
	v = dyn_cell_text(d, &d->rows[d->sel], d->col);
	d->existed = v != NULL;
	if (!(d->orig = strdup(v ? v : "")))
		return oom(d);
	snprintf(label, sizeof(label), "Row %zu %s", d->sel + 1, dyn_col_title(d, d->col));
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
			if (ccon_fields_set(&d->rows[at].a.message_params, d->cols[k++], tok) < 0)
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
		            added == 1 ? "" : "s", dyn_invalid_rows(d));
		if (added)
			d->sel = before;
	} else {
		app_message(d->pane.app, "paste dropped");
	}
	ccon_strbuf_reset(&d->paste);
}

static void paste_key(struct dyn *d, struct ccon_key key)
{
	switch (paste_edit(&d->paste, key)) {
	case PASTE_KEEP:
		paste_end(d, true);
		break;
	case PASTE_DROP:
		paste_end(d, false);
		break;
	case PASTE_OOM:
		oom(d);
		break;
	case PASTE_TYPED:
		d->pane.dirty |= PANE_DIRTY_ALL;
		break;
	case PASTE_IGNORED:
		break;
	}
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
		return app_error(d->pane.app, "campaign %s %s",
		                 draw_shown(c->id, 40, fit, sizeof(fit)),
		                 c->not_v2 ? "is not a /campaign/v2 campaign" : "was already dispatched");
	app_confirm(d->pane.app, dispatch_answered, d, "Dispatch campaign %s to the %" PRId64
	            " audiences the server holds? No audience can be added afterwards. y/N",
	            draw_shown(c->id, 40, fit, sizeof(fit)), c->recipients < 0 ? 0 : c->recipients);
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
		         draw_shown(c->id, 40, fit, sizeof(fit)), err.message);
		return;
	}
	if (d->mode == MODE_FORM || d->mode == MODE_LOADING) {
		if (c->not_v2) {
			d->mode = MODE_REFUSED;
			snprintf(d->refusal, sizeof(d->refusal), "Campaign %s was created with %s: "
			         "audiences can only be added to a /campaign/v2 campaign; use the send "
			         "wizard for it (n on the campaign list)",
			         draw_shown(c->id, 40, fit, sizeof(fit)),
			         c->origin && strcmp(c->origin, "full") == 0 ? "/campaign/full"
			                                                    : "the REST API");
			return;
		}
		if (d->mode == MODE_FORM)
			app_message(d->pane.app, "campaign %s created: add its audience in rounds",
			            draw_shown(c->id, 40, fit, sizeof(fit)));
		else if (c->dispatched)
			app_message(d->pane.app, "campaign %s was dispatched: no audience can be added",
			            draw_shown(c->id, 40, fit, sizeof(fit)));
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
		cursor_cycle(&d->col, dyn_n_columns(d), 1);
	else if (req == REQ_FOCUS_PREV || req == REQ_ENVELOPE_COLUMN_PREV)
		cursor_cycle(&d->col, dyn_n_columns(d), -1);
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
