/* timeline.h - the send wizard's 48 h slot timeline (send_draft.h's
 * struct ccon_timeline), one line a slot: its start, a bar as wide as the
 * slot's capacity split into the places other sends hold, this send's
 * share and the free places (each in its own theme area and glyph, so it
 * reads without colour too), the three numbers, and marks for the start
 * slot and where slicing activates. */
#ifndef CCON_TUI_TIMELINE_H
#define CCON_TUI_TIMELINE_H

#include "pane.h"

#include <ccon/send_draft.h>

#include <curses.h>

/* The line of the first slot that holds a share of this send (or the
 * start slot): where a view of the timeline opens. */
long timeline_first_interesting(const struct ccon_timeline *t);

/* Draws rows top.. of t inside area (one line a slot). *top is clamped
 * to the rows there are. */
void timeline_draw(WINDOW *w, struct rect area, const struct ccon_timeline *t, long *top);

#endif
