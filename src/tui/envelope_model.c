/* envelope_model.c - the envelope campaign editor's model (envelope.h):
 * names and fields, the checks as ccond makes them, the table's columns,
 * duplicates and counts. */
#include "config.h"

#include "envelope.h"

#include <ccon/audience.h>
#include <ccon/utf8.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct field_info field_info[F__COUNT] = {
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

/* ------------------------------------------------------------ names and fields */

void env_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

size_t env_name_index(char *const *names, size_t n, const char *name)
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

	if (env_name_index(*names, *n, name) != NONE)
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

int env_fields_copy(const struct ccon_fields *from, struct ccon_fields *to)
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
int env_list_parse(const char *s, char ***out, size_t *n)
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
			env_free_names(nv ? nv : v, count);
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

void env_list_text(char *const *v, size_t n, struct ccon_strbuf *sb)
{
	for (size_t i = 0; i < n; i++)
		ccon_strbuf_printf(sb, "%s%s", i ? ", " : "", v[i]);
}

/* ------------------------------------------------------------ checks */

void env_audience_path(const struct envelope *ev, size_t i, char *buf, size_t size)
{
	if (individual(ev))
		snprintf(buf, size, "audience");
	else
		snprintf(buf, size, "audiences[%zu]", i);
}

/* The recipient as ccond reads it (phone.h): the E.164 form or why not. */
int env_recipient_check(const struct envelope *ev, size_t i, char e164[CCON_E164_BUFSIZE],
                        struct ccon_error *err)
{
	const char *r = fc(ev)->audiences[i].recipient;
	char path[48];

	ccon_error_clear(err);
	if (ccon_phone_normalize(r ? r : "", r ? strlen(r) : 0, e164, err) == 0)
		return 0;
	env_audience_path(ev, i, path, sizeof(path));
	ccon_error_at_path(err, "recipient");
	ccon_error_prefix_path(err, path);
	return -1;
}

/* Row i: the recipient, then the codec's audience check. */
int env_row_check(const struct envelope *ev, size_t i, struct ccon_error *err)
{
	char e164[CCON_E164_BUFSIZE], path[48];

	if (env_recipient_check(ev, i, e164, err) < 0)
		return -1;
	env_audience_path(ev, i, path, sizeof(path));
	return ccon_audience_check(&fc(ev)->message, &fc(ev)->audiences[i], path, err);
}

/* One cell: the codec's audience check over the row's value of name alone
 * (and over name as the only parameter when the message takes it). */
int env_cell_check(const struct envelope *ev, size_t i, const char *name,
                   struct ccon_error *err)
{
	const struct ccon_audience *a = &fc(ev)->audiences[i];
	const struct ccon_campaign_message *m = &fc(ev)->message;
	struct ccon_campaign_message one;
	struct ccon_audience view;
	char *names[1] = { (char *)name };
	size_t f = ccon_fields_index(&a->message_params, name);
	char path[48];

	memset(&one, 0, sizeof(one));
	memset(&view, 0, sizeof(view));
	if (env_name_index(m->params, m->n_params, name) != NONE) {
		one.params = names;
		one.n_params = 1;
	}
	view.recipient = a->recipient;
	if (f != NONE) {
		view.message_params.items = (struct ccon_field *)&a->message_params.items[f];
		view.message_params.count = 1;
	}
	ccon_error_clear(err);
	env_audience_path(ev, i, path, sizeof(path));
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

bool env_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 &&
	       (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

/* The field the resource's first fault is about, or F__COUNT. */
enum field env_fault_field(const struct envelope *ev)
{
	const char *p = ev->check.path;

	if (!ev->check.code)
		return F__COUNT;
	if (env_path_under(p, "message.channelType"))
		return F_CHANNEL;
	for (int f = 0; f < F__COUNT; f++)
		if (env_path_under(p, field_info[f].path))
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
		env_free_names(cols, n);
		env_oom(ev);
		return;
	}
	env_free_names(ev->cols, ev->n_cols);
	ev->cols = cols;
	ev->n_cols = n;
}

bool env_col_is_context(const struct envelope *ev)
{
	return ev->col == COL_PARAMS + ev->n_cols;
}

const char *env_col_name(const struct envelope *ev)
{
	if (ev->col < COL_PARAMS || ev->col - COL_PARAMS >= ev->n_cols)
		return NULL;
	return ev->cols[ev->col - COL_PARAMS];
}

bool env_is_param(const struct envelope *ev, const char *name)
{
	return env_name_index(fc(ev)->message.params, fc(ev)->message.n_params, name) != NONE;
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

size_t env_dup_of(const struct envelope *ev, size_t i)
{
	return ev->dup_of && i < fc(ev)->n_audiences ? ev->dup_of[i] : NONE;
}

/* After every change: columns, the whole check, counts, cursor in range. */
void env_recompute(struct envelope *ev)
{
	const struct ccon_full_campaign *c = fc(ev);
	char *keep = env_col_name(ev) ? strdup(env_col_name(ev)) : NULL;
	bool ctx = env_col_is_context(ev);
	struct ccon_error e;
	size_t first_bad = NONE;

	build_columns(ev);
	find_duplicates(ev);
	ev->valid = ev->invalid = 0;
	for (size_t i = 0; i < c->n_audiences; i++) {
		if (env_row_check(ev, i, &e) == 0) {
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
		env_recipient_check(ev, first_bad, (char[CCON_E164_BUFSIZE]){ 0 }, &ev->check);
	if (ctx)
		ev->col = COL_PARAMS + ev->n_cols;
	else if (keep && env_name_index(ev->cols, ev->n_cols, keep) != NONE)
		ev->col = COL_PARAMS + env_name_index(ev->cols, ev->n_cols, keep);
	free(keep);
	if (ev->col > COL_PARAMS + ev->n_cols)
		ev->col = COL_PARAMS + ev->n_cols;
	if (ev->sel >= c->n_audiences)
		ev->sel = c->n_audiences ? c->n_audiences - 1 : 0;
	ev->pane.dirty |= PANE_DIRTY_ALL;
}
