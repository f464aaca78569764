/* table.c - aligned tables by display width. */
#include "config.h"

#include "table.h"

#include <ccon/sanitize.h>

#include <stdlib.h>
#include <string.h>

void cli_table_init(struct cli_table *t, size_t n_cols, const char *const *heads,
                    const bool *right)
{
	memset(t, 0, sizeof(*t));
	t->n_cols = n_cols < CLI_TABLE_MAX_COLS ? n_cols : CLI_TABLE_MAX_COLS;
	for (size_t i = 0; i < t->n_cols; i++) {
		t->heads[i] = heads[i];
		t->right[i] = right && right[i];
	}
}

int cli_table_add(struct cli_table *t, const char *const *cells)
{
	char **row;

	if (t->rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * t->n_cols * sizeof(*c));

		if (!c)
			return -1;
		t->cells = c;
		t->cap = cap;
	}
	row = t->cells + t->rows * t->n_cols;
	for (size_t i = 0; i < t->n_cols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return -1;
		}
	}
	t->rows++;
	return 0;
}

static size_t width_of(const char *s)
{
	return ccon_text_width(s, strlen(s));
}

/* The column that may give a cell: the widest left-aligned one above its
 * floor; n_cols when none may. */
static size_t shrinkable(const struct cli_table *t, const size_t *widths)
{
	size_t best = t->n_cols;

	for (size_t i = 0; i < t->n_cols; i++) {
		size_t floor = width_of(t->heads[i]);

		if (floor < CLI_TABLE_MIN_CELLS)
			floor = CLI_TABLE_MIN_CELLS;
		if (t->right[i] || widths[i] <= floor)
			continue;
		if (best == t->n_cols || widths[i] > widths[best])
			best = i;
	}
	return best;
}

size_t cli_table_widths(const struct cli_table *t, size_t max_width, size_t *widths)
{
	size_t total = 0, c;

	for (size_t i = 0; i < t->n_cols; i++) {
		widths[i] = width_of(t->heads[i]);
		for (size_t r = 0; r < t->rows; r++) {
			size_t w = width_of(t->cells[r * t->n_cols + i]);

			if (w > widths[i])
				widths[i] = w;
		}
		total += widths[i] + (i ? CLI_TABLE_GAP : 0);
	}
	while (max_width && total > max_width && (c = shrinkable(t, widths)) < t->n_cols) {
		widths[c]--;
		total--;
	}
	return total;
}

static int put_line(struct ccon_strbuf *out, const char *const *cells, const struct cli_table *t,
                    const size_t *widths, char *buf, size_t size)
{
	size_t mark = out->len, keep;

	for (size_t i = 0; i < t->n_cols; i++) {
		size_t n = ccon_text_fit(cells[i], strlen(cells[i]), widths[i],
		                         t->right[i] ? CCON_FIT_RIGHT : 0, buf, size);

		if ((i && ccon_strbuf_append(out, "  ", CLI_TABLE_GAP) < 0) ||
		    ccon_strbuf_append(out, buf, n) < 0)
			return -1;
	}
	/* no trailing blanks (the last column's padding) */
	keep = out->len;
	while (keep > mark && out->buf[keep - 1] == ' ')
		keep--;
	ccon_strbuf_truncate(out, keep);
	return ccon_strbuf_putc(out, '\n');
}

int cli_table_render(const struct cli_table *t, size_t max_width, bool color,
                     struct ccon_strbuf *out)
{
	size_t widths[CLI_TABLE_MAX_COLS], longest = 0, size;
	char *buf;
	int rc = 0;

	cli_table_widths(t, max_width, widths);
	for (size_t i = 0; i < t->n_cols; i++)
		if (width_of(t->heads[i]) > longest)
			longest = width_of(t->heads[i]);
	for (size_t i = 0; i < t->rows * t->n_cols; i++)
		if (strlen(t->cells[i]) > longest)
			longest = strlen(t->cells[i]);
	size = CCON_FIT_SIZE(longest, longest + CLI_TABLE_MIN_CELLS);
	for (size_t i = 0; i < t->n_cols; i++)
		if (CCON_FIT_SIZE(longest, widths[i]) > size)
			size = CCON_FIT_SIZE(longest, widths[i]);
	buf = malloc(size);
	if (!buf)
		return -1;
	if (color)
		rc = ccon_strbuf_puts(out, "\033[1m");
	if (rc == 0)
		rc = put_line(out, t->heads, t, widths, buf, size);
	if (rc == 0 && color) {
		/* the reset goes before the line end */
		ccon_strbuf_truncate(out, out->len - 1);
		rc = ccon_strbuf_puts(out, "\033[0m\n");
	}
	for (size_t r = 0; rc == 0 && r < t->rows; r++)
		rc = put_line(out, (const char *const *)t->cells + r * t->n_cols, t, widths, buf, size);
	free(buf);
	return rc;
}

void cli_table_free(struct cli_table *t)
{
	for (size_t i = 0; i < t->rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
