/* mouse.h - the optional mouse (app_config.mouse, `mouse = on` in
 * ccon.conf(5)): a click on a row selects it, a click on the selected row
 * opens it (so a double click opens), a click on a column title sorts by
 * that column, the wheel moves MOUSE_WHEEL_ROWS rows. curses decodes the
 * terminal's reports (SGR 1006 on xterm-like terminals); press events
 * only, reported at once (no click interval to wait for). */
#ifndef CCON_TUI_MOUSE_H
#define CCON_TUI_MOUSE_H

#include <curses.h>
#include <stdbool.h>

struct pane;

#define MOUSE_WHEEL_ROWS 3

enum mouse_kind { MOUSE_NONE, MOUSE_CLICK, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };

struct mouse_event {
	enum mouse_kind kind;
	int y, x;                    /* the screen cell, from 0 */
};

/* Turns the terminal's mouse reports on or off. */
void mouse_enable(bool on);
/* The event behind the KEY_MOUSE wget_wch returned: false when there is
 * none or it means nothing here (a release, another button). */
bool mouse_read(struct mouse_event *ev);
/* What a curses button state means. */
enum mouse_kind mouse_kind_of(mmask_t bstate);

/* A click on the Campaigns pane (pane_campaigns.c): selects the row under
 * it, opens the selected row, sorts by a column title. True when taken. */
bool pane_campaigns_click(struct pane *p, const struct mouse_event *ev);

#endif
