/* pane_report.c - one campaign's report. For now the focused summary's
 * counts; the funnel, failures, recipients and export come next. */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "colors.h"
#include "draw.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct report {
	struct pane pane;
	char *id;
};

static void report_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct report *r = (struct report *)p;
	const struct ccon_campaign_summary *s = ccon_model_focus_summary(p->app->model);
	const struct {
		const char *label;
		size_t offset;
	} counts[] = {
		{ "Audience", offsetof(struct ccon_recipient_counts, total) },
		{ "Pending", offsetof(struct ccon_recipient_counts, pending) },
		{ "Processed", offsetof(struct ccon_recipient_counts, processed) },
		{ "Received", offsetof(struct ccon_recipient_counts, received) },
		{ "Read", offsetof(struct ccon_recipient_counts, read) },
		{ "Failed", offsetof(struct ccon_recipient_counts, failed) },
		{ "Canceled", offsetof(struct ccon_recipient_counts, canceled) },
	};
	int y = a.y;

	p->rows = a.h;
	for (int i = 0; i < a.h; i++)
		draw_fill(w, a.y + i, a.x, a.w, A_NORMAL);
	draw_textf(w, y++, a.x, a.w, A_BOLD, DRAW_LEFT, " Report: %s",
	           s && s->name ? s->name : r->id);
	if (!s) {
		draw_text(w, ++y, a.x + 2, a.w - 2, "Loading...", colors_attr(AREA_DIM), DRAW_LEFT);
		return;
	}
	draw_textf(w, ++y, a.x + 2, a.w - 2, A_NORMAL, DRAW_LEFT, "Id       %s", s->id ? s->id : "-");
	draw_textf(w, ++y, a.x + 2, 9, A_NORMAL, DRAW_LEFT, "Status");
	draw_text(w, y, a.x + 11, a.w - 11, s->status ? s->status : "-",
	          colors_attr(colors_status_area(s->status)), DRAW_LEFT);
	draw_textf(w, ++y, a.x + 2, a.w - 2, A_NORMAL, DRAW_LEFT, "Channel  %s",
	           s->channel_type ? s->channel_type : "-");
	y++;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]) && y + 1 < a.y + a.h; i++) {
		int64_t n = *(const int64_t *)((const char *)&s->counts + counts[i].offset);

		draw_textf(w, ++y, a.x + 2, a.w - 2, A_NORMAL, DRAW_LEFT, "%-10s %12lld",
		           counts[i].label, s->has_counts ? (long long)n : 0LL);
	}
}

static void report_changed(struct pane *p, unsigned changes)
{
	if (changes & (CCON_MODEL_FOCUS | CCON_MODEL_CAMPAIGNS))
		p->dirty |= PANE_DIRTY_ALL;
}

static bool report_request(struct pane *p, enum request req)
{
	(void)p;
	(void)req;
	return false;
}

static void report_close(struct pane *p)
{
	struct report *r = (struct report *)p;

	ccon_model_focus(p->app->model, NULL);
	free(r->id);
	free(r);
}

static const struct pane_ops report_ops = {
	.name = "Report",
	.changed = report_changed,
	.draw = report_draw,
	.request = report_request,
	.key = NULL,
	.close = report_close,
};

struct pane *pane_report_open(struct app *app, const char *campaign_id)
{
	struct report *r = calloc(1, sizeof(*r));

	if (!r || !(r->id = strdup(campaign_id))) {
		free(r);
		return NULL;
	}
	r->pane.ops = &report_ops;
	r->pane.app = app;
	r->pane.dirty = PANE_DIRTY_ALL;
	ccon_model_focus(app->model, campaign_id);
	return &r->pane;
}
