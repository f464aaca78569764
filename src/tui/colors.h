/* colors.h - the theme's areas as curses attributes (colour pairs and
 * bold/reverse/...).
 *
 * colors_load picks the theme before the screen starts (an unknown or
 * broken theme stops the console there); colors_init, once curses runs,
 * fits its colours to the terminal: 8, 16 or 256 palette colours, or 24-bit
 * on a direct-colour terminal. Without colours (NO_COLOR set and not
 * empty, a terminal without them, a theme without them) every area keeps
 * only its attributes, and an area that stood out by its background
 * colour alone (title, cursor, bars) gets reverse video. */
#ifndef CCON_TUI_COLORS_H
#define CCON_TUI_COLORS_H

#include <ccon/error.h>
#include <ccon/theme.h>

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/* AREA_TITLE, AREA_BAR_READ, ...: every area of theme.h. */
enum color_area {
#define COLOR_AREA_ENUM(name, str, fallback) AREA_##name = CCON_AREA_##name,
	CCON_THEME_AREAS(COLOR_AREA_ENUM)
#undef COLOR_AREA_ENUM
	AREA__COUNT = CCON_AREA__COUNT
};

/* The theme file for name: with a '/', name is the path; else
 * $XDG_CONFIG_HOME/ccon/themes/NAME.theme, then $CCON_THEMES_DIR/NAME.theme
 * (the environment variable, for tests), the installed themes, then the
 * source tree's. "default" needs no file (it is built in). 0 with the path
 * in buf ("" for the built-in default), or -1 (CCON_E_NOT_FOUND or IO). */
int colors_find_theme(const char *name, char *buf, size_t size, struct ccon_error *err);
/* Finds and reads the theme (NULL: "default"); before curses starts. */
int colors_load(const char *name, struct ccon_error *err);
/* After curses started; color false: attributes only. Uses the theme of
 * colors_load, or the built-in default. */
void colors_init(bool color);
attr_t colors_attr(enum color_area a);
/* The area a campaign or recipient status is drawn in (NORMAL: none). */
enum color_area colors_status_area(const char *status);
/* The funnel bar of a recipient status. */
enum color_area colors_bar_area(const char *status);

#endif
