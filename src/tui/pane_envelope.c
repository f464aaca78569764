/* pane_envelope.c - the command-envelope campaign's editor (seed 002, set
 * /campaign/full), pushed over the wizard on its draft's d->envelope. Two
 * parts, Tab moves between them: the campaign (name, campaignType, channel,
 * message template or content, language, the message's parameter names,
 * flowId, stateId, masterstate, sourceApplication, tags) and the audiences,
 * a table like the audience editor's: recipient, its E.164 form, one column
 * per message parameter and the contextVariables as name=value pairs.
 * Every edit is on the bottom prompt and checked on every keystroke by the
 * codec (ccon_send_draft_check_fields for the whole resource,
 * ccon_audience_check for a row or a single cell) and phone.h for the
 * recipient, as ccond checks it; the reason shows in place. Individual
 * campaigns hold exactly one audience: adding a second one, or switching a
 * campaign of several to Individual, is refused here. Every string is typed
 * or pasted text: drawn through draw_text (the sanitiser). */
#include "config.h"

#include "envelope.h"

#include "colors.h"
#include "cursor.h"
#include "draw.h"
#include "paste.h"

#include <ccon/audience.h>
#include <ccon/field.h>
#include <ccon/sanitize.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void edit_reset(struct envelope *ev);
static void edit_done(void *ctx, const char *text);

/* s sanitised and cut to at most cells (with "…"), without the padding. */
static void envelope_changed(struct pane *p, unsigned changes)
{
	(void)p;
	(void)changes; /* nothing of the model's polling shows here */
}

/* ------------------------------------------------------------ editing */

static char **text_slot(struct envelope *ev, enum field f)
{
	struct ccon_full_campaign *c = fc(ev);

	switch (f) {
	case F_NAME: return &c->campaign.name;
	case F_TEMPLATE: return &c->message.message_template;
	case F_CONTENT: return &c->message.message_content;
	case F_LANGUAGE: return &c->message.template_language;
	case F_FLOW: return &c->campaign.flow_id;
	case F_STATE: return &c->campaign.state_id;
	case F_MASTER: return &c->campaign.master_state;
	case F_SOURCE: return &c->campaign.source_application;
	default: return NULL;
	}
}

/* The list of names a field holds (message parameters, tags). */
static void list_slot(struct envelope *ev, enum field f, char ****names, size_t **n)
{
	struct ccon_full_campaign *c = fc(ev);

	if (f == F_PARAMS) {
		*names = &c->message.params;
		*n = &c->message.n_params;
	} else {
		*names = &c->campaign.tags;
		*n = &c->campaign.n_tags;
	}
}

static int list_set(struct envelope *ev, enum field f, const char *text)
{
	char ***names, **v;
	size_t *n, count;

	if (env_list_parse(text, &v, &count) < 0)
		return -1;
	list_slot(ev, f, &names, &n);
	env_free_names(*names, *n);
	*names = v;
	*n = count;
	return 0;
}

static void edit_reset(struct envelope *ev)
{
	free(ev->edit.name);
	free(ev->edit.orig);
	ccon_fields_free(&ev->edit.ctx_orig);
	memset(&ev->edit, 0, sizeof(ev->edit));
	ev->edit.at = NONE;
}

static struct ccon_audience *edit_row(struct envelope *ev)
{
	return ev->edit.row < fc(ev)->n_audiences ? &fc(ev)->audiences[ev->edit.row] : NULL;
}

static void context_replace(struct ccon_audience *a, struct ccon_fields *f)
{
	ccon_fields_free(&a->context_variables);
	a->context_variables = *f;
	memset(f, 0, sizeof(*f));
}

static int param_set(struct envelope *ev, const char *text)
{
	struct ccon_campaign_message *m = &fc(ev)->message;
	struct edit *e = &ev->edit;
	char *v = strdup(text), **p;

	if (!v)
		return -1;
	if (e->at != NONE) {
		free(m->params[e->at]);
		m->params[e->at] = v;
		return 0;
	}
	p = realloc(m->params, (m->n_params + 1) * sizeof(*p));
	if (!p) {
		free(v);
		return -1;
	}
	m->params = p;
	e->at = m->n_params;
	p[m->n_params++] = v;
	return 0;
}

static void param_drop(struct envelope *ev, size_t k)
{
	struct ccon_campaign_message *m = &fc(ev)->message;

	free(m->params[k]);
	memmove(m->params + k, m->params + k + 1, (m->n_params - k - 1) * sizeof(*m->params));
	m->n_params--;
}

static void edit_changed(void *ctx, const char *text)
{
	struct envelope *ev = ctx;
	struct edit *e = &ev->edit;
	struct ccon_audience *a = edit_row(ev);
	struct ccon_fields parsed = CCON_FIELDS_INIT;
	int rc = 0;

	ccon_error_clear(&e->err);
	switch (e->kind) {
	case EDIT_TEXT:
		rc = ccon_draft_str_set(text_slot(ev, e->field), text);
		break;
	case EDIT_LIST:
		rc = list_set(ev, e->field, text);
		break;
	case EDIT_RECIPIENT:
		rc = a ? ccon_draft_str_set(&a->recipient, text) : 0;
		break;
	case EDIT_PARAM:
		if (!a)
			break;
		if (e->at == NONE) {
			rc = ccon_fields_add(&a->message_params, e->name, text, strlen(text));
			if (rc == 0)
				e->at = a->message_params.count - 1;
		} else {
			rc = ccon_fields_replace(&a->message_params, e->at, text);
		}
		if (rc == 0)
			env_cell_check(ev, e->row, e->name, &e->err);
		break;
	case EDIT_CONTEXT:
		if (!a)
			break;
		if (ccon_fields_parse_pairs(text, &parsed, &e->err) == 0) {
			context_replace(a, &parsed);
		} else {
			char path[64];

			env_audience_path(ev, e->row, path, sizeof(path));
			ccon_error_at_path(&e->err, "contextVariables");
			ccon_error_prefix_path(&e->err, path);
		}
		rc = e->err.code == CCON_E_NOMEM ? -1 : 0;
		ccon_fields_free(&parsed);
		break;
	case EDIT_PARAM_ADD:
		rc = param_set(ev, text);
		break;
	case EDIT_NONE:
		return;
	}
	if (rc < 0)
		env_oom(ev);
	env_recompute(ev);
}

/* Esc: what the edit changed goes back as it was. */
static void edit_undo(struct envelope *ev)
{
	struct edit *e = &ev->edit;
	struct ccon_audience *a = edit_row(ev);

	switch (e->kind) {
	case EDIT_TEXT:
		ccon_draft_str_set(text_slot(ev, e->field), e->orig);
		break;
	case EDIT_LIST:
		list_set(ev, e->field, e->orig ? e->orig : "");
		break;
	case EDIT_RECIPIENT:
		if (e->new_row)
			ccon_send_draft_env_remove(ev->d, e->row);
		else if (a)
			ccon_draft_str_set(&a->recipient, e->orig);
		break;
	case EDIT_PARAM:
		if (!a || e->at == NONE)
			break;
		if (e->existed)
			ccon_fields_replace(&a->message_params, e->at, e->orig);
		else
			ccon_fields_remove(&a->message_params, e->at);
		break;
	case EDIT_CONTEXT:
		if (a)
			context_replace(a, &e->ctx_orig);
		break;
	case EDIT_PARAM_ADD:
		if (e->at != NONE)
			param_drop(ev, e->at);
		break;
	case EDIT_NONE:
		break;
	}
}

static void edit_open(struct envelope *ev, const char *label, const char *text)
{
	char fit[CCON_FIT_SIZE(160, 80)];

	snprintf(ev->label, sizeof(ev->label), "%s: ", draw_shown(label, 80, fit, sizeof(fit)));
	app_prompt(ev->pane.app, ev->label, text, edit_changed, edit_done, ev);
	ev->pane.dirty |= PANE_DIRTY_ALL;
}

/* Enter on a value the codec refuses: the prompt stays with the text, so
 * it can be fixed (text is the prompt's own buffer: copied first). */
static void edit_again(struct envelope *ev, const struct ccon_error *why, const char *text)
{
	char *again = strdup(text);

	if (why->column)
		app_error(ev->pane.app, "refused: %s, character %ld: %s", why->path, why->column,
		          why->message);
	else
		app_error(ev->pane.app, "refused: %s: %s", why->path, why->message);
	app_prompt(ev->pane.app, ev->label, again ? again : "", edit_changed, edit_done,
	            ev);
	free(again);
}

static void edit_done(void *ctx, const char *text)
{
	struct envelope *ev = ctx;
	struct edit *e = &ev->edit;
	struct ccon_audience *a = edit_row(ev);
	struct ccon_error why;

	if (!text) {
		edit_undo(ev);
		edit_reset(ev);
		env_recompute(ev);
		return;
	}
	if ((e->kind == EDIT_PARAM || e->kind == EDIT_CONTEXT) && e->err.code) {
		why = e->err;
		edit_again(ev, &why, text);
		return;
	}
	if (e->kind == EDIT_PARAM_ADD && text[strspn(text, " \t")] == '\0') {
		if (e->at != NONE)
			param_drop(ev, e->at);
		app_message(ev->pane.app, "nothing typed: no parameter added");
	} else if (e->kind == EDIT_PARAM_ADD && ev->check.code &&
	           env_path_under(ev->check.path, "message.messageParams")) {
		why = ev->check;
		edit_again(ev, &why, text);
		return;
	} else if (e->kind == EDIT_PARAM_ADD) {
		app_message(ev->pane.app, "message parameter added: every audience needs a value");
	} else if (e->kind == EDIT_RECIPIENT && e->new_row && a &&
	           (!a->recipient || !a->recipient[strspn(a->recipient, " \t")])) {
		ccon_send_draft_env_remove(ev->d, e->row);
		app_message(ev->pane.app, "nothing typed: no audience added");
	} else if (e->kind == EDIT_RECIPIENT && a &&
	           env_recipient_check(ev, e->row, (char[CCON_E164_BUFSIZE]){ 0 }, &why) < 0) {
		app_error(ev->pane.app, "row %zu kept as typed: %s: %s", e->row + 1, why.path,
		          why.message);
	}
	edit_reset(ev);
	env_recompute(ev);
}

static void toggle_type(struct envelope *ev)
{
	struct ccon_full_campaign *c = fc(ev);

	if (c->campaign.type == CCON_CAMPAIGN_INDIVIDUAL) {
		c->campaign.type = CCON_CAMPAIGN_BATCH;
	} else if (c->n_audiences > 1) {
		app_error(ev->pane.app, "an Individual campaign takes exactly one audience; this one "
		          "has %zu: delete %zu first, or keep it Batch", c->n_audiences,
		          c->n_audiences - 1);
		return;
	} else {
		c->campaign.type = CCON_CAMPAIGN_INDIVIDUAL;
	}
	app_message(ev->pane.app, "campaignType %s", ccon_campaign_type_name(c->campaign.type));
	env_recompute(ev);
}

static void toggle_channel(struct envelope *ev)
{
	struct ccon_full_campaign *c = fc(ev);
	enum ccon_channel ch = c->campaign.channel == CCON_CHANNEL_WHATSAPP
	                       ? CCON_CHANNEL_GOOGLE_RCS : CCON_CHANNEL_WHATSAPP;

	c->campaign.channel = c->message.channel = ch;
	c->campaign.has_channel = c->message.has_channel = true;
	app_message(ev->pane.app, "channelType %s: %s", ccon_channel_name(ch),
	            ch == CCON_CHANNEL_WHATSAPP ? "the message names its messageTemplate"
	                                        : "the message gives its messageContent");
	env_recompute(ev);
}

static void edit_field(struct envelope *ev)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	enum field f = ev->field;
	char **slot;

	if (f == F_TYPE) {
		toggle_type(ev);
		return;
	}
	if (f == F_CHANNEL) {
		toggle_channel(ev);
		return;
	}
	edit_reset(ev);
	ev->edit.field = f;
	if (f == F_PARAMS || f == F_TAGS) {
		ev->edit.kind = EDIT_LIST;
		if (f == F_PARAMS)
			env_list_text(fc(ev)->message.params, fc(ev)->message.n_params, &sb);
		else
			env_list_text(fc(ev)->campaign.tags, fc(ev)->campaign.n_tags, &sb);
		ev->edit.orig = strdup(ccon_strbuf_cstr(&sb));
	} else {
		slot = text_slot(ev, f);
		ev->edit.kind = EDIT_TEXT;
		ev->edit.orig = strdup(*slot ? *slot : "");
	}
	ccon_strbuf_free(&sb);
	if (!ev->edit.orig) {
		edit_reset(ev);
		env_oom(ev);
		return;
	}
	edit_open(ev, field_info[f].path, ev->edit.orig);
}

static void edit_cell(struct envelope *ev)
{
	struct ccon_audience *a;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	const char *name = env_col_name(ev);
	char path[48], label[160];

	if (ev->sel >= fc(ev)->n_audiences) {
		app_message(ev->pane.app, "no audience here: a adds one");
		return;
	}
	a = &fc(ev)->audiences[ev->sel];
	edit_reset(ev);
	ev->edit.row = ev->sel;
	env_audience_path(ev, ev->sel, path, sizeof(path));
	if (ev->col == COL_RECIPIENT) {
		ev->edit.kind = EDIT_RECIPIENT;
		ev->edit.orig = strdup(a->recipient ? a->recipient : "");
		snprintf(label, sizeof(label), "%s.recipient", path);
	} else if (name) {
		ev->edit.kind = EDIT_PARAM;
		ev->edit.name = strdup(name);
		ev->edit.at = ccon_fields_index(&a->message_params, name);
		ev->edit.existed = ev->edit.at != NONE;
		ev->edit.orig = strdup(ev->edit.existed ? a->message_params.items[ev->edit.at].value
		                                        : "");
		snprintf(label, sizeof(label), "%s.messageParams.%s", path, name);
		if (!ev->edit.name)
			ev->edit.kind = EDIT_NONE;
	} else {
		ev->edit.kind = EDIT_CONTEXT;
		ccon_fields_format_pairs(&a->context_variables, &sb);
		ev->edit.orig = strdup(ccon_strbuf_cstr(&sb));
		if (env_fields_copy(&a->context_variables, &ev->edit.ctx_orig) < 0)
			ev->edit.kind = EDIT_NONE;
		snprintf(label, sizeof(label), "%s.contextVariables (name=value; ...)", path);
	}
	ccon_strbuf_free(&sb);
	if (!ev->edit.orig || ev->edit.kind == EDIT_NONE) {
		edit_reset(ev);
		env_oom(ev);
		return;
	}
	edit_open(ev, label, ev->edit.orig);
	if (ev->edit.kind == EDIT_PARAM)
		env_cell_check(ev, ev->edit.row, ev->edit.name, &ev->edit.err);
}

/* ------------------------------------------------------------ the table's actions */

static bool one_audience_only(struct envelope *ev)
{
	if (!individual(ev) || fc(ev)->n_audiences == 0)
		return false;
	app_error(ev->pane.app, "an Individual campaign takes exactly one audience: switch "
	          "campaignType to Batch for more");
	return true;
}

static void add_row(struct envelope *ev)
{
	size_t i;

	if (one_audience_only(ev))
		return;
	if (ccon_send_draft_env_add(ev->d, "", &i) < 0) {
		env_oom(ev);
		return;
	}
	ev->sel = i;
	ev->col = COL_RECIPIENT;
	env_recompute(ev);
	edit_cell(ev);
	ev->edit.new_row = true;
}

/* A copy of audience i right after it. */
static void duplicate_row(struct envelope *ev)
{
	struct ccon_full_campaign *c = fc(ev);
	struct ccon_audience tmp, *from, *to;
	size_t i = ev->sel, n;

	if (i >= c->n_audiences || one_audience_only(ev))
		return;
	if (ccon_send_draft_env_add(ev->d, c->audiences[i].recipient, &n) < 0) {
		env_oom(ev);
		return;
	}
	from = &c->audiences[i];
	to = &c->audiences[n];
	if (env_fields_copy(&from->message_params, &to->message_params) < 0 ||
	    env_fields_copy(&from->context_variables, &to->context_variables) < 0)
		env_oom(ev);
	if (n != i + 1) {
		tmp = c->audiences[n];
		memmove(&c->audiences[i + 2], &c->audiences[i + 1],
		        (n - i - 1) * sizeof(*c->audiences));
		c->audiences[i + 1] = tmp;
	}
	app_message(ev->pane.app, "row %zu duplicated as row %zu", i + 1, i + 2);
	ev->sel = i + 1;
	env_recompute(ev);
}

static void delete_row(struct envelope *ev)
{
	if (ev->sel >= fc(ev)->n_audiences)
		return;
	ccon_send_draft_env_remove(ev->d, ev->sel);
	app_message(ev->pane.app, "row %zu deleted", ev->sel + 1);
	env_recompute(ev);
}

static void clear_cell(struct envelope *ev)
{
	struct ccon_audience *a;
	const char *name = env_col_name(ev);
	size_t f;

	if (ev->sel >= fc(ev)->n_audiences || ev->col == COL_RECIPIENT) {
		app_message(ev->pane.app, "Del clears a parameter or the contextVariables of a row: "
		            "move to its column (l, h)");
		return;
	}
	a = &fc(ev)->audiences[ev->sel];
	if (!name) {
		ccon_fields_free(&a->context_variables);
	} else if ((f = ccon_fields_index(&a->message_params, name)) != NONE) {
		ccon_fields_remove(&a->message_params, f);
	}
	env_recompute(ev);
}

static void param_add(struct envelope *ev)
{
	edit_reset(ev);
	ev->edit.kind = EDIT_PARAM_ADD;
	edit_open(ev, "New message parameter (message.messageParams)", "");
}

struct param_remove {
	struct envelope *ev;
	char *name;
};

static void param_remove_confirmed(void *ctx, bool yes)
{
	struct param_remove *pr = ctx;
	struct envelope *ev = pr->ev;
	struct ccon_full_campaign *c = fc(ev);
	size_t k, n = 0;

	if (yes) {
		if ((k = env_name_index(c->message.params, c->message.n_params, pr->name)) != NONE)
			param_drop(ev, k);
		for (size_t i = 0; i < c->n_audiences; i++)
			if ((k = ccon_fields_index(&c->audiences[i].message_params, pr->name)) != NONE) {
				ccon_fields_remove(&c->audiences[i].message_params, k);
				n++;
			}
		env_recompute(ev);
		app_message(ev->pane.app, "parameter removed (its value from %zu audience%s)", n,
		            n == 1 ? "" : "s");
	} else {
		app_message(ev->pane.app, "not removed");
	}
	free(pr->name);
	free(pr);
}

static void param_remove(struct envelope *ev)
{
	const char *name = env_col_name(ev);
	struct param_remove *pr;
	char fit[CCON_FIT_SIZE(64, 32)];

	if (!name) {
		app_message(ev->pane.app, "- removes a message parameter: move to its column (l, h)");
		return;
	}
	pr = calloc(1, sizeof(*pr));
	if (!pr || !(pr->name = strdup(name))) {
		free(pr);
		env_oom(ev);
		return;
	}
	pr->ev = ev;
	app_confirm(ev->pane.app, param_remove_confirmed, pr,
	            "Remove the message parameter %s and its values from every audience? y/N",
	            draw_shown(name, 32, fit, sizeof(fit)));
}

/* ------------------------------------------------------------ paste */

/* The pasted recipients split and checked as the audience editor's paste
 * does (audience.h), over a scratch roster holding the audiences first, so
 * a number already there or twice in the paste is a duplicate, not added. */
static void paste_take(struct envelope *ev)
{
	struct ccon_full_campaign *c = fc(ev);
	struct ccon_roster r = CCON_ROSTER_INIT;
	struct ccon_roster_paste res;
	size_t before = c->n_audiences;
	int rc = 0;

	memset(&res, 0, sizeof(res));
	for (size_t i = 0; i < before && rc == 0; i++)
		rc = ccon_roster_add(&r, c->audiences[i].recipient ? c->audiences[i].recipient : "",
		                     NULL, NULL);
	if (rc == 0)
		rc = ccon_roster_paste(&r, ccon_strbuf_cstr(&ev->paste), ev->paste.len, NULL, &res);
	for (size_t i = before; i < r.count && rc == 0; i++)
		rc = ccon_send_draft_env_add(ev->d, r.rows[i].contact.contact_code, NULL);
	if (rc < 0)
		env_oom(ev);
	snprintf(ev->note, sizeof(ev->note), "Pasted %zu item%s: %zu added, %zu duplicate%s (not "
	         "added), %zu invalid (added, marked !)", res.added + res.duplicates,
	         res.added + res.duplicates == 1 ? "" : "s", res.added, res.duplicates,
	         res.duplicates == 1 ? "" : "s", res.invalid);
	if (res.invalid)
		ev->sel = res.invalid_items[0].row;
	else if (c->n_audiences > before)
		ev->sel = before;
	ccon_roster_paste_free(&res);
	ccon_roster_free(&r);
}

static void paste_end(struct envelope *ev, bool keep)
{
	ev->pasting = false;
	ev->pane.grab_keys = false;
	if (keep)
		paste_take(ev);
	else
		app_message(ev->pane.app, "paste dropped (%zu bytes)", ev->paste.len);
	ccon_strbuf_reset(&ev->paste);
	ev->col = COL_RECIPIENT;
	env_recompute(ev);
}

/* A key of the paste (paste.h). */
static void paste_key(struct envelope *ev, struct ccon_key key)
{
	switch (paste_edit(&ev->paste, key)) {
	case PASTE_KEEP:
		paste_end(ev, true);
		break;
	case PASTE_DROP:
		paste_end(ev, false);
		break;
	case PASTE_OOM:
		env_oom(ev);
		break;
	case PASTE_TYPED:
		ev->pane.dirty |= PANE_DIRTY_ALL;
		break;
	case PASTE_IGNORED:
		break;
	}
}

static void paste_start(struct envelope *ev)
{
	if (individual(ev)) {
		app_error(ev->pane.app, "an Individual campaign takes exactly one audience: paste is "
		          "for Batch campaigns");
		return;
	}
	ev->pasting = true;
	ev->pane.grab_keys = true; /* Enter, j, Space...: text, not requests */
	ccon_strbuf_reset(&ev->paste);
	ev->note[0] = '\0';
	app_message(ev->pane.app, "paste: Ctrl-D adds the recipients, Esc drops them");
	ev->pane.dirty |= PANE_DIRTY_ALL;
}

/* ------------------------------------------------------------ requests */

static bool move_campaign(struct envelope *ev, enum request req)
{
	size_t f = ev->field;

	/* a page is the whole form */
	if (!cursor_move(&f, F__COUNT, F__COUNT, req))
		return false;
	ev->field = (enum field)f;
	return true;
}

static bool move_table(struct envelope *ev, enum request req)
{
	size_t ncol = COL_PARAMS + ev->n_cols + 1;

	if (req == REQ_ENVELOPE_COLUMN_NEXT || req == REQ_ENVELOPE_COLUMN_PREV)
		cursor_cycle(&ev->col, ncol, req == REQ_ENVELOPE_COLUMN_NEXT ? 1 : -1);
	else
		return cursor_move(&ev->sel, fc(ev)->n_audiences, cursor_page(ev->pane.rows), req);
	return true;
}

/* The table's own requests: they bring the audiences part forward. */
static bool table_request(struct envelope *ev, enum request req)
{
	switch (req) {
	case REQ_AUDIENCE_ADD:
		ev->part = PART_AUDIENCES;
		add_row(ev);
		return true;
	case REQ_AUDIENCE_DUPLICATE:
		duplicate_row(ev);
		return true;
	case REQ_AUDIENCE_DELETE:
		delete_row(ev);
		return true;
	case REQ_AUDIENCE_CLEAR:
		clear_cell(ev);
		return true;
	case REQ_AUDIENCE_FIELD_ADD:
		param_add(ev);
		return true;
	case REQ_AUDIENCE_FIELD_REMOVE:
		param_remove(ev);
		return true;
	case REQ_AUDIENCE_PASTE:
		ev->part = PART_AUDIENCES;
		paste_start(ev);
		return true;
	default:
		return false;
	}
}

static bool envelope_request(struct pane *p, enum request req)
{
	struct envelope *ev = (struct envelope *)p;

	if (ev->part == PART_CAMPAIGN ? move_campaign(ev, req) : move_table(ev, req)) {
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	}
	switch (req) {
	case REQ_FOCUS_NEXT:
	case REQ_FOCUS_PREV:
		ev->part = ev->part == PART_CAMPAIGN ? PART_AUDIENCES : PART_CAMPAIGN;
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	case REQ_ENTER:
	case REQ_EDIT:
		if (ev->part == PART_CAMPAIGN)
			edit_field(ev);
		else
			edit_cell(ev);
		return true;
	default:
		if (ev->part == PART_CAMPAIGN && (req == REQ_AUDIENCE_DELETE ||
		                                  req == REQ_AUDIENCE_DUPLICATE ||
		                                  req == REQ_AUDIENCE_CLEAR ||
		                                  req == REQ_AUDIENCE_FIELD_REMOVE))
			return false;
		return table_request(ev, req);
	}
}

static bool envelope_key(struct pane *p, struct ccon_key key)
{
	struct envelope *ev = (struct envelope *)p;

	if (!ev->pasting)
		return false;
	paste_key(ev, key);
	return true;
}

static void envelope_close(struct pane *p)
{
	struct envelope *ev = (struct envelope *)p;

	if (ev->edit.kind != EDIT_NONE && p->app->prompt.active && p->app->prompt.ctx == ev)
		p->app->prompt.active = false;
	edit_reset(ev);
	env_free_names(ev->cols, ev->n_cols);
	ccon_strbuf_free(&ev->paste);
	free(ev->dup_of);
	free(ev);
}

static const struct pane_ops envelope_ops = {
	.name = "Envelope",
	.changed = envelope_changed,
	.draw = envelope_draw,
	.request = envelope_request,
	.key = envelope_key,
	.close = envelope_close,
};

struct pane *pane_envelope_open(struct app *app, struct ccon_send_draft *d)
{
	struct envelope *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	ev->pane.ops = &envelope_ops;
	ev->pane.app = app;
	ev->pane.dirty = PANE_DIRTY_ALL;
	ev->d = d;
	ev->edit.at = NONE;
	ccon_strbuf_init(&ev->paste);
	env_recompute(ev);
	return &ev->pane;
}
