/* help.h - the `?` overlay: every request of requests.h with the keys
 * bound to it now and its help text, in the table's groups. */
#ifndef CCON_TUI_HELP_H
#define CCON_TUI_HELP_H

#include "keys.h"
#include "pane.h"

#include <curses.h>

/* Draws the overlay over area from line *top (clamped). */
void help_draw(WINDOW *w, struct rect area, const struct keymap *km, int *top);

#endif
