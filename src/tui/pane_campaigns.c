/* pane_campaigns.c - the campaign list: one row a campaign, sorted and
 * filtered by the model's view, the cursor on a campaign id. */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "cancel.h"
#include "cmdline.h"
#include "colors.h"
#include "draw.h"
#include "mouse.h"

#include <ccon/datetime.h>
#include <ccon/sanitize.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define NAME_MIN 24
#define NAME_MAX 60     /* wider, the counts drift too far from the names */

struct column {
	enum ccon_campaign_column col;
	const char *title;
	int width;                   /* 0: the name, which takes what is left */
	int drop;                    /* narrow screens drop 1 first, then 2...; 0 never */
	enum draw_align align;
};

static const struct column columns[] = {
	{ CCON_COL_NAME, "Name", 0, 0, DRAW_LEFT },
	{ CCON_COL_CHANNEL, "Channel", 9, 3, DRAW_LEFT },
	{ CCON_COL_STATUS, "Status", 9, 0, DRAW_LEFT },
	{ CCON_COL_SEND_DATE, "Send date", 16, 4, DRAW_LEFT },
	{ CCON_COL_AUDIENCE, "Audience", 8, 5, DRAW_RIGHT },
	{ CCON_COL_RECEIVED, "Received", 8, 1, DRAW_RIGHT },
	{ CCON_COL_READ, "Read", 7, 2, DRAW_RIGHT },
	{ CCON_COL_FAILED, "Failed", 7, 0, DRAW_RIGHT },
	{ CCON_COL_FAILURE_RATE, "Fail%", 6, 0, DRAW_RIGHT },
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

static const char *const sort_names[CCON_COL_COUNT] = {
	[CCON_COL_NAME] = "name", [CCON_COL_CHANNEL] = "channel", [CCON_COL_STATUS] = "status",
	[CCON_COL_SEND_DATE] = "send date", [CCON_COL_AUDIENCE] = "audience",
	[CCON_COL_RECEIVED] = "received", [CCON_COL_READ] = "read", [CCON_COL_FAILED] = "failed",
	[CCON_COL_FAILURE_RATE] = "failure rate", [CCON_COL_CREATED] = "created",
};

struct campaigns {
	struct pane pane;
	long top;                    /* the view row on the first line */
	int widths[N_COLUMNS];       /* 0: not shown at this width */
	int layout_cols;             /* the screen width the widths are for */
	int headings_y, body_y, x0;  /* where the last draw put them (for clicks) */
};

/* Which columns fit in cols, and how wide the name is. */
static void layout(struct campaigns *c, int cols)
{
	int used = 1, name;

	if (c->layout_cols == cols)
		return;
	c->layout_cols = cols;
	for (size_t i = 0; i < N_COLUMNS; i++) {
		c->widths[i] = columns[i].width;
		used += columns[i].width + 1;
	}
	for (;;) {
		size_t victim = N_COLUMNS;

		name = cols - used;
		if (name >= NAME_MIN)
			break;
		for (size_t i = 0; i < N_COLUMNS; i++)
			if (c->widths[i] && columns[i].drop &&
			    (victim == N_COLUMNS || columns[i].drop < columns[victim].drop))
				victim = i;
		if (victim == N_COLUMNS)
			break;
		used -= c->widths[victim] + 1;
		c->widths[victim] = 0;
	}
	c->widths[0] = name > NAME_MAX ? NAME_MAX : name > 1 ? name : 1;
}

static void fmt_count(int64_t n, char *buf, size_t size)
{
	if (n < 10000000)
		snprintf(buf, size, "%lld", (long long)n);
	else if (n < 10000000000LL)
		snprintf(buf, size, "%.1fM", (double)n / 1e6);
	else
		snprintf(buf, size, "%.1fG", (double)n / 1e9);
}

/* An API date-time as local time, "2026-11-23 14:05"; as sent when it does
 * not parse. */
static const char *fmt_date(const char *s, char *buf, size_t size)
{
	int64_t us;
	time_t t;
	struct tm tm;

	if (!s || !*s)
		return "-";
	if (ccon_datetime_parse(s, &us, NULL) < 0)
		return s;
	t = (time_t)(us / 1000000);
	if (!localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
		return s;
	return buf;
}

static const char *cell(const struct ccon_campaign_summary *s, enum ccon_campaign_column col,
                        char *buf, size_t size)
{
	const struct ccon_recipient_counts *k = &s->counts;

	switch (col) {
	case CCON_COL_NAME:
		return s->name ? s->name : s->id;
	case CCON_COL_CHANNEL:
		return s->channel_type ? s->channel_type : "-";
	case CCON_COL_STATUS:
		return s->status ? s->status : "-";
	case CCON_COL_SEND_DATE:
		return fmt_date(s->send_date, buf, size);
	case CCON_COL_FAILURE_RATE:
		if (!s->has_counts || k->total == 0)
			return "-";
		snprintf(buf, size, "%.1f%%", 100.0 * ccon_campaign_failure_rate(s));
		return buf;
	default:
		break;
	}
	if (!s->has_counts)
		return "-";
	fmt_count(col == CCON_COL_AUDIENCE ? k->total : col == CCON_COL_RECEIVED ? k->received
	          : col == CCON_COL_READ ? k->read : k->failed, buf, size);
	return buf;
}

static void draw_head(struct campaigns *c, WINDOW *w, struct rect a)
{
	struct ccon_model *m = c->pane.app->model;
	struct ccon_model_status st;
	enum ccon_campaign_column col;
	char age[16], count[64], right[96];
	const char *filter = ccon_model_filter_get(m);
	bool desc;
	int rw;

	ccon_model_status(m, &st);
	ccon_model_sort_get(m, &col, &desc);
	/* where the cursor is: "3/12", "1/2 of 12" under a filter */
	snprintf(count, sizeof(count), "%ld/%zu", ccon_model_selected(m) + 1, ccon_model_rows(m));
	if (filter && *filter)
		snprintf(count + strlen(count), sizeof(count) - strlen(count), " of %zu",
		         ccon_model_rows_total(m));
	if (st.campaigns_polled_ms) {
		int64_t now = ccon_monotonic_ms();

		draw_age(now - st.campaigns_polled_ms, age, sizeof(age));
		snprintf(right, sizeof(right), "sort: %s %s  %supdated %s ago",
		         col < CCON_COL_COUNT ? sort_names[col] : "?", desc ? "desc" : "asc",
		         app_stale(c->pane.app, now) ? "STALE, " : "", age);
	} else {
		snprintf(right, sizeof(right), "sort: %s %s  loading",
		         col < CCON_COL_COUNT ? sort_names[col] : "?", desc ? "desc" : "asc");
	}
	rw = draw_width(right);
	if (rw > a.w - 20)
		rw = a.w - 20;
	draw_textf(w, a.y, a.x, a.w - rw - 1, A_BOLD, DRAW_LEFT, " Campaigns  %s%s%s", count,
	           filter && *filter ? "  filter: " : "", filter && *filter ? filter : "");
	draw_text(w, a.y, a.x + a.w - rw - 1, rw + 1, right, A_NORMAL, DRAW_RIGHT);
}

static void draw_headings(struct campaigns *c, WINDOW *w, int y, int x0, int cols)
{
	attr_t h = colors_attr(AREA_HEADING);
	enum ccon_campaign_column sorted;
	bool desc;
	int x = x0 + 1;

	ccon_model_sort_get(c->pane.app->model, &sorted, &desc);
	draw_fill(w, y, x0, cols, h);
	for (size_t i = 0; i < N_COLUMNS; i++) {
		if (!c->widths[i])
			continue;
		/* the sorted column's title carries the direction: ^ or v */
		draw_textf(w, y, x, c->widths[i], h, columns[i].align, "%s%s", columns[i].title,
		           columns[i].col == sorted ? (desc ? "v" : "^") : "");
		x += c->widths[i] + 1;
	}
}

static void draw_row(struct campaigns *c, WINDOW *w, int y, int x0, int cols, size_t row,
                     bool cursor)
{
	struct ccon_model *m = c->pane.app->model;
	const struct ccon_campaign_summary *s = ccon_model_row(m, row);
	attr_t base = cursor ? colors_attr(AREA_CURSOR) : A_NORMAL;
	int x = x0 + 1;

	if (!s)
		return;
	if (!cursor && ccon_model_row_changed(m, row))
		base |= A_BOLD;
	draw_fill(w, y, x0, cols, base);
	for (size_t i = 0; i < N_COLUMNS; i++) {
		char buf[64];
		attr_t a = base;

		if (!c->widths[i])
			continue;
		if (columns[i].col == CCON_COL_STATUS && !cursor)
			a = colors_attr(colors_status_area(s->status)) | (base & A_BOLD);
		draw_text(w, y, x, c->widths[i], cell(s, columns[i].col, buf, sizeof(buf)), a,
		          columns[i].align);
		x += c->widths[i] + 1;
	}
}

/* Keeps the selected row in sight. */
static void scroll_to_cursor(struct campaigns *c, long sel, long body, long rows)
{
	if (sel >= 0 && sel < c->top)
		c->top = sel;
	if (sel >= 0 && sel >= c->top + body)
		c->top = sel - body + 1;
	if (c->top > rows - body)
		c->top = rows - body;
	if (c->top < 0)
		c->top = 0;
}

static void campaigns_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct campaigns *c = (struct campaigns *)p;
	struct ccon_model *m = p->app->model;
	long rows = (long)ccon_model_rows(m), sel = ccon_model_selected(m);
	long body = a.h - 2;
	struct ccon_model_status st;

	if (p->dirty & PANE_DIRTY_HEAD)
		draw_head(c, w, a);
	if (!(p->dirty & PANE_DIRTY_BODY))
		return;
	p->rows = (int)(body > 0 ? body : 1);
	c->headings_y = a.y + 1;
	c->body_y = a.y + 2;
	c->x0 = a.x;
	layout(c, a.w);
	draw_headings(c, w, a.y + 1, a.x, a.w);
	scroll_to_cursor(c, sel, body, rows);
	for (long i = 0; i < body; i++) {
		int y = a.y + 2 + (int)i;

		if (c->top + i < rows) {
			draw_row(c, w, y, a.x, a.w, (size_t)(c->top + i), c->top + i == sel);
			continue;
		}
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		if (i != 0 || rows != 0)
			continue;
		ccon_model_status(m, &st);
		if (ccon_model_rows_total(m) > 0)
			draw_text(w, y, a.x + 2, a.w - 2, "No campaign matches the filter.",
			          colors_attr(AREA_DIM), DRAW_LEFT);
		else
			draw_text(w, y, a.x + 2, a.w - 2,
			          st.campaigns_polled_ms ? "No campaigns yet." : "Loading campaigns...",
			          colors_attr(AREA_DIM), DRAW_LEFT);
	}
}

static void campaigns_changed(struct pane *p, unsigned changes)
{
	if (changes & CCON_MODEL_CAMPAIGNS)
		p->dirty |= PANE_DIRTY_ALL;
	if (changes & CCON_MODEL_STATUS)
		p->dirty |= ccon_model_rows(p->app->model) ? PANE_DIRTY_HEAD : PANE_DIRTY_ALL;
}

static void filter_changed(void *ctx, const char *text)
{
	struct pane *p = ctx;

	ccon_model_filter(p->app->model, text);
	p->dirty |= PANE_DIRTY_ALL;
}

static void filter_done(void *ctx, const char *text)
{
	struct pane *p = ctx;

	/* Enter keeps the filter, Esc clears it */
	ccon_model_filter(p->app->model, text);
	p->dirty |= PANE_DIRTY_ALL;
	p->app->dirty |= APP_DIRTY_PROMPT;
}

/* The `/` line: incremental, with its own history (Up, Down). It opens
 * empty, as in less and vi: the filter in force stays until the first
 * edit, and Up brings it back. */
static void filter_open(struct pane *p)
{
	static const struct cmdline_ops ops = {
		.changed = filter_changed,
		.done = filter_done,
		.complete = NULL,
	};

	cmdline_open(CMDLINE_FILTER, "/", "", &ops, p);
	p->app->dirty |= APP_DIRTY_PROMPT;
}

static void move_to(struct pane *p, long row)
{
	struct ccon_model *m = p->app->model;
	long rows = (long)ccon_model_rows(m);

	if (rows == 0)
		return;
	ccon_model_select(m, row < 0 ? 0 : row >= rows ? rows - 1 : row);
	p->dirty |= PANE_DIRTY_ALL;
}

static bool campaigns_request(struct pane *p, enum request req)
{
	struct ccon_model *m = p->app->model;
	long sel = ccon_model_selected(m), page = p->rows > 1 ? p->rows - 1 : 1;
	enum ccon_campaign_column col;
	bool desc;

	switch (req) {
	case REQ_MOVE_DOWN:
		move_to(p, sel + 1);
		return true;
	case REQ_MOVE_UP:
		move_to(p, sel - 1);
		return true;
	case REQ_PAGE_DOWN:
		move_to(p, sel + page);
		return true;
	case REQ_PAGE_UP:
		move_to(p, sel - page);
		return true;
	case REQ_MOVE_FIRST:
		move_to(p, 0);
		return true;
	case REQ_MOVE_LAST:
		move_to(p, (long)ccon_model_rows(m) - 1);
		return true;
	case REQ_SORT_NEXT:
	case REQ_SORT_REVERSE:
		ccon_model_sort_get(m, &col, &desc);
		if (req == REQ_SORT_NEXT)
			col = (enum ccon_campaign_column)((col + 1) % CCON_COL_COUNT);
		else
			desc = !desc;
		ccon_model_sort(m, col, desc);
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	case REQ_FILTER:
		filter_open(p);
		return true;
	case REQ_ENTER:
		if (!ccon_model_selected_id(m))
			return true;
		app_push(p->app, pane_report_open(p->app, ccon_model_selected_id(m)));
		return true;
	case REQ_SEND_NEW: {
		struct pane *w = pane_wizard_open(p->app, ccon_model_selected_id(m), NULL, NULL);

		if (w)
			app_push(p->app, w);
		return true;
	}
	default:
		return false;
	}
}

/* ":sort COLUMN [asc|desc]": the column as the heading names it, '-' or
 * '_' for its spaces ("send-date"), any case; ascending unless told. */
static void sort_command(struct pane *p, const char *args, char *msg, size_t size)
{
	char col[64];
	size_t n = strlen(args);
	const char *sp = strrchr(args, ' ');
	bool desc = false;
	size_t i;

	if (sp && (strcasecmp(sp + 1, "asc") == 0 || strcasecmp(sp + 1, "desc") == 0)) {
		desc = strcasecmp(sp + 1, "desc") == 0;
		n = (size_t)(sp - args);
		while (n && args[n - 1] == ' ')
			n--;
	}
	if (n == 0 || n >= sizeof(col)) {
		snprintf(msg, size, "usage: :sort COLUMN [asc|desc] (Tab completes the column)");
		return;
	}
	for (i = 0; i < n; i++)
		col[i] = args[i] == '-' || args[i] == '_' ? ' ' : args[i];
	col[n] = '\0';
	for (i = 0; i < CCON_COL_COUNT; i++)
		if (sort_names[i] && strcasecmp(sort_names[i], col) == 0)
			break;
	if (i == CCON_COL_COUNT) {
		snprintf(msg, size, "no column '%s' to sort by: name, channel, status, send-date, "
		         "audience, received, read, failed, failure-rate, created", col);
		return;
	}
	ccon_model_sort(p->app->model, (enum ccon_campaign_column)i, desc);
	p->dirty |= PANE_DIRTY_ALL;
}

/* ":cancel": the campaign under the cursor. */
static void cancel_command(struct campaigns *c)
{
	struct ccon_model *m = c->pane.app->model;
	long row = ccon_model_selected(m);
	const struct ccon_campaign_summary *s = row >= 0 ? ccon_model_row(m, (size_t)row) : NULL;

	if (!s || !s->id)
		app_error(c->pane.app, "cancel: no campaign under the cursor");
	else
		cancel_ask(c->pane.app, s->id, s->name, s->status,
		           s->has_counts ? (long long)s->counts.pending : -1);
}

static bool campaigns_command(struct pane *p, const char *name, const char *args, char *msg,
                              size_t size)
{
	if (strcmp(name, "cancel") == 0) {
		cancel_command((struct campaigns *)p);
		return true;
	}
	if (strcmp(name, "sort") == 0) {
		sort_command(p, args, msg, size);
		return true;
	}
	if (strcmp(name, "filter") == 0) {
		ccon_model_filter(p->app->model, *args ? args : NULL);
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	}
	return false;
}

/* A click on a column title sorts by it (again: the other way round). */
static bool click_heading(struct campaigns *c, int x)
{
	struct ccon_model *m = c->pane.app->model;
	enum ccon_campaign_column sorted;
	bool desc;
	int left = c->x0 + 1;

	for (size_t i = 0; i < N_COLUMNS; i++) {
		if (!c->widths[i])
			continue;
		if (x >= left && x < left + c->widths[i]) {
			ccon_model_sort_get(m, &sorted, &desc);
			ccon_model_sort(m, columns[i].col, columns[i].col == sorted ? !desc : false);
			c->pane.dirty |= PANE_DIRTY_ALL;
			return true;
		}
		left += c->widths[i] + 1;
	}
	return false;
}

bool pane_campaigns_click(struct pane *p, const struct mouse_event *ev)
{
	struct campaigns *c = (struct campaigns *)p;
	long row;

	if (ev->kind != MOUSE_CLICK || !c->layout_cols)
		return false;
	if (ev->y == c->headings_y)
		return click_heading(c, ev->x);
	row = c->top + (ev->y - c->body_y);
	if (ev->y < c->body_y || ev->y >= c->body_y + p->rows ||
	    row >= (long)ccon_model_rows(p->app->model))
		return false;
	if (row == ccon_model_selected(p->app->model))
		return campaigns_request(p, REQ_ENTER);
	move_to(p, row);
	return true;
}

static void campaigns_close(struct pane *p)
{
	free(p);
}

static const struct pane_ops campaigns_ops = {
	.name = "Campaigns",
	.changed = campaigns_changed,
	.draw = campaigns_draw,
	.request = campaigns_request,
	.key = NULL,
	.command = campaigns_command,
	.close = campaigns_close,
};

struct pane *pane_campaigns_open(struct app *app)
{
	struct campaigns *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->pane.ops = &campaigns_ops;
	c->pane.app = app;
	c->pane.dirty = PANE_DIRTY_ALL;
	return &c->pane;
}
