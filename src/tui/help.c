/* help.c - the help overlay, generated from the request table and the
 * command line's table of commands. */
#include "config.h"

#include "help.h"

#include "cmdline.h"
#include "colors.h"
#include "draw.h"

#include <stdio.h>

#define KEYS_COLS 24

/* Line i of the overlay: the requests with their groups, then the
 * commands under their own title. */
static void draw_line(WINDOW *w, int y, int x0, int width, const struct keymap *km, size_t i)
{
	size_t n, nc;
	const struct request_info *t = request_table(&n);
	const struct cmdline_command *c = cmdline_commands(&nc);
	attr_t heading = colors_attr(AREA_HEADING), key = colors_attr(AREA_HELP_KEY) | A_BOLD;
	attr_t text = colors_attr(AREA_HELP);
	char keys[96];

	if (i < n && t[i].req == REQ_NONE) {
		draw_text(w, y, x0 + 1, width - 2, t[i].name, heading, DRAW_LEFT);
		return;
	}
	if (i < n) {
		keymap_describe(km, t[i].req, keys, sizeof(keys));
		draw_text(w, y, x0 + 2, KEYS_COLS, keys[0] ? keys : "(not bound)", key, DRAW_LEFT);
		draw_textf(w, y, x0 + 3 + KEYS_COLS, width - KEYS_COLS - 4, text, DRAW_LEFT,
		           "%s  (%s)", t[i].help, t[i].name);
		return;
	}
	if (i == n) {
		draw_text(w, y, x0 + 1, width - 2, "Commands (after :, Tab completes)", heading,
		          DRAW_LEFT);
		return;
	}
	c += i - n - 1;
	draw_textf(w, y, x0 + 2, KEYS_COLS, key, DRAW_LEFT, ":%s%s%s", c->name,
	           c->args ? " " : "", c->args ? c->args : "");
	draw_textf(w, y, x0 + 3 + KEYS_COLS, width - KEYS_COLS - 4, text, DRAW_LEFT, "%s%s%s%s%s%s",
	           c->help, c->alias ? "  (also :" : "", c->alias ? c->alias : "",
	           c->alias ? ")" : "", c->pane ? "  in " : "", c->pane ? c->pane : "");
}

void help_draw(WINDOW *w, struct rect area, const struct keymap *km, int *top)
{
	size_t nr, nc, n;
	int width = area.w - 4 < 88 ? area.w - 4 : 88;
	int height, y0, x0, body, line = 0;
	attr_t frame = colors_attr(AREA_TITLE);

	request_table(&nr);
	cmdline_commands(&nc);
	n = nr + 1 + nc;
	height = area.h - 2 < (int)n + 2 ? area.h - 2 : (int)n + 2;
	y0 = area.y + (area.h - height) / 2;
	x0 = area.x + (area.w - width) / 2;
	body = height - 2;
	/* cppcheck-suppress knownConditionTrueFalse ; false for area.w >= 24 */
	if (width < 20 || height < 4)
		return;
	if (*top > (int)n - body)
		*top = (int)n - body;
	if (*top < 0)
		*top = 0;
	draw_text(w, y0, x0, width, " Keys (? or Esc closes, j/k scroll)", frame, DRAW_LEFT);
	for (int y = 1; y < height - 1; y++)
		draw_fill(w, y0 + y, x0, width, colors_attr(AREA_HELP));
	for (size_t i = (size_t)*top; i < n && line < body; i++, line++)
		draw_line(w, y0 + 1 + line, x0, width, km, i);
	draw_textf(w, y0 + height - 1, x0, width, frame, DRAW_RIGHT, "%d-%d of %zu ",
	           *top + 1, *top + line, n);
}
