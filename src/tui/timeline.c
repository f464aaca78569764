#include "config.h"

#include "timeline.h"

#include "colors.h"
#include "draw.h"

#include <ccon/datetime.h>

#include <inttypes.h>
#include <stdio.h>

#define LABEL_W 12   /* "Tue 24 18:15" */
#define NUMBERS_W 38 /* "others 1000   mine 1000   free 1000" */

long timeline_first_interesting(const struct ccon_timeline *t)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->rows[i].mine > 0 || t->rows[i].start)
			return (long)i;
	return 0;
}

static void slot_label(int64_t start_us, char *buf, size_t size)
{
	static const char *const wdays[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	struct ccon_civil c;
	int64_t days = start_us / (INT64_C(86400) * CCON_USEC_PER_SEC);

	if (start_us < 0)
		days--;
	ccon_civil_from_us(start_us, &c);
	snprintf(buf, size, "%s %02d %02d:%02d", wdays[((days % 7) + 7) % 7], c.day, c.hour,
	         c.minute);
}

/* cells of width for n of capacity, at least 1 for any n > 0 */
static int cells_for(int64_t n, int64_t capacity, int width)
{
	int c;

	if (n <= 0 || capacity <= 0)
		return 0;
	c = (int)((double)n * width / (double)capacity + 0.5);
	return c < 1 ? 1 : c > width ? width : c;
}

static int draw_cells(WINDOW *w, int y, int x, int n, chtype glyph, attr_t attr)
{
	for (int i = 0; i < n; i++)
		mvwaddch(w, y, x + i, glyph | attr);
	return n;
}

static void draw_row(WINDOW *w, int y, struct rect a, const struct ccon_timeline_row *r)
{
	char label[32];
	int bar_w = a.w - LABEL_W - NUMBERS_W - 14;
	int x = a.x, others, mine, free_c;

	slot_label(r->start_us, label, sizeof(label));
	draw_text(w, y, x, LABEL_W, label, r->mine > 0 ? A_BOLD : colors_attr(AREA_DIM), DRAW_LEFT);
	x += LABEL_W + 1;
	if (bar_w > 40)
		bar_w = 40;
	if (bar_w >= 4) {
		mvwaddch(w, y, x++, '[');
		others = cells_for(r->others, r->capacity, bar_w);
		mine = cells_for(r->mine, r->capacity, bar_w - others);
		free_c = bar_w - others - mine;
		x += draw_cells(w, y, x, others, '=', colors_attr(AREA_SLOT_OTHERS));
		x += draw_cells(w, y, x, mine, '#', colors_attr(AREA_SLOT_MINE));
		x += draw_cells(w, y, x, free_c, '.', colors_attr(AREA_SLOT_FREE));
		mvwaddch(w, y, x++, ']');
		x++;
	}
	x += draw_textf(w, y, x, NUMBERS_W, A_NORMAL, DRAW_LEFT, "others %-7" PRId64 "mine %-7" PRId64
	                "free %-6" PRId64, r->others, r->mine, r->free);
	if (x < a.x + a.w) {
		const char *mark = r->activated ? " < start: slicing activates"
		                   : r->start ? " < start" : "";

		draw_text(w, y, x, a.x + a.w - x, mark, colors_attr(AREA_HEADING), DRAW_LEFT);
	}
}

void timeline_draw(WINDOW *w, struct rect area, const struct ccon_timeline *t, long *top)
{
	long max_top = (long)t->count - area.h;

	if (max_top < 0)
		max_top = 0;
	if (*top > max_top)
		*top = max_top;
	if (*top < 0)
		*top = 0;
	for (int i = 0; i < area.h; i++) {
		size_t row = (size_t)(*top + i);

		if (row < t->count)
			draw_row(w, area.y + i, area, &t->rows[row]);
		else
			draw_fill(w, area.y + i, area.x, area.w, A_NORMAL);
	}
}
