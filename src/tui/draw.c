/* draw.c - drawing helpers: sanitise, fit by display width, draw. */
#include "config.h"

#include "draw.h"

#include <ccon/utf8.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define DRAW_MAX_COLS 1024

/* One code point as it may be drawn: control characters, bidi controls
 * and invalid bytes become visible stand-ins, so nothing from outside can
 * move the cursor, clear the screen or reorder text.
 * TODO(sanitize.h): use the one sanitiser of libccon when it lands. */
static size_t safe_cells(uint32_t cp, wchar_t out[2])
{
	if (cp < 0x20 || cp == 0x7f) {
		out[0] = L'^';
		out[1] = cp == 0x7f ? L'?' : (wchar_t)(cp + '@');
		return 2;
	}
	if ((cp >= 0x80 && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061c ||
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb)) {
		out[0] = 0xfffd;
		return 1;
	}
	out[0] = (wchar_t)cp;
	return 1;
}

static int cell_width(wchar_t c)
{
	int w = wcwidth(c);

	return w;
}

/* s sanitised into cells of at most width columns; *cols their width. */
static size_t fit(const char *s, int width, wchar_t *out, size_t cap, int *cols, bool *cut)
{
	static const wchar_t ellipsis = 0x2026;
	size_t len = s ? strlen(s) : 0, n = 0;
	int used = 0;
	int ell_w = cell_width(ellipsis) == 1 ? 1 : 1;

	*cut = false;
	for (size_t i = 0; i < len;) {
		wchar_t cells[2];
		uint32_t cp;
		size_t k = ccon_utf8_decode(s + i, len - i, &cp), m;

		if (k == 0) {
			cp = 0xfffd;
			k = 1;
		}
		i += k;
		m = safe_cells(cp, cells);
		for (size_t j = 0; j < m; j++) {
			int w = cell_width(cells[j]);

			if (w < 0) {
				cells[j] = L'?';
				w = 1;
			}
			if (w == 0 && n == 0)
				continue; /* a combining mark with nothing to combine with */
			if (used + w > width || n + 1 >= cap) {
				*cut = true;
				break;
			}
			out[n++] = cells[j];
			used += w;
		}
		if (*cut)
			break;
	}
	if (*cut && width > 0) {
		/* room for the ellipsis: drop cells from the end */
		while (n > 0 && used + ell_w > width) {
			int w = cell_width(out[n - 1]);

			used -= w > 0 ? w : 0;
			n--;
		}
		out[n++] = cell_width(ellipsis) == 1 ? ellipsis : L'~';
		used += ell_w;
	}
	out[n] = L'\0';
	*cols = used;
	return n;
}

int draw_width(const char *s)
{
	wchar_t buf[DRAW_MAX_COLS + 1];
	int cols;
	bool cut;

	fit(s, DRAW_MAX_COLS, buf, sizeof(buf) / sizeof(buf[0]), &cols, &cut);
	return cols;
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
	wchar_t buf[DRAW_MAX_COLS + 1];
	int cols, pad;
	size_t n;
	bool cut;

	if (width <= 0)
		return 0;
	if (width > DRAW_MAX_COLS)
		width = DRAW_MAX_COLS;
	n = fit(s, width, buf, sizeof(buf) / sizeof(buf[0]), &cols, &cut);
	pad = width - cols;
	draw_fill(w, y, x, width, attr);
	wattrset(w, attr);
	if (n)
		mvwaddnwstr(w, y, x + (align == DRAW_RIGHT ? pad : 0), buf, (int)n);
	wattrset(w, A_NORMAL);
	return cols;
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
