/* mouse.c - the terminal's mouse reports as events. */
#include "config.h"

#include "mouse.h"

/* every button event, though only presses of 1, 4 and 5 mean anything:
 * ncurses 6.4 may block in a read on a report its mask leaves out (a
 * release right after its press) */
#define MOUSE_MASK ALL_MOUSE_EVENTS

void mouse_enable(bool on)
{
	/* press events at once: a click is not held back to tell it from a
	 * double click (a second click on the selected row opens it) */
	mouseinterval(0);
	mousemask(on ? MOUSE_MASK : 0, NULL);
}

enum mouse_kind mouse_kind_of(mmask_t bstate)
{
	if (bstate & BUTTON4_PRESSED)
		return MOUSE_WHEEL_UP;
	if (bstate & BUTTON5_PRESSED)
		return MOUSE_WHEEL_DOWN;
	if (bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED))
		return MOUSE_CLICK;
	return MOUSE_NONE;
}

bool mouse_read(struct mouse_event *ev)
{
	MEVENT me;

	ev->kind = MOUSE_NONE;
	if (getmouse(&me) != OK)
		return false;
	ev->kind = mouse_kind_of(me.bstate);
	ev->y = me.y;
	ev->x = me.x;
	return ev->kind != MOUSE_NONE;
}
