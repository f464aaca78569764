/* ccon/theme.h - themes (the themes/NAME.theme files, ccon.conf(5), THEMES): which
 * colours and attributes each area of the screen is drawn in, and the
 * colour a terminal can show for each. No curses: the console turns a
 * struct ccon_style into a colour pair and attributes.
 *
 * A theme file is lines of
 *   color AREA FOREGROUND BACKGROUND [ATTRIBUTE...]
 * separated by spaces or tabs; blank lines and lines whose first non-blank
 * character is '#' are ignored. Colours: default (the terminal's own),
 * black red green yellow blue magenta cyan white (0-7), colorN (N 0..255,
 * the xterm palette), #rrggbb (24-bit). Attributes: bold underline reverse
 * dim italic blink. Names are read in any letter case. An area given twice
 * takes its last line. An area the file does not give takes its fallback
 * area's style (the third column of CCON_THEME_AREAS), and "normal" is
 * the terminal's default colours. Errors (CCON_E_THEME_SYNTAX) carry the
 * line and column.
 */
#ifndef CCON_THEME_H
#define CCON_THEME_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X(ENUM, "name", FALLBACK) - a fallback always comes earlier in the list. */
#define CCON_THEME_AREAS(X) \
	X(NORMAL, "normal", NORMAL)                   /* text with no area of its own */ \
	X(TITLE, "title", NORMAL)                     /* the top line */ \
	X(STATUS_BAR, "status-bar", TITLE)            /* the bottom status line */ \
	X(HEADING, "heading", NORMAL)                 /* column headings, section titles */ \
	X(CURSOR, "cursor", NORMAL)                   /* the row under the cursor */ \
	X(SELECTION, "selection", CURSOR)             /* marked rows, the focused item */ \
	X(CHANGED, "changed", NORMAL)                 /* rows the last poll changed */ \
	X(DIM, "dim", NORMAL)                         /* secondary text, placeholders, ages */ \
	X(STATUS_OK, "status-ok", NORMAL)             /* connected; received, read */ \
	X(STATUS_WARN, "status-warn", NORMAL)         /* retrying; processed */ \
	X(STATUS_FAIL, "status-fail", NORMAL)         /* down; failed */ \
	X(ERROR, "error", STATUS_FAIL)                /* error messages */ \
	X(COMMAND_LINE, "command-line", NORMAL)       /* the : line */ \
	X(FILTER, "filter", HEADING)                  /* the / filter and its matches */ \
	X(HELP, "help", NORMAL)                       /* the ? overlay */ \
	X(HELP_KEY, "help-key", HEADING)              /* the keys in the overlay */ \
	X(RAW, "raw", NORMAL)                         /* the raw JSON view */ \
	X(CAMPAIGN_NEW, "campaign-new", DIM)          /* campaign statuses */ \
	X(CAMPAIGN_DRAFT, "campaign-draft", DIM) \
	X(CAMPAIGN_SCHEDULED, "campaign-scheduled", STATUS_WARN) \
	X(CAMPAIGN_RUNNING, "campaign-running", STATUS_WARN) \
	X(CAMPAIGN_DONE, "campaign-done", STATUS_OK) \
	X(CAMPAIGN_CANCELED, "campaign-canceled", STATUS_FAIL) \
	X(BAR_PENDING, "bar-pending", DIM)            /* funnel bars, drawn as blanks: */ \
	X(BAR_PROCESSED, "bar-processed", STATUS_WARN) /* the background shows */ \
	X(BAR_RECEIVED, "bar-received", STATUS_OK) \
	X(BAR_READ, "bar-read", STATUS_OK) \
	X(BAR_FAILED, "bar-failed", STATUS_FAIL) \
	X(BAR_CANCELED, "bar-canceled", DIM) \
	X(SLOT_OTHERS, "slot-others", BAR_PROCESSED)  /* the wizard's slot timeline: */ \
	X(SLOT_MINE, "slot-mine", BAR_READ)           /* places of other sends, this */ \
	X(SLOT_FREE, "slot-free", DIM)                /* send's share, free places */

enum ccon_theme_area {
#define CCON_THEME_AREA_ENUM(name, str, fallback) CCON_AREA_##name,
	CCON_THEME_AREAS(CCON_THEME_AREA_ENUM)
#undef CCON_THEME_AREA_ENUM
	CCON_AREA__COUNT
};

enum ccon_color_kind {
	CCON_COLOR_DEFAULT,     /* the terminal's own foreground or background */
	CCON_COLOR_INDEX,       /* palette index 0..255 */
	CCON_COLOR_RGB,         /* 24-bit */
};

struct ccon_color {
	enum ccon_color_kind kind;
	uint8_t index;          /* CCON_COLOR_INDEX */
	uint8_t r, g, b;        /* CCON_COLOR_RGB */
};

enum {
	CCON_ATTR_BOLD = 1u << 0,
	CCON_ATTR_UNDERLINE = 1u << 1,
	CCON_ATTR_REVERSE = 1u << 2,
	CCON_ATTR_DIM = 1u << 3,
	CCON_ATTR_ITALIC = 1u << 4,
	CCON_ATTR_BLINK = 1u << 5,
};

struct ccon_style {
	struct ccon_color fg, bg;
	unsigned attrs;         /* CCON_ATTR_* */
};

struct ccon_theme {
	struct ccon_style area[CCON_AREA__COUNT];
};

/* "status-bar"; NULL out of range. */
const char *ccon_theme_area_name(enum ccon_theme_area area);
/* The area called name[0..len), or CCON_AREA__COUNT. */
enum ccon_theme_area ccon_theme_area_by_name(const char *name, size_t len);
/* The area a campaign status (new, draft, scheduled, running, done,
 * canceled) or a recipient status (pending: dim, processed: status-warn,
 * received and read: status-ok, failed: status-fail) is drawn in; NORMAL
 * for anything else or NULL. */
enum ccon_theme_area ccon_theme_status_area(const char *status);
/* The funnel bar of a recipient status (pending .. canceled); NORMAL. */
enum ccon_theme_area ccon_theme_bar_area(const char *status);

/* The text of themes/default.theme, built in (a unit test keeps them the
 * same), and the theme it makes. */
const char *ccon_theme_default_text(void);
void ccon_theme_default(struct ccon_theme *out);

int ccon_theme_parse(const char *text, size_t len, struct ccon_theme *out,
                     struct ccon_error *err);
/* Reads a theme file (at most 1 MiB); errors start with "PATH:LINE:COLUMN: ". */
int ccon_theme_load(const char *path, struct ccon_theme *out, struct ccon_error *err);
/* Whether any area has a colour (false for mono). */
bool ccon_theme_has_color(const struct ccon_theme *t);

/* One colour: "default", a name, "colorN", "#rrggbb" (any case); errors
 * carry the column within the text. */
int ccon_color_parse(const char *text, size_t len, struct ccon_color *out,
                     struct ccon_error *err);
/* The red, green and blue of a palette index as xterm shows it. */
void ccon_color_index_rgb(uint8_t index, uint8_t *r, uint8_t *g, uint8_t *b);
/* What a terminal with `colors` colours shows for c: DEFAULT stays DEFAULT;
 * with fewer than 8 colours everything is DEFAULT; an index below colors
 * stays; with 16777216 (24-bit) colours or more RGB stays; anything else
 * becomes the nearest palette index (squared RGB distance) among the
 * first 8, 16 or 256 (then among the 6x6x6 cube and the grey ramp,
 * 16-255, since terminals let users change 0-15). */
struct ccon_color ccon_color_fit(struct ccon_color c, long colors);
bool ccon_color_eq(struct ccon_color a, struct ccon_color b);

#endif
