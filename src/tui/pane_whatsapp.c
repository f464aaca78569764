/* pane_whatsapp.c - the single WhatsApp message (seed 004) as a form over
 * the wizard's draft (d->wa): the recipient, the text, the media, the
 * location and the template, one line a field, each with the seed's limit
 * counted live ("text 120/4069") and the codec's reason shown on its line
 * as it is typed. The rules are codec_whatsapp.h's: this pane only counts
 * and asks. Every value is typed text: drawn through draw_text. */
#include "config.h"

#include "pane.h"

#include "app.h"
#include "colors.h"
#include "cursor.h"
#include "draw.h"

#include <ccon/codec_whatsapp.h>
#include <ccon/send_draft.h>
#include <ccon/utf8.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum wa_field {
	F_FROM, F_TO, F_TEXT,
	F_IMAGE, F_VIDEO, F_DOCUMENT, F_FILENAME, F_CAPTION, F_AUDIO, F_STICKER,
	F_LON, F_LAT, F_LOC_NAME, F_LOC_ADDRESS,
	F_TEMPLATE,
	F__COUNT
};

enum limit_unit { NONE, CHARS, BYTES };

static const struct wa_line {
	const char *key;             /* the JSON name: also the codec's error path */
	const char *group;           /* a heading before the line, or NULL */
	enum limit_unit unit;
	size_t max;
	const char *hint;            /* shown while the field is empty */
} lines[F__COUNT] = {
	[F_FROM] = { "from", "Recipient", NONE, 0, "required: the WABA phone (+34...)" },
	[F_TO] = { "to", NULL, NONE, 0, "required: a phone (+34..., 0034...) or a group id" },
	[F_TEXT] = { "text", "Message", CHARS, CCON_WHATSAPP_TEXT_MAX, "required" },
	[F_IMAGE] = { "image", "Media (http or https URLs)", BYTES, CCON_WHATSAPP_URL_MAX, "png, jpeg" },
	[F_VIDEO] = { "video", NULL, BYTES, CCON_WHATSAPP_URL_MAX, "mp4, 3gpp" },
	[F_DOCUMENT] = { "document", NULL, BYTES, CCON_WHATSAPP_URL_MAX, "any type" },
	[F_FILENAME] = { "documentFilename", NULL, CHARS, CCON_WHATSAPP_FILENAME_MAX,
	                 "needs a document" },
	[F_CAPTION] = { "caption", NULL, CHARS, CCON_WHATSAPP_CAPTION_MAX,
	                "needs an image, a video or a document" },
	[F_AUDIO] = { "audio", NULL, BYTES, CCON_WHATSAPP_URL_MAX, "aac, mp4, amr, mpeg, ogg opus" },
	[F_STICKER] = { "sticker", NULL, BYTES, CCON_WHATSAPP_URL_MAX, "webp" },
	[F_LON] = { "longitude", "Location", NONE, 0, "-180..180, with latitude" },
	[F_LAT] = { "latitude", NULL, NONE, 0, "-180..180, with longitude" },
	[F_LOC_NAME] = { "locationName", NULL, CHARS, CCON_WHATSAPP_LOCATION_TEXT_MAX,
	                 "needs the coordinates" },
	[F_LOC_ADDRESS] = { "locationAddress", NULL, CHARS, CCON_WHATSAPP_LOCATION_TEXT_MAX,
	                    "needs a locationName" },
	[F_TEMPLATE] = { "template", "Template", NONE, 0,
	                 "a JSON object: {\"name\":\"promo\",\"language\":\"es\",\"parameters\":[...]}" },
};

#define W_KEY 17
#define W_COUNT 24
#define COORD_SIZE 64

struct wa_form {
	struct pane pane;
	struct ccon_send_draft *d;
	enum wa_field sel;
	enum wa_field editing;       /* F__COUNT: no edit open */
	char *orig;                  /* the value before the open edit */
	char coord[2][COORD_SIZE];   /* longitude, latitude as typed */
	struct ccon_error fault;     /* the first fault among what is typed */
	struct ccon_error check;     /* ccon_send_draft_check_fields: ready or not */
	char label[64];
};

static char **slot(struct ccon_whatsapp_message *m, enum wa_field f)
{
	switch (f) {
	case F_FROM: return &m->from;
	case F_TO: return &m->to;
	case F_TEXT: return &m->text;
	case F_IMAGE: return &m->image;
	case F_VIDEO: return &m->video;
	case F_DOCUMENT: return &m->document;
	case F_FILENAME: return &m->document_filename;
	case F_CAPTION: return &m->caption;
	case F_AUDIO: return &m->audio;
	case F_STICKER: return &m->sticker;
	case F_LOC_NAME: return &m->location_name;
	case F_LOC_ADDRESS: return &m->location_address;
	case F_TEMPLATE: return &m->template_json;
	default: return NULL;
	}
}

/* The field's text as typed ("" when absent). */
static const char *value(const struct wa_form *f, enum wa_field k)
{
	char **s;

	if (k == F_LON || k == F_LAT)
		return f->coord[k - F_LON];
	s = slot(&f->d->wa, k);
	return s && *s ? *s : "";
}

/* A coordinate as typed: true with *out for a whole number text. */
static bool coord_number(const char *s, double *out)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	while (*end == ' ')
		end++;
	return end != s && !*end && errno != ERANGE;
}

/* The coordinates as typed go to the draft when both are numbers. */
static void coords_apply(struct wa_form *f)
{
	struct ccon_whatsapp_message *m = &f->d->wa;
	double lon, lat;

	m->has_location = coord_number(f->coord[0], &lon) && coord_number(f->coord[1], &lat);
	m->longitude = m->has_location ? lon : 0;
	m->latitude = m->has_location ? lat : 0;
}

/* The first fault among the fields typed so far: the draft's own check
 * (ccon_send_draft_check_fields) of a copy whose required fields still
 * empty get stand-ins, so what is typed is judged before from and to are
 * there. A lone coordinate, which the draft cannot hold, is put in the
 * message's JSON as typed, so the codec names what it lacks. */
static void probe(struct wa_form *f, struct ccon_error *err)
{
	struct ccon_send_draft tmp = *f->d;
	struct ccon_whatsapp_message *m = &tmp.wa, back;
	cJSON *j = NULL;
	double v;
	int k;

	ccon_error_clear(err);
	for (k = 0; k < 2; k++)
		if (f->coord[k][0] && !coord_number(f->coord[k], &v)) {
			ccon_error_set(err, CCON_E_JSON_TYPE, "'%.40s' is not a number", f->coord[k]);
			ccon_error_at_path(err, lines[F_LON + k].key);
			return;
		}
	if (!m->from)
		m->from = (char *)"+34600000000";
	if (!m->to)
		m->to = (char *)"+34600000000";
	if (!m->text)
		m->text = (char *)"x";
	if (ccon_send_draft_check_fields(&tmp, err) < 0 || m->has_location ||
	    (!f->coord[0][0] && !f->coord[1][0]))
		return;
	k = f->coord[0][0] ? 0 : 1;
	coord_number(f->coord[k], &v);
	if (ccon_whatsapp_message_encode(m, &j) == 0 &&
	    cJSON_AddNumberToObject(j, lines[F_LON + k].key, v) &&
	    ccon_whatsapp_message_decode(j, &back, err) == 0)
		ccon_whatsapp_message_free(&back);
	cJSON_Delete(j);
}

static void recheck(struct wa_form *f)
{
	coords_apply(f);
	probe(f, &f->fault);
	ccon_error_clear(&f->check);
	if (f->fault.code == CCON_E_OK)
		ccon_send_draft_check_fields(f->d, &f->check);
	else
		f->check = f->fault;
	f->pane.dirty |= PANE_DIRTY_ALL;
}

static bool fault_on(const struct wa_form *f, enum wa_field k)
{
	return f->fault.code != CCON_E_OK && strcmp(f->fault.path, lines[k].key) == 0;
}

/* ------------------------------------------------------------ drawing */

/* "text 120/4069" (characters) or "image 31/2048 B". */
static void count_text(const struct wa_form *f, enum wa_field k, char *buf, size_t size)
{
	const char *s = value(f, k);
	size_t n;

	buf[0] = '\0';
	if (lines[k].unit == NONE)
		return;
	n = lines[k].unit == CHARS ? ccon_utf8_length(s, strlen(s)) : strlen(s);
	snprintf(buf, size, "%s %zu/%zu%s", lines[k].key, n, lines[k].max,
	         lines[k].unit == BYTES ? " B" : "");
}

static bool over(const struct wa_form *f, enum wa_field k)
{
	const char *s = value(f, k);

	if (lines[k].unit == CHARS)
		return ccon_utf8_length(s, strlen(s)) > lines[k].max;
	return lines[k].unit == BYTES && strlen(s) > lines[k].max;
}

static int draw_field(struct wa_form *f, WINDOW *w, int y, struct rect a, enum wa_field k)
{
	bool cur = k == f->sel;
	attr_t base = cur ? colors_attr(AREA_CURSOR) : A_NORMAL;
	attr_t err = cur ? base | A_BOLD : colors_attr(AREA_ERROR);
	const char *v = value(f, k);
	char count[64];
	int x = a.x + 1, vw;

	if (lines[k].group) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_text(w, y++, a.x + 1, a.w - 1, lines[k].group, colors_attr(AREA_HEADING),
		          DRAW_LEFT);
	}
	draw_fill(w, y, a.x, a.w, base);
	draw_text(w, y, x, 2, fault_on(f, k) ? "!" : " ", err | A_BOLD, DRAW_LEFT);
	x += 2;
	draw_text(w, y, x, W_KEY, lines[k].key, base | A_BOLD, DRAW_LEFT);
	x += W_KEY + 1;
	count_text(f, k, count, sizeof(count));
	vw = a.x + a.w - x - W_COUNT - 1;
	if (vw < 8)
		vw = 8;
	if (fault_on(f, k))
		draw_textf(w, y, x, vw, err, DRAW_LEFT, "%s%s%s", *v ? v : "", *v ? "  \u2190 " : "",
		           f->fault.message);
	else if (*v)
		draw_text(w, y, x, vw, v, base, DRAW_LEFT);
	else
		draw_text(w, y, x, vw, lines[k].hint, cur ? base : colors_attr(AREA_DIM), DRAW_LEFT);
	if (count[0] && x + vw + 1 < a.x + a.w)
		draw_text(w, y, x + vw + 1, a.x + a.w - x - vw - 1, count,
		          over(f, k) ? err : (cur ? base : colors_attr(AREA_DIM)), DRAW_RIGHT);
	return y + 1;
}

/* The whole value under the cursor, wrapped over the lines left (a text
 * is longer than a line). Returns the next line. */
static int draw_value(struct wa_form *f, WINDOW *w, int y, int end, struct rect a)
{
	const char *s = value(f, f->sel);
	int width = a.w - 4;
	char buf[1024];

	while (*s && y < end && width > 8) {
		size_t n = 0, cut = 0;

		/* as many characters as fit the width */
		while (s[n]) {
			size_t k = n + 1;

			while (((unsigned char)s[k] & 0xc0) == 0x80)
				k++;
			if (k >= sizeof(buf))
				break;
			memcpy(buf, s, k);
			buf[k] = '\0';
			if (draw_width(buf) > width)
				break;
			n = k;
		}
		cut = n ? n : strlen(s);
		memcpy(buf, s, cut < sizeof(buf) ? cut : sizeof(buf) - 1);
		buf[cut < sizeof(buf) ? cut : sizeof(buf) - 1] = '\0';
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_text(w, y++, a.x + 3, width, buf, A_NORMAL, DRAW_LEFT);
		s += cut;
	}
	return y;
}

static void wa_draw(struct pane *p, WINDOW *w, struct rect a)
{
	struct wa_form *f = (struct wa_form *)p;
	int y = a.y, end = a.y + a.h;

	draw_fill(w, y, a.x, a.w, A_NORMAL);
	draw_text(w, y++, a.x, a.w, " Single WhatsApp message (seed 004): one recipient, sent now "
	          "(no schedule, no slots)", A_BOLD, DRAW_LEFT);
	draw_fill(w, y, a.x, a.w, A_NORMAL);
	if (f->check.code == CCON_E_OK)
		draw_text(w, y++, a.x + 1, a.w - 1, "ready to send", colors_attr(AREA_STATUS_OK),
		          DRAW_LEFT);
	else
		draw_textf(w, y++, a.x + 1, a.w - 1, colors_attr(AREA_ERROR), DRAW_LEFT,
		           "not ready: %s%s%s", f->check.path, f->check.path[0] ? ": " : "",
		           f->check.message);
	for (int k = 0; k < F__COUNT && y < end - 2; k++)
		y = draw_field(f, w, y, a, (enum wa_field)k);
	if (y < end) {
		draw_fill(w, y, a.x, a.w, A_NORMAL);
		draw_textf(w, y++, a.x + 1, a.w - 1, colors_attr(AREA_DIM), DRAW_LEFT,
		           "%s: Enter edits, Del clears, Esc back to the wizard", lines[f->sel].key);
	}
	y = draw_value(f, w, y, end, a);
	while (y < end)
		draw_fill(w, y++, a.x, a.w, A_NORMAL);
	p->rows = a.h;
}

/* ------------------------------------------------------------ editing */

static void set_value(struct wa_form *f, enum wa_field k, const char *text)
{
	char **s = slot(&f->d->wa, k);

	if (k == F_LON || k == F_LAT)
		snprintf(f->coord[k - F_LON], COORD_SIZE, "%s", text ? text : "");
	else if (!s)
		return;   /* no such field */
	else if (ccon_draft_str_set(s, text) < 0)
		app_error(f->pane.app, "out of memory");
	recheck(f);
}

static void edit_changed(void *ctx, const char *text)
{
	struct wa_form *f = ctx;

	if (f->editing < F__COUNT)
		set_value(f, f->editing, text);
}

static void edit_done(void *ctx, const char *text)
{
	struct wa_form *f = ctx;
	enum wa_field k = f->editing;

	f->editing = F__COUNT;
	if (k >= F__COUNT)
		return;
	if (!text)
		set_value(f, k, f->orig);
	else if (fault_on(f, k))
		app_error(f->pane.app, "%s kept as typed, but refused: %s", lines[k].key,
		          f->fault.message);
	free(f->orig);
	f->orig = NULL;
	recheck(f);
}

static void edit_open(struct wa_form *f)
{
	enum wa_field k = f->sel;

	free(f->orig);
	if (!(f->orig = strdup(value(f, k)))) {
		app_error(f->pane.app, "out of memory");
		return;
	}
	f->editing = k;
	snprintf(f->label, sizeof(f->label), "%s: ", lines[k].key);
	app_prompt(f->pane.app, f->label, f->orig, edit_changed, edit_done, f);
	f->pane.dirty |= PANE_DIRTY_ALL;
}

static bool wa_request(struct pane *p, enum request req)
{
	struct wa_form *f = (struct wa_form *)p;
	size_t sel = f->sel;

	switch (req) {
	case REQ_MOVE_DOWN:
	case REQ_FOCUS_NEXT:
	case REQ_MOVE_UP:
	case REQ_FOCUS_PREV:
		/* the form wraps around */
		cursor_cycle(&sel, F__COUNT, req == REQ_MOVE_DOWN || req == REQ_FOCUS_NEXT ? 1 : -1);
		f->sel = (enum wa_field)sel;
		break;
	case REQ_MOVE_FIRST:
	case REQ_MOVE_LAST:
		cursor_move(&sel, F__COUNT, 0, req);
		f->sel = (enum wa_field)sel;
		break;
	case REQ_ENTER:
	case REQ_EDIT:
		edit_open(f);
		break;
	case REQ_AUDIENCE_CLEAR:
		set_value(f, f->sel, NULL);
		app_message(p->app, "%s cleared", lines[f->sel].key);
		break;
	default:
		return false;
	}
	p->dirty |= PANE_DIRTY_ALL;
	return true;
}

static void wa_changed(struct pane *p, unsigned changes)
{
	(void)p;
	(void)changes;
}

static void wa_close(struct pane *p)
{
	struct wa_form *f = (struct wa_form *)p;

	if (p->app->prompt.active && p->app->prompt.ctx == f)
		p->app->prompt.active = false;
	if ((f->coord[0][0] || f->coord[1][0]) && !f->d->wa.has_location)
		app_error(p->app, "the location was not kept: it needs both coordinates as numbers");
	free(f->orig);
	free(f);
}

static const struct pane_ops wa_ops = {
	.name = "WhatsApp message",
	.changed = wa_changed,
	.draw = wa_draw,
	.request = wa_request,
	.close = wa_close,
};

struct pane *pane_whatsapp_open(struct app *app, struct ccon_send_draft *d)
{
	struct wa_form *f = calloc(1, sizeof(*f));

	if (!f) {
		app_error(app, "out of memory");
		return NULL;
	}
	f->pane.ops = &wa_ops;
	f->pane.app = app;
	f->pane.dirty = PANE_DIRTY_ALL;
	f->d = d;
	f->editing = F__COUNT;
	if (d->wa.has_location) {
		snprintf(f->coord[0], COORD_SIZE, "%.15g", d->wa.longitude);
		snprintf(f->coord[1], COORD_SIZE, "%.15g", d->wa.latitude);
	}
	recheck(f);
	return &f->pane;
}
