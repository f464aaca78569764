/* colors.h - the theme's areas as curses attributes (colour pairs and
 * bold/reverse/...). Without colours (NO_COLOR, a terminal without them)
 * every area keeps only its attributes and the areas that need to stand
 * out get reverse video. */
#ifndef CCON_TUI_COLORS_H
#define CCON_TUI_COLORS_H

#include <curses.h>
#include <stdbool.h>

#define COLOR_AREAS(X) \
	X(TITLE, "title") \
	X(STATUS_BAR, "status-bar") \
	X(HEADING, "heading") \
	X(CURSOR, "cursor") \
	X(STATUS_OK, "status-ok") \
	X(STATUS_WARN, "status-warn") \
	X(STATUS_FAIL, "status-fail") \
	X(DIM, "dim")

enum color_area {
#define COLOR_AREA_ENUM(name, str) AREA_##name,
	COLOR_AREAS(COLOR_AREA_ENUM)
#undef COLOR_AREA_ENUM
	AREA__COUNT
};

/* After curses started; color false (or NO_COLOR set and not empty):
 * attributes only. */
void colors_init(bool color);
attr_t colors_attr(enum color_area a);
/* The area a campaign or recipient status is drawn in. */
enum color_area colors_status_area(const char *status);

#endif
