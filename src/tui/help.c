/* help.c - the help overlay, generated from the request table. */
#include "config.h"

#include "help.h"

#include "colors.h"
#include "draw.h"

#include <stdio.h>

#define KEYS_COLS 22

void help_draw(WINDOW *w, struct rect area, const struct keymap *km, int *top)
{
	size_t n;
	const struct request_info *t = request_table(&n);
	int width = area.w - 4 < 88 ? area.w - 4 : 88;
	int height = area.h - 2 < (int)n + 2 ? area.h - 2 : (int)n + 2;
	int y0 = area.y + (area.h - height) / 2, x0 = area.x + (area.w - width) / 2;
	int body = height - 2, line = 0;
	attr_t frame = colors_attr(AREA_TITLE), heading = colors_attr(AREA_HEADING);

	if (width < 20 || height < 4)
		return;
	if (*top > (int)n - body)
		*top = (int)n - body;
	if (*top < 0)
		*top = 0;
	draw_text(w, y0, x0, width, " Keys (? or Esc closes, j/k scroll)", frame, DRAW_LEFT);
	for (int y = 1; y < height - 1; y++) {
		draw_fill(w, y0 + y, x0, width, A_NORMAL);
	}
	for (size_t i = (size_t)*top; i < n && line < body; i++, line++) {
		int y = y0 + 1 + line;
		char keys[96];

		if (t[i].req == REQ_NONE) {
			draw_text(w, y, x0 + 1, width - 2, t[i].name, heading, DRAW_LEFT);
			continue;
		}
		keymap_describe(km, t[i].req, keys, sizeof(keys));
		draw_text(w, y, x0 + 2, KEYS_COLS, keys[0] ? keys : "(not bound)", A_BOLD, DRAW_LEFT);
		draw_textf(w, y, x0 + 3 + KEYS_COLS, width - KEYS_COLS - 4, A_NORMAL, DRAW_LEFT,
		           "%s  (%s)", t[i].help, t[i].name);
	}
	draw_textf(w, y0 + height - 1, x0, width, frame, DRAW_RIGHT, "%d-%d of %zu ",
	           *top + 1, *top + line, n);
}
