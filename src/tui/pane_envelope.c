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

#include "pane.h"

#include "app.h"
#include "colors.h"
#include "cursor.h"
#include "draw.h"

#include <ccon/audience.h>
#include <ccon/phone.h>
#include <ccon/sanitize.h>
#include <ccon/send_draft.h>
#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)
#define COL_RECIPIENT 0
#define COL_PARAMS 1          /* message parameter columns from here, then contextVariables */
#define FORM_LINES 7          /* the campaign part's lines (two columns) */
#define W_MARK 2
#define W_NUM 4
#define W_RECIPIENT 16
#define W_E164 16
#define W_PARAM 14
#define W_CONTEXT_MIN 18
#define NOTE_SIZE 512

enum part { PART_CAMPAIGN, PART_AUDIENCES };

enum field {
	F_NAME, F_TYPE, F_CHANNEL, F_TEMPLATE, F_CONTENT, F_LANGUAGE, F_PARAMS,
	F_FLOW, F_STATE, F_MASTER, F_SOURCE, F_TAGS, F__COUNT
};

/* The request's name of each field and where the codec's errors about it
 * point (the channel is also "message.channelType"). */
static const struct field_info {
	const char *name;
	const char *path;
} field_info[F__COUNT] = {
	[F_NAME] = { "name", "campaign.name" },
	[F_TYPE] = { "campaignType", "campaign.campaignType" },
	[F_CHANNEL] = { "channelType", "campaign.channelType" },
	[F_TEMPLATE] = { "messageTemplate", "message.messageTemplate" },
	[F_CONTENT] = { "messageContent", "message.messageContent" },
	[F_LANGUAGE] = { "messageTemplateLanguage", "message.messageTemplateLanguage" },
	[F_PARAMS] = { "messageParams", "message.messageParams" },
	[F_FLOW] = { "flowId", "campaign.flowId" },
	[F_STATE] = { "stateId", "campaign.stateId" },
	[F_MASTER] = { "masterstate", "campaign.masterstate" },
	[F_SOURCE] = { "sourceApplication", "campaign.sourceApplication" },
	[F_TAGS] = { "tags", "campaign.tags" },
};

enum edit_kind {
	EDIT_NONE, EDIT_TEXT, EDIT_LIST, EDIT_RECIPIENT, EDIT_PARAM, EDIT_CONTEXT, EDIT_PARAM_ADD
};

struct edit {
	enum edit_kind kind;
	enum field field;            /* EDIT_TEXT, EDIT_LIST */
	size_t row;
	bool new_row;                /* the row was added for this edit: Esc removes it */
	char *name;                  /* EDIT_PARAM: the parameter */
	char *orig;                  /* the text before the edit */
	size_t at;                   /* EDIT_PARAM: its index in the row; EDIT_PARAM_ADD: in
	                              * message.params; NONE before the first key */
	bool existed;                /* EDIT_PARAM: the row had the parameter before */
	struct ccon_fields ctx_orig; /* EDIT_CONTEXT: the row's variables before */
	struct ccon_error err;       /* the text's own fault as typed */
};

struct envelope {
	struct pane pane;
	struct ccon_send_draft *d;
	enum part part;
	enum field field;            /* the campaign part's cursor */
	size_t sel, top, col;        /* the table's cursor */
	size_t first_param;          /* the first parameter column drawn */
	char **cols;                 /* parameter columns: message.params, then extras */
	size_t n_cols;
	/* from recompute(): the first fault of the whole resource, the counts */
	struct ccon_error check;
	size_t valid, invalid, duplicates;
	size_t *dup_of;              /* per row, the earlier row with its number, or NONE */
	struct edit edit;
	char label[200];
	bool pasting;
	struct ccon_strbuf paste;
	char note[NOTE_SIZE];        /* the last paste's report */
};

static void recompute(struct envelope *ev);
static void edit_reset(struct envelope *ev);
static void edit_done(void *ctx, const char *text);

static struct ccon_full_campaign *fc(const struct envelope *ev)
{
	return &ev->d->envelope;
}

static bool individual(const struct envelope *ev)
{
	return fc(ev)->campaign.type == CCON_CAMPAIGN_INDIVIDUAL;
}

static void oom(struct envelope *ev)
{
	app_error(ev->pane.app, "out of memory");
}

/* s sanitised and cut to at most cells (with "…"), without the padding. */
static const char *shown(const char *s, size_t cells, char *buf, size_t size)
{
	ccon_text_fit(s, strlen(s), cells, 0, buf, size);
	for (size_t n = strlen(buf); n && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
	return buf;
}

/* ------------------------------------------------------------ names and fields */

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static size_t name_index(char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return NONE;
}

/* Appends a copy of name unless it is there: -1 when out of memory. */
static int add_name(char ***names, size_t *n, const char *name)
{
	char **p, *d;

	if (name_index(*names, *n, name) != NONE)
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

static size_t field_index(const struct ccon_fields *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return i;
	return NONE;
}

static int field_set(struct ccon_fields *f, size_t i, const char *value)
{
	char *v = strdup(value);

	if (!v)
		return -1;
	free(f->items[i].value);
	f->items[i].value = v;
	return 0;
}

static void field_remove(struct ccon_fields *f, size_t i)
{
	free(f->items[i].name);
	free(f->items[i].value);
	memmove(f->items + i, f->items + i + 1, (f->count - i - 1) * sizeof(*f->items));
	f->count--;
}

static int fields_copy(const struct ccon_fields *from, struct ccon_fields *to)
{
	for (size_t i = 0; i < from->count; i++)
		if (ccon_fields_add(to, from->items[i].name, from->items[i].value,
		                    strlen(from->items[i].value)) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------ lists and pairs */

/* "a, b, c" (blanks around items dropped; an empty text is no item, an
 * empty item stays so the codec names it). */
static int list_parse(const char *s, char ***out, size_t *n)
{
	char **v = NULL;
	size_t count = 0;
	const char *p = s;

	*out = NULL;
	*n = 0;
	if (s[strspn(s, " \t")] == '\0')
		return 0;
	for (;;) {
		const char *end = strchr(p, ','), *b = p, *e;
		char **nv;

		if (!end)
			end = p + strlen(p);
		e = end;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		nv = realloc(v, (count + 1) * sizeof(*v));
		if (!nv || !(nv[count] = strndup(b, (size_t)(e - b)))) {
			free_names(nv ? nv : v, count);
			return -1;
		}
		v = nv;
		count++;
		if (!*end)
			break;
		p = end + 1;
	}
	*out = v;
	*n = count;
	return 0;
}

static void list_text(char *const *v, size_t n, struct ccon_strbuf *sb)
{
	for (size_t i = 0; i < n; i++)
		ccon_strbuf_printf(sb, "%s%s", i ? ", " : "", v[i]);
}

/* ------------------------------------------------------------ checks */

static void audience_path(const struct envelope *ev, size_t i, char *buf, size_t size)
{
	if (individual(ev))
		snprintf(buf, size, "audience");
	else
		snprintf(buf, size, "audiences[%zu]", i);
}

/* The recipient as ccond reads it (phone.h): the E.164 form or why not. */
static int recipient_check(const struct envelope *ev, size_t i, char e164[CCON_E164_BUFSIZE],
                           struct ccon_error *err)
{
	const char *r = fc(ev)->audiences[i].recipient;
	char path[48];

	ccon_error_clear(err);
	if (ccon_phone_normalize(r ? r : "", r ? strlen(r) : 0, e164, err) == 0)
		return 0;
	audience_path(ev, i, path, sizeof(path));
	ccon_error_at_path(err, "recipient");
	ccon_error_prefix_path(err, path);
	return -1;
}

/* Row i: the recipient, then the codec's audience check. */
static int row_check(const struct envelope *ev, size_t i, struct ccon_error *err)
{
	char e164[CCON_E164_BUFSIZE], path[48];

	if (recipient_check(ev, i, e164, err) < 0)
		return -1;
	audience_path(ev, i, path, sizeof(path));
	return ccon_audience_check(&fc(ev)->message, &fc(ev)->audiences[i], path, err);
}

/* One cell: the codec's audience check over the row's value of name alone
 * (and over name as the only parameter when the message takes it). */
static int cell_check(const struct envelope *ev, size_t i, const char *name,
                      struct ccon_error *err)
{
	const struct ccon_audience *a = &fc(ev)->audiences[i];
	const struct ccon_campaign_message *m = &fc(ev)->message;
	struct ccon_campaign_message one;
	struct ccon_audience view;
	char *names[1] = { (char *)name };
	size_t f = field_index(&a->message_params, name);
	char path[48];

	memset(&one, 0, sizeof(one));
	memset(&view, 0, sizeof(view));
	if (name_index(m->params, m->n_params, name) != NONE) {
		one.params = names;
		one.n_params = 1;
	}
	view.recipient = a->recipient;
	if (f != NONE) {
		view.message_params.items = (struct ccon_field *)&a->message_params.items[f];
		view.message_params.count = 1;
	}
	ccon_error_clear(err);
	audience_path(ev, i, path, sizeof(path));
	return ccon_audience_check(&one, &view, path, err);
}

/* The campaign and its message alone, by the codec that reads them in
 * every seed 002 resource: their faults show before the audiences exist
 * (the full resource's decoder reaches the message after the audiences). */
static int campaign_check(const struct envelope *ev, struct ccon_error *err)
{
	struct ccon_dynamic_campaign dc, back;
	cJSON *j = NULL;
	int rc;

	dc.campaign = fc(ev)->campaign;
	dc.campaign.scheduled = NULL;
	dc.message = fc(ev)->message;
	if (ccon_dynamic_campaign_encode(&dc, &j) < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	rc = ccon_dynamic_campaign_decode(j, &back, err);
	cJSON_Delete(j);
	if (rc == 0)
		ccon_dynamic_campaign_free(&back);
	return rc;
}

static bool path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 &&
	       (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

/* The field the resource's first fault is about, or F__COUNT. */
static enum field fault_field(const struct envelope *ev)
{
	const char *p = ev->check.path;

	if (!ev->check.code)
		return F__COUNT;
	if (path_under(p, "message.channelType"))
		return F_CHANNEL;
	for (int f = 0; f < F__COUNT; f++)
		if (path_under(p, field_info[f].path))
			return (enum field)f;
	return F__COUNT;
}

/* ------------------------------------------------------------ model */

/* Parameter columns: the message's parameters, then every other key the
 * rows' messageParams hold (extras, kept in the contact by ccond). */
static void build_columns(struct envelope *ev)
{
	const struct ccon_full_campaign *c = fc(ev);
	char **cols = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t k = 0; k < c->message.n_params && !rc; k++)
		rc = add_name(&cols, &n, c->message.params[k]);
	for (size_t i = 0; i < c->n_audiences && !rc; i++) {
		const struct ccon_fields *f = &c->audiences[i].message_params;

		for (size_t k = 0; k < f->count && !rc; k++)
			rc = add_name(&cols, &n, f->items[k].name);
	}
	if (rc) {
		free_names(cols, n);
		oom(ev);
		return;
	}
	free_names(ev->cols, ev->n_cols);
	ev->cols = cols;
	ev->n_cols = n;
}

static bool col_is_context(const struct envelope *ev)
{
	return ev->col == COL_PARAMS + ev->n_cols;
}

static const char *col_name(const struct envelope *ev)
{
	if (ev->col < COL_PARAMS || ev->col - COL_PARAMS >= ev->n_cols)
		return NULL;
	return ev->cols[ev->col - COL_PARAMS];
}

static bool is_param(const struct envelope *ev, const char *name)
{
	return name_index(fc(ev)->message.params, fc(ev)->message.n_params, name) != NONE;
}

/* The rows whose number an earlier row has (ccond sends it once and
 * counts the rest as duplicates): audience.h's one pass over a scratch
 * roster of the recipients. */
static void find_duplicates(struct envelope *ev)
{
	const struct ccon_full_campaign *c = fc(ev);
	struct ccon_roster r = CCON_ROSTER_INIT;
	size_t *dup = realloc(ev->dup_of, (c->n_audiences + 1) * sizeof(*dup));
	int rc = dup ? 0 : -1;

	ev->duplicates = 0;
	for (size_t i = 0; i < c->n_audiences && rc == 0; i++)
		rc = ccon_roster_add(&r, c->audiences[i].recipient ? c->audiences[i].recipient : "",
		                     NULL, NULL);
	if (rc == 0)
		rc = ccon_roster_duplicates(&r, dup);
	ccon_roster_free(&r);
	if (rc < 0) {
		free(dup);
		dup = NULL;
		app_error(ev->pane.app, "out of memory: duplicate numbers not marked");
	}
	ev->dup_of = dup;
	for (size_t i = 0; dup && i < c->n_audiences; i++)
		ev->duplicates += dup[i] != NONE;
}

static size_t dup_of(const struct envelope *ev, size_t i)
{
	return ev->dup_of && i < fc(ev)->n_audiences ? ev->dup_of[i] : NONE;
}

/* After every change: columns, the whole check, counts, cursor in range. */
static void recompute(struct envelope *ev)
{
	const struct ccon_full_campaign *c = fc(ev);
	char *keep = col_name(ev) ? strdup(col_name(ev)) : NULL;
	bool ctx = col_is_context(ev);
	struct ccon_error e;
	size_t first_bad = NONE;

	build_columns(ev);
	find_duplicates(ev);
	ev->valid = ev->invalid = 0;
	for (size_t i = 0; i < c->n_audiences; i++) {
		if (row_check(ev, i, &e) == 0) {
			ev->valid++;
		} else {
			ev->invalid++;
			if (first_bad == NONE && e.code >= CCON_E_PHONE_EMPTY &&
			    e.code <= CCON_E_PHONE_NO_COUNTRY_CODE)
				first_bad = i;
		}
	}
	ccon_error_clear(&ev->check);
	if (campaign_check(ev, &ev->check) == 0 &&
	    ccon_send_draft_check_fields(ev->d, &ev->check) == 0 && first_bad != NONE)
		recipient_check(ev, first_bad, (char[CCON_E164_BUFSIZE]){ 0 }, &ev->check);
	if (ctx)
		ev->col = COL_PARAMS + ev->n_cols;
	else if (keep && name_index(ev->cols, ev->n_cols, keep) != NONE)
		ev->col = COL_PARAMS + name_index(ev->cols, ev->n_cols, keep);
	free(keep);
	if (ev->col > COL_PARAMS + ev->n_cols)
		ev->col = COL_PARAMS + ev->n_cols;
	if (ev->sel >= c->n_audiences)
		ev->sel = c->n_audiences ? c->n_audiences - 1 : 0;
	ev->pane.dirty |= PANE_DIRTY_ALL;
}

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
		list_text(c->message.params, c->message.n_params, sb);
		break;
	case F_TAGS:
		list_text(c->campaign.tags, c->campaign.n_tags, sb);
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
	bool bad = fault_field(ev) == f;
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
		if (is_param(ev, ev->cols[k]))
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
	bool rbad = recipient_check(ev, i, e164, &re) < 0;
	int x = a.x + 1;

	draw_fill(w, y, a.x, a.w, base);
	if (row_check(ev, i, &ce) < 0)
		draw_text(w, y, x, 1, "!", err | A_BOLD, DRAW_LEFT);
	else if (dup_of(ev, i) != NONE)
		draw_text(w, y, x, 1, "=", warn | A_BOLD, DRAW_LEFT);
	x += W_MARK;
	draw_textf(w, y, x, W_NUM - 1, dim, DRAW_RIGHT, "%zu", i + 1);
	x += W_NUM;
	draw_text(w, y, x, W_RECIPIENT, au->recipient ? au->recipient : "",
	          cell_attr(ev, i, COL_RECIPIENT, rbad ? err : base), DRAW_LEFT);
	x += W_RECIPIENT + 1;
	if (rbad)
		draw_text(w, y, x, W_E164, re.message, err, DRAW_LEFT);
	else if (dup_of(ev, i) != NONE)
		draw_textf(w, y, x, W_E164, warn, DRAW_LEFT, "= row %zu", dup_of(ev, i) + 1);
	else
		draw_text(w, y, x, W_E164, e164, colors_attr(AREA_STATUS_OK) | (cursor ? base : 0),
		          DRAW_LEFT);
	x += W_E164 + 1;
	for (size_t k = ev->first_param; k < ev->n_cols && k < ev->first_param + (size_t)fit;
	     k++) {
		size_t f = field_index(&au->message_params, ev->cols[k]);
		bool bad = cell_check(ev, i, ev->cols[k], &ce) < 0;
		attr_t at = cell_attr(ev, i, COL_PARAMS + k, bad ? err : base);

		if (f == NONE)
			draw_text(w, y, x, W_PARAM, is_param(ev, ev->cols[k]) ? "(missing)" : "", at,
			          DRAW_LEFT);
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
	const char *name = col_name(ev);

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
	           path_under(ev->check.path, "message.messageParams")) {
		LINE(bad, "%s: %s", ev->check.path, ev->check.message);
	} else if (ev->part == PART_CAMPAIGN) {
		if (fault_field(ev) == ev->field)
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
	} else if (ev->col == COL_RECIPIENT && recipient_check(ev, ev->sel, e164, &e) < 0) {
		LINE(bad, "%s: %s", e.path, e.message);
	} else if (name && cell_check(ev, ev->sel, name, &e) < 0) {
		LINE(bad, "%s: %s", e.path, e.message);
	} else if (col_is_context(ev)) {
		ccon_fields_format_pairs(&c->audiences[ev->sel].context_variables, &sb);
		LINE(dim, "contextVariables: %s", sb.len ? ccon_strbuf_cstr(&sb)
		                                         : "none (e sets name=value; name=value)");
	} else if (row_check(ev, ev->sel, &e) < 0) {
		LINE(bad, "%s: %s", e.path, e.message);
	} else if (dup_of(ev, ev->sel) != NONE) {
		recipient_check(ev, ev->sel, e164, &e);
		LINE(colors_attr(AREA_STATUS_WARN), "Row %zu: %s is also row %zu; ccond sends it once "
		     "(a duplicate)", ev->sel + 1, e164, dup_of(ev, ev->sel) + 1);
	} else {
		recipient_check(ev, ev->sel, e164, &e);
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

static void envelope_draw(struct pane *p, WINDOW *w, struct rect a)
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

	if (list_parse(text, &v, &count) < 0)
		return -1;
	list_slot(ev, f, &names, &n);
	free_names(*names, *n);
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
			rc = field_set(&a->message_params, e->at, text);
		}
		if (rc == 0)
			cell_check(ev, e->row, e->name, &e->err);
		break;
	case EDIT_CONTEXT:
		if (!a)
			break;
		if (ccon_fields_parse_pairs(text, &parsed, &e->err) == 0) {
			context_replace(a, &parsed);
		} else {
			char path[64];

			audience_path(ev, e->row, path, sizeof(path));
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
		oom(ev);
	recompute(ev);
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
			field_set(&a->message_params, e->at, e->orig);
		else
			field_remove(&a->message_params, e->at);
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

	snprintf(ev->label, sizeof(ev->label), "%s: ", shown(label, 80, fit, sizeof(fit)));
	prompt_open(&ev->pane.app->prompt, ev->label, text, edit_changed, edit_done, ev);
	ev->pane.app->dirty |= APP_DIRTY_PROMPT;
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
	prompt_open(&ev->pane.app->prompt, ev->label, again ? again : "", edit_changed, edit_done,
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
		recompute(ev);
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
	           path_under(ev->check.path, "message.messageParams")) {
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
	           recipient_check(ev, e->row, (char[CCON_E164_BUFSIZE]){ 0 }, &why) < 0) {
		app_error(ev->pane.app, "row %zu kept as typed: %s: %s", e->row + 1, why.path,
		          why.message);
	}
	edit_reset(ev);
	recompute(ev);
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
	recompute(ev);
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
	recompute(ev);
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
			list_text(fc(ev)->message.params, fc(ev)->message.n_params, &sb);
		else
			list_text(fc(ev)->campaign.tags, fc(ev)->campaign.n_tags, &sb);
		ev->edit.orig = strdup(ccon_strbuf_cstr(&sb));
	} else {
		slot = text_slot(ev, f);
		ev->edit.kind = EDIT_TEXT;
		ev->edit.orig = strdup(*slot ? *slot : "");
	}
	ccon_strbuf_free(&sb);
	if (!ev->edit.orig) {
		edit_reset(ev);
		oom(ev);
		return;
	}
	edit_open(ev, field_info[f].path, ev->edit.orig);
}

static void edit_cell(struct envelope *ev)
{
	struct ccon_audience *a;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	const char *name = col_name(ev);
	char path[48], label[160];

	if (ev->sel >= fc(ev)->n_audiences) {
		app_message(ev->pane.app, "no audience here: a adds one");
		return;
	}
	a = &fc(ev)->audiences[ev->sel];
	edit_reset(ev);
	ev->edit.row = ev->sel;
	audience_path(ev, ev->sel, path, sizeof(path));
	if (ev->col == COL_RECIPIENT) {
		ev->edit.kind = EDIT_RECIPIENT;
		ev->edit.orig = strdup(a->recipient ? a->recipient : "");
		snprintf(label, sizeof(label), "%s.recipient", path);
	} else if (name) {
		ev->edit.kind = EDIT_PARAM;
		ev->edit.name = strdup(name);
		ev->edit.at = field_index(&a->message_params, name);
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
		if (fields_copy(&a->context_variables, &ev->edit.ctx_orig) < 0)
			ev->edit.kind = EDIT_NONE;
		snprintf(label, sizeof(label), "%s.contextVariables (name=value; ...)", path);
	}
	ccon_strbuf_free(&sb);
	if (!ev->edit.orig || ev->edit.kind == EDIT_NONE) {
		edit_reset(ev);
		oom(ev);
		return;
	}
	edit_open(ev, label, ev->edit.orig);
	if (ev->edit.kind == EDIT_PARAM)
		cell_check(ev, ev->edit.row, ev->edit.name, &ev->edit.err);
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
		oom(ev);
		return;
	}
	ev->sel = i;
	ev->col = COL_RECIPIENT;
	recompute(ev);
	edit_cell(ev);
	ev->edit.new_row = true;
}

/* A copy of audience i right after it. */
static void duplicate_row(struct envelope *ev)
{
	struct ccon_full_campaign *c = fc(ev);
	struct ccon_audience tmp;
	size_t i = ev->sel, n;

	if (i >= c->n_audiences || one_audience_only(ev))
		return;
	if (ccon_send_draft_env_add(ev->d, c->audiences[i].recipient, &n) < 0) {
		oom(ev);
		return;
	}
	if (fields_copy(&c->audiences[i].message_params, &c->audiences[n].message_params) < 0 ||
	    fields_copy(&c->audiences[i].context_variables, &c->audiences[n].context_variables) < 0)
		oom(ev);
	if (n != i + 1) {
		tmp = c->audiences[n];
		memmove(&c->audiences[i + 2], &c->audiences[i + 1],
		        (n - i - 1) * sizeof(*c->audiences));
		c->audiences[i + 1] = tmp;
	}
	app_message(ev->pane.app, "row %zu duplicated as row %zu", i + 1, i + 2);
	ev->sel = i + 1;
	recompute(ev);
}

static void delete_row(struct envelope *ev)
{
	if (ev->sel >= fc(ev)->n_audiences)
		return;
	ccon_send_draft_env_remove(ev->d, ev->sel);
	app_message(ev->pane.app, "row %zu deleted", ev->sel + 1);
	recompute(ev);
}

static void clear_cell(struct envelope *ev)
{
	struct ccon_audience *a;
	const char *name = col_name(ev);
	size_t f;

	if (ev->sel >= fc(ev)->n_audiences || ev->col == COL_RECIPIENT) {
		app_message(ev->pane.app, "Del clears a parameter or the contextVariables of a row: "
		            "move to its column (l, h)");
		return;
	}
	a = &fc(ev)->audiences[ev->sel];
	if (!name) {
		ccon_fields_free(&a->context_variables);
	} else if ((f = field_index(&a->message_params, name)) != NONE) {
		field_remove(&a->message_params, f);
	}
	recompute(ev);
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
		if ((k = name_index(c->message.params, c->message.n_params, pr->name)) != NONE)
			param_drop(ev, k);
		for (size_t i = 0; i < c->n_audiences; i++)
			if ((k = field_index(&c->audiences[i].message_params, pr->name)) != NONE) {
				field_remove(&c->audiences[i].message_params, k);
				n++;
			}
		recompute(ev);
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
	const char *name = col_name(ev);
	struct param_remove *pr;
	char fit[CCON_FIT_SIZE(64, 32)];

	if (!name) {
		app_message(ev->pane.app, "- removes a message parameter: move to its column (l, h)");
		return;
	}
	pr = calloc(1, sizeof(*pr));
	if (!pr || !(pr->name = strdup(name))) {
		free(pr);
		oom(ev);
		return;
	}
	pr->ev = ev;
	app_confirm(ev->pane.app, param_remove_confirmed, pr,
	            "Remove the message parameter %s and its values from every audience? y/N",
	            shown(name, 32, fit, sizeof(fit)));
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
		oom(ev);
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
	recompute(ev);
}

/* A key of the paste: Ctrl-D ends it, Esc drops it, Backspace takes a
 * character back; Enter and Tab are separators. */
static void paste_key(struct envelope *ev, struct ccon_key key)
{
	uint32_t cp = key.code;
	char buf[4];

	if (key.code == 'd' && key.mods == CCON_MOD_CTRL) {
		paste_end(ev, true);
		return;
	}
	if (key_is(key, CCON_KEY_ESC)) {
		paste_end(ev, false);
		return;
	}
	if (key_is(key, CCON_KEY_BACKSPACE)) {
		while (ev->paste.len && ((unsigned char)ev->paste.buf[ev->paste.len - 1] & 0xc0) == 0x80)
			ev->paste.len--;
		if (ev->paste.len)
			ev->paste.len--;
	} else {
		if (key_is(key, CCON_KEY_ENTER))
			cp = '\n';
		else if (key_is(key, CCON_KEY_TAB))
			cp = '\t';
		else if (key.mods || cp >= CCON_KEY_NAMED || cp < 0x20)
			return;
		if (ccon_strbuf_append(&ev->paste, buf, ccon_utf8_encode(cp, buf)) < 0)
			oom(ev);
	}
	ev->pane.dirty |= PANE_DIRTY_ALL;
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
	free_names(ev->cols, ev->n_cols);
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
	recompute(ev);
	return &ev->pane;
}
