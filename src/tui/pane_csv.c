/* pane_csv.c - the CSV import preview: the rows of a CSV file drawn from
 * libccon's lazy preview (csv_preview.h: the first screen from the first
 * block, the record index built in the background through the pane's work
 * op), validation of the whole file in the background with the importer
 * (progress, rows/s, ETA; Esc cancels), the counts of valid, invalid and
 * duplicate rows, the error list (Enter jumps to the row), and the layout
 * mapping editor with the resolved contact of the current row
 * (pane_csv_map.c). Commands: :save-layout FILE, :load-layout FILE,
 * :delimiter , | ; | tab | detect, :header yes | no | detect.
 *
 * CCON_BENCH_LOG=FILE (for bench/csv_preview.sh): the pane appends
 * "open T", "first-rows T" and "validated T ROWS" lines to FILE, T the
 * CLOCK_REALTIME seconds, when it opens, when it first drew rows, and when
 * the first validation finished. */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "cmdline.h"
#include "colors.h"
#include "draw.h"
#include "pane_csv_map.h"

#include <ccon/csv_preview.h>
#include <ccon/layout_map.h>
#include <ccon/strbuf.h>
#include <ccon/client.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STEP_BYTES (256 * 1024)
#define REDRAW_MS 100            /* background progress: at most ~10 redraws a second */
#define COL_MAX 20               /* widest column of the rows table */
#define SAMPLE_ROWS 40           /* rows the column widths are taken from */
#define MAP_MIN_WIDTH 90         /* narrower, the mapping shows only when focused */
#define MAX_COLUMNS 64           /* columns the rows table can show */

enum csv_focus { FOCUS_ROWS, FOCUS_MAP, FOCUS_ERRORS, FOCUS__COUNT };

struct csv {
	struct pane pane;
	char *path;
	pane_csv_use_cb use;
	void *use_ctx;
	struct ccon_csv_preview_options opts;
	struct ccon_csv_preview *pv;
	struct csv_map *map;
	char **columns;              /* the header, or column1..N without one */
	size_t n_columns;
	int widths[MAX_COLUMNS];
	/* validation: the layout it runs with must outlive it */
	struct ccon_layout layout;
	bool have_layout;
	struct ccon_csv_validation *val;
	unsigned val_version;        /* the mapping's version it started with */
	char val_why[320];           /* why none runs ("" when one does) */
	enum csv_focus focus;
	long sel, top;
	long err_sel, err_top;
	int err_rows;
	int64_t last_mark_ms;
	bool index_failed, val_failed;
	/* CCON_BENCH_LOG */
	const char *bench_log;
	bool logged_rows, logged_valid;
};

/* ------------------------------------------------------------ helpers */

static void bench_log(struct csv *c, const char *what, size_t rows)
{
	struct timespec ts;
	FILE *f;

	if (!c->bench_log || !(f = fopen(c->bench_log, "a")))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(f, "%s %lld.%09ld %zu\n", what, (long long)ts.tv_sec, ts.tv_nsec, rows);
	fclose(f);
}

static void fmt_count(size_t n, char *buf, size_t size)
{
	char tmp[32];
	size_t len, k = 0;

	snprintf(tmp, sizeof(tmp), "%zu", n);
	len = strlen(tmp);
	for (size_t i = 0; i < len && k + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
}

static void free_columns(struct csv *c)
{
	for (size_t i = 0; i < c->n_columns; i++)
		free(c->columns[i]);
	free(c->columns);
	c->columns = NULL;
	c->n_columns = 0;
}

static const char *delimiter_name(char d)
{
	return d == '\t' ? "tab" : d == ';' ? "';'" : "','";
}

/* ------------------------------------------------------------ header */

static int add_column(struct csv *c, const char *name, size_t len)
{
	char **p = realloc(c->columns, (c->n_columns + 1) * sizeof(*p));

	if (!p)
		return -1;
	c->columns = p;
	if (!(p[c->n_columns] = malloc(len + 1)))
		return -1;
	memcpy(p[c->n_columns], name, len);
	p[c->n_columns][len] = '\0';
	c->n_columns++;
	return 0;
}

/* The header's names (column1..N, the importer's, without one) and the
 * widths of the rows table from them and the first rows. */
static int load_header(struct csv *c, struct ccon_error *err)
{
	struct ccon_csv_row row;
	size_t n;

	free_columns(c);
	if (ccon_csv_preview_header(c->pv, &row, err) < 0)
		return -1;
	for (size_t i = 0; i < row.n_fields; i++)
		if (add_column(c, row.fields[i], row.lens[i]) < 0)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (!ccon_csv_preview_has_header(c->pv)) {
		struct ccon_error e;

		n = ccon_csv_preview_row(c->pv, 0, &row, &e) == 0 ? row.n_fields : 1;
		for (size_t i = 0; i < n; i++) {
			char name[32];

			snprintf(name, sizeof(name), "column%zu", i + 1);
			if (add_column(c, name, strlen(name)) < 0)
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		}
	}
	for (size_t i = 0; i < MAX_COLUMNS; i++)
		c->widths[i] = i < c->n_columns ? draw_width(c->columns[i]) : 0;
	for (size_t r = 0; r < SAMPLE_ROWS; r++) {
		struct ccon_error e;

		if (ccon_csv_preview_row(c->pv, r, &row, &e) < 0) {
			if (e.code == CCON_E_INVALID_ARGUMENT)
				break;
			continue;
		}
		for (size_t i = 0; i < row.n_fields && i < c->n_columns && i < MAX_COLUMNS; i++) {
			int w = draw_width(row.fields[i]);

			if (w > c->widths[i])
				c->widths[i] = w;
		}
	}
	for (size_t i = 0; i < MAX_COLUMNS; i++) {
		if (c->widths[i] > COL_MAX)
			c->widths[i] = COL_MAX;
		if (i < c->n_columns && c->widths[i] < 3)
			c->widths[i] = 3;
	}
	return 0;
}

/* ------------------------------------------------------------ validation */

static void stop_validation(struct csv *c)
{
	ccon_csv_validation_free(c->val);
	c->val = NULL;
	c->val_failed = false;
	if (c->have_layout)
		ccon_layout_free(&c->layout);
	c->have_layout = false;
	c->err_sel = c->err_top = 0;
}

/* Validates the whole file again with the mapping as it is now. */
static void start_validation(struct csv *c)
{
	struct ccon_error err;

	stop_validation(c);
	c->val_version = csv_map_version(c->map);
	c->val_why[0] = '\0';
	ccon_error_clear(&err);
	if (ccon_layout_map_build(csv_map_model(c->map), &c->layout, &err) < 0) {
		snprintf(c->val_why, sizeof(c->val_why), "Not validated: the layout is incomplete: %.100s: %.150s",
		         err.path, err.message);
		return;
	}
	c->have_layout = true;
	if (ccon_csv_validation_new(c->pv, &c->layout, &c->val, &err) < 0)
		snprintf(c->val_why, sizeof(c->val_why), "Not validated: %s", err.message);
	c->pane.dirty |= PANE_DIRTY_ALL;
}

/* ------------------------------------------------------------ opening */

static int reopen(struct csv *c, const struct ccon_csv_preview_options *opts,
                  struct ccon_error *err)
{
	struct ccon_csv_preview *pv;

	if (ccon_csv_preview_open(c->path, opts, &pv, err) < 0)
		return -1;
	stop_validation(c);
	ccon_csv_preview_close(c->pv);
	c->pv = pv;
	c->opts = *opts;
	c->index_failed = false;
	if (load_header(c, err) < 0)
		return -1;
	if (c->map)
		csv_map_set_columns(c->map, (const char *const *)c->columns, c->n_columns);
	c->sel = c->top = 0;
	c->pane.dirty |= PANE_DIRTY_ALL;
	return 0;
}

/* ------------------------------------------------------------ drawing */

static void draw_head(struct csv *c, WINDOW *w, int y, struct rect a)
{
	size_t rows = ccon_csv_preview_rows_known(c->pv);
	bool done = ccon_csv_preview_indexed(c->pv);
	uint64_t size = ccon_csv_preview_file_size(c->pv);
	char count[32], right[96];
	int rw;

	fmt_count(rows, count, sizeof(count));
	if (done)
		snprintf(right, sizeof(right), "%s rows", count);
	else
		snprintf(right, sizeof(right), "%s+ rows, indexing %d%%", count,
		         size ? (int)(100 * ccon_csv_preview_bytes_indexed(c->pv) / size) : 100);
	snprintf(right + strlen(right), sizeof(right) - strlen(right), "  delimiter %s  header %s%s",
	         delimiter_name(ccon_csv_preview_delimiter(c->pv)),
	         ccon_csv_preview_has_header(c->pv) ? "yes" : "no",
	         ccon_csv_preview_had_bom(c->pv) ? "  BOM" : "");
	rw = draw_width(right);
	if (rw > a.w * 2 / 3)
		rw = a.w * 2 / 3;
	draw_fill(w, y, a.x, a.w, A_NORMAL);
	draw_textf(w, y, a.x, a.w - rw - 1, A_BOLD, DRAW_LEFT, " CSV preview: %s", c->path);
	draw_text(w, y, a.x + a.w - rw - 1, rw + 1, right, colors_attr(AREA_DIM), DRAW_RIGHT);
}

static void fmt_seconds(double s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "?");
	else if (s < 10)
		snprintf(buf, size, "%.1f s", s);
	else if (s < 120)
		snprintf(buf, size, "%.0f s", s);
	else
		snprintf(buf, size, "%.0f min", s / 60);
}

static void draw_progress(struct csv *c, WINDOW *w, int y, struct rect a)
{
	struct ccon_csv_progress pr;
	char valid[32], invalid[32], dup[32], rows[32], rate[32], eta[32], bar[64];
	int pct, x = a.x + 1, bw = 20;

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	if (!c->val) {
		draw_text(w, y, a.x + 1, a.w - 1, c->val_why, colors_attr(AREA_STATUS_WARN), DRAW_LEFT);
		return;
	}
	ccon_csv_validation_progress(c->val, &pr);
	fmt_count(pr.valid, valid, sizeof(valid));
	fmt_count(pr.invalid, invalid, sizeof(invalid));
	fmt_count(pr.duplicates, dup, sizeof(dup));
	fmt_count(pr.rows_done, rows, sizeof(rows));
	pct = pr.total_bytes ? (int)(100 * pr.bytes_done / pr.total_bytes) : 100;
	if (pr.done && !pr.cancelled) {
		fmt_seconds(pr.elapsed, eta, sizeof(eta));
		draw_textf(w, y, x, a.w - 1, pr.invalid ? colors_attr(AREA_STATUS_WARN) : A_NORMAL,
		           DRAW_LEFT, "Validated %s rows in %s: valid %s  invalid %s  duplicates %s",
		           rows, eta, valid, invalid, dup);
		return;
	}
	if (pr.cancelled) {
		draw_textf(w, y, x, a.w - 1, colors_attr(AREA_STATUS_WARN), DRAW_LEFT,
		           "Validation cancelled at %d%% (v runs it again): valid %s  invalid %s  "
		           "duplicates %s", pct, valid, invalid, dup);
		return;
	}
	for (int i = 0; i < bw; i++)
		bar[i] = i < pct * bw / 100 ? '#' : '.';
	bar[bw] = '\0';
	/* before the first step, no rate is known yet: it says so */
	if (pr.rows_done)
		fmt_count((size_t)pr.rows_per_s, rate, sizeof(rate));
	else
		snprintf(rate, sizeof(rate), "?");
	fmt_seconds(pr.eta, eta, sizeof(eta));
	draw_textf(w, y, x, a.w - 1, A_NORMAL, DRAW_LEFT,
	           "Validating [%s] %3d%%  %s rows/s  ETA %s  valid %s  invalid %s  duplicates %s"
	           "  (Esc cancels)", bar, pct, rate, eta, valid, invalid, dup);
}

static void draw_encoding(struct csv *c, WINDOW *w, int y, struct rect a)
{
	const struct ccon_error *e = ccon_csv_preview_encoding_error(c->pv);

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	draw_textf(w, y, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT,
	           "Not UTF-8: line %ld, field %ld: %s", e->line, e->column, e->message);
}

static void clamp_rows(struct csv *c, int rows)
{
	long known = (long)ccon_csv_preview_rows_known(c->pv);

	if (ccon_csv_preview_indexed(c->pv) && c->sel >= known)
		c->sel = known - 1;
	if (c->sel < 0)
		c->sel = 0;
	if (c->sel < c->top)
		c->top = c->sel;
	if (rows > 0 && c->sel >= c->top + rows)
		c->top = c->sel - rows + 1;
	if (c->top < 0)
		c->top = 0;
}

/* Columns widen (up to COL_MAX) for the rows on screen. */
static void fit_widths(struct csv *c, int rows)
{
	for (int r = 0; r < rows; r++) {
		struct ccon_csv_row row;
		struct ccon_error e;

		if (ccon_csv_preview_row(c->pv, (size_t)(c->top + r), &row, &e) < 0)
			continue;
		for (size_t i = 0; i < row.n_fields && i < MAX_COLUMNS; i++) {
			int cw = draw_width(row.fields[i]);

			if (cw > c->widths[i])
				c->widths[i] = cw < COL_MAX ? cw : COL_MAX;
		}
	}
}

/* The rows table; true when a row was drawn. */
static bool draw_rows(struct csv *c, WINDOW *w, int y, struct rect a, int rows)
{
	attr_t heading = colors_attr(AREA_HEADING);
	bool any = false, focused = c->focus == FOCUS_ROWS;
	int x = a.x + 8;

	fit_widths(c, rows);
	draw_fill(w, y, a.x, a.w, heading);
	draw_text(w, y, a.x, 7, focused ? "> Line" : "  Line", heading, DRAW_RIGHT);
	for (size_t i = 0; i < c->n_columns && i < MAX_COLUMNS && x < a.x + a.w; i++) {
		int cw = c->widths[i] < a.x + a.w - x ? c->widths[i] : a.x + a.w - x;

		draw_text(w, y, x, cw, c->columns[i], heading, DRAW_LEFT);
		x += c->widths[i] + 1;
	}
	for (int r = 0; r < rows; r++) {
		long k = c->top + r;
		int yy = y + 1 + r;
		struct ccon_csv_row row;
		struct ccon_error e;
		attr_t base = focused && k == c->sel ? colors_attr(AREA_CURSOR) : A_NORMAL;

		draw_fill(w, yy, a.x, a.w, base);
		if (ccon_csv_preview_row(c->pv, (size_t)k, &row, &e) < 0) {
			if (e.code == CCON_E_INVALID_ARGUMENT) {
				if (k == 0)
					draw_text(w, yy, a.x + 2, a.w - 2, "No rows.", colors_attr(AREA_DIM),
					          DRAW_LEFT);
				continue;
			}
			any = true;
			draw_textf(w, yy, a.x, 7, base, DRAW_RIGHT, "%ld", e.line);
			draw_text(w, yy, a.x + 8, a.w - 8, e.message, base | colors_attr(AREA_ERROR),
			          DRAW_LEFT);
			continue;
		}
		any = true;
		draw_textf(w, yy, a.x, 7, base | colors_attr(AREA_DIM), DRAW_RIGHT, "%ld", row.line);
		x = a.x + 8;
		for (size_t i = 0; i < row.n_fields && i < MAX_COLUMNS && x < a.x + a.w; i++) {
			int cw = c->widths[i] ? c->widths[i] : 3;

			if (cw > a.x + a.w - x)
				cw = a.x + a.w - x;
			draw_text(w, yy, x, cw, row.fields[i], base, DRAW_LEFT);
			x += cw + 1;
		}
	}
	return any;
}

static void clamp_errors(struct csv *c, size_t n)
{
	if (c->err_sel >= (long)n)
		c->err_sel = (long)n - 1;
	if (c->err_sel < 0)
		c->err_sel = 0;
	if (c->err_sel < c->err_top)
		c->err_top = c->err_sel;
	if (c->err_rows > 0 && c->err_sel >= c->err_top + c->err_rows)
		c->err_top = c->err_sel - c->err_rows + 1;
	if (c->err_top < 0)
		c->err_top = 0;
}

static void draw_errors(struct csv *c, WINDOW *w, int y, struct rect a, int rows)
{
	size_t n = 0;
	const struct ccon_error *errs = c->val ? ccon_csv_validation_errors(c->val, &n) : NULL;
	struct ccon_csv_progress pr;
	attr_t heading = colors_attr(AREA_HEADING);
	bool focused = c->focus == FOCUS_ERRORS;
	char total[32];

	c->err_rows = rows;
	clamp_errors(c, n);
	if (c->val)
		ccon_csv_validation_progress(c->val, &pr);
	fmt_count(c->val ? pr.errors : 0, total, sizeof(total));
	draw_fill(w, y, a.x, a.w, heading);
	draw_textf(w, y, a.x + 1, a.w - 1, heading, DRAW_LEFT, "%sErrors: %s%s%s",
	           focused ? "> " : "", total,
	           c->val && pr.errors > n ? " (the first ones listed)" : "",
	           n ? (focused ? "  (Enter jumps to the row)" : "  (Tab)") : "");
	for (int i = 0; i < rows; i++) {
		long k = c->err_top + i;
		int yy = y + 1 + i;
		attr_t base = focused && k == c->err_sel ? colors_attr(AREA_CURSOR) : A_NORMAL;
		char where[64];

		draw_fill(w, yy, a.x, a.w, base);
		if (!errs || k >= (long)n)
			continue;
		if (errs[k].column)
			snprintf(where, sizeof(where), "line %ld col %ld", errs[k].line, errs[k].column);
		else
			snprintf(where, sizeof(where), "line %ld", errs[k].line);
		draw_text(w, yy, a.x + 1, 20, where, base | A_BOLD, DRAW_LEFT);
		draw_textf(w, yy, a.x + 22, a.w - 22, base, DRAW_LEFT, "%s%s%s", errs[k].path,
		           errs[k].path[0] ? ": " : "", errs[k].message);
	}
}

static void draw_map(struct csv *c, WINDOW *w, struct rect m)
{
	struct ccon_csv_row row;
	struct ccon_error e;
	char why[300];

	ccon_error_clear(&e);
	if (ccon_csv_preview_row(c->pv, (size_t)c->sel, &row, &e) == 0) {
		csv_map_draw(c->map, w, m, c->focus == FOCUS_MAP, &row, NULL);
		return;
	}
	if (e.code == CCON_E_INVALID_ARGUMENT)
		snprintf(why, sizeof(why), "no row");
	else
		snprintf(why, sizeof(why), "line %ld: %s", e.line, e.message);
	csv_map_draw(c->map, w, m, c->focus == FOCUS_MAP, NULL, why);
}

static void csv_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct csv *c = (struct csv *)p;
	size_t n_err = 0;
	int y = a.y, body, err_h = 0, map_w = 0, rows;
	struct rect left, right;

	draw_head(c, w, y++, a);
	draw_progress(c, w, y++, a);
	if (ccon_csv_preview_encoding_error(c->pv))
		draw_encoding(c, w, y++, a);
	if (c->val)
		ccon_csv_validation_errors(c->val, &n_err);
	if (n_err)
		err_h = c->focus == FOCUS_ERRORS ? (a.h - (y - a.y)) / 2 : 1 + (n_err < 4 ? (int)n_err : 4);
	body = a.y + a.h - y - err_h;
	if (body < 2) {
		err_h = 0;
		body = a.y + a.h - y;
	}
	if (a.w >= MAP_MIN_WIDTH)
		map_w = a.w * 2 / 5;
	else if (c->focus == FOCUS_MAP)
		map_w = a.w;
	left = (struct rect){ y, a.x, body, a.w - map_w - (map_w && map_w < a.w ? 1 : 0) };
	right = (struct rect){ y, a.x + a.w - map_w, body, map_w };
	rows = body - 1;
	p->rows = rows > 0 ? rows : 1;
	clamp_rows(c, rows);
	if (left.w > 0 && draw_rows(c, w, y, left, rows) && !c->logged_rows) {
		c->logged_rows = true;
		bench_log(c, "first-rows", ccon_csv_preview_rows_known(c->pv));
	}
	if (map_w) {
		if (map_w < a.w)
			for (int i = 0; i < body; i++)
				draw_text(w, y + i, right.x - 1, 1, "|", colors_attr(AREA_DIM), DRAW_LEFT);
		draw_map(c, w, right);
	}
	if (err_h)
		draw_errors(c, w, y + body, a, err_h - 1);
}

/* ------------------------------------------------------------ work */

static bool csv_work(struct pane *p, long budget_ms)
{
	struct csv *c = (struct csv *)p;
	int64_t start = ccon_monotonic_ms(), now;
	struct ccon_error err;
	bool finished = false, more = true, worked = false;

	do {
		bool any = false;
		int rc;

		if (!c->index_failed && !ccon_csv_preview_indexed(c->pv)) {
			any = true;
			ccon_error_clear(&err);
			rc = ccon_csv_preview_index_step(c->pv, STEP_BYTES, &err);
			finished |= rc != 0;
			if (rc < 0) {
				c->index_failed = true;
				app_error(p->app, "%s: %s", c->path, err.message);
			}
		}
		if (c->val && !c->val_failed) {
			struct ccon_csv_progress pr;

			ccon_csv_validation_progress(c->val, &pr);
			if (!pr.done) {
				any = true;
				ccon_error_clear(&err);
				rc = ccon_csv_validation_step(c->val, STEP_BYTES, &err);
				finished |= rc != 0;
				if (rc < 0) {
					c->val_failed = true;
					app_error(p->app, "validation: %s", err.message);
				}
			}
		}
		now = ccon_monotonic_ms();
		if (!any && !worked)
			return false;         /* idle: nothing to draw either */
		if (!any) {
			more = false;
			break;
		}
		worked = true;
	} while (now - start < budget_ms);
	if (c->val && !c->logged_valid) {
		struct ccon_csv_progress pr;

		ccon_csv_validation_progress(c->val, &pr);
		if (pr.done && !pr.cancelled) {
			c->logged_valid = true;
			bench_log(c, "validated", pr.rows_done);
			finished = true;
		}
	}
	if (finished || now - c->last_mark_ms >= REDRAW_MS) {
		c->last_mark_ms = now;
		p->dirty |= PANE_DIRTY_ALL;
	}
	return more;
}

/* ------------------------------------------------------------ requests */

static void jump_to_error(struct csv *c)
{
	size_t n = 0;
	const struct ccon_error *errs = c->val ? ccon_csv_validation_errors(c->val, &n) : NULL;
	long row;

	if (c->err_sel < 0 || c->err_sel >= (long)n)
		return;
	row = ccon_csv_preview_row_at_line(c->pv, errs[c->err_sel].line);
	if (row < 0) {
		app_message(c->pane.app, "line %ld is the header", errs[c->err_sel].line);
		return;
	}
	c->sel = row;
	/* the row a little under the top, with its neighbours in sight */
	c->top = row > 2 ? row - 2 : 0;
	c->focus = FOCUS_ROWS;
}

static bool move_rows(struct csv *c, enum request req)
{
	long page = c->pane.rows > 1 ? c->pane.rows - 1 : 1;
	long known = (long)ccon_csv_preview_rows_known(c->pv);

	switch (req) {
	case REQ_MOVE_DOWN:
		c->sel++;
		break;
	case REQ_MOVE_UP:
		c->sel--;
		break;
	case REQ_PAGE_DOWN:
		c->sel += page;
		c->top += page;
		break;
	case REQ_PAGE_UP:
		c->sel -= page;
		c->top -= page;
		break;
	case REQ_MOVE_FIRST:
		c->sel = c->top = 0;
		break;
	case REQ_MOVE_LAST:
		if (!ccon_csv_preview_indexed(c->pv))
			app_message(c->pane.app, "still indexing: the last row known so far");
		c->sel = known - 1;
		break;
	default:
		return false;
	}
	/* a row past what is indexed yet: as far as the index goes */
	if (!ccon_csv_preview_indexed(c->pv) && c->sel >= known) {
		struct ccon_csv_row row;
		struct ccon_error e;

		if (ccon_csv_preview_row(c->pv, (size_t)c->sel, &row, &e) < 0 &&
		    e.code == CCON_E_INVALID_ARGUMENT)
			c->sel = (long)ccon_csv_preview_rows_known(c->pv) - 1;
	}
	if (c->top < 0)
		c->top = 0;
	return true;
}

static bool move_errors(struct csv *c, enum request req)
{
	long page = c->err_rows > 1 ? c->err_rows - 1 : 1;

	switch (req) {
	case REQ_MOVE_DOWN:
		c->err_sel++;
		break;
	case REQ_MOVE_UP:
		c->err_sel--;
		break;
	case REQ_PAGE_DOWN:
		c->err_sel += page;
		break;
	case REQ_PAGE_UP:
		c->err_sel -= page;
		break;
	case REQ_MOVE_FIRST:
		c->err_sel = 0;
		break;
	case REQ_MOVE_LAST:
		c->err_sel = LONG_MAX / 2;
		break;
	case REQ_ENTER:
		jump_to_error(c);
		break;
	default:
		return false;
	}
	return true;
}

static void use_file(struct csv *c)
{
	struct ccon_layout l;
	struct ccon_error err;
	struct pane *w;

	ccon_error_clear(&err);
	if (ccon_layout_map_build(csv_map_model(c->map), &l, &err) < 0) {
		app_error(c->pane.app, "the layout is incomplete: %s: %s", err.path, err.message);
		return;
	}
	if (!ccon_csv_preview_has_header(c->pv)) {
		app_error(c->pane.app, "this file has no header line: a seed 001 layout names its "
		                       "columns, so it cannot be sent as it is (add a header, or "
		                       ":header yes if the first line is one)");
		ccon_layout_free(&l);
		return;
	}
	if (c->use) {
		c->use(c->use_ctx, c->path, &l);
	} else if ((w = pane_wizard_open(c->pane.app, NULL, c->path, &l))) {
		app_push(c->pane.app, w);
	}
	ccon_layout_free(&l);
}

static void cycle_focus(struct csv *c, int step)
{
	size_t n = 0;

	if (c->val)
		ccon_csv_validation_errors(c->val, &n);
	do
		c->focus = (enum csv_focus)(((int)c->focus + step + FOCUS__COUNT) % FOCUS__COUNT);
	while (c->focus == FOCUS_ERRORS && n == 0);
}

static bool csv_request(struct pane *p, enum request req)
{
	struct csv *c = (struct csv *)p;
	bool taken = true;

	switch (req) {
	case REQ_BACK:
		if (c->val) {
			struct ccon_csv_progress pr;

			ccon_csv_validation_progress(c->val, &pr);
			if (!pr.done) {
				ccon_csv_validation_cancel(c->val);
				app_message(p->app, "validation cancelled");
				break;
			}
		}
		return false;
	case REQ_FOCUS_NEXT:
		cycle_focus(c, 1);
		break;
	case REQ_FOCUS_PREV:
		cycle_focus(c, -1);
		break;
	case REQ_CSV_VALIDATE:
		start_validation(c);
		break;
	case REQ_CSV_USE:
		use_file(c);
		break;
	case REQ_CSV_MAP_COLUMN:
	case REQ_CSV_MAP_FIXED:
	case REQ_AUDIENCE_FIELD_ADD:
	case REQ_AUDIENCE_FIELD_REMOVE:
	case REQ_EDIT:
		taken = csv_map_request(c->map, req);
		break;
	default:
		if (c->focus == FOCUS_MAP)
			taken = csv_map_request(c->map, req);
		else if (c->focus == FOCUS_ERRORS)
			taken = move_errors(c, req);
		else
			taken = move_rows(c, req);
		break;
	}
	if (taken)
		p->dirty |= PANE_DIRTY_ALL;
	return taken;
}

/* The pane draws from the file, not from the server's model. */
static void csv_changed(struct pane *p, unsigned changes)
{
	(void)p;
	(void)changes;
}

/* ------------------------------------------------------------ commands */

static bool cmd_save(struct csv *c, const char *args, char *msg, size_t size)
{
	char path[4096];
	struct ccon_error err;

	cmdline_path(args, path, sizeof(path));
	if (!path[0]) {
		app_error(c->pane.app, "usage: :save-layout FILE");
		return true;
	}
	ccon_error_clear(&err);
	if (ccon_layout_map_save_file(csv_map_model(c->map), path, &err) < 0) {
		if (err.path[0])
			app_error(c->pane.app, "save-layout: the layout is incomplete: %s: %s", err.path,
			          err.message);
		else
			app_error(c->pane.app, "save-layout: %s", err.message);
		return true;
	}
	snprintf(msg, size, "layout saved to %s", path);
	return true;
}

static bool cmd_load(struct csv *c, const char *args, char *msg, size_t size)
{
	char path[4096];

	cmdline_path(args, path, sizeof(path));
	if (!path[0]) {
		app_error(c->pane.app, "usage: :load-layout FILE");
		return true;
	}
	return csv_map_load(c->map, path, msg, size);
}

static bool cmd_format(struct csv *c, const char *name, const char *args, char *msg, size_t size)
{
	struct ccon_csv_preview_options o = c->opts;
	struct ccon_error err;
	bool delim = strcmp(name, "delimiter") == 0;

	if (delim) {
		if (strcmp(args, ",") == 0 || strcmp(args, "comma") == 0)
			o.delimiter = ',';
		else if (strcmp(args, ";") == 0 || strcmp(args, "semicolon") == 0)
			o.delimiter = ';';
		else if (strcmp(args, "tab") == 0 || strcmp(args, "\\t") == 0)
			o.delimiter = '\t';
		else if (strcmp(args, "detect") == 0)
			o.delimiter = 0;
		else {
			app_error(c->pane.app, "usage: :delimiter , | ; | tab | detect");
			return true;
		}
	} else {
		if (strcmp(args, "yes") == 0)
			o.header = CCON_CSV_HEADER_YES;
		else if (strcmp(args, "no") == 0)
			o.header = CCON_CSV_HEADER_NO;
		else if (strcmp(args, "detect") == 0)
			o.header = CCON_CSV_HEADER_DETECT;
		else {
			app_error(c->pane.app, "usage: :header yes | no | detect");
			return true;
		}
	}
	ccon_error_clear(&err);
	if (reopen(c, &o, &err) < 0) {
		app_error(c->pane.app, "%s: %s", c->path, err.message);
		return true;
	}
	start_validation(c);
	snprintf(msg, size, "delimiter %s, header %s", delimiter_name(ccon_csv_preview_delimiter(c->pv)),
	         ccon_csv_preview_has_header(c->pv) ? "yes" : "no");
	return true;
}

static bool csv_command(struct pane *p, const char *name, const char *args, char *msg,
                        size_t size)
{
	struct csv *c = (struct csv *)p;
	bool taken;

	if (strcmp(name, "save-layout") == 0)
		return cmd_save(c, args, msg, size);
	if (strcmp(name, "load-layout") == 0)
		taken = cmd_load(c, args, msg, size);
	else if (strcmp(name, "delimiter") == 0 || strcmp(name, "header") == 0)
		return cmd_format(c, name, args, msg, size);
	else
		return false;
	p->dirty |= PANE_DIRTY_ALL;
	return taken;
}

/* ------------------------------------------------------------ life */

/* A changed mapping starts the validation over with the new layout (the
 * prompt's callbacks only mark it changed); then the background work. */
static bool csv_work_and_mapping(struct pane *p, long budget_ms)
{
	struct csv *c = (struct csv *)p;

	if (csv_map_version(c->map) != c->val_version)
		start_validation(c);
	return csv_work(p, budget_ms);
}

static void csv_close(struct pane *p)
{
	struct csv *c = (struct csv *)p;

	stop_validation(c);
	csv_map_free(c->map);
	ccon_csv_preview_close(c->pv);
	free_columns(c);
	free(c->path);
	free(c);
}

static const struct pane_ops csv_ops = {
	.name = "CSV",
	.changed = csv_changed,
	.draw = csv_draw,
	.request = csv_request,
	.command = csv_command,
	.work = csv_work_and_mapping,
	.close = csv_close,
};

struct pane *pane_csv_open(struct app *app, const char *path, const struct ccon_template_vars *vars,
                           const struct ccon_layout *layout, pane_csv_use_cb use, void *ctx)
{
	struct csv *c = calloc(1, sizeof(*c));
	struct ccon_csv_preview_options o = { 0, CCON_CSV_HEADER_DETECT };
	struct ccon_error err;

	if (!c || !(c->path = strdup(path))) {
		free(c);
		app_error(app, "out of memory");
		return NULL;
	}
	c->pane.ops = &csv_ops;
	c->pane.app = app;
	c->pane.dirty = PANE_DIRTY_ALL;
	c->use = use;
	c->use_ctx = ctx;
	c->bench_log = getenv("CCON_BENCH_LOG");
	bench_log(c, "open", 0);
	ccon_error_clear(&err);
	if (ccon_csv_preview_open(path, &o, &c->pv, &err) < 0 || load_header(c, &err) < 0 ||
	    !(c->map = csv_map_new(&c->pane, (const char *const *)c->columns, c->n_columns))) {
		app_error(app, "%s: %s", path, err.code != CCON_E_OK ? err.message : "out of memory");
		csv_close(&c->pane);
		return NULL;
	}
	c->opts = o;
	if (layout && ccon_layout_map_load(csv_map_model(c->map), layout, &err) < 0)
		app_error(app, "the wizard's layout: %s", err.message);
	if (vars)
		csv_map_set_vars(c->map, vars);
	start_validation(c);
	return &c->pane;
}
