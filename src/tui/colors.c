/* colors.c - the theme: found, read, and its areas turned into curses
 * colour pairs and attributes fitted to the terminal. */
#include "config.h"

#include "colors.h"

#include <ccon/sanitize.h>
#include <ccon/settings.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#ifndef CCON_THEMES_DIR
#define CCON_THEMES_DIR "/usr/local/share/ccon/themes"
#endif
#ifndef CCON_SOURCE_THEMES_DIR
#define CCON_SOURCE_THEMES_DIR "themes"
#endif
#ifndef CCON_BUILD_DIR
#define CCON_BUILD_DIR ""
#endif

/* 2^24: a terminal with this many colours takes #rrggbb as it is */
#define DIRECT_COLORS 16777216L

static struct ccon_theme theme;
static bool theme_loaded;
static attr_t area_attr[AREA__COUNT];

static bool theme_name_ok(const char *name)
{
	if (!*name || strlen(name) > 64)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
			return false;
	return true;
}

/* path when it names a readable file */
static bool try_dir(const char *dir, const char *name, char *buf, size_t size)
{
	int n;

	if (!dir || !*dir)
		return false;
	n = snprintf(buf, size, "%s/%s.theme", dir, name);
	return n > 0 && (size_t)n < size && access(buf, R_OK) == 0;
}

/* The source tree's themes serve the ccon of its own build tree (run before
 * `make install`), never an installed copy, where they could hide a missing
 * installed theme. */
static const char *source_themes_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t len = strlen(CCON_BUILD_DIR);
	char *slash;

	/* cppcheck-suppress knownConditionTrueFalse ; CCON_BUILD_DIR is "" outside the Makefile */
	if (n <= 0 || !len)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash || (size_t)(slash - exe) != len || memcmp(exe, CCON_BUILD_DIR, len) != 0)
		return NULL;
	return CCON_SOURCE_THEMES_DIR;
}

int colors_find_theme(const char *name, char *buf, size_t size, struct ccon_error *err)
{
	char dir[4096];
	struct ccon_error ignored;

	if (strchr(name, '/')) {
		if ((size_t)snprintf(buf, size, "%s", name) < size)
			return 0;
		ccon_error_set(err, CCON_E_IO, "the theme's path is too long");
		return -1;
	}
	if (!theme_name_ok(name)) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		               "a theme name is letters, digits, '_', '-' and '.' "
		               "(a theme file's path has a '/')");
		return -1;
	}
	if (ccon_xdg_config_file(dir, sizeof(dir), &ignored) == 0) {
		char *slash = strrchr(dir, '/');

		if (slash && (size_t)(slash - dir) + sizeof("/themes") <= sizeof(dir)) {
			memcpy(slash, "/themes", sizeof("/themes"));
			if (try_dir(dir, name, buf, size))
				return 0;
		}
	}
	if (try_dir(getenv("CCON_THEMES_DIR"), name, buf, size) ||
	    try_dir(CCON_THEMES_DIR, name, buf, size) ||
	    try_dir(source_themes_dir(), name, buf, size))
		return 0;
	if (strcmp(name, "default") == 0) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	ccon_error_set(err, CCON_E_NOT_FOUND,
	               "no theme '%s' (looked for %s.theme in $XDG_CONFIG_HOME/ccon/themes and %s)",
	               name, name, CCON_THEMES_DIR);
	return -1;
}

int colors_load(const char *name, struct ccon_error *err)
{
	char path[4200];

	if (!name)
		name = "default";
	if (colors_find_theme(name, path, sizeof(path), err) < 0) {
		char msg[CCON_ERROR_MESSAGE_MAX];

		snprintf(msg, sizeof(msg), "%s", err->message);
		return ccon_error_set(err, err->code, "theme: %s", msg);
	}
	if (!path[0]) {
		ccon_theme_default(&theme);
	} else if (ccon_theme_load(path, &theme, err) < 0) {
		return -1;
	}
	theme_loaded = true;
	return 0;
}

static attr_t style_attrs(const struct ccon_style *s)
{
	attr_t a = A_NORMAL;

	if (s->attrs & CCON_ATTR_BOLD)
		a |= A_BOLD;
	if (s->attrs & CCON_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (s->attrs & CCON_ATTR_REVERSE)
		a |= A_REVERSE;
	if (s->attrs & CCON_ATTR_DIM)
		a |= A_DIM;
	if (s->attrs & CCON_ATTR_ITALIC)
		a |= A_ITALIC;
	if (s->attrs & CCON_ATTR_BLINK)
		a |= A_BLINK;
	return a;
}

/* How many colours the terminal shows: its terminfo's count, 2^24 on a
 * direct-colour description (the RGB capability, as xterm-direct). */
static long terminal_colors(void)
{
	long colors = COLORS;

	if (tigetflag("RGB") > 0 && colors < DIRECT_COLORS)
		colors = DIRECT_COLORS;
	return colors;
}

/* The curses colour number of a fitted colour. On a direct-colour
 * terminal a number is 0xRRGGBB, except that 0..7 are still the palette:
 * palette colours above 7 become their RGB, and an RGB below 8 (black
 * with a trace of blue) moves to 8. */
static int curses_color(struct ccon_color c, bool direct, bool defaults, bool fg)
{
	uint8_t r, g, b;
	int v;

	if (c.kind == CCON_COLOR_DEFAULT)
		return defaults ? -1 : fg ? COLOR_WHITE : COLOR_BLACK;
	if (!direct)
		return c.index;
	if (c.kind == CCON_COLOR_INDEX) {
		if (c.index < 8)
			return c.index;
		ccon_color_index_rgb(c.index, &r, &g, &b);
	} else {
		r = c.r;
		g = c.g;
		b = c.b;
	}
	v = (r << 16) | (g << 8) | b;
	return v < 8 ? 8 : v;
}

static void init_attrs_only(void)
{
	for (int i = 0; i < AREA__COUNT; i++) {
		const struct ccon_style *s = &theme.area[i];

		area_attr[i] = style_attrs(s);
		/* it stood out by its background: keep it apart */
		if (s->bg.kind != CCON_COLOR_DEFAULT && !(s->attrs & CCON_ATTR_REVERSE))
			area_attr[i] |= A_REVERSE;
	}
}

void colors_init(bool color)
{
	const char *no_color = getenv("NO_COLOR");
	long colors;
	bool direct, defaults;

	if (!theme_loaded) {
		ccon_theme_default(&theme);
		theme_loaded = true;
	}
	if ((no_color && *no_color) || !ccon_theme_has_color(&theme))
		color = false;
	if (!color || start_color() == ERR || COLORS < 8 || COLOR_PAIRS <= AREA__COUNT) {
		init_attrs_only();
		return;
	}
	defaults = use_default_colors() == OK;
	colors = terminal_colors();
	direct = colors >= DIRECT_COLORS;
	for (int i = 0; i < AREA__COUNT; i++) {
		const struct ccon_style *s = &theme.area[i];
		int fg = curses_color(ccon_color_fit(s->fg, colors), direct, defaults, true);
		int bg = curses_color(ccon_color_fit(s->bg, colors), direct, defaults, false);

		if (init_extended_pair(i + 1, fg, bg) == ERR) {
			init_attrs_only();
			return;
		}
		area_attr[i] = COLOR_PAIR(i + 1) | style_attrs(s);
	}
	/* text drawn with no area of its own takes normal's colours */
	bkgdset(' ' | area_attr[AREA_NORMAL]);
}

attr_t colors_attr(enum color_area a)
{
	return (int)a >= 0 && a < AREA__COUNT ? area_attr[a] : A_NORMAL;
}

enum color_area colors_status_area(const char *status)
{
	return (enum color_area)ccon_theme_status_area(status);
}

enum color_area colors_bar_area(const char *status)
{
	return (enum color_area)ccon_theme_bar_area(status);
}
