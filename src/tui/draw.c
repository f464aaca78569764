/* draw.c - drawing helpers: sanitise, fit by display width, draw. */
#include "config.h"

#include "draw.h"

#include <ccon/sanitize.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DRAW_MAX_COLS 1024

int draw_width(const char *s)
{
	size_t w = s ? ccon_text_width(s, strlen(s)) : 0;

	return w > DRAW_MAX_COLS ? DRAW_MAX_COLS : (int)w;
}

void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
	if (width <= 0)
		return;
	wattrset(w, attr);
	mvwhline(w, y, x, ' ', width);
	wattrset(w, A_NORMAL);
}

int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr,
              enum draw_align align)
{
	/* holds any fit of DRAW_MAX_COLS cells (a longer text is cut earlier) */
	char buf[4 * DRAW_MAX_COLS + 8];
	size_t len = s ? strlen(s) : 0, n, used;

	if (width <= 0)
		return 0;
	if (width > DRAW_MAX_COLS)
		width = DRAW_MAX_COLS;
	n = ccon_text_fit(s ? s : "", len, (size_t)width, align == DRAW_RIGHT ? CCON_FIT_RIGHT : 0,
	                  buf, sizeof(buf));
	wattrset(w, attr);
	mvwaddnstr(w, y, x, buf, (int)n);
	wattrset(w, A_NORMAL);
	used = len ? ccon_text_width(s, len) : 0;
	return used < (size_t)width ? (int)used : width;
}

int draw_textf(WINDOW *w, int y, int x, int width, attr_t attr, enum draw_align align,
               const char *fmt, ...)
{
	char buf[4 * DRAW_MAX_COLS];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(w, y, x, width, buf, attr, align);
}

const char *draw_shown(const char *s, size_t cells, char *buf, size_t size)
{
	if (!s)
		s = "";
	ccon_text_fit(s, strlen(s), cells, 0, buf, size);
	for (size_t n = strlen(buf); n && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
	return buf;
}

void draw_age(long long ms, char *buf, size_t size)
{
	long long s = ms < 0 ? 0 : ms / 1000;

	if (s < 60)
		snprintf(buf, size, "%llds", s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(buf, size, "%lldh", s / 3600);
	else
		snprintf(buf, size, "%lldd", s / 86400);
}
