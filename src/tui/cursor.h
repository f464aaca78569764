/* cursor.h - moving a table's cursor: one row index among n rows, one
 * column index among n columns. */
#ifndef CCON_TUI_CURSOR_H
#define CCON_TUI_CURSOR_H

#include "requests.h"

#include <stdbool.h>
#include <stddef.h>

/* REQ_MOVE_DOWN/UP (stopping at the ends), REQ_PAGE_DOWN/UP (page rows;
 * page 0 leaves them to someone else), REQ_MOVE_FIRST/LAST. false, *sel
 * untouched, for any other request. With n 0, *sel ends at 0. */
bool cursor_move(size_t *sel, size_t n, size_t page, enum request req);

/* A page of a pane rows high: rows - 1 (one line for the heading), at
 * least 1. */
size_t cursor_page(int rows);

/* *col one step forward (dir > 0) or back among n, wrapping around. */
void cursor_cycle(size_t *col, size_t n, int dir);

#endif
