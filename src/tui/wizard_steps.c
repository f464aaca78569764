/* wizard_steps.c - what each step of the send wizard draws. Every string
 * from the server or a file goes through draw_text (sanitised). */
#include "config.h"

#include "wizard_steps.h"

#include "colors.h"
#include "draw.h"
#include "timeline.h"

#include <ccon/datetime.h>
#include <ccon/json_util.h>

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const wizard_step_names[STEP__COUNT] = {
	"Kind", "Campaign", "Audience", "Timing", "Slicing", "Review", "Result",
};

const enum ccon_send_kind wizard_kinds[WIZARD_KINDS] = {
	CCON_SEND_KIND_JSON, CCON_SEND_KIND_CSV, CCON_SEND_KIND_TRANSACTIONAL,
	CCON_SEND_KIND_ENVELOPE, CCON_SEND_KIND_WHATSAPP,
};

int64_t wizard_now(const struct wizard *w, bool *server)
{
	struct timespec ts;
	int64_t now;

	if (ccon_send_flow_server_now(w->flow, &now)) {
		*server = true;
		return now;
	}
	*server = false;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * CCON_USEC_PER_SEC + ts.tv_nsec / 1000;
}

bool wizard_step_applies(const struct wizard *w, enum wizard_step s)
{
	switch (s) {
	case STEP_CAMPAIGN:
		return ccon_send_kind_needs_campaign(w->draft.kind);
	case STEP_TIMING:
		return ccon_send_kind_has_timing(w->draft.kind);
	case STEP_SLICING:
		return w->draft.kind != CCON_SEND_KIND_WHATSAPP;
	default:
		return true;
	}
}

bool wizard_slicing_chosen(const struct wizard *w)
{
	return w->draft.kind == CCON_SEND_KIND_JSON || w->draft.kind == CCON_SEND_KIND_CSV;
}

long wizard_step_lines(const struct wizard *w)
{
	size_t n = 0;

	switch (w->step) {
	case STEP_KIND:
		return WIZARD_KIND_LINES;
	case STEP_CAMPAIGN:
		ccon_send_flow_campaigns(w->flow, &n);
		return (long)n;
	case STEP_TIMING:
		return TIMING__COUNT;
	case STEP_SLICING:
		return wizard_slicing_chosen(w) ? CCON_SLICING__COUNT : 1;
	default:
		return 1;
	}
}

/* A line of the body: y moves on; false when the area is full. */
struct cursor {
	WINDOW *win;
	struct rect a;
	int y;
};

static bool line(struct cursor *c, attr_t attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool line(struct cursor *c, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (c->y >= c->a.y + c->a.h)
		return false;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	draw_text(c->win, c->y++, c->a.x, c->a.w, buf, attr, DRAW_LEFT);
	return true;
}

static void rest_blank(struct cursor *c)
{
	while (c->y < c->a.y + c->a.h)
		draw_fill(c->win, c->y++, c->a.x, c->a.w, A_NORMAL);
}

static attr_t row_attr(const struct wizard *w, long i)
{
	return w->cursor[w->step] == i ? colors_attr(AREA_CURSOR) : A_NORMAL;
}

/* An error, wrapped at spaces over as many lines as it needs. */
static void error_line(struct cursor *c, const char *what, const struct ccon_error *e)
{
	char buf[1024];
	const char *s = buf;
	int width = c->a.w - 3;

	snprintf(buf, sizeof(buf), "%s%s%s%s", what, e->path, e->path[0] ? ": " : "", e->message);
	while (*s && width > 10) {
		size_t n = strlen(s), cut = n;

		if (draw_width(s) > width) {
			/* the last space that keeps the line within width */
			cut = 0;
			for (size_t i = 1; i < n; i++) {
				char part[1024];

				if (s[i] != ' ')
					continue;
				memcpy(part, s, i);
				part[i] = '\0';
				if (draw_width(part) > width)
					break;
				cut = i;
			}
			if (!cut)
				cut = n;
		}
		if (!line(c, colors_attr(AREA_ERROR), " %s%.*s", s == buf ? "" : "  ", (int)cut, s))
			return;
		s += cut;
		while (*s == ' ')
			s++;
	}
}

/* ------------------------------------------------------------ steps */

static void draw_kind(struct wizard *w, struct cursor *c)
{
	line(c, colors_attr(AREA_HEADING), " What kind of send?");
	for (long i = 0; i < WIZARD_KINDS; i++)
		line(c, row_attr(w, i), "  %s %-30s %s", w->draft.kind == wizard_kinds[i] ? "*" : " ",
		     ccon_send_kind_name(wizard_kinds[i]), ccon_send_kind_description(wizard_kinds[i]));
	line(c, row_attr(w, WIZARD_KINDS), "    %-30s %s", "Campaign, dynamic audiences",
	     "seed 002 /campaign/v2 (Beta): audiences added in rounds, then /dispatch/v2");
}

static void draw_campaign(struct wizard *w, struct cursor *c)
{
	size_t n;
	const struct ccon_rest_campaign_info *list = ccon_send_flow_campaigns(w->flow, &n);
	struct ccon_error err;
	enum ccon_flow_state st;

	if (!wizard_step_applies(w, STEP_CAMPAIGN)) {
		line(c, colors_attr(AREA_HEADING), " A %s needs no campaign: Tab skips this step",
		     ccon_send_kind_name(w->draft.kind));
		line(c, A_NORMAL, "   %s", w->draft.kind == CCON_SEND_KIND_ENVELOPE
		     ? "set /campaign/full creates its own campaign with its audience (seed 002)"
		     : "the message goes to the application's implicit campaign \"WhatsApp messages\" "
		       "(seed 004)");
		return;
	}
	st = ccon_send_flow_campaigns_state(w->flow, &err);
	if (w->draft.campaign.id)
		line(c, colors_attr(AREA_HEADING), " Campaign %" PRId64 ": %s (%s)",
		     w->draft.campaign.id, w->draft.campaign.name ? w->draft.campaign.name : "",
		     w->draft.campaign.channel ? w->draft.campaign.channel : "?");
	else
		line(c, colors_attr(AREA_HEADING), " Which campaign? (Enter chooses)");
	if (st == CCON_FLOW_FAILED)
		error_line(c, "the campaigns could not be read: ", &err);
	else if (st == CCON_FLOW_RUNNING && !n)
		line(c, colors_attr(AREA_DIM), " reading the campaigns...");
	else if (!n)
		line(c, colors_attr(AREA_DIM), " this application has no campaign to send");
	for (size_t i = 0; i < n; i++) {
		const struct ccon_rest_campaign *d = &list[i].def;

		if (!line(c, row_attr(w, (long)i), "  %s %-6" PRId64 " %-32.32s %-9s %s",
		          list[i].id == w->draft.campaign.id ? "*" : " ", list[i].id,
		          d->name ? d->name : "", d->channel ? d->channel : "",
		          d->template_name ? d->template_name : ""))
			break;
	}
}

static const struct audience_summary *audience_summary(struct wizard *w)
{
	struct audience_summary *s = &w->audience;
	const struct ccon_template_vars *vars = &w->draft.campaign.vars;

	if (s->known)
		return s;
	ccon_roster_stats(&w->draft.roster, &s->st);
	s->batches = ccon_roster_batch_count(&w->draft.roster);
	ccon_error_clear(&s->check);
	ccon_roster_check(&w->draft.roster, &s->check);
	free(s->missing);
	s->missing = vars->count ? calloc(vars->count, sizeof(*s->missing)) : NULL;
	if (s->missing)
		ccon_roster_missing_counts(&w->draft.roster, vars, s->missing);
	s->known = true;
	return s;
}

static void draw_missing(struct wizard *w, struct cursor *c, const size_t *counts)
{
	const struct ccon_template_vars *vars = &w->draft.campaign.vars;

	if (!vars->count) {
		line(c, A_NORMAL, " The campaign's template has no variables.");
		return;
	}
	if (!counts)
		return;
	line(c, A_NORMAL, " Template variables every contact must carry:");
	for (size_t i = 0; i < vars->count; i++)
		line(c, counts[i] ? colors_attr(AREA_STATUS_WARN) : A_NORMAL, "   %-24s %s",
		     vars->names[i], counts[i] || !w->draft.roster.count ? "" : "every row has it");
	for (size_t i = 0; i < vars->count; i++)
		if (counts[i])
			line(c, colors_attr(AREA_STATUS_WARN), "   %zu row%s lack%s '%s'", counts[i],
			     counts[i] == 1 ? "" : "s", counts[i] == 1 ? "s" : "", vars->names[i]);
}

static void draw_audience_json(struct wizard *w, struct cursor *c)
{
	const struct audience_summary *s = audience_summary(w);
	const struct ccon_roster_stats *st = &s->st;

	line(c, colors_attr(AREA_HEADING), " Audience: %zu contact%s (Enter edits them)", st->rows,
	     st->rows == 1 ? "" : "s");
	line(c, A_NORMAL, "   %zu valid, %zu invalid, %zu repeated number%s", st->valid,
	     st->invalid, st->duplicates, st->duplicates == 1 ? "" : "s");
	if (s->batches)
		line(c, A_NORMAL, "   dispatch: %zu request%s of at most 100, each with its own "
		     "idempotency key", s->batches, s->batches == 1 ? "" : "s");
	if (s->check.code != CCON_E_OK)
		error_line(c, "not ready: ", &s->check);
	else
		line(c, colors_attr(AREA_STATUS_OK), " ready");
	line(c, A_NORMAL, "%s", "");
	if (w->draft.campaign.id)
		draw_missing(w, c, s->missing);
}

static void draw_audience_csv(struct wizard *w, struct cursor *c)
{
	cJSON *j = NULL;
	char *text = NULL;

	line(c, colors_attr(AREA_HEADING), " Audience: a CSV file and its layout (Enter opens the "
	     "file's preview)");
	line(c, A_NORMAL, "   file:   %s", w->draft.csv_path ? w->draft.csv_path : "(none yet)");
	if (!w->draft.has_layout) {
		line(c, A_NORMAL, "   layout: (none yet: map the columns in the preview, then use it)");
		return;
	}
	if (ccon_layout_encode(&w->draft.layout, &j) == 0 && j)
		text = cJSON_PrintUnformatted(j);
	line(c, A_NORMAL, "   layout: %s", text ? text : "(out of memory)");
	cJSON_free(text);
	cJSON_Delete(j);
}

/* The kind's own check (ccon_send_draft_check_fields): ready, or the
 * first fault with its path. */
static void fields_check(struct wizard *w, struct cursor *c)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	if (ccon_send_draft_check_fields(&w->draft, &err) < 0)
		error_line(c, "not ready: ", &err);
	else
		line(c, colors_attr(AREA_STATUS_OK), " ready");
}

static void draw_audience_tx(struct wizard *w, struct cursor *c)
{
	const struct ccon_transactional_request *tx = &w->draft.tx;
	const char *body = w->draft.campaign.template_body;

	line(c, colors_attr(AREA_HEADING), " Audience: %zu contact%s (Enter edits them and the "
	     "options; the SMS of each is shown live there)", tx->n_contacts,
	     tx->n_contacts == 1 ? "" : "s");
	line(c, A_NORMAL, "   flash %s, nlsMode %s, sendTypeOverride %s", tx->flash ? "on" : "off",
	     ccon_nls_mode_name(tx->nls_mode), ccon_send_type_name(tx->send_type));
	if (body)
		line(c, A_NORMAL, "   message: %s", body);
	fields_check(w, c);
}

static void draw_audience_envelope(struct wizard *w, struct cursor *c)
{
	const struct ccon_full_campaign *fc = &w->draft.envelope;

	line(c, colors_attr(AREA_HEADING), " Audience: %zu recipient%s of a new %s campaign "
	     "(Enter edits the campaign and its audiences)", fc->n_audiences,
	     fc->n_audiences == 1 ? "" : "s", ccon_campaign_type_name(fc->campaign.type));
	line(c, A_NORMAL, "   name: %s; channel: %s; template: %s",
	     fc->campaign.name ? fc->campaign.name : "(none yet)",
	     ccon_channel_name(fc->campaign.channel),
	     fc->message.message_template ? fc->message.message_template : "(none yet)");
	fields_check(w, c);
}

static void draw_audience_whatsapp(struct wizard *w, struct cursor *c)
{
	const struct ccon_whatsapp_message *m = &w->draft.wa;
	const char *media[] = { m->image ? "image" : NULL, m->video ? "video" : NULL,
		                m->document ? "document" : NULL, m->audio ? "audio" : NULL,
		                m->sticker ? "sticker" : NULL };
	char kinds[64] = "";

	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		if (media[i])
			snprintf(kinds + strlen(kinds), sizeof(kinds) - strlen(kinds), "%s%s",
			         kinds[0] ? ", " : "", media[i]);
	line(c, colors_attr(AREA_HEADING), " One message to %s (Enter edits it)",
	     m->to ? m->to : "(nobody yet)");
	line(c, A_NORMAL, "   from: %s", m->from ? m->from : "(none yet)");
	line(c, A_NORMAL, "   text: %s", m->text ? m->text : "(none yet)");
	line(c, A_NORMAL, "   media: %s%s; location: %s; template: %s", kinds[0] ? kinds : "none",
	     m->caption ? " with a caption" : "", m->has_location ? "yes" : "none",
	     m->template_json ? m->template_json : "none");
	fields_check(w, c);
}

static void draw_audience(struct wizard *w, struct cursor *c)
{
	switch (w->draft.kind) {
	case CCON_SEND_KIND_CSV:
		draw_audience_csv(w, c);
		break;
	case CCON_SEND_KIND_TRANSACTIONAL:
		draw_audience_tx(w, c);
		break;
	case CCON_SEND_KIND_ENVELOPE:
		draw_audience_envelope(w, c);
		break;
	case CCON_SEND_KIND_WHATSAPP:
		draw_audience_whatsapp(w, c);
		break;
	default:
		draw_audience_json(w, c);
		break;
	}
}

static void draw_timing(struct wizard *w, struct cursor *c)
{
	struct ccon_send_timing t;
	bool server;
	int64_t now = wizard_now(w, &server);
	const char *sched = w->draft.schedule_at ? w->draft.schedule_at : "";
	const char *delay = w->draft.delay ? w->draft.delay : "";

	if (!wizard_step_applies(w, STEP_TIMING)) {
		line(c, colors_attr(AREA_HEADING), " A %s has no timing: it is sent now. Tab skips "
		     "this step.", ccon_send_kind_name(w->draft.kind));
		return;
	}
	line(c, colors_attr(AREA_HEADING), " When? (Enter edits the line; an empty line clears it)");
	line(c, row_attr(w, TIMING_NOW), "  %s now", !*sched && !*delay ? "*" : " ");
	line(c, row_attr(w, TIMING_SCHEDULE), "  %s scheduleAt  %s", *sched ? "*" : " ",
	     *sched ? sched : "(ISO 8601 with Z or an offset, or local YYYY-MM-DD HH:MM)");
	line(c, row_attr(w, TIMING_DELAY), "  %s delay       %s", *delay ? "*" : " ",
	     *delay ? delay : ccon_send_kind_has_delay(w->draft.kind)
	     ? "(ISO 8601 duration: PT30M, PT0.25S, P2W, P1M)"
	     : "(none for this kind: its seed has scheduleAt only)");
	line(c, A_NORMAL, "%s", "");
	if (ccon_send_draft_check_timing(&w->draft, now, &t, NULL) == 0) {
		line(c, colors_attr(AREA_STATUS_OK), " %s", t.reading);
		if (t.form != CCON_TIMING_NOW)
			line(c, A_NORMAL, "   sent as %s", t.utc);
	} else {
		error_line(c, "refused: ", &t.err);
		if (t.err.column > 0 && c->y < c->a.y + c->a.h) {
			const char *typed = strcmp(t.err.path, "delay") == 0 ? delay : sched;

			line(c, A_NORMAL, "   %s", typed);
			line(c, colors_attr(AREA_ERROR), "   %*s^ column %ld", (int)t.err.column - 1, "",
			     t.err.column);
		}
	}
	line(c, colors_attr(AREA_DIM), " checked against %s", server ? "the server's clock"
	     : "this machine's clock (the server's time is not known yet)");
}

/* The plan's figures and its 48 h timeline. */
static void draw_plan(struct wizard *w, struct cursor *c, const struct ccon_timeline *t)
{
	line(c, A_NORMAL, " Plan of %s: %" PRId64 " of %" PRId64 " recipients placed; slots of %"
	     PRId64 " min, %" PRId64 " each", ccon_slicing_name(t->condition), t->placed,
	     t->audience, t->length_us / (60 * CCON_USEC_PER_SEC), t->capacity);
	if (t->canceled)
		line(c, colors_attr(AREA_ERROR), " The send would be CANCELED: %s", t->cancel_reason);
	else if (t->activated)
		line(c, colors_attr(AREA_STATUS_WARN), " Slicing activates: the audience does not fit "
		     "the start slot");
	else
		line(c, colors_attr(AREA_STATUS_OK), " It fits the start slot: no slicing");
	if (!t->agrees)
		line(c, colors_attr(AREA_STATUS_WARN), " The slots changed since they were read: r "
		     "reads them again");
	if (c->y < c->a.y + c->a.h) {
		struct rect r = { c->y, c->a.x + 1, c->a.y + c->a.h - c->y, c->a.w - 1 };

		if (w->scroll == 0)
			w->scroll = timeline_first_interesting(t);
		timeline_draw(c->win, r, t, &w->scroll);
		c->y += r.h;
	}
}

/* The envelope: no dry run exists for set /campaign/full, so the plan is
 * the planner's over the slots just read (pane_wizard.c makes it). */
static void draw_envelope_plan(struct wizard *w, struct cursor *c)
{
	line(c, colors_attr(AREA_DIM), " set /campaign/full has no dry run: ccond's planner, run "
	     "here over the %s slots.", ccon_send_draft_slot_channel(&w->draft));
	line(c, colors_attr(AREA_DIM), " ccond plans again on creation (repeated numbers dropped, "
	     "sends before it placed first).");
	if (w->env_plan_err.code != CCON_E_OK) {
		error_line(c, "no plan: ", &w->env_plan_err);
		return;
	}
	if (!w->env_plan_known) {
		line(c, colors_attr(AREA_DIM), " reading the slots...");
		return;
	}
	draw_plan(w, c, &w->env_plan);
}

static void draw_slicing(struct wizard *w, struct cursor *c)
{
	const struct ccon_timeline *t = ccon_send_flow_timeline(w->flow);
	struct ccon_error err;
	enum ccon_flow_state st = ccon_send_flow_dry_run_state(w->flow, &err);

	if (!wizard_step_applies(w, STEP_SLICING)) {
		line(c, colors_attr(AREA_HEADING), " A %s has no slots and no slicing: Tab skips this "
		     "step.", ccon_send_kind_name(w->draft.kind));
		return;
	}
	if (wizard_slicing_chosen(w)) {
		line(c, colors_attr(AREA_HEADING), " How is a send sliced when it does not fit its "
		     "slot?");
		for (long i = 0; i < CCON_SLICING__COUNT; i++)
			line(c, row_attr(w, i), "  %s %s",
			     w->draft.slicing == (enum ccon_slicing)i ? "*" : " ",
			     ccon_slicing_name((enum ccon_slicing)i));
	} else {
		line(c, colors_attr(AREA_HEADING), " Its seed has no slicingCondition: ccond plans a "
		     "%s with its default", ccon_send_kind_name(w->draft.kind));
		line(c, row_attr(w, 0), "  * %s", ccon_slicing_name(CCON_SLICING_FRAGMENTED));
	}
	if (w->draft.kind == CCON_SEND_KIND_ENVELOPE) {
		draw_envelope_plan(w, c);
		return;
	}
	if (w->review_err.code != CCON_E_OK) {
		error_line(c, "no plan yet: ", &w->review_err);
		return;
	}
	if (st == CCON_FLOW_FAILED) {
		error_line(c, "the dry run failed: ", &err);
		return;
	}
	if (!t || st == CCON_FLOW_RUNNING || w->dry_run_wanted) {
		line(c, colors_attr(AREA_DIM), " planning (a dry run: nothing is created)...");
		return;
	}
	draw_plan(w, c, t);
}

/* Draws text's lines from line *skip on (tabs as two spaces, CRLF as a line
 * end); counts what it skipped. */
static void text_lines(struct cursor *c, const char *text, long *skip)
{
	char buf[1024];

	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text), k = 0;

		for (size_t i = 0; i < n && k + 3 < sizeof(buf); i++) {
			if (text[i] == '\r' && i + 1 == n)
				continue; /* a CRLF line end (the multipart's) is a line end */
			if (text[i] == '\t') {
				buf[k++] = ' ';
				buf[k++] = ' ';
			} else {
				buf[k++] = text[i];
			}
		}
		buf[k] = '\0';
		if (*skip > 0)
			(*skip)--;
		else if (!line(c, A_NORMAL, "   %s", buf))
			return;
		text = nl ? nl + 1 : NULL;
	}
}

/* What the send is, in the kind's own terms. */
static void review_summary(struct wizard *w, struct cursor *c)
{
	const struct ccon_send_draft *d = &w->draft;
	const struct ccon_full_campaign *fc = &d->envelope;

	switch (d->kind) {
	case CCON_SEND_KIND_ENVELOPE:
		line(c, A_NORMAL, "   %s: a new %s campaign '%s' on %s, template %s",
		     ccon_send_kind_name(d->kind), ccon_campaign_type_name(fc->campaign.type),
		     fc->campaign.name ? fc->campaign.name : "", ccon_channel_name(fc->campaign.channel),
		     fc->message.message_template ? fc->message.message_template : "");
		break;
	case CCON_SEND_KIND_WHATSAPP:
		line(c, A_NORMAL, "   %s from %s to %s", ccon_send_kind_name(d->kind),
		     d->wa.from ? d->wa.from : "", d->wa.to ? d->wa.to : "");
		break;
	default:
		line(c, A_NORMAL, "   %s to campaign %" PRId64 " (%s)", ccon_send_kind_name(d->kind),
		     d->campaign.id, d->campaign.name ? d->campaign.name : "");
		if (d->kind == CCON_SEND_KIND_TRANSACTIONAL)
			line(c, A_NORMAL, "   flash %s, nlsMode %s, sendTypeOverride %s",
			     d->tx.flash ? "on" : "off", ccon_nls_mode_name(d->tx.nls_mode),
			     ccon_send_type_name(d->tx.send_type));
		break;
	}
}

static void draw_review(struct wizard *w, struct cursor *c)
{
	struct ccon_send_timing t;
	bool server;
	long skip = w->scroll;

	if (w->review_err.code != CCON_E_OK) {
		error_line(c, "not ready: ", &w->review_err);
		line(c, A_NORMAL, " Fix it in its step (Tab / S-Tab, or 1-5), then come back.");
		return;
	}
	ccon_send_draft_check_timing(&w->draft, wizard_now(w, &server), &t, NULL);
	line(c, colors_attr(AREA_HEADING), " Review: Enter sends (it asks first); nothing is sent "
	     "before that");
	review_summary(w, c);
	if (w->draft.kind != CCON_SEND_KIND_CSV)
		line(c, A_NORMAL, "   %zu recipient%s in %zu request%s",
		     ccon_send_draft_recipients(&w->draft),
		     ccon_send_draft_recipients(&w->draft) == 1 ? "" : "s", w->review.count,
		     w->review.count == 1 ? "" : "s");
	if (w->draft.kind == CCON_SEND_KIND_WHATSAPP)
		line(c, A_NORMAL, "   when: now (a single message has no timing and no slots)");
	else
		line(c, A_NORMAL, "   when: %s; slicing: %s%s", t.ok ? t.reading : "?",
		     ccon_slicing_name(wizard_slicing_chosen(w) ? w->draft.slicing : CCON_SLICING_FRAGMENTED),
		     wizard_slicing_chosen(w) ? "" : " (ccond's default: the seed has no condition)");
	for (size_t i = 0; i < w->review.count; i++) {
		const struct ccon_send_req *r = &w->review.items[i];

		if (skip > 0)
			skip--;
		else if (r->command)
			line(c, colors_attr(AREA_HEADING), " POST /commands: set %s, type %s  "
			     "(Idempotency-Key: %s)", r->path, r->content_type, r->key);
		else
			line(c, colors_attr(AREA_HEADING), " %s %s  (Idempotency-Key: %s)", r->method,
			     r->path, r->key);
		text_lines(c, r->display, &skip);
	}
	if (w->scroll > 0 && skip > 0)
		w->scroll -= skip; /* past the end: stay on the last screen */
}

static void draw_answer(struct cursor *c, const struct ccon_send_answer *a, size_t i)
{
	char when[CCON_DATETIME_FORMAT_MAX] = "";

	if (a->has_send_at)
		ccon_datetime_format_fast(a->send_at_us, when);
	line(c, A_NORMAL, "   request %zu: task %" PRId64 ", %s, %" PRId64 " accepted, %" PRId64
	     " rejected%s%s", i + 1, a->task_id, a->status ? a->status : "?", a->accepted,
	     a->rejected, *when ? ", sends at " : "", when);
	if (a->cancel_reason)
		line(c, colors_attr(AREA_ERROR), "   canceled: %s", a->cancel_reason);
	/* the rows ccond rejected (csv lines, transactional contacts) */
	for (size_t k = 0; k < a->errors.count; k++) {
		const struct ccon_error *e = &a->errors.items[k].error;
		char where[64] = "";

		if (e->line > 0)
			snprintf(where, sizeof(where), "line %ld, column %ld: ", e->line, e->column);
		line(c, colors_attr(AREA_ERROR), "     %s%s%s%s", where, e->path, e->path[0] ? ": " : "",
		     e->message);
	}
	if (a->errors.truncated)
		line(c, colors_attr(AREA_ERROR), "     ... and %zu more", a->errors.truncated);
}

static void draw_result(struct wizard *w, struct cursor *c)
{
	const struct ccon_send_dispatch *d = ccon_send_flow_dispatch_result(w->flow);

	if (!d) {
		line(c, colors_attr(AREA_DIM), " Nothing sent yet.");
		return;
	}
	switch (d->state) {
	case CCON_FLOW_RUNNING:
		line(c, colors_attr(AREA_STATUS_WARN), " Sending: %zu of %zu requests answered...",
		     d->done, d->total);
		break;
	case CCON_FLOW_DONE:
		if (w->draft.kind == CCON_SEND_KIND_WHATSAPP) {
			line(c, colors_attr(AREA_STATUS_OK), " Sent: the message was accepted.");
			line(c, A_NORMAL, "   trackingId: %s", d->whatsapp.tracking_id
			     ? d->whatsapp.tracking_id : "");
			line(c, A_NORMAL, "   createdAt:  %s", d->whatsapp.created_at
			     ? d->whatsapp.created_at : "");
		} else if (w->draft.kind == CCON_SEND_KIND_ENVELOPE) {
			line(c, colors_attr(AREA_STATUS_OK), " Created campaign %s, status %s. Enter "
			     "opens its report; :cancel cancels a scheduled one.",
			     d->envelope_campaign_id ? d->envelope_campaign_id : "?",
			     d->envelope_status ? d->envelope_status : "?");
		} else {
			line(c, colors_attr(AREA_STATUS_OK), " Sent: %zu request%s accepted (campaign %"
			     PRId64 "). Enter opens its report; :cancel cancels a scheduled send.",
			     d->done, d->done == 1 ? "" : "s", d->campaign_id);
		}
		break;
	case CCON_FLOW_FAILED:
		line(c, colors_attr(AREA_ERROR), " Stopped at request %zu of %zu after %u attempt%s:",
		     d->failed_at + 1, d->total, d->attempts, d->attempts == 1 ? "" : "s");
		error_line(c, "", &d->err);
		line(c, A_NORMAL, " Enter sends again with the same idempotency keys: what the server "
		     "already took is not sent twice.");
		break;
	case CCON_FLOW_IDLE:
		break;
	}
	for (size_t i = 0; ccon_send_kind_needs_campaign(w->draft.kind) && d->answers && i < d->done;
	     i++)
		draw_answer(c, &d->answers[i], i);
}

void wizard_draw_step(struct wizard *w, WINDOW *win, struct rect area)
{
	struct cursor c = { win, area, area.y };

	switch (w->step) {
	case STEP_KIND:
		draw_kind(w, &c);
		break;
	case STEP_CAMPAIGN:
		draw_campaign(w, &c);
		break;
	case STEP_AUDIENCE:
		draw_audience(w, &c);
		break;
	case STEP_TIMING:
		draw_timing(w, &c);
		break;
	case STEP_SLICING:
		draw_slicing(w, &c);
		break;
	case STEP_REVIEW:
		draw_review(w, &c);
		break;
	case STEP_RESULT:
		draw_result(w, &c);
		break;
	case STEP__COUNT:
		break;
	}
	rest_blank(&c);
}
