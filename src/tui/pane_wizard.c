/* pane_wizard.c - the send wizard: kind → campaign → audience → timing →
 * slicing → review → result. Keys and actions live here, what each step
 * draws in wizard_steps.c. Nothing reaches the server before the review's
 * explicit yes, except reads (the campaigns, the server's time, the slots)
 * and dry runs, which create nothing. */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "cancel.h"
#include "cmdline.h"
#include "colors.h"
#include "draw.h"
#include "wizard_steps.h"

#include <ccon/sanitize.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct pane_ops wizard_ops;

static struct wizard *as_wizard(struct pane *p)
{
	return (struct wizard *)p;
}

/* The draft changed: what was derived from it is made again when needed. */
static void draft_dirty_reset(struct wizard *w)
{
	ccon_send_reqs_free(&w->review);
	ccon_error_clear(&w->review_err);
	w->audience.known = false;
	w->dry_run_wanted = true;
	w->pane.dirty |= PANE_DIRTY_ALL;
}

/* ------------------------------------------------------------ steps */

/* The envelope's plan: ccond's planner over the slots just read, for its
 * audience at its send time (see draw_envelope_plan). Two answers go to
 * ccon_timeline_build: an empty one that only anchors the window, and the
 * envelope's, which the timeline then plans with ccon_slot_plan_compute. */
static void envelope_plan(struct wizard *w)
{
	const struct ccon_slots_view *v = ccon_send_flow_slots(w->flow);
	struct ccon_send_answer a[2];
	struct ccon_send_timing t;
	struct ccon_error err;
	bool server;

	ccon_timeline_free(&w->env_plan);
	w->env_plan_known = false;
	ccon_error_clear(&w->env_plan_err);
	w->pane.dirty |= PANE_DIRTY_ALL;
	if (ccon_send_flow_slots_state(w->flow, &err) == CCON_FLOW_FAILED) {
		w->env_plan_err = err;
		return;
	}
	if (!v)
		return;
	if (ccon_send_draft_check_timing(&w->draft, wizard_now(w, &server), &t, &err) < 0) {
		w->env_plan_err = err;
		return;
	}
	memset(a, 0, sizeof(a));
	for (int i = 0; i < 2; i++) {
		a[i].has_slicing = a[i].has_send_at = true;
		a[i].send_at_us = t.send_us;
		a[i].condition = CCON_SLICING_FRAGMENTED;
		a[i].slot_length_us = v->length_us;
		a[i].slot_capacity = v->capacity;
	}
	a[1].accepted = (int64_t)w->draft.envelope.n_audiences;
	if (ccon_timeline_build(v, a, 2, &w->env_plan, &err) < 0)
		w->env_plan_err = err;
	else
		w->env_plan_known = true;
}

static void envelope_slots(struct wizard *w)
{
	struct ccon_send_timing t;
	struct ccon_error err;
	bool server;

	ccon_timeline_free(&w->env_plan);
	w->env_plan_known = false;
	ccon_error_clear(&w->env_plan_err);
	if (!w->draft.envelope.n_audiences) {
		ccon_error_set(&w->env_plan_err, CCON_E_JSON_REQUIRED, "no recipient yet");
		ccon_error_at_path(&w->env_plan_err, "audiences");
	} else if (ccon_send_draft_check_timing(&w->draft, wizard_now(w, &server), &t, &err) < 0 ||
	           ccon_send_flow_read_slots(w->flow, ccon_send_draft_slot_channel(&w->draft),
	                                     t.send_us, &err) < 0) {
		w->env_plan_err = err;
	}
	w->pane.dirty |= PANE_DIRTY_ALL;
}

static void start_dry_run(struct wizard *w)
{
	struct ccon_error err;

	w->dry_run_wanted = false;
	if (w->draft.kind == CCON_SEND_KIND_ENVELOPE) {
		envelope_slots(w);
		return;
	}
	if (w->draft.kind == CCON_SEND_KIND_WHATSAPP)
		return;
	if (!ccon_send_flow_server_now(w->flow, &(int64_t){ 0 })) {
		w->dry_run_wanted = true; /* again when the time arrives */
		return;
	}
	if (ccon_send_flow_dry_run(w->flow, &w->draft, &err) < 0)
		w->review_err = err;
	w->pane.dirty |= PANE_DIRTY_ALL;
}

static void build_review(struct wizard *w)
{
	bool server;
	int64_t now = wizard_now(w, &server);

	ccon_send_reqs_free(&w->review);
	ccon_error_clear(&w->review_err);
	if (ccon_send_draft_check(&w->draft, now, &w->review_err) < 0)
		return;
	ccon_send_draft_requests(&w->draft, now, false, &w->review, &w->review_err);
}

static void go_step(struct wizard *w, enum wizard_step s)
{
	if (s >= STEP__COUNT || (s == STEP_RESULT && w->step != STEP_RESULT &&
	                         !ccon_send_flow_dispatch_result(w->flow)))
		return;
	w->step = s;
	w->scroll = 0;
	if (s == STEP_CAMPAIGN)
		ccon_send_flow_list_campaigns(w->flow, NULL);
	if (s == STEP_SLICING) {
		ccon_error_clear(&w->review_err);
		start_dry_run(w);
	}
	if (s == STEP_REVIEW)
		build_review(w);
	w->pane.dirty |= PANE_DIRTY_ALL;
}

static void choose_campaign(struct wizard *w, int64_t id)
{
	struct ccon_error err;

	if (ccon_send_flow_load_campaign(w->flow, id, &err) < 0) {
		app_error(w->pane.app, "campaign %" PRId64 ": %s", id, err.message);
		return;
	}
	w->want_campaign = id;
	app_message(w->pane.app, "reading campaign %" PRId64 "...", id);
}

/* The CSV preview's "use": the file and its layout become the audience.
 * The preview is closed from the wizard's next work slice, not from
 * inside its own key handler. */
static void csv_used(void *ctx, const char *path, const struct ccon_layout *layout)
{
	struct wizard *w = ctx;
	struct ccon_error err;

	if (ccon_draft_str_set(&w->draft.csv_path, path) < 0 ||
	    ccon_send_draft_set_layout(&w->draft, layout, &err) < 0) {
		app_error(w->pane.app, "the file could not be taken: out of memory");
		return;
	}
	w->csv_taken = true;
	draft_dirty_reset(w);
	app_message(w->pane.app, "the file and its layout are the audience");
}

static void open_csv(struct wizard *w, const char *path)
{
	struct pane *p = pane_csv_open(w->pane.app, path,
	                               w->draft.campaign.id ? &w->draft.campaign.vars : NULL,
	                               w->draft.has_layout ? &w->draft.layout : NULL, csv_used, w);

	if (p)
		app_push(w->pane.app, p);
}

static void csv_path_done(void *ctx, const char *text)
{
	struct wizard *w = ctx;
	char path[4096];

	w->pane.dirty |= PANE_DIRTY_ALL;
	cmdline_path(text ? text : "", path, sizeof(path));
	if (path[0])
		open_csv(w, path);
}

static void open_audience(struct wizard *w)
{
	struct pane *p;

	if (w->draft.kind == CCON_SEND_KIND_CSV) {
		if (w->draft.csv_path)
			open_csv(w, w->draft.csv_path);
		else
			app_prompt(w->pane.app, "CSV file: ", "", NULL, csv_path_done, w);
		return;
	}
	switch (w->draft.kind) {
	case CCON_SEND_KIND_TRANSACTIONAL:
		p = pane_tx_open(w->pane.app, &w->draft);
		break;
	case CCON_SEND_KIND_ENVELOPE:
		p = pane_envelope_open(w->pane.app, &w->draft);
		break;
	case CCON_SEND_KIND_WHATSAPP:
		p = pane_whatsapp_open(w->pane.app, &w->draft);
		break;
	default:
		p = pane_audience_open(w->pane.app, &w->draft.roster,
		                       w->draft.campaign.id ? &w->draft.campaign.vars : NULL);
		break;
	}
	if (p) {
		app_push(w->pane.app, p);
		draft_dirty_reset(w);
	}
}

/* ------------------------------------------------------------ timing */

static char **timing_field(struct wizard *w, enum timing_line l)
{
	return l == TIMING_SCHEDULE ? &w->draft.schedule_at : &w->draft.delay;
}

static void timing_changed(void *ctx, const char *text)
{
	struct wizard *w = ctx;

	if (ccon_draft_str_set(timing_field(w, w->editing), text) < 0)
		app_error(w->pane.app, "out of memory");
	draft_dirty_reset(w);
}

static void timing_done(void *ctx, const char *text)
{
	struct wizard *w = ctx;

	if (!text && ccon_draft_str_set(timing_field(w, w->editing), w->undo) < 0)
		app_error(w->pane.app, "out of memory");
	free(w->undo);
	w->undo = NULL;
	draft_dirty_reset(w);
}

static void edit_timing(struct wizard *w)
{
	enum timing_line l = (enum timing_line)w->cursor[STEP_TIMING];
	char **field;

	if (l == TIMING_NOW) {
		ccon_draft_str_set(&w->draft.schedule_at, NULL);
		ccon_draft_str_set(&w->draft.delay, NULL);
		draft_dirty_reset(w);
		app_message(w->pane.app, "the send goes out now");
		return;
	}
	field = timing_field(w, l);
	w->editing = l;
	free(w->undo);
	w->undo = *field ? strdup(*field) : NULL;
	app_prompt(w->pane.app, l == TIMING_SCHEDULE ? "scheduleAt: " : "delay: ",
	            *field ? *field : "", timing_changed, timing_done, w);
	w->pane.dirty |= PANE_DIRTY_ALL;
}

/* ------------------------------------------------------------ dispatch */

static void dispatch_answered(void *ctx, bool yes)
{
	struct wizard *w = ctx;
	struct ccon_error err;

	if (!yes) {
		app_message(w->pane.app, "not sent");
		return;
	}
	if (ccon_send_flow_dispatch(w->flow, &w->draft, &err) < 0) {
		app_error(w->pane.app, "not sent: %s%s%s", err.path, err.path[0] ? ": " : "",
		          err.message);
		return;
	}
	w->report_opened = false;
	w->step = STEP_RESULT;
	w->pane.dirty |= PANE_DIRTY_ALL;
}

static void ask_dispatch(struct wizard *w)
{
	char name[64];
	size_t n = ccon_send_draft_recipients(&w->draft);
	const char *cname = w->draft.campaign.name ? w->draft.campaign.name : "?";

	build_review(w);
	if (w->review_err.code != CCON_E_OK) {
		app_error(w->pane.app, "not ready: %s%s%s", w->review_err.path,
		          w->review_err.path[0] ? ": " : "", w->review_err.message);
		w->pane.dirty |= PANE_DIRTY_ALL;
		return;
	}
	if (w->draft.kind == CCON_SEND_KIND_ENVELOPE)
		cname = w->draft.envelope.campaign.name ? w->draft.envelope.campaign.name : "?";
	if (w->draft.kind == CCON_SEND_KIND_WHATSAPP)
		cname = w->draft.wa.to ? w->draft.wa.to : "?";
	draw_shown(cname, 40, name, sizeof(name));
	if (w->draft.kind == CCON_SEND_KIND_WHATSAPP)
		app_confirm(w->pane.app, dispatch_answered, w,
		            "Send this WhatsApp message to %s now? y/N", name);
	else if (w->draft.kind == CCON_SEND_KIND_ENVELOPE)
		app_confirm(w->pane.app, dispatch_answered, w,
		            "Create the campaign '%s' with %zu recipient%s (set /campaign/full)? y/N",
		            name, n, n == 1 ? "" : "s");
	else if (w->draft.kind == CCON_SEND_KIND_TRANSACTIONAL)
		app_confirm(w->pane.app, dispatch_answered, w,
		            "Send the SMS of campaign '%s' to %zu contact%s%s? y/N", name, n,
		            n == 1 ? "" : "s", w->draft.tx.flash ? " (flash)" : "");
	else if (w->draft.kind == CCON_SEND_KIND_CSV)
		app_confirm(w->pane.app, dispatch_answered, w,
		            "Send the file to campaign '%s'? y/N", name);
	else
		app_confirm(w->pane.app, dispatch_answered, w,
		            "Send to %zu recipient%s of campaign '%s' in %zu request%s? y/N", n,
		            n == 1 ? "" : "s", name, w->review.count, w->review.count == 1 ? "" : "s");
}

static void open_report(struct wizard *w)
{
	const struct ccon_send_dispatch *d = ccon_send_flow_dispatch_result(w->flow);
	char id[256];

	if (!d || d->state != CCON_FLOW_DONE)
		return;
	if (w->draft.kind == CCON_SEND_KIND_ENVELOPE && d->envelope_campaign_id)
		snprintf(id, sizeof(id), "%s", d->envelope_campaign_id);
	else if (ccon_send_kind_needs_campaign(w->draft.kind) && d->campaign_id)
		snprintf(id, sizeof(id), "%" PRId64, d->campaign_id);
	else
		return;
	ccon_model_refresh(w->pane.app->model);
	app_push(w->pane.app, pane_report_open(w->pane.app, id));
}

static void result_enter(struct wizard *w)
{
	const struct ccon_send_dispatch *d = ccon_send_flow_dispatch_result(w->flow);
	struct ccon_error err;

	if (!d)
		return;
	if (d->state == CCON_FLOW_DONE) {
		open_report(w);
	} else if (d->state == CCON_FLOW_FAILED) {
		/* the same draft, the same keys: what the server took is not doubled */
		if (ccon_send_flow_dispatch(w->flow, &w->draft, &err) < 0)
			app_error(w->pane.app, "not sent: %s", err.message);
		else
			app_message(w->pane.app, "sending again with the same idempotency keys");
	}
}

static bool cmd_cancel(struct wizard *w)
{
	const struct ccon_send_dispatch *d = ccon_send_flow_dispatch_result(w->flow);
	long long pending = 0;
	char id[32];

	if (w->step != STEP_RESULT || !d || d->state != CCON_FLOW_DONE)
		return false; /* the panes below may know a campaign to cancel */
	if (w->draft.kind == CCON_SEND_KIND_ENVELOPE && d->envelope_campaign_id) {
		cancel_ask(w->pane.app, d->envelope_campaign_id, w->draft.envelope.campaign.name,
		           d->envelope_status, (long long)w->draft.envelope.n_audiences);
		return true;
	}
	if (!ccon_send_kind_needs_campaign(w->draft.kind) || !d->campaign_id)
		return false;
	for (size_t i = 0; i < d->done; i++)
		pending += d->answers[i].accepted;
	snprintf(id, sizeof(id), "%" PRId64, d->campaign_id);
	cancel_ask(w->pane.app, id, w->draft.campaign.name, d->done ? d->answers[0].status : NULL,
	           pending);
	return true;
}

/* ------------------------------------------------------------ pane ops */

static void enter(struct wizard *w)
{
	long c = w->cursor[w->step];
	size_t n;
	const struct ccon_rest_campaign_info *list;

	switch (w->step) {
	case STEP_KIND:
		if (c == WIZARD_KINDS) {
			struct pane *d = pane_dynamic_open(w->pane.app, NULL);

			if (d)
				app_push(w->pane.app, d);
			break;
		}
		if (c < 0 || c >= WIZARD_KINDS)
			break;
		ccon_send_draft_set_kind(&w->draft, wizard_kinds[c]);
		draft_dirty_reset(w);
		go_step(w, w->draft.campaign.id || !ccon_send_kind_needs_campaign(w->draft.kind)
		        ? STEP_AUDIENCE : STEP_CAMPAIGN);
		break;
	case STEP_CAMPAIGN:
		list = ccon_send_flow_campaigns(w->flow, &n);
		if (c >= 0 && (size_t)c < n)
			choose_campaign(w, list[c].id);
		break;
	case STEP_AUDIENCE:
		open_audience(w);
		break;
	case STEP_TIMING:
		if (wizard_step_applies(w, STEP_TIMING))
			edit_timing(w);
		break;
	case STEP_SLICING:
		if (!wizard_slicing_chosen(w)) {
			app_message(w->pane.app, "%s", wizard_step_applies(w, STEP_SLICING)
			            ? "this kind has no slicingCondition: ccond plans it fragmentedSlots"
			            : "this kind has no slicing");
			break;
		}
		if (c >= 0 && c < CCON_SLICING__COUNT) {
			w->draft.slicing = (enum ccon_slicing)c;
			draft_dirty_reset(w);
			start_dry_run(w);
		}
		break;
	case STEP_REVIEW:
		ask_dispatch(w);
		break;
	case STEP_RESULT:
		result_enter(w);
		break;
	case STEP__COUNT:
		break;
	}
}

/* The next step that applies to the kind, forwards (1) or back (-1);
 * the current one when there is none (the result only after a dispatch). */
static enum wizard_step next_step(const struct wizard *w, int dir)
{
	int s = (int)w->step + dir;

	while (s > STEP_KIND && s < STEP_RESULT && !wizard_step_applies(w, (enum wizard_step)s))
		s += dir;
	if (s < STEP_KIND || s >= STEP__COUNT ||
	    (s == STEP_RESULT && !ccon_send_flow_dispatch_result(w->flow)))
		return w->step;
	return (enum wizard_step)s;
}

static bool move_cursor(struct wizard *w, long by, bool to_end)
{
	long n = wizard_step_lines(w);
	long *c = &w->cursor[w->step];

	if (w->step == STEP_REVIEW || w->step == STEP_RESULT) {
		w->scroll = to_end ? (by > 0 ? 1L << 30 : 0) : w->scroll + by;
		if (w->scroll < 0)
			w->scroll = 0;
	} else {
		*c = to_end ? (by > 0 ? n - 1 : 0) : *c + by;
		if (*c >= n)
			*c = n - 1;
		if (*c < 0)
			*c = 0;
	}
	w->pane.dirty |= PANE_DIRTY_ALL;
	return true;
}

static bool wizard_request(struct pane *p, enum request req)
{
	struct wizard *w = as_wizard(p);
	int page = p->rows > 2 ? p->rows - 2 : 1;

	switch (req) {
	case REQ_MOVE_DOWN:
		return move_cursor(w, 1, false);
	case REQ_MOVE_UP:
		return move_cursor(w, -1, false);
	case REQ_PAGE_DOWN:
		if (w->step == STEP_SLICING) {
			w->scroll += page;
			p->dirty |= PANE_DIRTY_ALL;
			return true;
		}
		return move_cursor(w, page, false);
	case REQ_PAGE_UP:
		if (w->step == STEP_SLICING) {
			w->scroll = w->scroll > page ? w->scroll - page : 0;
			p->dirty |= PANE_DIRTY_ALL;
			return true;
		}
		return move_cursor(w, -page, false);
	case REQ_MOVE_FIRST:
		return move_cursor(w, -1, true);
	case REQ_MOVE_LAST:
		return move_cursor(w, 1, true);
	case REQ_FOCUS_NEXT:
		go_step(w, next_step(w, 1));
		return true;
	case REQ_FOCUS_PREV:
		go_step(w, next_step(w, -1));
		return true;
	case REQ_ENTER:
	case REQ_EDIT:
		enter(w);
		return true;
	case REQ_REFRESH:
		if (w->step == STEP_CAMPAIGN)
			ccon_send_flow_list_campaigns(w->flow, NULL);
		ccon_send_flow_read_time(w->flow, NULL);
		if (w->step == STEP_SLICING)
			w->dry_run_wanted = true;
		app_message(p->app, "reading again");
		return true;
	default:
		return false;
	}
}

/* 1..7 jump to a step. */
static bool wizard_key(struct pane *p, struct ccon_key key)
{
	struct wizard *w = as_wizard(p);

	if (key.mods == 0 && key.code >= '1' && key.code < '1' + STEP__COUNT) {
		go_step(w, (enum wizard_step)(key.code - '1'));
		return true;
	}
	return false;
}

/* NOLINTNEXTLINE(readability-non-const-parameter): pane_ops' command; other panes write msg */
static bool wizard_command(struct pane *p, const char *name, const char *args, char *msg,
                           size_t size)
{
	(void)args;
	(void)msg;
	(void)size;
	if (strcmp(name, "cancel") == 0)
		return cmd_cancel(as_wizard(p));
	return false;
}

static void take_answers(struct wizard *w, unsigned ch)
{
	const struct ccon_rest_campaign_info *ci;
	const struct ccon_send_dispatch *d;
	struct ccon_error err;

	if ((ch & CCON_FLOW_CAMPAIGN) && w->want_campaign) {
		ci = ccon_send_flow_campaign(w->flow);
		if (ci && ci->id == w->want_campaign) {
			w->want_campaign = 0;
			if (ci->origin && strcmp(ci->origin, "v2") == 0) {
				/* seed 002's dynamic audiences: their own pane */
				char id[24];
				struct pane *dp;

				snprintf(id, sizeof(id), "%" PRId64, ci->id);
				if ((dp = pane_dynamic_open(w->pane.app, id)))
					app_push(w->pane.app, dp);
			} else if (ccon_send_draft_set_campaign(&w->draft, ci, &err) < 0) {
				app_error(w->pane.app, "campaign %" PRId64 ": %s", ci->id, err.message);
			} else {
				app_message(w->pane.app, "campaign chosen");
				draft_dirty_reset(w);
				if (w->step == STEP_CAMPAIGN)
					go_step(w, STEP_AUDIENCE);
			}
		} else if (ccon_send_flow_campaign_state(w->flow, &err) == CCON_FLOW_FAILED) {
			app_error(w->pane.app, "campaign %" PRId64 ": %s", w->want_campaign, err.message);
			w->want_campaign = 0;
		}
	}
	if ((ch & CCON_FLOW_TIME) && w->dry_run_wanted && w->step == STEP_SLICING)
		start_dry_run(w);
	if ((ch & CCON_FLOW_SLOTS) && w->draft.kind == CCON_SEND_KIND_ENVELOPE)
		envelope_plan(w);
	if ((ch & CCON_FLOW_DISPATCH) && (d = ccon_send_flow_dispatch_result(w->flow)) &&
	    d->state == CCON_FLOW_DONE && !w->report_opened) {
		w->report_opened = true;
		ccon_send_draft_renew_send_id(&w->draft); /* a next dispatch is a new send */
		/* the REST kinds' report opens at once; the envelope's on Enter (its
		 * result says what was created first); a WhatsApp message has none */
		if (ccon_send_kind_needs_campaign(w->draft.kind))
			open_report(w);
	}
}

static bool wizard_work(struct pane *p, long budget_ms)
{
	struct wizard *w = as_wizard(p);
	unsigned ch = ccon_send_flow_changes(w->flow);

	(void)budget_ms;
	if (w->csv_taken) {
		w->csv_taken = false;
		if (app_top(p->app) != p)
			app_pop(p->app);
	}
	if (ch) {
		take_answers(w, ch);
		p->dirty |= PANE_DIRTY_ALL;
	}
	if (w->dry_run_wanted && w->step == STEP_SLICING && app_top(p->app) == p &&
	    !ccon_send_flow_in_flight(w->flow))
		start_dry_run(w);
	return false;
}

static void wizard_changed(struct pane *p, unsigned changes)
{
	(void)changes;
	p->dirty |= PANE_DIRTY_HEAD;
}

static void wizard_draw(struct pane *p, WINDOW *win, struct rect a)
{
	struct wizard *w = as_wizard(p);
	int x = a.x + 1;
	const char *cname = w->draft.campaign.name;

	p->rows = a.h - 4;
	draw_textf(win, a.y, a.x, a.w, colors_attr(AREA_HEADING), DRAW_LEFT,
	           " Send wizard: %s%s%s", ccon_send_kind_name(w->draft.kind),
	           cname ? ", campaign " : "", cname ? cname : "");
	draw_fill(win, a.y + 1, a.x, a.w, A_NORMAL);
	for (int s = 0; s < STEP__COUNT && x < a.x + a.w; s++) {
		char label[32];

		snprintf(label, sizeof(label), " %d %s ", s + 1, wizard_step_names[s]);
		x += draw_text(win, a.y + 1, x, a.x + a.w - x, label,
		               s == (int)w->step ? colors_attr(AREA_SELECTION) : colors_attr(AREA_DIM),
		               DRAW_LEFT) + 1;
	}
	wizard_draw_step(w, win, (struct rect){ a.y + 3, a.x, a.h - 4, a.w });
	draw_fill(win, a.y + 2, a.x, a.w, A_NORMAL);
	draw_text(win, a.y + a.h - 1, a.x, a.w,
	          " Enter: choose/edit  Tab: next step  S-Tab: back  1-7: a step  Esc: leave",
	          colors_attr(AREA_DIM), DRAW_LEFT);
}

static void wizard_close(struct pane *p)
{
	struct wizard *w = as_wizard(p);

	if (w->pane.app->prompt.active && w->pane.app->prompt.ctx == w)
		w->pane.app->prompt.active = false;
	ccon_send_flow_free(w->flow);
	ccon_send_reqs_free(&w->review);
	ccon_timeline_free(&w->env_plan);
	ccon_send_draft_free(&w->draft);
	free(w->audience.missing);
	free(w->undo);
	free(w);
}

static const struct pane_ops wizard_ops = {
	.name = "wizard",
	.changed = wizard_changed,
	.draw = wizard_draw,
	.request = wizard_request,
	.key = wizard_key,
	.command = wizard_command,
	.work = wizard_work,
	.close = wizard_close,
};

static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 1)
		return false;
	*out = v;
	return true;
}

struct pane *pane_wizard_open(struct app *app, const char *campaign_id, const char *csv_path,
                              const struct ccon_layout *layout)
{
	struct wizard *w;
	struct ccon_error err;
	int64_t id = 0;

	if (app->cfg->app_id < 1) {
		app_error(app, "the send wizard needs the application's id: --app ID, or app in the "
		          "profile (ccon.conf(5))");
		return NULL;
	}
	if (campaign_id && !parse_id(campaign_id, &id))
		return pane_dynamic_open(app, campaign_id);
	if (!(w = calloc(1, sizeof(*w)))) {
		app_error(app, "out of memory");
		return NULL;
	}
	w->pane.ops = &wizard_ops;
	w->pane.app = app;
	w->pane.dirty = PANE_DIRTY_ALL;
	ccon_send_draft_init(&w->draft, csv_path ? CCON_SEND_KIND_CSV : CCON_SEND_KIND_JSON,
	                     app->cfg->app_id);
	w->cursor[STEP_KIND] = csv_path ? 1 : 0;
	ccon_error_set(&err, CCON_E_NOMEM, "out of memory");
	if (ccon_send_flow_new(app->client, app->cfg->app_id, &w->flow, &err) < 0 ||
	    ccon_send_flow_read_time(w->flow, &err) < 0 ||
	    (csv_path && (ccon_draft_str_set(&w->draft.csv_path, csv_path) < 0 ||
	                  ccon_send_draft_set_layout(&w->draft, layout, &err) < 0))) {
		app_error(app, "the send wizard: %s", err.message);
		w->pane.app = app;
		wizard_close(&w->pane);
		return NULL;
	}
	if (id)
		choose_campaign(w, id);
	else if (csv_path)
		go_step(w, STEP_CAMPAIGN);
	return &w->pane;
}
