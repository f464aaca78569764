#include "config.h"

#include <ccon/theme.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	enum ccon_theme_area fallback;
} areas[CCON_AREA__COUNT] = {
#define CCON_THEME_AREA_INFO(name, str, fb) [CCON_AREA_##name] = { str, CCON_AREA_##fb },
	CCON_THEME_AREAS(CCON_THEME_AREA_INFO)
#undef CCON_THEME_AREA_INFO
};

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const char *const attr_names[] = {
	"bold", "underline", "reverse", "dim", "italic", "blink",
};

/* xterm's colours 0-15 */
static const uint8_t base_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static const uint8_t cube_levels[6] = { 0, 95, 135, 175, 215, 255 };

static const char default_text[] =
	"# ccon's default theme, for dark and light terminals alike (it keeps the\n"
	"# terminal's own background). Lines: color AREA FOREGROUND BACKGROUND\n"
	"# [ATTRIBUTES...]; see ccon.conf(5), THEMES. Colours: default, black red\n"
	"# green yellow blue magenta cyan white, colorN (0-255), #rrggbb. Attributes:\n"
	"# bold underline reverse dim italic blink. An area left out takes its\n"
	"# fallback's style. The console shows the nearest colour the terminal has.\n"
	"color normal             default  default\n"
	"color title              black    cyan     bold\n"
	"color status-bar         black    cyan\n"
	"color heading            default  default  bold\n"
	"color cursor             black    white\n"
	"color selection          black    yellow\n"
	"color changed            default  default  bold\n"
	"color dim                color244 default\n"
	"color status-ok          green    default\n"
	"color status-warn        yellow   default\n"
	"color status-fail        red      default  bold\n"
	"color error              white    red      bold\n"
	"color command-line       default  default\n"
	"color filter             yellow   default  bold\n"
	"color help               default  default\n"
	"color help-key           cyan     default  bold\n"
	"color raw                default  default\n"
	"color campaign-new       color244 default\n"
	"color campaign-draft     color244 default\n"
	"color campaign-scheduled cyan     default\n"
	"color campaign-running   yellow   default  bold\n"
	"color campaign-done      green    default\n"
	"color campaign-canceled  red      default\n"
	"color bar-pending        default  color240\n"
	"color bar-processed      black    yellow\n"
	"color bar-received       black    cyan\n"
	"color bar-read           black    green\n"
	"color bar-failed         white    red\n"
	"color bar-canceled       default  color244\n"
	"color slot-others        black    yellow\n"
	"color slot-mine          black    green\n"
	"color slot-free          color244 default\n"
	;

const char *ccon_theme_area_name(enum ccon_theme_area area)
{
	return (unsigned)area < CCON_AREA__COUNT ? areas[area].name : NULL;
}

enum ccon_theme_area ccon_theme_area_by_name(const char *name, size_t len)
{
	for (int i = 0; i < CCON_AREA__COUNT; i++)
		if (strlen(areas[i].name) == len && strncasecmp(areas[i].name, name, len) == 0)
			return (enum ccon_theme_area)i;
	return CCON_AREA__COUNT;
}

static enum ccon_theme_area lookup(const char *status, const char *const *names,
                                   const enum ccon_theme_area *to, size_t n)
{
	for (size_t i = 0; status && i < n; i++)
		if (strcmp(names[i], status) == 0)
			return to[i];
	return CCON_AREA_NORMAL;
}

enum ccon_theme_area ccon_theme_status_area(const char *status)
{
	static const char *const names[] = {
		"new", "draft", "scheduled", "running", "done", "canceled",
		"pending", "processed", "received", "read", "failed",
	};
	static const enum ccon_theme_area to[] = {
		CCON_AREA_CAMPAIGN_NEW, CCON_AREA_CAMPAIGN_DRAFT, CCON_AREA_CAMPAIGN_SCHEDULED,
		CCON_AREA_CAMPAIGN_RUNNING, CCON_AREA_CAMPAIGN_DONE, CCON_AREA_CAMPAIGN_CANCELED,
		CCON_AREA_DIM, CCON_AREA_STATUS_WARN, CCON_AREA_STATUS_OK, CCON_AREA_STATUS_OK,
		CCON_AREA_STATUS_FAIL,
	};

	return lookup(status, names, to, sizeof(to) / sizeof(to[0]));
}

enum ccon_theme_area ccon_theme_bar_area(const char *status)
{
	static const char *const names[] = {
		"pending", "processed", "received", "read", "failed", "canceled",
	};
	static const enum ccon_theme_area to[] = {
		CCON_AREA_BAR_PENDING, CCON_AREA_BAR_PROCESSED, CCON_AREA_BAR_RECEIVED,
		CCON_AREA_BAR_READ, CCON_AREA_BAR_FAILED, CCON_AREA_BAR_CANCELED,
	};

	return lookup(status, names, to, sizeof(to) / sizeof(to[0]));
}

const char *ccon_theme_default_text(void)
{
	return default_text;
}

void ccon_theme_default(struct ccon_theme *out)
{
	/* the built-in text is tested to parse */
	if (ccon_theme_parse(default_text, sizeof(default_text) - 1, out, NULL) < 0)
		memset(out, 0, sizeof(*out));
}

/* ---- colours */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int bad_color(struct ccon_error *err, size_t at, const char *msg)
{
	ccon_error_at_column(err, (long)at + 1);
	return ccon_error_set(err, CCON_E_THEME_SYNTAX, "%s", msg);
}

static int parse_rgb(const char *t, size_t len, struct ccon_color *out, struct ccon_error *err)
{
	uint8_t v[3];

	for (size_t i = 1; i < len && i < 7; i++)
		if (hex_digit(t[i]) < 0)
			return bad_color(err, i, "#rrggbb takes six hexadecimal digits");
	if (len != 7)
		return bad_color(err, len < 7 ? len : 7, "#rrggbb takes six hexadecimal digits");
	for (int i = 0; i < 3; i++)
		v[i] = (uint8_t)(hex_digit(t[1 + 2 * i]) * 16 + hex_digit(t[2 + 2 * i]));
	*out = (struct ccon_color){ CCON_COLOR_RGB, 0, v[0], v[1], v[2] };
	return 0;
}

static int parse_index(const char *t, size_t len, struct ccon_color *out,
                       struct ccon_error *err)
{
	unsigned n = 0;

	if (len == 5)
		return bad_color(err, 5, "colorN takes a number 0 to 255");
	for (size_t i = 5; i < len; i++) {
		if (t[i] < '0' || t[i] > '9')
			return bad_color(err, i, "colorN takes a number 0 to 255");
		n = n * 10 + (unsigned)(t[i] - '0');
		if (n > 255 || i >= 8)
			return bad_color(err, 5, "colorN takes a number 0 to 255");
	}
	*out = (struct ccon_color){ CCON_COLOR_INDEX, (uint8_t)n, 0, 0, 0 };
	return 0;
}

int ccon_color_parse(const char *text, size_t len, struct ccon_color *out,
                     struct ccon_error *err)
{
	if (len > 0 && text[0] == '#')
		return parse_rgb(text, len, out, err);
	if (len >= 5 && strncasecmp(text, "color", 5) == 0 &&
	    (len == 5 || (text[5] >= '0' && text[5] <= '9')))
		return parse_index(text, len, out, err);
	if (len == 7 && strncasecmp(text, "default", 7) == 0) {
		*out = (struct ccon_color){ CCON_COLOR_DEFAULT, 0, 0, 0, 0 };
		return 0;
	}
	for (int i = 0; i < 8; i++)
		if (strlen(color_names[i]) == len && strncasecmp(color_names[i], text, len) == 0) {
			*out = (struct ccon_color){ CCON_COLOR_INDEX, (uint8_t)i, 0, 0, 0 };
			return 0;
		}
	return bad_color(err, 0, "unknown colour (default, black, red, green, yellow, blue, "
	                 "magenta, cyan, white, colorN or #rrggbb)");
}

void ccon_color_index_rgb(uint8_t index, uint8_t *r, uint8_t *g, uint8_t *b)
{
	if (index < 16) {
		*r = base_rgb[index][0];
		*g = base_rgb[index][1];
		*b = base_rgb[index][2];
	} else if (index < 232) {
		*r = cube_levels[(index - 16) / 36];
		*g = cube_levels[(index - 16) / 6 % 6];
		*b = cube_levels[(index - 16) % 6];
	} else {
		*r = *g = *b = (uint8_t)(8 + 10 * (index - 232));
	}
}

static long dist2(int r1, int g1, int b1, int r2, int g2, int b2)
{
	return (long)(r1 - r2) * (r1 - r2) + (long)(g1 - g2) * (g1 - g2) +
	       (long)(b1 - b2) * (b1 - b2);
}

static int nearest_base(int r, int g, int b, int n)
{
	int best = 0;
	long best_d = -1;

	for (int i = 0; i < n; i++) {
		long d = dist2(r, g, b, base_rgb[i][0], base_rgb[i][1], base_rgb[i][2]);

		if (best_d < 0 || d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

/* A grey (nearly): the nearest base colour by distance alone would often
 * be a dark yellow or cyan, which reads as a colour; keep it grey. */
static bool greyish(int r, int g, int b)
{
	int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);

	return hi - lo < 32;
}

/* black, (grey 8,) white 7 (, bright white 15) */
static int nearest_grey(int r, int g, int b, bool sixteen)
{
	int avg = (r + g + b) / 3;

	if (avg < 64)
		return 0;
	if (!sixteen)
		return 7;
	return avg < 160 ? 8 : avg < 240 ? 7 : 15;
}

static int cube_step(int v)
{
	return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
}

/* The nearest of 16-255: the cube's nearest corner or the grey ramp's
 * nearest step, whichever is closer. */
static int nearest_256(int r, int g, int b)
{
	int qr = cube_step(r), qg = cube_step(g), qb = cube_step(b);
	int avg = (r + g + b) / 3;
	int grey_step = avg > 238 ? 23 : avg < 8 ? 0 : (avg - 3) / 10;
	int grey = 8 + 10 * grey_step;
	long dc = dist2(r, g, b, cube_levels[qr], cube_levels[qg], cube_levels[qb]);
	long dg = dist2(r, g, b, grey, grey, grey);

	return dg < dc ? 232 + grey_step : 16 + 36 * qr + 6 * qg + qb;
}

struct ccon_color ccon_color_fit(struct ccon_color c, long colors)
{
	uint8_t r = c.r, g = c.g, b = c.b;
	struct ccon_color out = { CCON_COLOR_INDEX, 0, 0, 0, 0 };

	if (colors < 8 || c.kind == CCON_COLOR_DEFAULT)
		return (struct ccon_color){ CCON_COLOR_DEFAULT, 0, 0, 0, 0 };
	if (c.kind == CCON_COLOR_INDEX) {
		if (c.index < colors)
			return c;
		ccon_color_index_rgb(c.index, &r, &g, &b);
	} else if (colors >= 16777216) {
		return c;
	}
	if (colors >= 256)
		out.index = (uint8_t)nearest_256(r, g, b);
	else if (greyish(r, g, b))
		out.index = (uint8_t)nearest_grey(r, g, b, colors >= 16);
	else
		out.index = (uint8_t)nearest_base(r, g, b, colors >= 16 ? 16 : 8);
	return out;
}

bool ccon_color_eq(struct ccon_color a, struct ccon_color b)
{
	if (a.kind != b.kind)
		return false;
	if (a.kind == CCON_COLOR_INDEX)
		return a.index == b.index;
	if (a.kind == CCON_COLOR_RGB)
		return a.r == b.r && a.g == b.g && a.b == b.b;
	return true;
}

bool ccon_theme_has_color(const struct ccon_theme *t)
{
	for (int i = 0; i < CCON_AREA__COUNT; i++)
		if (t->area[i].fg.kind != CCON_COLOR_DEFAULT || t->area[i].bg.kind != CCON_COLOR_DEFAULT)
			return true;
	return false;
}

/* ---- theme files */

struct line {
	const char *p, *end;    /* the line, without its newline */
	long no;
	struct ccon_error *err;
};

__attribute__((format(printf, 3, 4)))
static int fail_at(struct line *l, const char *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(l->err, CCON_E_THEME_SYNTAX, fmt, ap);
	va_end(ap);
	ccon_error_at_line(l->err, l->no, (long)(at - l->p) + 1);
	return -1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next word of the line after *at; NULL at its end. */
static const char *word(const struct line *l, const char **at, size_t *len)
{
	const char *s = *at, *e;

	while (s < l->end && blank(*s))
		s++;
	*at = s;
	if (s == l->end)
		return NULL;
	for (e = s; e < l->end && !blank(*e); e++)
		;
	*len = (size_t)(e - s);
	*at = e;
	return s;
}

static int color_word(struct line *l, const char **at, const char *what, struct ccon_color *c)
{
	size_t n;
	const char *w = word(l, at, &n);

	if (!w)
		return fail_at(l, *at, "expected the %s colour", what);
	if (ccon_color_parse(w, n, c, l->err) < 0) {
		char msg[CCON_ERROR_MESSAGE_MAX];

		snprintf(msg, sizeof(msg), "%s", l->err ? l->err->message : "");
		return fail_at(l, w + (l->err ? l->err->column - 1 : 0), "%s colour: %s", what, msg);
	}
	return 0;
}

/* "color AREA FG BG [ATTR...]" */
static int color_line(struct line *l, const char *s, struct ccon_theme *t, bool *set)
{
	const char *at = s + 5, *w;
	struct ccon_style st = { { CCON_COLOR_DEFAULT, 0, 0, 0, 0 },
	                         { CCON_COLOR_DEFAULT, 0, 0, 0, 0 }, 0 };
	enum ccon_theme_area area;
	size_t n;

	w = word(l, &at, &n);
	if (!w)
		return fail_at(l, at, "expected an area after color");
	area = ccon_theme_area_by_name(w, n);
	if (area == CCON_AREA__COUNT)
		return fail_at(l, w, "unknown area (ccon.conf(5) lists them: title, status-bar, "
		               "heading, cursor, ...)");
	if (color_word(l, &at, "foreground", &st.fg) < 0 ||
	    color_word(l, &at, "background", &st.bg) < 0)
		return -1;
	while ((w = word(l, &at, &n))) {
		size_t i;

		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (strlen(attr_names[i]) == n && strncasecmp(attr_names[i], w, n) == 0)
				break;
		if (i == sizeof(attr_names) / sizeof(attr_names[0]))
			return fail_at(l, w, "unknown attribute (bold, underline, reverse, dim, "
			               "italic, blink)");
		st.attrs |= 1u << i;
	}
	t->area[area] = st;
	set[area] = true;
	return 0;
}

int ccon_theme_parse(const char *text, size_t len, struct ccon_theme *out,
                     struct ccon_error *err)
{
	struct ccon_theme t;
	bool set[CCON_AREA__COUNT] = { false };
	struct line l = { text, text, 0, err };
	const char *end = text + len;

	memset(&t, 0, sizeof(t));
	while (l.p < end) {
		const char *s, *nl = memchr(l.p, '\n', (size_t)(end - l.p));

		l.end = nl ? nl : end;
		l.no++;
		for (s = l.p; s < l.end && blank(*s); s++)
			;
		if (memchr(l.p, '\0', (size_t)(l.end - l.p)))
			return fail_at(&l, memchr(l.p, '\0', (size_t)(l.end - l.p)), "a NUL byte");
		if (s < l.end && *s != '#') {
			if (l.end - s < 6 || strncasecmp(s, "color", 5) != 0 || !blank(s[5]))
				return fail_at(&l, s, "expected color AREA FOREGROUND BACKGROUND "
				               "[ATTRIBUTES]");
			if (color_line(&l, s, &t, set) < 0)
				return -1;
		}
		l.p = nl ? nl + 1 : end;
	}
	for (int i = 0; i < CCON_AREA__COUNT; i++)
		if (!set[i])
			t.area[i] = t.area[areas[i].fallback];
	*out = t;
	return 0;
}

int ccon_theme_load(const char *path, struct ccon_theme *out, struct ccon_error *err)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t len;
	int rc = 0, e = 0;

	if (!f)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	buf = malloc((1u << 20) + 1);
	if (!buf) {
		fclose(f);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	len = 0;
	for (;;) {
		errno = 0;
		len += fread(buf + len, 1, (1u << 20) + 1 - len, f);
		e = errno;
		if (!ferror(f) || e != EINTR || len > 1u << 20)
			break;
		clearerr(f);   /* a signal interrupted the read: read on */
	}
	if (ferror(f))
		rc = ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(e ? e : EIO));
	else if (len > 1u << 20)
		rc = ccon_error_set(err, CCON_E_IO, "%s: larger than 1 MiB", path);
	fclose(f);
	if (rc == 0 && ccon_theme_parse(buf, len, out, err) < 0) {
		char msg[CCON_ERROR_MESSAGE_MAX];

		snprintf(msg, sizeof(msg), "%s", err ? err->message : "");
		if (err)
			ccon_error_set(err, err->code, "%s:%ld:%ld: %s", path, err->line, err->column,
			               msg);
		rc = -1;
	}
	free(buf);
	return rc;
}
