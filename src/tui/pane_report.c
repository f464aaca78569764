/* pane_report.c - one campaign's report: its funnel (the recipients'
 * counts by delivery status with proportional bars), its failures grouped
 * by reason (Enter lists a group's recipients), the recipient table paged
 * from the model (a million rows scroll without loading them), the raw
 * JSON of the last answer in an overlay, and the :export and :cancel
 * commands. Every string from the server is drawn through draw_text (the
 * one sanitiser); the raw view through ccon_sanitize's multi-line mode. */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "cmdline.h"
#include "cancel.h"
#include "colors.h"
#include "draw.h"

#include <ccon/datetime.h>
#include <ccon/sanitize.h>
#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <cjson/cJSON.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIDE_BY_SIDE_MIN 96   /* narrower, the failures go under the funnel */
#define REASON_MIN 16         /* narrower, time columns are dropped */
#define FUNNEL_ROWS 6

enum report_focus { FOCUS_RECIPIENTS, FOCUS_FAILURES };

/* The raw JSON overlay: its text (sanitised, tabs expanded) and the
 * lines it wraps into at the width it was last drawn. */
struct raw_view {
	bool open;
	struct ccon_strbuf text;
	size_t *line_off;            /* wrapped lines: offset, length pairs */
	size_t n_lines, cap_lines;
	int wrap_cols;               /* the width the lines are for; 0: none yet */
	long top;
};

struct report {
	struct pane pane;
	char *id;
	enum report_focus focus;
	long fail_sel, fail_top;
	int fail_rows;               /* failure rows at the last draw */
	int64_t rec_sel, rec_top;
	int64_t want_first;          /* what was last asked of the model */
	size_t want_n;
	bool filtered;               /* the recipients of one failure group */
	bool filter_has_code;
	int64_t filter_code;
	struct ccon_model_export *export;
	struct raw_view raw;
};

/* ------------------------------------------------------------ formatting */

static void fmt_count(int64_t n, char *buf, size_t size)
{
	if (n < 10000000)
		snprintf(buf, size, "%lld", (long long)n);
	else
		snprintf(buf, size, "%.1fM", (double)n / 1e6);
}

/* An API date-time in local time; as sent when it does not parse. */
static const char *fmt_time(const char *s, bool long_form, char *buf, size_t size)
{
	int64_t us;
	size_t n;
	time_t t;
	struct tm tm;

	if (!s || !*s)
		return "";
	if (ccon_datetime_parse(s, &us, NULL) < 0)
		return s;
	t = (time_t)(us / 1000000);
	if (!localtime_r(&t, &tm))
		return s;
	if (long_form)
		n = strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
	else
		n = strftime(buf, size, "%m-%d %H:%M:%S", &tm);
	return n ? buf : s;
}

/* Draws s at *x (at most up to xmax) and moves *x past it and a gap. */
static void put(WINDOW *w, int y, int *x, int xmax, const char *s, attr_t attr, int gap)
{
	int width = draw_width(s);

	if (*x >= xmax)
		return;
	if (width > xmax - *x)
		width = xmax - *x;
	draw_text(w, y, *x, width, s, attr, DRAW_LEFT);
	*x += width + gap;
}

/* ------------------------------------------------------------ the head */

static void draw_head(struct report *r, WINDOW *w, struct rect a)
{
	struct ccon_model *m = r->pane.app->model;
	const struct ccon_campaign_summary *s = ccon_model_focus_summary(m);
	struct ccon_model_status st;
	struct ccon_export_progress ep;
	char right[160], age[16];
	int rw;

	ccon_model_status(m, &st);
	if (st.focus_polled_ms) {
		int64_t now = ccon_monotonic_ms();

		draw_age(now - st.focus_polled_ms, age, sizeof(age));
		snprintf(right, sizeof(right), "%supdated %s ago",
		         app_stale(r->pane.app, now) ? "STALE, " : "", age);
	} else {
		snprintf(right, sizeof(right), "loading");
	}
	if (r->export) {
		ccon_model_export_progress(r->export, &ep);
		if (ep.total >= 0)
			snprintf(right + strlen(right), sizeof(right) - strlen(right),
			         "  exporting %lld/%lld", (long long)ep.rows, (long long)ep.total);
		else
			snprintf(right + strlen(right), sizeof(right) - strlen(right), "  exporting");
	}
	rw = draw_width(right);
	if (rw > a.w / 2)
		rw = a.w / 2;
	draw_fill(w, a.y, a.x, a.w, A_NORMAL);
	draw_textf(w, a.y, a.x, a.w - rw - 1, A_BOLD, DRAW_LEFT, " Report: %s",
	           s && s->name ? s->name : r->id);
	draw_text(w, a.y, a.x + a.w - rw - 1, rw + 1, right, colors_attr(AREA_DIM), DRAW_RIGHT);
}

/* Status, channel, send date, audience and id; the failed reason under. */
static int draw_info(struct report *r, WINDOW *w, int y, struct rect a)
{
	const struct ccon_campaign_summary *s = ccon_model_focus_summary(r->pane.app->model);
	attr_t dim = colors_attr(AREA_DIM);
	int x = a.x + 1, xmax = a.x + a.w;
	char date[32], count[32];

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	if (!s) {
		draw_text(w, y, a.x + 1, a.w - 1, "Loading...", dim, DRAW_LEFT);
		return y + 1;
	}
	put(w, y, &x, xmax, "Status", dim, 1);
	put(w, y, &x, xmax, s->status ? s->status : "-",
	    colors_attr(colors_status_area(s->status)), 3);
	put(w, y, &x, xmax, "Channel", dim, 1);
	put(w, y, &x, xmax, s->channel_type ? s->channel_type : "-", A_NORMAL, 3);
	put(w, y, &x, xmax, "Send date", dim, 1);
	put(w, y, &x, xmax, s->send_date ? fmt_time(s->send_date, true, date,
	                                            sizeof(date)) : "-", A_NORMAL, 3);
	put(w, y, &x, xmax, "Audience", dim, 1);
	fmt_count(s->has_counts ? s->counts.total : 0, count, sizeof(count));
	put(w, y, &x, xmax, s->has_counts ? count : "-", A_NORMAL, 3);
	put(w, y, &x, xmax, "Id", dim, 1);
	put(w, y, &x, xmax, s->id ? s->id : r->id, A_NORMAL, 0);
	if (!s->failed_reason || !*s->failed_reason)
		return y + 1;
	y++;
	x = a.x + 1;
	draw_fill(w, y, a.x, a.w, A_NORMAL);
	put(w, y, &x, xmax, "Failed reason", dim, 1);
	put(w, y, &x, xmax, s->failed_reason, colors_attr(AREA_ERROR), 0);
	return y + 1;
}

/* ------------------------------------------------------------ the funnel */

static const struct {
	const char *label;
	size_t offset;
	enum color_area bar;
} funnel[FUNNEL_ROWS] = {
	{ "Pending", offsetof(struct ccon_recipient_counts, pending), AREA_BAR_PENDING },
	{ "Processed", offsetof(struct ccon_recipient_counts, processed), AREA_BAR_PROCESSED },
	{ "Received", offsetof(struct ccon_recipient_counts, received), AREA_BAR_RECEIVED },
	{ "Read", offsetof(struct ccon_recipient_counts, read), AREA_BAR_READ },
	{ "Failed", offsetof(struct ccon_recipient_counts, failed), AREA_BAR_FAILED },
	{ "Canceled", offsetof(struct ccon_recipient_counts, canceled), AREA_BAR_CANCELED },
};

/* One row: label, count, share of the audience, and a bar as long as the
 * share of the width that is left (at least one cell for a count > 0). */
static void draw_funnel_row(WINDOW *w, int y, int x, int width, size_t i,
                            const struct ccon_campaign_summary *s)
{
	int64_t n = 0, total = 0;
	char count[32], share[16];
	int bar_w = width - 28, cells = 0;

	if (s && s->has_counts) {
		n = *(const int64_t *)((const char *)&s->counts + funnel[i].offset);
		total = s->counts.total;
	}
	draw_fill(w, y, x, width, A_NORMAL);
	if (s && s->has_counts)
		fmt_count(n, count, sizeof(count));
	else
		snprintf(count, sizeof(count), "-");
	if (total > 0)
		snprintf(share, sizeof(share), "%.1f%%", 100.0 * (double)n / (double)total);
	else
		share[0] = '\0';
	draw_text(w, y, x + 1, 10, funnel[i].label, A_NORMAL, DRAW_LEFT);
	draw_text(w, y, x + 11, 9, count, A_BOLD, DRAW_RIGHT);
	draw_text(w, y, x + 21, 6, share, colors_attr(AREA_DIM), DRAW_RIGHT);
	if (bar_w < 1 || total <= 0 || n <= 0)
		return;
	cells = (int)((double)n * bar_w / (double)total + 0.5);
	if (cells < 1)
		cells = 1;
	if (cells > bar_w)
		cells = bar_w;
	/* blanks: the theme's background for the area is the bar */
	draw_fill(w, y, x + 28, cells, colors_attr(funnel[i].bar));
}

/* ------------------------------------------------------------ failures */

static void clamp_failures(struct report *r, size_t n, int rows)
{
	if (r->fail_sel >= (long)n)
		r->fail_sel = (long)n - 1;
	if (r->fail_sel < 0)
		r->fail_sel = 0;
	if (r->fail_sel < r->fail_top)
		r->fail_top = r->fail_sel;
	if (rows > 0 && r->fail_sel >= r->fail_top + rows)
		r->fail_top = r->fail_sel - rows + 1;
	if (r->fail_top > (long)n - rows)
		r->fail_top = (long)n - rows;
	if (r->fail_top < 0)
		r->fail_top = 0;
}

static bool group_is_filter(const struct report *r, const struct ccon_failure_group *g)
{
	return r->filtered && g->has_code == r->filter_has_code &&
	       (!g->has_code || g->reason_code == r->filter_code);
}

/* The box's heading at y, its groups on the rows lines under it. */
static void draw_failures(struct report *r, WINDOW *w, int y, int x, int width, int rows)
{
	size_t n;
	const struct ccon_failure_group *g = ccon_model_failures(r->pane.app->model, &n);
	attr_t heading = colors_attr(AREA_HEADING);
	bool focused = r->focus == FOCUS_FAILURES;

	r->fail_rows = rows;
	clamp_failures(r, n, rows);
	draw_fill(w, y, x, width, heading);
	draw_textf(w, y, x + 1, width - 1, heading, DRAW_LEFT, "%s %zu reason%s%s",
	           focused ? "> Failures:" : "Failures:", n, n == 1 ? "" : "s",
	           n ? (focused ? "  (Enter lists them)" : "  (Tab)") : "");
	for (int i = 0; i < rows; i++) {
		long k = r->fail_top + i;
		int yy = y + 1 + i;
		attr_t base = A_NORMAL;
		char code[24], count[32];

		draw_fill(w, yy, x, width, A_NORMAL);
		if (k >= (long)n) {
			if (i == 0 && n == 0)
				draw_text(w, yy, x + 2, width - 2, "No failures.", colors_attr(AREA_DIM),
				          DRAW_LEFT);
			continue;
		}
		if (focused && k == r->fail_sel) {
			base = colors_attr(AREA_CURSOR);
			draw_fill(w, yy, x, width, base);
		}
		if (g[k].has_code)
			snprintf(code, sizeof(code), "%lld", (long long)g[k].reason_code);
		else
			snprintf(code, sizeof(code), "(none)");
		fmt_count(g[k].count, count, sizeof(count));
		draw_text(w, yy, x, 1, group_is_filter(r, &g[k]) ? "*" : " ", base | A_BOLD,
		          DRAW_LEFT);
		draw_text(w, yy, x + 1, 8, code, base, DRAW_LEFT);
		draw_text(w, yy, x + 9, 8, count, base | A_BOLD, DRAW_RIGHT);
		draw_text(w, yy, x + 19, width - 19, g[k].reason_description, base, DRAW_LEFT);
	}
}

/* ------------------------------------------------------------ recipients */

struct rec_column {
	const char *title;
	int width;                   /* 0: the reason, which takes what is left */
	int drop;                    /* narrow screens drop 1 first; 0 never */
	enum draw_align align;
};

enum { RC_RECIPIENT, RC_STATUS, RC_PROCESSED, RC_RECEIVED, RC_READ, RC_FAILED, RC_CODE,
       RC_REASON, RC__COUNT };

static const struct rec_column rec_columns[RC__COUNT] = {
	[RC_RECIPIENT] = { "Recipient", 16, 0, DRAW_LEFT },
	[RC_STATUS] = { "Status", 9, 0, DRAW_LEFT },
	[RC_PROCESSED] = { "Processed", 14, 1, DRAW_LEFT },
	[RC_RECEIVED] = { "Received", 14, 3, DRAW_LEFT },
	[RC_READ] = { "Read", 14, 2, DRAW_LEFT },
	[RC_FAILED] = { "Failed", 14, 4, DRAW_LEFT },
	[RC_CODE] = { "Code", 7, 0, DRAW_RIGHT },
	[RC_REASON] = { "Reason", 0, 0, DRAW_LEFT },
};

static void rec_layout(int cols, int *widths)
{
	int used = 1;

	for (int i = 0; i < RC__COUNT; i++) {
		widths[i] = rec_columns[i].width;
		used += widths[i] ? widths[i] + 1 : 0;
	}
	while (cols - used < REASON_MIN) {
		int victim = -1;

		for (int i = 0; i < RC__COUNT; i++)
			if (widths[i] && rec_columns[i].drop &&
			    (victim < 0 || rec_columns[i].drop < rec_columns[victim].drop))
				victim = i;
		if (victim < 0)
			break;
		used -= widths[victim] + 1;
		widths[victim] = 0;
	}
	widths[RC_REASON] = cols - used > 1 ? cols - used : 1;
}

static const char *rec_cell(const struct ccon_audience_item *it, int col, char *buf, size_t size)
{
	switch (col) {
	case RC_RECIPIENT:
		return it->recipient;
	case RC_STATUS:
		return it->status;
	case RC_PROCESSED:
		return fmt_time(it->processed, false, buf, size);
	case RC_RECEIVED:
		return fmt_time(it->received, false, buf, size);
	case RC_READ:
		return fmt_time(it->read, false, buf, size);
	case RC_FAILED:
		return fmt_time(it->failed, false, buf, size);
	case RC_CODE:
		if (!it->has_reason_code)
			return "";
		snprintf(buf, size, "%lld", (long long)it->reason_code);
		return buf;
	default:
		return it->reason_description;
	}
}

static void clamp_recipients(struct report *r, int64_t total, int rows)
{
	if (r->rec_sel >= total)
		r->rec_sel = total - 1;
	if (r->rec_sel < 0)
		r->rec_sel = 0;
	if (r->rec_sel < r->rec_top)
		r->rec_top = r->rec_sel;
	if (rows > 0 && r->rec_sel >= r->rec_top + rows)
		r->rec_top = r->rec_sel - rows + 1;
	if (r->rec_top > total - rows)
		r->rec_top = total - rows;
	if (r->rec_top < 0)
		r->rec_top = 0;
}

/* The filter, as the heading says it. */
static void filter_label(const struct report *r, char *buf, size_t size)
{
	size_t n;
	const struct ccon_failure_group *g = ccon_model_failures(r->pane.app->model, &n);

	if (!r->filtered) {
		buf[0] = '\0';
		return;
	}
	if (!r->filter_has_code) {
		snprintf(buf, size, "  failed (all reasons)  x: every recipient");
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (group_is_filter(r, &g[i])) {
			snprintf(buf, size, "  failed %lld %s  x: every recipient",
			         (long long)r->filter_code,
			         g[i].reason_description ? g[i].reason_description : "");
			return;
		}
	snprintf(buf, size, "  failed %lld  x: every recipient", (long long)r->filter_code);
}

static void draw_recipient_row(struct report *r, WINDOW *w, int y, struct rect a,
                               const int *widths, int64_t i)
{
	const struct ccon_audience_item *it = ccon_model_audience_row(r->pane.app->model, i);
	bool cursor = r->focus == FOCUS_RECIPIENTS && i == r->rec_sel;
	attr_t base = cursor ? colors_attr(AREA_CURSOR) : A_NORMAL;
	int x = a.x + 1;

	draw_fill(w, y, a.x, a.w, base);
	if (!it) {
		/* its page is on its way */
		draw_text(w, y, x, a.w - 1, "...", cursor ? base : colors_attr(AREA_DIM), DRAW_LEFT);
		return;
	}
	for (int c = 0; c < RC__COUNT; c++) {
		char buf[64];
		attr_t attr = base;

		if (!widths[c])
			continue;
		if (c == RC_STATUS && !cursor)
			attr = colors_attr(colors_status_area(it->status));
		draw_text(w, y, x, widths[c], rec_cell(it, c, buf, sizeof(buf)), attr,
		          rec_columns[c].align);
		x += widths[c] + 1;
	}
}

static void draw_recipients(struct report *r, WINDOW *w, int y, struct rect a, int rows)
{
	struct ccon_model *m = r->pane.app->model;
	int64_t total = ccon_model_audience_total(m);
	attr_t heading = colors_attr(AREA_HEADING);
	char label[256], where[64];
	int widths[RC__COUNT], x = a.x + 1;

	filter_label(r, label, sizeof(label));
	if (total > 0)
		clamp_recipients(r, total, rows);
	if (total < 0)
		snprintf(where, sizeof(where), "loading");
	else
		snprintf(where, sizeof(where), "%lld/%lld", total ? (long long)r->rec_sel + 1 : 0LL,
		         (long long)total);
	draw_fill(w, y, a.x, a.w, A_NORMAL);
	draw_textf(w, y, a.x + 1, a.w - 1, A_BOLD, DRAW_LEFT, "%sRecipients %s%s",
	           r->focus == FOCUS_RECIPIENTS ? "> " : "", where, label);
	rec_layout(a.w, widths);
	y++;
	draw_fill(w, y, a.x, a.w, heading);
	for (int c = 0; c < RC__COUNT; c++) {
		if (!widths[c])
			continue;
		draw_text(w, y, x, widths[c], rec_columns[c].title, heading, rec_columns[c].align);
		x += widths[c] + 1;
	}
	y++;
	/* the model fetches the pages these rows are on (and keeps a few) */
	if (rows > 0 && (r->want_first != r->rec_top || r->want_n != (size_t)rows)) {
		r->want_first = r->rec_top;
		r->want_n = (size_t)rows;
		ccon_model_audience_want(m, r->rec_top, (size_t)rows);
	}
	for (int i = 0; i < rows; i++) {
		int64_t k = r->rec_top + i;

		if (total >= 0 && k < total) {
			draw_recipient_row(r, w, y + i, a, widths, k);
			continue;
		}
		draw_fill(w, y + i, a.x, a.w, A_NORMAL);
		if (i == 0 && total == 0)
			draw_text(w, y + i, a.x + 2, a.w - 2,
			          r->filtered ? "No recipient with this reason." : "No recipients.",
			          colors_attr(AREA_DIM), DRAW_LEFT);
	}
}

/* ------------------------------------------------------------ raw JSON */

static void raw_free(struct raw_view *v)
{
	ccon_strbuf_free(&v->text);
	free(v->line_off);
	v->line_off = NULL;
	v->n_lines = v->cap_lines = 0;
	v->wrap_cols = 0;
	v->open = false;
}

static int raw_add_line(struct raw_view *v, size_t off, size_t len)
{
	if (v->n_lines == v->cap_lines) {
		size_t cap = v->cap_lines ? v->cap_lines * 2 : 256;
		size_t *p = realloc(v->line_off, cap * 2 * sizeof(*p));

		if (!p)
			return -1;
		v->line_off = p;
		v->cap_lines = cap;
	}
	v->line_off[2 * v->n_lines] = off;
	v->line_off[2 * v->n_lines + 1] = len;
	v->n_lines++;
	return 0;
}

/* Splits the text into lines of at most cols cells. */
static void raw_wrap(struct raw_view *v, int cols)
{
	const char *s = ccon_strbuf_cstr(&v->text);
	size_t n = v->text.len, start = 0, i = 0;
	int used = 0;

	v->n_lines = 0;
	v->wrap_cols = cols;
	while (i < n) {
		uint32_t cp;
		size_t k = ccon_utf8_decode(s + i, n - i, &cp);
		int cw;

		if (s[i] == '\n') {
			if (raw_add_line(v, start, i - start))
				return;
			start = ++i;
			used = 0;
			continue;
		}
		if (k == 0)
			k = 1;
		cw = ccon_cp_width(cp);
		if (cw < 0)
			cw = 1;
		if (used + cw > cols && i > start) {
			if (raw_add_line(v, start, i - start))
				return;
			start = i;
			used = 0;
		}
		used += cw;
		i += k;
	}
	if (start < n || v->n_lines == 0)
		raw_add_line(v, start, n - start);
}

/* The last answer, pretty-printed when it is JSON, sanitised (multi-line),
 * tabs as two spaces. */
static void raw_open(struct raw_view *v, const char *raw, size_t len)
{
	cJSON *json = len ? cJSON_ParseWithLength(raw, len) : NULL;
	char *pretty = json ? cJSON_Print(json) : NULL;
	struct ccon_strbuf clean = CCON_STRBUF_INIT;
	const char *src = pretty ? pretty : raw;
	size_t src_len = pretty ? strlen(pretty) : len;

	raw_free(v);
	ccon_strbuf_init(&v->text);
	if (ccon_sanitize_append(&clean, src ? src : "", src ? src_len : 0,
	                         CCON_SANITIZE_MULTILINE) == 0) {
		/* cJSON indents with tabs and puts one after each colon */
		for (size_t i = 0; i < clean.len; i++) {
			bool lead = i == 0 || clean.buf[i - 1] == '\n' || clean.buf[i - 1] == '\t';

			if (clean.buf[i] == '\t')
				ccon_strbuf_append(&v->text, lead ? "  " : " ", lead ? 2 : 1);
			else
				ccon_strbuf_putc(&v->text, clean.buf[i]);
		}
	}
	ccon_strbuf_free(&clean);
	cJSON_free(pretty);
	cJSON_Delete(json);
	v->top = 0;
	v->open = true;
}

static void draw_raw(struct report *r, WINDOW *w, struct rect a)
{
	struct raw_view *v = &r->raw;
	attr_t frame = colors_attr(AREA_TITLE), text = colors_attr(AREA_RAW);
	int body = a.h - 1, cols = a.w - 2;
	const char *s = ccon_strbuf_cstr(&v->text);

	if (cols < 1 || body < 1)
		return;
	if (v->wrap_cols != cols)
		raw_wrap(v, cols);
	if (v->top > (long)v->n_lines - body)
		v->top = (long)v->n_lines - body;
	if (v->top < 0)
		v->top = 0;
	draw_fill(w, a.y, a.x, a.w, frame);
	draw_textf(w, a.y, a.x, a.w, frame, DRAW_LEFT,
	           " Raw answer: lines %ld-%ld of %zu  (j/k/PgDn/PgUp/g/G scroll, Esc closes)",
	           v->n_lines ? v->top + 1 : 0, (long)v->top + (body < (long)v->n_lines - v->top
	                                                          ? body : (long)v->n_lines - v->top),
	           v->n_lines);
	for (int i = 0; i < body; i++) {
		size_t k = (size_t)v->top + (size_t)i;
		char line[4 * 1024 + 8];
		size_t len;

		draw_fill(w, a.y + 1 + i, a.x, a.w, text);
		if (k >= v->n_lines)
			continue;
		len = v->line_off[2 * k + 1];
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, s + v->line_off[2 * k], len);
		line[len] = '\0';
		draw_text(w, a.y + 1 + i, a.x + 1, cols, line, text, DRAW_LEFT);
	}
}

static bool raw_request(struct report *r, enum request req)
{
	struct raw_view *v = &r->raw;
	long page = r->pane.rows > 2 ? r->pane.rows - 2 : 1;

	switch (req) {
	case REQ_MOVE_DOWN:
		v->top++;
		break;
	case REQ_MOVE_UP:
		v->top--;
		break;
	case REQ_PAGE_DOWN:
		v->top += page;
		break;
	case REQ_PAGE_UP:
		v->top -= page;
		break;
	case REQ_MOVE_FIRST:
		v->top = 0;
		break;
	case REQ_MOVE_LAST:
		v->top = (long)v->n_lines;
		break;
	case REQ_BACK:
	case REQ_RAW_JSON:
	case REQ_VIEW_CLOSE:
		raw_free(v);
		break;
	case REQ_QUIT:
	case REQ_HELP:
	case REQ_REDRAW:
		return false;
	default:
		return true;
	}
	if (v->top < 0)
		v->top = 0;
	r->pane.dirty |= PANE_DIRTY_ALL;
	return true;
}

/* ------------------------------------------------------------ drawing */

static void report_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct report *r = (struct report *)p;
	const struct ccon_campaign_summary *s;
	size_t n_fail;
	int y, rows, fail_rows;
	bool side = a.w >= SIDE_BY_SIDE_MIN;
	const char *focus = ccon_model_focus_id(p->app->model);

	/* a pane over this one focused another campaign: ours again (the model
	 * dropped the filter with it) */
	if (!focus || strcmp(focus, r->id) != 0) {
		ccon_model_focus(p->app->model, r->id);
		r->filtered = false;
		r->want_n = 0;
	}
	s = ccon_model_focus_summary(p->app->model);
	p->rows = a.h;
	if (r->raw.open) {
		draw_raw(r, w, a);
		return;
	}
	if (p->dirty & PANE_DIRTY_HEAD)
		draw_head(r, w, a);
	if (!(p->dirty & PANE_DIRTY_BODY))
		return;
	y = draw_info(r, w, a.y + 1, a);
	ccon_model_failures(p->app->model, &n_fail);
	if (side) {
		int left = a.w / 2;

		draw_fill(w, y, a.x, left, colors_attr(AREA_HEADING));
		draw_text(w, y, a.x + 1, left - 1, "Funnel", colors_attr(AREA_HEADING), DRAW_LEFT);
		for (int i = 0; i < FUNNEL_ROWS; i++) {
			draw_funnel_row(w, y + 1 + i, a.x, left - 1, (size_t)i, s);
			draw_fill(w, y + 1 + i, a.x + left - 1, 1, A_NORMAL); /* the gap */
		}
		draw_failures(r, w, y, a.x + left, a.w - left, FUNNEL_ROWS);
		y += FUNNEL_ROWS + 1;
	} else {
		for (int i = 0; i < FUNNEL_ROWS; i++)
			draw_funnel_row(w, y + i, a.x, a.w, (size_t)i, s);
		y += FUNNEL_ROWS;
		fail_rows = n_fail < 1 ? 1 : n_fail > 4 ? 4 : (int)n_fail;
		if (a.y + a.h - y < fail_rows + 4)
			fail_rows = 1;
		draw_failures(r, w, y, a.x, a.w, fail_rows);
		y += fail_rows + 1;
	}
	rows = a.y + a.h - y - 2;
	if (rows < 0)
		rows = 0;
	p->rows = rows > 0 ? rows : 1;
	if (y + 2 <= a.y + a.h)
		draw_recipients(r, w, y, a, rows);
}

static void report_changed(struct pane *p, unsigned changes)
{
	if (changes & (CCON_MODEL_FOCUS | CCON_MODEL_AUDIENCE))
		p->dirty |= PANE_DIRTY_ALL;
	if (changes & CCON_MODEL_STATUS)
		p->dirty |= PANE_DIRTY_HEAD;
}

/* ------------------------------------------------------------ requests */

static void move_failures(struct report *r, long to)
{
	size_t n;

	ccon_model_failures(r->pane.app->model, &n);
	r->fail_sel = to >= (long)n ? (long)n - 1 : to;
	if (r->fail_sel < 0)
		r->fail_sel = 0;
}

static void move_recipients(struct report *r, int64_t to)
{
	int64_t total = ccon_model_audience_total(r->pane.app->model);

	if (total <= 0)
		return;
	r->rec_sel = to >= total ? total - 1 : to < 0 ? 0 : to;
}

static void list_group(struct report *r)
{
	size_t n;
	const struct ccon_failure_group *g = ccon_model_failures(r->pane.app->model, &n);

	if (r->fail_sel < 0 || r->fail_sel >= (long)n)
		return;
	g += r->fail_sel;
	/* a group without a code: every failed recipient (the API filters by
	 * code, and there is none to give) */
	ccon_model_audience_filter(r->pane.app->model, "failed", g->has_code, g->reason_code);
	r->filtered = true;
	r->filter_has_code = g->has_code;
	r->filter_code = g->reason_code;
	r->rec_sel = r->rec_top = 0;
	r->want_n = 0;
	r->focus = FOCUS_RECIPIENTS;
}

static void clear_group(struct report *r)
{
	ccon_model_audience_filter(r->pane.app->model, NULL, false, 0);
	r->filtered = false;
	r->rec_sel = r->rec_top = 0;
	r->want_n = 0;
}

static bool move_request(struct report *r, enum request req)
{
	bool fail = r->focus == FOCUS_FAILURES;
	long page = fail ? (r->fail_rows > 1 ? r->fail_rows - 1 : 1)
	                 : (r->pane.rows > 1 ? r->pane.rows - 1 : 1);
	int64_t at = fail ? r->fail_sel : r->rec_sel, to;

	switch (req) {
	case REQ_MOVE_DOWN:
		to = at + 1;
		break;
	case REQ_MOVE_UP:
		to = at - 1;
		break;
	case REQ_PAGE_DOWN:
		to = at + page;
		break;
	case REQ_PAGE_UP:
		to = at - page;
		break;
	case REQ_MOVE_FIRST:
		to = 0;
		break;
	case REQ_MOVE_LAST:
		to = INT64_MAX / 2;
		break;
	default:
		return false;
	}
	if (fail)
		move_failures(r, to > LONG_MAX / 2 ? LONG_MAX / 2 : (long)to);
	else
		move_recipients(r, to);
	r->pane.dirty |= PANE_DIRTY_ALL;
	return true;
}

static bool report_request(struct pane *p, enum request req)
{
	struct report *r = (struct report *)p;
	size_t n;

	if (r->raw.open)
		return raw_request(r, req);
	if (move_request(r, req))
		return true;
	switch (req) {
	case REQ_FOCUS_NEXT:
		ccon_model_failures(p->app->model, &n);
		r->focus = r->focus == FOCUS_FAILURES || n == 0 ? FOCUS_RECIPIENTS : FOCUS_FAILURES;
		if (n == 0)
			app_message(p->app, "no failures to move to");
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	case REQ_ENTER:
		if (r->focus == FOCUS_FAILURES)
			list_group(r);
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	case REQ_RECIPIENTS_ALL:
		if (r->filtered)
			clear_group(r);
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	case REQ_RAW_JSON: {
		size_t len;
		const char *raw = ccon_model_last_raw(p->app->model, &len);

		if (!len) {
			app_message(p->app, "no answer yet");
			return true;
		}
		raw_open(&r->raw, raw, len);
		p->dirty |= PANE_DIRTY_ALL;
		return true;
	}
	default:
		return false;
	}
}

/* ------------------------------------------------------------ commands */

static bool cmd_cancel(struct report *r)
{
	const struct ccon_campaign_summary *s = ccon_model_focus_summary(r->pane.app->model);

	cancel_ask(r->pane.app, r->id, s ? s->name : NULL, s ? s->status : NULL,
	           s && s->has_counts ? (long long)s->counts.pending : -1);
	return true;
}

static void export_done(void *ctx, const struct ccon_error *err)
{
	struct report *r = ctx;
	struct ccon_export_progress ep;

	ccon_model_export_progress(r->export, &ep);
	if (err->code == CCON_E_OK)
		app_message(r->pane.app, "exported %lld recipient rows to %s", (long long)ep.rows,
		            ccon_model_export_path(r->export));
	else
		app_error(r->pane.app, "export failed: %s", err->message);
	ccon_model_export_free(r->export);
	r->export = NULL;
	r->pane.dirty |= PANE_DIRTY_HEAD;
}

static bool cmd_export(struct report *r, const char *args, char *msg, size_t size)
{
	struct ccon_error err;
	char path[4096];

	if (r->export) {
		app_error(r->pane.app, "export: one is running, to %s",
		          ccon_model_export_path(r->export));
		return true;
	}
	cmdline_path(args ? args : "", path, sizeof(path));
	if (!path[0]) {
		app_error(r->pane.app, "usage: :export FILE (FILE.json for JSON, else CSV)");
		return true;
	}
	ccon_error_clear(&err);
	if (ccon_model_export(r->pane.app->model, path, ccon_export_format_of(path), export_done, r,
	                      &r->export, &err)) {
		app_error(r->pane.app, "export failed: %s", err.message);
		return true;
	}
	snprintf(msg, size, "exporting to %s", path);
	r->pane.dirty |= PANE_DIRTY_HEAD;
	return true;
}

static bool report_command(struct pane *p, const char *name, const char *args, char *msg,
                           size_t size)
{
	struct report *r = (struct report *)p;

	if (strcmp(name, "export") == 0)
		return cmd_export(r, args, msg, size);
	if (strcmp(name, "cancel") == 0)
		return cmd_cancel(r);
	return false;
}

static void report_close(struct pane *p)
{
	struct report *r = (struct report *)p;

	if (r->export) {
		app_message(p->app, "export to %s stopped", ccon_model_export_path(r->export));
		ccon_model_export_free(r->export);
	}
	raw_free(&r->raw);
	ccon_model_focus(p->app->model, NULL);
	free(r->id);
	free(r);
}

static const struct pane_ops report_ops = {
	.name = "Report",
	.changed = report_changed,
	.draw = report_draw,
	.request = report_request,
	.command = report_command,
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
	ccon_strbuf_init(&r->raw.text);
	ccon_model_focus(app->model, campaign_id);
	return &r->pane;
}
