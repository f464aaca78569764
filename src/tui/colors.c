/* colors.c - theme areas to curses colour pairs. */
#include "config.h"

#include "colors.h"

#include <stdlib.h>
#include <string.h>

/* The default theme (themes/default.theme), until the theme files are
 * read. TODO(theme.h): load the configured theme. fg/bg: -1 default, 0..255 */
static const struct {
	short fg, bg, fg8;
	attr_t attr;
	attr_t mono;
} defaults[AREA__COUNT] = {
	[AREA_TITLE] = { COLOR_BLACK, COLOR_CYAN, COLOR_BLACK, A_BOLD, A_REVERSE | A_BOLD },
	[AREA_STATUS_BAR] = { COLOR_BLACK, COLOR_CYAN, COLOR_BLACK, 0, A_REVERSE },
	[AREA_HEADING] = { -1, -1, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[AREA_CURSOR] = { COLOR_BLACK, COLOR_WHITE, COLOR_BLACK, 0, A_REVERSE },
	[AREA_STATUS_OK] = { COLOR_GREEN, -1, COLOR_GREEN, 0, 0 },
	[AREA_STATUS_WARN] = { COLOR_YELLOW, -1, COLOR_YELLOW, 0, A_BOLD },
	[AREA_STATUS_FAIL] = { COLOR_RED, -1, COLOR_RED, A_BOLD, A_BOLD },
	[AREA_DIM] = { 244, -1, -1, 0, A_DIM },
};

static attr_t area_attr[AREA__COUNT];

void colors_init(bool color)
{
	const char *no_color = getenv("NO_COLOR");

	if (no_color && *no_color)
		color = false;
	if (color) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < AREA__COUNT; i++) {
		short fg = defaults[i].fg;

		if (!color || COLOR_PAIRS <= AREA__COUNT) {
			area_attr[i] = defaults[i].mono;
			continue;
		}
		if (fg >= COLORS)
			fg = defaults[i].fg8;
		init_pair((short)(i + 1), fg, defaults[i].bg);
		area_attr[i] = COLOR_PAIR(i + 1) | defaults[i].attr;
	}
}

attr_t colors_attr(enum color_area a)
{
	return a < AREA__COUNT ? area_attr[a] : A_NORMAL;
}

enum color_area colors_status_area(const char *status)
{
	static const struct {
		const char *status;
		enum color_area area;
	} map[] = {
		{ "done", AREA_STATUS_OK }, { "read", AREA_STATUS_OK }, { "received", AREA_STATUS_OK },
		{ "running", AREA_STATUS_WARN }, { "scheduled", AREA_STATUS_WARN },
		{ "processed", AREA_STATUS_WARN }, { "pending", AREA_STATUS_WARN },
		{ "canceled", AREA_STATUS_FAIL }, { "failed", AREA_STATUS_FAIL },
		{ "new", AREA_DIM }, { "draft", AREA_DIM },
	};

	for (size_t i = 0; status && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].status, status) == 0)
			return map[i].area;
	return AREA__COUNT;
}
