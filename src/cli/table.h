/* table.h - the tables the subcommands print for people: columns aligned by
 * display width (sanitize.h: wide characters take two cells, controls and
 * escape sequences are shown as harmless text), numbers right-aligned.
 * Pure: the table is rendered into a strbuf. */
#ifndef CCON_CLI_TABLE_H
#define CCON_CLI_TABLE_H

#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>

#define CLI_TABLE_MAX_COLS 16
#define CLI_TABLE_GAP 2          /* spaces between columns */
#define CLI_TABLE_MIN_CELLS 4    /* a shrunk column keeps at least this */

struct cli_table {
	size_t n_cols;
	const char *heads[CLI_TABLE_MAX_COLS];
	bool right[CLI_TABLE_MAX_COLS];   /* right-aligned (numbers), never shrunk */
	char **cells;                     /* rows * n_cols copies, as given */
	size_t rows, cap;
};

/* heads: n_cols names (static strings); right: NULL or n_cols flags. */
void cli_table_init(struct cli_table *t, size_t n_cols, const char *const *heads,
                    const bool *right);
/* Appends a row of n_cols cells (NULL is an empty cell), copied. 0, or -1
 * when out of memory. */
int cli_table_add(struct cli_table *t, const char *const *cells);
/* The cells of each column: the widest of its head and its cells; with
 * max_width > 0 and a wider table, the widest left-aligned columns give
 * cells (never below CLI_TABLE_MIN_CELLS nor their head) until it fits or
 * none can give more. widths has n_cols entries. Returns the table's width. */
size_t cli_table_widths(const struct cli_table *t, size_t max_width, size_t *widths);
/* The head line (bold with color), then a line a row; cells fitted to their
 * column (a cut cell ends in "…"), no trailing blanks. 0, or -1 when out of
 * memory. */
int cli_table_render(const struct cli_table *t, size_t max_width, bool color,
                     struct ccon_strbuf *out);
void cli_table_free(struct cli_table *t);

#endif
