/* draw.h - drawing helpers. Every string that reaches the terminal goes
 * through draw_text: sanitised (no control character or escape sequence
 * passes; invalid UTF-8 shows as U+FFFD) and fitted to a number of columns
 * by display width (wide characters count two; a cut string ends in an
 * ellipsis). */
#ifndef CCON_TUI_DRAW_H
#define CCON_TUI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum draw_align { DRAW_LEFT, DRAW_RIGHT };

/* Draws s (NULL: nothing) at y, x in exactly width columns (padded with
 * spaces) with attributes attr. Returns the columns the text took. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr,
              enum draw_align align);
/* The same with printf formatting (for the console's own strings, which
 * go through the same sanitiser). */
int draw_textf(WINDOW *w, int y, int x, int width, attr_t attr, enum draw_align align,
               const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Spaces over width columns. */
void draw_fill(WINDOW *w, int y, int x, int width, attr_t attr);
/* The display width s would take, sanitised. */
int draw_width(const char *s);

/* s (NULL: "") sanitised and cut to at most cells columns (ending in an
 * ellipsis when cut), without the padding: a name to put inside a sentence
 * (a message, a prompt's label). Returns buf. */
const char *draw_shown(const char *s, size_t cells, char *buf, size_t size);

/* "12s", "4m", "2h", "3d": an age for people. */
void draw_age(long long ms, char *buf, size_t size);

#endif
